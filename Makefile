# The two commands: `make run` serves the API on http://127.0.0.1:8000, `make test` runs the tests.
# Each bootstraps what it needs on first use: uv in .tools/, then .venv/ from uv.lock.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench worker docs clean

run: .venv/.synced
	.venv/bin/devforge serve

worker: .venv/.synced
	.venv/bin/devforge worker

test: .venv/.synced
	.venv/bin/lint-imports
	.venv/bin/python -m pytest -q -n 3 --dist loadgroup

lint: .venv/.synced
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/mypy

docs: .venv/.synced
	.venv/bin/devforge docs

bench: .venv/.synced
	.venv/bin/python bench/run.py

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

clean:
	rm -rf .venv .tools var
