# The two commands a new contributor needs: `make run` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := cd demo && $(PYTHON) manage.py
H5P_PLAYER := courses/h5p/static/lms_h5p/player
SCORM_RUNTIME := courses/scorm/static/lms_scorm/runtime
PYTEST_ARGS ?=
ADDR ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help system system-test install assets messages migrate demo run test test-postgres test-cluster lint format lock bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(PYTHON) -q -r requirements/lock.txt
	$(BIN)/uv pip install --python $(PYTHON) -q --no-deps -e .
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

system: ## install the system packages the demo needs (Debian as root), or say the exact command
	@tools/system_packages.sh run

system-test: ## the same, plus Chromium for the browser tests
	@tools/system_packages.sh test

node_modules/.installed: package.json package-lock.json | system
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(H5P_PLAYER)/.version: node_modules/.installed
	rm -rf $(H5P_PLAYER) && mkdir -p $(H5P_PLAYER)
	cp -R node_modules/h5p-standalone/dist/. $(H5P_PLAYER)/
	mkdir -p $(H5P_PLAYER)/mathjax  # MathJax 2 for H5P.MathDisplay, from the site (a closed area has no CDN)
	cd node_modules/mathjax && cp -R --parents MathJax.js LICENSE extensions localization jax/element jax/input/TeX \
	  jax/output/HTML-CSS/autoload jax/output/HTML-CSS/config.js jax/output/HTML-CSS/jax.js \
	  jax/output/HTML-CSS/imageFonts.js jax/output/HTML-CSS/fonts/TeX fonts/HTML-CSS/TeX/woff fonts/HTML-CSS/TeX/otf \
	  $(CURDIR)/$(H5P_PLAYER)/mathjax/
	node -p "require('./node_modules/h5p-standalone/package.json').version" > $@

$(SCORM_RUNTIME)/.version: node_modules/.installed  # the SCORM 1.2 and 2004 runtime (npm scorm-again)
	rm -rf $(SCORM_RUNTIME) && mkdir -p $(SCORM_RUNTIME)
	cp node_modules/scorm-again/dist/scorm12.min.js node_modules/scorm-again/dist/scorm2004.min.js \
	  node_modules/scorm-again/LICENSE $(SCORM_RUNTIME)/
	node -p "require('./node_modules/scorm-again/package.json').version" > $@

assets: $(H5P_PLAYER)/.version $(SCORM_RUNTIME)/.version ## fetch the H5P player (npm h5p-standalone), MathJax 2 (npm mathjax) and the SCORM runtime (npm scorm-again), pinned, into static files

messages: system install ## compile the translation catalogs
	$(PYTHON) -m django compilemessages --settings=tests.settings --ignore=.venv --ignore=node_modules -v 0

migrate: install assets messages ## migrate the SQLite demo database
	$(PYTHON) tools/demo_db_outdated.py demo/db.sqlite3
	$(MANAGE) migrate --no-input -v 0

demo: migrate ## load the demo data (idempotent)
	$(MANAGE) lms_load_demo

# The address printed on certificate PDFs and in e-mails: where this demo is served (unless already set).
run demo: export WAGTAILADMIN_BASE_URL ?= http://$(ADDR):$(PORT)

run: demo ## set everything up and serve the demo site on $(ADDR):$(PORT) (e.g. PORT=8123 make run)
	$(MANAGE) lms_demo_logins --base-url http://$(ADDR):$(PORT)
	$(MANAGE) runserver $(ADDR):$(PORT)

lint: install ## ruff and the layering contracts (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	cd $(CURDIR) && $(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check . || true

format: install ## ruff format + fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: system-test install assets messages ## set up, then lint, layering contracts, migration check and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run -v 1
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# The PostgreSQL pass leaves out what never reaches the database's differences: the browser tests (tests/e2e/, marker
# e2e: they drive pages whose server code the other tests run on PostgreSQL too) and the host-project install
# (tests/host/, always on a SQLite of its own). `make test` runs both on SQLite.
test-postgres: install assets messages ## the test suite against PostgreSQL (PG* environment variables), browser tests aside
	LMS_TEST_DATABASE=postgres $(BIN)/pytest -m "not cluster and not e2e" --ignore=tests/host $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then exit 1; fi; exit $$rc

test-cluster: install assets messages ## two gunicorn app servers, two workers, PostgreSQL (PG* variables) and Redis (redis-server): tests/cluster/
	$(BIN)/pytest -m cluster tests/cluster $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 1; fi; exit $$rc

lock: ## re-pin requirements/lock.txt from pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements/lock.txt

bench: install assets ## run every benchmark in bench/
	for f in bench/[a-z]*.py; do $(PYTHON) $$f || exit 1; done
