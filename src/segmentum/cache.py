"""Results computed once and kept in the user's cache folder (``$SEGMENTUM_CACHE``, else
``$XDG_CACHE_HOME/segmentum`` or ``~/.cache/segmentum``): the compiled rules, the catalogue view, the
compiled shapes.

Each file is named by a digest of what decides its content: the package version, the source of every
module that computes it, and the input files (so a new release, an edited module or an edited catalogue
never reads a stale result). A file is written whole or not at all (``write_atomic``) and holds a
digest of its own content: a file that is corrupt, cut short or of another version is ignored and
written afresh. A cache folder that cannot be written only costs the time to compute again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import pickle
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from segmentum import __version__
from segmentum.output import write_atomic

logger = logging.getLogger(__name__)

#: the start of every cache file, then the SHA-256 of the pickled content, then the content
_MAGIC = b"segmentum-cache-1\n"
_DIGEST_SIZE = 32


def cache_dir() -> Path:
    """The user's cache folder for segmentum."""
    base = os.environ.get("SEGMENTUM_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "segmentum")
    return Path(base)


@cache
def code_digest(modules: tuple[str, ...]) -> bytes:
    """The package version and the source of ``modules`` (dotted names); read once per process."""
    h = hashlib.sha256(__version__.encode())
    for module in modules:
        h.update(module.encode())
        h.update(Path(importlib.util.find_spec(module).origin).read_bytes())
    return h.digest()


def files_digest(files: Iterable[Path]) -> bytes:
    """A digest of the names and content of ``files``."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.digest()


def cache_file(kind: str, *parts: bytes | str) -> Path:
    """The cache file of ``kind`` («rules», «catalogue» …) for the digests and texts ``parts``."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return cache_dir() / f"{kind}-{h.hexdigest()[:24]}.pickle"


def read_cache(path: Path) -> object | None:
    """The object kept in ``path``; None when there is none, or it is corrupt, cut short or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST_SIZE
    if not data.startswith(_MAGIC) or len(data) < head or hashlib.sha256(data[head:]).digest() != data[len(_MAGIC):head]:
        logger.debug("ignoring the damaged cache file %s", path)
        return None
    try:
        return pickle.loads(data[head:])
    except Exception:  # a class renamed since: computed afresh
        logger.debug("ignoring the unreadable cache file %s", path)
        return None


def write_cache(path: Path, value: object) -> None:
    """Keep ``value`` in ``path``, whole or not at all; a folder that cannot be written is left alone."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _MAGIC + hashlib.sha256(payload).digest() + payload)
    except OSError as exc:
        logger.debug("cannot write the cache file %s: %s", path, exc)
