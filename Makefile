# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
HOST ?= 127.0.0.1
PORT ?= 5000
# The demo's list of units: 2024 (Hải Dương, three levels) or 2025 (Hải Phòng after the merger, two levels).
EDITION ?= 2024
DEV := APP_ENV=development UNITS_EDITION=$(EDITION)

.PHONY: run test test-sqlite test-postgresql redis translations messages bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations

run: translations
	$(DEV) $(BIN)/flask --app wsgi db upgrade
	$(DEV) $(BIN)/flask --app wsgi seed demo --edition $(EDITION)
	@echo "Open http://$(HOST):$(PORT)"
	$(DEV) $(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: test-sqlite test-postgresql

test-sqlite: $(VENV)/.installed-test translations redis
	TEST_REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest --db=sqlite

test-postgresql: $(VENV)/.installed-test translations redis
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest --db=postgresql

# The sign-in limits are counted in Redis, in the tests as in production; start a throwaway one if none answers.
redis:
	@redis-cli -u $(TEST_REDIS_URL) ping >/dev/null 2>&1 || redis-server --daemonize yes --save "" --appendonly no \
		--bind 127.0.0.1 --port $$(echo $(TEST_REDIS_URL) | sed -E 's#.*:([0-9]+)(/.*)?$$#\1#') >/dev/null
	@for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -u $(TEST_REDIS_URL) ping >/dev/null 2>&1 && break; sleep 0.5; done

# The lazy forms of gettext, ngettext and pgettext; Babel knows the others.
KEYWORDS := -k _l -k _ln:1,2 -k _lp:1c,2

# Refresh the catalogs after changing user-facing text; then translate translations/vi.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) -o translations/messages.pot --no-location --sort-output app
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

bench: $(VENV)/.installed-test
	$(BIN)/python bench/units_subtree.py

clean:
	rm -rf $(VENV) instance/*.db test-artifacts
