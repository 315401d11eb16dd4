# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make
DEV_SETTINGS := settings.dev
# Dummy production values, only to let `check --deploy` load production settings; no .env, so it checks the same
# settings on every machine. PORTAL_TRUSTED_PROXIES as docs/operations.md's nginx on the same server needs it: empty,
# /metrics would admit every request that nginx passes on, and the check warns (cms.W003).
DEPLOY_CHECK_ENV := PORTAL_DOTENV=off DJANGO_SETTINGS_MODULE=settings.production SECRET_KEY=deploy-check-$(shell printf '%064d' 0)-not-a-real-secret \
	ALLOWED_HOSTS=portal.example.org DATABASE_URL=sqlite:///$(CURDIR)/.deploy-check.sqlite3 \
	WAGTAILADMIN_BASE_URL=https://portal.example.org DEFAULT_FROM_EMAIL=no-reply@portal.example.org \
	EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_HOST=smtp.example.org CLAMD_ADDRESS=127.0.0.1:3310 \
	PORTAL_TRUSTED_PROXIES=127.0.0.1

.PHONY: run test lint install demo guides clean serve-prod serve-prod-manage bench bench-editor mutate

$(STAMPS):
	mkdir -p $(STAMPS)

$(STAMPS)/python: requirements.txt requirements-dev.txt | $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(STAMPS)/node: package.json package-lock.json | $(STAMPS)
	npm ci --no-fund --no-audit --loglevel=error
	touch $@

