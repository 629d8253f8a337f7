"""Files in and out: read a user's file within bounds, write results without ever leaving a half-written file behind.

Reading refuses what is not an ordinary file (a device such as ``/dev/zero``, a pipe, a socket), so a
wrong path cannot make a command read forever or wait for a writer, and stops at a size limit.
Writing goes through a temporary file renamed into place; a device or a pipe given as the output
(``-o /dev/null``, ``-o /dev/stdout``) is written into, never replaced by a file. The temporary files
are named after the process that made them, so a later run removes those a killed run left behind.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")


class InputRefused(Exception):
    """A file given as input is not read: ``kind`` is «device», «pipe», «socket» or «too_large».

    For «too_large», ``size`` is what was found (at least ``limit`` + 1) and ``limit`` the most allowed.
    """

    def __init__(self, kind: str, *, size: int | None = None, limit: int | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.size = size
        self.limit = limit


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of an ordinary file of at most ``limit`` bytes.

    Raises ``InputRefused`` for a device, a pipe or a socket (also behind a symbolic link) before
    opening it, and for a file longer than ``limit`` (also one that grows while it is read);
    ``OSError`` as ``open`` does (``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``).
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(st.st_mode):
        raise InputRefused(_kind(st.st_mode))
    # O_NONBLOCK: should the path become a pipe between the check and the opening, opening does not wait
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputRefused(_kind(st.st_mode))
        if st.st_size > limit:
            raise InputRefused("too_large", size=st.st_size, limit=limit)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputRefused("too_large", size=len(data), limit=limit)
    return data


def file_mode(path: Path) -> int:
    """The permissions a written file gets: those of the file it replaces, else the umask's default.

    (``tempfile.mkstemp`` makes files readable by their owner only.)
    """
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


#: temporary files are «.NAME.segmentum-HOST-PID-XXXXXXXX.tmp» next to the file NAME they become
_TEMP_TAG = "segmentum"
_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40] or "host"


def _temp_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.{_TEMP_TAG}-(?P<host>[A-Za-z0-9]*)-(?P<pid>\d+)-[a-z0-9_]{{8}}\.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files for ``target`` that a run on this machine, by this user, left behind
    when it was killed (its process is gone); return them. Others' files and live runs' files stay."""
    if os.name != "posix":  # os.kill(pid, 0) ends the process on Windows
        return []
    folder = target.parent
    pattern = _temp_pattern(target.name)
    removed = []
    try:
        names = [n for n in os.listdir(folder or ".") if n.startswith(f".{target.name}.{_TEMP_TAG}-")]
    except OSError:
        return []
    for name in names:
        m = pattern.fullmatch(name)
        if not m or m.group("host") != _HOST or int(m.group("pid")) == os.getpid() or _alive(int(m.group("pid"))):
            continue
        stale = folder / name
        try:
            if os.lstat(stale).st_uid == os.getuid() and stat.S_ISREG(os.lstat(stale).st_mode):
                stale.unlink()
                removed.append(stale)
        except OSError:
            continue
    return removed


def temp_file(target: Path) -> tuple[int, str]:
    """A new temporary file next to ``target`` (open descriptor, path), named so that a later run can tell it
    is stale; stale ones for ``target`` are removed first."""
    target = Path(target)
    remove_stale_temps(target)
    return tempfile.mkstemp(prefix=f".{target.name}.{_TEMP_TAG}-{_HOST}-{os.getpid()}-", suffix=".tmp", dir=target.parent)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file next to ``path`` and rename it into place.

    Either the whole new content is there afterwards, or the old file is untouched. A symbolic link
    stays a link (the file it points to gets the content); a device, a pipe or a socket is written
    into as a shell's «>» would (``-o /dev/null``), never replaced; a folder raises ``IsADirectoryError``.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_with(path, lambda fh: fh.write(payload))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write_atomic`` of what ``write`` writes into the binary file it is given, as it comes (a result
    of millions of rows is never held whole)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(path, "wb") as fh:
            write(fh)
        return
    path = Path(os.path.realpath(path))
    mode = file_mode(path)
    fd, tmp = temp_file(path)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


#: seconds of work before a progress bar appears (``SEGMENTUM_PROGRESS_DELAY`` says otherwise): shorter work shows none
PROGRESS_DELAY = 1.0
PROGRESS_DELAY_ENV = "SEGMENTUM_PROGRESS_DELAY"


def progress(items: Iterable[T], label: str, *, length: int | None = None) -> Iterator[T]:
    """Yield ``items``; when standard error is a terminal and the work takes longer than ``PROGRESS_DELAY``
    seconds, a progress bar (``label``, done of ``length`` or ``len(items)``) is drawn there meanwhile.
    In a pipe, a file or a CI log nothing is written."""
    total = length if length is not None else len(items) if isinstance(items, Sized) else None
    if not total or not _on_terminal():
        yield from items
        return
    try:
        delay = float(os.environ.get(PROGRESS_DELAY_ENV) or PROGRESS_DELAY)
    except ValueError:
        delay = PROGRESS_DELAY
    started, bar, done = time.monotonic(), None, 0
    try:
        for item in items:
            yield item
            done += 1
            if bar is None and time.monotonic() - started >= delay:
                import click  # only when a bar is drawn

                bar = click.progressbar(length=total, label=label, file=sys.stderr)
                bar.__enter__()
                bar.update(done)
            elif bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _on_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced by an object without a terminal, or closed
        return False
