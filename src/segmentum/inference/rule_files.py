"""Reading rule files: Turtle syntax, known terms, labels and justifications, and each rule turned into
one CONSTRUCT (a SHACL-AF ``sh:SPARQLRule`` as written, an ``sgm:SuggestionRule`` from its conditions
and conclusions). Errors name the file, line and column of the rule."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from segmentum.errors import Location
from segmentum.i18n.messages import Lang, text
from segmentum.inference.rules import (
    CHECKED_NAMESPACES,
    DEFAULT_ORDER,
    SPARQL_PREFIXES,
    Rule,
    RuleError,
    checked_term,
    rule_text,
)
from segmentum.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH, SGM
from segmentum.resources import sparql
from segmentum.store.embedded import Store, syntax_message
from segmentum.store.sparql_text import skip_group

logger = logging.getLogger(__name__)


def check_syntax(path: Path, text: str, lang: Lang) -> None:
    try:
        for _ in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise RuleError(syntax_message(exc, lang), location=Location(str(path), exc.lineno, exc.offset), hint=rule_text(lang, "fix_turtle")) from None


class Finder:
    """Where a term or a rule is written in a file, for error messages."""

    def __init__(self, path: Path, text: str, lang: Lang) -> None:
        self.lang = lang
        self.path = path
        self.text = text
        self.short = {ns: p for p, ns in SPARQL_PREFIXES.items()}

    def forms(self, iri: URIRef) -> list[str]:
        s = str(iri)
        out = [f"<{s}>"]
        for ns, p in self.short.items():
            if s.startswith(ns):
                out.insert(0, f"{p}:{s[len(ns):]}")
        return out

    def find(self, iri: URIRef, after: int = 0) -> Location:
        for form in self.forms(iri):
            m = re.search(r"(?<![\w:/#-])" + re.escape(form) + r"(?![\w-])", self.text[after:])
            if m:
                pos = after + m.start()
                line = self.text.count("\n", 0, pos) + 1
                col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
                return Location(str(self.path), line, col)
        return Location(str(self.path))

    def start_of(self, iri: URIRef) -> int:
        for form in self.forms(iri):
            m = re.search(r"^" + re.escape(form) + r"(?![\w-])", self.text, re.MULTILINE)
            if m:
                return m.start()
        return 0


def known_terms(store: Store) -> set[str]:
    rows = store.select(sparql("inference/rule-known-terms.rq"), default_graphs=[ONTOLOGY_GRAPH, CATALOGUE_GRAPH])
    return {str(r["s"]) for r in rows}


def check_terms(g: Graph, finder: Finder, known: set[str]) -> None:
    rule_nodes = set(g.subjects(RDF.type, SH.SPARQLRule)) | set(g.subjects(RDF.type, SGM.SuggestionRule))
    for s, p, o in g:
        for term in (p, o):
            if isinstance(term, URIRef) and checked_term(term) and str(term) not in known and term not in rule_nodes:
                raise unknown_term(term, known, finder.find(term, finder.start_of(s) if isinstance(s, URIRef) else 0), finder.forms(term)[0], finder.lang)


def unknown_term(term: URIRef, known: set[str], location: Location, written: str, lang: Lang) -> RuleError:
    """An error for a term that is neither in the ontology nor in the catalogue, with the closest known one."""
    import difflib

    iri = str(term)
    ns = next((n for n in CHECKED_NAMESPACES if iri.startswith(n)), "")
    pool = {k[len(ns):]: k for k in known if k.startswith(ns) and "/" not in k[len(ns):]}
    close = difflib.get_close_matches(iri[len(ns):], list(pool), n=1, cutoff=0.6)
    prefix = written.split(":", 1)[0] + ":" if ":" in written and not written.startswith("<") else ""
    hint = text("did_you_mean", lang, options=f"«{prefix}{close[0]}»") if close else rule_text(lang, "use_known")
    return RuleError(rule_text(lang, "unknown_term", term=written), location=location, hint=hint)


def _lit(g: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    return {(o.language or "ru"): str(o) for o in g.objects(node, prop) if isinstance(o, Literal)}


def _common(g: Graph, node: URIRef, finder: Finder) -> dict:
    loc = finder.find(node, finder.start_of(node))
    labels = _lit(g, node, RDFS.label)
    if "ru" not in labels:
        raise RuleError(rule_text(finder.lang, "no_label", rule=finder.forms(node)[0]), location=loc, hint=rule_text(finder.lang, "add_label"))
    justification = sorted(o for o in g.objects(node, SGM.justification) if isinstance(o, URIRef))
    if not justification:
        raise RuleError(rule_text(finder.lang, "no_justification", rule=finder.forms(node)[0]), location=loc,
                        hint=rule_text(finder.lang, "add_justification"))
    order = g.value(node, SH.order)
    weight = g.value(node, SGM.weight)
    cites = g.value(node, SGM.citesProfileSources)
    return {"iri": node, "labels": labels, "justification": justification, "location": loc,
            "order": float(order) if order is not None else DEFAULT_ORDER, "weight": float(weight) if weight is not None else 1.0,
            "cites_profile_sources": bool(cites.toPython()) if isinstance(cites, Literal) else False}


def sparql_rule(g: Graph, node: URIRef, finder: Finder) -> Rule:
    common = _common(g, node, finder)
    construct = g.value(node, SH.construct)
    if construct is None:
        raise RuleError(rule_text(finder.lang, "no_construct", rule=finder.forms(node)[0]), location=common["location"])
    return Rule(construct=str(construct), **common)


# ---------------------------------------------------------------- suggestion rules → CONSTRUCT


def suggestion_rule(g: Graph, node: URIRef, finder: Finder, store: Store) -> Rule:
    """A suggestion rule as one CONSTRUCT: its conditions once, then a table of its conclusions.

    Each row of the table is one conclusion (an attribute, a channel for a purpose, a journey
    feature, a pain, a derived value) with its kind; the negations that keep a profile's own
    statements from being suggested again are tagged with the kind they apply to, so one query
    serves every conclusion of the rule.
    """
    common = _common(g, node, finder)
    first: list[str] = []  # the most selective conditions first: the store starts its join from them
    where: list[str] = []
    situations = sorted(g.objects(node, SGM.whenLifeSituation), key=str)
    if situations:
        first.append("VALUES ?lifeSituation { " + " ".join(s.n3() for s in situations) + " }")
        where.append("$this sgm:lifeSituation|(sgm:service/^sgm:hasService) ?lifeSituation .")
    services = sorted(g.objects(node, SGM.whenService), key=str)
    if services:
        first.append("VALUES ?service { " + " ".join(s.n3() for s in services) + " }")
        where.append("$this sgm:service ?service .")
    where.append("$this sgm:profileOf ?seg .")
    statuses = sorted(g.objects(node, SGM.whenStatus), key=str)
    if statuses:
        first.append("VALUES ?status { " + " ".join(s.n3() for s in statuses) + " }")
        where.append("?seg sgm:hasStatus ?status .")
    for i, v in enumerate(sorted(g.objects(node, SGM.whenValue), key=str)):
        where.append(f"?value{i} sgm:value {v.n3()} . ?seg sgm:hasAttributeValue|sgm:derivedValue ?value{i} .")
    for i, a in enumerate(sorted(g.objects(node, SGM.whenAttribute), key=str)):
        where.append(f"?seg sgm:hasAttributeValue ?attribute{i} . ?attribute{i} sgm:attribute {a.n3()} .")
    for i, a in enumerate(sorted(g.objects(node, SGM.whenTrue), key=str)):
        where.append(f"?seg sgm:hasAttributeValue ?flag{i} . ?flag{i} sgm:attribute {a.n3()} ; sgm:literalValue true .")
    unless = _exceptions(g, node, store, finder)
    if len(where) == 1:
        raise RuleError(rule_text(finder.lang, "no_condition", rule=finder.forms(node)[0]), location=common["location"],
                        hint=rule_text(finder.lang, "add_condition"))
    table = _Conclusions()
    _conclusions(g, node, store, finder, common["location"], table)
    if not table.rows:
        raise RuleError(rule_text(finder.lang, "no_conclusion", rule=finder.forms(node)[0]), location=common["location"],
                        hint=rule_text(finder.lang, "add_conclusion"))
    construct = ("CONSTRUCT {\n  " + "\n  ".join(table.template()) + "\n} WHERE {\n  "
                 + "\n  ".join(first + where + unless + table.where()) + "\n}")
    return Rule(construct=construct, conclusion="concluded", types=sorted(table.types, key=str), negations=table.negation_forms(), **common)


#: the columns of a conclusion table, in order
_COLUMNS = ("kind", "sugSuffix", "dvSuffix", "type", "suggestedAttribute", "suggestedChannel", "purpose", "dvAttribute", "dvValue")


class _Conclusions:
    """The conclusions of one suggestion rule, as rows of a SPARQL VALUES table."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        #: kind -> the pattern that means "the profile already has it", and the columns it shares with the table
        self.negations: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.texts = 0  # statement columns (one per language)
        self.types: set[URIRef] = set()

    def add(self, kind: str, cls: URIRef, negation: str, keys: tuple[str, ...], **columns: str) -> None:
        self.rows.append({"kind": Literal(kind).n3(), **columns})
        self.negations.setdefault(kind, (negation, keys))
        self.types.add(cls)

    def columns(self) -> list[str]:
        used = {k for r in self.rows for k in r}
        return [c for c in _COLUMNS if c in used] + [f"text{i}" for i in range(self.texts)]

    def template(self) -> list[str]:
        cols = set(self.columns())
        out = []
        if "sugSuffix" in cols:
            out += ["?sug a ?type .", "$this sgm:suggestion ?sug ."]
        if "suggestedAttribute" in cols:
            out.append("?sug sgm:suggestedAttribute ?suggestedAttribute .")
        if "suggestedChannel" in cols:
            out.append("?sug sgm:suggestedChannel ?suggestedChannel ; sgm:purpose ?purpose .")
        out += [f"?sug sgm:statement ?text{i} ." for i in range(self.texts)]
        if "dvSuffix" in cols:
            out += ["?dv a sgm:DerivedValue ; sgm:attribute ?dvAttribute ; sgm:value ?dvValue .", "?seg sgm:derivedValue ?dv ."]
        return out

    def negation_forms(self) -> list[tuple[str, str]]:
        """Each negation as one anti-join over the store (MINUS, tagged by its kind), and the same anti-join
        over a few profiles only (``{profiles}`` is their VALUES block; the store then compares a few rows)."""
        out = []
        for kind, (pattern, keys) in self.negations.items():
            # the kind and the rule's own constants first: the store reads only the statements about them.
            # One VALUES per column: their product holds combinations that no row of the rule has, but
            # those match no solution (each solution is a row), so the anti-join removes the same; and
            # Virtuoso 7.2 cannot compile a MINUS whose VALUES has several variables and rows
            # ("sparp_find_qmv_of_var_or_retval(): side effect var passed")
            mine = [r for r in self.rows if r["kind"] == Literal(kind).n3()]
            tag = " ".join(f"VALUES ?{c} {{ {' '.join(sorted({r[c] for r in mine}))} }}" for c in ("kind", *keys))
            anchor = "" if pattern.startswith("$this") else "$this sgm:profileOf ?seg . "
            out.append((f"MINUS {{ {tag} {pattern} }}", f"MINUS {{ {{profiles}} {tag} {anchor}{pattern} }}"))
        return out

    def where(self) -> list[str]:
        cols = self.columns()
        rows = " ".join("(" + " ".join(r.get(c, "UNDEF") for c in cols) + ")" for r in self.rows)
        out = ["VALUES (" + " ".join(f"?{c}" for c in cols) + f") {{ {rows} }}"]
        out += [bulk for bulk, _ in self.negation_forms()]
        if "sugSuffix" in cols:
            out.append("BIND (IRI(CONCAT(STR($this), ?sugSuffix)) AS ?sug)")
        if "dvSuffix" in cols:
            out.append("BIND (IRI(CONCAT(STR(?seg), ?dvSuffix)) AS ?dv)")
        out.append("BIND (COALESCE(?sug, ?dv) AS ?concluded)")
        return out


