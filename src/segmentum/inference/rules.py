"""Inference rules: the compiled rule, the rule set and its strata (``rule_files`` reads them,
``rule_analysis`` finds what each reads and writes, ``rule_cache`` compiles and caches them).

Two ways to write a rule (see ``docs/rules.md``):

* a SHACL-AF ``sh:SPARQLRule`` whose ``sh:construct`` names the profile ``$this``;
* an ``sgm:SuggestionRule`` written as data (conditions ``sgm:when…``, conclusions
  ``sgm:suggests…`` / ``sgm:derivesValue``), which is turned into the same kind of CONSTRUCT.

Each rule becomes ``CONSTRUCT { conclusion + derivation record } WHERE { profile + the rule's
pattern + not derived before }``, whose triples the store adds to ``graph/inferred/{profile}``; so
rules run inside whichever store holds the data. Rules are checked when they are read — Turtle and SPARQL syntax, unknown
terms, negation of what later rules derive — so a bad rule stops before anything runs.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import ID, PREFIXES, SGM
from segmentum.store.quads import Construct

logger = logging.getLogger(__name__)

RULE_NS = ID + "rule/"


SPARQL_PREFIXES = {**PREFIXES, "rule": RULE_NS, "sh": str(SH), "xsd": "http://www.w3.org/2001/XMLSchema#"}


PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in SPARQL_PREFIXES.items())


#: the namespaces whose terms must exist in the ontology or the catalogue
CHECKED_NAMESPACES = [PREFIXES[p] for p in ("sgm", "st", "fk", "ls", "svc", "ch", "attr", "vs", "val", "form", "src", "act")]


#: the stratum of a rule without sh:order; positive rules share it and chain within it
DEFAULT_ORDER = 1.0


class RuleError(BadInputError):
    """A rule file or a rule cannot be used."""


def rule_text(lang: Lang, key: str, **fields: object) -> str:
    """A message about rules (``rule.*`` in the messages table)."""
    return text(f"rule.{key}", lang, **fields)


class InferenceError(BadInputError):
    """Forward chaining did not reach a fixpoint within its bound."""


# ---------------------------------------------------------------- the compiled rule


#: the variable prefix of a path step's object in ``Rule.facts``: not bound by the rule, looked up in the store
FIRST_STEP = "__step"


#: what a pattern reads or a template writes: (predicate, class for rdf:type or "", the predicates
#: that lead to its subject in the rule, or none if that is not known)
Key = tuple[str, str, frozenset]


@dataclass
class Rule:
    """One rule (or one conclusion of a suggestion rule), ready to run."""

    iri: URIRef
    labels: dict[str, str]
    justification: list[URIRef]
    order: float
    weight: float
    construct: str  # the CONSTRUCT query with $this, without the prologue
    location: Location
    conclusion: str = ""  # the variable of the concluded node, if not the template's first subject
    types: list[URIRef] = field(default_factory=list)  # the classes of the conclusions, if the template types by a variable
    #: (as written for all profiles, as run for a few) for the negations that apply to one kind of conclusion
    negations: list[tuple[str, str]] = field(default_factory=list)
    template: list[tuple[Node, Node, Node]] = field(default_factory=list)
    where: str = ""
    variables: list[str] = field(default_factory=list)
    reads: set[Key] = field(default_factory=set)
    negates: set[Key] = field(default_factory=set)
    writes: set[Key] = field(default_factory=set)
    facts: list[tuple[Node, URIRef, Node]] = field(default_factory=list)  # positive patterns, for explanations
    #: what the ontology entails from the conclusions (super-classes, super- and inverse properties),
    #: written with them; and the BINDs of super-classes that depend on a type taken from a variable
    entailed: list[tuple[Node, Node, Node]] = field(default_factory=list)
    entailed_binds: str = ""
    #: each attribute suggested is justified by its sources among the profile's acts and forms too (``sgm:citesProfileSources``)
    cites_profile_sources: bool = False

    @property
    def concluded(self) -> Node:
        """The conclusion node: the declared variable, or the subject of the template's first triple."""
        return Variable(self.conclusion) if self.conclusion else self.template[0][0]

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("ru") or str(self.iri)

    def construct_query(self, profiles: Sequence[URIRef] | None = None, *, first: bool = False, entailments: bool = True) -> Construct:
        """A CONSTRUCT of this rule's new conclusions and their derivation records.

        Every subject is a node of the profile (``prof:{id}/…``), so the store puts each triple
        into ``graph/inferred/{id}``. On the rule's ``first`` run after its profiles' inferred
        graphs were cleared, nothing can have been derived by it yet, so the check for earlier
        derivations is left out. With ``entailments``, the template also writes what the
        ontology entails from the conclusions and the record (``entailed``).
        """
        # a derivation is the rule and what it concluded: the concluded node (the record is named after it
        # and the rule), or the values its template uses (the record is named by their digest)
        if self.conclusion:
            rule_key = hashlib.md5(str(self.iri).encode()).hexdigest()[:12]
            record_bind = f'BIND (IRI(CONCAT(STR(?{self.conclusion}), "/derivation/{rule_key}")) AS ?__derivation)\n'
        else:
            names = sorted({str(x) for t in self.template for x in t if isinstance(x, Variable)} - {"this"} | ({"weight"} & set(self.variables)))
            key = ' , "|" , '.join(f'COALESCE(STR(?{v}), "")' for v in names) or '""'
            record_bind = f'BIND (IRI(CONCAT(STR(?this), "/derivation/", MD5(CONCAT("{self.iri}|", {key})))) AS ?__derivation)\n'
        if profiles is None:
            # a subject of sgm:profileOf is a profile (its rdfs:domain): no need to join the profiles first
            body = f"{{ {self.where} }}\n" if binds_profile(self.where) else f"?this a sgm:SegmentProfile .\n{{ {self.where} }}\n"
        else:
            # For a few profiles, start from them, and test negations per solution (FILTER NOT
            # EXISTS) instead of as one anti-join over the whole store (MINUS); the two mean the
            # same when the negated pattern starts from the profile or its segment. A negation
            # tagged by its kind of conclusion stays an anti-join, over these profiles only.
            values = "VALUES ?this { " + " ".join(f"<{p}>" for p in profiles) + " }"
            where = self.where
            for bulk, few in self.negations:
                where = where.replace(bulk, few.replace("{profiles}", values))
            where = re.sub(r"\bMINUS\s*\{(\s*(?:\$this|\?this|\?seg)\s)", r"FILTER NOT EXISTS {\1", where)
            # subqueries that project the profile start from it too
            where = re.sub(r"(SELECT\b[^{}]*?[$?]this\b[^{}]*?WHERE\s*\{)", lambda m: m.group(1) + " " + values + " ", where)
            body = f"{{ {values} ?this a sgm:SegmentProfile .\n{where} }}\n"
        record = [(Variable("__derivation"), SGM.byRule, self.iri), (Variable("__derivation"), SGM.concluded, self.concluded)]
        if "weight" in self.variables:
            record.append((Variable("__derivation"), SGM.weight, Variable("weight")))
        elif self.weight != 1:
            record.append((Variable("__derivation"), SGM.weight, Literal(self.weight)))
        template = self.template + self.entailed if entailments else self.template
        where = (f"{{\n{body}{record_bind}{self.entailed_binds if entailments else ''}"
                 + ("}" if first else "FILTER NOT EXISTS { ?__derivation sgm:byRule ?__anyRule }\n}"))
        return Construct(PROLOGUE, tuple(template + record), where)

    def bindings_query(self) -> str:
        """SELECT the rule's solutions for one profile (bound with VALUES), to explain a conclusion."""
        return f"{PROLOGUE}SELECT * WHERE {{ ?this a sgm:SegmentProfile . {{ {self.where} }} }}"


