"""Read a SHACL shapes graph into typed shapes: targets, path, constraint parameters, severity, messages.

This is the shapes-graph side shared by the compiled validator; pySHACL reads the same graph on
its own. Only well-formedness needed here is checked: an unknown constraint parameter in the SHACL
namespace is reported by the compiler, which knows what it supports.

Reference: SHACL §2 (shapes, targets, severity, messages), §2.3.1 (property paths), §6 (SHACL-SPARQL),
SHACL-AF §5.1 (SPARQL-based targets).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from segmentum.errors import BadInputError, CatalogueError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import SGM

SH = Namespace("http://www.w3.org/ns/shacl#")

#: SHACL parameters that describe a shape rather than constrain it
SHAPE_PARAMETERS = {
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.path,
    SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.property, SH.sparql, SH.prefixes, SH.declare, SH.rule, SH.shapesGraph,
    SH.entailment, SH.ignoredProperties, SH.select, SH.ask,  # a node may be a shape and a SPARQL constraint at once
}


@dataclass
class Target:
    """One target of a shape: class, node, subjects/objects of, or a SPARQL SELECT (SHACL-AF)."""

    kind: str  # class | node | subjectsOf | objectsOf | sparql
    value: Node | str
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass
class SparqlConstraint:
    """A SHACL-SPARQL constraint: a SELECT with ``$this`` (and ``$PATH`` in property shapes)."""

    node: Node
    select: str
    prefixes: dict[str, str]
    messages: list[Literal]
    deactivated: bool = False


@dataclass
class Shape:
    """A node or property shape with its constraint parameters (SHACL term → objects)."""

    node: Node
    path: Node | None = None
    targets: list[Target] = field(default_factory=list)
    severity: URIRef = SH.Violation
    messages: list[Literal] = field(default_factory=list)
    deactivated: bool = False
    params: dict[URIRef, list[Node]] = field(default_factory=dict)
    properties: list[Node] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    cost: float = 0.0  # sgm:relativeCost: a hint of the order to start queries in, never of results

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None


class ShapesGraph:
    """All shapes of a shapes graph, read lazily by node."""

    def __init__(self, graph: Graph, lang: Lang = Lang.RU, path: str | None = None) -> None:
        self.graph = graph
        self.lang = lang
        self.path = path  # the file it was read from, named by errors about its shapes
        self._shapes: dict[Node, Shape] = {}

    def list(self, node: Node) -> list[Node]:
        """The members of an RDF list."""
        return list(Collection(self.graph, node))

    def prefixes(self, holder: Node) -> dict[str, str]:
        """The prefix declarations a SPARQL-based constraint or target points to with sh:prefixes."""
        out: dict[str, str] = {}
        holders: list[Node] = list(self.graph.objects(holder, SH.prefixes))
        seen: set[Node] = set()
        while holders:  # declarations of an ontology include those of the ontologies it imports
            decl_holder = holders.pop()
            if decl_holder in seen:
                continue
            seen.add(decl_holder)
            holders += list(self.graph.objects(decl_holder, OWL.imports))
            for decl in self.graph.objects(decl_holder, SH.declare):
                prefix = self.graph.value(decl, SH.prefix)
                ns = self.graph.value(decl, SH.namespace)
                if prefix is None or ns is None:
                    raise CatalogueError(text("shapes.declare", self.lang, node=decl_holder))
                if str(prefix) in out and out[str(prefix)] != str(ns):
                    raise CatalogueError(text("shapes.prefix_twice", self.lang, prefix=prefix))
                out[str(prefix)] = str(ns)
        return out

    def shape(self, node: Node) -> Shape:
        """The shape at ``node`` (read once)."""
        if node in self._shapes:
            return self._shapes[node]
        g = self.graph
        shape = Shape(node=node, path=g.value(node, SH.path))
        self._shapes[node] = shape
        shape.severity = g.value(node, SH.severity) or SH.Violation
        shape.messages = [m for m in g.objects(node, SH.message) if isinstance(m, Literal)]
        shape.deactivated = _true(g.value(node, SH.deactivated))
        cost = g.value(node, SGM.relativeCost)
        if cost is not None:
            try:
                shape.cost = float(cost)
            except ValueError:
                raise CatalogueError(text("shapes.cost", self.lang, shape=node, value=cost)) from None
        for t in g.objects(node, SH.targetClass):
            shape.targets.append(Target("class", t))
        if (node, RDF.type, RDFS.Class) in g and ((node, RDF.type, SH.NodeShape) in g or (node, RDF.type, SH.PropertyShape) in g):
            shape.targets.append(Target("class", node))  # implicit class target
        for t in g.objects(node, SH.targetNode):
            shape.targets.append(Target("node", t))
        for t in g.objects(node, SH.targetSubjectsOf):
            shape.targets.append(Target("subjectsOf", t))
        for t in g.objects(node, SH.targetObjectsOf):
            shape.targets.append(Target("objectsOf", t))
        for t in g.objects(node, SH.target):
            select = g.value(t, SH.select)
            if (t, RDF.type, SH.SPARQLTarget) not in g or select is None:
                raise CatalogueError(text("shapes.target", self.lang, target=t, shape=node))
            shape.targets.append(Target("sparql", str(select), self.prefixes(t)))
        for p, o in g.predicate_objects(node):
            if str(p).startswith(str(SH)) and p not in SHAPE_PARAMETERS:
                shape.params.setdefault(p, []).append(o)
        shape.properties = list(g.objects(node, SH.property))
        for c in g.objects(node, SH.sparql):
            select = g.value(c, SH.select)
            if select is None:
                raise CatalogueError(text("shapes.no_select", self.lang, node=c, shape=node))
            shape.sparql.append(SparqlConstraint(
                node=c, select=str(select), prefixes=self.prefixes(c),
                messages=[m for m in g.objects(c, SH.message) if isinstance(m, Literal)],
                deactivated=_true(g.value(c, SH.deactivated)),
            ))
        return shape

    def targeted_shapes(self) -> list[Shape]:
        """Every shape with at least one target, in a stable order."""
        candidates: set[Node] = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            candidates |= set(self.graph.subjects(p, None))
        for cls in (SH.NodeShape, SH.PropertyShape):
            for s in self.graph.subjects(RDF.type, cls):
                if (s, RDF.type, RDFS.Class) in self.graph:
                    candidates.add(s)
        shapes = [self.shape(n) for n in candidates]
        return sorted(shapes, key=lambda s: (isinstance(s.node, BNode), str(s.node)))


def _true(value: Node | None) -> bool:
    return value is not None and str(value).lower() in ("true", "1")


class UnsupportedShapeError(BadInputError):
    """A shape uses a SHACL construct the compiled engine does not implement; says so in ``lang``
    and points to pySHACL, which evaluates every SHACL construct."""

    #: the first argument is a message key under this prefix in ``messages.MESSAGES``
    keys = "shacl."

    def __init__(self, key: str, lang: Lang = Lang.RU, /, **fields: object) -> None:
        hint = None if key == "pyshacl_failed" else text("shacl.use_pyshacl", lang)  # pySHACL itself failed: no engine left to offer
        super().__init__(text(self.keys + key, lang, **fields), hint=hint)
