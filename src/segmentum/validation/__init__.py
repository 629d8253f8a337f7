"""Validation: SHACL shapes read from Turtle, compiled to SPARQL and run inside the store; the validation report.

May import: ``segmentum.store`` and below."""
