"""Profiles: YAML files with node marks, the profile keys, the data model and the YAML → RDF reader, templates.

May import: ``segmentum.catalogue`` and below."""