def binds_profile(where: str) -> bool:
    """Whether the pattern itself (not a nested group) says ``$this sgm:profileOf …``."""
    top, depth = [], 0
    for ch in where:
        depth += ch == "{"
        if depth == 0:
            top.append(ch)
        depth -= ch == "}"
    return re.search(r"[$?]this\s+sgm:profileOf\s", "".join(top)) is not None


@dataclass
class RuleSet:
    """The rules in run order, and the SHACL-AF graph they came from (for the reference engine)."""

    rules: list[Rule]
    graph: Graph

    def strata(self) -> list[list[Rule]]:
        """Groups of rules in run order; each runs to its fixpoint before the next starts.

        Rules are grouped by ``sh:order``; inside a group, by the strongly connected components
        of "writes what the other reads", in dependency order. So rules that derive values run
        (and rerun) among themselves first, and rules that only consume them run once after.
        """
        groups: dict[float, list[Rule]] = {}
        for r in self.rules:
            groups.setdefault(r.order, []).append(r)
        out: list[list[Rule]] = []
        for k in sorted(groups):
            out += components(groups[k])
        return out

    def by_iri(self, iri: URIRef) -> list[Rule]:
        return [r for r in self.rules if r.iri == iri]

    def ids(self) -> list[URIRef]:
        return sorted({r.iri for r in self.rules}, key=str)


