"""The store: the named queries and RDF export."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from segmentum.errors import BadInputError
from segmentum.i18n.columns import column_word
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import PREFIXES
from segmentum.query.library import NamedQuery, bind_params, find_query, library
from segmentum.query.results import labels_of, render_library, run_query
from segmentum.server.workers import Job, answer
from segmentum.session import Session
from segmentum.store.embedded import OxigraphStore, bind
from segmentum.store.export import ExportFormat, export_cpsv_ap, export_graphs
from segmentum.store.sparql_text import declare_prefixes


def list_queries(lang: Lang) -> str:
    return render_library(library(), lang)

def run_named_query(s: Session, name: str, params: list[str], paths: list[Path], fmt: str, *, ids: bool = False,
                    limit: int | None = None, offset: int | None = None) -> str | Callable[[BinaryIO], object]:
    """A query's results, or what writes them as they come (``query.results.run_query``)."""
    named = find_query(name, s.lang)
    given = {}
    for p in params:
        if "=" not in p:
            raise BadInputError(text("bad_param", s.lang, text=p))
        k, v = p.split("=", 1)
        given[k.strip()] = v.strip()
    if paths:
        s.load_profiles(paths)
    return run_query(s, named, given, fmt, ids=ids, limit=limit, offset=offset, stream=True)

def export_store(s: Session, paths: list[Path], fmt: ExportFormat, *, vocabulary: str, ontology: bool, catalogue: bool) -> bytes:
    if paths:
        s.load_profiles(paths)
    if vocabulary == "cpsv-ap":
        return export_cpsv_ap(s.store, fmt)
    return export_graphs(s.store, fmt, ontology=ontology, catalogue=catalogue)


def load_into_store(s: Session, paths: list[Path]) -> int:
    """Put the profiles into the store and make them durable before saying so (a full disk is a
    store error here, not after the success line); returns how many were loaded."""
    loaded = s.load_profiles(paths)
    s.store.flush()
    return len(loaded)


@dataclass
class Answer:
    """A query's answer for a page: the columns and rows of a SELECT (each cell the term's text, its IRI
    and label), the truth of an ASK, or the Turtle of a CONSTRUCT; or the endpoint's refusal."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[dict]] = field(default_factory=list)
    boolean: bool | None = None
    graph: str | None = None
    error: str | None = None
    status: int = 200


def endpoint_answer(s: Session, sparql: str, *, max_rows: int, max_bytes: int = 100_000, max_response_bytes: int = 16 * 1024 * 1024) -> Answer:
    """A read-only query answered by the SPARQL endpoint's own code (``server.workers.answer``: its size,
    syntax, SERVICE and LOAD checks, its row and byte limits) over the session's embedded store, in this
    process; IRIs labelled in the session's language."""
    if not isinstance(s.store, OxigraphStore):
        raise BadInputError(text("ws.sparql_embedded_only", s.lang))
    job = Job(sparql, "query", accept="application/sparql-results+json, text/turtle", max_rows=max_rows, max_bytes=max_bytes,
              max_response_bytes=max_response_bytes, lang=s.lang.value)
    outcome = answer(s.store._store, job)
    if outcome.status >= 400:
        return Answer(error=outcome.body.decode("utf-8", "replace"), status=outcome.status)
    if outcome.media_type != "application/sparql-results+json":
        return Answer(graph=outcome.body.decode("utf-8", "replace"))
    doc = json.loads(outcome.body)
    if "boolean" in doc:
        return Answer(boolean=bool(doc["boolean"]))
    names = doc["head"].get("vars", [])
    labelled = {n for n in names if f"{n}Label" in names}  # ?status with ?statusLabel: one column, the label in the page's language
    columns = [n for n in names if not (n.endswith("Label") and n[: -len("Label")] in labelled)]
    bindings = doc["results"]["bindings"]
    from rdflib import URIRef

    labels = labels_of(s, {URIRef(b[c]["value"]) for b in bindings for c in columns if b.get(c, {}).get("type") == "uri"})
    rows = []
    for b in bindings:
        row = []
        for c in columns:
            term = b.get(c)
            if term is None:
                row.append({"text": ""})
            elif term["type"] == "uri":
                row.append({"text": labels.get(URIRef(term["value"]), term["value"]), "iri": term["value"]})
            else:
                row.append({"text": term["value"], "lang": term.get("xml:lang")})
        rows.append(row)
    return Answer(columns=[column_word(c, s.lang) for c in columns], rows=rows)


def free_query_text(s: Session, sparql: str) -> str:
    """The text of the free query editor, with the project's prefixes (sgm:, attr:, skos:, …) declared where it uses them undeclared."""
    return declare_prefixes(sparql, {**PREFIXES, "xsd": "http://www.w3.org/2001/XMLSchema#"})


def named_query_text(s: Session, query: NamedQuery, given: dict[str, str]) -> str:
    """A library query with its parameters bound (values resolved in the catalogue, written as RDF terms)."""
    return bind(query.text, bind_params(query, {k: v for k, v in given.items() if v.strip()}, s.catalogue, s.lang))
