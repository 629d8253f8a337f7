"""``segmentum report``: the filled profile template (DOCX, HTML, Markdown)."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.cli.base import argument, command, option
from segmentum.cli.common import Invocation, emit, handle_errors, pass_state
from segmentum.reports.model import ReportFormat
from segmentum.tasks import documents as documents_tasks


@command("report")
@argument("paths", metavar="PROFILE...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("-f", "--format", "fmt", type=click.Choice([f.value for f in ReportFormat]), default=None)
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@option("--segments", "segments_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--strict", is_flag=True)
@option("--appendix", is_flag=True)
@option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_state
@handle_errors
def report(state: Invocation, paths: tuple[Path, ...], fmt: str | None, output: Path | None, segments_file: Path | None, strict: bool,
           appendix: bool, template: Path | None) -> None:
    chosen = documents_tasks.report_format(ReportFormat(fmt) if fmt else None, output, state.lang)
    data = documents_tasks.make_report(state.session, list(paths), chosen, segments_file=segments_file, strict=strict,
                                       appendix=appendix, template=template)
    emit(data, output)  # a write that fails is bad input there
