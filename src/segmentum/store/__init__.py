"""Triple stores: the embedded Oxigraph store, a remote SPARQL 1.1 store, quads, canonical Turtle, SPARQL text.

May import: ``segmentum.i18n``, ``errors``, ``namespaces``, ``resources``, ``output``."""

#: how long a remote store may take, in seconds: to accept a connection, and to answer (--connect-timeout, --read-timeout)
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 120.0
