"""The RLS ontology (TBox): its Turtle edit source, release, reasoning and quality checks."""
