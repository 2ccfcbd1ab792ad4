# Targets CI and the README call unchanged.
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install serve test test-slow lint typecheck

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@# uv compiles the installed packages, not the editable project: compile it once, so that a cold
	@# command with PYTHONDONTWRITEBYTECODE=1 does not compile its modules from source every time
	$(UV) run --frozen python -m compileall -q assistant retrieval corpora finetune

serve: install
	$(UV) run --frozen legal-assistant serve

test: install
	$(UV) run --frozen pytest -q

test-slow: install
	$(UV) run --frozen pytest -q -m slow

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck: install
	$(UV) run --frozen mypy
