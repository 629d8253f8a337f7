"""Package data: the query page of segmentum serve."""
