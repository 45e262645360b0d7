"""What the tests share besides fixtures (fixtures live in the conftest.py files: tests/conftest.py
for every folder, tests/<folder>/conftest.py for one). Test modules import these; no test module
imports a conftest.py or another test module.

- data.py: where the test data lives (tests/data/: fixture sources and ontologies, the service's
  small dataset; the competency questions' expected rows).
- graph.py: build(), the quiet graph build of the fixture sources.
- service.py: the service in-process: make_app() over tests/data/service-mini.trig, its constants
  (DATA, TOKEN, GRAPH, RLS, TRIPLES, COUNT), bearer(), parse(), count() and snapshot().
- server.py: real server processes: free_port(), start_process() and wait_until_answering()
  (start a process, wait until an HTTP URL answers; bench/ uses them too), stop_process() and
  stop_process_tree(); and `rlskg serve` over the same data: Server, start(), stop(),
  descendants(), running_process(), RUNAWAY.
- stores.py: the remote stores of the store tests: OxigraphServer, start_oxigraph(),
  VirtuosoServer, start_virtuoso().
- browser.py: BROWSER (a browser's Accept header), Site and screenshot() for the browser tests.
- rdfxml.py: hostile RDF/XML: document() with a DOCTYPE, laughs() (nested entities).
- ontology_variants.py: broken copies of an ontology for the ontology tests.
"""
