"""Inference: rules read from Turtle, compiled and stratified to SPARQL, run to a fixpoint; suggestions and ``profile complete``.

May import: ``segmentum.profiles`` and below."""
