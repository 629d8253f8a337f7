"""Run a named query in the session's store and render its results.

Machine formats (json, xml, csv, tsv) are the SPARQL 1.1 query results formats written by the
store, with the variables' names as they are; ``table`` is an aligned text table for people: its
headers are words in the user's language (``i18n.columns``), an IRI is shown by its label (the
catalogue's label, else one query for the labels of all the other IRIs of the result, else the
query's own ``…Label`` column, which then stands for its IRI), and ``ids`` adds the identifiers, as prefixed names, in a column next to them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from functools import lru_cache
from typing import BinaryIO

from rdflib import Literal, URIRef

from segmentum.errors import BadInputError, Location
from segmentum.i18n.columns import column_word, identifier_word
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import PREFIXES
from segmentum.query.library import NamedQuery, bind_params, syntax_error
from segmentum.resources import sparql
from segmentum.session import Session
from segmentum.store.sparql_text import has_page, with_page
from segmentum.store.turtle import TurtleWriter
from segmentum.tables import text_table

_WRITER = TurtleWriter(PREFIXES)


class ResultFormat(str, Enum):
    """Formats of ``segmentum query``: a table for people, and the SPARQL 1.1 results formats."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"


def show_term(node) -> str:
    """A term for a table cell: prefixed name, or the literal's text."""
    if isinstance(node, URIRef):
        return _show_iri(node)
    if isinstance(node, Literal):
        return str(node)
    return f"_:{node}"


@lru_cache(maxsize=65536)
def _show_iri(node: URIRef) -> str:
    q = _WRITER.qname(node)
    return f"{q[0]}:{q[1]}" if q else str(node)


def run_query(session: Session, query: NamedQuery, given: dict[str, str], fmt: str, *, ids: bool = False,
              limit: int | None = None, offset: int | None = None, stream: bool = False) -> str | Callable[[BinaryIO], object]:
    """The query's results in ``fmt`` (table, csv, tsv, json, xml); ``ids``: the table shows identifiers too.

    ``limit`` and ``offset`` select a page of the results inside the query, so the store stops at the page.
    With ``stream``, a SELECT in a machine format comes back as what writes it into a binary file row by row,
    as the store produces them: a result of millions of rows is never held whole.
    """
    bindings = bind_params(query, given, session.catalogue, session.lang)
    sparql = query.text
    if limit is not None or offset:
        if has_page(sparql):
            raise BadInputError(text("query.own_page", session.lang), location=Location(query.path))
        sparql = with_page(sparql, limit, offset)
    form = query_form(sparql)
    try:
        if form == "ASK":
            return ("true" if session.store.ask(sparql, bindings=bindings) else "false") + "\n"
        if form in ("CONSTRUCT", "DESCRIBE"):
            return session.store.construct(sparql, bindings=bindings).serialize(format="turtle")
        if fmt != "table" and stream:
            return session.store.results_writer(sparql, fmt, bindings=bindings)
        if fmt != "table":
            return session.store.serialize_results(sparql, fmt, bindings=bindings).decode("utf-8")
        names, rows = session.store.select_with_variables(sparql, bindings=bindings)
    except SyntaxError as exc:
        raise syntax_error(query, exc, session.lang) from exc
    return people_table(session, names, rows, ids=ids)


def people_table(session: Session, names: list[str], rows: list[dict], *, ids: bool = False) -> str:
    """Rows of a SELECT as a table for people: words for headers, labels for IRIs (see the module's docstring)."""
    lang = session.lang
    labelled = {n for n in names if f"{n}Label" in names}
    shown = [n for n in names if not (n.endswith("Label") and n[: -len("Label")] in labelled)]
    labels = labels_of(session, {r[n] for r in rows for n in shown if isinstance(r.get(n), URIRef)})

    def label(row: dict, name: str) -> str:
        node = row.get(name)
        if isinstance(node, URIRef) and node in labels:  # in the user's language, where the query's own may be Russian
            return labels[node]
        if name in labelled and f"{name}Label" in row:
            return str(row[f"{name}Label"])
        return "" if node is None else show_term(node)

    headers: list[str] = []
    cells: list = []  # one function of a row per column
    for n in shown:
        headers.append(column_word(n, lang))
        cells.append(lambda row, n=n: label(row, n))
        if ids and any(isinstance(r.get(n), URIRef) for r in rows):
            headers.append(identifier_word(n, lang))
            cells.append(lambda row, n=n: show_term(row[n]) if n in row else "")
    table = [[cell(r) for cell in cells] for r in rows]
    return text_table(headers, table, [60] * len(headers)) + f"({len(rows)})\n"


def labels_of(session: Session, iris: set[URIRef]) -> dict[URIRef, str]:
    """The labels of ``iris`` in the session's language (else Russian, else any): the catalogue's
    from memory, the others' (profiles, rules, the ontology) with one query for all of them."""
    lang = session.lang.value
    out: dict[URIRef, str] = {}
    rest = []
    for iri in iris:
        pref = session.catalogue.pref.get(str(iri))
        if pref:
            out[iri] = pref.get(lang) or pref.get("ru") or next(iter(pref.values()))
        else:
            rest.append(iri)
    if not rest:
        return out
    found: dict[URIRef, dict[str, str]] = {}
    for row in session.store.select(sparql("query/labels.rq"), bindings={"item": sorted(rest)}):
        value = row["label"]
        found.setdefault(row["item"], {}).setdefault(getattr(value, "language", None) or "", str(value))
    for iri, by_lang in found.items():
        out[iri] = by_lang.get(lang) or by_lang.get("ru") or by_lang.get("") or next(iter(by_lang.values()))
    return out


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword after comments and the prologue."""
    body = re.sub(r"#[^\n]*", "", sparql)
    body = re.sub(r"(?is)^\s*((PREFIX\s+[\w-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", "", body)
    m = re.match(r"\s*(\w+)", body)
    return m.group(1).upper() if m else "SELECT"


def render_library(queries: dict[str, NamedQuery], lang: Lang) -> str:
    """The named queries with what they show and their parameters."""
    headers = [text("col.name", lang), text("col.title", lang), text("col.params", lang)]
    rows = []
    for name, q in queries.items():
        params = ", ".join(f"{p.name} ({p.kind})" for p in q.params)
        rows.append([name, f"{q.title(lang)}. {q.description(lang)}".strip(), params])
    return text_table(headers, rows, [36, 80, 30])
