# The two commands of the README: `make run` (the demo office) and `make test` (every test, on SQLite and on
# PostgreSQL side by side).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test system-deps translations lint bench

run: system-deps $(VENV)/.installed
	$(BIN)/kiosk demo
	$(BIN)/kiosk serve

test: system-deps $(VENV)/.installed lint
	scripts/test-both-engines $(BIN)/python

system-deps:
	scripts/install-system-deps

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# Each part's strings live in its own catalogue, kiosk/translations/<lang>/LC_MESSAGES/<domain>.po
# (messages: API and core; ticket, display, kiosk, staff). After editing a .po file, compile them all:
translations: $(VENV)/.installed
	for po in kiosk/translations/*/LC_MESSAGES/*.po; do $(BIN)/pybabel compile -i $$po -o $${po%.po}.mo || exit 1; done

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy $(wildcard kiosk printers)
	$(BIN)/lint-imports

bench: $(VENV)/.installed
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done
