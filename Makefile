# Guiyan (归雁). `make run` starts the whole system with demo data; `make test` runs every test.
SHELL := bash
# uv from PATH, else a private copy installed from PyPI on first use.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
# The browser tests drive Debian's Chromium (tests/browser/chromium.py installs it); Playwright
# must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: screenshots run test contracts docs messages migration sync lint clean bench-solver bench-solver-quick bench-e2e bench-compile bench-import reliability env wheelhouse test-compose

run: sync
	$(UV) run guiyan-run

test: sync
	$(UV) run pytest

contracts: sync
	$(UV) run python -m guiyan_contracts.export contracts/schemas

# The portal's gettext catalogue, from the `_()`, `N_()` and `ngettext()` calls in its code and
# templates: new messages come in untranslated, gone ones leave. Translate them in messages.po.
PORTAL := services/portal/src/guiyan_portal
messages: sync
	mkdir -p var
	$(UV) run pybabel extract --no-location --sort-output -F services/portal/babel.cfg \
		-o var/messages.pot $(PORTAL)
	$(UV) run pybabel update --no-fuzzy-matching --ignore-pot-creation-date --ignore-obsolete -i var/messages.pot \
		-d $(PORTAL)/locale -l zh_CN

# A new revision of a service's migrations, written from its models: read it before committing
# it (docs/migrations.md). make migration SERVICE=matching MESSAGE="a project's tags"
migration: sync
	@test -n "$(SERVICE)" -a -n "$(MESSAGE)" || { echo 'usage: make migration SERVICE=<service> MESSAGE="<what changes>"'; exit 2; }
	$(UV) run python -m guiyan_eventing.migrations.revision "$(SERVICE)" "$(MESSAGE)"

# The access matrix and the bus's permissions, written into docs/security.md.
docs: sync
	$(UV) run python tests/e2e/access_matrix.py docs/security.md

# Optimiser against greedy, HiGHS and the LP bound: generated shapes and the public GAP sets,
# with the acceptance targets judged PASS or MISS. The quick one: each shape small, two GAP instances.
bench-solver: sync
	$(UV) run guiyan-bench-solver --suite full --out bench-results/solver.json

bench-solver-quick: sync
	$(UV) run guiyan-bench-solver --suite quick --out bench-results/solver-quick.json

# The whole system on real NATS: 1,000 projects against 60 parks, then 5,000 against 300; then a
# province (10,000 against 1,000) planned once through matching's planning functions.
bench-e2e: sync
	$(UV) run guiyan-bench-e2e --out bench-results/e2e.json

# Matching's rules compiling 1,000 × 60, 5,000 × 300 and a province, in arrays and pair by pair.
bench-compile: sync
	$(UV) run guiyan-bench-compile --out bench-results/compile.json

# A 5,000-row ledger against a 500-row one: the dry run and the import over HTTP, peak memory,
# and the time until matching lists every row.
bench-import: sync
	$(UV) run guiyan-bench-import --out bench-results/import.json

# The scale-out tests (matching's leases, a 3-node NATS cluster), then fault scenarios during a
# burst, on SQLite and on a PostgreSQL cluster of its own; one table.
# Narrow it with ARGS, e.g. make reliability ARGS="--store sqlite --scenarios poison --seed 7".
reliability: sync
	$(UV) run pytest tests/reliability/tests -m reliability -q
	$(UV) run guiyan-reliability $(ARGS)

# The README's pictures of the main pages, taken by the browser tests in Chinese.
SHOWN := sign-in-phone dashboard-desktop projects-desktop project-desktop proposal-page-phone my-park-phone new-project-phone users-desktop chain-map-desktop import-desktop leads-phone person-phone people-desktop station-desktop tasks-desktop inbox-phone channels-phone
screenshots: sync
	$(UV) run pytest tests/browser/test_every_page.py tests/browser/test_chain_map.py tests/browser/test_dashboard.py tests/browser/test_ledgers.py tests/browser/test_people.py tests/browser/test_notifications.py -q
	mkdir -p docs/screenshots
	for name in $(SHOWN); do cp test-artifacts/screenshots/$$name.png docs/screenshots/; done

# docker compose (deploy/README.md): `.env` with fresh secrets, completed but never overwritten;
# the wheels the images install, made here so that no image build reaches the network.
env: sync
	$(UV) run python -m guiyan_devstack.compose_env .env

wheelhouse: sync
	UV=$(UV) deploy/scripts/build-wheelhouse.sh

# The whole system in docker compose, on images built from a Debian base made here (no image
# registry is needed), driven through the published portal; then its cluster profile
# (docker-compose.cluster.yml). Installs and starts Docker if absent.
COMPOSE_TEST := var/compose-test
test-compose: export BASE_IMAGE := guiyan-base:bookworm
test-compose: export IMAGE_TAG := compose-test
test-compose: export COMPOSE_ENV_FILE := $(COMPOSE_TEST)/.env
test-compose: sync
	deploy/scripts/ensure-docker.sh
	deploy/scripts/build-base-image.sh
	UV=$(UV) deploy/scripts/build-wheelhouse.sh
	rm -f $(COMPOSE_ENV_FILE)
	$(UV) run python -m guiyan_devstack.compose_env $(COMPOSE_ENV_FILE)
	docker-compose --env-file $(COMPOSE_ENV_FILE) --profile demo build
	$(UV) run pytest tests/compose -p no:cacheprovider --ignore=tests/compose/test_cluster.py
	$(UV) run pytest tests/compose/test_cluster.py -p no:cacheprovider

lint: sync
	$(UV) run ruff check .

sync: $(UV)
	$(UV) sync --locked --quiet

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

clean:
	rm -rf var .pytest_cache
