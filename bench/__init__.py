"""Benchmarks of the service (not tests: see README.md here).

Scripts: serve_bench.py (`rlskg serve` against its peers, with wrk), serve_profile.py (where it
spends its time), serve_compare.py (WSGI servers, the evaluator pool), load_bench.py (sustained
load), scale_bench.py (each store at growing sizes), cold_start.py, pool_overhead.py; bare_flask.py
and bare_app.py (the bare handler), synthetic.py (a synthetic dataset).

What serve_bench.py and serve_profile.py are made of: servers.py (the servers compared, as
commands), processes.py (each as a process: start, wait until ready, stop), procfs.py (memory and
CPU of a process tree, from /proc), client.py (one HTTP request, SPARQL JSON checked), wrk.py (a
timed cell under wrk), questions.py (the competency questions and their kinds); serve_report.py and
serve_targets.py (the report and the targets). Free ports and waiting for a server to answer come
from tests/support/server.py, shared with the tests.
"""
