# Vitrine — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Test processes (pytest-xdist); this machine has 2 cores.
TEST_WORKERS ?= 2
export FLASK_APP := wsgi:app

.PHONY: run test test-fast e2e-deps screenshots test-sqlite test-postgres lint format install translations lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d marketplace/translations -f 2>/dev/null || \
		$(BIN)/pybabel compile -d marketplace/translations -f

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	PORT=$(PORT) $(BIN)/python scripts/dev_server.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests drive Debian's Chromium: installed here when missing and we are root;
# otherwise tests/e2e skips with a message saying how to enable them.
e2e-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "== Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

test: lint e2e-deps
	$(BIN)/pytest -q -n $(TEST_WORKERS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== The same suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		VITRINE_TEST_DB=postgres $(BIN)/pytest -q -n $(TEST_WORKERS); \
	else \
		echo "== PostgreSQL run skipped: set TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the suite on PostgreSQL too."; \
	fi

screenshots: install e2e-deps
	$(BIN)/python scripts/screenshots.py

test-fast: install
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m "not slow and not e2e"

lock:
	$(BIN)/pip freeze --exclude-editable | sed '1i # Full pinned lock of every package the app, the tests and the tools use (pip freeze).\n# Regenerate with: make lock' > requirements.lock

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
