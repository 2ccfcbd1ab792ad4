"""The criminal scenario suite (scenarios/criminal.toml): run each conversation, say what is wrong.

Used by test_scenarios.py (slow, on the whole-corpus index) and as a script that prints every
scenario's outcome with the category of each failure and the time of each question:

    uv run --frozen python tests/assistant/scenario_suite.py --data-dir /work/data-base
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUITE = Path(__file__).resolve().parent / "scenarios" / "criminal.toml"


def load_scenarios(path: Path = SUITE) -> list[dict[str, Any]]:
    return list(tomllib.loads(path.read_text(encoding="utf-8"))["scenario"])


@dataclass
class Outcome:
    scenario: dict[str, Any]
    answer: Any
    seconds: list[float] = field(default_factory=list)  # one per question
    problems: list[tuple[str, str]] = field(default_factory=list)  # (category, what is wrong)


def run(service: Any, scenario: dict[str, Any]) -> Outcome:
    """Ask the conversation's questions in turn, each with the facts the previous answer left."""
    facts, answer, seconds = None, None, []
    for question in scenario["ask"]:
        start = time.perf_counter()
        answer = service.answer(question, facts=facts)
        seconds.append(time.perf_counter() - start)
        facts = answer.facts if answer.facts is not None else facts
    outcome = Outcome(scenario, answer, seconds)
    outcome.problems = problems(scenario, answer)
    return outcome


def _norm(name: str) -> str:
    return name.replace("、", "").removesuffix("罪")


def _article(label: str) -> tuple[int, int]:
    from corpora.numerals import cn_to_int

    number, _, suffix = label.partition("之")
    return int(number), cn_to_int(suffix) if suffix else 0


def problems(sc: dict[str, Any], answer: Any) -> list[tuple[str, str]]:
    """What the answer gets wrong, each with its category: ranking (wrong charge or article),
    sentencing (term, kind, 罚金, a rule applied where it cannot be), dialog (the rest)."""
    out: list[tuple[str, str]] = []
    for phrase in sc.get("text", []):
        if phrase not in answer.text:
            out.append(("dialog", f"answer lacks “{phrase}”"))
    if "route" in sc:
        if answer.route != sc["route"]:
            out.append(("dialog", f"route {answer.route}, expected {sc['route']}"))
        return out
    est = answer.sentencing
    if sc.get("no_term"):
        if est is not None or answer.sources:
            out.append(("dialog", "computed a sentence for a question with no case"))
        return out
    if answer.route != "sentencing" or est is None or not est.charges:
        return [*out, ("ranking", f"no estimate (route {answer.route})")]
    if "also" in sc:  # several crimes (数罪): exactly these charges and articles, in any order
        wanted_set = {(_norm(sc["charge"]), _article(sc["article"]))}
        wanted_set |= {(_norm(c), _article(a)) for c, a in sc["also"]}
        got_set = {(_norm(c.charge or ""), (c.article, c.article_suffix)) for c in est.charges}
        if got_set != wanted_set:
            out.append(("ranking", f"charges {sorted(got_set)}, expected {sorted(wanted_set)}"))
        return [*out, *_term_problems(sc, est, answer)]
    main = est.charges[0]
    wanted = sc["article"] if isinstance(sc["article"], list) else [sc["article"]]
    got = (main.article, main.article_suffix)
    if got not in [_article(a) for a in wanted]:
        out.append(("ranking", f"article {main.article_label}, expected {'/'.join(wanted)}"))
    charge = _norm(main.charge or "")
    if not charge or (_norm(sc["charge"]) not in charge and charge not in _norm(sc["charge"])):
        out.append(("ranking", f"charge {main.charge or '—'}, expected {sc['charge']}"))
    if len(est.charges) > 1:  # one crime told: a second charge is a second reading, not 数罪
        out.append(("ranking", f"several charges {[c.charge for c in est.charges]}, expected one"))
    out += _term_problems(sc, est, answer)
    return out


def _term_problems(sc: dict[str, Any], est: Any, answer: Any) -> list[tuple[str, str]]:
    out = []
    low, high = sc["term"]
    point = est.point_months
    life = point is None and any(w in (est.kind or "") for w in ("无期", "死刑"))
    if sc.get("figure_missing"):  # the figure the ranges turn on is not told: ranges, never a term
        shown = est.to_dict()
        if est.figure_missing is None or est.figure_missing.missing != sc["figure_missing"]:
            out.append(("sentencing", f"a term is given although the {sc['figure_missing']} is not told"))
        elif shown["point_months"] is not None or "估计判处" in (answer.notes[0] if answer.notes else ""):
            out.append(("sentencing", "the answer states a term as if the figure were known"))
        return out
    if point is not None and est.figure_missing is not None:  # the answer shows no term (trace.conclusion)
        out.append(("sentencing", f"no term shown: the {est.figure_missing.missing} was not read"))
    elif point is None and not (life and sc.get("life_ok")):
        out.append(("sentencing", f"no term, expected {low}–{high} months"))
    elif point is not None and not low <= point <= high:
        out.append(("sentencing", f"{est.kind} {point:g} months, expected {low}–{high}"))
    if sc.get("kind") and est.kind != sc["kind"]:
        out.append(("sentencing", f"kind {est.kind}, expected {sc['kind']}"))
    if sc.get("fine") and "罚金" not in (answer.notes[0] if answer.notes else ""):
        out.append(("sentencing", "the conclusion does not mention 罚金"))
    steps = {s.name for c in est.charges for s in c.steps}
    for name in sc.get("step", []):  # a rule that must apply (累犯 from a record told relative to today)
        if not any(name in s and not s.endswith("不成立") for s in steps):
            out.append(("sentencing", f"{name} not applied"))
    for name in sc.get("no_step", []):
        # a step that says the circumstance does not hold (累犯不成立) is the rule applied rightly
        if any(name in s and not s.endswith("不成立") for s in steps):
            out.append(("sentencing", f"{name} applied where it cannot be"))
    return out


def main() -> int:
    from assistant.services.answer import AssistantService
    from assistant.settings import load_settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True, help="A data dir holding the whole-corpus index.")
    ap.add_argument("--only", nargs="*", help="Scenario ids to run.")
    args = ap.parse_args()
    settings = load_settings(overrides={"data_dir": args.data_dir, "llm.mode": "extractive"})
    service = AssistantService(settings)
    start = time.perf_counter()
    service.answer("盗窃他人财物三千元，可能判多久？")  # warm-up: opens the index, loads the model
    print(f"warm-up {time.perf_counter() - start:.1f} s")
    outcomes = [run(service, sc) for sc in load_scenarios() if not args.only or sc["id"] in args.only]
    for o in outcomes:
        status = "PASS" if not o.problems else "FAIL"
        detail = "; ".join(f"[{cat}] {what}" for cat, what in o.problems)
        print(f"{status} {o.scenario['id']:<34} {max(o.seconds):5.2f}s {detail}")
    times = sorted(t for o in outcomes for t in o.seconds)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    passed = sum(not o.problems for o in outcomes)
    print(
        f"\n{passed}/{len(outcomes)} scenarios pass; {len(times)} questions: "
        f"median {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
