"""A catalogue folder changed by one writer at a time, all files or none, even when the writer is killed.

**One writer.** A writer holds an exclusive lock (``flock``) on the file ``.segmentum.lock`` in the
folder from reading the files to writing them, so two edits at once cannot both start from the
same files and lose one change. A second writer waits up to ``SEGMENTUM_LOCK_WAIT`` seconds (30
by default), then gives up with a store error (exit 3) naming the process that holds the lock.
The lock file says who holds it (process, user, host, since when, command); the operating system
releases the lock when that process ends, however it ends, so a killed writer never leaves the
folder locked.

**All files or none.** The new texts are written to temporary files next to the old ones and
synced to disk; then a journal ``.segmentum.journal`` listing them is written whole (renamed into
place); then each temporary file is renamed over its file, and the journal is removed. A writer
killed before the journal is in place leaves the old files (its temporary files are removed by
the next writer); one killed after it leaves the journal, and whoever next takes the lock (a
writer, or a reader that sees the journal) finishes the renames. So the folder is read either
wholly old or wholly new.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from segmentum.errors import BadInputError, Location, StoreError
from segmentum.i18n.messages import Lang, text
from segmentum.output import file_mode

logger = logging.getLogger(__name__)

LOCK = ".segmentum.lock"
JOURNAL = ".segmentum.journal"
#: how long a second writer waits for the lock, in seconds, unless the environment says otherwise
WAIT_ENV = "SEGMENTUM_LOCK_WAIT"
DEFAULT_WAIT = 30.0
_POLL = 0.05

_held = threading.local()  # the folders this thread holds the lock of (the lock is re-entrant within a thread)


def _held_folders() -> dict[Path, int]:
    if not hasattr(_held, "folders"):
        _held.folders = {}
    return _held.folders


def lock_wait() -> float:
    """Seconds a writer waits for the lock: ``SEGMENTUM_LOCK_WAIT``, else 30."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False if another process (or thread) holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: a lock on the file's first byte
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder_line() -> str:
    command = " ".join([Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]])
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return json.dumps({"pid": os.getpid(), "user": user, "host": socket.gethostname(),
                       "since": datetime.now().isoformat(timespec="seconds"), "command": command[:300]}, ensure_ascii=False)


def _holder(fd: int, lang: Lang) -> str:
    """Who holds the lock, as its lock file says."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        who = json.loads(os.read(fd, 4096).decode("utf-8"))
        return text("cat.lock_holder", lang, pid=who["pid"], user=who["user"], host=who["host"],
                    since=who["since"].replace("T", " "), command=who["command"])
    except (OSError, ValueError, KeyError, TypeError):  # taken a moment ago, not yet described
        return text("cat.lock_someone", lang)


@contextmanager
def locked(folder: Path, lang: Lang = Lang.RU, *, wait: float | None = None) -> Iterator[None]:
    """Hold the folder's writer lock; a write a crash cut short is settled first (see the module)."""
    key = Path(folder).resolve()
    held = _held_folders()
    if key in held:
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    path = key / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, file_mode(path))
    except OSError as exc:
        raise BadInputError(text("cat.unwritable", lang, problem=exc.strerror or exc), location=Location(str(folder)),
                            hint=text("cat.unwritable_hint", lang)) from exc
    try:
        seconds = lock_wait() if wait is None else wait
        deadline = time.monotonic() + seconds
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise StoreError(text("cat.locked", lang, holder=_holder(fd, lang)), location=Location(str(folder)),
                                 hint=text("cat.locked_hint", lang, seconds=f"{seconds:g}", env=WAIT_ENV))
            time.sleep(_POLL)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, _holder_line().encode("utf-8"))
        held[key] = 1
        try:
            recover(key, lang)
            yield
        finally:
            del held[key]
            os.ftruncate(fd, 0)  # nobody holds it
    finally:
        os.close(fd)  # and the lock goes with the descriptor


def settle(folder: Path, lang: Lang = Lang.RU) -> None:
    """Before reading a folder: finish a write that a crash cut short, if its journal is there."""
    if (Path(folder) / JOURNAL).exists():
        with locked(folder, lang):
            recover(Path(folder).resolve(), lang)


def recover(folder: Path, lang: Lang = Lang.RU) -> list[str]:
    """Under the lock: finish the write of a journal left behind, and remove the temporary files of a
    write that never got as far as its journal. Returns the names of the files put in place."""
    journal = folder / JOURNAL
    done: list[str] = []
    if journal.exists():
        try:
            entries = [(str(tmp), str(name)) for tmp, name in json.loads(journal.read_text(encoding="utf-8"))["files"]]
        except (OSError, ValueError, KeyError, TypeError):  # a journal is renamed into place whole: not expected
            entries = []
        done = _put_in_place(folder, entries, lang)
        logger.warning(text("cat.recovered", lang, folder=folder, files=", ".join(done) or "—"))
    for stale in [*folder.glob(".*.ttl.*.tmp"), *folder.glob(f"{JOURNAL}.*.tmp")]:
        stale.unlink(missing_ok=True)
    return done


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the system allows a folder to be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _put_in_place(folder: Path, entries: list[tuple[str, str]], lang: Lang) -> list[str]:
    """Rename each staged file over its file (those already renamed are skipped), then drop the journal."""
    done = []
    try:
        for tmp, name in entries:
            if (folder / tmp).exists():
                os.replace(folder / tmp, folder / name)
                done.append(name)
        _sync_folder(folder)
        (folder / JOURNAL).unlink(missing_ok=True)
        _sync_folder(folder)
    except OSError as exc:
        raise BadInputError(text("cat.unwritable", lang, problem=exc.strerror or exc), location=Location(str(folder)),
                            hint=text("cat.journal_hint", lang, journal=JOURNAL)) from exc
    return done


def _stage(folder: Path, name: str, data: bytes, prefix: str | None = None) -> str:
    """``data`` in a new temporary file next to ``name``, synced; returns the temporary file's name."""
    fd, tmp = tempfile.mkstemp(prefix=prefix or f".{name}.", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, file_mode(folder / name))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp).name


def replace_files(folder: Path, files: dict[str, bytes], lang: Lang = Lang.RU) -> list[Path]:
    """Replace the given files of ``folder`` (name → new bytes), all or none, under the folder's lock."""
    folder = Path(folder)
    with locked(folder, lang):
        staged: list[tuple[str, str]] = []
        journal = None
        try:
            for name, data in files.items():
                staged.append((_stage(folder, name, data), name))
            journal = _stage(folder, JOURNAL, json.dumps({"files": staged}).encode("utf-8"), prefix=f"{JOURNAL}.")
            os.replace(folder / journal, folder / JOURNAL)  # from here on, the new files are decided
        except OSError as exc:
            for tmp in [t for t, _ in staged] + ([journal] if journal else []):
                (folder / tmp).unlink(missing_ok=True)
            raise BadInputError(text("cat.unwritable", lang, problem=exc.strerror or exc), location=Location(str(folder)),
                                hint=text("cat.unwritable_hint", lang)) from exc
        _sync_folder(folder)
        _put_in_place(folder, staged, lang)
    return [folder / name for _, name in staged]
