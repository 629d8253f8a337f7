"""What a compiled rule reads and writes (triple patterns, paths, negation), for stratification and
for incremental runs; the entailment a rule needs from the ontology."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from rdflib import URIRef, Variable
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from segmentum.i18n.messages import Lang
from segmentum.inference.entailment import Vocabulary
from segmentum.inference.rule_files import unknown_term, where_text
from segmentum.inference.rules import (
    FIRST_STEP,
    SPARQL_PREFIXES,
    Key,
    Rule,
    RuleError,
    checked_term,
    rule_text,
)
from segmentum.namespaces import SGM
from segmentum.store.sparql_text import declare_prefixes

logger = logging.getLogger(__name__)


def analyse(rule: Rule, known: set[str], vocabulary: Vocabulary, lang: Lang) -> None:
    text = declare_prefixes(rule.construct, SPARQL_PREFIXES)  # parsing only the prefixes it uses is faster
    try:
        q = prepareQuery(text)
    except Exception as exc:
        raise RuleError(rule_text(lang, "sparql_syntax", problem=exc), location=rule.location, hint=rule_text(lang, "fix_query")) from None
    algebra = q.algebra
    if algebra.name != "ConstructQuery":
        raise RuleError(rule_text(lang, "not_construct"), location=rule.location)
    rule.template = [tuple(t) for t in algebra.template]
    if not rule.template:
        raise RuleError(rule_text(lang, "empty_template"), location=rule.location)
    rule.where = where_text(rule.construct, rule.location, lang)
    pos: list[tuple] = []
    neg: list[tuple] = []
    _walk(algebra.p, pos, neg, negated=False)
    negated_only = {str(x) for group in neg for t in group for x in t if isinstance(x, Variable)} - {
        str(x) for group in pos for t in group for x in t if isinstance(x, Variable)} - {
        str(x) for t in algebra.template for x in t if isinstance(x, Variable)}
    outer = {str(v) for v in algebra.p._vars} - negated_only
    rule.variables = sorted({v for v in outer if not v.startswith("__")} - {"this"})
    pos_triples = [t for group in pos for t in group]
    via = _incoming(pos_triples)
    rule.reads = {k for t in pos_triples for k in _keys(t, via)}
    rule.negates = {k for group in neg for t in _anchors(group, outer) for k in _keys(t, _incoming(pos_triples + group))}
    # a node the rule creates is reached only through the template's links to it; an existing one, through anything
    existing = {str(x) for t in pos_triples for x in t if isinstance(x, Variable)}
    made = {v: preds for v, preds in _incoming(rule.template).items() if v not in existing}
    rule.writes = {k for t in rule.template for k in _keys(t, made)}
    if rule.types:  # typed by a variable from the conclusion table: the classes it can take
        rule.writes = {k for k in rule.writes if k[:2] != (str(RDF.type), "*")} | {
            (str(RDF.type), str(c), k[2]) for c in rule.types for k in rule.writes if k[:2] == (str(RDF.type), "*")}
    rule.writes |= {k for t in _entail(rule, vocabulary) for k in _keys(t, made)}
    # the facts a solution used, for explanations: a path's first steps from its subject too (the
    # object of ``$this sgm:lifeSituation/sgm:regulatedBy ?act``'s first step is looked up afterwards)
    rule.facts = [t for t in pos_triples if isinstance(t[1], URIRef)] + [
        (t[0], step, Variable(f"{FIRST_STEP}{i}")) for i, t in enumerate(pos_triples) if not isinstance(t[1], URIRef)
        for step in dict.fromkeys(_first_steps(t[1]))]
    for t in [*pos_triples, *(t for group in neg for t in group), *rule.template]:
        for term in t:
            if isinstance(term, URIRef) and checked_term(term) and str(term) not in known:
                raise unknown_term(term, known, rule.location, f"<{term}>", lang)


def _entail(rule: Rule, vocabulary: Vocabulary) -> list[tuple[Node, Node, Node]]:
    """Set what the ontology entails from the rule's conclusions and its derivation record; return it
    as triples (a type given by a ``BIND`` has its class in place of the variable).

    The OWL entailment queries read the asserted profile data before the rules run; a rule's own
    conclusions get their super-classes (a suggestion of an attribute is a ``sgm:Suggestion``)
    and super- and inverse properties (a derived value's ``sgm:attribute`` is a
    ``cv:providesValueFor``) from its template, in the same query. A type taken from a variable gets, through a ``BIND``, the super-classes of
    the classes it can take (``Rule.types``).
    """
    record = Variable("__derivation")
    written = [*rule.template, (record, SGM.byRule, rule.iri), (record, SGM.concluded, rule.concluded)]
    extra: list[tuple[Node, Node, Node]] = []
    bound: list[tuple[Node, Node, Node]] = []
    binds: list[str] = []
    for s, p, o in written:
        if p == RDF.type and isinstance(o, URIRef):
            extra += [(s, RDF.type, URIRef(c)) for c in sorted(vocabulary.classes.get(str(o), ()))]
        elif p == RDF.type and isinstance(o, Variable) and rule.types:
            supers = {str(c): vocabulary.classes.get(str(c), set()) for c in rule.types}
            common = set.intersection(*supers.values())
            extra += [(s, RDF.type, URIRef(c)) for c in sorted(common)]
            for c in sorted(set().union(*supers.values()) - common):
                var = Variable(f"__super{len(binds)}")
                among = ", ".join(f"<{t}>" for t, sup in supers.items() if c in sup)
                binds.append(f"BIND (IF(?{o} IN ({among}), <{c}>, ?__none) AS ?{var})\n")
                extra.append((s, RDF.type, var))
                bound.append((s, RDF.type, URIRef(c)))
        elif isinstance(p, URIRef):
            extra += [(o, URIRef(q), s) if inverted else (s, URIRef(q), o) for q, inverted in sorted(vocabulary.properties.get(str(p), ()))]
    rule.entailed = [t for t in dict.fromkeys(extra) if t not in written]
    rule.entailed_binds = "".join(binds)
    return [t for t in rule.entailed if not (isinstance(t[2], Variable) and str(t[2]).startswith("__super"))] + bound


def _anchors(group: list[tuple], outer: set[str]) -> list[tuple]:
    """The patterns of a negated group that join it to the rule's match (their subject is bound outside).

    Only these are checked against what rules of the same or later strata derive: a negation
    such as ``NOT EXISTS { ?seg sgm:hasAttributeValue ?v . ?v sgm:attribute attr:x }`` depends on
    asserted attribute values, even though derived values also have an ``sgm:attribute``.
    """
    anchored = [t for t in group if not isinstance(t[0], Variable) or str(t[0]) in outer]
    return anchored or group


def _keys(t: tuple, via: dict[str, frozenset]) -> set[Key]:
    """What a pattern reads or writes: (predicate, class) for rdf:type, (predicate, "") otherwise, with the
    predicates that lead to its subject (``via``). A property path reads every predicate in it; a variable
    predicate reads everything."""
    p, o = t[1], t[2]
    to = via.get(str(t[0]), frozenset()) if isinstance(t[0], Variable) else frozenset()
    if p == RDF.type:
        return {(str(p), str(o) if isinstance(o, URIRef) else "*", to)}
    if isinstance(p, URIRef):
        return {(str(p), "", to)}
    if isinstance(p, Variable):
        return {("*", "", to)}
    return {(str(x), "", to) for x in _path_predicates(p)} or {("*", "", to)}


def _incoming(triples: Iterable[tuple]) -> dict[str, frozenset]:
    """For each variable, the predicates of the patterns that have it as their object; none (not known)
    if some pattern reaches it otherwise (a variable predicate, a path other than alternatives)."""
    from rdflib.paths import AlternativePath

    found: dict[str, set[str] | None] = {}
    for s_, p, o in triples:
        if not isinstance(o, Variable):
            continue
        if isinstance(p, URIRef):
            preds = {str(p)}
        elif isinstance(p, AlternativePath) and all(isinstance(a, URIRef) for a in p.args):
            preds = {str(a) for a in p.args}
        else:
            preds = None
        known = found.get(str(o), set())
        found[str(o)] = None if preds is None or known is None else known | preds
    return {v: frozenset(preds) for v, preds in found.items() if preds}


def _path_predicates(path) -> list[URIRef]:
    from rdflib.paths import (
        AlternativePath,
        InvPath,
        MulPath,
        NegatedPath,
        SequencePath,
    )

    if isinstance(path, URIRef):
        return [path]
    if isinstance(path, (AlternativePath, SequencePath)):
        return [x for part in path.args for x in _path_predicates(part)]
    if isinstance(path, InvPath):
        return _path_predicates(path.arg)
    if isinstance(path, MulPath):
        return _path_predicates(path.path)
    if isinstance(path, NegatedPath):
        return []  # reads any predicate but the listed ones
    return []


def _first_steps(path) -> list[URIRef]:
    """The predicates a path can start with, walked forwards from its subject (none for inverse,
    repeated or negated steps, which may start elsewhere)."""
    from rdflib.paths import AlternativePath, SequencePath

    if isinstance(path, URIRef):
        return [path]
    if isinstance(path, AlternativePath):
        return [x for part in path.args for x in _first_steps(part)]
    if isinstance(path, SequencePath):
        return _first_steps(path.args[0])
    return []


def _walk(node, pos: list, neg: list, negated: bool) -> None:
    if isinstance(node, CompValue):
        if node.name == "TriplesBlock":  # the untranslated pattern inside [NOT] EXISTS
            from rdflib.plugins.sparql.algebra import triples as to_triples

            (neg if negated else pos).append([tuple(t) for t in to_triples(node.triples)])
            return
        if node.name == "BGP":
            (neg if negated else pos).append([tuple(t) for t in node.triples])
            return
        if node.name == "Builtin_NOTEXISTS":
            _walk(node.get("graph"), pos, neg, True)
            return
        if node.name == "Minus":
            _walk(node.p1, pos, neg, negated)
            _walk(node.p2, pos, neg, True)
            return
        for v in node.values():
            _walk(v, pos, neg, negated)
    elif isinstance(node, (list, tuple)):
        for v in node:
            _walk(v, pos, neg, negated)
