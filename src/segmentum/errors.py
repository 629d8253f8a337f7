"""Errors of segmentum: one base class carrying a location, and the exit code for each kind.

The engine raises these and never exits; ``cli.py`` prints ``str(error)`` and exits with
``error.exit_code``. Messages are one line in the form ``file:line:col: error: what; what to do``,
the word before the message in the user's language (``render(lang)``: «ошибка:» in Russian).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from segmentum.i18n.messages import Lang, text


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


def error_line(location: object | None, message: str, hint: str | None, lang: Lang) -> str:
    """``file:line:col: error: message; hint`` with «error» in ``lang``."""
    head = f"{location}: " if location else ""
    tail = f"; {hint}" if hint else ""
    return f"{head}{text('error.label', lang)}: {message}{tail}"


class SegmentumError(Exception):
    """Base of all errors; ``location`` and ``hint`` are optional."""

    exit_code = ExitCode.INTERNAL

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def render(self, lang: Lang) -> str:
        """The error as the user reads it: one line (a line per error for several), «error» in ``lang``."""
        return error_line(self.location, self.message, self.hint, lang)

    def __str__(self) -> str:
        return self.render(Lang.EN)


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

    def render(self, lang: Lang) -> str:
        return "\n".join(e.render(lang) for e in self.errors)


class CatalogueError(BadInputError):
    """A catalogue, ontology or shapes file is malformed."""


class StoreError(SegmentumError):
    """The store cannot be opened, read or written."""

    exit_code = ExitCode.STORE


class NotConformingError(SegmentumError):
    """Profiles do not conform to their stage and the command was asked to be strict."""

    exit_code = ExitCode.VIOLATIONS
