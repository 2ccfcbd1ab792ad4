"""`legal-assistant eval answers`: the assistant's answers on the kept question suites."""

from __future__ import annotations

import json

import click

from retrieval.quality import SUITE_FILES

SUITES = tuple(SUITE_FILES)  # the kept suites, named once (retrieval.quality)


@click.command(name="answers")
@click.option(
    "--set",
    "set_names",
    multiple=True,
    type=click.Choice(SUITES),
    help="Answer this suite (repeatable; default: all three).",
)
@click.option(
    "--configured-backend",
    is_flag=True,
    help="Answer with the configured llm backend (default: the extractive answer, which needs no model).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Answer only the first N questions of each suite.")
@click.option(
    "--show", is_flag=True, help="Print one line per question: right or not, what was cited, route."
)
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object and nothing else.")
@click.pass_obj
def answers(
    obj, set_names: tuple[str, ...], configured_backend: bool, limit: int | None, show: bool, as_json: bool
) -> None:
    """Whether the answer's first cited article is right, the median body, conclusion first, and speed.

    \b
    Suites (tests/retrieval/questions, searched over the index in the data dir):
      everyday   questions as people ask them → the articles a lawyer would cite (development);
      heldout    more such questions; development data since stop 14, when its misses were read;
      heldout2   60 more, written from the law text by a lawyer who saw no run; development data
                 since stop 15, when its misses were read;
      heldout3   60 more, written the same way in stop 15; development data since stop 16;
      heldout4   72 more, written the same way in stop 16; development data since stop 18;
      heldout5   72 more, written the same way in stop 17; development data since stop 28,
                 when its misses were read;
      heldout6   72 more, written the same way in stop 18; likewise read in stop 28;
      heldout7   72 more, written the same way in stop 19; development data from the start;
      heldout8   72 more, written the same way in stop 19; read in stop 28;
      heldout9   72 more, written the same way in stop 22; read in stop 28;
      heldout10, heldout11
                 72 more each, written the same way in stop 23 (a Q&A forum's posts, a legal-aid
                 hotline's calls); development data since stop 23, when their misses
                 were read after one fresh run;
      heldout12, heldout13
                 72 more each, written the same way in stop 24 (a law firm's online form, a
                 community legal service desk); development data since stop 24, when
                 their misses were read after one fresh run;
      heldout14, heldout15
                 72 more each, written the same way in stop 25 (the 12348 hotline's
                 calls, a Q&A forum's posts); development data since stop 25, when
                 their misses were read after one fresh run;
      heldout16, heldout17
                 72 more each, written the same way in stop 26 (WeChat messages to a
                 lawyer friend, a legal-help mini-program's search box); development
                 data since stop 27, when their misses were read;
      heldout18, heldout19
                 72 more each, written the same way in stop 27 (calls to the 12348
                 hotline typed out, a community Q&A forum's posts); development data
                 since stop 28, when their misses were read;
      heldout20, heldout21
                 72 more each, written the same way in stop 28 (WeChat voice messages,
                 a legal-aid centre's intake forms); development data since, when
                 their misses were read after one fresh run;
      heldout22, heldout23
                 72 more each, written the same way in stop 28 (a lawyer's live-stream
                 comments, a community adviser's consultation); never read.
    first_right: the first article the answer's body cites (by its law, held by the index) is one of
    the question's articles. The body is the answer before its 引用核验 section and disclaimer;
    conclusion_first: of the answers resting on sources, those whose first paragraph (after the
    backend's label) quotes nothing and comes before any quotation; without_sources: declined or
    failed questions. Times (wall and this process's CPU) follow one warm-up question.
    """
    from functools import partial

    from tqdm import tqdm

    from assistant.evaluation.answers import score_answers
    from assistant.services.answer import AssistantService
    from retrieval import quality
    from retrieval.errors import RetrievalError

    settings = obj.settings
    if not configured_backend:
        settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"mode": "extractive"})})
    service = AssistantService(settings)
    results = {}
    try:
        service.agent()
        searcher = service.agent().searcher
        for name in set_names or SUITES:
            path = quality.SUITE_FILES[name]
            questions = quality.load_suite(searcher, path)[:limit]
            bar = partial(tqdm, desc=name, disable=as_json)
            results[name] = score_answers(service.answer, searcher, name, questions, progress=bar)
    except (RetrievalError, quality.SuiteError) as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps({n: s.to_dict() for n, s in results.items()}, ensure_ascii=False))
        return
    for name, scores in results.items():
        if show:
            for r in scores.rows:
                click.echo(
                    f"{'✓' if r.right else '✗'} [{r.area}] {r.question} → {r.first or '—'} ({r.route})"
                )
        m = scores.metrics()
        areas = "  ".join(f"{a} {v:.2f}" for a, v in m["by_area"].items())
        click.echo(
            f"{name:9s} first right {m['first_right']:.3f} ({m['answers']} answers; {areas})\n"
            f"{'':9s} body median {m['median_body_chars']} chars (whole answer {m['median_chars']}), "
            f"conclusion first {m['conclusion_first']:.3f} ({m['without_sources']} without sources), p50 {m['p50_ms']} ms, p95 {m['p95_ms']} ms "
            f"(CPU p95 {m['p95_cpu_ms']} ms)"
        )
