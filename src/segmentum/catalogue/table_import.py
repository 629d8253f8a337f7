"""Rows of the expert table back into the catalogue: each sheet's rows parsed and checked (references,
required cells, dangling items), applied to the catalogue files, and the changes listed for review.

The table's sheets and columns are described once, in ``catalogue.table``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS, XSD
from rdflib.term import Node

from segmentum.catalogue.files import CatalogueFiles
from segmentum.catalogue.table import (
    ATTRIBUTES,
    LOCAL_ID,
    NO_WORDS,
    ONE_LINE,
    SCHEMES,
    SHEET_BY_KEY,
    SHEETS,
    SOURCES,
    SPLIT_REFS,
    STATUSES,
    VALUES,
    XSD_NAMES,
    YES_WORDS,
    Cell,
    Column,
    Kind,
    Sheet,
    Table,
    local,
    sheet_subjects,
    target_namespace,
)
from segmentum.errors import BadInputError, Location, error_line
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import SGM, ST, VAL
from segmentum.output import progress
from segmentum.store.turtle import _natural_key

# ---------------------------------------------------------------- rows back into the catalogue

@dataclass
class TableError:
    location: Location
    message: str
    hint: str | None = None

    def render(self, lang: Lang) -> str:
        return error_line(self.location, self.message, self.hint, lang)

    def __str__(self) -> str:
        return self.render(Lang.EN)


class TableErrors(BadInputError):
    """Every problem found in a table, one line each (``file:sheet:row: error: …``)."""

    def __init__(self, errors: list[TableError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    def render(self, lang: Lang) -> str:
        return "\n".join(e.render(lang) for e in self.errors)


@dataclass
class Change:
    """One item added, changed or removed by an import or an edit."""

    action: str  # "added" | "changed" | "removed"
    sheet: str
    iri: URIRef
    label: str
    columns: list[str] = field(default_factory=list)


@dataclass
class _Parsed:
    row: int
    iri: URIRef
    values: dict[str, list[Node]]  # column key -> objects
    file: str | None
    refs: list[tuple[Column, str, URIRef]]  # REF/LIST cells to check once all sheets are read


def where(table: Table, sheet: Sheet, row: int | None = None) -> Location:
    if sheet.key in table.paths:
        return Location(table.paths[sheet.key], row)
    return Location(f"{table.origin}:{table.titles.get(sheet.key, sheet.title(Lang.RU))}", row)


def header_map(table: Table, sheet: Sheet, lang: Lang) -> tuple[dict[str, int], list[TableError]]:
    """Which position each column is at, found by its Russian or English header."""
    found = [str(h or "").strip() for h in table.headers[sheet.key]]
    norm = {h.casefold(): i for i, h in enumerate(found) if h}
    positions, errors = {}, []
    for c in sheet.columns:
        i = norm.get(c.ru.casefold(), norm.get(c.en.casefold()))
        if i is None:
            near = difflib.get_close_matches(c.header(lang), [h for h in found if h], n=1)
            hint = text("did_you_mean", lang, options=quoted_list(near, lang)) if near else text("table.add_column", lang)
            errors.append(TableError(where(table, sheet, 1), text("table.missing_column", lang, column=c.header(lang)), hint))
        else:
            positions[c.key] = i
    return positions, errors


def _text_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


class _RowReader:
    """Parse the cells of one row; problems are collected, not raised."""

    def __init__(self, table: Table, sheet: Sheet, row: int, lang: Lang, errors: list[TableError]) -> None:
        self.table, self.sheet, self.row, self.lang, self.errors = table, sheet, row, lang, errors

    def error(self, column: Column, key: str, hint: str | None = None, **kw) -> None:
        msg = text(key, self.lang, column=column.header(self.lang), **kw)
        self.errors.append(TableError(where(self.table, self.sheet, self.row), msg, hint))

    def objects(self, column: Column, value: Cell) -> list[Node] | None:
        raw = _text_cell(value)
        if not raw:
            return []
        if column.kind == Kind.TEXT:
            parts = [p.strip() for p in raw.split("\n")] if column.multi else [raw]
            if column.predicate in ONE_LINE:  # a label is one line: «Размер  бизнеса», a tab in it, is «Размер бизнеса»
                parts = [re.sub(r"[ \t\r\f\v]+", " ", p).strip() for p in parts]
            return [Literal(p, lang=column.lang) if column.lang else Literal(p) for p in parts if p]
        if column.kind == Kind.BOOL:
            word = raw.casefold()
            if word in YES_WORDS:
                return [Literal(True)]
            if word in NO_WORDS:
                return [Literal(False)]
            self.error(column, "table.bad_bool", text("table.bool_hint", self.lang), value=raw)
            return None
        if column.kind == Kind.NUMBER:
            if isinstance(value, int) and not isinstance(value, bool):
                return [Literal(value, datatype=XSD.integer)]
            if re.fullmatch(r"[+-]?\d+", raw):
                return [Literal(str(int(raw)), datatype=XSD.integer)]
            try:
                number = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                self.error(column, "table.bad_number", value=raw)
                return None
            return [Literal(str(number), datatype=XSD.decimal)]
        if column.kind == Kind.DATE:
            try:
                day = dt.date.fromisoformat(raw) if "-" in raw else dt.datetime.strptime(raw, "%d.%m.%Y").date()
            except ValueError:
                self.error(column, "table.bad_date", text("date_hint", self.lang), value=raw)
                return None
            return [Literal(day.isoformat(), datatype=XSD.date)]
        if column.kind == Kind.TYPE:
            names = {}
            for cls, ru, en in self.sheet.type_names:
                names[ru.casefold()] = names[en.casefold()] = cls
            cls = names.get(raw.casefold())
            if cls is None:
                options = quoted_list([ru for _, ru, _ in self.sheet.type_names], self.lang)
                self.error(column, "table.bad_choice", text("table.one_of", self.lang, options=options), value=raw)
                return None
            return [cls]
        raise AssertionError(column.kind)


def parse_sheet(table: Table, sheet: Sheet, files: CatalogueFiles, lang: Lang, errors: list[TableError]) -> dict[URIRef, _Parsed]:
    positions, header_errors = header_map(table, sheet, lang)
    if header_errors:
        errors += header_errors
        return {}
    out: dict[URIRef, _Parsed] = {}
    first_row: dict[URIRef, int] = {}
    for row, cells in progress(table.rows[sheet.key], text("progress.table", lang)):
        def cell(key: str, cells: list[Cell] = cells) -> Cell:
            i = positions[key]
            return cells[i] if i < len(cells) else None

        if all(_text_cell(cell(c.key)) == "" for c in sheet.columns):
            continue
        reader = _RowReader(table, sheet, row, lang, errors)
        ident = _text_cell(cell("id"))
        id_col = sheet.column("id")
        if not ident:
            reader.error(id_col, "table.no_id")
            continue
        if not LOCAL_ID.match(ident) or ident.endswith("-"):
            reader.error(id_col, "table.bad_id", text("id_hint", lang), value=ident)
            continue
        iri = URIRef(sheet.namespace + ident)
        if iri in first_row:
            reader.error(id_col, "table.duplicate_row", text("table.duplicate_hint", lang), value=ident, other=first_row[iri])
            continue
        first_row[iri] = row
        parsed = _Parsed(row, iri, {}, None, [])
        for c in sheet.columns:
            value = cell(c.key)
            if c.kind in (Kind.ID,):
                continue
            if c.kind == Kind.FILE:
                name = _text_cell(value)
                if name:
                    fname = name if name.endswith(".ttl") else name + ".ttl"
                    if fname not in files.texts:
                        reader.error(c, "table.bad_file", text("table.one_of", lang, options=quoted_list(
                            [n.removesuffix(".ttl") for n in files.file_names()], lang)), value=name)
                    else:
                        parsed.file = fname
                continue
            if c.kind == Kind.LISTS:
                ns = target_namespace(c.target)
                lists = []
                for line in re.split(r"[\n;]+", _text_cell(value)):
                    tokens = [t for t in re.split(r"[,\s]+", line) if t]
                    for t in tokens:
                        parsed.refs.append((c, t, URIRef(ns + t)))
                    if tokens:
                        lists.append(tuple(URIRef(ns + t) for t in tokens))
                parsed.values[c.key] = lists
            elif c.kind in (Kind.REF, Kind.LIST):
                tokens = [t.strip() for t in SPLIT_REFS.split(_text_cell(value)) if t.strip()]
                if len(tokens) > 1 and not (c.multi or c.kind == Kind.LIST):
                    reader.error(c, "table.one_only", value=_text_cell(value))
                ns = target_namespace(c.target)
                objs = []
                for t in tokens:
                    t = t.split(":", 1)[1] if re.match(r"^[a-z]+:", t) and c.target == "xsd" else t
                    target = URIRef(ns + t)
                    objs.append(target)
                    parsed.refs.append((c, t, target))
                parsed.values[c.key] = objs
            else:
                objs = reader.objects(c, value)
                if objs is None:
                    continue
                parsed.values[c.key] = objs
            if c.required and not parsed.values.get(c.key):
                reader.error(c, "table.required")
        out[iri] = parsed
    return out


def _label(files: CatalogueFiles, s: Node, lang: Lang) -> str:
    labels = {o.language: str(o) for o in files.graph.objects(s, SKOS.prefLabel) if isinstance(o, Literal)}
    return labels.get(lang.value) or labels.get("ru") or str(s).rsplit("/", 1)[-1]


def apply_table(files: CatalogueFiles, table: Table, lang: Lang) -> list[Change]:
    """Make the catalogue in ``files`` hold what the table's sheets say; return the changes.

    Raises ``TableErrors`` with every problem found (the catalogue object is then not to be written).
    Sheets the table does not have are left as they are.
    """
    errors: list[TableError] = []
    present = [s for s in SHEETS if s.key in table.rows]
    parsed = {s.key: parse_sheet(table, s, files, lang, errors) for s in present}
    if errors:
        raise TableErrors(errors)
    changes: list[Change] = []
    new_items: dict[URIRef, tuple[Sheet, _Parsed]] = {}
    for sheet in present:
        rows = parsed[sheet.key]
        existing = set(sheet_subjects(files, sheet))
        for s in sorted(existing - set(rows), key=str):
            changes.append(Change("removed", sheet.key, s, _label(files, s, lang)))
            files.remove_subject(s)
        for iri, p in rows.items():
            is_new = iri not in existing
            if is_new and iri in files.home:
                errors.append(TableError(where(table, sheet, p.row), text("table.taken_id", lang, value=local(iri, sheet.namespace)),
                                         text("table.duplicate_hint", lang)))
                continue
            changed_cols = []
            for c in sheet.columns:
                if c.predicate is None:
                    continue
                new = p.values.get(c.key, [])
                old = _owned_objects(files, c, iri)
                if c.kind == Kind.LIST:
                    if [*old] != new:
                        files.add_list(iri, c.predicate, new)
                        changed_cols.append(c.header(lang))
                    continue
                if c.kind == Kind.LISTS:
                    if set(old) != set(new):
                        files.add_lists(iri, c.predicate, sorted(set(new), key=lambda items: [str(i) for i in items]))
                        changed_cols.append(c.header(lang))
                    continue
                if c.kind == Kind.TYPE and not new:
                    new = [sheet.types[0]]
                if set(old) != set(new):
                    for o in old:
                        files.graph.remove((iri, c.predicate, o))
                    for o in new:
                        files.graph.add((iri, c.predicate, o))
                    changed_cols.append(c.header(lang))
            if is_new:
                new_items[iri] = (sheet, p)
                changes.append(Change("added", sheet.key, iri, _label(files, iri, lang)))
            else:
                if p.file and p.file != files.home.get(iri):
                    files.home[iri] = p.file
                    changed_cols.append(sheet.column("file").header(lang))
                if changed_cols:
                    changes.append(Change("changed", sheet.key, iri, _label(files, iri, lang), changed_cols))
    for iri, (sheet, p) in new_items.items():
        if p.file:
            files.home[iri] = p.file
    for iri, (sheet, p) in sorted(new_items.items(), key=lambda kv: SHEETS.index(kv[1][0])):
        if iri not in files.home:
            files.home[iri] = default_file(files, sheet, iri)
    errors += _check_refs(files, table, present, parsed, lang)
    errors += _check_rows(files, table, present, parsed, new_items, lang)
    errors += _check_dangling(files, table, changes, lang)
    if errors:
        raise TableErrors(errors)
    return changes


def _owned_objects(files: CatalogueFiles, column: Column, s: URIRef) -> list[Node]:
    objects = list(files.graph.objects(s, column.predicate))
    if column.kind == Kind.TEXT:
        return [o for o in objects if isinstance(o, Literal) and (o.language or None) == column.lang]
    if column.kind == Kind.LIST:
        return list(Collection(files.graph, objects[0])) if objects else []
    if column.kind == Kind.LISTS:
        return [tuple(Collection(files.graph, first)) for first in objects]
    if column.kind == Kind.TYPE:
        return objects
    return objects


def default_file(files: CatalogueFiles, sheet: Sheet, iri: URIRef) -> str:
    """The file a new item is written in when its row names none."""
    g = files.graph
    if sheet is ATTRIBUTES:
        statuses = sorted(local(s, str(ST)) for s in g.objects(iri, SGM.appliesToStatus))
        name = f"attributes-{statuses[0]}.ttl" if len(statuses) == 1 else "attributes-core.ttl"
        return name if name in files.texts else "attributes-core.ttl"
    if sheet is SCHEMES:
        for p in (SGM.valueScheme, SGM.bandScheme):
            for a in sorted(g.subjects(p, iri), key=str):
                if a in files.home:
                    return files.home[a]
        return "attributes-core.ttl"
    if sheet is VALUES:
        scheme = g.value(iri, SKOS.inScheme)
        if scheme in files.home:
            return files.home[scheme]
        for s in g.objects(iri, SKOS.inScheme):
            for a in g.subjects(SGM.valueScheme, s):
                return files.home.get(a, "attributes-core.ttl")
        return "attributes-core.ttl"
    if sheet is SOURCES:
        return "forms.ttl" if (iri, RDF.type, SGM.FormField) in g else "sources.ttl"
    if sheet is STATUSES:
        return "statuses.ttl"
    return "legal-acts.ttl"


_TARGET_CLASSES = {
    "attributes": (SGM.Attribute,), "schemes": (SGM.ValueScheme,), "statuses": (SGM.ClientStatus,),
    "sources": SOURCES.types, "values": VALUES.types, "acts": (SGM.LegalAct,), "form": (SGM.ApplicationForm,),
}


def _check_refs(files: CatalogueFiles, table: Table, present: list[Sheet], parsed: dict, lang: Lang) -> list[TableError]:
    """Every identifier in a REF or LIST cell names an item of the right kind."""
    errors = []
    g = files.graph
    for sheet in present:
        for p in parsed[sheet.key].values():
            for column, token, target in p.refs:
                if column.target == "xsd":
                    ok = token in XSD_NAMES
                else:
                    classes = _TARGET_CLASSES[column.target]
                    ok = any((target, RDF.type, c) in g for c in classes)
                if not ok:  # the options only for a wrong reference: listing them for each one was 50 s with ОКВЭД2
                    if column.target == "xsd":
                        options = list(XSD_NAMES)
                    else:
                        ns = target_namespace(column.target)
                        options = sorted({local(s, ns) for c in classes for s in g.subjects(RDF.type, c)})
                    near = difflib.get_close_matches(token, options, n=3)
                    hint = text("did_you_mean", lang, options=quoted_list(near, lang)) if near else None
                    kind = text(f"table.kind.{column.target}", lang)
                    message = text("table.unknown_ref", lang, column=column.header(lang), kind=kind, value=token)
                    errors.append(TableError(where(table, sheet, p.row), message, hint))
    return errors


def _check_rows(files: CatalogueFiles, table: Table, present: list[Sheet], parsed: dict, new_items: dict, lang: Lang) -> list[TableError]:
    """Rules a single row must keep that the shapes do not say in the table's terms."""
    errors = []
    keys = {s.key for s in present}
    if "attributes" in keys:
        seen: dict[tuple[str, str], int] = {}
        for p in sorted(parsed["attributes"].values(), key=lambda p: p.row):
            labels = [str(o) for o in p.values.get("label_ru", [])]
            for status in p.values.get("statuses", []):
                for label in labels:
                    key = (str(status), label.casefold())
                    if key in seen:
                        errors.append(TableError(where(table, ATTRIBUTES, p.row), text("table.duplicate_label", lang, value=label, other=seen[key]),
                                                 text("table.rename_hint", lang)))
                    else:
                        seen[key] = p.row
    if "values" in keys:
        for iri, (sheet, p) in new_items.items():
            if sheet is VALUES and not p.values.get("sources"):
                errors.append(TableError(where(table, VALUES, p.row), text("table.value_no_source", lang, value=local(iri, str(VAL))),
                                         text("table.source_hint", lang)))
    return errors


