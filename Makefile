# The front door. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
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

$(UV):
	@command -v python3 >/dev/null || { echo "python3 is needed to install uv"; exit 1; }
	python3 -m pip install --user --quiet uv

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
	DEBUG=1 ADMIN_REQUIRE_2FA=0 SITE_URL=http://$(HOST):$(PORT) $(RUN) python manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: install
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(RUN) pytest $(PYTEST_ARGS)

.PHONY: serve
serve: install
	$(RUN) python manage.py migrate --no-input
	$(RUN) python manage.py createcachetable
	$(RUN) python manage.py collectstatic --no-input
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

.PHONY: migrations-check
migrations-check: install
	DEBUG=1 $(RUN) python manage.py makemigrations --check --dry-run
