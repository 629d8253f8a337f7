"""Triple stores: the embedded Oxigraph store, a remote SPARQL 1.1 store, quads, canonical Turtle, SPARQL text.

May import: ``segmentum.i18n``, ``errors``, ``namespaces``, ``resources``, ``output``."""