def _conclusions(g: Graph, node: URIRef, store: Store, finder: Finder, loc: Location, table: _Conclusions) -> None:
    for a in sorted(g.objects(node, SGM.suggestsAttribute), key=str):
        # the profile has the attribute, states what rules it out (sgm:notWithValue), or lacks the «да» it needs (sgm:onlyIfTrue)
        table.add("attribute", SGM.AttributeSuggestion,
                  "{ ?__has sgm:attribute ?suggestedAttribute . ?seg sgm:hasAttributeValue ?__has . } UNION "
                  "{ ?suggestedAttribute sgm:notWithValue ?__v . ?seg sgm:hasAttributeValue ?__has . ?__has sgm:value ?__v . } UNION "
                  "{ ?suggestedAttribute sgm:onlyIfTrue ?__f . ?seg sgm:hasStatus ?__st . "
                  "FILTER NOT EXISTS { ?seg sgm:hasAttributeValue ?__yes . ?__yes sgm:attribute ?__f ; sgm:literalValue true } }",
                  ("suggestedAttribute",),
                  sugSuffix=Literal("/suggestion/attribute/" + str(a).rsplit("/", 1)[-1]).n3(), type=SGM.AttributeSuggestion.n3(),
                  suggestedAttribute=a.n3())
    for prop, purpose, slug in ((SGM.suggestsInformingChannel, SGM.Informing, "informing"), (SGM.suggestsServiceChannel, SGM.ServiceDelivery, "service")):
        for c in sorted(g.objects(node, prop), key=str):
            table.add("channel", SGM.ChannelSuggestion,
                      "$this sgm:hasChannelPreference ?__cp . ?__cp sgm:channel ?suggestedChannel ; sgm:purpose ?purpose .",
                      ("suggestedChannel", "purpose"),
                      sugSuffix=Literal(f"/suggestion/channel/{slug}/" + str(c).rsplit("/", 1)[-1]).n3(), type=SGM.ChannelSuggestion.n3(),
                      suggestedChannel=c.n3(), purpose=purpose.n3())
    for prop, cls, has, slug in ((SGM.suggestsJourneyFeature, SGM.JourneyFeatureSuggestion, "hasJourneyFeature", "journey-feature"),
                                 (SGM.suggestsPain, SGM.PainSuggestion, "hasPain", "pain")):
        texts = _lit(g, node, prop)
        if not texts:
            continue
        if "ru" not in texts:
            raise RuleError(rule_text(finder.lang, "no_russian_text", prop=finder.forms(prop)[0], rule=finder.forms(node)[0]), location=loc,
                            hint=rule_text(finder.lang, "add_russian"))
        digest = hashlib.md5(texts["ru"].encode("utf-8")).hexdigest()[:12]
        same = " || ".join(f"LCASE(STR(?__t)) = LCASE({Literal(t).n3()})" for t in texts.values())
        table.texts = max(table.texts, len(texts))
        table.add(slug, cls, f"$this sgm:{has} ?__h . ?__h sgm:statement ?__t . FILTER ({same})", (),
                  sugSuffix=Literal(f"/suggestion/{slug}/{digest}").n3(), type=cls.n3(),
                  **{f"text{i}": Literal(t, lang=lang).n3() for i, (lang, t) in enumerate(sorted(texts.items()))})
    for v in sorted(g.objects(node, SGM.derivesValue), key=str):
        attr = _attribute_of(store, v)
        if attr is None:
            raise RuleError(rule_text(finder.lang, "value_without_attribute", value=finder.forms(v)[0]), location=finder.find(v, finder.start_of(node)))
        local = str(attr).rsplit("/", 1)[-1]
        table.add("value", SGM.DerivedValue, "?__has sgm:attribute ?dvAttribute . ?seg sgm:hasAttributeValue ?__has .", ("dvAttribute",),
                  dvSuffix=Literal(f"/derived/{local}").n3(), dvAttribute=attr.n3(), dvValue=v.n3())


