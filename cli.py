"""The ``segmentum`` command: a thin layer over ``segmentum.engine``.

Each command parses its options, calls the engine and prints the result to stdout; diagnostics
go to stderr. Errors are printed as one line ``file:line:col: error: …`` and mapped to exit codes
(0 ok, 1 violations, 2 bad input, 3 store, 4 internal error). Heavy imports happen inside the
commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from pathlib import Path

import click

LANGS = ["ru", "en"]


class Context:
    """What every command needs: language, store folder, verbosity; the session is opened lazily."""

    def __init__(self, lang: str, store: Path | None, verbose: int, quiet: bool, endpoint=None) -> None:
        self.lang = lang
        self.store_dir = store
        self.verbose = verbose
        self.quiet = quiet
        self.endpoint = endpoint  # a remote_store.Endpoint, or None for the embedded store
        self._session = None

    @property
    def session(self):
        if self._session is None:
            from segmentum.engine.messages import Lang
            from segmentum.engine.session import open_session

            self._session = open_session(self.store_dir, lang=Lang(self.lang), endpoint=self.endpoint)
        return self._session

    def set_lang(self, lang: str | None) -> None:
        """A command's own ``--lang`` (written after the command) wins over the global one."""
        if lang is not None and self._session is None:
            self.lang = lang

    def close(self) -> None:
        if self._session is not None:
            self._session.store.close()
            self._session = None


