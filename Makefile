# Two commands do all set-up on a fresh machine:
#   make run   — create .venv, install, build the index on first run, start the app
#   make test  — create .venv, install (with test extras and Chromium), run the test suite
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install browser clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

browser:
	@(command -v chromium >/dev/null 2>&1 && fc-list | grep -qi wqy) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null)

run: install
	$(BIN)/budget-qa serve

test: install browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .budgetqa
