# rlskg: the two commands of the README are `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= build
YASGUI := service/pages/static/vendor/yasgui/yasgui.min.js

.PHONY: help install system-deps serve test lint typecheck pytest build check docs fmt clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/rlskg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/rlskg $(YASGUI)  ## create .venv, install rlskg with its test tools, and the query UI

# The query UI from package-lock.json (npm ci), copied into service/pages/static/vendor/ (git-ignored).
$(YASGUI): package.json package-lock.json
	bash .ci/vendor-ui

system-deps:  ## install Java, Chromium, chromedriver, npm and Virtuoso where missing
	bash .ci/system-deps

serve: install system-deps  ## build the dataset and serve it (SPARQL endpoint + UI)
	$(BIN)/rlskg build --out $(OUT)
	$(BIN)/rlskg docs --out $(OUT)/docs
	$(BIN)/rlskg serve --out $(OUT)

lint: install  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install  ## mypy --strict
	$(BIN)/mypy

pytest: install system-deps  ## the test suite
	$(BIN)/pytest

test: lint typecheck pytest  ## everything CI runs

build: install  ## write the dataset, ontology release and VoID into $(OUT)
	$(BIN)/rlskg build --out $(OUT)

check: install system-deps  ## reasoner, SHACL and QC checks
	$(BIN)/rlskg check

docs: install  ## ontology HTML documentation (pyLODE)
	$(BIN)/rlskg docs --out $(OUT)/docs

fmt: install  ## rewrite ontology/rls.ttl in canonical order
	$(BIN)/rlskg fmt

clean:  ## remove build products
	rm -rf $(OUT)
