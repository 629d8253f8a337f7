"""The catalogue: listing, showing, the expert table, edits with their source."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from segmentum import resources
from segmentum.catalogue.curation import Curator, SourceSpec, finish
from segmentum.catalogue.files import CatalogueFiles, resolve_catalogue_dir
from segmentum.catalogue.folder import locked
from segmentum.catalogue.review import Proposal, Staging
from segmentum.catalogue.table import catalogue_table
from segmentum.catalogue.table_import import apply_table, render_changes
from segmentum.catalogue.table_io import read_table, save_table
from segmentum.catalogue.view import AttributeInfo
from segmentum.i18n.messages import Lang
from segmentum.namespaces import CATALOGUE_GRAPH
from segmentum.reports.terminal import (
    TERM_COLUMNS,
    DocFormat,
    TableFormat,
    attribute_details,
    attribute_rows,
    render_attribute,
    render_table,
    term_rows,
)
from segmentum.session import Session


def list_attributes(s: Session, status: str | None, source: str | None, fmt: TableFormat) -> str:
    st = s.catalogue.resolve_or_fail("status", status, s.lang) if status else None
    doc = s.catalogue.resolve_or_fail("document", source, s.lang) if source else None
    return render_table(attribute_rows(s.catalogue, s.catalogue.attributes_for(st, doc), s.lang), fmt, s.lang)

def list_terms(s: Session, kind: str, fmt: TableFormat) -> str:
    return render_table(term_rows(s.catalogue, kind, s.lang), fmt, s.lang, TERM_COLUMNS)

def show_attribute(s: Session, attribute: str, fmt: DocFormat) -> str:
    iri = s.catalogue.resolve_or_fail("attribute", attribute, s.lang)
    return render_attribute(s.catalogue, s.catalogue.attributes[iri], fmt, s.lang)

def find_attributes(s: Session, written: str, status: str | None = None, limit: int = 50) -> list[AttributeInfo]:
    """Attributes for a search box: by Russian or English label, synonym or inflected form (see
    ``LabelIndex.search``), best first; with ``status`` (an IRI), only that status's; empty text: all, by label."""
    cat = s.catalogue
    if not written.strip():
        return cat.attributes_for(status)[:limit]
    found = cat.index("attribute", s.lang, status).search(written, limit)
    return [cat.attributes[c.iri] for c in found]

def attribute_data(s: Session, attribute: str) -> dict:
    """Everything about one attribute as plain data: values (deprecated ones with their replacement),
    bands, sources with whether they were checked."""
    iri = s.catalogue.resolve_or_fail("attribute", attribute, s.lang)
    return attribute_details(s.catalogue, s.catalogue.attributes[iri], s.lang)

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
    folder = resolve_catalogue_dir(catalogue_dir, lang)
    with locked(folder, lang) if apply else nullcontext():  # one writer at a time, from reading to writing
        files = CatalogueFiles.read(folder, lang)
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
    folder = resolve_catalogue_dir(catalogue_dir, lang)
    with nullcontext() if dry_run else locked(folder, lang):  # one writer at a time, from reading to writing
        files = CatalogueFiles.read(folder, lang)
        curator = Curator(files, lang)
        getattr(curator, edit_name)(*args, source=source, **kwargs)
        outcome = finish(files, lang, write=not dry_run)
    return Curated(outcome.diff, render_changes(curator.changes, lang, files), outcome.written)

# ---------------------------------------------------------------- changes with review

#: the folder, inside a workspace folder, of its catalogue proposals and history (hidden: not a profile folder)
CURATION_DIR = ".curation"

def staging_area(folder: Path, catalogue_dir: Path | None, lang: Lang) -> Staging:
    """The staging area and history kept in ``folder`` for the catalogue folder being edited (``--catalogue`` or the checkout's)."""
    return Staging(Path(folder) / CURATION_DIR, resolve_catalogue_dir(catalogue_dir, lang), lang)

def propose_change(area: Staging, edit: str, args: list[str], kwargs: dict, source: SourceSpec, author: str, reason: str) -> Proposal:
    """Keep a proposed edit (``Curator.<edit>``) with its author, reason and source, once it applies and passes the shapes."""
    spec = {k: v for k, v in vars(source).items() if v}
    return area.propose(Proposal(edit, list(args), dict(kwargs), spec, author.strip(), reason.strip()))

def reload_catalogue(s: Session, folder: Path) -> None:
    """The session's store given the catalogue files of ``folder`` in place of the ones it loaded; its catalogue view read anew."""
    files = CatalogueFiles.read(folder, s.lang)
    s.store.replace_graph(CATALOGUE_GRAPH, iter(files.graph))
    s.shipped = False
    s.__dict__.pop("catalogue", None)
