"""The store: the named queries and RDF export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from segmentum.errors import BadInputError
from segmentum.i18n.messages import Lang, text
from segmentum.query.library import find_query, library
from segmentum.query.results import render_library, run_query
from segmentum.session import Session
from segmentum.store.export import ExportFormat, export_cpsv_ap, export_graphs


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
