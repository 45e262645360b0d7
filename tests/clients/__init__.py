"""Third-party SPARQL clients against a real `rlskg serve` over tests/data/service-mini.trig:
SPARQLWrapper and rdflib's SPARQL stores (Python), Comunica and sparql-http-client (JavaScript,
installed into tests/clients/js/ by scripts/client-tests and driven by its .mjs scripts).

- expected.py: what the data holds (its graphs, read with rdflib), for exact assertions.
- js.py: run() a driver script of tests/clients/js/ with the Node.js it installs.
"""