def components(rules: list[Rule]) -> list[list[Rule]]:
    """Strongly connected components of the rule dependency graph, producers before consumers (Tarjan)."""
    n = len(rules)
    edges = [[j for j in range(n) if overlap(rules[i].writes, rules[j].reads)] for i in range(n)]
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    comps: list[list[int]] = []
    counter = 0

    def visit(v: int) -> None:
        nonlocal counter
        work = [(v, 0)]
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, i = work[-1]
            if i < len(edges[node]):
                work[-1] = (node, i + 1)
                w = edges[node][i]
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[node] = min(low[node], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                comps.append(sorted(comp))

    for v in range(n):
        if v not in index:
            visit(v)
    # Tarjan emits components consumers first; run producers first
    return [[rules[i] for i in comp] for comp in reversed(comps)]


def check_stratification(rules: Sequence[Rule], lang: Lang) -> None:
    """A rule may negate only what rules of earlier strata (lower sh:order) derive."""
    for r in rules:
        for key in r.negates:
            writers = [w for w in rules if w.order >= r.order and overlap({key}, w.writes)]
            if writers:
                names = ", ".join(sorted({str(w.iri).replace(RULE_NS, "rule:") for w in writers}))
                raise RuleError(rule_text(lang, "negation", rule=str(r.iri).replace(RULE_NS, "rule:"), rules=names),
                                location=r.location, hint=rule_text(lang, "higher_order"))


def overlap(a: set[Key], b: set[Key]) -> bool:
    """Whether something written as one key can be read as the other: the same predicate (and class), and
    the same way to its subject where both are known."""
    for p, c, v in a:
        for q, d, w in b:
            if (p == q or "*" in (p, q)) and (c == d or "*" in (c, d) or not c or not d) and (not v or not w or v & w):
                return True
    return False


def shacl_af_graph(ruleset: RuleSet) -> Graph:
    """The rules as plain SHACL-AF (for the reference engine): one node shape, every rule an sh:SPARQLRule."""
    from rdflib import BNode

    g = Graph()
    shape = URIRef(RULE_NS + "ProfileRules")
    prefixes = BNode()
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, SGM.SegmentProfile))
    for p, ns in SPARQL_PREFIXES.items():
        decl = BNode()
        g.add((prefixes, SH.declare, decl))
        g.add((decl, SH.prefix, Literal(p)))
        g.add((decl, SH.namespace, Literal(ns, datatype=URIRef("http://www.w3.org/2001/XMLSchema#anyURI"))))
    for r in ruleset.rules:
        node = r.iri
        g.add((shape, SH.rule, node))
        g.add((node, RDF.type, SH.SPARQLRule))
        g.add((node, SH.construct, Literal(r.construct)))
        g.add((node, SH.prefixes, prefixes))
        g.add((node, SH.order, Literal(r.order)))
    return g


def checked_term(term: URIRef) -> bool:
    """Whether a term is in a namespace whose terms must exist in the ontology or the catalogue."""
    return any(str(term).startswith(ns) for ns in CHECKED_NAMESPACES)
