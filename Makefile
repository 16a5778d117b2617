# The two commands of the README: `make run` (the demo office) and `make test` (every test, SQLite and PostgreSQL).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test system-deps translations lint bench

run: system-deps $(VENV)/.installed
	$(BIN)/kiosk demo
	$(BIN)/kiosk serve

test: system-deps $(VENV)/.installed lint
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --db postgresql

system-deps:
	scripts/install-system-deps

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# After changing a user-visible string: extract, merge into vi/en/zh, translate the .po files, then compile.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k lazy_gettext -o kiosk/translations/messages.pot .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d kiosk/translations

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy $(wildcard kiosk printers)

bench: $(VENV)/.installed
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done
