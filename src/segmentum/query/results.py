"""Run a named query in the session's store and render its results.

Machine formats (json, xml, csv, tsv) are the SPARQL 1.1 query results formats written by the
store; ``table`` is an aligned text table with prefixed names, for reading in a terminal.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from rdflib import Literal, URIRef

from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import PREFIXES
from segmentum.query.library import NamedQuery, bind_params, syntax_error
from segmentum.session import Session
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


def run_query(session: Session, query: NamedQuery, given: dict[str, str], fmt: str) -> str:
    """The query's results in ``fmt`` (table, csv, tsv, json, xml)."""
    bindings = bind_params(query, given, session.catalogue, session.lang)
    form = query_form(query.text)
    try:
        if form == "ASK":
            return ("true" if session.store.ask(query.text, bindings=bindings) else "false") + "\n"
        if form in ("CONSTRUCT", "DESCRIBE"):
            return session.store.construct(query.text, bindings=bindings).serialize(format="turtle")
        if fmt != "table":
            return session.store.serialize_results(query.text, fmt, bindings=bindings).decode("utf-8")
        names, rows = session.store.select_with_variables(query.text, bindings=bindings)
    except SyntaxError as exc:
        raise syntax_error(query, exc, session.lang) from exc
    cells = [[show_term(r[n]) if n in r else "" for n in names] for r in rows]
    return text_table(names, cells, [60] * len(names)) + f"({len(rows)})\n"


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
