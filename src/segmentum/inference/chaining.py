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

from segmentum.i18n.messages import Lang, text
from segmentum.inference.entailment import Vocabulary, entail_profiles, entail_static
from segmentum.inference.rules import (
    RULE_NS,
    InferenceError,
    Rule,
    RuleSet,
    overlap,
)
from segmentum.namespaces import INFERRED, PROF, SGM, inferred_graph, profile_id_of
from segmentum.output import progress
from segmentum.store.embedded import Store, drop_graphs

logger = logging.getLogger(__name__)

MAX_ROUNDS = 16


@dataclass
class InferenceRun:
    """What a run did: the most rounds a stratum needed, derivations per rule, time."""

    rounds: int = 0
    fired: dict[URIRef, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: seconds spent per rule (summed over rounds), and on the OWL entailments ("owl")
    spent: dict[str, float] = field(default_factory=dict)
    #: whether the conclusions are written with what the ontology entails from them
    entailments: bool = True

    @property
    def derivations(self) -> int:
        return sum(self.fired.values())


def inferred_graphs(store: Store) -> list[URIRef]:
    return [g for g in store.graphs() if str(g).startswith(INFERRED)]


def clear(store: Store, profiles: Sequence[URIRef] | None = None) -> None:
    """Drop what was inferred before, for the given profiles or for the whole store."""
    graphs = inferred_graphs(store) if profiles is None else [inferred_graph(profile_id_of(p)) for p in profiles]
    for i in range(0, len(graphs), 500):
        store.update(drop_graphs(graphs[i:i + 500]))


def infer(store: Store, ruleset: RuleSet, *, profiles: Sequence[URIRef] | None = None, max_rounds: int = MAX_ROUNDS,
          entailments: bool = True, lang: Lang = Lang.RU) -> InferenceRun:
    """Derive everything the rules derive, for the given profiles (IRIs) or for all profiles in the store."""
    started = time.perf_counter()
    clear(store, profiles)
    run = InferenceRun(entailments=entailments)
    # over the whole embedded store, two queries at a time (the store evaluates them in parallel)
    workers = 2 if profiles is None and getattr(store, "concurrent", False) else 1
    if entailments:
        entail_static(store)
    strata = ruleset.strata()
    if workers == 1:
        if entailments:
            _entail(store, profiles, run, workers=1)
        for stratum in progress(strata, text("progress.infer", lang)):
            _run_stratum(store, stratum, profiles, run, max_rounds, lang)
    else:
        _run_in_parallel(store, strata, run, workers, max_rounds, lang)
    run.seconds = time.perf_counter() - started
    return run


def _entail(store: Store, profiles: Sequence[URIRef] | None, run: InferenceRun, *, workers: int,
            vocabulary: Vocabulary | None = None) -> None:
    t = time.perf_counter()
    entail_profiles(store, profiles, workers=workers, vocabulary=vocabulary)
    run.spent["owl"] = time.perf_counter() - t


def dependencies(strata: list[list[Rule]]) -> list[set[int]]:
    """For each stratum, the earlier strata that write what it reads or negates: it starts after them."""
    out = []
    for i, stratum in enumerate(strata):
        needs = set().union(*(r.reads | r.negates for r in stratum))
        out.append({j for j in range(i) if any(overlap(r.writes, needs) for r in strata[j])})
    return out


def _run_in_parallel(store: Store, strata: list[list[Rule]], run: InferenceRun, workers: int, max_rounds: int, lang: Lang) -> None:
    """Run the strata over the whole store a few at a time (the store evaluates queries in parallel):
    each starts once the strata it depends on are done. Among those ready, the aggregating rules
    (weights summed over sources), the long ones, go first, then the entailments, then the strata
    others wait for.

    The OWL entailments of the profile data are one more task, which the strata that read what
    they write wait for. The others may run before or alongside it: a rule's conclusions carry
    their own entailments, so the entailment queries find nothing new in them, and the result is
    the same as one task at a time.
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    owl = len(strata)  # the index of the entailment task
    needs = dependencies(strata)
    tasks = [lambda i=i: _run_stratum(store, strata[i], None, run, max_rounds, lang) for i in range(len(strata))]
    if run.entailments:
        vocabulary = Vocabulary(store)
        written = {(p, c, frozenset()) for p, c in vocabulary.written(store)}  # as rule keys: the way to the subject not known
        needs = [n | ({owl} if any(overlap(written, r.reads | r.negates) for r in strata[i]) else set()) for i, n in enumerate(needs)]
        needs.append(set())
        tasks.append(lambda: _entail(store, None, run, workers=1, vocabulary=vocabulary))
    waited_for = {j for n in needs for j in n}
    def first(i: int) -> int:  # the long tasks first: the aggregating rules, then the entailments
        return 1 if i == owl else 0 if any("GROUP BY" in r.where.upper() for r in strata[i]) else 2

    pending = sorted(range(len(tasks)), key=lambda i: (first(i), i not in waited_for, i))
    done: set[int] = set()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: dict = {}
        while pending or running:
            for i in [i for i in pending if needs[i] <= done][:max(0, workers - len(running))]:
                pending.remove(i)
                running[pool.submit(tasks[i])] = i
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                f.result()
                done.add(running.pop(f))


def _run_stratum(store: Store, stratum: list[Rule], profiles: Sequence[URIRef] | None, run: InferenceRun, max_rounds: int,
                 lang: Lang) -> None:
    """Run one stratum to its fixpoint: all rules, then again those that read what the last round derived."""
    pending: list[Rule] = list(stratum)
    rounds = 0
    while pending:
        rounds += 1
        run.rounds = max(run.rounds, rounds)
        if rounds > max_rounds:
            names = ", ".join(sorted({str(r.iri).replace(RULE_NS, "rule:") for r in pending}))
            raise InferenceError(text("rule.no_fixpoint", lang, rounds=max_rounds, rules=names), hint=text("rule.fixpoint_hint", lang))
        fired: dict[URIRef, int] = {}
        for rule in pending:
            t = time.perf_counter()
            n = _fire(store, rule, profiles, first=rounds == 1, entailments=run.entailments)
            run.spent[str(rule.iri)] = run.spent.get(str(rule.iri), 0.0) + time.perf_counter() - t
            if n:
                fired[rule.iri] = n
                run.fired[rule.iri] = run.fired.get(rule.iri, 0) + n
        written = set().union(*(r.writes for r in stratum if r.iri in fired)) if fired else set()
        pending = [r for r in stratum if written and overlap(r.reads, written)]
        logger.debug("round %d: %d rules fired, %d to rerun", run.rounds, len(fired), len(pending))


def _fire(store: Store, rule: Rule, profiles: Sequence[URIRef] | None, *, first: bool, entailments: bool) -> int:
    """Run one rule; its conclusions go to the profiles' inferred graphs. Returns the new derivations."""
    query = rule.construct_query(profiles, first=first, entailments=entailments)
    return store.materialize(query, subjects=str(PROF), graphs=INFERRED, count=SGM.byRule)
