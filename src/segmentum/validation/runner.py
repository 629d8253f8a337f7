"""Run the compiled queries of a shapes graph in the store and turn their rows into validation results.

Queries that start from the same focus pattern run as one ``LATERAL`` query where the store
evaluates it; the costliest queries start first; messages are filled once per set of values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from segmentum.cache import cache_file, code_digest, files_digest, read_cache, write_cache
from segmentum.i18n.messages import Lang, text
from segmentum.output import progress
from segmentum.resources import shape_files
from segmentum.store.embedded import Store, shipped_data_version
from segmentum.validation.compiler import CompiledQuery, Compiler, term
from segmentum.validation.constraint_text import prologue
from segmentum.validation.shapes import ShapesGraph


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL validation result."""

    focus: Node
    path: Node | None = field(compare=False)
    path_text: str | None
    value: Node | None
    severity: URIRef
    component: URIRef
    shape: Node
    constraint: Node | None = None
    messages: tuple[Literal, ...] = field(default=(), compare=False)

    def key(self) -> tuple:
        """What two engines must agree on: focus, path, value, component, severity, source shape."""
        return (self.focus, self.path_text, self.value, self.component, self.severity, self.shape)



@dataclass
class SharedFocusQuery:
    """Several compiled queries with one focus pattern in one query: the focus nodes are found once
    and each constraint is evaluated with ``?this`` bound (Oxigraph's ``LATERAL``, SEP-0006).
    The column ``?_branch`` tells which constraint a row belongs to."""

    sparql: str
    branches: list[CompiledQuery]

    @property
    def cost(self) -> float:
        """The cost of its costliest constraint."""
        return max(q.cost for q in self.branches)



# ------------------------------------------------------------ running

class ValidationPlan:
    """The compiled queries of a shapes graph, kept for repeated runs (incremental validation).

    In a store that evaluates ``LATERAL`` (``store.lateral``), the queries that start from the same
    focus pattern run as one query (``share_focus``): at 50,000 profiles the stage III–IV target
    was otherwise evaluated once per constraint.
    """

    def __init__(self, shapes: ShapesGraph, store: Store, lang: Lang = Lang.RU) -> None:
        self.lang = lang
        self.queries = compiled(shapes, store, lang)
        self.units: list[CompiledQuery | SharedFocusQuery] = share_focus(self.queries) if getattr(store, "lateral", False) else order(self.queries)

    def run(self, store: Store, *, graphs: list[URIRef] | None = None) -> list[ValidationResult]:
        """Validate the union of all graphs, or only the union of ``graphs`` (e.g. catalogue + one profile)."""
        return run_queries(store, self.units, graphs=graphs, label=text("progress.validate", self.lang))


BRANCH = "_branch"

#: the modules whose code decides what compiled queries hold: their source is part of the cache key
#: (``tests/test_layers.py`` checks that the list covers every module they import)
COMPILER_MODULES = (
    "segmentum.cache",
    "segmentum.errors",
    "segmentum.i18n.messages",
    "segmentum.i18n.plural",
    "segmentum.namespaces",
    "segmentum.output",
    "segmentum.resources",
    "segmentum.store.embedded",
    "segmentum.store.quads",
    "segmentum.store.sparql_text",
    "segmentum.validation.compiler",
    "segmentum.validation.constraint_text",
    "segmentum.validation.shapes",
)


def compiled(shapes: ShapesGraph, store: Store, lang: Lang) -> list[CompiledQuery]:
    """The compiled queries of ``shapes``; those of a shipped shapes file over the shipped ontology and catalogue
    are kept in the cache folder (compiling them takes longer than checking a profile)."""
    shipped = shapes.path is not None and Path(shapes.path).resolve() in {f.resolve() for f in shape_files()}
    version = shipped_data_version(store) if shipped else None
    if version is None:
        return Compiler(shapes, store, lang).compile()
    path = cache_file("shapes", files_digest([Path(shapes.path)]), version, code_digest(COMPILER_MODULES), lang.value)
    kept = read_cache(path)
    if isinstance(kept, list) and all(isinstance(q, CompiledQuery) for q in kept):
        return kept
    queries = Compiler(shapes, store, lang).compile()
    write_cache(path, queries)
    return queries


def share_focus(queries: list[CompiledQuery]) -> list[CompiledQuery | SharedFocusQuery]:
    """Queries with the same focus pattern as one ``LATERAL`` query each; the others unchanged.

    The focus nodes are found once (DISTINCT) and each constraint is evaluated with ``?this``
    bound, which is SHACL's pre-binding (§5.3.1) itself. Queries whose prefixes clash stay apart.
    Shared queries come first, then SPARQL constraints: the longest start first in the threads.
    """
    groups: dict[str, list[CompiledQuery]] = {}
    alone: list[CompiledQuery] = []
    for q in queries:
        (groups.setdefault(q.focus, []) if q.branch is not None else alone).append(q)
    shared: list[SharedFocusQuery] = []
    for focus, members in groups.items():
        prefixes: dict[str, str] = {}
        branches = []
        for q in members:
            if len(members) > 1 and all(prefixes.get(p, ns) == ns for p, ns in q.prefixes.items()):
                prefixes.update(q.prefixes)
                branches.append(q)
            else:
                alone.append(q)
        if len(branches) == 1:
            alone += branches
        elif branches:
            union = " UNION ".join(f"{{ {_inline(q)} BIND ({i} AS ?{BRANCH}) }}" for i, q in enumerate(branches))
            sparql = f"{prologue(prefixes)}SELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} LATERAL {{ {union} }} }}"
            shared.append(SharedFocusQuery(sparql, branches))
    return order([*shared, *sorted(alone, key=lambda q: q.constraint is None)])