cms/static/cms/dist/portal.css: $(STAMPS)/node $(wildcard cms/sass/*.scss)
	npm run --silent build

install: $(STAMPS)/python $(STAMPS)/node cms/static/cms/dist/portal.css

# `make run PORT=8080` when 8000 is taken; the links in the demo's emails follow the port. (A PORT set in your shell
# for another tool does not move the demo.)
PORT := 8000
# A fresh machine gets the demo content once; a second `make run` keeps whatever you changed. Ctrl-C (INT) and TERM
# stop both the same way: the trap sends each a TERM, as a job started with & does not hear Ctrl-C (and the worker
# ignores it until it has started); the worker stops once however many signals reach it (cms/django_q_compat.py).
# When either ends on its own (the port is taken), the other is stopped and make reports the failure with the
# server's exit status: stop waits for the two by id, as a bare `wait` would make bash forget a status it had already
# collected ("not a child of this shell", Error 127). A loop, not `wait -n`, which can miss a job that has already
# ended and wait for ever (tests/test_make_run.py). The trap stops the shell's jobs (`jobs -p`), not the two ids: a
# Ctrl-C as one starts can run the trap before its id is kept, and the trap then left the server running, or waited
# for ever for a worker it had not stopped. The banner is printed once the trap is set: printed by lines of its own
# before it, a Ctrl-C the moment it showed could meet the last `echo`, and make said "*** Interrupt".
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo_content --if-empty
	@stop() { trap "" INT TERM; kill "$$@" 2>/dev/null; wait "$$@"; }; \
	trap 'stop $$(jobs -p); exit 0' INT TERM; \
	echo ""; \
	echo "  Site:            http://127.0.0.1:$(PORT)/"; \
	echo "  Staff admin:     http://127.0.0.1:$(PORT)/admin/"; \
	echo "  Health check:    http://127.0.0.1:$(PORT)/healthz"; \
	echo "  Emails are printed in this terminal. Ctrl-C stops the server and the worker."; \
	echo ""; \
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py qcluster & worker=$$!; \
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload & server=$$!; \
	while kill -0 $$worker 2>/dev/null && kill -0 $$server 2>/dev/null; do sleep 1; done; \
	stop $$worker $$server; exit $$?

# Rebuild the demo content on an existing database (idempotent; overwrites edits to demo pages).
demo: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo_content

# Retake every captured picture of the visual guides from the demo portal (a throwaway database served on 127.0.0.1,
# photographed in Chromium), save them on the guides of this database and publish the guides again; the demo's own
# copies are written to faq/demo_pictures/, which load_demo_content imports on a fresh machine. A database without
# content gets the demo first, whose guides are what is photographed (on a fresh clone there was nothing to retake).
guides: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo_content --if-empty
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py capture_guides --demo-pictures faq/demo_pictures

# The production shape on loopback: two gunicorn app servers (:8001, :8002) and two django-q2 workers, production
# settings, against the local PostgreSQL and Redis (bench/topology.py). Ctrl-C stops all. When 8001 or 8002 is taken,
# `make serve-prod PORT=9001` serves on 9001 and 9002 (`PROD_PORTS=9001,9005` names both); as for `make run`, a PORT
# set in your shell for another tool does not move it.
comma := ,
PROD_PORTS ?= $(if $(filter command line,$(origin PORT)),$(PORT)$(comma)$(shell echo $$(($(PORT) + 1))),8001$(comma)8002)
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_prod
PROD_REDIS_URL ?= redis://127.0.0.1:6379/1
serve-prod: install
	$(PY) manage.py serve_prod --database-url $(PROD_DATABASE_URL) --redis-url $(PROD_REDIS_URL) --ports $(PROD_PORTS)

# One management command against that shape, with its environment (production settings, its database and Redis):
# `make serve-prod-manage ARGS="demo_totp admin@kestrelford.example.org"`.
serve-prod-manage:
	$(PY) -m bench.topology manage --database-url $(PROD_DATABASE_URL) --redis-url $(PROD_REDIS_URL) $(ARGS)

# Benchmarks of that shape (not tests): prints the table and writes docs/performance.md. Loopback only.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/2
bench: install
	$(PY) manage.py bench --database-url $(BENCH_DATABASE_URL) --redis-url $(BENCH_REDIS_URL) $(BENCH_ARGS)

# The 250-question form definition's editor in Debian's Chromium (not a test): DOMContentLoaded, load, and where the
# browser's main thread spends the opening (our scripts, Wagtail's), on a throwaway SQLite database.
EDITOR_BENCH_DB ?= /tmp/portal-bench-editor.sqlite3
bench-editor: install
	DATABASE_URL=sqlite:///$(EDITOR_BENCH_DB) DEBUG=0 DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=sqlite:///$(EDITOR_BENCH_DB) DEBUG=0 DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py bench_editor $(BENCH_ARGS)

# Mutation testing of the guards, not part of `make test` (about 45 minutes on 2 busy cores): mutmut ([tool.mutmut] in
# pyproject.toml) changes each function below in small ways, one mutant at a time, and runs the tests that cover it;
# a mutant no test notices survives. tests/mutation_report.py writes the score and the survivors to docs/testing.md.
# mutants/ is mutmut's working copy (git-ignored), made afresh each run. Functions, as mutmut names them:
MUTATE_FUNCTIONS := \
	portal_pages.access.x_refusal portal_pages.access.x_professional_required \
	portal_pages.access.x?ProfessionalRequiredMixin?dispatch \
	advice_forms.workflow.x* advice_forms.uploads.x?MaxSizeUploadHandler?* \
	cms.upload_names.x?NameCheckingMultiPartParser?* cms.upload_names.x_parse_noting_names \
	advice_forms.uploads.x_checked_upload_parsing cms.pdf_checks.x_pdf_problem \
	advice_forms.selectors.x_requests_for_account advice_forms.selectors.x_request_for_account \
	advice_forms.selectors.x_opens_others_writing advice_forms.selectors.x_documents_for_request \
	advice_forms.selectors.x_document_for_request advice_forms.selectors.x_outcomes_for_request \
	advice_forms.selectors.x_contacts_for_request advice_forms.selectors.x_taxonomy_term_usage \
	advice_forms.selectors.x_answers_using_term advice_forms.selectors.x__answers_name_term
MUTANTS := $(foreach f,$(MUTATE_FUNCTIONS),'$(f)__mutmut_*')
mutate: $(STAMPS)/python
	rm -rf mutants
	PORTAL_TEST_DB_SUFFIX=-mutate $(VENV)/bin/mutmut run --max-children 1 $(MUTANTS)
	$(PY) tests/mutation_report.py docs/testing.md $(MUTANTS)

lint: $(STAMPS)/python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install lint
	DJANGO_SETTINGS_MODULE=settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=settings.test $(PY) manage.py check
	$(DEPLOY_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(STAMPS) $(VENV) node_modules cms/static/cms/dist staticfiles .test-db.sqlite3 .test-db.sqlite3_gw* .deploy-check.sqlite3
