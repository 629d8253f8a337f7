"""The segmentum engine: load, store, catalogue, profiles; one job per module."""
