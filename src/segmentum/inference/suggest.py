"""Suggestions for a profile, ranked, with the rules behind them and — on request — the facts they used.

Reads what ``inference`` wrote to the profile's inferred graph. The rank of a suggestion is the
sum of the weights of its derivations (each rule adds its ``sgm:weight``, 1 by default; the
source-based attribute rule adds 3 per legal article and 2 per form field). Explanations
re-run the rule for this one profile to recover the input facts, and find where each was
written in the profile file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from rdflib import URIRef, Variable
from rdflib.term import Node

from segmentum.catalogue.view import Catalogue
from segmentum.catalogue.wording import source_text
from segmentum.errors import Location
from segmentum.i18n.messages import Lang, text
from segmentum.inference.rules import FIRST_STEP, RuleSet
from segmentum.namespaces import PROF, SGM, inferred_graph, profile_id_of
from segmentum.resources import sparql
from segmentum.store.embedded import Store
from segmentum.validation.validate import node_locations

KIND_ORDER = {"attribute": 0, "journey-feature": 1, "channel": 2, "pain": 3}
_TYPES = {"AttributeSuggestion": "attribute", "JourneyFeatureSuggestion": "journey-feature",
          "ChannelSuggestion": "channel", "PainSuggestion": "pain"}


@dataclass
class Fact:
    """An input fact of a derivation: what the profile says, and where."""

    text: str
    location: Location | None


@dataclass
class Reason:
    rule: URIRef
    label: str
    weight: Decimal
    justification: list[str]
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Suggestion:
    id: str  # e.g. attribute/dormitory-need, channel/service/post, journey-feature/1a2b3c4d5e6f
    kind: str
    node: URIRef
    text: str
    target: str | None  # the attribute or channel IRI
    purpose: str | None
    score: Decimal
    reasons: list[Reason]


def suggestions(store: Store, cat: Catalogue, ruleset: RuleSet, profile: URIRef, lang: Lang, *, explain: bool = False) -> list[Suggestion]:
    """The profile's suggestions, best first."""
    graph = inferred_graph(profile_id_of(profile))
    rows = store.select(sparql("inference/suggest-suggestions.rq"), bindings={"profile": profile}, default_graphs=[graph])
    statements: dict[URIRef, dict[str, str]] = {}
    for r in store.select(sparql("inference/suggest-statements.rq"), default_graphs=[graph]):
        statements.setdefault(r["sug"], {})[r["s"].language or "ru"] = str(r["s"])
    found: dict[URIRef, Suggestion] = {}
    for r in rows:
        kind = _TYPES.get(str(r["type"]).rsplit("#", 1)[-1])
        if kind is None:
            continue
        sug = found.get(r["sug"])
        if sug is None:
            target = r.get("attr") or r.get("channel")
            purpose = str(r["purpose"]).rsplit("#", 1)[-1] if "purpose" in r else None
            if target is not None:
                label = cat.label(target, lang)
            else:
                texts = statements.get(r["sug"], {})
                label = texts.get(lang.value) or texts.get("ru") or ""
            sug = found[r["sug"]] = Suggestion(
                id=str(r["sug"]).split("/suggestion/", 1)[-1], kind=kind, node=r["sug"], text=label,
                target=str(target) if target is not None else None, purpose=purpose, score=Decimal(0), reasons=[])
        weight = Decimal(str(r["w"]))
        sug.score += weight
        rules = ruleset.by_iri(r["rule"])
        label = rules[0].label(lang.value) if rules else str(r["rule"])
        just = [cite(cat, store, j, lang) for j in (rules[0].justification if rules else [])]
        if kind == "attribute" and rules and rules[0].cites_profile_sources and sug.target:
            just = supporting_sources(store, cat, profile, sug.target, lang) + just
        sug.reasons.append(Reason(r["rule"], label, weight, just))
    derived = {str(r["a"]) for r in store.select(sparql("inference/suggest-derived-attributes.rq"), default_graphs=[graph])}
    # an attribute the profile already lists, without a value yet (a template line, an accepted suggestion)
    to_fill = {str(r["a"]) for r in store.select(sparql("inference/suggest-attributes-to-fill.rq"), bindings={"profile": profile})}
    found = {k: v for k, v in found.items() if not (v.kind == "attribute" and (v.target in derived or v.target in to_fill))}
    out = sorted(found.values(), key=lambda s: (-s.score, KIND_ORDER[s.kind], s.text.casefold()))
    for s in out:
        s.reasons.sort(key=lambda x: (-x.weight, x.label))
    if explain:
        for s in out:
            for reason in s.reasons:
                reason.facts = explain_facts(store, cat, ruleset, profile, s.node, reason.rule, lang)
    return out


