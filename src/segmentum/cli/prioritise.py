"""``segmentum prioritise``: which segments to study first (stage II)."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.cli.base import argument, command, option
from segmentum.cli.common import Invocation, emit, handle_errors, output_option, pass_state
from segmentum.tasks import documents as documents_tasks


@command("prioritise")
@argument("segments_file", metavar="SEGMENTS.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--weights")
@option("-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@output_option
@pass_state
@handle_errors
def prioritise(state: Invocation, segments_file: Path, weights: str | None, fmt: str, output: Path | None) -> None:
    emit(documents_tasks.prioritisation(state.session, segments_file, weights, fmt), output)
