"""Compile a set of rule files once and keep the result in the user's cache folder, under a digest of
the rule files, the shipped ontology and catalogue, the package version and the source of every
module that compiles rules (so a new release or an edited module never reads stale rules)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from segmentum.cache import cache_file, code_digest, read_cache, write_cache
from segmentum.i18n.messages import Lang
from segmentum.inference.entailment import Vocabulary
from segmentum.inference.rule_analysis import analyse
from segmentum.inference.rule_files import Finder, check_syntax, check_terms, known_terms, sparql_rule, suggestion_rule
from segmentum.inference.rules import (
    Rule,
    RuleError,
    RuleSet,
    check_stratification,
    rule_text,
)
from segmentum.namespaces import SGM
from segmentum.resources import catalogue_files, ontology_files
from segmentum.store.embedded import Store, shipped_data_hash


def read_rules(paths: Iterable[Path], store: Store, *, cache: bool = True, lang: Lang = Lang.RU) -> RuleSet:
    """Read, check and compile the rules in ``paths`` against the ontology and catalogue in ``store``.

    Compiling parses every rule's SPARQL (tens of milliseconds each), so the result is kept in
    the user's cache folder under a digest of the rule files and the shipped data; a changed
    file or catalogue compiles afresh.
    """
    paths = list(paths)
    cached = _cache_path(paths) if cache else None
    if cached is not None:
        ruleset = read_cache(cached)
        if isinstance(ruleset, RuleSet):
            return ruleset
    ruleset = _compile(paths, store, lang)
    if cached is not None:
        write_cache(cached, ruleset)
    return ruleset


#: the modules whose code decides what a compiled rule set holds: their source is part of the cache key
#: (``tests/test_layers.py`` checks that the list covers every module they import)
COMPILER_MODULES = (
    "segmentum.cache",
    "segmentum.errors",
    "segmentum.i18n.messages",
    "segmentum.inference.entailment",
    "segmentum.inference.rule_analysis",
    "segmentum.inference.rule_cache",
    "segmentum.inference.rule_files",
    "segmentum.inference.rules",
    "segmentum.namespaces",
    "segmentum.output",
    "segmentum.resources",
    "segmentum.store.embedded",
    "segmentum.store.quads",
    "segmentum.store.sparql_text",
)


#: the package version and the source of the compiler's modules, read when this module is imported, that
#: is, after those modules were: the code that compiles is the code the key names
_CODE_DIGEST = code_digest(COMPILER_MODULES)


def _cache_path(paths: Sequence[Path]) -> Path:
    h = hashlib.sha256()
    for p in paths:
        h.update(str(p.resolve()).encode())
        h.update(p.read_bytes())
    return cache_file("rules", shipped_data_hash([*ontology_files(), *catalogue_files()]), _CODE_DIGEST, h.digest())


def _compile(paths: Sequence[Path], store: Store, lang: Lang) -> RuleSet:
    rules: list[Rule] = []
    merged = Graph()
    known = known_terms(store)
    vocabulary = Vocabulary(store)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        check_syntax(path, text, lang)
        g = Graph().parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        merged += g
        finder = Finder(path, text, lang)
        check_terms(g, finder, known)
        for node in sorted(set(g.subjects(RDF.type, SH.SPARQLRule)), key=str):
            rules.append(sparql_rule(g, node, finder))
        for node in sorted(set(g.subjects(RDF.type, SGM.SuggestionRule)), key=str):
            rules.append(suggestion_rule(g, node, finder, store))
    seen: dict[URIRef, Rule] = {}
    for r in rules:
        if r.iri in seen:
            raise RuleError(rule_text(lang, "twice", rule=r.iri), location=r.location, hint=rule_text(lang, "first_at", place=seen[r.iri].location))
        seen[r.iri] = r
        analyse(r, known, vocabulary, lang)
    check_stratification(rules, lang)
    rules.sort(key=lambda r: (r.order, str(r.iri)))
    return RuleSet(rules, merged)
