# The two commands of the README:
#   make run   — fresh machine → running site on http://127.0.0.1:8000 with demo data
#   make test  — the whole gate: ruff, Django checks, migrations check, every test
# .ci/run calls `make test` once on SQLite and once on PostgreSQL.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

PORT ?= 8000

.PHONY: run test setup system-deps lint bench stack smoke lock

# Installs from the lock files only: pip itself first, then every package, the transitive
# ones too, each checked against its pinned hash (scripts/lock.sh writes the locks).
$(STAMP): requirements.txt requirements-pip.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-pip.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

# After editing requirements*.in: recompile the lock files (README.md, "Dependencies").
lock: setup
	bash scripts/lock.sh

# Debian packages the browser tests need: chromium and a CJK font so screenshots show Chinese.
system-deps:
	@bash scripts/install_system_deps.sh

# Where `make run` serves: `PORT=8001 make run` picks another port, and a port already
# taken stops the run at once. seed_demo points the Site (API links) at it, the server's
# e-mail links use it through WAGTAILADMIN_BASE_URL. The background worker and the
# scheduler (docs/tasks.md) run next to the server and stop with it.
ADDRESS ?= 127.0.0.1:$(PORT)

run: setup
	@! (exec 3<>/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null || { echo "端口 $(PORT) 已被占用：请先停止占用它的程序，或换一个端口，例如 PORT=8001 make run"; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --site-url http://$(ADDRESS)
	export WAGTAILADMIN_BASE_URL=http://$(ADDRESS); \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(ADDRESS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup system-deps lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	# Two workers for the two cores, whole files per worker so module fixtures are built
	# once, handed out in collection order, which puts the slowest files first
	# (SLOW_FILES_FIRST in tests/conftest.py) so both workers finish together. Tests that
	# commit for real (browser tests, concurrency, backup) run afterwards on their own:
	# they flush the database, which must not happen between other tests
	# (tests/conftest.py marks them flushes_db).
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not flushes_db"
	$(VENV)/bin/pytest -m flushes_db

# Everything of docs/performance.md in one run, each figure next to its floor: statistics
# and exports against raw SQL and write-only writing, the search, and the anonymous pages
# under wrk against a bare floor view on the same gunicorn (needs Debian's wrk and
# redis-server; ports 8311 and 6392 unless BENCH_ARGS says --port / --redis-port).
# A small SQLite database by default; PostgreSQL when DATABASE_URL is set, e.g.
# DATABASE_URL=postgres://… make bench BENCH_ARGS="--points 1000 --years 5 --page-seconds 10"
bench: setup
	$(PY) scripts/bench.py $(BENCH_ARGS)

# The production-like stack on loopback (docs/deployment.md): `make stack` serves it on
# https://127.0.0.1:8180 until Ctrl-C; `make smoke` runs the smoke test against it.
stack: setup
	bash scripts/stack.sh run

smoke: setup
	bash scripts/stack.sh smoke
