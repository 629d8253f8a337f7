"""Package data: open statistics for first estimates of segment capacity (see README.md)."""
