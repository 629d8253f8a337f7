"""The attribute catalogue: lookups by identifier and label, the catalogue files, the expert table, curation.

May import: ``segmentum.validation``, ``segmentum.store`` and below."""
