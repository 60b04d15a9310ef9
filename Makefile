# The front door. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
# uv on the PATH, or where `pip install --user` puts it (~/.local/bin on Linux).
UV ?= $(shell command -v uv 2>/dev/null || echo "$$(python3 -m site --user-base 2>/dev/null || echo $(HOME)/.local)/bin/uv")
RUN := $(UV) run --frozen
PORT ?= 8000
HOST ?= 127.0.0.1
export UV_PYTHON_DOWNLOADS := never

.PHONY: help
help:
	@echo "make run        set up, load the demo borough and serve http://$(HOST):$(PORT)"
	@echo "make test       set up and run the whole test suite"
	@echo "make serve      serve with gunicorn, as in production (needs SECRET_KEY)"
	@echo "make bench      benchmarks on PostgreSQL at county scale"
	@echo "make lint       ruff check and format check"
	@echo "make backup     copy the database to var/backups/"
	@echo "make restore    restore the database from FILE=var/backups/..."
	@echo "make outage-drill  show the site answering 503 while PostgreSQL is down, then recovering"
	@echo "make messages   gather the text to translate into locale/cy/ (LOCALE=... for another language)"
	@echo "make compile-messages  compile the translations in locale/ so the site offers them"

# Debian and Ubuntu mark their Python "externally managed" (PEP 668). A --user install
# leaves the system's packages alone, so pip is told that is fine (older pips ignore it).
$(UV):
	@command -v python3 >/dev/null || { echo "uv is not installed, and python3 is needed to install it."; \
	  echo "Install uv (https://docs.astral.sh/uv/) or python3 with pip, and run this again."; exit 1; }
	@python3 -m pip --version >/dev/null 2>&1 || { echo "uv is not installed, and pip is needed to install it."; \
	  echo "Install pip (for example 'apt-get install python3-pip') or uv itself, and run this again."; exit 1; }
	@echo "uv is not installed: installing it with pip, for this user only."
	PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --user --quiet uv
	@test -x "$(UV)" || { echo "pip installed uv, but not at $(UV): put uv on your PATH and run this again."; exit 1; }

.PHONY: python
python: | $(UV)
	@$(UV) python find $(PYTHON_VERSION) >/dev/null 2>&1 || { \
	  echo "Python $(PYTHON_VERSION) was not found. Install it (for example 'pyenv install $(PYTHON_VERSION)' or your"; \
	  echo "system's python$(PYTHON_VERSION) package) and run this again."; exit 1; }

.venv/.synced: pyproject.toml uv.lock .python-version | python
	$(UV) sync --frozen --all-groups
	@touch $@

.PHONY: install
install: .venv/.synced

.PHONY: run
run: install
	DEBUG=1 ADMIN_REQUIRE_2FA=0 $(RUN) python manage.py migrate --no-input
	DEBUG=1 $(RUN) python manage.py createcachetable
	DEBUG=1 ADMIN_REQUIRE_2FA=0 $(RUN) python manage.py load_demo $(if $(PASSWORD),--password $(PASSWORD))
	# The import worker runs uploaded imports outside web requests; it stops with the server.
	DEBUG=1 ADMIN_REQUIRE_2FA=0 $(RUN) python manage.py run_imports & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	DEBUG=1 ADMIN_REQUIRE_2FA=0 SITE_URL=http://$(HOST):$(PORT) $(RUN) python manage.py runserver $(HOST):$(PORT)

.PHONY: test
# One test process per core (pytest-xdist); PYTEST_WORKERS=0 runs them in this process.
test: install
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(RUN) pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

.PHONY: serve
serve: install
	$(RUN) python manage.py migrate --no-input
	$(RUN) python manage.py createcachetable
	$(RUN) python manage.py collectstatic --no-input
	# One import worker beside gunicorn; in production run it as its own service instead.
	$(RUN) python manage.py run_imports & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(RUN) gunicorn bigsociety.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --timeout 30 --access-logfile -

# Benchmarks on PostgreSQL at county scale, then a bounded load test on 127.0.0.1 (see
# scripts/bench.py). BENCH_DATABASE_URL picks the database; BENCH_ARGS="--regenerate".
.PHONY: bench
bench: install
	$(RUN) --group bench python scripts/bench.py $(BENCH_ARGS)

.PHONY: lint
lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

# Backups (issue 9). They hold personal data; see "Backups and recovery" in the README.
# Settings need a SECRET_KEY to load; a backup signs nothing, so any value does here.
MANAGE_OFFLINE := SECRET_KEY=$${SECRET_KEY:-not-used-by-backups} $(RUN) python manage.py

.PHONY: backup
backup: install
	$(MANAGE_OFFLINE) backup_database

.PHONY: restore
restore: install
	@test -n "$(FILE)" || { echo "Say which backup to restore: make restore FILE=var/backups/..."; exit 1; }
	$(MANAGE_OFFLINE) restore_database "$(FILE)"

.PHONY: outage-drill
outage-drill: install
	scripts/outage_drill.sh

# Translations (README, "Welsh and other languages"). Both need GNU gettext
# (apt-get install gettext). MANAGE_OFFLINE: making messages signs nothing either.
LOCALE ?= cy

.PHONY: messages
messages: install
	mkdir -p locale
	$(MANAGE_OFFLINE) makemessages --locale $(LOCALE) --no-obsolete --ignore var

.PHONY: compile-messages
compile-messages: install
	$(MANAGE_OFFLINE) compilemessages --ignore .venv --ignore var

.PHONY: migrations-check
migrations-check: install
	DEBUG=1 $(RUN) python manage.py makemigrations --check --dry-run
