"""Errors of segmentum: one base class carrying a location, and the exit code for each kind.

The engine raises these and never exits; ``cli.py`` prints ``str(error)`` and exits with
``error.exit_code``. Messages are one line in the form ``file:line:col: error: what; what to do``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses of the ``segmentum`` command."""

    OK = 0
    VIOLATIONS = 1
    BAD_INPUT = 2
    STORE = 3
    INTERNAL = 4


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column; either may be unknown."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class SegmentumError(Exception):
    """Base of all errors; ``location`` and ``hint`` are optional."""

    exit_code = ExitCode.INTERNAL
    label = "error"

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.location}: " if self.location else ""
        tail = f"; {self.hint}" if self.hint else ""
        return f"{head}{self.label}: {self.message}{tail}"


class BadInputError(SegmentumError):
    """The user's input cannot be used: syntax error, unknown term, wrong value."""

    exit_code = ExitCode.BAD_INPUT


class ProfileError(BadInputError):
    """A profile file is malformed or names something the catalogue does not know."""


class SegmentsFileError(ProfileError):
    """A file given as a profile is a SEGMENTS file (``segments:``); a folder of profiles skips it."""


class ProfileErrors(ProfileError):
    """Several profile files are wrong: one line for each, so a folder is fixed in one pass."""

    def __init__(self, errors: list[ProfileError]) -> None:
        first = errors[0]
        super().__init__(first.message, location=first.location, hint=first.hint)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class CatalogueError(BadInputError):
    """A catalogue, ontology or shapes file is malformed."""


class StoreError(SegmentumError):
    """The store cannot be opened, read or written."""

    exit_code = ExitCode.STORE


class NotConformingError(SegmentumError):
    """Profiles do not conform to their stage and the command was asked to be strict."""

    exit_code = ExitCode.VIOLATIONS
