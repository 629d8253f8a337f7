"""OWL entailments that queries rely on, compiled to SPARQL 1.1 queries (a subset of OWL 2 RL).

Covered rules (OWL 2 RL names): cax-sco and scm-sco (instances of a class are instances of its
superclasses), cax-eqc (equivalent classes), prp-spo1 (subproperties), prp-inv1/2 (inverse
properties), prp-symp (symmetric properties) and prp-trp (transitive properties). Domain and
range typing is left out on purpose: it would type profile nodes by the properties they use.

Entailments of the ontology and catalogue go to ``graph/entailed`` (rounds of queries until
nothing is new); those of a profile go to its ``graph/inferred/{id}``, next to the rules'
conclusions: one pass over the asserted profile data with the ontology's closure
(``Vocabulary``) as a ``VALUES`` table, then transitivity if the ontology has transitive
properties. The rules' conclusions carry their own (``rules._entail``). Nothing is written to
asserted graphs.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import RDF, URIRef, Variable

from segmentum.namespaces import (
    CATALOGUE_GRAPH,
    GRAPH,
    INFERRED,
    ONTOLOGY_GRAPH,
    PROF,
    inferred_graph,
    profile_graph,
    profile_id_of,
)
from segmentum.resources import sparql
from segmentum.store.embedded import Store
from segmentum.store.quads import Construct, Triple, term

ENTAILED_GRAPH = URIRef(GRAPH + "entailed")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

#: (name, pattern over ?s ?p ?o in the source graph ?g giving ?x ?y ?z to add); a path's start is
#: bound by a triple pattern first, as Virtuoso cannot evaluate one open at both ends
RULES: list[tuple[str, str]] = [
    ("cax-sco", "{ SELECT DISTINCT ?c ?z WHERE { ?c rdfs:subClassOf [] . ?c rdfs:subClassOf+ ?z . FILTER (isIRI(?z)) } } "
                "GRAPH ?g { ?x a ?c } BIND (rdf:type AS ?y)"),
    ("cax-eqc", "{ SELECT DISTINCT ?c ?z WHERE { { ?c owl:equivalentClass ?z } UNION { ?z owl:equivalentClass ?c } } } "
                "GRAPH ?g { ?x a ?c } BIND (rdf:type AS ?y)"),
    ("prp-spo1", "{ SELECT DISTINCT ?p ?y WHERE { ?p rdfs:subPropertyOf [] . ?p rdfs:subPropertyOf+ ?y } } GRAPH ?g { ?x ?p ?z }"),
    ("prp-inv1", "GRAPH ?g { ?z ?p ?x } ?p owl:inverseOf ?y ."),
    ("prp-inv2", "GRAPH ?g { ?z ?p ?x } ?y owl:inverseOf ?p ."),
    ("prp-symp", "GRAPH ?g { ?z ?y ?x } ?y a owl:SymmetricProperty ."),
    ("prp-trp", "?y a owl:TransitiveProperty . GRAPH ?g { ?x ?y ?m } ?m ?y ?z ."),
]


def _query(pattern: str, sources: str, target: str) -> str:
    return (f"{_PREFIXES}SELECT DISTINCT ?x ?y ?z ?t WHERE {{\n  {sources}\n  {pattern}\n  {target}\n"
            f"  FILTER NOT EXISTS {{ ?x ?y ?z }}\n}}")


def static_queries() -> list[str]:
    """Queries that find the entailments of the ontology and the catalogue, for ``graph/entailed``."""
    sources = f"VALUES ?g {{ <{ONTOLOGY_GRAPH}> <{CATALOGUE_GRAPH}> <{ENTAILED_GRAPH}> }}"
    target = f"BIND (<{ENTAILED_GRAPH}> AS ?t)"
    return [_query(p, sources, target) for _, p in RULES]


def profile_constructs(vocabulary: Vocabulary, profiles: Sequence[URIRef] | None = None) -> list[Construct]:
    """CONSTRUCTs of the entailments about profile nodes, read from the profiles' asserted graphs.

    The ontology's closure (``Vocabulary``) is a ``VALUES`` table of each query, so one pass
    gives everything but transitivity: super-classes (cax-sco, cax-eqc), super-properties
    (prp-spo1) and inverse or symmetric properties (prp-inv1/2, prp-symp), also in combination.
    """
    if profiles is not None:
        sources = "VALUES ?g { " + " ".join(f"<{profile_graph(profile_id_of(x))}>" for x in profiles) + " }"
    else:
        sources = f'FILTER (STRSTARTS(STR(?g), "{GRAPH}profile/"))'
    types = [(c, z) for c, supers in sorted(vocabulary.classes.items()) for z in sorted(supers)]
    entailed = [(p, q, inv) for p, qs in sorted(vocabulary.properties.items()) for q, inv in sorted(qs)]
    forward = [(p, q) for p, q, inv in entailed if not inv]
    inverse = [(p, q) for p, q, inv in entailed if inv]

    def construct(template: tuple[Triple, ...], head: str, rows: list[tuple[str, str]], pattern: str, literal_subject: str = "") -> Construct:
        table = " ".join(f"(<{a}> <{b}>)" for a, b in rows)
        guard = f"  FILTER (!isLiteral({literal_subject}))\n" if literal_subject else ""
        written = " ".join(term(x) for x in template[0])
        return Construct(_PREFIXES, template, f"{{\n  VALUES {head} {{ {table} }}\n  GRAPH ?g {{ {pattern} }}\n"
                                                f"  {sources}\n{guard}  FILTER NOT EXISTS {{ {written} }}\n}}")

    x, z = Variable("x"), Variable("z")
    out = []
    if types:
        out.append(construct(((x, RDF.type, z),), "(?c ?z)", types, "?x a ?c"))
    if forward:
        out.append(construct(((x, Variable("q"), z),), "(?p ?q)", forward, "?x ?p ?z"))
    if inverse:
        out.append(construct(((z, Variable("q"), x),), "(?p ?q)", inverse, "?x ?p ?z", literal_subject="?z"))
    return out


def transitive_construct(profiles: Sequence[URIRef] | None = None) -> Construct:
    """One step of prp-trp over the profiles' asserted and inferred graphs (run until nothing is new)."""
    if profiles is not None:
        ids = [profile_id_of(x) for x in profiles]
        sources = "VALUES ?g { " + " ".join(f"<{profile_graph(i)}> <{inferred_graph(i)}>" for i in ids) + " }"
    else:
        sources = f'FILTER (STRSTARTS(STR(?g), "{GRAPH}profile/") || STRSTARTS(STR(?g), "{INFERRED}"))'
    return Construct(_PREFIXES, ((Variable("x"), Variable("y"), Variable("z")),),
                     f"{{\n  {sources}\n  {dict(RULES)['prp-trp']}\n  FILTER NOT EXISTS {{ ?x ?y ?z }}\n}}")


