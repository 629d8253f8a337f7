"""Wording: every message, help text, table header and report word in Russian and English, the plural rule, and the ``Lang`` type.

May import: nothing from segmentum; every other subpackage may import it."""
