"""The knowledge graph (ABox): sources, association nodes, build, validation, stores."""
