"""The expert attribute table: the catalogue as sheets of rows, and rows back into the catalogue.

Each sheet lists the items of some classes (attributes, value schemes, values, statuses, sources,
legal acts), one row per item, one column per property. A column owns its property: importing a
sheet makes every listed item have exactly the values in its cells for the owned properties, adds
the items that are new and removes the items of the sheet's classes that are no longer listed.
Properties no column owns (a region's borders, an act's scope note) are left as they are, so an
export followed by an import changes nothing.

``SHEETS`` is the single description of the table: the property of each column and how its cells
are written; the sheets' names and the columns' headers in Russian and English are the wording
package's (``i18n/headers.py``), read from a table in either language. docs/catalogue-table.md explains every column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD
from rdflib.term import Node

from segmentum.catalogue.files import CatalogueFiles
from segmentum.i18n.headers import column_header, kind_word, sheet_name
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import ACT, ATTR, ELI, FORM, SGM, SRC, ST, VAL, VS
from segmentum.store.turtle import _natural_key


class Kind:
    """How a column's cells are written."""

    ID = "id"  # the item's identifier (local name in the sheet's namespace)
    TEXT = "text"  # a literal, in the column's language or plain; several on separate lines if multi
    REF = "ref"  # identifiers of other items; several on separate lines (or separated by «;»)
    LIST = "list"  # an ordered RDF list of identifiers
    LISTS = "lists"  # several RDF lists of identifiers: one a line, its identifiers separated by «,»
    BOOL = "bool"  # да/нет (yes/no)
    NUMBER = "number"  # xsd:integer or xsd:decimal
    DATE = "date"  # xsd:date
    TYPE = "type"  # rdf:type, named by a word of the sheet's type vocabulary
    FILE = "file"  # the catalogue file the item is written in (no property)


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    predicate: URIRef | None = None
    lang: str | None = None  # language of TEXT literals (None: plain string)
    target: str | None = None  # REF/LIST: the sheet (or "form", "xsd") whose items are referred to
    multi: bool = False
    required: bool = False
    width: int = 30
    words: str | None = None  # the key of its header in i18n.headers when not ``key`` (a sheet names it differently)

    def header(self, lang: Lang) -> str:
        return column_header(self.words or self.key, lang)

    @property
    def ru(self) -> str:
        return self.header(Lang.RU)

    @property
    def en(self) -> str:
        return self.header(Lang.EN)


