"""The store interface, kept at its first address: everything now lives in ``graph.stores``.

>>> store = OxigraphStore()
>>> store.post_graph("http://ex/g", b"<http://ex/a> <http://ex/p> <http://ex/b> .", "text/turtle")
True
>>> union = QueryDataset(union_default_graph=True)
>>> store.query("ASK { ?s ?p ?o }", formats=ResultFormats(("text/csv",), ()), dataset=union).body
b'true'
"""

from graph.stores import *  # noqa: F403
from graph.stores import __all__ as __all__