def _check_dangling(files: CatalogueFiles, table: Table, changes: list[Change], lang: Lang) -> list[TableError]:
    """A removed item that something still refers to cannot be removed."""
    removed = {c.iri: c for c in changes if c.action == "removed"}
    errors = []
    for iri, change in sorted(removed.items(), key=lambda kv: str(kv[0])):
        users = sorted({s for s in files.graph.subjects(None, iri) if not isinstance(s, BNode)}, key=str)
        users += sorted({_list_owner(files, s) for s in files.graph.subjects(RDF.first, iri)} - {None}, key=str)
        if users:
            sheet = SHEET_BY_KEY[change.sheet]
            names = quoted_list([str(u).rsplit("/", 1)[-1] for u in users[:5]], lang)
            errors.append(TableError(where(table, sheet), text("table.still_used", lang, value=local(iri, sheet.namespace), users=names),
                                     text("table.still_used_hint", lang)))
    return errors


def _list_owner(files: CatalogueFiles, cell: Node) -> Node | None:
    seen = set()
    while isinstance(cell, BNode) and cell not in seen:
        seen.add(cell)
        prev = next(iter(files.graph.subjects(RDF.rest, cell)), None)
        if prev is None:
            return next((s for s in files.graph.subjects(None, cell) if not isinstance(s, BNode)), None)
        cell = prev
    return None


def render_changes(changes: list[Change], lang: Lang, files: CatalogueFiles) -> str:
    """What an import or edit changes, by sheet: «+» added, «~» changed (with the columns), «−» removed."""
    if not changes:
        return text("table.no_changes", lang) + "\n"
    by_sheet: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_sheet[c.sheet].append(c)
    lines = []
    for sheet in SHEETS:
        items = by_sheet.get(sheet.key)
        if not items:
            continue
        counts = {a: sum(1 for c in items if c.action == a) for a in ("added", "changed", "removed")}
        lines.append(text("table.sheet_summary", lang, sheet=sheet.title(lang), **counts))
        for c in sorted(items, key=lambda c: ({"added": 0, "changed": 1, "removed": 2}[c.action], _natural_key(str(c.iri)))):
            mark = {"added": "+", "changed": "~", "removed": "-"}[c.action]
            ident = local(c.iri, sheet.namespace)
            tail = f": {', '.join(c.columns)}" if c.columns else ""
            lines.append(f"  {mark} {ident} «{c.label}»{tail}")
    changed = files.changed()
    if changed:
        lines.append(text("table.files", lang, files=", ".join(changed)))
    return "\n".join(lines) + "\n"
