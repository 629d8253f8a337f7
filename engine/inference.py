"""Forward chaining: run the rules to a fixpoint inside the store, stratum by stratum.

Round 1 of a stratum runs all its rules; each later round runs only the rules that read what
the previous round derived (semi-naive by predicate). Every conclusion is written with a
derivation record (rule, profile, conclusion, weight) to ``graph/inferred/{profile}``; asserted
graphs are never touched. A stratum that is still deriving after ``max_rounds`` rounds stops
with an error naming the rules that kept firing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import URIRef

from segmentum.engine.entailment import entail_profiles, entail_static
from segmentum.engine.messages import Lang, text
from segmentum.engine.namespaces import INFERRED, PROF, SGM, inferred_graph, profile_id_of
from segmentum.engine.rules import (
    RULE_NS,
    InferenceError,
    Rule,
    RuleSet,
    overlap,
)
from segmentum.engine.store import Store

logger = logging.getLogger(__name__)

MAX_ROUNDS = 16


@dataclass
class InferenceRun:
    """What a run did: rounds, derivations per rule, time."""

    rounds: int = 0
    fired: dict[URIRef, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def derivations(self) -> int:
        return sum(self.fired.values())


def inferred_graphs(store: Store) -> list[URIRef]:
    return [g for g in store.graphs() if str(g).startswith(INFERRED)]


def clear(store: Store, profiles: Sequence[URIRef] | None = None) -> None:
    """Drop what was inferred before, for the given profiles or for the whole store."""
    graphs = inferred_graphs(store) if profiles is None else [inferred_graph(profile_id_of(p)) for p in profiles]
    for i in range(0, len(graphs), 500):
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[i:i + 500]))


def infer(store: Store, ruleset: RuleSet, *, profiles: Sequence[URIRef] | None = None, max_rounds: int = MAX_ROUNDS,
          entailments: bool = True, lang: Lang = Lang.RU) -> InferenceRun:
    """Derive everything the rules derive, for the given profiles (IRIs) or for all profiles in the store."""
    started = time.perf_counter()
    clear(store, profiles)
    if entailments:
        entail_static(store)
        entail_profiles(store, profiles)
    run = InferenceRun()
    workers = 2 if profiles is None and getattr(store, "concurrent", False) else 1
    for once, rules in _batches(ruleset.strata()):
        if once and workers > 1:
            _run_once_in_parallel(store, rules, run, workers)
        else:
            _run_stratum(store, rules, profiles, run, max_rounds, lang)
    run.seconds = time.perf_counter() - started
    return run


def _batches(strata: list[list[Rule]]) -> list[tuple[bool, list[Rule]]]:
    """The strata in order, with runs of independent one-rule strata joined: (True, rules) for such a
    run (each rule fires once, in any order), (False, stratum) for a stratum run to its fixpoint."""
    out: list[tuple[bool, list[Rule]]] = []
    batch: list[Rule] = []
    for stratum in strata:
        rule = stratum[0]
        simple = len(stratum) == 1 and not overlap(rule.writes, rule.reads)
        if simple and all(not overlap(rule.writes, b.reads) and not overlap(b.writes, rule.reads) for b in batch):
            batch.append(rule)
            continue
        if batch:
            out.append((True, batch))
            batch = []
        if simple:
            batch = [rule]
        else:
            out.append((False, stratum))
    if batch:
        out.append((True, batch))
    return out


def _run_once_in_parallel(store: Store, rules: list[Rule], run: InferenceRun, workers: int) -> None:
    """Independent rules that fire once, over the whole store, a few at a time: the store evaluates queries in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    run.rounds += 1
    # the aggregating rules (weights summed over sources) are the long ones: start them first
    rules = sorted(rules, key=lambda r: "GROUP BY" not in r.where.upper())
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for rule, n in zip(rules, pool.map(lambda r: _fire(store, r, None, first=True), rules)):
            if n:
                run.fired[rule.iri] = run.fired.get(rule.iri, 0) + n


def _run_stratum(store: Store, stratum: list[Rule], profiles: Sequence[URIRef] | None, run: InferenceRun, max_rounds: int,
                 lang: Lang) -> None:
    """Run one stratum to its fixpoint: all rules, then again those that read what the last round derived."""
    pending: list[Rule] = list(stratum)
    rounds = 0
    while pending:
        rounds += 1
        run.rounds += 1
        if rounds > max_rounds:
            names = ", ".join(sorted({str(r.iri).replace(RULE_NS, "rule:") for r in pending}))
            raise InferenceError(text("rule.no_fixpoint", lang, rounds=max_rounds, rules=names), hint=text("rule.fixpoint_hint", lang))
        fired: dict[URIRef, int] = {}
        for rule in pending:
            n = _fire(store, rule, profiles, first=rounds == 1)
            if n:
                fired[rule.iri] = fired.get(rule.iri, 0) + n
                run.fired[rule.iri] = run.fired.get(rule.iri, 0) + n
        written = set().union(*(r.writes for r in stratum if r.iri in fired)) if fired else set()
        pending = [r for r in stratum if written and overlap(r.reads, written)]
        logger.debug("round %d: %d rules fired, %d to rerun", run.rounds, len(fired), len(pending))


def _fire(store: Store, rule: Rule, profiles: Sequence[URIRef] | None, *, first: bool) -> int:
    """Run one rule; its conclusions go to the profiles' inferred graphs. Returns the new derivations."""
    return store.materialize(rule.construct_query(profiles, first=first), subjects=str(PROF), graphs=INFERRED, count=SGM.byRule)
