"""Inference rules: read them from Turtle, check them, and compile each to one SPARQL 1.1 update.

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
import pickle
import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from segmentum.engine.entailment import Vocabulary
from segmentum.engine.errors import BadInputError, Location
from segmentum.engine.messages import Lang, text
from segmentum.engine.namespaces import CATALOGUE_GRAPH, ID, ONTOLOGY_GRAPH, PREFIXES, SGM
from segmentum.engine.quads import Construct
from segmentum.engine.sparql_text import declare_prefixes, skip_group
from segmentum.engine.store import Store, syntax_message

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


#: the language of rule errors while rules are read (set by :func:`read_rules`)
_LANG: ContextVar[Lang] = ContextVar("rule_lang", default=Lang.RU)


def _t(key: str, **fields: object) -> str:
    return text(f"rule.{key}", _LANG.get(), **fields)


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
            body = f"{{ {self.where} }}\n" if _binds_profile(self.where) else f"?this a sgm:SegmentProfile .\n{{ {self.where} }}\n"
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


def _binds_profile(where: str) -> bool:
    """Whether the pattern itself (not a nested group) says ``$this sgm:profileOf …``."""
    top, depth = [], 0
    for ch in where:
        depth += ch == "{"
        if depth == 0:
            top.append(ch)
        depth -= ch == "}"
    return re.search(r"[$?]this\s+sgm:profileOf\s", "".join(top)) is not None


# ---------------------------------------------------------------- reading rule files

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
            out += _components(groups[k])
        return out

    def by_iri(self, iri: URIRef) -> list[Rule]:
        return [r for r in self.rules if r.iri == iri]

    def ids(self) -> list[URIRef]:
        return sorted({r.iri for r in self.rules}, key=str)


def read_rules(paths: Iterable[Path], store: Store, *, cache: bool = True, lang: Lang = Lang.RU) -> RuleSet:
    """Read, check and compile the rules in ``paths`` against the ontology and catalogue in ``store``.

    Compiling parses every rule's SPARQL (tens of milliseconds each), so the result is kept in
    the user's cache folder under a digest of the rule files and the shipped data; a changed
    file or catalogue compiles afresh.
    """
    paths = list(paths)
    cached = _cache_path(paths) if cache else None
    if cached is not None and cached.exists():
        try:
            with cached.open("rb") as f:
                return pickle.load(f)
        except Exception:
            logger.debug("ignoring the rule cache %s", cached)
    token = _LANG.set(lang)
    try:
        ruleset = _compile(paths, store)
    finally:
        _LANG.reset(token)
    if cached is not None:
        try:
            from segmentum.engine.output import write_atomic

            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cached, pickle.dumps(ruleset))
        except OSError as exc:
            logger.debug("cannot write the rule cache %s: %s", cached, exc)
    return ruleset


def _cache_path(paths: Sequence[Path]) -> Path | None:
    import os

    from segmentum.engine.resources import catalogue_files, ontology_files
    from segmentum.engine.store import shipped_data_hash

    base = os.environ.get("SEGMENTUM_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "segmentum")
    h = hashlib.sha256(shipped_data_hash([*ontology_files(), *catalogue_files()]).encode())
    h.update(Path(__file__).read_bytes())
    for p in paths:
        h.update(str(p.resolve()).encode())
        h.update(p.read_bytes())
    return Path(base) / f"rules-{h.hexdigest()[:24]}.pickle"


def _compile(paths: Sequence[Path], store: Store) -> RuleSet:
    rules: list[Rule] = []
    merged = Graph()
    known = _known_terms(store)
    vocabulary = Vocabulary(store)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        _check_syntax(path, text)
        g = Graph().parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        merged += g
        finder = _Finder(path, text)
        _check_terms(g, finder, known)
        for node in sorted(set(g.subjects(RDF.type, SH.SPARQLRule)), key=str):
            rules.append(_sparql_rule(g, node, finder))
        for node in sorted(set(g.subjects(RDF.type, SGM.SuggestionRule)), key=str):
            rules.append(_suggestion_rule(g, node, finder, store))
    seen: dict[URIRef, Rule] = {}
    for r in rules:
        if r.iri in seen:
            raise RuleError(_t("twice", rule=r.iri), location=r.location, hint=_t("first_at", place=seen[r.iri].location))
        seen[r.iri] = r
        _analyse(r, known, vocabulary)
    _check_stratification(rules)
    rules.sort(key=lambda r: (r.order, str(r.iri)))
    return RuleSet(rules, merged)


def _check_syntax(path: Path, text: str) -> None:
    try:
        for _ in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise RuleError(syntax_message(exc, _LANG.get()), location=Location(str(path), exc.lineno, exc.offset), hint=_t("fix_turtle")) from None


class _Finder:
    """Where a term or a rule is written in a file, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
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


