"""Validate profiles and the catalogue with the SHACL shapes in ``shapes/``.

Two engines give the same results: ``sparql`` (default) compiles the shapes into set-based SPARQL
queries that run in the store; ``pyshacl`` runs the shapes as written with pySHACL, the
reference. Results are turned into findings with the file, line and column they point at, read
from the provenance graphs the profile loader wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from segmentum.errors import BadInputError, CatalogueError, Location
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import CATALOGUE_GRAPH, GRAPH, ONTOLOGY_GRAPH, PROF, SGM, profile_graph, profile_id_of
from segmentum.resources import shape_files, sparql
from segmentum.store.embedded import Store, from_ox, syntax_message
from segmentum.validation.compiler import sparql_path
from segmentum.validation.runner import ValidationPlan, ValidationResult
from segmentum.validation.shapes import SH, ShapesGraph, UnsupportedShapeError


class Engine(str, Enum):
    """Validation engines."""

    SPARQL = "sparql"
    PYSHACL = "pyshacl"


class Severity(str, Enum):
    """SHACL severities, worst first."""

    VIOLATION = str(SH.Violation)
    WARNING = str(SH.Warning)
    INFO = str(SH.Info)


@dataclass(frozen=True)
class Finding:
    """A validation result with the place in a file it points at and its message in one language."""

    result: ValidationResult
    location: Location | None
    profile: str | None
    message: str

    @property
    def severity(self) -> Severity:
        return Severity(str(self.result.severity))


@dataclass
class ValidationReport:
    """All findings of one validation run, and what was checked."""

    findings: list[Finding]
    checked: list[str] = field(default_factory=list)  # files (or graphs) that were validated
    shapes: ShapesGraph | None = None  # the shapes it was validated with (a Turtle report copies their paths)

    @property
    def conforms(self) -> bool:
        return not any(f.severity is Severity.VIOLATION for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@lru_cache(maxsize=4)
def load_shapes(name: str, lang: Lang = Lang.RU) -> ShapesGraph:
    """The shipped shapes file ``shapes/<name>.ttl`` (``profile`` or ``catalogue``), read once."""
    matches = [f for f in shape_files() if f.stem == name]
    if not matches:
        raise CatalogueError(text("shapes.no_file", lang, name=name))
    return read_shapes(matches[0], lang)


def read_shapes(path: Path, lang: Lang = Lang.RU) -> ShapesGraph:
    """A shapes graph from a Turtle file; a syntax error names the file, line and column."""
    import pyoxigraph as ox

    g = Graph()
    try:
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    except SyntaxError as exc:
        raise CatalogueError(syntax_message(exc, lang), location=Location(str(path), exc.lineno, exc.offset),
                             hint=text("turtle.fix", lang)) from exc
    except OSError as exc:
        raise CatalogueError(text("shapes.unreadable", lang, problem=exc.strerror), location=Location(str(path))) from exc
    return ShapesGraph(g, lang, str(path))


# ------------------------------------------------------------ engines

def run_engine(store: Store, shapes: ShapesGraph, engine: Engine, *, graphs: Sequence[URIRef], whole_store: bool = True,
               lang: Lang = Lang.RU) -> list[ValidationResult]:
    """Validate the data in ``graphs`` of the store and return SHACL results.

    The compiled engine reads the union of all graphs when ``whole_store`` (faster than listing
    thousands of profile graphs), else exactly ``graphs``.
    """
    try:
        if engine is Engine.SPARQL:
            return ValidationPlan(shapes, store, lang).run(store, graphs=None if whole_store else list(graphs))
        return run_pyshacl(store, shapes, graphs, lang)
    except BadInputError as exc:  # a shape that cannot be evaluated: name its file
        if exc.location is None and shapes.path:
            exc.location = Location(shapes.path)
        raise


def run_pyshacl(store: Store, shapes: ShapesGraph, graphs: Sequence[URIRef], lang: Lang = Lang.RU) -> list[ValidationResult]:
    """The reference: pySHACL over an rdflib copy of the given graphs."""
    import pyshacl

    data = Graph()
    data.parse(data=store.dump(graphs=list(graphs), fmt="nt"), format="nt")
    _conforms, report, report_text = pyshacl.validate(data, shacl_graph=shapes.graph, advanced=True, allow_warnings=True, allow_infos=True)
    if not isinstance(report, Graph):  # pySHACL could not evaluate a shape (its ValidationFailure)
        raise UnsupportedShapeError("pyshacl_failed", lang, problem=str(report).strip() or report_text.strip())
    return [_tagged(r, shapes.graph) for r in results_from_report(report)]


def _tagged(result: ValidationResult, shapes: Graph) -> ValidationResult:
    """The result with the language tags pySHACL drops when it fills a message's {?var} placeholders,
    taken from the sh:message (of the constraint, else the shape) the message was filled from."""
    if all(m.language for m in result.messages):
        return result
    templates = [m for node in (result.constraint, result.shape) if node is not None
                 for m in shapes.objects(node, SH.message) if isinstance(m, Literal) and m.language]
    tagged = []
    for m in result.messages:
        matching = [t for t in templates if _filled_from(str(m), str(t))]
        if len(matching) > 1 and all(_PLACEHOLDER.fullmatch(str(t)) for t in matching):
            # «{?noteRu}» and «{?noteEn}» (a reading note) both match any text: Russian words outside the «» of names
            # make it the Russian one
            russian = re.search(r"[А-Яа-яЁё]", re.sub(r"«[^»]*»", "", str(m))) is not None
            matching = [t for t in matching if (t.language == "ru") == russian] or matching
        lang = m.language or next((t.language for t in matching), None)
        tagged.append(Literal(str(m), lang=lang))
    return replace(result, messages=tuple(tagged))


#: a message template that is one placeholder and nothing else
_PLACEHOLDER = re.compile(r"\{[?$]\w+\}")


def _filled_from(message: str, template: str) -> bool:
    """Whether ``message`` is ``template`` with its placeholders filled."""
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.fullmatch(".*?".join(re.escape(p) for p in parts), message, re.DOTALL) is not None


def results_from_report(report: Graph) -> list[ValidationResult]:
    """The results of a standard SHACL validation report graph (pySHACL's, pyshacl-turbo's), sorted."""
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(r, SH.resultPath)
        results.append(ValidationResult(
            focus=report.value(r, SH.focusNode),
            path=path,
            path_text=path_text(report, path),
            value=report.value(r, SH.value),
            severity=report.value(r, SH.resultSeverity),
            component=report.value(r, SH.sourceConstraintComponent),
            shape=report.value(r, SH.sourceShape),
            constraint=report.value(r, SH.sourceConstraint),
            messages=tuple(m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal)),
        ))
    return sorted(set(results), key=lambda r: tuple(str(x) for x in r.key()))


def path_text(graph: Graph, path: Node | None) -> str | None:
    """A SHACL path, written as a SPARQL property path, from whichever graph holds it."""
    if path is None:
        return None
    return sparql_path(graph, path)


# ------------------------------------------------------------ findings

Locations = Mapping[tuple[Node, Node | None], Location]


def locate(store: Store, results: Sequence[ValidationResult]) -> Locations:
    """Where the focus nodes of ``results`` were written: (node, property or None) → location, from
    the provenance graphs of the store (for profiles loaded by another process: a shared store)."""
    return node_locations(store, [r.focus for r in results])


def node_locations(store: Store, nodes: Iterable[Node]) -> dict[tuple[Node, Node | None], Location]:
    """Where profile nodes were written, from the provenance graphs: (node, property or None) → location."""
    nodes = sorted({n for n in nodes if isinstance(n, URIRef) and str(n).startswith(str(PROF))}, key=str)
    if not nodes:
        return {}
    rows = store.select(sparql("validation/node-locations.rq"), bindings={"node": nodes})
    out = {}
    for row in rows:
        line = int(row["line"]) if "line" in row else None
        column = int(row["column"]) if "column" in row else None
        out[(row["node"], row.get("property"))] = Location(str(row["file"]), line, column)
    return out


def message_in(result: ValidationResult, lang: Lang) -> str:
    """The result's message in ``lang``, else in Russian, else any, else the component's name."""
    by_lang = {m.language: str(m) for m in result.messages}
    return by_lang.get(lang.value) or by_lang.get("ru") or next(iter(by_lang.values()), None) or str(result.component).rsplit("#", 1)[-1]


def findings(store: Store, results: Sequence[ValidationResult], lang: Lang, shapes: ShapesGraph | None = None, *,
             locations: Locations | None = None) -> list[Finding]:
    """Results with their place in the profile files, worst and earliest first.

    The places come from ``locations`` (what the loader remembered, in one command), else from
    the store's provenance graphs. A result without a place of its own (something is missing) is shown at the line of the
    property its shape names with ``sgm:reportedAt`` (the stage requires channels: the «stage:»
    line), else at the profile's first line."""
    places = locations if locations is not None else locate(store, results)
    reported_at = {s: p for s, p in shapes.graph.subject_objects(SGM.reportedAt)} if shapes is not None else {}
    out = []
    for r in results:
        loc = None
        if isinstance(r.path, URIRef) and isinstance(r.value, URIRef):
            loc = places.get((r.value, r.path))  # the line that wrote this value (an attribute to fill)
        if loc is None and isinstance(r.path, URIRef):
            loc = places.get((r.focus, r.path))
        if loc is None and isinstance(r.value, URIRef) and r.value != r.focus:
            loc = places.get((r.value, None)) if profile_id_of(r.value) else None
        if loc is None and r.shape in reported_at:
            loc = places.get((r.focus, reported_at[r.shape]))
        loc = loc or places.get((r.focus, None))
        out.append(Finding(r, loc, profile_id_of(r.focus), message_in(r, lang)))
    order = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}
    def position(f: Finding) -> tuple[str, int]:
        if f.location is None:
            return ("", 0)
        return (f.location.path, f.location.line or 0)

    return sorted(out, key=lambda f: (*position(f), order[f.severity], f.message))