def handle_errors(func):
    """Print engine errors as one line and exit with their code; tracebacks only with -vv."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from segmentum.engine.errors import ExitCode, SegmentumError

        ctx = click.get_current_context()
        verbose = ctx.find_object(Context).verbose if ctx.find_object(Context) else 0
        try:
            return func(*args, **kwargs)
        except SegmentumError as exc:
            if verbose >= 2:
                traceback.print_exc()
            click.echo(str(exc), err=True)
            ctx.exit(int(exc.exit_code))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if verbose >= 2:
                traceback.print_exc()
            click.echo(f"internal error: {exc.__class__.__name__}: {exc} (run with -vv for the traceback)", err=True)
            ctx.exit(int(ExitCode.INTERNAL))

    return wrapper


def emit(data: str, output: Path | None) -> None:
    """Print to stdout, or write atomically to ``output``."""
    if output is None:
        click.echo(data, nl=False)
        return
    from segmentum.engine.output import write_atomic

    write_atomic(output, data)


lang_option = click.option("--lang", "lang", type=click.Choice(LANGS), default=None, help="Language of the output (same as the global --lang).")
output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout (atomically).")


class _Commands(click.Group):
    """The top-level group: a command of a sub-group typed without it («segmentum show») names the full command."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            name = args[0] if args else ""
            owners = [g for g, cmd in self.commands.items() if isinstance(cmd, click.Group) and name in cmd.commands]
            if owners:
                raise click.UsageError(f"No such command '{name}'. Did you mean " + " or ".join(f"'{g} {name}'" for g in owners) + "?", ctx) from None
            raise


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGS), default="ru", show_default=True, help="Language of labels and messages.")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None, help="Keep the triple store on disk in this folder (default: in memory).")
@click.option("--endpoint", envvar="SEGMENTUM_ENDPOINT", metavar="URL", help="Use a remote SPARQL 1.1 store at this query URL instead of the embedded one.")
@click.option("--update-endpoint", envvar="SEGMENTUM_UPDATE_ENDPOINT", metavar="URL", help="The remote store's SPARQL update URL (needed to load profiles).")
@click.option("--graph-store", envvar="SEGMENTUM_GRAPH_STORE", metavar="URL", help="The remote store's Graph Store Protocol URL (optional: faster loads and exports).")
@click.option("--user", envvar="SEGMENTUM_ENDPOINT_USER", help="User name for the remote store (HTTP basic authentication).")
@click.option("--password", envvar="SEGMENTUM_ENDPOINT_PASSWORD", help="Password for the remote store; better set SEGMENTUM_ENDPOINT_PASSWORD.")
@click.option("-v", "--verbose", count=True, help="More diagnostics on stderr; -vv shows tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="No diagnostics on stderr.")
@click.version_option(package_name="segmentum")
@click.pass_context
def main(ctx: click.Context, lang: str, store: Path | None, endpoint: str | None, update_endpoint: str | None,
         graph_store: str | None, user: str | None, password: str | None, verbose: int, quiet: bool) -> None:
    """segmentum: client segment profiles of public services — ontology, attribute catalogue, profiles.

    \b
    Example:
      segmentum catalogue list --status business
    """
    level = logging.WARNING if not verbose else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=logging.ERROR if quiet else level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    remote = None
    if endpoint:
        if store is not None:
            raise click.UsageError("--store and --endpoint exclude each other: the store is either on disk here or remote")
        from segmentum.engine.remote_store import Endpoint

        remote = Endpoint(endpoint, update_endpoint, user, password, token=os.environ.get("SEGMENTUM_ENDPOINT_TOKEN"),
                          graph_store_url=graph_store)
    ctx.obj = Context(lang, store, verbose, quiet, remote)
    ctx.call_on_close(ctx.obj.close)


# ---------------------------------------------------------------- catalogue

@main.group()
def catalogue() -> None:
    """Browse the attribute catalogue: attributes, values, statuses and their legal sources.

    \b
    Example:
      segmentum catalogue list --status citizen
    """


def _resolve(session, kind: str, value: str) -> str:
    from segmentum.engine.catalogue import LookupFailure
    from segmentum.engine.messages import text

    try:
        return session.catalogue.resolve(kind, value, session.lang)
    except LookupFailure as exc:
        raise exc.as_error(text(f"kind.{kind}", session.lang), session.lang, local_id=session.catalogue.local_id) from None


@catalogue.command("list")
@click.option("--status", "status", help="Only attributes of this status (citizen, business, internal, or a label).")
@click.option("--source", "source", help="Only attributes supported by this legal act or form (e.g. 209-ФЗ, 088/у).")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@output_option
@click.pass_obj
@handle_errors
def catalogue_list(obj: Context, status: str | None, source: str | None, fmt: str, output: Path | None) -> None:
    """List attributes with their statuses, values and legal sources.

    \b
    Example:
      segmentum catalogue list --status business --source 209-ФЗ --format csv
    """
    from segmentum.engine.render import TableFormat, attribute_rows, render_table

    s = obj.session
    st = _resolve(s, "status", status) if status else None
    doc = _resolve(s, "document", source) if source else None
    rows = attribute_rows(s.catalogue, s.catalogue.attributes_for(st, doc), s.lang)
    emit(render_table(rows, TableFormat(fmt), s.lang), output)


@catalogue.command("terms")
@click.argument("kind", type=click.Choice(["statuses", "life-situations", "services", "channels", "acts", "forms", "function-kinds", "stages", "criteria"]))
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@output_option
@click.pass_obj
@handle_errors
def catalogue_terms(obj: Context, kind: str, fmt: str, output: Path | None) -> None:
    """List statuses, life situations, services, channels, acts, forms … with the names a profile may use.

    \b
    Example:
      segmentum catalogue terms channels
    """
    from segmentum.engine.render import TERM_COLUMNS, TableFormat, render_table, term_rows

    s = obj.session
    emit(render_table(term_rows(s.catalogue, kind, s.lang), TableFormat(fmt), s.lang, TERM_COLUMNS), output)


@catalogue.command("show")
@click.argument("attribute")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
@handle_errors
def catalogue_show(obj: Context, attribute: str, fmt: str) -> None:
    """Show one attribute: definition, statuses, values or range, and sources with articles.

    \b
    Example:
      segmentum catalogue show "организационно-правовая форма"
    """
    from segmentum.engine.render import DocFormat, render_attribute

    s = obj.session
    iri = _resolve(s, "attribute", attribute)
    emit(render_attribute(s.catalogue, s.catalogue.attributes[iri], DocFormat(fmt), s.lang), None)


# ---------------------------------------------------------------- profiles

@main.group()
def profile() -> None:
    """Create and inspect segment profile files (YAML, see docs/profile-format.md).

    \b
    Example:
      segmentum profile show examples/profiles/
    """


@profile.command("new")
@click.option("--status", required=True, help="Client status: citizen, business, internal, or a label.")
@click.option("--life-situation", "life_situations", multiple=True, help="Life situation (identifier or label); may repeat.")
@click.option("--service", "services", multiple=True, help="Service, function or support measure; may repeat.")
@click.option("--id", "profile_id", help="Identifier of the new profile (by default the file name, as when loading).")
@output_option
@click.pass_obj
@handle_errors
def profile_new(obj: Context, status: str, life_situations: tuple[str, ...], services: tuple[str, ...], profile_id: str | None, output: Path | None) -> None:
    """Print a ready-to-fill profile for a status and a life situation or service.

    \b
    Example:
      segmentum profile new --status citizen --life-situation "Поступление в вуз" -o student.yaml
    """
    from segmentum.engine.template import profile_template

    s = obj.session
    st = _resolve(s, "status", status)
    ls = [_resolve(s, "life_situation", x) for x in life_situations]
    sv = [_resolve(s, "service", x) for x in services]
    emit(profile_template(s.catalogue, status=st, life_situations=ls, services=sv, profile_id=profile_id, lang=s.lang), output)


@profile.command("show")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
@handle_errors
def profile_show(obj: Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Load profiles and show their attributes resolved to catalogue labels, with sources.

    \b
    Example:
      segmentum profile show examples/profiles/student-neighbour-region.yaml
    """
    import json

    from segmentum.engine.render import DocFormat, profile_details, render_profile

    s = obj.session
    loaded = s.load_profiles(list(paths))
    if fmt == "json":
        emit(json.dumps([profile_details(s.catalogue, p, s.lang) for p in loaded], ensure_ascii=False, indent=2) + "\n", None)
        return
    emit("\n".join(render_profile(s.catalogue, p, DocFormat.TEXT, s.lang) for p in loaded), None)


# ---------------------------------------------------------------- validation

ENGINES = ["sparql", "pyshacl"]


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--stage", help="Validate as if every profile were at this stage (I–IV, 1–4 or a name).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True)
@click.option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True, help="sparql: compiled queries in the store; pyshacl: the reference engine.")
@click.option("--shapes", "shapes_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Use this shapes file instead of the shipped shapes/profile.ttl.")
@output_option
@click.pass_obj
@handle_errors
def validate(obj: Context, paths: tuple[Path, ...], stage: str | None, fmt: str, engine: str, shapes_file: Path | None, output: Path | None) -> None:
    """Check profiles against the SHACL shapes of their stage; exit 1 if there are violations.

    \b
    Example:
      segmentum validate examples/profiles/ --format json
    """
    from segmentum.engine.validate import Engine, load_shapes, read_shapes, validate_loaded_profiles
    from segmentum.engine.validation_report import ReportFormat, render_report

    s = obj.session
    shapes = read_shapes(shapes_file) if shapes_file else load_shapes("profile")
    stage_iri = _resolve_stage(s, stage) if stage else None
    loaded = s.load_profiles(list(paths), stage=stage_iri)
    report = validate_loaded_profiles(s.store, Engine(engine), s.lang, only=[p.id for p in loaded], shapes=shapes)
    report.checked = [p.path for p in loaded]
    emit(render_report(report, ReportFormat(fmt), s.lang, shapes), output)
    if not report.conforms:
        click.get_current_context().exit(1)


def _resolve_stage(session, stage: str) -> str:
    from segmentum.engine.profiles import resolve_stage_text

    return resolve_stage_text(session.catalogue, stage, session.lang)


@catalogue.command("check")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True)
@click.option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True)
@click.pass_obj
@handle_errors
def catalogue_check(obj: Context, fmt: str, engine: str) -> None:
    """Check the catalogue itself with shapes/catalogue.ttl; exit 1 if it does not conform.

    \b
    Example:
      segmentum catalogue check
    """
    from segmentum.engine.validate import Engine, check_catalogue, load_shapes
    from segmentum.engine.validation_report import ReportFormat, render_report

    s = obj.session
    report = check_catalogue(s.store, Engine(engine), s.lang)
    emit(render_report(report, ReportFormat(fmt), s.lang, load_shapes("catalogue")), None)
    if not report.conforms:
        click.get_current_context().exit(1)


# ---------------------------------------------------------------- the expert table and curation

catalogue_dir_option = click.option(
    "--catalogue", "catalogue_dir", type=click.Path(file_okay=False, path_type=Path),
    help="The folder of catalogue Turtle files to read and write (default: catalogues/ of this source checkout).")


def _source_options(func):
    """--act/--article, --form/--field or --source: where an edit comes from (one is required)."""
    for option in reversed([
        click.option("--act", help="Legal act (number, identifier or title), with --article."),
        click.option("--article", help="Article of the act, e.g. «ст. 4»."),
        click.option("--form", help="Application form (number, identifier or title), with --field."),
        click.option("--field", "field_ref", help="Field of the form: its number («п. 5») or label."),
        click.option("--source", help="An existing source by identifier (e.g. art-fz-209-msp-4)."),
        click.option("--dry-run", is_flag=True, help="Print the diff of the Turtle files and write nothing."),
        catalogue_dir_option,
    ]):
        func = option(func)
    return func


def _source_spec(kw: dict):
    from segmentum.engine.curation import SourceSpec

    return SourceSpec(act=kw.pop("act"), article=kw.pop("article"), form=kw.pop("form"), field_ref=kw.pop("field_ref"), source=kw.pop("source"))


def _curate(obj: Context, catalogue_dir: Path | None, dry_run: bool, edit) -> None:
    """Read the catalogue files, make one edit, check the shapes, then write or print the diff."""
    from segmentum.engine.catalogue_files import CatalogueFiles, resolve_catalogue_dir
    from segmentum.engine.catalogue_table import render_changes
    from segmentum.engine.curation import Curator, finish
    from segmentum.engine.messages import Lang, text

    lang = Lang(obj.lang)
    files = CatalogueFiles.read(resolve_catalogue_dir(catalogue_dir, lang))
    curator = Curator(files, lang)
    edit(curator)
    outcome = finish(files, lang, write=not dry_run)
    if dry_run:
        emit(outcome.diff, None)
        return
    if not obj.quiet:
        click.echo(render_changes(curator.changes, lang, files), nl=False, err=True)
        click.echo(text("cat.written", lang, files=", ".join(outcome.written)), err=True)


@catalogue.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The .xlsx file, or the folder for the CSV files.")
@catalogue_dir_option
@click.pass_obj
@handle_errors
def catalogue_export(obj: Context, fmt: str, output: Path, catalogue_dir: Path | None) -> None:
    """Write the expert attribute table: attributes, schemes, values, statuses, sources, legal acts.

    \b
    Example:
      segmentum catalogue export -o catalogue.xlsx
      segmentum catalogue export --format csv -o catalogue-csv/
    """
    from segmentum.engine.catalogue_files import CatalogueFiles
    from segmentum.engine.catalogue_table import catalogue_table
    from segmentum.engine.messages import Lang, text
    from segmentum.engine.resources import catalogue_files
    from segmentum.engine.table_io import save_table

    lang = Lang(obj.lang)
    folder = catalogue_dir or catalogue_files()[0].parent
    files = CatalogueFiles.read(folder)
    written = save_table(catalogue_table(files, lang), fmt, output, lang)
    if not obj.quiet:
        click.echo(text("table.exported", lang, files=", ".join(str(p) for p in written)), err=True)


@catalogue.command("import")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Write the catalogue files (without it, only show what would change).")
@click.option("--diff", "show_diff", is_flag=True, help="Also print the unified diff of the Turtle files.")
@catalogue_dir_option
@click.pass_obj
@handle_errors
def catalogue_import(obj: Context, table: Path, apply_: bool, show_diff: bool, catalogue_dir: Path | None) -> None:
    """Check an edited expert table (XLSX, a CSV folder or one CSV file) and show what it changes; --apply writes it.

    \b
    Example:
      segmentum catalogue import catalogue.xlsx
      segmentum catalogue import catalogue.xlsx --apply
    """
    from segmentum.engine.catalogue_files import CatalogueFiles, resolve_catalogue_dir
    from segmentum.engine.catalogue_table import apply_table, render_changes
    from segmentum.engine.curation import finish
    from segmentum.engine.messages import Lang, text
    from segmentum.engine.table_io import read_table

    lang = Lang(obj.lang)
    folder = resolve_catalogue_dir(catalogue_dir, lang)
    files = CatalogueFiles.read(folder)
    changes = apply_table(files, read_table(table, lang), lang)
    outcome = finish(files, lang, write=apply_)
    emit(render_changes(changes, lang, files) + (outcome.diff if show_diff else ""), None)
    if outcome.changed_files and not obj.quiet:
        click.echo(text("cat.written", lang, files=", ".join(outcome.written)) if apply_ else text("cat.apply_hint", lang), err=True)


@catalogue.command("add-attribute")
@click.argument("identifier")
@click.option("--label", "label_ru", required=True, help="Russian label.")
@click.option("--label-en", required=True, help="English label.")
@click.option("--definition", "definition_ru", required=True, help="Russian definition.")
@click.option("--definition-en", required=True, help="English definition.")
@click.option("--status", "statuses", multiple=True, required=True, help="Status (citizen, business, internal or a label); may repeat.")
@click.option("--alt-label", "alt_labels", multiple=True, help="Another Russian label; may repeat.")
@click.option("--scheme", help="Use this existing value scheme (default: a new empty scheme named like the attribute).")
@click.option("--datatype", type=click.Choice(["integer", "decimal", "boolean", "date", "string"]), help="A typed attribute instead of a value scheme.")
@click.option("--min", "minimum", help="Smallest value (with --datatype integer/decimal).")
@click.option("--max", "maximum", help="Largest value (with --datatype integer/decimal).")
@click.option("--unit", help="Unit, in Russian (e.g. «лет»).")
@click.option("--multi-valued", is_flag=True, help="A segment may have several values.")
@click.option("--file", "file", help="Catalogue file (default: attributes-<status> for one status, attributes-core for several).")
@_source_options
@click.pass_obj
@handle_errors
def catalogue_add_attribute(obj: Context, identifier: str, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    """Add an attribute with its labels, definition, statuses and a source.

    \b
    Example:
      segmentum catalogue add-attribute pension-kind --label "вид пенсии" --label-en "kind of pension" \\
        --definition "…" --definition-en "…" --status citizen --act 400-ФЗ --article "ст. 6"
    """
    source = _source_spec(kw)
    _curate(obj, catalogue_dir, dry_run, lambda c: c.add_attribute(identifier, source=source, statuses=list(kw.pop("statuses")),
                                                                   alt_labels=list(kw.pop("alt_labels")), **kw))


@catalogue.command("add-value")
@click.argument("attribute")
@click.argument("identifier")
@click.option("--label", "label_ru", required=True, help="Russian label.")
@click.option("--label-en", required=True, help="English label.")
@click.option("--alt-label", "alt_labels", multiple=True, help="Another Russian label; may repeat.")
@click.option("--code", help="Code of the value in its classifier (skos:notation).")
@_source_options
@click.pass_obj
@handle_errors
def catalogue_add_value(obj: Context, attribute: str, identifier: str, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    """Add a value to the value scheme of an attribute, with a source.

    \b
    Example:
      segmentum catalogue add-value "организационно-правовая форма" okopf-20100 --label "Потребительские кооперативы" \\
        --label-en "Consumer cooperatives" --code 20100 --act "ГК РФ (часть первая)" --article "ст. 123.2"
    """
    source = _source_spec(kw)
    _curate(obj, catalogue_dir, dry_run, lambda c: c.add_value(attribute, identifier, source=source, alt_labels=list(kw.pop("alt_labels")), **kw))


@catalogue.command("deprecate")
@click.argument("value")
@click.option("--replaced-by", "replaced_by", multiple=True, required=True, help="The value that replaces it (identifier or label); may repeat.")
@click.option("--attribute", help="Look the values up in this attribute's scheme (when a label is not unique).")
@_source_options
@click.pass_obj
@handle_errors
def catalogue_deprecate(obj: Context, value: str, replaced_by: tuple[str, ...], attribute: str | None, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    """Mark a value deprecated (owl:deprecated) with its replacement (dct:isReplacedBy) and a source.

    \b
    Example:
      segmentum catalogue deprecate okopf-12247 --replaced-by okopf-12267 --act 99-ФЗ --article "ст. 3" --dry-run
    """
    source = _source_spec(kw)
    _curate(obj, catalogue_dir, dry_run, lambda c: c.deprecate(value, list(replaced_by), source=source, attribute=attribute))


# ---------------------------------------------------------------- queries

@main.command("query")
@click.argument("query", required=False)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--param", "-p", "params", multiple=True, help="A parameter as name=value (a label, identifier or text); may repeat.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their descriptions and parameters.")
@output_option
@click.pass_obj
@handle_errors
def query(obj: Context, query: str | None, paths: tuple[Path, ...], params: tuple[str, ...], fmt: str, list_queries: bool, output: Path | None) -> None:
    """Run a named query, a .rq file or SPARQL text over the catalogue and the given (or stored) profiles.

    \b
    Example:
      segmentum query attributes-by-status --param status=business
      segmentum query --list
    """
    from segmentum.engine.errors import BadInputError
    from segmentum.engine.messages import Lang, text
    from segmentum.engine.query import find_query, library
    from segmentum.engine.query_results import render_library, run_query

    lang = Lang(obj.lang)
    if list_queries:
        emit(render_library(library(), lang), output)
        return
    if not query:
        raise click.UsageError("give a query name, a .rq file or SPARQL text, or --list")
    named = find_query(query, lang)
    given = {}
    for p in params:
        if "=" not in p:
            raise BadInputError(text("bad_param", lang, text=p))
        k, v = p.split("=", 1)
        given[k.strip()] = v.strip()
    s = obj.session
    if paths:
        s.load_profiles(list(paths))
    emit(run_query(s, named, given, fmt), output)


# ---------------------------------------------------------------- prioritisation and reports

@main.command("prioritise")
@click.argument("segments_file", metavar="SEGMENTS.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--weights", help='Criterion weights, e.g. "ёмкость=3, слепая зона=0" (override the file and the defaults).')
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@output_option
@lang_option
@click.pass_obj
@handle_errors
def prioritise(obj: Context, segments_file: Path, weights: str | None, fmt: str, output: Path | None, lang: str | None) -> None:
    """Rank candidate segments by the stage II criteria (capacity, satisfaction, …) with the reason for each rank.

    \b
    Example:
      segmentum prioritise examples/segments.yaml --weights "ёмкость=3"
    """
    from segmentum.engine import prioritise as prio
    from segmentum.engine.render import render_prioritisation

    obj.set_lang(lang)
    s = obj.session
    parsed = prio.read_segments_file(segments_file, s.catalogue, s.lang)
    given = {c: w for c, (w, _) in parsed.weights.items()}
    if weights:
        given.update(prio.parse_weights_option(s.catalogue, weights, s.lang))
    ranked = prio.prioritise(parsed.segments, s.catalogue, s.lang, weights=given)
    emit(render_prioritisation(prio.prioritisation_data(ranked, s.catalogue, s.lang), fmt, s.lang), output)


@main.command("report")
@click.argument("paths", metavar="PROFILE...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["docx", "html", "md"]), default=None,
              help="docx, html or md; by default the extension of -o, else docx.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="The report file (required for docx; html and md go to stdout without it).")
@click.option("--segments", "segments_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Take the stage II criteria for the priority table from this SEGMENTS file.")
@click.option("--strict", is_flag=True, help="Write nothing and exit 1 if a profile does not conform to its stage.")
@lang_option
@click.pass_obj
@handle_errors
def report(obj: Context, paths: tuple[Path, ...], fmt: str | None, output: Path | None, segments_file: Path | None, strict: bool, lang: str | None) -> None:
    """Make the profile report (the methodology's filled template) of one profile, or a segmentation report of several.

    \b
    Example:
      segmentum report examples/profiles/young-soldier.yaml -o young-soldier.docx
      segmentum report examples/profiles/ --format html -o segmentation.html
    """
    from segmentum.engine.errors import BadInputError, NotConformingError
    from segmentum.engine.messages import text
    from segmentum.engine.output import write_atomic
    from segmentum.engine.report import ReportFormat, prepare_report, render_report

    obj.set_lang(lang)
    s = obj.session
    if fmt is None:  # «-o отчёт.html» is an HTML report, not a DOCX file named .html
        fmt = _REPORT_SUFFIXES.get(output.suffix.lower()) if output is not None else "docx"
        if fmt is None:
            raise BadInputError(text("rep.bad_suffix", s.lang, suffix=output.suffix or "—"), hint=text("rep.suffix_hint", s.lang))
    if fmt == "docx" and output is None:
        raise BadInputError(text("rep.need_output", s.lang))
    if output is not None and not output.parent.resolve().is_dir():
        raise BadInputError(text("rep.bad_output", s.lang, path=output, problem=text("not_found", s.lang, path=output.parent)), hint=text("rep.output_hint", s.lang))
    rep = prepare_report(s, list(paths), segments=segments_file)
    if strict and not rep.conforms:
        failing = ", ".join(p["id"] for p in rep.profiles if not p["validation"]["conforms"])
        raise NotConformingError(text("rep.strict", s.lang, ids=failing), hint=text("rep.strict_hint", s.lang))
    data = render_report(rep, ReportFormat(fmt))
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise BadInputError(text("rep.bad_output", s.lang, path=output, problem=exc.strerror or exc), hint=text("rep.output_hint", s.lang)) from None


_REPORT_SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


# ---------------------------------------------------------------- inference

rules_option = click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help="An extra rule file (Turtle, see docs/rules.md); may repeat.")


@main.command("suggest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--explain", is_flag=True, help="Show the profile statements each rule used, with file and line.")
@rules_option
@output_option
@click.pass_obj
@handle_errors
def suggest(obj: Context, paths: tuple[Path, ...], fmt: str, explain: bool, rule_files: tuple[Path, ...], output: Path | None) -> None:
    """Suggest attributes, journey features, channels and pains for profiles, ranked, with the rules behind them.

    \b
    Example:
      segmentum suggest examples/profiles/young-soldier.yaml --explain
    """
    import json

    from segmentum.engine.inference import infer
    from segmentum.engine.suggest import render, suggestions

    s = obj.session
    ruleset = s.rules(list(rule_files))
    loaded = s.load_profiles(list(paths))
    infer(s.store, ruleset, profiles=[p.iri for p in loaded])
    found = [(p, suggestions(s.store, s.catalogue, ruleset, p.iri, s.lang, explain=explain)) for p in loaded]
    if fmt == "json":
        docs = [json.loads(render(p.id, items, s.lang, "json", explain=explain)) for p, items in found]
        emit(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n", output)
        return
    emit("\n".join(render(p.id, items, s.lang, "text", explain=explain) for p, items in found), output)


@profile.command("complete")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--accept", "accept", multiple=True, required=True,
              help="Id of a suggestion to add (as shown by «segmentum suggest»), or «all»; may repeat.")
@rules_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of back to PATH.")
@click.pass_obj
@handle_errors
def profile_complete(obj: Context, path: Path, accept: tuple[str, ...], rule_files: tuple[Path, ...], output: Path | None) -> None:
    """Add accepted suggestions to a profile as open hypotheses; everything already written stays.

    \b
    Example:
      segmentum profile complete student.yaml --accept journey-feature/… --accept channel/service/post
    """
    from segmentum.engine.complete import additions, encode_like, insert, read_source
    from segmentum.engine.inference import infer
    from segmentum.engine.messages import text
    from segmentum.engine.output import write_atomic
    from segmentum.engine.profiles import load_profile
    from segmentum.engine.suggest import suggestions

    s = obj.session
    ruleset = s.rules(list(rule_files))
    prof = s.load_profiles([path])[0]
    infer(s.store, ruleset, profiles=[prof.iri])
    items = suggestions(s.store, s.catalogue, ruleset, prof.iri, s.lang)
    adds = additions(items, list(accept), s.catalogue, s.lang, path)
    source, style = read_source(path)
    new = encode_like(insert(source, adds), style)
    target = output or path
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # the result must load before it replaces anything
        check = Path(tmp) / path.name
        check.write_bytes(new)
        load_profile(check, s.catalogue, lang=s.lang)
    write_atomic(target, new)
    if not obj.quiet:
        click.echo(text("complete.added", s.lang, path=target, n=len(adds)), err=True)


@main.command("infer")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@rules_option
@click.pass_obj
@handle_errors
def infer_command(obj: Context, paths: tuple[Path, ...], rule_files: tuple[Path, ...]) -> None:
    """Derive facts and suggestions for every profile in the store (and the given ones) into graph/inferred/….

    \b
    Example:
      segmentum --store .segmentum infer
    """
    from segmentum.engine.inference import infer
    from segmentum.engine.messages import text

    s = obj.session
    ruleset = s.rules(list(rule_files))
    if paths:
        s.load_profiles(list(paths))
    run = infer(s.store, ruleset)
    if not obj.quiet:
        n_profiles = len(s.store.select("SELECT DISTINCT ?p WHERE { ?p a <https://w3id.org/segmentum/ontology#SegmentProfile> }"))
        click.echo(text("infer.done", s.lang, n=run.derivations, rules=len(run.fired), rounds=run.rounds, profiles=n_profiles,
                        seconds=run.seconds), err=True)


# ---------------------------------------------------------------- store

@main.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.pass_obj
@handle_errors
def load(obj: Context, paths: tuple[Path, ...]) -> None:
    """Load profiles into the store (use --store DIR to keep them on disk).

    \b
    Example:
      segmentum --store .segmentum load examples/profiles/
    """
    from segmentum.engine.messages import text

    s = obj.session
    loaded = s.load_profiles(list(paths))
    if not obj.quiet:
        click.echo(text("loaded", s.lang, n=len(loaded), triples=len(s.store)), err=True)


@main.command("export")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["ttl", "jsonld", "nt", "nq", "trig"]), default="ttl", show_default=True)
@click.option("--no-ontology", is_flag=True, help="Leave the ontology out.")
@click.option("--no-catalogue", is_flag=True, help="Leave the catalogue out.")
@click.option("--as", "vocabulary", type=click.Choice(["segmentum", "cpsv-ap"]), default="segmentum", show_default=True,
              help="cpsv-ap: the catalogue's public services, events, legal acts, channels and authorities in CPSV-AP 3.2.")
@output_option
@click.pass_obj
@handle_errors
def export(obj: Context, paths: tuple[Path, ...], fmt: str, no_ontology: bool, no_catalogue: bool, vocabulary: str, output: Path | None) -> None:
    """Export the ontology, the catalogue and the given profiles (and those in --store) as RDF.

    \b
    Example:
      segmentum export examples/profiles/ --format jsonld -o segmentum.jsonld
      segmentum export --as cpsv-ap -o services.ttl
    """
    from segmentum.engine.export import ExportFormat, export_cpsv_ap, export_graphs

    s = obj.session
    if paths:
        s.load_profiles(list(paths))
    if vocabulary == "cpsv-ap":
        data = export_cpsv_ap(s.store, ExportFormat(fmt))
    else:
        data = export_graphs(s.store, ExportFormat(fmt), ontology=not no_ontology, catalogue=not no_catalogue)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from segmentum.engine.output import write_atomic

        write_atomic(output, data)


# ---------------------------------------------------------------- SPARQL endpoint

@main.command("serve")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this computer only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1), help="Most result rows (or triples) in one answer.")
@click.option("--max-query-bytes", default=100_000, show_default=True, type=click.IntRange(1), help="Longest query or update accepted, in bytes.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates with the token in SEGMENTUM_SERVE_TOKEN (one is made up and printed if unset).")
@click.pass_obj
@handle_errors
def serve(obj: Context, paths: tuple[Path, ...], host: str, port: int, workers: int, timeout: float, max_rows: int,
          max_query_bytes: int, allow_update: bool) -> None:
    """Serve the ontology, the catalogue and the stored (and given) profiles as a SPARQL 1.1 endpoint.

    \b
    Example:
      segmentum serve examples/profiles/ --port 8000
    """
    import secrets

    from segmentum.engine.messages import Lang, text
    from segmentum.engine.server import Limits, ServerConfig, prepared_store
    from segmentum.engine.server import serve as run_server

    if obj.endpoint is not None:
        raise click.UsageError("segmentum serve serves the embedded store: use --store, not --endpoint")
    lang = Lang(obj.lang)
    token = None
    if allow_update:
        token = os.environ.get("SEGMENTUM_SERVE_TOKEN") or secrets.token_urlsafe(24)
        if "SEGMENTUM_SERVE_TOKEN" not in os.environ:
            click.echo(text("serve.token", lang, token=token), err=True)
    with prepared_store(obj.store_dir, list(paths), lang) as store_path:
        limits = Limits(max_query_bytes=max_query_bytes, max_rows=max_rows, timeout=timeout, workers=workers)
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(text("serve.not_loopback", lang, host=host), err=True)
        if not obj.quiet:
            click.echo(text("serve.listening", lang, host=host, port=port), err=True)
        run_server(ServerConfig(store_path, limits, token, lang), host, port)


if __name__ == "__main__":  # pragma: no cover
    main()
