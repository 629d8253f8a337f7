"""``segmentum load`` and ``segmentum export``: profiles into the store, the store out as RDF."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.cli.base import command, option
from segmentum.cli.common import Invocation, emit, format_option, handle_errors, note, optional_paths_argument, output_option, pass_state, paths_argument
from segmentum.i18n.messages import text
from segmentum.store.export import ExportFormat
from segmentum.tasks import store as store_tasks


@command("load")
@paths_argument
@pass_state
@handle_errors
def load(state: Invocation, paths: tuple[Path, ...]) -> None:
    s = state.session
    n = store_tasks.load_into_store(s, list(paths))
    note(state, text("loaded", s.lang, n=n, triples=len(s.store)))


@command("export")
@optional_paths_argument
@format_option(ExportFormat, "ttl")
@option("--no-ontology", is_flag=True)
@option("--no-catalogue", is_flag=True)
@option("--as", "vocabulary", type=click.Choice(["segmentum", "cpsv-ap"]), default="segmentum", show_default=True)
@output_option
@pass_state
@handle_errors
def export(state: Invocation, paths: tuple[Path, ...], fmt: str, no_ontology: bool, no_catalogue: bool, vocabulary: str, output: Path | None) -> None:
    emit(store_tasks.export_store(state.session, list(paths), ExportFormat(fmt), vocabulary=vocabulary, ontology=not no_ontology,
                            catalogue=not no_catalogue), output)
