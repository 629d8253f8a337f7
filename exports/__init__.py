"""Package data: SPARQL CONSTRUCT queries that map the catalogue to other vocabularies (CPSV-AP)."""
