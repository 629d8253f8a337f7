"""segmentum: a knowledge engine for client segment profiles of public services."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("segmentum")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"
