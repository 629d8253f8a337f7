"""Benchmark: the «main template attributes» constraint of two shapes files on the same store.

    python bench/main_attributes.py --profiles 50000 --before OLD-profile.ttl   # e.g. from git show main:shapes/profile.ttl
    python bench/main_attributes.py --profiles 50000 --before OLD.ttl --gaps 0.3

Loads N generated profiles (bench/generate.py) once and runs, for the shipped shapes and for the
shapes file given with --before, alternately and --repeat times, the units that contain the
constraint ``sgmsh:MainAttributesConstraint``:

- ``alone``: the constraint's own query, with the focus nodes joined in (what an external store gets);
- ``lateral``: the constraint alone under ``LATERAL`` on the stage III–IV focus nodes (what it
  costs inside the shared query of the embedded store);
- ``shared``: the whole shared stage III–IV query it is part of (six constraints).

It prints the CPU time of each (median, all threads) and the number of rows, which must be the
same for both files when the data has nothing the new form changes. ``--gaps P`` drops each
attribute of a stage III–IV profile with probability P and gives such a business profile the
headcount and the income with probability 1/2, so that many main attributes are missing and some
of them are implied by what the profile gives.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import record  # noqa: E402  (bench/ is on the path only now)

CONSTRAINT = URIRef("https://w3id.org/segmentum/shapes#MainAttributesConstraint")


def with_gaps(profiles, share: float, seed: int):
    """The generated profiles with attributes left out at stage III–IV (and determinants added)."""
    from segmentum.namespaces import ATTR, SGM, ST

    rng = random.Random(seed)
    for graph, triples in profiles:
        stage = next(o for s, p, o in triples if p == SGM.stage)
        if stage not in (SGM.StageHypotheses, SGM.StageRefined):
            yield graph, triples
            continue
        status = next(o for s, p, o in triples if p == SGM.hasStatus)
        seg = next(s for s, p, o in triples if p == SGM.hasStatus)
        dropped = {s for s, p, o in triples if p == SGM.attribute and rng.random() < share}
        kept = [t for t in triples if t[0] not in dropped and t[2] not in dropped]
        if status == ST.business and rng.random() < 0.5:
            base = str(graph).replace("/graph/profile/", "/id/profile/")
            for name, value in (("average-headcount", Literal(rng.randint(1, 400))), ("annual-income", Literal(rng.randint(1, 4_000_000_000)))):
                node = URIRef(f"{base}/attribute/{name}-given")
                kept += [(seg, SGM.hasAttributeValue, node), (node, SGM.attribute, ATTR[name]), (node, SGM.literalValue, value)]
        yield graph, kept


def units(plan, shapes) -> dict[str, str]:
    """The three queries that contain the constraint, as SPARQL text."""
    from segmentum.validation.constraint_text import prologue as _prologue
    from segmentum.validation.runner import SharedFocusQuery

    own = next(q for q in plan.queries if q.constraint is not None and q.constraint.node == CONSTRAINT)
    shared = next(u for u in plan.units if isinstance(u, SharedFocusQuery) and own in u.branches)
    lateral = f"{_prologue(own.prefixes)}SELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {own.focus} }} }} LATERAL {{ {{ {own.branch.strip()} }} }} }}"
    return {"alone": own.sparql, "lateral": lateral, "shared": shared.sparql}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=50000)
    parser.add_argument("--before", type=Path, required=True, help="the shapes file to compare with (the shipped one is «after»)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--gaps", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    record.add_arguments(parser)
    args = parser.parse_args()
    rec = record.Recorder("main_attributes", args, {"profiles": args.profiles, "before": str(args.before), "repeat": args.repeat,
                                                    "gaps": args.gaps, "seed": args.seed})

    from generate import ProfileGenerator, write_nquads

    from segmentum.resources import catalogue_files, ontology_files
    from segmentum.session import open_session
    from segmentum.store.embedded import OxigraphStore, load_shipped_data
    from segmentum.validation.runner import ValidationPlan
    from segmentum.validation.validate import load_shapes, read_shapes

    data = Path(tempfile.mkdtemp(prefix="segmentum-bench-")) / "profiles.nq"
    profiles = ProfileGenerator(open_session().catalogue, args.seed).profiles(args.profiles)
    if args.gaps:
        profiles = with_gaps(profiles, args.gaps, args.seed)
    quads = write_nquads(data, profiles)
    store = OxigraphStore()
    load_shipped_data(store, ontology_files(), catalogue_files())
    store.load_dataset(data)
    print(f"{args.profiles} profiles, {quads} quads, gaps {args.gaps}")
    shapes = {"before": read_shapes(args.before), "after": load_shapes("profile")}
    queries = {name: units(ValidationPlan(s, store), s) for name, s in shapes.items()}
    cpu: dict[tuple[str, str], list[float]] = {}
    rows: dict[tuple[str, str], int] = {}
    for _ in range(args.repeat):
        for unit in ("alone", "lateral", "shared"):
            for name in ("before", "after"):
                c = time.process_time()
                found = store.select(queries[name][unit])
                cpu.setdefault((unit, name), []).append(time.process_time() - c)
                rows[(unit, name)] = len(found)
    print(f"{'unit':<8} {'before s':>9} {'after s':>9} {'after/before':>13} {'rows before':>12} {'rows after':>11}")
    for unit in ("alone", "lateral", "shared"):
        b, a = statistics.median(cpu[(unit, "before")]), statistics.median(cpu[(unit, "after")])
        print(f"{unit:<8} {b:9.3f} {a:9.3f} {a / b:13.2f} {rows[(unit, 'before')]:12d} {rows[(unit, 'after')]:11d}")
    print("CPU seconds, median of", args.repeat, "alternating runs; ranges:",
          {f"{u}/{n}": f"{min(v):.3f}–{max(v):.3f}" for (u, n), v in cpu.items()})
    record_run(rec, args, cpu, rows, quads)


#: what each unit is, for the result file
UNIT_WHAT = {"alone": "the constraint alone, focus nodes joined in", "lateral": "the constraint alone under `LATERAL`",
             "shared": "the shared stage III–IV query (six constraints)"}


def record_run(rec: record.Recorder, args, cpu: dict, rows: dict, quads: int) -> None:
    """The run's figures as a result file (bench/record.py): the shipped shapes against --before."""
    suffix = f"-gaps-{args.gaps:g}" if args.gaps else ""
    data = f"{args.profiles:,} profiles" + (f" with --gaps {args.gaps:g}" if args.gaps else "")
    for unit in ("alone", "lateral", "shared"):
        before, after = statistics.median(cpu[(unit, "before")]), statistics.median(cpu[(unit, "after")])
        rec.figure(f"{unit}{suffix}", f"{UNIT_WHAT[unit]}, CPU (median of {args.repeat}), {data}: shipped shapes", after, "s",
                   profiles=args.profiles, reference={"what": f"`--before {args.before.name}`", "value": before, "unit": "s"})
    rec.details(quads=quads, rows={f"{u}/{n}": v for (u, n), v in rows.items()},
                cpu_s_runs={f"{u}/{n}": v for (u, n), v in cpu.items()})
    rec.write()


if __name__ == "__main__":
    main()