def _known_terms(store: Store) -> set[str]:
    rows = store.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", default_graphs=[ONTOLOGY_GRAPH, CATALOGUE_GRAPH])
    return {str(r["s"]) for r in rows}


def _check_terms(g: Graph, finder: _Finder, known: set[str]) -> None:
    rule_nodes = set(g.subjects(RDF.type, SH.SPARQLRule)) | set(g.subjects(RDF.type, SGM.SuggestionRule))
    for s, p, o in g:
        for term in (p, o):
            if isinstance(term, URIRef) and _checked(term) and str(term) not in known and term not in rule_nodes:
                raise _unknown(term, known, finder.find(term, finder.start_of(s) if isinstance(s, URIRef) else 0), finder.forms(term)[0])


def _checked(term: URIRef) -> bool:
    return any(str(term).startswith(ns) for ns in CHECKED_NAMESPACES)


def _unknown(term: URIRef, known: set[str], location: Location, written: str) -> RuleError:
    """An error for a term that is neither in the ontology nor in the catalogue, with the closest known one."""
    import difflib

    iri = str(term)
    ns = next((n for n in CHECKED_NAMESPACES if iri.startswith(n)), "")
    pool = {k[len(ns):]: k for k in known if k.startswith(ns) and "/" not in k[len(ns):]}
    close = difflib.get_close_matches(iri[len(ns):], list(pool), n=1, cutoff=0.6)
    prefix = written.split(":", 1)[0] + ":" if ":" in written and not written.startswith("<") else ""
    hint = text("did_you_mean", _LANG.get(), options=f"«{prefix}{close[0]}»") if close else _t("use_known")
    return RuleError(_t("unknown_term", term=written), location=location, hint=hint)