def cite(cat: Catalogue, store: Store, source: URIRef, lang: Lang) -> str:
    """A source as a methodologist cites it (legal article, form field, methodology provision)."""

    ref = cat.sources.get(str(source))
    if ref is not None and ref.kind in ("article", "field"):
        return source_text(cat, ref, lang, short=True)
    rows = store.select(sparql("inference/suggest-source-label.rq"), bindings={"source": source})
    by_lang = {r["l"].language: str(r["l"]) for r in rows}
    return by_lang.get(lang.value) or by_lang.get("ru") or (source_text(cat, ref, lang) if ref else str(source))


def explain_facts(store: Store, cat: Catalogue, ruleset: RuleSet, profile: URIRef, concluded: URIRef, rule_iri: URIRef,
                  lang: Lang) -> list[Fact]:
    """The profile's statements a rule used to conclude ``concluded``, with where they were written."""
    return _describe(store, cat, _facts(store, ruleset, profile, concluded, rule_iri, depth=3), lang)


def _facts(store: Store, ruleset: RuleSet, profile: URIRef, concluded: URIRef, rule_iri: URIRef, *, depth: int) -> list[tuple]:
    """Input facts of one conclusion; a derived value among them brings the facts it was derived from."""
    facts: dict[tuple, None] = {}
    first_steps: dict[tuple, None] = {}  # (subject, predicate) of paths' first steps, looked up once below
    for rule in ruleset.by_iri(rule_iri):
        c = rule.concluded
        if not isinstance(c, Variable):
            continue
        for row in store.select(rule.bindings_query(), bindings={"this": profile, str(c): concluded}):
            row = {**row, "this": profile}
            for s, p, o in rule.facts:
                s = row.get(str(s)) if isinstance(s, Variable) else s
                if not (isinstance(s, URIRef) and str(s).startswith(str(PROF))):
                    continue
                if isinstance(o, Variable) and str(o).startswith(FIRST_STEP):  # the first step of a path: what the profile says
                    first_steps[(s, p)] = None
                    continue
                o = row.get(str(o)) if isinstance(o, Variable) else o
                if o is not None or "/derived/" in str(s):
                    facts[(s, p, o)] = None
    for s, p in first_steps:
        for found in store.select(sparql("inference/suggest-first-step.rq"), bindings={"s": s, "p": p}):
            facts[(s, p, found["o"])] = None
    if depth > 0:
        for node in {f[0] for f in facts if "/derived/" in str(f[0])}:
            for r in store.select(sparql("inference/suggest-rules-of.rq"), bindings={"node": node}):
                for f in _facts(store, ruleset, profile, node, r["rule"], depth=depth - 1):
                    facts[f] = None
    return list(facts)


def _describe(store: Store, cat: Catalogue, facts: list[tuple[Node, URIRef, Node]], lang: Lang) -> list[Fact]:
    """Facts grouped by the node they are about, in words, with their place in the file."""
    if not facts:
        return []
    nodes = sorted({f[0] for f in facts}, key=str)
    places = node_locations(store, nodes)
    out: list[Fact] = []
    seen: set[str] = set()
    described: dict[Node, tuple] = {}
    for r in store.select(sparql("inference/suggest-described-nodes.rq"), bindings={"n": nodes}):
        shown = str(r["w"]) if "w" in r else cat.label(r["v"], lang) if "v" in r else str(r.get("lv", ""))
        described[r["n"]] = (r["a"], shown)
    props = _property_labels(store, lang)
    by_node: dict[Node, list[tuple]] = {}
    for f in facts:
        by_node.setdefault(f[0], []).append(f)
    for node, group in sorted(by_node.items(), key=lambda kv: str(kv[0])):
        if node in described:
            attr, shown = described[node]
            key = "suggest.fact_derived" if "/derived/" in str(node) else "suggest.fact_attribute"
            entries = [(text(key, lang, attribute=cat.label(attr, lang), value=shown), places.get((node, None)))]
        else:
            entries = [(f"{props.get(p, cat.label(p, lang))}: {cat.label(o, lang) if isinstance(o, URIRef) else o}",
                        places.get((node, p)) or places.get((node, None)))
                       for _, p, o in group if p not in (SGM.profileOf, SGM.hasAttributeValue, SGM.derivedValue)]
        for line, loc in entries:
            if line not in seen:
                seen.add(line)
                out.append(Fact(line, loc))
    # in the order of the file; derived facts (no place of their own) last
    return sorted(out, key=lambda f: (f.location is None, f.location.path if f.location else "",
                                      f.location.line or 0 if f.location else 0, f.text))


