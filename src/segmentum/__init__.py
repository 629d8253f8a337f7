"""segmentum: a knowledge engine for client segment profiles of public services."""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata when first asked for (importlib.metadata is slow to import)."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("segmentum")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"
