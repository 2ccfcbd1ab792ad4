"""`import gradio` without its type-stub writer: 4 of the 6 s of CPU that importing Gradio 6 costs.

Gradio's component metaclass calls `gradio.component_meta.create_or_modify_pyi` for every component
class it defines, at every import: it reads the component's source, parses it with `ast` and
rewrites the `.pyi` stub beside it in site-packages (for type checkers; the wheel ships the stubs, and
nothing at run time reads them; see gradio-app/gradio#10121 for the same function failing where
site-packages is read-only). Measured on a 2-core machine: `import gradio` 6.2 s of CPU with it,
about 2 s without. The function is replaced, as its module is loaded, by one that does nothing;
everything else in Gradio is left as it is.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

STUB_MODULE = "gradio.component_meta"
STUB_WRITER = "create_or_modify_pyi"


def _no_stub(*args: Any, **kwargs: Any) -> None:
    """Gradio's stub writer, doing nothing."""


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        if callable(getattr(module, STUB_WRITER, None)):  # a later Gradio without it: nothing to do
            setattr(module, STUB_WRITER, _no_stub)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != STUB_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def import_gradio() -> ModuleType:
    """`gradio`, imported (once per process) without the stub writer."""
    if "gradio" in sys.modules:
        return sys.modules["gradio"]
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    try:
        import gradio
    finally:
        sys.meta_path.remove(finder)
    return gradio