@dataclass(frozen=True)
class Sheet:
    key: str  # file name of its CSV, and stable key; its name is in i18n.headers
    namespace: str
    types: tuple[URIRef, ...]  # the classes whose items are the sheet's rows
    columns: tuple[Column, ...]
    kinds: tuple[URIRef, ...] = ()  # the classes the TYPE column names, by their words in i18n.headers

    def title(self, lang: Lang) -> str:
        return sheet_name(self.key, lang)

    @property
    def ru(self) -> str:
        return self.title(Lang.RU)

    @property
    def en(self) -> str:
        return self.title(Lang.EN)

    @property
    def type_names(self) -> tuple[tuple[URIRef, str, str], ...]:
        """The TYPE column's vocabulary: class, Russian word, English word."""
        return tuple((c, kind_word(local_name(c), Lang.RU), kind_word(local_name(c), Lang.EN)) for c in self.kinds)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def local_name(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _labels(multi_alt: bool = True) -> tuple[Column, ...]:
    cols = (
        Column("label_ru", Kind.TEXT, SKOS.prefLabel, "ru", required=True, width=40),
        Column("label_en", Kind.TEXT, SKOS.prefLabel, "en", required=True, width=35),
    )
    if multi_alt:
        cols += (
            Column("alt_ru", Kind.TEXT, SKOS.altLabel, "ru", multi=True, width=35),
            Column("alt_en", Kind.TEXT, SKOS.altLabel, "en", multi=True, width=30),
        )
    return cols


_ID = Column("id", Kind.ID, required=True, width=28)
_FILE = Column("file", Kind.FILE, width=22)

ATTRIBUTES = Sheet("attributes", str(ATTR), (SGM.Attribute,), (
    _ID,
    *_labels(),
    Column("definition_ru", Kind.TEXT, SKOS.definition, "ru", width=60),
    Column("definition_en", Kind.TEXT, SKOS.definition, "en", width=60),
    Column("statuses", Kind.REF, SGM.appliesToStatus, target="statuses", multi=True, required=True, width=14),
    Column("scheme", Kind.REF, SGM.valueScheme, target="schemes", width=26),
    Column("band_schemes", Kind.REF, SGM.bandScheme, target="schemes", multi=True, width=26),
    Column("datatype", Kind.REF, SGM.datatype, target="xsd", width=12),
    Column("min", Kind.NUMBER, SGM.minInclusive, width=10),
    Column("max", Kind.NUMBER, SGM.maxInclusive, width=10),
    Column("unit_ru", Kind.TEXT, SGM.unit, "ru", width=10),
    Column("unit_en", Kind.TEXT, SGM.unit, "en", width=10),
    Column("multi_valued", Kind.BOOL, SGM.multiValued, width=10),
    Column("derivable_from", Kind.LISTS, SGM.derivableFrom, target="attributes", width=34),
    Column("service_kinds", Kind.REF, SGM.appliesToServiceKind, target="values", multi=True, width=22),
    Column("sources", Kind.REF, SGM.hasSource, target="sources", multi=True, required=True, width=40),
    Column("editorial_note", Kind.TEXT, SKOS.editorialNote, "ru", width=40),
    _FILE,
))

SCHEMES = Sheet("schemes", str(VS), (SGM.ValueScheme,), (
    _ID,
    *_labels(multi_alt=False),
    Column("statuses", Kind.REF, SGM.appliesToStatus, target="statuses", multi=True, width=14),
    _FILE,
))

VALUES = Sheet("values", str(VAL), (SGM.AttributeValue, SGM.ValueBand, SGM.Region, SGM.FederalDistrict), (
    _ID,
    Column("scheme", Kind.REF, SKOS.inScheme, target="schemes", required=True, width=26, words="values.scheme"),
    Column("type", Kind.TYPE, RDF.type, width=16),
    Column("code", Kind.TEXT, SKOS.notation, width=10),
    *_labels(),
    Column("min", Kind.NUMBER, SGM.minInclusive, width=8, words="values.min"),
    Column("max", Kind.NUMBER, SGM.maxInclusive, width=8, words="values.max"),
    Column("broader", Kind.REF, SKOS.broader, target="values", multi=True, width=20),
    Column("deprecated", Kind.BOOL, OWL.deprecated, width=10),
    Column("replaced_by", Kind.REF, DCTERMS.isReplacedBy, target="values", multi=True, width=22),
    Column("sources", Kind.REF, SGM.hasSource, target="sources", multi=True, width=30),
    Column("note", Kind.TEXT, SKOS.note, "ru", width=40),
    _FILE,
), kinds=(
    SGM.AttributeValue,
    SGM.ValueBand,
    SGM.Region,
    SGM.FederalDistrict,
))

STATUSES = Sheet("statuses", str(ST), (SGM.ClientStatus,), (
    _ID,
    Column("code", Kind.TEXT, SKOS.notation, width=10),
    *_labels(),
    Column("definition_ru", Kind.TEXT, SKOS.definition, "ru", width=60),
    Column("definition_en", Kind.TEXT, SKOS.definition, "en", width=60),
    Column("main_attributes", Kind.LIST, SGM.mainAttributes, target="attributes", width=28),
))

SOURCES = Sheet("sources", str(SRC),
                (SGM.LegalProvision, SGM.FormField, SGM.ExpertTableEntry, SGM.MethodologyProvision), (
    _ID,
    Column("type", Kind.TYPE, RDF.type, required=True, width=18),
    Column("act", Kind.REF, SGM.legalAct, target="acts", width=24),
    Column("article", Kind.TEXT, SGM.article, width=14),
    Column("form", Kind.REF, SGM.form, target="form", width=26),
    Column("field_ref", Kind.TEXT, SGM.fieldRef, "ru", width=10),
    Column("field_ref_en", Kind.TEXT, SGM.fieldRef, "en", width=10),
    Column("field_label", Kind.TEXT, SGM.fieldLabel, "ru", width=40),
    Column("label_ru", Kind.TEXT, SKOS.prefLabel, "ru", width=40),
    Column("label_en", Kind.TEXT, SKOS.prefLabel, "en", width=35),
    Column("needs_review", Kind.BOOL, SGM.needsReview, width=10),
    Column("source", Kind.TEXT, DCTERMS.source, width=40),
    Column("note", Kind.TEXT, SKOS.note, "ru", width=40),
), kinds=(
    SGM.LegalProvision,
    SGM.FormField,
    SGM.ExpertTableEntry,
    SGM.MethodologyProvision,
))

ACTS = Sheet("acts", str(ACT), (SGM.LegalAct,), (
    _ID,
    Column("number", Kind.TEXT, ELI.id_local, required=True, width=16),
    Column("date", Kind.DATE, ELI.date_document, required=True, width=12),
    Column("act_kind", Kind.TEXT, SGM.actKind, "ru", width=20),
    Column("title", Kind.TEXT, ELI.title, "ru", required=True, width=50),
    *_labels(multi_alt=False),
    Column("in_force", Kind.BOOL, SGM.inForce, width=10),
    Column("needs_review", Kind.BOOL, SGM.needsReview, width=10),
    Column("source", Kind.TEXT, DCTERMS.source, width=40),
    Column("note", Kind.TEXT, SKOS.note, "ru", width=40),
))

#: the sheets in the order of the workbook
SHEETS: tuple[Sheet, ...] = (ATTRIBUTES, SCHEMES, VALUES, STATUSES, SOURCES, ACTS)
SHEET_BY_KEY = {s.key: s for s in SHEETS}

XSD_NAMES = ("integer", "decimal", "boolean", "date", "string")
LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
SPLIT_REFS = re.compile(r"[\n;,]+")
#: properties whose text is one line (several labels are several lines of a cell)
ONE_LINE = {SKOS.prefLabel, SKOS.altLabel}
YES_WORDS = {"да", "yes", "true", "1", "истина"}
NO_WORDS = {"нет", "no", "false", "0", "ложь"}


# ---------------------------------------------------------------- the catalogue as rows

Cell = str | int | dt.date | None


@dataclass
class Table:
    """Sheets of rows: the header row, then data rows, each cell a string, number, date or None.

    ``rows[sheet_key]`` holds (row number, cells) pairs; ``origin`` names the file in messages.
    """

    origin: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[tuple[int, list[Cell]]]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # sheet key -> sheet name as found
    paths: dict[str, str] = field(default_factory=dict)  # sheet key -> its own file (CSV: one file a sheet)
    file_choices: dict[str, list[str]] = field(default_factory=dict)  # sheet key -> catalogue files its items may go to


def local(iri: Node, namespace: str) -> str:
    t = str(iri)
    return t.removeprefix(namespace)


def target_namespace(target: str) -> str:
    if target in SHEET_BY_KEY:
        return SHEET_BY_KEY[target].namespace
    return {"form": str(FORM), "xsd": str(XSD)}[target]


def sheet_subjects(files: CatalogueFiles, sheet: Sheet) -> list[URIRef]:
    subjects = {s for t in sheet.types for s in files.graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return sorted(subjects, key=lambda s: _row_order(files, sheet, s))


def _row_order(files: CatalogueFiles, sheet: Sheet, s: URIRef) -> tuple:
    if sheet is VALUES:
        scheme = files.graph.value(s, SKOS.inScheme)
        return (_natural_key(local(scheme or "", str(VS))), _natural_key(local(s, sheet.namespace)))
    return (_natural_key(local(s, sheet.namespace)),)


def _sorted_objects(objects: Iterable[Node]) -> list[Node]:
    return sorted(objects, key=lambda o: _natural_key(str(o)))


def cell_of(files: CatalogueFiles, sheet: Sheet, column: Column, s: URIRef, lang: Lang) -> Cell:
    """The cell of item ``s`` in ``column``."""
    g = files.graph
    if column.kind == Kind.ID:
        return local(s, sheet.namespace)
    if column.kind == Kind.FILE:
        return files.home.get(s, "").removesuffix(".ttl") or None
    objects = list(g.objects(s, column.predicate))
    if column.kind == Kind.TEXT:
        objects = [o for o in objects if isinstance(o, Literal) and (o.language or None) == column.lang]
        return "\n".join(str(o) for o in _sorted_objects(objects)) or None
    if column.kind == Kind.REF:
        ns = target_namespace(column.target)
        return "\n".join(local(o, ns) for o in _sorted_objects(objects)) or None
    if column.kind == Kind.LIST:
        if not objects:
            return None
        ns = target_namespace(column.target)
        return "\n".join(local(o, ns) for o in Collection(g, objects[0]))
    if column.kind == Kind.LISTS:
        ns = target_namespace(column.target)
        return "\n".join(sorted(", ".join(local(o, ns) for o in Collection(g, first)) for first in objects)) or None
    if column.kind == Kind.TYPE:
        names = {c: (ru, en) for c, ru, en in sheet.type_names}
        found = [names[o][1 if lang is Lang.EN else 0] for o in objects if o in names]
        return "\n".join(sorted(found)) or None
    if not objects:
        return None
    o = objects[0]
    if column.kind == Kind.BOOL:
        return text("yes" if o.toPython() is True else "no", lang)
    if column.kind == Kind.NUMBER:
        return int(str(o)) if o.datatype == XSD.integer else str(o)
    if column.kind == Kind.DATE:
        return o.toPython() if isinstance(o.toPython(), dt.date) else str(o)
    raise AssertionError(column.kind)


def catalogue_table(files: CatalogueFiles, lang: Lang) -> Table:
    """The catalogue as a table: one sheet per entry of ``SHEETS``."""
    table = Table(origin=str(files.folder))
    for sheet in SHEETS:
        table.titles[sheet.key] = sheet.title(lang)
        table.headers[sheet.key] = [c.header(lang) for c in sheet.columns]
        subjects = sheet_subjects(files, sheet)
        table.rows[sheet.key] = [(i + 2, [cell_of(files, sheet, c, s, lang) for c in sheet.columns]) for i, s in enumerate(subjects)]
        if any(c.kind == Kind.FILE for c in sheet.columns):
            homes = {files.home[s] for s in subjects if s in files.home} | {f for f in files.file_names() if f.startswith("attributes-")}
            table.file_choices[sheet.key] = sorted(f.removesuffix(".ttl") for f in homes)
    return table


def is_deprecated_row(sheet: Sheet, cells: list[Cell]) -> bool:
    """A deprecated value's row, to be marked in the workbook."""
    if sheet is not VALUES:
        return False
    i = [c.key for c in sheet.columns].index("deprecated")
    return str(cells[i] or "").strip().casefold() in YES_WORDS
