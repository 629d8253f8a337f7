"""The ``segmentum`` command: a thin layer over ``segmentum.engine``.

Each command parses its options, calls the engine and prints the result to stdout; diagnostics
go to stderr. Errors are printed as one line ``file:line:col: error: …`` and mapped to exit codes
(0 ok, 1 violations, 2 bad input, 3 store, 4 internal error). Heavy imports happen inside the
commands so that ``--help`` stays fast. The help of every command, argument and option is in
``engine/help_texts.py`` (Russian and English); ``cli_base.py`` has the Click classes that show it in
the chosen language and accept the global options after the command too.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from pathlib import Path

import click

from segmentum.cli_base import LANG_ENV, LANGS, RootGroup, argument, current_lang, global_option, option, show_version


class Context:
    """What every command needs: language, store folder, verbosity; the session is opened lazily.

    Made from the global options; ``override`` takes those written after the command (they win).
    """

    def __init__(self, options: dict) -> None:
        self._options = dict(options)
        self._session = None
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
        self.lang, self.store_dir, self.verbose, self.quiet = o["lang"], o["store"], o["verbose"], o["quiet"]
        logging.basicConfig(level=self._log_level(), format="%(levelname)s: %(message)s", stream=sys.stderr)
        self.endpoint = None  # a remote_store.Endpoint, or None for the embedded store
        if o["endpoint"]:
            if self.store_dir is not None:
                from segmentum.engine.messages import text

                raise click.UsageError(text("cli.store_and_endpoint", self.lang))
            from segmentum.engine.remote_store import Endpoint

            self.endpoint = Endpoint(o["endpoint"], o["update_endpoint"], o["user"], o["password"],
                                     token=os.environ.get("SEGMENTUM_ENDPOINT_TOKEN"), graph_store_url=o["graph_store"])

    @property
    def session(self):
        if self._session is None:
            from segmentum.engine.messages import Lang
            from segmentum.engine.session import open_session

            self._session = open_session(self.store_dir, lang=Lang(self.lang), endpoint=self.endpoint)
        return self._session

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
            from segmentum.engine.messages import text

            click.echo(text("cli.internal_error", current_lang(), kind=exc.__class__.__name__, error=exc), err=True)
            ctx.exit(int(ExitCode.INTERNAL))

    return wrapper


def emit(data: str, output: Path | None) -> None:
    """Print to stdout, or write atomically to ``output``."""
    if output is None:
        click.echo(data, nl=False)
        return
    from segmentum.engine.output import write_atomic

    write_atomic(output, data)


output_option = option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))


class _Commands(RootGroup):
    """The top-level group: a command of a sub-group typed without it («segmentum show») names the full command."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            name = args[0] if args else ""
            owners = [g for g, cmd in self.commands.items() if isinstance(cmd, click.Group) and name in cmd.commands]
            if owners:
                from segmentum.engine.messages import quoted_list, text

                lang = current_lang()
                options = quoted_list([f"{g} {name}" for g in owners], lang) if lang == "ru" else " or ".join(f"'{g} {name}'" for g in owners)
                raise click.UsageError(text("cli.no_command_in_group", lang, name=name, options=options), ctx) from None
            raise


# Help texts of every command, argument and option: engine/help_texts.py. Global options may also be
# written after the command (cli_base.py).
@click.group(name="segmentum", cls=_Commands)
@global_option("--lang", type=click.Choice(LANGS), default="ru", envvar=LANG_ENV, show_default=True)
@global_option("--store", type=click.Path(file_okay=False, path_type=Path), default=None)
@global_option("--endpoint", envvar="SEGMENTUM_ENDPOINT", metavar="URL")
@global_option("--update-endpoint", envvar="SEGMENTUM_UPDATE_ENDPOINT", metavar="URL")
@global_option("--graph-store", envvar="SEGMENTUM_GRAPH_STORE", metavar="URL")
@global_option("--user", envvar="SEGMENTUM_ENDPOINT_USER")
@global_option("--password", envvar="SEGMENTUM_ENDPOINT_PASSWORD")
@global_option("-v", "--verbose", count=True)
@global_option("-q", "--quiet", is_flag=True)
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show_version)
@click.pass_context
def main(ctx: click.Context, **options) -> None:
    ctx.obj = Context(options)
    ctx.call_on_close(ctx.obj.close)


# ---------------------------------------------------------------- catalogue

@main.group()
def catalogue() -> None:
    pass


