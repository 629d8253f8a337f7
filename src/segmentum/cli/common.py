"""What every command shares: the invocation's state, error handling, output and common options.

Errors of the library (``SegmentumError``) are printed as one line ``file:line:col: error: …`` and
mapped to their exit code (0 ok, 1 violations, 2 bad input, 3 store, 4 internal error); anything
else is an internal error, with the traceback only at ``-vv``.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import BinaryIO

import click

from segmentum.cli.base import argument, current_lang, option
from segmentum.errors import BadInputError, ExitCode, Location, SegmentumError
from segmentum.i18n.messages import Lang, text
from segmentum.output import write_atomic, write_atomic_with


class _LevelInLanguage(logging.Formatter):
    """``level: message``, the level's word in the invocation's language («предупреждение: …»)."""

    def format(self, record: logging.LogRecord) -> str:
        level = "error" if record.levelno >= logging.ERROR else record.levelname.lower()  # CRITICAL is an error too
        line = f"{text('log.' + level, current_lang())}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class Invocation:
    """What every command needs: language, store folder, verbosity; the session is opened lazily.

    Made from the global options; ``override`` takes those written after the command (they win).
    """

    def __init__(self, options: dict) -> None:
        self._options = dict(options)
        self._session = None
        self.failed = False  # the command has reported an error
        self._configure()

    def override(self, values: dict) -> None:
        self._options.update(values)
        self._configure()
        if {"verbose", "quiet"} & values.keys():
            logging.getLogger().setLevel(self._log_level())

    def _log_level(self) -> int:
        return logging.ERROR if self.quiet else logging.WARNING if not self.verbose else logging.INFO if self.verbose == 1 else logging.DEBUG

    def _configure(self) -> None:
        o = self._options
        self.lang = Lang(o["lang"])
        self.store_dir, self.verbose, self.quiet = o["store"], o["verbose"], o["quiet"]
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_LevelInLanguage())
        logging.basicConfig(level=self._log_level(), handlers=[handler])
        self.endpoint = None  # a store.remote.Endpoint, or None for the embedded store
        if o["endpoint"]:
            if self.store_dir is not None:
                raise click.UsageError(text("cli.store_and_endpoint", self.lang))
            from segmentum.store.remote import Endpoint  # httpx only when a remote store is asked for

            self.endpoint = Endpoint(o["endpoint"], o["update_endpoint"], o["user"], o["password"],
                                     token=os.environ.get("SEGMENTUM_ENDPOINT_TOKEN"), graph_store_url=o["graph_store"],
                                     connect_timeout=o["connect_timeout"], read_timeout=o["read_timeout"])

    @property
    def in_memory(self) -> bool:
        """Whether the store lives only as long as this command (no ``--store``, no ``--endpoint``)."""
        return self.store_dir is None and self.endpoint is None

    @property
    def session(self):
        if self._session is None:
            from segmentum.session import open_session

            self._session = open_session(self.store_dir, lang=self.lang, endpoint=self.endpoint)
        return self._session

    def close(self) -> None:
        """Release the store. A store that cannot write out its last changes (a full disk) is reported
        like any store error, in one line with exit 3, unless the command has already reported one."""
        if self._session is None:
            return
        session, self._session = self._session, None
        try:
            session.store.close()
        except SegmentumError as exc:
            if self.failed:
                return
            self.failed = True
            click.echo(exc.render(current_lang()), err=True)
            raise click.exceptions.Exit(int(exc.exit_code)) from None


def handle_errors(func):
    """Print library errors as one line and exit with their code; tracebacks only with -vv."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        state = ctx.find_object(Invocation)
        verbose = state.verbose if state else 0
        try:
            return func(*args, **kwargs)
        except SegmentumError as exc:
            if verbose >= 2:
                traceback.print_exc()
            if state:
                state.failed = True
            click.echo(exc.render(current_lang()), err=True)
            ctx.exit(int(exc.exit_code))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if verbose >= 2:
                traceback.print_exc()
            if state:
                state.failed = True
            click.echo(text("cli.internal_error", current_lang(), kind=exc.__class__.__name__, error=exc), err=True)
            ctx.exit(int(ExitCode.INTERNAL))

    return wrapper


def emit(data: str | bytes | Callable[[BinaryIO], object], output: Path | None) -> None:
    """Print to stdout, or write atomically to ``output``; a write that fails (no such folder, no right to
    write, a full disk, stdout to ``/dev/full`` or a closed pipe) is bad input, exit 2, with the reason.
    ``data`` may be what writes into a binary file as the data comes (a query's results, row by row)."""
    lang = current_lang()
    if output is None:
        try:
            if callable(data):
                sys.stdout.flush()
                data(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                click.echo(data.decode("utf-8") if isinstance(data, bytes) else data, nl=False)
            sys.stdout.flush()
        except OSError as exc:
            _drop_stdout()
            raise BadInputError(text("out.cannot_write_stdout", lang, problem=exc.strerror or exc), hint=text("out.stdout_hint", lang)) from None
        return
    try:
        if callable(data):
            write_atomic_with(output, data)
        else:
            write_atomic(output, data)
    except OSError as exc:
        raise BadInputError(text("out.cannot_write", lang, problem=exc.strerror or exc), location=Location(str(output)),
                            hint=text("out.hint", lang)) from None


def _drop_stdout() -> None:
    """Point stdout at the null device, so that what it still buffers does not fail again when Python exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's runner)
        pass


def note(state: Invocation, message: str) -> None:
    """A line for the user on stderr, unless ``-q``."""
    if not state.quiet:
        click.echo(message, err=True)


def fail_unless(conforms: bool) -> None:
    """Exit 1 when what was checked does not conform."""
    if not conforms:
        click.get_current_context().exit(int(ExitCode.VIOLATIONS))


def format_option(choices: type[Enum], default: str | None, *names: str):
    """``-f/--format`` with the values of an enum of the library."""
    return option(*(names or ("-f", "--format")), "fmt", type=click.Choice([c.value for c in choices]), default=default,
                  show_default=default is not None)


output_option = option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
paths_argument = argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
optional_paths_argument = argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
rules_option = option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
pass_state = click.make_pass_decorator(Invocation)
engine_option = option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True)