def _exceptions(g: Graph, node: URIRef, store: Store, finder: Finder) -> list[str]:
    """The rule's «unless the profile states …» (``sgm:unlessValue``, ``sgm:unlessOtherValueThan``,
    ``sgm:unlessFalse``), each as one anti-join on the segment."""
    out = []
    values = sorted(g.objects(node, SGM.unlessValue), key=str)
    if values:
        out.append("MINUS { ?seg sgm:hasAttributeValue|sgm:derivedValue ?__unless . ?__unless sgm:value ?__unlessValue . "
                   f"VALUES ?__unlessValue {{ {' '.join(v.n3() for v in values)} }} }}")
    kept: dict[URIRef, list[URIRef]] = {}
    for v in sorted(g.objects(node, SGM.unlessOtherValueThan), key=str):
        attr = _attribute_of(store, v)
        if attr is None:
            raise RuleError(rule_text(finder.lang, "value_without_attribute", value=finder.forms(v)[0]), location=finder.find(v, finder.start_of(node)))
        kept.setdefault(attr, []).append(v)
    for attr, vs in sorted(kept.items()):
        out.append(f"MINUS {{ ?seg sgm:hasAttributeValue ?__other . ?__other sgm:attribute {attr.n3()} ; sgm:value ?__otherValue . "
                   f"FILTER (?__otherValue NOT IN ({', '.join(v.n3() for v in vs)})) }}")
    for a in sorted(g.objects(node, SGM.unlessFalse), key=str):
        out.append(f"MINUS {{ ?seg sgm:hasAttributeValue ?__false . ?__false sgm:attribute {a.n3()} ; sgm:literalValue false }}")
    return out


def _attribute_of(store: Store, value: URIRef) -> URIRef | None:
    rows = store.select(sparql("inference/rule-value-attribute.rq"), bindings={"v": value})
    return rows[0]["a"] if rows else None


def where_text(construct: str, loc: Location, lang: Lang) -> str:
    """The group pattern after WHERE, without its braces."""
    i = skip_group(construct, construct.index("{"))
    m = re.compile(r"\s*WHERE\s*\{", re.IGNORECASE).match(construct, i)
    if not m:
        raise RuleError(rule_text(lang, "no_where"), location=loc)
    start = m.end() - 1
    end = skip_group(construct, start)
    return construct[start + 1:end - 1]
