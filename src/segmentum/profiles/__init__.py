"""Profiles: YAML files with node marks, the profile keys, the data model and the YAML → RDF reader (with
the errors and reading notes it keeps for a file), templates.

May import: ``segmentum.catalogue`` and below."""
