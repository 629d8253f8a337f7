"""Stage II prioritisation: criteria values, weights, ranking, capacity estimates from open statistics.

May import: ``segmentum.profiles`` and below."""
