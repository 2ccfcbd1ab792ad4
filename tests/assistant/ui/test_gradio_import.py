"""`import_gradio`: Gradio without its stub writer (the 4 s of CPU it cost every `serve`), and working."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

CHECK = """
import importlib.util, sys
from pathlib import Path
stubs = sorted(Path(importlib.util.find_spec("gradio").origin).parent.glob("components/*.pyi"))
before = [p.stat().st_mtime_ns for p in stubs]
from assistant.ui.gradio_import import _no_stub, import_gradio
gr = import_gradio()
import gradio.blocks_events, gradio.component_meta
assert gradio.component_meta.create_or_modify_pyi is _no_stub
assert gradio.blocks_events.create_or_modify_pyi is _no_stub
assert [p.stat().st_mtime_ns for p in stubs] == before and stubs
assert not any(type(f).__name__ == "_Finder" for f in sys.meta_path)  # the hook is gone again
with gr.Blocks() as demo:
    box = gr.Textbox(label="问题")
    gr.Button("提交").click(lambda q: q, box, box)
assert demo.config["components"] and import_gradio() is gr
print("OK")
"""


def test_gradio_imports_without_writing_its_stubs_and_builds_an_app() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().endswith("OK")