def _resolve(session, kind: str, value: str) -> str:
    from segmentum.engine.catalogue import LookupFailure
    from segmentum.engine.messages import text

    try:
        return session.catalogue.resolve(kind, value, session.lang)
    except LookupFailure as exc:
        raise exc.as_error(text(f"kind.{kind}", session.lang), session.lang, local_id=session.catalogue.local_id) from None


@catalogue.command("list")
@option("--status", "status")
@option("--source", "source")
@option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@output_option
@click.pass_obj
@handle_errors
def catalogue_list(obj: Context, status: str | None, source: str | None, fmt: str, output: Path | None) -> None:
    from segmentum.engine.render import TableFormat, attribute_rows, render_table

    s = obj.session
    st = _resolve(s, "status", status) if status else None
    doc = _resolve(s, "document", source) if source else None
    rows = attribute_rows(s.catalogue, s.catalogue.attributes_for(st, doc), s.lang)
    emit(render_table(rows, TableFormat(fmt), s.lang), output)


@catalogue.command("terms")
@argument("kind", type=click.Choice(["statuses", "life-situations", "services", "channels", "acts", "forms", "function-kinds", "stages", "criteria"]))
@option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@output_option
@click.pass_obj
@handle_errors
def catalogue_terms(obj: Context, kind: str, fmt: str, output: Path | None) -> None:
    from segmentum.engine.render import TERM_COLUMNS, TableFormat, render_table, term_rows

    s = obj.session
    emit(render_table(term_rows(s.catalogue, kind, s.lang), TableFormat(fmt), s.lang, TERM_COLUMNS), output)


@catalogue.command("show")
@argument("attribute")
@option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
@handle_errors
def catalogue_show(obj: Context, attribute: str, fmt: str) -> None:
    from segmentum.engine.render import DocFormat, render_attribute

    s = obj.session
    iri = _resolve(s, "attribute", attribute)
    emit(render_attribute(s.catalogue, s.catalogue.attributes[iri], DocFormat(fmt), s.lang), None)


# ---------------------------------------------------------------- profiles

@main.group()
def profile() -> None:
    pass


@profile.command("new")
@option("--status", required=True)
@option("--life-situation", "life_situations", multiple=True)
@option("--service", "services", multiple=True)
@option("--id", "profile_id")
@output_option
@click.pass_obj
@handle_errors
def profile_new(obj: Context, status: str, life_situations: tuple[str, ...], services: tuple[str, ...], profile_id: str | None, output: Path | None) -> None:
    from segmentum.engine.template import profile_template

    s = obj.session
    st = _resolve(s, "status", status)
    ls = [_resolve(s, "life_situation", x) for x in life_situations]
    sv = [_resolve(s, "service", x) for x in services]
    emit(profile_template(s.catalogue, status=st, life_situations=ls, services=sv, profile_id=profile_id, lang=s.lang), output)


