"""``segmentum serve``: the hardened SPARQL 1.1 Protocol endpoint (Starlette), its query workers.

May import: ``segmentum.session`` and below."""
