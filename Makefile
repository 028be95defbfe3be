# The README leads with `make run` and `make test`; everything else here serves those two.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
FAKE_PORT ?= 8765
WORKERS ?= 2

.PHONY: run test demo bench lint format install clean screenshots mutation

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime

# Written once with fresh random keys; an existing .env is never touched.
.env: | $(VENV)/bin/python
	$(PY) -m mjadmin.write_env .env

run: install .env
	umask 077 && mkdir -p var && $(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py first_run_link --base-url http://$(HOST):$(PORT)
	@echo "mjadmin on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	exec $(VENV)/bin/gunicorn mjadmin.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4 --no-control-socket --access-logfile - --logger-class mjadmin.gunicorn_logging.MaskedLinksLogger

# The app against the local fake upstream, with its own database and a seeded demo user.
demo: install .env
	umask 077 && mkdir -p var && \
	  DATABASE_URL=sqlite:///var/demo.sqlite3 $(PY) manage.py migrate --noinput --verbosity 0
	DATABASE_URL=sqlite:///var/demo.sqlite3 $(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL=sqlite:///var/demo.sqlite3 $(PY) -m tests.tool seed_demo
	@echo "Demo on http://$(HOST):$(PORT)/ : sign in as demo (or demo-v2) / demo-password (Ctrl-C to stop)"
	$(PY) -m tests.fakes.fake_vendors --host 127.0.0.1 --port $(FAKE_PORT) --serve-images & \
	fake=$$!; trap 'kill $$fake 2>/dev/null' EXIT INT TERM; \
	DATABASE_URL=sqlite:///var/demo.sqlite3 \
	USEAPI_BASE_URL=http://127.0.0.1:$(FAKE_PORT) APIFRAME_BASE_URL=http://127.0.0.1:$(FAKE_PORT) \
	APIFRAME_V2_BASE_URL=http://127.0.0.1:$(FAKE_PORT)/apiframe-v2 \
	LEGNEXT_BASE_URL=http://127.0.0.1:$(FAKE_PORT)/legnext/api \
	MJ_PROXY_BASE_URL=http://127.0.0.1:$(FAKE_PORT)/mjproxy \
	MEDIA_EXTRA_ORIGINS=http://127.0.0.1:$(FAKE_PORT) \
	$(VENV)/bin/gunicorn mjadmin.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4 --no-control-socket

test: $(VENV)/.dev
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache

# Lookup times as multiples of one upstream call (the fake, 300 ms latency), a teammate's lookup
# during a big one, and pages/s under wrk: one table with targets (README: Performance). As root,
# wrk is installed when missing, as .ci/run does for Chromium.
bench: $(VENV)/.dev
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m tests.bench

# Refresh the README's screenshots (taken by the browser tests from the fake's demo data).
screenshots: $(VENV)/.dev
	MJADMIN_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/browser/test_look.py -k every_page -p no:logging -q

# Mutation testing of the modules that decide behaviour (docs/quality.md), from a clean state.
# Slow (about an hour and a half on 2 cores), so never part of `test` or CI: run it before merging a
# change to one of those modules. The suite waits on sockets and clocks more than it computes,
# so three test processes keep two cores busy.
MUTATION_CHILDREN ?= 3
mutation: $(VENV)/.dev
	rm -rf mutants
	$(PY) -m tests.mutation_run run --max-children $(MUTATION_CHILDREN)
	$(PY) -m tests.mutation_score --fail-under 85
