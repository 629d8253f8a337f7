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
        except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, reported as such
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


output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout (atomically).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGS), default="ru", show_default=True, help="Language of labels and messages.")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None, help="Keep the triple store on disk in this folder (default: in memory).")
@click.option("--endpoint", envvar="SEGMENTUM_ENDPOINT", metavar="URL", help="Use a remote SPARQL 1.1 store at this query URL instead of the embedded one.")
@click.option("--update-endpoint", envvar="SEGMENTUM_UPDATE_ENDPOINT", metavar="URL", help="The remote store's SPARQL update URL (needed to load profiles).")
@click.option("--user", envvar="SEGMENTUM_ENDPOINT_USER", help="User name for the remote store (HTTP basic authentication).")
@click.option("--password", envvar="SEGMENTUM_ENDPOINT_PASSWORD", help="Password for the remote store; better set SEGMENTUM_ENDPOINT_PASSWORD.")
@click.option("-v", "--verbose", count=True, help="More diagnostics on stderr; -vv shows tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="No diagnostics on stderr.")
@click.version_option(package_name="segmentum")
@click.pass_context
def main(ctx: click.Context, lang: str, store: Path | None, endpoint: str | None, update_endpoint: str | None,
         user: str | None, password: str | None, verbose: int, quiet: bool) -> None:
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

        remote = Endpoint(endpoint, update_endpoint, user, password, token=os.environ.get("SEGMENTUM_ENDPOINT_TOKEN"))
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
@click.option("--id", "profile_id", default="new-profile", show_default=True, help="Identifier of the new profile.")
@output_option
@click.pass_obj
@handle_errors
def profile_new(obj: Context, status: str, life_situations: tuple[str, ...], services: tuple[str, ...], profile_id: str, output: Path | None) -> None:
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
@output_option
@click.pass_obj
@handle_errors
def export(obj: Context, paths: tuple[Path, ...], fmt: str, no_ontology: bool, no_catalogue: bool, output: Path | None) -> None:
    """Export the ontology, the catalogue and the given profiles (and those in --store) as RDF.

    \b
    Example:
      segmentum export examples/profiles/ --format jsonld -o segmentum.jsonld
    """
    from segmentum.engine.export import ExportFormat, export_graphs

    s = obj.session
    if paths:
        s.load_profiles(list(paths))
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