def entail_static(store: Store, *, max_rounds: int = 10) -> int:
    """Make ``graph/entailed`` hold the entailments of the ontology and the catalogue (once per shipped data)."""
    if store.ask(sparql("inference/entailed-present.rq")):
        return 0
    for n in range(1, max_rounds + 1):
        found = 0
        for q in static_queries():
            rows = store.select(q)
            found += len(rows)
            store.add((r["x"], r["y"], r["z"], r["t"]) for r in rows)
        if not found:
            return n
    return max_rounds


def entail_profiles(store: Store, profiles: Sequence[URIRef] | None = None, *, max_rounds: int = 10, workers: int = 1,
                    vocabulary: Vocabulary | None = None) -> int:
    """Add the entailments about profile nodes to their ``graph/inferred/{id}``; returns the passes made.

    One pass over the asserted profile data gives all but transitivity, which is repeated until
    nothing is new (only if the ontology has transitive properties). The queries of the pass run
    ``workers`` at a time. ``vocabulary``: the ontology's closure, if the caller has read it.
    """
    from concurrent.futures import ThreadPoolExecutor

    vocabulary = vocabulary or Vocabulary(store)

    def run(q: Construct) -> int:
        return store.materialize(q, subjects=str(PROF), graphs=INFERRED, count=None)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, profile_constructs(vocabulary, profiles)))
    if not vocabulary.transitive:
        return 1
    for n in range(2, max_rounds + 1):
        if not run(transitive_construct(profiles)):
            return n
    return max_rounds