def order(units: list[CompiledQuery | SharedFocusQuery]) -> list[CompiledQuery | SharedFocusQuery]:
    """The units, the costliest first by their shapes' ``sgm:relativeCost`` (stable otherwise).

    The threads take units in this order, so the longest queries start first and none of them
    is left to run alone on one core at the end (longest processing time first).
    """
    return sorted(units, key=lambda u: -u.cost)


_SELECT = re.compile(r"\s*SELECT\s+(?:DISTINCT\s+)?((?:\?\w+\s+)+)WHERE\s*\{(.*)\}\s*$", re.DOTALL)


def _inline(q: CompiledQuery) -> str:
    """A branch of a shared query: a Core query's pattern written inline (a subquery per focus node
    cost 30 % more at 50,000 profiles), its columns noted; a SPARQL constraint as a subquery."""
    m = _SELECT.match(q.branch) if q.constraint is None else None
    if m is None or re.search(r"\b(GROUP\s+BY|HAVING|LIMIT|OFFSET|ORDER\s+BY)\b", q.branch[m.end(1):], re.IGNORECASE):
        return f"{{ {q.branch.strip()} }}"
    q.columns = frozenset(v.lstrip("?") for v in m.group(1).split())
    return m.group(2)


def run_queries(store: Store, queries: list[CompiledQuery | SharedFocusQuery], *, graphs: list[URIRef] | None = None,
                workers: int | None = None, label: str | None = None) -> list[ValidationResult]:
    """Run compiled queries (in parallel threads: the store answers several at once) into results.

    With ``graphs``, the queries see only those named graphs as their default graph, so a changed
    profile is re-validated against the ontology and catalogue without touching the other profiles.
    Messages are filled once per distinct set of the values they read.
    """
    filled: dict[tuple, tuple[Literal, ...]] = {}

    def evaluate(unit: CompiledQuery | SharedFocusQuery) -> list[ValidationResult]:
        return _results(unit, store.select_rows(unit.sparql, default_graphs=graphs), filled)

    # two threads per core: a long query started last cannot leave a core idle at the end (costs are not known ahead);
    # a query's rows become results in its thread while the store evaluates the others
    threads = workers or min(len(queries), 2 * (os.cpu_count() or 1))
    if threads > 1 and graphs is None:
        with ThreadPoolExecutor(threads) as pool:
            found = list(_shown(pool.map(evaluate, queries), label, len(queries)))
    else:
        found = [evaluate(q) for q in _shown(queries, label, len(queries))]
    results = set().union(*found)
    del found
    # the sort keys are the results' terms as text; all of them are made at once, so the texts that repeat
    # (path, value, component, severity, shape) are made once (at 50,000 profiles 22 MB of keys otherwise)
    texts: dict[object, str] = {}

    def sort_key(r: ValidationResult) -> tuple[str, ...]:
        focus, *rest = r.key()
        return (str(focus), *(texts.get(x) or texts.setdefault(x, str(x)) for x in rest))

    return sorted(results, key=sort_key)


def _shown(items, label: str | None, length: int):
    """``items``, with a progress bar on a terminal when there is a ``label`` and the work takes long."""
    return items if label is None else progress(items, label, length=length)


def _results(unit: CompiledQuery | SharedFocusQuery, rows: Iterable[dict], filled: dict[tuple, tuple[Literal, ...]]) -> list[ValidationResult]:
    """The validation results of one query's rows."""
    out = []
    for row in rows:
        focus = row.get("this")
        if focus is None:
            continue
        if isinstance(unit, SharedFocusQuery):
            q = unit.branches[int(row[BRANCH])]
            if q.columns is not None:  # an inline pattern binds more than its query selects
                row = {k: v for k, v in row.items() if k in q.columns}
        else:
            q = unit
        value = row.get("value")
        if value is None and q.value_is_focus:
            value = focus
        path, text = q.shape.path, q.path_text
        if q.path_from_row and "path" in row:
            path, text = row["path"], term(row["path"])
        messages = q.constraint.messages if q.constraint and q.constraint.messages else q.shape.messages
        out.append(ValidationResult(
            focus=focus, path=path, path_text=text, value=value, severity=q.shape.severity, component=q.component,
            shape=q.shape.node, constraint=q.constraint.node if q.constraint else None,
            messages=_messages(messages, row, filled),
        ))
    return out


def _messages(messages: list[Literal], row: dict, filled: dict[tuple, tuple[Literal, ...]]) -> tuple[Literal, ...]:
    """The messages filled from the row, reusing the ones filled before from the same values."""
    names = filled.get(("names", id(messages)))
    if names is None:  # the placeholders of these messages, found once per run
        names = filled[("names", id(messages))] = tuple(sorted({m.group(1) for text in messages for m in _PLACEHOLDER.finditer(str(text))}))
    key = (id(messages), *(row.get(n) for n in names))
    found = filled.get(key)
    if found is None:
        found = filled[key] = tuple(_fill(m, row) for m in messages)
    return found


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _fill(message: Literal, row: dict) -> Literal:
    """A message with its {?var} and {$this} placeholders filled from the row (SHACL §5.3.2)."""
    text = str(message)
    if "{" not in text:
        return message

    def sub(m: re.Match) -> str:
        val = row.get(m.group(1))
        return "" if val is None else str(val)

    return Literal(_PLACEHOLDER.sub(sub, text), lang=message.language)
