# Vitrine — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Test processes (pytest-xdist); this machine has 2 cores.
TEST_WORKERS ?= 2
export FLASK_APP := wsgi:app

.PHONY: run serve test test-fast e2e-deps screenshots vendor test-sqlite test-postgres lint format install translations lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d marketplace/translations -f 2>/dev/null || \
		$(BIN)/pybabel compile -d marketplace/translations -f

# The demo's shops come from an ODbL data set (Ville de Paris): its open data is shared alike.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	OPEN_DATA_LICENCE="$${OPEN_DATA_LICENCE:-ODbL 1.0}" \
	OPEN_DATA_LICENCE_URL="$${OPEN_DATA_LICENCE_URL:-https://opendatacommons.org/licenses/odbl/}" \
	PORT=$(PORT) $(BIN)/python scripts/dev_server.py

# Production-style serving: gunicorn (gunicorn.conf.py: workers from WEB_CONCURRENCY), on DATABASE_URL.
serve: install
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r . -q
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Debian packages some tests drive: Chromium for the browser tests (tests/e2e) and nginx for the
# slow-client test of the deployment (tests/ops/test_slow_bodies.py). Installed here when missing
# and we are root (or have password-less sudo, as on CI); otherwise those tests skip, saying how
# to enable them.
e2e-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx"; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
		else echo "== Missing$$missing: their tests will be skipped (sudo apt-get install$$missing)"; exit 0; fi; \
		echo "== Installing Debian's$$missing for the browser and deployment tests"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# With TEST_DATABASE_URL the PostgreSQL run goes at the same time as the SQLite one (each waits
# on I/O, browsers and the Stripe emulator often enough that together they finish sooner); its
# report is printed after SQLite's, from .pytest-postgres.log.
test: lint e2e-deps
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== The suite on SQLite, and the same suite on PostgreSQL ($$TEST_DATABASE_URL) alongside"; \
		VITRINE_TEST_DB=postgres $(BIN)/pytest -q -n $(TEST_WORKERS) -p no:cacheprovider \
			> .pytest-postgres.log 2>&1 & postgres_pid=$$!; \
		$(BIN)/pytest -q -n $(TEST_WORKERS); sqlite=$$?; \
		wait $$postgres_pid; postgres=$$?; \
		echo "== The same suite on PostgreSQL ($$TEST_DATABASE_URL)"; cat .pytest-postgres.log; \
		[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]; \
	else \
		$(BIN)/pytest -q -n $(TEST_WORKERS) && \
		echo "== PostgreSQL run skipped: set TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the suite on PostgreSQL too."; \
	fi

screenshots: install e2e-deps
	$(BIN)/python scripts/screenshots.py

# Front-end packages come from the npm registry (versions pinned in package.json / package-lock.json)
# and are committed under static/vendor/ and tests/e2e/vendor/, so `make run` needs no npm.
# Run this after changing a version in package.json.
# The pictograms of shops/pictograms.py (tests/shops/test_pictograms.py checks the two agree).
TABLER_ICONS := apple baby-bottle baby-carriage baguette ball-football basket bath beer book bottle \
	bowl-chopsticks bowl-spoon bread brush building-store cake cake-roll candy carrot cheese \
	chef-hat coffee cookie device-laptop device-mobile diamond dice droplet egg first-aid-kit \
	fish flower glass-champagne glass-cocktail glass-full glass-gin hammer hanger horse-toy \
	ice-cream lamp lemon lollipop meat milk needle needle-thread news paint pencil pepper \
	perfume pill pillow pizza plant puzzle salad salt sausage scissors seedling shirt shoe \
	shopping-bag soup teapot tool tools tools-kitchen-2 vinyl wash wheat
vendor:
	npm ci --no-audit --no-fund --ignore-scripts
	rm -rf static/vendor/leaflet && mkdir -p static/vendor/leaflet tests/e2e/vendor
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
		node_modules/leaflet/dist/images node_modules/leaflet/LICENSE static/vendor/leaflet/
	rm -rf static/vendor/leaflet.markercluster && mkdir -p static/vendor/leaflet.markercluster
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
		node_modules/leaflet.markercluster/dist/MarkerCluster.css static/vendor/leaflet.markercluster/
	cp node_modules/leaflet.markercluster/MIT-LICENCE.txt static/vendor/leaflet.markercluster/LICENSE
	rm -rf static/vendor/tabler-icons && mkdir -p static/vendor/tabler-icons
	for icon in $(TABLER_ICONS); do \
		cp node_modules/@tabler/icons/icons/outline/$$icon.svg static/vendor/tabler-icons/ || exit 1; \
	done
	cp node_modules/@tabler/icons/LICENSE static/vendor/tabler-icons/LICENSE
	rm -rf static/vendor/jsqr && mkdir -p static/vendor/jsqr
	cp node_modules/jsqr/dist/jsQR.js node_modules/jsqr/LICENSE static/vendor/jsqr/
	cp node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
	cp node_modules/axe-core/LICENSE tests/e2e/vendor/axe-core.LICENSE

test-fast: install
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m "not slow and not e2e"

lock:
	$(BIN)/pip freeze --exclude-editable | sed '1i # Full pinned lock of every package the app, the tests and the tools use (pip freeze).\n# Regenerate with: make lock' > requirements.lock

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
