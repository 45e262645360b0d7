"""bench/bare_flask.py's handler as a WSGI factory, so that gunicorn and granian's own CLI can each
serve it (serve_compare.py compares the two servers on it). Data from RLSKG_DATA.

    RLSKG_DATA=data.trig gunicorn -w 2 -k gthread --threads 4 'bench.bare_app:create()'
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from flask import Flask

from bench.bare_flask import create_app


def create() -> Flask:
    store = ox.Store()
    store.bulk_load(path=os.environ["RLSKG_DATA"])  # format by extension
    return create_app(store)
