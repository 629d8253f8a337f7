"""``segmentum catalogue …``: browse, check, export, import and edit the attribute catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.catalogue.curation import SourceSpec
from segmentum.cli.base import argument, group, option
from segmentum.cli.common import Invocation, emit, engine_option, fail_unless, format_option, handle_errors, note, output_option, pass_state
from segmentum.i18n.messages import text
from segmentum.reports.terminal import DocFormat, TableFormat
from segmentum.tasks import catalogue as catalogue_tasks
from segmentum.tasks import validate as validate_tasks
from segmentum.validation.report import ReportFormat
from segmentum.validation.validate import Engine

TERM_KINDS = ["statuses", "life-situations", "services", "channels", "acts", "forms", "function-kinds", "stages", "criteria"]
catalogue_dir_option = option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False, path_type=Path))


@group()
def catalogue() -> None:
    pass


@catalogue.command("list")
@option("--status", "status")
@option("--source", "source")
@format_option(TableFormat, "table")
@output_option
@pass_state
@handle_errors
def catalogue_list(state: Invocation, status: str | None, source: str | None, fmt: str, output: Path | None) -> None:
    emit(catalogue_tasks.list_attributes(state.session, status, source, TableFormat(fmt)), output)


@catalogue.command("terms")
@argument("kind", type=click.Choice(TERM_KINDS))
@format_option(TableFormat, "table")
@output_option
@pass_state
@handle_errors
def catalogue_terms(state: Invocation, kind: str, fmt: str, output: Path | None) -> None:
    emit(catalogue_tasks.list_terms(state.session, kind, TableFormat(fmt)), output)


@catalogue.command("show")
@argument("attribute")
@format_option(DocFormat, "text")
@pass_state
@handle_errors
def catalogue_show(state: Invocation, attribute: str, fmt: str) -> None:
    emit(catalogue_tasks.show_attribute(state.session, attribute, DocFormat(fmt)), None)


@catalogue.command("check")
@format_option(ReportFormat, "text")
@engine_option
@pass_state
@handle_errors
def catalogue_check(state: Invocation, fmt: str, engine: str) -> None:
    checked = validate_tasks.check_the_catalogue(state.session, Engine(engine), ReportFormat(fmt))
    emit(checked.shown, None)
    fail_unless(checked.conforms)


# ---------------------------------------------------------------- the expert table

@catalogue.command("export")
@option("-f", "--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@option("-o", "--output", type=click.Path(path_type=Path), required=True)
@catalogue_dir_option
@pass_state
@handle_errors
def catalogue_export(state: Invocation, fmt: str, output: Path, catalogue_dir: Path | None) -> None:
    written = catalogue_tasks.export_table(state.lang, fmt, output, catalogue_dir)
    note(state, text("table.exported", state.lang, files=", ".join(str(p) for p in written)))


@catalogue.command("import")
@argument("table", type=click.Path(path_type=Path))
@option("--apply", "apply_", is_flag=True)
@option("--diff", "show_diff", is_flag=True)
@catalogue_dir_option
@pass_state
@handle_errors
def catalogue_import(state: Invocation, table: Path, apply_: bool, show_diff: bool, catalogue_dir: Path | None) -> None:
    done = catalogue_tasks.import_table(state.lang, table, catalogue_dir, apply=apply_, show_diff=show_diff)
    emit(done.shown, None)
    if done.changed:
        note(state, text("cat.written", state.lang, files=", ".join(done.written)) if apply_ else text("cat.apply_hint", state.lang))


# ---------------------------------------------------------------- edits, each with its source

def _source_options(func):
    """--act/--article, --form/--field or --source: where an edit comes from (one is required)."""
    for decorator in reversed([
        option("--act"),
        option("--article"),
        option("--form"),
        option("--field", "field_ref"),
        option("--source"),
        option("--dry-run", is_flag=True),
        catalogue_dir_option,
    ]):
        func = decorator(func)
    return func


def _curate(state: Invocation, edit: str, *args, catalogue_dir: Path | None, dry_run: bool, kw: dict, **kwargs) -> None:
    """One edit of the catalogue files, checked by the shapes; the diff with ``--dry-run``, else written."""
    source = SourceSpec(act=kw.pop("act"), article=kw.pop("article"), form=kw.pop("form"), field_ref=kw.pop("field_ref"), source=kw.pop("source"))
    done = catalogue_tasks.curate(state.lang, catalogue_dir, edit, *args, dry_run=dry_run, source=source, **kwargs, **kw)
    if dry_run:
        emit(done.diff, None)
        return
    if not state.quiet:
        click.echo(done.changes, nl=False, err=True)
        click.echo(text("cat.written", state.lang, files=", ".join(done.written)), err=True)


@catalogue.command("add-attribute")
@argument("identifier")
@option("--label", "label_ru", required=True)
@option("--label-en", required=True)
@option("--definition", "definition_ru", required=True)
@option("--definition-en", required=True)
@option("--status", "statuses", multiple=True, required=True)
@option("--alt-label", "alt_labels", multiple=True)
@option("--scheme")
@option("--datatype", type=click.Choice(["integer", "decimal", "boolean", "date", "string"]))
@option("--min", "minimum")
@option("--max", "maximum")
@option("--unit")
@option("--multi-valued", is_flag=True)
@option("--file", "file")
@_source_options
@pass_state
@handle_errors
def catalogue_add_attribute(state: Invocation, identifier: str, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    _curate(state, "add_attribute", identifier, catalogue_dir=catalogue_dir, dry_run=dry_run, kw=kw,
            statuses=list(kw.pop("statuses")), alt_labels=list(kw.pop("alt_labels")))


@catalogue.command("add-value")
@argument("attribute")
@argument("identifier")
@option("--label", "label_ru", required=True)
@option("--label-en", required=True)
@option("--alt-label", "alt_labels", multiple=True)
@option("--code")
@_source_options
@pass_state
@handle_errors
def catalogue_add_value(state: Invocation, attribute: str, identifier: str, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    _curate(state, "add_value", attribute, identifier, catalogue_dir=catalogue_dir, dry_run=dry_run, kw=kw, alt_labels=list(kw.pop("alt_labels")))


@catalogue.command("deprecate")
@argument("value")
@option("--replaced-by", "replaced_by", multiple=True, required=True)
@option("--attribute")
@_source_options
@pass_state
@handle_errors
def catalogue_deprecate(state: Invocation, value: str, replaced_by: tuple[str, ...], attribute: str | None, catalogue_dir: Path | None,
                        dry_run: bool, **kw) -> None:
    _curate(state, "deprecate", value, list(replaced_by), catalogue_dir=catalogue_dir, dry_run=dry_run, kw=kw, attribute=attribute)
