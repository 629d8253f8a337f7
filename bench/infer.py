"""Benchmark: rules and derivations for N generated profiles, against pySHACL's SHACL-AF rule engine.

    python bench/infer.py --profiles 10000 --reference-profiles 200

Prints the time of a full inference run over N profiles (after load), of one profile in the
loaded store, and the same rules run by pySHACL (``advanced=True``, rules only) on a smaller
set, with the per-profile ratio measured in the same run. Targets (docs/benchmarks.md): 10,000
profiles under 5 s; one profile under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import record  # bench/ is on the path only now

#: the targets (docs/benchmarks.md), both at 10,000 profiles: all rules after load, one profile in the loaded store
TARGET_PROFILES = 10000
TARGET_INFER_S, TARGET_ONE_MS = 5.0, 100.0


def conclusions(store) -> set[tuple]:
    """The rules' conclusions (derived values, suggestions; no derivation records, no OWL entailments), as strings."""
    rows = store.select("""SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER (STRSTARTS(STR(?g), "https://w3id.org/segmentum/graph/inferred/"))
        FILTER (!CONTAINS(STR(?s), "/derivation/"))
        FILTER (CONTAINS(STR(?s), "/suggestion/") || CONTAINS(STR(?s), "/derived/")
                || ?p IN (<https://w3id.org/segmentum/ontology#suggestion>, <https://w3id.org/segmentum/ontology#derivedValue>)) }""")
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=10000)
    ap.add_argument("--reference-profiles", type=int, default=200, help="profiles for pySHACL (0 to skip)")
    ap.add_argument("--seed", type=int, default=7)
    record.add_arguments(ap)
    args = ap.parse_args()
    rec = record.Recorder("infer", args, {"profiles": args.profiles, "reference_profiles": args.reference_profiles, "seed": args.seed})

    from generate import ProfileGenerator, write_nquads

    from segmentum.inference.chaining import infer
    from segmentum.inference.rule_cache import read_rules
    from segmentum.inference.rules import shacl_af_graph
    from segmentum.namespaces import PROF
    from segmentum.resources import rule_files
    from segmentum.session import open_session

    tmp = Path(tempfile.mkdtemp(prefix="segmentum-infer-"))

    session = open_session()
    t = time.perf_counter()
    ruleset = read_rules(rule_files(), session.store, cache=False)
    compile_s = time.perf_counter() - t
    data = tmp / "profiles.nq"
    quads = write_nquads(data, ProfileGenerator(session.catalogue, args.seed).profiles(args.profiles))
    t = time.perf_counter()
    session.store.load_dataset(data)
    load_s = time.perf_counter() - t
    run = infer(session.store, ruleset)
    print(f"{args.profiles} profiles, {quads} quads; {len(ruleset.ids())} rules ({len(ruleset.rules)} compiled queries), "
          f"compiled in {compile_s:.2f} s (cached afterwards)")
    print(f"load {load_s:.2f} s; inference {run.seconds:.2f} s: {run.derivations} derivations in {run.rounds} rounds "
          f"({run.seconds / args.profiles * 1000:.3f} ms per profile)")
    top = sorted(run.spent.items(), key=lambda kv: -kv[1])[:5]
    print(f"time per rule, summed over the {2 if session.store.concurrent else 1} threads: {sum(run.spent.values()):.2f} s; the longest: "
          + ", ".join(f"{k.rsplit('/', 1)[-1]} {v:.2f} s" for k, v in top))
    one = PROF["bench-42"] if session.store.ask(f"ASK {{ <{PROF['bench-42']}> ?p ?o }}") else None
    if one is None:
        one = session.store.select("SELECT ?p WHERE { ?p a <https://w3id.org/segmentum/ontology#SegmentProfile> } LIMIT 1")[0]["p"]
    times = []
    for _ in range(20):
        t = time.perf_counter()
        infer(session.store, ruleset, profiles=[one])
        times.append(time.perf_counter() - t)
    print(f"one profile in the loaded store: {statistics.median(times) * 1000:.1f} ms (median of 20)")
    n = args.profiles
    rec.figure("inference", f"all rules over {n:,} profiles, after load", run.seconds, "s", profiles=n,
               target={"below": TARGET_INFER_S, "profiles": TARGET_PROFILES})
    rec.figure("one-profile", f"re-infer one profile in a store of {n:,} (median of 20)", statistics.median(times) * 1000, "ms",
               profiles=n, target={"below": TARGET_ONE_MS, "profiles": TARGET_PROFILES})
    rec.figure("load", f"load {n:,} generated profiles", load_s, "s", profiles=n)
    rec.details(quads=quads, rules=len(ruleset.ids()), compiled_queries=len(ruleset.rules), compile_s=compile_s,
                derivations=run.derivations, rounds=run.rounds, rule_cpu_s=sum(run.spent.values()))

    if args.reference_profiles:
        import pyshacl
        from rdflib import Dataset, Graph

        small = open_session()
        ref = tmp / "small.nq"
        write_nquads(ref, ProfileGenerator(small.catalogue, args.seed).profiles(args.reference_profiles))
        small.store.load_dataset(ref)
        ours = infer(small.store, ruleset, entailments=False)  # pySHACL makes no OWL entailments
        data_graph = Graph()
        for q in Dataset().parse(ref, format="nquads").quads():
            data_graph.add(q[:3])
        for g in ("ontology", "catalogue"):
            data_graph += small.store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <https://w3id.org/segmentum/graph/{g}> {{ ?s ?p ?o }} }}")
        before = set(data_graph)
        shapes = shacl_af_graph(ruleset)
        t = time.perf_counter()
        pyshacl.shacl_rules(data_graph, shacl_graph=shapes, advanced=True, iterate_rules=True, inplace=True)
        ref_s = time.perf_counter() - t
        rule_output = ("/suggestion/", "/derived/")
        theirs = {(str(s), str(p), str(o)) for s, p, o in set(data_graph) - before
                  if any(m in str(s) for m in rule_output) or str(p).endswith(("#suggestion", "#derivedValue"))}
        mine = conclusions(small.store)
        print(f"pySHACL SHACL-AF rules on {args.reference_profiles} profiles: {ref_s:.2f} s; ours {ours.seconds:.3f} s "
              f"({ref_s / ours.seconds:.0f}× faster; per profile {ref_s / args.reference_profiles * 1000:.1f} ms vs "
              f"{ours.seconds / args.reference_profiles * 1000:.2f} ms)")
        print(f"same conclusions: {'yes' if mine == theirs else 'NO'} (ours {len(mine)}, pySHACL {len(theirs)}; "
              f"only ours {len(mine - theirs)}, only pySHACL {len(theirs - mine)})")
        for t in sorted(mine - theirs)[:5]:
            print("  only ours:", *t)
        for t in sorted(theirs - mine)[:5]:
            print("  only pySHACL:", *t)
        from importlib.metadata import version

        m = args.reference_profiles
        rec.figure("rules-vs-pyshacl", f"all rules over {m:,} profiles, without OWL entailments: ours against pySHACL's SHACL-AF rules",
                   ours.seconds, "s", profiles=m, reference={"what": f"pySHACL {version('pyshacl')} (shacl_rules)", "value": ref_s, "unit": "s"})
        rec.details(same_conclusions=mine == theirs, conclusions_ours=len(mine), conclusions_pyshacl=len(theirs))
    rec.write()


if __name__ == "__main__":
    main()
