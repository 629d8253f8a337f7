"""Progress bars on standard error: drawn on a terminal (a real pseudo-terminal here) once the work takes
longer than the delay, never into a pipe; the command's output stays the same either way."""

from __future__ import annotations

import os
import pty
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from segmentum.output import PROGRESS_DELAY_ENV, progress
from segmentum.profiles.reader import load_profiles
from segmentum.session import Session

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "profiles"


def _read_all(fd: int, stream) -> bytes:
    """What the other side wrote: a terminal passes it on a moment later, so wait until it stops coming."""
    if not stream.isatty():  # a pipe: all of it, once the writer is closed
        stream.close()
    out = b""
    while select.select([fd], [], [], 0.2 if stream.closed is False else 0)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # a pty's master reads EIO once the other side is closed
            break
        if not chunk:
            break
        out += chunk
    return out


@contextmanager
def stderr_on(kind: str) -> Iterator[list[str]]:
    """Standard error on the slave side of a pseudo-terminal (``terminal``) or into a pipe (``pipe``) within the
    block (set here, as pytest sets its own between a fixture and the test); the list gets what was written."""
    if kind == "terminal":
        reader, writer = pty.openpty()
    else:
        reader, writer = os.pipe()
    stream = os.fdopen(writer, "w", encoding="utf-8", buffering=1)
    written: list[str] = []
    saved, sys.stderr = sys.stderr, stream
    try:
        yield written
    finally:
        sys.stderr = saved
        stream.flush()
        written.append(_read_all(reader, stream).decode("utf-8", errors="replace"))
        os.close(reader)


def test_a_bar_on_a_terminal_once_the_work_takes_long(monkeypatch) -> None:
    monkeypatch.setenv(PROGRESS_DELAY_ENV, "0")
    with stderr_on("terminal") as drawn:
        assert list(progress(range(5), "Работа")) == [0, 1, 2, 3, 4]
    assert "Работа" in drawn[0] and "100%" in drawn[0]


def test_no_bar_for_short_work() -> None:
    with stderr_on("terminal") as drawn:
        assert list(progress(range(5), "Работа")) == [0, 1, 2, 3, 4]  # the delay is a second
    assert drawn == [""]


def test_no_bar_in_a_pipe(monkeypatch) -> None:
    monkeypatch.setenv(PROGRESS_DELAY_ENV, "0")
    with stderr_on("pipe") as written:
        assert list(progress(range(5), "Работа")) == [0, 1, 2, 3, 4]
    assert written == [""]


def test_loading_a_folder_shows_its_bar_on_a_terminal_only(shared: Session, monkeypatch) -> None:
    monkeypatch.setenv(PROGRESS_DELAY_ENV, "0")
    with stderr_on("terminal") as drawn:
        on_terminal = load_profiles([EXAMPLES], shared.catalogue)
    assert "Чтение профилей" in drawn[0] and "100%" in drawn[0]
    with stderr_on("pipe") as written:
        into_pipe = load_profiles([EXAMPLES], shared.catalogue)
    assert written == [""]
    assert [p.triples for p in into_pipe] == [p.triples for p in on_terminal]
