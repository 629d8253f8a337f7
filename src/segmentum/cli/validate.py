"""``segmentum validate``: profiles checked by the SHACL shapes of their stage."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.cli.base import command, option
from segmentum.cli.common import Invocation, emit, engine_option, fail_unless, format_option, handle_errors, output_option, pass_state, paths_argument
from segmentum.tasks import validate as validate_tasks
from segmentum.validation.report import ReportFormat
from segmentum.validation.validate import Engine


@command("validate")
@paths_argument
@option("--stage")
@format_option(ReportFormat, "text")
@engine_option
@option("--shapes", "shapes_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option
@pass_state
@handle_errors
def validate(state: Invocation, paths: tuple[Path, ...], stage: str | None, fmt: str, engine: str, shapes_file: Path | None,
             output: Path | None) -> None:
    checked = validate_tasks.validate_files(state.session, list(paths), stage=stage, engine=Engine(engine), shapes_file=shapes_file, fmt=ReportFormat(fmt))
    emit(checked.shown, output)
    if checked.error is not None:  # files that could not be read: their errors are the output (lines, SARIF)
        state.failed = True
        if output is not None:
            click.echo(str(checked.error), err=True)
        click.get_current_context().exit(int(checked.error.exit_code))
    fail_unless(checked.conforms)
