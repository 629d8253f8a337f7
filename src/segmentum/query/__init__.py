"""The named SPARQL query library: reading ``.rq`` files, binding parameters, results for people and machines.

May import: ``segmentum.session`` and below."""