class Vocabulary:
    """What the ontology entails about a class or a property, for conclusions written by rule templates.

    ``classes[c]``: the other classes an instance of ``c`` is also an instance of (cax-sco, cax-eqc);
    ``properties[p]``: the ``(q, inverted)`` pairs a triple with predicate ``p`` also gives
    (prp-spo1, prp-inv1/2, prp-symp), ``inverted`` when subject and object swap; ``transitive``:
    the transitive properties, whose entailments need other triples and are left to the queries.
    """

    def __init__(self, store: Store) -> None:
        def pairs(pattern: str) -> list[tuple[str, str]]:
            rows = store.select(f"{_PREFIXES}SELECT ?a ?b WHERE {{ {pattern} FILTER (isIRI(?a) && isIRI(?b)) }}",
                                default_graphs=[ONTOLOGY_GRAPH, CATALOGUE_GRAPH, ENTAILED_GRAPH])
            return [(str(r["a"]), str(r["b"])) for r in rows]

        edges: dict[tuple[str, bool], set[tuple[str, bool]]] = {}

        def edge(a: tuple[str, bool], b: tuple[str, bool]) -> None:
            edges.setdefault(a, set()).add(b)

        for c, d in pairs("?a rdfs:subClassOf ?b"):
            edge((c, False), (d, False))
        for c, d in pairs("?a owl:equivalentClass ?b"):
            edge((c, False), (d, False))
            edge((d, False), (c, False))
        classes = {c for c, _ in edges}
        for p, q in pairs("?a rdfs:subPropertyOf ?b"):
            edge((p, False), (q, False))
            edge((p, True), (q, True))
        for p, q in pairs("{ ?a owl:inverseOf ?b } UNION { ?b owl:inverseOf ?a }"):
            edge((p, False), (q, True))
            edge((p, True), (q, False))
        for p, _ in pairs("?a a owl:SymmetricProperty BIND (?a AS ?b)"):
            edge((p, False), (p, True))
            edge((p, True), (p, False))
        self.transitive = {a for a, _ in pairs("?a a owl:TransitiveProperty BIND (?a AS ?b)")}
        self.classes: dict[str, set[str]] = {}
        self.properties: dict[str, set[tuple[str, bool]]] = {}
        for start in {a for a, inverted in edges if not inverted}:
            seen, todo = set(), [(start, False)]
            while todo:
                for nxt in edges.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            seen.discard((start, False))
            if start in classes:
                self.classes[start] = {c for c, _ in seen}
            else:
                self.properties[start] = seen

    def written(self, store: Store | None = None) -> set[tuple[str, str]]:
        """What the entailments of profile data may write: (rdf:type, a super-class), (a property, "").

        With a ``store``, only what follows from the classes and properties its asserted profile
        graphs use (one query), so rules that read the rest need not wait for the entailments.
        """
        classes, properties = self.classes, self.properties
        if store is not None:
            used = self.used(store)
            classes = {c: s for c, s in classes.items() if c in used}
            properties = {p: s for p, s in properties.items() if p in used}
        out = {(RDF_TYPE, c) for supers in classes.values() for c in supers}
        out |= {(q, "") for entailed in properties.values() for q, _ in entailed}
        return out | {(p, "") for p in self.transitive}

    def used(self, store: Store) -> set[str]:
        """The classes (as types) and properties with entailments that the asserted profile graphs use."""
        rows = [f"(<{c}> rdf:type <{c}>)" for c in sorted(self.classes) if self.classes[c]]
        rows += [f"(<{p}> <{p}> UNDEF)" for p in sorted(self.properties) if self.properties[p]]
        if not rows:
            return set()
        found = store.select(
            f"{_PREFIXES}SELECT ?t WHERE {{\n  VALUES (?t ?p ?o) {{ {' '.join(rows)} }}\n"
            f'  FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{GRAPH}profile/")) }}\n}}')
        return {str(r["t"]) for r in found}