def _property_labels(store: Store, lang: Lang) -> dict[Node, str]:
    rows = store.select(sparql("inference/suggest-property-labels.rq"))
    out: dict[Node, str] = {}
    for r in rows:
        if r["l"].language == lang.value or r["p"] not in out:
            out[r["p"]] = str(r["l"])
    return out


def supporting_sources(store: Store, cat: Catalogue, profile: URIRef, attribute: str, lang: Lang) -> list[str]:
    """The attribute's sources in the legal acts and forms of the profile's life situation or service."""
    rows = store.select(sparql("inference/suggest-supporting-sources.rq"), bindings={"attribute": URIRef(attribute), "profile": profile})
    return [cite(cat, store, r["source"], lang) for r in rows]


def derived_values(store: Store, cat: Catalogue, ruleset: RuleSet, profile: URIRef, lang: Lang) -> list[dict]:
    """The values rules derived for the profile: attribute, value and the rule, in attribute order."""
    graph = inferred_graph(profile_id_of(profile))
    rows = store.select(sparql("inference/suggest-derived-values.rq"), default_graphs=[graph])
    out: dict[tuple, dict] = {}
    for r in rows:
        rules = ruleset.by_iri(r["rule"])
        key = (str(r["a"]), str(r["v"]))
        item = out.setdefault(key, {"attribute": cat.label(r["a"], lang), "value": cat.label(r["v"], lang), "rules": []})
        label = rules[0].label(lang.value) if rules else str(r["rule"])
        if label not in item["rules"]:
            item["rules"].append(label)
    return sorted(out.values(), key=lambda d: (d["attribute"].casefold(), d["value"].casefold()))


# ---------------------------------------------------------------- output

class SuggestFormat(str, Enum):
    """Formats of ``segmentum suggest``."""

    TEXT = "text"
    JSON = "json"


def render_suggestions(found: list[tuple[str, list[Suggestion]]], lang: Lang, fmt: SuggestFormat, *, explain: bool = False) -> str:
    """The suggestions of each profile (id, suggestions): one JSON document for one profile, a list for several."""
    if fmt is SuggestFormat.JSON:
        docs = [{"profile": pid, "suggestions": [_as_json(s, explain) for s in items]} for pid, items in found]
        return json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n"
    return "\n".join(render(pid, items, lang, explain=explain) for pid, items in found)


def render(profile_id: str, items: list[Suggestion], lang: Lang, *, explain: bool = False) -> str:
    """The suggestions of one profile as text."""
    lines = [text("suggest.title", lang, profile=profile_id, n=len(items))]
    if items:
        lines.append(text("suggest.score_note", lang))
    for kind in ("attribute", "journey-feature", "channel", "pain"):
        group = [s for s in items if s.kind == kind]
        if not group:
            continue
        lines.append("")
        lines.append(text(f"suggest.kind.{kind}", lang))
        for s in group:
            what = s.text
            if s.kind == "channel":
                what = f"{text('suggest.purpose.' + (s.purpose or 'Informing'), lang)}: {s.text}"
            lines.append(f"  [{s.score.normalize():f}] {what}  ({s.id})")
            for r in s.reasons:
                lines.append(f"      {text('suggest.rule', lang)} (+{r.weight.normalize():f}): {r.label}; "
                             f"{text('suggest.source', lang)}: {'; '.join(r.justification)}")
                for f in r.facts if explain else []:
                    where = f" — {f.location}" if f.location else ""
                    lines.append(f"        {text('suggest.because', lang)}: {f.text}{where}")
    if not items:
        lines.append(text("suggest.none", lang))
    return "\n".join(lines) + "\n"


def _as_json(s: Suggestion, explain: bool) -> dict:
    out = {"id": s.id, "kind": s.kind, "text": s.text, "score": float(s.score)}
    if s.target:
        out["term"] = s.target
    if s.purpose:
        out["purpose"] = "informing" if s.purpose == "Informing" else "service"
    out["reasons"] = []
    for r in s.reasons:
        reason = {"rule": str(r.rule), "label": r.label, "weight": float(r.weight), "justification": r.justification}
        if explain:
            reason["facts"] = [{"text": f.text, "file": f.location.path if f.location else None,
                                "line": f.location.line if f.location else None} for f in r.facts]
        out["reasons"].append(reason)
    return out
