"""The SPARQL service and the command line."""