@profile.command("show")
@argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
@handle_errors
def profile_show(obj: Context, paths: tuple[Path, ...], fmt: str) -> None:
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
@argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("--stage")
@option("-f", "--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True)
@option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True)
@option("--shapes", "shapes_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option
@click.pass_obj
@handle_errors
def validate(obj: Context, paths: tuple[Path, ...], stage: str | None, fmt: str, engine: str, shapes_file: Path | None, output: Path | None) -> None:
    from segmentum.engine.validate import Engine, load_shapes, read_shapes, validate_loaded_profiles
    from segmentum.engine.validation_report import ReportFormat, render_report

    s = obj.session
    shapes = read_shapes(shapes_file, obj.lang) if shapes_file else load_shapes("profile", obj.lang)
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
@option("-f", "--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True)
@option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True)
@click.pass_obj
@handle_errors
def catalogue_check(obj: Context, fmt: str, engine: str) -> None:
    from segmentum.engine.validate import Engine, check_catalogue, load_shapes
    from segmentum.engine.validation_report import ReportFormat, render_report

    s = obj.session
    report = check_catalogue(s.store, Engine(engine), s.lang)
    emit(render_report(report, ReportFormat(fmt), s.lang, load_shapes("catalogue", s.lang)), None)
    if not report.conforms:
        click.get_current_context().exit(1)


# ---------------------------------------------------------------- the expert table and curation

catalogue_dir_option = option(
    "--catalogue", "catalogue_dir", type=click.Path(file_okay=False, path_type=Path))


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
    files = CatalogueFiles.read(resolve_catalogue_dir(catalogue_dir, lang), lang)
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
@option("-f", "--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@option("-o", "--output", type=click.Path(path_type=Path), required=True)
@catalogue_dir_option
@click.pass_obj
@handle_errors
def catalogue_export(obj: Context, fmt: str, output: Path, catalogue_dir: Path | None) -> None:
    from segmentum.engine.catalogue_files import CatalogueFiles
    from segmentum.engine.catalogue_table import catalogue_table
    from segmentum.engine.messages import Lang, text
    from segmentum.engine.resources import catalogue_dir as shipped
    from segmentum.engine.table_io import save_table

    lang = Lang(obj.lang)
    folder = catalogue_dir or shipped()  # a folder without *.ttl files is bad input (exit 2)
    files = CatalogueFiles.read(folder, lang)
    written = save_table(catalogue_table(files, lang), fmt, output, lang)
    if not obj.quiet:
        click.echo(text("table.exported", lang, files=", ".join(str(p) for p in written)), err=True)


@catalogue.command("import")
@argument("table", type=click.Path(path_type=Path))
@option("--apply", "apply_", is_flag=True)
@option("--diff", "show_diff", is_flag=True)
@catalogue_dir_option
@click.pass_obj
@handle_errors
def catalogue_import(obj: Context, table: Path, apply_: bool, show_diff: bool, catalogue_dir: Path | None) -> None:
    from segmentum.engine.catalogue_files import CatalogueFiles, resolve_catalogue_dir
    from segmentum.engine.catalogue_table import apply_table, render_changes
    from segmentum.engine.curation import finish
    from segmentum.engine.messages import Lang, text
    from segmentum.engine.table_io import read_table

    lang = Lang(obj.lang)
    folder = resolve_catalogue_dir(catalogue_dir, lang)
    files = CatalogueFiles.read(folder, lang)
    changes = apply_table(files, read_table(table, lang), lang)
    outcome = finish(files, lang, write=apply_)
    emit(render_changes(changes, lang, files) + (outcome.diff if show_diff else ""), None)
    if outcome.changed_files and not obj.quiet:
        click.echo(text("cat.written", lang, files=", ".join(outcome.written)) if apply_ else text("cat.apply_hint", lang), err=True)


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
@click.pass_obj
@handle_errors
def catalogue_add_attribute(obj: Context, identifier: str, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    source = _source_spec(kw)
    _curate(obj, catalogue_dir, dry_run, lambda c: c.add_attribute(identifier, source=source, statuses=list(kw.pop("statuses")),
                                                                   alt_labels=list(kw.pop("alt_labels")), **kw))


@catalogue.command("add-value")
@argument("attribute")
@argument("identifier")
@option("--label", "label_ru", required=True)
@option("--label-en", required=True)
@option("--alt-label", "alt_labels", multiple=True)
@option("--code")
@_source_options
@click.pass_obj
@handle_errors
def catalogue_add_value(obj: Context, attribute: str, identifier: str, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    source = _source_spec(kw)
    _curate(obj, catalogue_dir, dry_run, lambda c: c.add_value(attribute, identifier, source=source, alt_labels=list(kw.pop("alt_labels")), **kw))


@catalogue.command("deprecate")
@argument("value")
@option("--replaced-by", "replaced_by", multiple=True, required=True)
@option("--attribute")
@_source_options
@click.pass_obj
@handle_errors
def catalogue_deprecate(obj: Context, value: str, replaced_by: tuple[str, ...], attribute: str | None, catalogue_dir: Path | None, dry_run: bool, **kw) -> None:
    source = _source_spec(kw)
    _curate(obj, catalogue_dir, dry_run, lambda c: c.deprecate(value, list(replaced_by), source=source, attribute=attribute))


# ---------------------------------------------------------------- queries

@main.command("query")
@argument("query", required=False)
@argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@option("--param", "-p", "params", multiple=True)
@option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table", show_default=True)
@option("--list", "list_queries", is_flag=True)
@output_option
@click.pass_obj
@handle_errors
def query(obj: Context, query: str | None, paths: tuple[Path, ...], params: tuple[str, ...], fmt: str, list_queries: bool, output: Path | None) -> None:
    from segmentum.engine.errors import BadInputError
    from segmentum.engine.messages import Lang, text
    from segmentum.engine.query import find_query, library
    from segmentum.engine.query_results import render_library, run_query

    lang = Lang(obj.lang)
    if list_queries:
        emit(render_library(library(), lang), output)
        return
    if not query:
        raise click.UsageError(text("cli.query_needs_name", lang))
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
@argument("segments_file", metavar="SEGMENTS.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--weights")
@option("-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@output_option
@click.pass_obj
@handle_errors
def prioritise(obj: Context, segments_file: Path, weights: str | None, fmt: str, output: Path | None) -> None:
    from segmentum.engine import prioritise as prio
    from segmentum.engine.render import render_prioritisation

    s = obj.session
    parsed = prio.read_segments_file(segments_file, s.catalogue, s.lang)
    given = {c: w for c, (w, _) in parsed.weights.items()}
    if weights:
        given.update(prio.parse_weights_option(s.catalogue, weights, s.lang))
    ranked = prio.prioritise(parsed.segments, s.catalogue, s.lang, weights=given)
    emit(render_prioritisation(prio.prioritisation_data(ranked, s.catalogue, s.lang), fmt, s.lang), output)


@main.command("report")
@argument("paths", metavar="PROFILE...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("-f", "--format", "fmt", type=click.Choice(["docx", "html", "md"]), default=None)
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@option("--segments", "segments_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--strict", is_flag=True)
@click.pass_obj
@handle_errors
def report(obj: Context, paths: tuple[Path, ...], fmt: str | None, output: Path | None, segments_file: Path | None, strict: bool) -> None:
    from segmentum.engine.errors import BadInputError, NotConformingError
    from segmentum.engine.messages import text
    from segmentum.engine.output import write_atomic
    from segmentum.engine.report import ReportFormat, prepare_report, render_report

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

rules_option = option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))


@main.command("suggest")
@argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@option("--explain", is_flag=True)
@rules_option
@output_option
@click.pass_obj
@handle_errors
def suggest(obj: Context, paths: tuple[Path, ...], fmt: str, explain: bool, rule_files: tuple[Path, ...], output: Path | None) -> None:
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
@argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--accept", "accept", multiple=True, required=True)
@rules_option
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@handle_errors
def profile_complete(obj: Context, path: Path, accept: tuple[str, ...], rule_files: tuple[Path, ...], output: Path | None) -> None:
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
    new = encode_like(insert(source, adds, path, s.lang), style)
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
@argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@rules_option
@click.pass_obj
@handle_errors
def infer_command(obj: Context, paths: tuple[Path, ...], rule_files: tuple[Path, ...]) -> None:
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
        if obj.store_dir is None and obj.endpoint is None:  # an in-memory store: nothing of this outlives the command
            click.echo(text("infer.not_kept", s.lang), err=True)


# ---------------------------------------------------------------- store

@main.command("load")
@argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.pass_obj
@handle_errors
def load(obj: Context, paths: tuple[Path, ...]) -> None:
    from segmentum.engine.messages import text

    s = obj.session
    loaded = s.load_profiles(list(paths))
    if not obj.quiet:
        click.echo(text("loaded", s.lang, n=len(loaded), triples=len(s.store)), err=True)


@main.command("export")
@argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@option("-f", "--format", "fmt", type=click.Choice(["ttl", "jsonld", "nt", "nq", "trig"]), default="ttl", show_default=True)
@option("--no-ontology", is_flag=True)
@option("--no-catalogue", is_flag=True)
@option("--as", "vocabulary", type=click.Choice(["segmentum", "cpsv-ap"]), default="segmentum", show_default=True)
@output_option
@click.pass_obj
@handle_errors
def export(obj: Context, paths: tuple[Path, ...], fmt: str, no_ontology: bool, no_catalogue: bool, vocabulary: str, output: Path | None) -> None:
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
@argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@option("--host", default="127.0.0.1", show_default=True)
@option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1))
@option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1))
@option("--max-query-bytes", default=100_000, show_default=True, type=click.IntRange(1))
@option("--allow-update", is_flag=True)
@click.pass_obj
@handle_errors
def serve(obj: Context, paths: tuple[Path, ...], host: str, port: int, workers: int, timeout: float, max_rows: int,
          max_query_bytes: int, allow_update: bool) -> None:
    import secrets

    from segmentum.engine.messages import Lang, text
    from segmentum.engine.server import Limits, ServerConfig, prepared_store
    from segmentum.engine.server import serve as run_server

    if obj.endpoint is not None:
        raise click.UsageError(text("cli.serve_embedded", Lang(obj.lang)))
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