def profile_graphs(store: Store) -> list[URIRef]:
    return [g for g in store.graphs() if str(g).startswith(f"{GRAPH}profile/")]


def validate_loaded_profiles(store: Store, engine: Engine, lang: Lang, *, only: Sequence[str] | None = None,
                             shapes: ShapesGraph | None = None, locations: Locations | None = None,
                             checked: Sequence[str] = ()) -> ValidationReport:
    """Validate the profiles in the store, or only the profiles with the ids in ``only``.

    ``locations`` are where the loader found each statement (all of the validated profiles'), so
    findings need no query of the provenance graphs; ``checked`` names the files validated.

    Validating a few profiles of a large store reads just their graphs with the ontology and the
    catalogue (incremental validation); the other profiles are not looked at.
    """
    shapes = shapes or load_shapes("profile", lang)
    stored = profile_graphs(store)
    chosen = stored if only is None else [profile_graph(i) for i in only]
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH, *chosen]
    results = run_engine(store, shapes, engine, graphs=graphs, whole_store=len(chosen) == len(stored), lang=lang)
    return ValidationReport(findings(store, results, lang, shapes, locations=locations), list(checked), shapes)


def check_catalogue(store: Store, engine: Engine, lang: Lang) -> ValidationReport:
    """Validate the ontology and catalogue with ``shapes/catalogue.ttl``."""
    results = run_engine(store, load_shapes("catalogue", lang), engine, graphs=[ONTOLOGY_GRAPH, CATALOGUE_GRAPH], whole_store=False, lang=lang)
    return ValidationReport([Finding(r, None, None, message_in(r, lang)) for r in results], ["catalogue"], load_shapes("catalogue", lang))
