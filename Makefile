# rlskg: the two commands of the README are `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= build
YASGUI := service/pages/static/vendor/yasgui/yasgui.min.js

.PHONY: help install install-serve system-deps system-deps-serve serve test test-quick lint typecheck pytest build check docs fmt clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

# What serving needs (rlskg and its runtime dependencies), then the test and lint tools on top.
$(VENV)/.serve: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.serve
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install-serve: $(VENV)/.serve $(YASGUI)  ## create .venv with rlskg and the query UI (what serving needs)

install: $(VENV)/.test $(YASGUI)  ## install-serve, plus the test, lint and type-check tools

# The query UI from package-lock.json (npm ci), copied into service/pages/static/vendor/ (git-ignored).
$(YASGUI): package.json package-lock.json
	bash scripts/vendor-ui

system-deps-serve:  ## install Java (for HermiT) and npm where missing
	bash scripts/system-deps serve

system-deps:  ## system-deps-serve, plus a JDK, the OWL API, Chromium, chromedriver and Virtuoso
	bash scripts/system-deps test

serve: system-deps-serve install-serve  ## build the dataset and serve it (SPARQL endpoint + UI)
	$(BIN)/rlskg build --out $(OUT)
	$(BIN)/rlskg docs --out $(OUT)/docs
	$(BIN)/rlskg serve --out $(OUT)

lint: install  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install  ## mypy --strict
	$(BIN)/mypy

# The JavaScript SPARQL clients that tests/clients drives (npm ci of tests/clients/js/package-lock.json).
CLIENTS_JS := tests/clients/js/node_modules/.package-lock.json
$(CLIENTS_JS): tests/clients/js/package.json tests/clients/js/package-lock.json
	bash scripts/client-tests

pytest: system-deps install $(CLIENTS_JS)  ## the test suite
	$(BIN)/pytest

test: lint typecheck pytest  ## everything CI runs

test-quick: install  ## the tests that need no browser, server process or reasoner (a minute or two)
	$(BIN)/pytest -m "not browser and not server and not reasoner"

build: system-deps-serve install-serve  ## write the dataset, ontology release and VoID into $(OUT)
	$(BIN)/rlskg build --out $(OUT)

check: system-deps install  ## reasoner, SHACL and QC checks
	$(BIN)/rlskg check

docs: install-serve  ## ontology HTML documentation (pyLODE)
	$(BIN)/rlskg docs --out $(OUT)/docs

fmt: install-serve  ## rewrite ontology/rls.ttl in canonical order
	$(BIN)/rlskg fmt

clean:  ## remove build products
	rm -rf $(OUT)
