"""What each user-facing job does, given a session: one function per job, shared by the command line
and the web workspace, so neither holds logic of its own.

Each function takes the session (store, catalogue, language) and what the user gave, and returns
what to show (text or bytes) and, where it matters, whether it conforms. Writing files and
choosing exit codes stay with the caller.

May import: ``segmentum.reports``, ``segmentum.query``, ``segmentum.server`` and everything below.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from segmentum import resources
from segmentum.catalogue.curation import Curator, SourceSpec, finish
from segmentum.catalogue.files import CatalogueFiles, resolve_catalogue_dir
from segmentum.catalogue.table import catalogue_table
from segmentum.catalogue.table_import import apply_table, render_changes
from segmentum.catalogue.table_io import read_table, save_table
from segmentum.errors import BadInputError, Location, NotConformingError
from segmentum.i18n.messages import Lang, text
from segmentum.inference.chaining import InferenceRun, infer
from segmentum.inference.complete import additions, encode_like, insert, read_source
from segmentum.inference.suggest import SuggestFormat, render_suggestions, suggestions
from segmentum.output import write_atomic
from segmentum.prioritise import segments as prio
from segmentum.profiles.reader import load_profile, resolve_stage_text
from segmentum.profiles.template import profile_template
from segmentum.query.library import find_query, library
from segmentum.query.results import render_library, run_query
from segmentum.reports.model import ReportFormat, prepare_report
from segmentum.reports.render import render_report
from segmentum.reports.terminal import (
    TERM_COLUMNS,
    DocFormat,
    TableFormat,
    attribute_rows,
    profile_details,
    render_attribute,
    render_prioritisation,
    render_profile,
    render_table,
    term_rows,
)
from segmentum.session import Session
from segmentum.store.export import ExportFormat, export_cpsv_ap, export_graphs
from segmentum.validation.report import ReportFormat as ValidationFormat
from segmentum.validation.report import render_report as render_validation
from segmentum.validation.validate import Engine, check_catalogue, load_shapes, read_shapes, validate_loaded_profiles


@dataclass
class Checked:
    """What a check shows, and whether everything conforms."""

    shown: str
    conforms: bool


# ---------------------------------------------------------------- catalogue

def list_attributes(s: Session, status: str | None, source: str | None, fmt: TableFormat) -> str:
    st = s.catalogue.resolve_or_fail("status", status, s.lang) if status else None
    doc = s.catalogue.resolve_or_fail("document", source, s.lang) if source else None
    return render_table(attribute_rows(s.catalogue, s.catalogue.attributes_for(st, doc), s.lang), fmt, s.lang)


def list_terms(s: Session, kind: str, fmt: TableFormat) -> str:
    return render_table(term_rows(s.catalogue, kind, s.lang), fmt, s.lang, TERM_COLUMNS)


def show_attribute(s: Session, attribute: str, fmt: DocFormat) -> str:
    iri = s.catalogue.resolve_or_fail("attribute", attribute, s.lang)
    return render_attribute(s.catalogue, s.catalogue.attributes[iri], fmt, s.lang)


def check_the_catalogue(s: Session, engine: Engine, fmt: ValidationFormat) -> Checked:
    report = check_catalogue(s.store, engine, s.lang)
    return Checked(render_validation(report, fmt, s.lang, load_shapes("catalogue", s.lang)), report.conforms)


def export_table(lang: Lang, fmt: str, output: Path, catalogue_dir: Path | None) -> list[Path]:
    """The expert table of a catalogue folder (the shipped one by default) written to ``output``."""
    files = CatalogueFiles.read(catalogue_dir or resources.catalogue_dir(), lang)  # a folder without *.ttl files is bad input
    return save_table(catalogue_table(files, lang), fmt, output, lang)


@dataclass
class Imported:
    shown: str
    changed: bool
    written: list[str]


def import_table(lang: Lang, table: Path, catalogue_dir: Path | None, *, apply: bool, show_diff: bool) -> Imported:
    files = CatalogueFiles.read(resolve_catalogue_dir(catalogue_dir, lang), lang)
    changes = apply_table(files, read_table(table, lang), lang)
    outcome = finish(files, lang, write=apply)
    return Imported(render_changes(changes, lang, files) + (outcome.diff if show_diff else ""), bool(outcome.changed_files), outcome.written)


@dataclass
class Curated:
    diff: str
    changes: str
    written: list[str]


def curate(lang: Lang, catalogue_dir: Path | None, edit_name: str, *args, dry_run: bool, source: SourceSpec, **kwargs) -> Curated:
    """One edit of the catalogue files (``Curator.<edit_name>``), checked by the shapes, then written unless ``dry_run``."""
    files = CatalogueFiles.read(resolve_catalogue_dir(catalogue_dir, lang), lang)
    curator = Curator(files, lang)
    getattr(curator, edit_name)(*args, source=source, **kwargs)
    outcome = finish(files, lang, write=not dry_run)
    return Curated(outcome.diff, render_changes(curator.changes, lang, files), outcome.written)


# ---------------------------------------------------------------- profiles

def new_profile(s: Session, status: str, life_situations: list[str], services: list[str], profile_id: str | None) -> str:
    cat = s.catalogue
    return profile_template(cat, status=cat.resolve_or_fail("status", status, s.lang),
                            life_situations=[cat.resolve_or_fail("life_situation", x, s.lang) for x in life_situations],
                            services=[cat.resolve_or_fail("service", x, s.lang) for x in services], profile_id=profile_id, lang=s.lang)


def show_profiles(s: Session, paths: list[Path], fmt: DocFormat) -> str:
    loaded = s.load_profiles(paths)
    if fmt is DocFormat.JSON:
        return json.dumps([profile_details(s.catalogue, p, s.lang) for p in loaded], ensure_ascii=False, indent=2) + "\n"
    return "\n".join(render_profile(s.catalogue, p, DocFormat.TEXT, s.lang) for p in loaded)


def validate_files(s: Session, paths: list[Path], *, stage: str | None, engine: Engine, shapes_file: Path | None,
                   fmt: ValidationFormat) -> Checked:
    shapes = read_shapes(shapes_file, s.lang) if shapes_file else load_shapes("profile", s.lang)
    loaded = s.load_profiles(paths, stage=resolve_stage_text(s.catalogue, stage, s.lang) if stage else None)
    report = validate_loaded_profiles(s.store, engine, s.lang, only=[p.id for p in loaded], shapes=shapes)
    report.checked = [p.path for p in loaded]
    return Checked(render_validation(report, fmt, s.lang, shapes), report.conforms)


# ---------------------------------------------------------------- inference

def suggest_for(s: Session, paths: list[Path], rule_files: list[Path], fmt: SuggestFormat, *, explain: bool) -> str:
    ruleset = s.rules(rule_files)
    loaded = s.load_profiles(paths)
    infer(s.store, ruleset, profiles=[p.iri for p in loaded])
    found = [(p.id, suggestions(s.store, s.catalogue, ruleset, p.iri, s.lang, explain=explain)) for p in loaded]
    return render_suggestions(found, s.lang, fmt, explain=explain)


def complete_profile(s: Session, path: Path, accept: list[str], rule_files: list[Path], output: Path | None) -> tuple[Path, int]:
    """Add the accepted suggestions to the profile file; the result must load before it replaces anything."""
    ruleset = s.rules(rule_files)
    prof = s.load_profiles([path])[0]
    infer(s.store, ruleset, profiles=[prof.iri])
    items = suggestions(s.store, s.catalogue, ruleset, prof.iri, s.lang)
    adds = additions(items, accept, s.catalogue, s.lang, path)
    source, style = read_source(path)
    new = encode_like(insert(source, adds, path, s.lang), style)
    with tempfile.TemporaryDirectory() as tmp:
        check = Path(tmp) / path.name
        check.write_bytes(new)
        load_profile(check, s.catalogue, lang=s.lang)
    target = output or path
    try:
        write_atomic(target, new)
    except OSError as exc:
        raise BadInputError(text("out.cannot_write", s.lang, problem=exc.strerror or exc), location=Location(str(target)), hint=text("out.hint", s.lang)) from None
    return target, len(adds)


def infer_all(s: Session, paths: list[Path], rule_files: list[Path]) -> tuple[InferenceRun, int]:
    """Run the rules over every profile in the store (after loading ``paths``): the run and the number of profiles."""
    ruleset = s.rules(rule_files)
    if paths:
        s.load_profiles(paths)
    return infer(s.store, ruleset), s.count_profiles()


# ---------------------------------------------------------------- queries, prioritisation, reports, export

def list_queries(lang: Lang) -> str:
    return render_library(library(), lang)


def run_named_query(s: Session, name: str, params: list[str], paths: list[Path], fmt: str) -> str:
    named = find_query(name, s.lang)
    given = {}
    for p in params:
        if "=" not in p:
            raise BadInputError(text("bad_param", s.lang, text=p))
        k, v = p.split("=", 1)
        given[k.strip()] = v.strip()
    if paths:
        s.load_profiles(paths)
    return run_query(s, named, given, fmt)


def prioritisation(s: Session, segments_file: Path, weights: str | None, fmt: str) -> str:
    parsed = prio.read_segments_file(segments_file, s.catalogue, s.lang)
    given = {c: w for c, (w, _) in parsed.weights.items()}
    if weights:
        given.update(prio.parse_weights_option(s.catalogue, weights, s.lang))
    ranked = prio.prioritise(parsed.segments, s.catalogue, s.lang, weights=given)
    return render_prioritisation(prio.prioritisation_data(ranked, s.catalogue, s.lang), fmt, s.lang)


REPORT_SUFFIXES = {".docx": ReportFormat.DOCX, ".html": ReportFormat.HTML, ".htm": ReportFormat.HTML, ".md": ReportFormat.MARKDOWN,
                   ".markdown": ReportFormat.MARKDOWN}


def report_format(fmt: ReportFormat | None, output: Path | None, lang: Lang) -> ReportFormat:
    """The format asked for, else the output's suffix («-o отчёт.html» is HTML), else DOCX."""
    if fmt is None:
        fmt = REPORT_SUFFIXES.get(output.suffix.lower()) if output is not None else ReportFormat.DOCX
        if fmt is None:
            raise BadInputError(text("rep.bad_suffix", lang, suffix=output.suffix or "—"), hint=text("rep.suffix_hint", lang))
    if fmt is ReportFormat.DOCX and output is None:
        raise BadInputError(text("rep.need_output", lang))
    if output is not None and not output.parent.resolve().is_dir():
        raise BadInputError(text("rep.bad_output", lang, path=output, problem=text("not_found", lang, path=output.parent)),
                            hint=text("rep.output_hint", lang))
    return fmt


def make_report(s: Session, paths: list[Path], fmt: ReportFormat, *, segments_file: Path | None, strict: bool) -> bytes:
    rep = prepare_report(s, paths, segments=segments_file)
    if strict and not rep.conforms:
        failing = ", ".join(p["id"] for p in rep.profiles if not p["validation"]["conforms"])
        raise NotConformingError(text("rep.strict", s.lang, ids=failing), hint=text("rep.strict_hint", s.lang))
    return render_report(rep, fmt)


def export_store(s: Session, paths: list[Path], fmt: ExportFormat, *, vocabulary: str, ontology: bool, catalogue: bool) -> bytes:
    if paths:
        s.load_profiles(paths)
    if vocabulary == "cpsv-ap":
        return export_cpsv_ap(s.store, fmt)
    return export_graphs(s.store, fmt, ontology=ontology, catalogue=catalogue)