def _lit(g: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    return {(o.language or "ru"): str(o) for o in g.objects(node, prop) if isinstance(o, Literal)}


def _common(g: Graph, node: URIRef, finder: _Finder) -> dict:
    loc = finder.find(node, finder.start_of(node))
    labels = _lit(g, node, RDFS.label)
    if "ru" not in labels:
        raise RuleError(_t("no_label", rule=finder.forms(node)[0]), location=loc, hint=_t("add_label"))
    justification = sorted(o for o in g.objects(node, SGM.justification) if isinstance(o, URIRef))
    if not justification:
        raise RuleError(_t("no_justification", rule=finder.forms(node)[0]), location=loc,
                        hint=_t("add_justification"))
    order = g.value(node, SH.order)
    weight = g.value(node, SGM.weight)
    return {"iri": node, "labels": labels, "justification": justification, "location": loc,
            "order": float(order) if order is not None else DEFAULT_ORDER, "weight": float(weight) if weight is not None else 1.0}


def _sparql_rule(g: Graph, node: URIRef, finder: _Finder) -> Rule:
    common = _common(g, node, finder)
    construct = g.value(node, SH.construct)
    if construct is None:
        raise RuleError(_t("no_construct", rule=finder.forms(node)[0]), location=common["location"])
    return Rule(construct=str(construct), **common)


# ---------------------------------------------------------------- suggestion rules → CONSTRUCT

def _suggestion_rule(g: Graph, node: URIRef, finder: _Finder, store: Store) -> Rule:
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
    if len(where) == 1:
        raise RuleError(_t("no_condition", rule=finder.forms(node)[0]), location=common["location"],
                        hint=_t("add_condition"))
    table = _Conclusions()
    _conclusions(g, node, store, finder, common["location"], table)
    if not table.rows:
        raise RuleError(_t("no_conclusion", rule=finder.forms(node)[0]), location=common["location"],
                        hint=_t("add_conclusion"))
    construct = ("CONSTRUCT {\n  " + "\n  ".join(table.template()) + "\n} WHERE {\n  "
                 + "\n  ".join(first + where + table.where()) + "\n}")
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


def _conclusions(g: Graph, node: URIRef, store: Store, finder: _Finder, loc: Location, table: _Conclusions) -> None:
    for a in sorted(g.objects(node, SGM.suggestsAttribute), key=str):
        table.add("attribute", SGM.AttributeSuggestion,
                  "?__has sgm:attribute ?suggestedAttribute . ?seg sgm:hasAttributeValue ?__has .", ("suggestedAttribute",),
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
            raise RuleError(_t("no_russian_text", prop=finder.forms(prop)[0], rule=finder.forms(node)[0]), location=loc, hint=_t("add_russian"))
        digest = hashlib.md5(texts["ru"].encode("utf-8")).hexdigest()[:12]
        same = " || ".join(f"LCASE(STR(?__t)) = LCASE({Literal(t).n3()})" for t in texts.values())
        table.texts = max(table.texts, len(texts))
        table.add(slug, cls, f"$this sgm:{has} ?__h . ?__h sgm:statement ?__t . FILTER ({same})", (),
                  sugSuffix=Literal(f"/suggestion/{slug}/{digest}").n3(), type=cls.n3(),
                  **{f"text{i}": Literal(t, lang=lang).n3() for i, (lang, t) in enumerate(sorted(texts.items()))})
    for v in sorted(g.objects(node, SGM.derivesValue), key=str):
        attr = _attribute_of(store, v)
        if attr is None:
            raise RuleError(_t("value_without_attribute", value=finder.forms(v)[0]), location=finder.find(v, finder.start_of(node)))
        local = str(attr).rsplit("/", 1)[-1]
        table.add("value", SGM.DerivedValue, "?__has sgm:attribute ?dvAttribute . ?seg sgm:hasAttributeValue ?__has .", ("dvAttribute",),
                  dvSuffix=Literal(f"/derived/{local}").n3(), dvAttribute=attr.n3(), dvValue=v.n3())


def _attribute_of(store: Store, value: URIRef) -> URIRef | None:
    rows = store.select("SELECT ?a WHERE { ?v <http://www.w3.org/2004/02/skos/core#inScheme> ?s . "
                        f"{{ ?a <{SGM.valueScheme}> ?s }} UNION {{ ?a <{SGM.bandScheme}> ?s }} }} ORDER BY ?a", bindings={"v": value})
    return rows[0]["a"] if rows else None


# ---------------------------------------------------------------- analysis of the compiled query

def _analyse(rule: Rule, known: set[str], vocabulary: Vocabulary) -> None:
    text = declare_prefixes(rule.construct, SPARQL_PREFIXES)  # parsing only the prefixes it uses is faster
    try:
        q = prepareQuery(text)
    except Exception as exc:
        raise RuleError(_t("sparql_syntax", problem=exc), location=rule.location, hint=_t("fix_query")) from None
    algebra = q.algebra
    if algebra.name != "ConstructQuery":
        raise RuleError(_t("not_construct"), location=rule.location)
    rule.template = [tuple(t) for t in algebra.template]
    if not rule.template:
        raise RuleError(_t("empty_template"), location=rule.location)
    rule.where = _where_text(rule.construct, rule.location)
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
            if isinstance(term, URIRef) and _checked(term) and str(term) not in known:
                raise _unknown(term, known, rule.location, f"<{term}>")


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


def _where_text(construct: str, loc: Location) -> str:
    """The group pattern after WHERE, without its braces."""
    i = skip_group(construct, construct.index("{"))
    m = re.compile(r"\s*WHERE\s*\{", re.IGNORECASE).match(construct, i)
    if not m:
        raise RuleError(_t("no_where"), location=loc)
    start = m.end() - 1
    end = skip_group(construct, start)
    return construct[start + 1:end - 1]


def _components(rules: list[Rule]) -> list[list[Rule]]:
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


def _check_stratification(rules: Sequence[Rule]) -> None:
    """A rule may negate only what rules of earlier strata (lower sh:order) derive."""
    for r in rules:
        for key in r.negates:
            writers = [w for w in rules if w.order >= r.order and overlap({key}, w.writes)]
            if writers:
                names = ", ".join(sorted({str(w.iri).replace(RULE_NS, "rule:") for w in writers}))
                raise RuleError(_t("negation", rule=str(r.iri).replace(RULE_NS, "rule:"), rules=names),
                                location=r.location, hint=_t("higher_order"))


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
