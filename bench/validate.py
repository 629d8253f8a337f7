"""Benchmark: validate N generated profiles with the compiled engine, pySHACL and pyshacl-turbo.

    python bench/validate.py --profiles 5000                    # all three engines, same data
    python bench/validate.py --profiles 50000 --engines sparql  # the compiled engine at scale
    python bench/validate.py --profiles 5000 --reference-timeout 150  # stop the references at 150× ours

Each engine runs in its own process (so peak memory is its own) on the same N-Quads file; the
script checks that all engines report the same results, then prints times, ratios against the
compiled engine and peak memory. Also: one profile through the command line, wall-clock, and
incremental re-validation of one changed profile in a loaded store.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import record  # noqa: E402  (bench/ is on the path only now)

#: the targets (docs/benchmarks.md): at 5,000 profiles, load and validation together this many times
#: faster than each reference; at 50,000 profiles, load and validation under these seconds; one
#: changed profile re-validated in a loaded store, and one profile from the command line
TARGET_RATIO = {"pyshacl": 100.0, "turbo": 10.0}
TARGET_RATIO_PROFILES = 5000
TARGET_SCALE_PROFILES = 50000
TARGET_LOAD_S, TARGET_VALIDATE_S, TARGET_INCREMENTAL_MS, TARGET_CLI_S = 5.0, 3.0, 20.0, 1.0
TARGET_PEAK_MB = 600.0  # the compiled engine's process, loading and validating 50,000 profiles
UNITS = {"load": "load_s", "validate": "validate_s", "validate_cpu": "validate_cpu_s", "peak_load": "peak_load_mb",
         "peak_validate": "peak_validate_mb"}  # worker keys as detail names
ENGINE_PACKAGES = {"pyshacl": ("pySHACL", "pyshacl"), "turbo": ("pyshacl-turbo", "pyshacl-turbo")}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def key_of(r) -> list[str]:
    return [r.focus.n3() if hasattr(r.focus, "n3") else str(r.focus), r.path_text or "", r.value.n3() if r.value is not None else "",
            str(r.component), str(r.severity), str(r.shape)]


def worker_sparql(data: Path, out: Path) -> dict:
    from rdflib import URIRef

    from segmentum.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH
    from segmentum.resources import catalogue_files, ontology_files
    from segmentum.store.embedded import OxigraphStore, load_shipped_data
    from segmentum.validation.runner import ValidationPlan
    from segmentum.validation.validate import load_shapes

    t0 = time.perf_counter()
    store = OxigraphStore()
    load_shipped_data(store, ontology_files(), catalogue_files())
    store.load_dataset(data)
    t1 = time.perf_counter()
    peak_load = peak_mb()
    c1 = time.process_time()
    shapes = load_shapes("profile")
    plan = ValidationPlan(shapes, store)
    results = plan.run(store)
    t2 = time.perf_counter()
    peak_validate = peak_mb()
    cpu = time.process_time() - c1  # all threads: the work, whatever else the machine is doing
    # incremental: change one profile and re-validate only it
    from segmentum.namespaces import profile_graph

    graph = profile_graph("gen-000001")
    triples = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    timings = []
    for _ in range(20):
        store.replace_graph(graph, list(triples))
        s = time.perf_counter()
        plan.run(store, graphs=[ONTOLOGY_GRAPH, CATALOGUE_GRAPH, URIRef(graph)])
        timings.append(time.perf_counter() - s)
    peak = peak_mb()  # the engine's: the keys compared with the other engines are written after
    out.write_text(json.dumps(sorted(key_of(r) for r in results)))
    return {"load": t1 - t0, "validate": t2 - t1, "validate_cpu": cpu, "results": len(results),
            "incremental_ms": statistics.median(timings) * 1000, "peak_mb": peak, "peak_load": peak_load, "peak_validate": peak_validate}


def worker_rdflib(engine: str, data: Path, out: Path) -> dict:
    from rdflib import Dataset, Graph

    from segmentum.resources import catalogue_files, ontology_files
    from segmentum.validation.validate import load_shapes, results_from_report

    t0 = time.perf_counter()
    g = Graph()
    for f in [*ontology_files(), *catalogue_files()]:
        g.parse(f, format="turtle")
    ds = Dataset()
    ds.parse(data, format="nquads")
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    t1 = time.perf_counter()
    shapes = load_shapes("profile")
    if engine == "pyshacl":
        import pyshacl as module
    else:
        import pyshacl_turbo as module
    _c, report, _t = module.validate(g, shacl_graph=shapes.graph, advanced=True, allow_warnings=True)
    t2 = time.perf_counter()
    results = results_from_report(report)
    keys = sorted({tuple(key_of(r)) for r in results})
    out.write_text(json.dumps([list(k) for k in keys]))
    return {"load": t1 - t0, "validate": t2 - t1, "results": len(keys), "peak_mb": peak_mb()}


def run_worker(engine: str, data: Path, out: Path, timeout: float | None = None) -> dict | None:
    """One engine in its own process; None when it has not finished within ``timeout`` seconds (it is killed)."""
    try:
        proc = subprocess.run([sys.executable, __file__, "--worker", engine, "--data", str(data), "--out", str(out)],
                              capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cli_single_profile() -> dict:
    """Wall-clock of `segmentum validate ONE-FILE`, against the interpreter's own start-up."""
    exe = Path(sys.executable).with_name("segmentum")
    profile = ROOT / "examples" / "profiles" / "young-soldier.yaml"

    def run(cmd: list[str]) -> float:
        s = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        return time.perf_counter() - s

    cli = statistics.median(run([str(exe), "validate", str(profile)]) for _ in range(5))
    python = statistics.median(run([sys.executable, "-c", "pass"]) for _ in range(5))
    return {"cli_s": cli, "python_startup_s": python}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--engines", default="sparql,pyshacl,turbo")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reference-timeout", type=float, metavar="RATIO",
                        help="stop pySHACL and pyshacl-turbo after RATIO × the compiled engine's total time; an engine "
                             "stopped this way proves a ratio above RATIO")
    parser.add_argument("--worker")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--out", type=Path)
    record.add_arguments(parser)
    args = parser.parse_args()
    if args.worker:
        result = worker_sparql(args.data, args.out) if args.worker == "sparql" else worker_rdflib(args.worker, args.data, args.out)
        print(json.dumps(result))
        return

    from generate import ProfileGenerator, write_nquads

    from segmentum.session import open_session

    tmp = Path(tempfile.mkdtemp(prefix="segmentum-bench-"))
    data = tmp / "profiles.nq"
    rec = record.Recorder("validate", args, {"profiles": args.profiles, "engines": args.engines.split(","), "seed": args.seed,
                                             "reference_timeout": args.reference_timeout})
    session = open_session()
    quads = write_nquads(data, ProfileGenerator(session.catalogue, args.seed).profiles(args.profiles))
    print(f"{args.profiles} profiles, {quads} quads ({quads / args.profiles:.1f} per profile), {os.cpu_count()} cores")
    engines = args.engines.split(",")
    if args.reference_timeout and engines[0] != "sparql":
        raise SystemExit("--reference-timeout needs the compiled engine first in --engines")
    runs: dict[str, dict | None] = {}
    for e in engines:
        base = runs.get("sparql")
        limit = args.reference_timeout * (base["load"] + base["validate"]) if args.reference_timeout and base else None
        runs[e] = run_worker(e, data, tmp / f"{e}.json", timeout=limit)
        if runs[e] is None:
            print(f"{e}: stopped after {limit:.0f} s without finishing: more than {args.reference_timeout:g}× the compiled engine")
    finished = [e for e in engines if runs[e] is not None]
    keys = {e: json.loads((tmp / f"{e}.json").read_text()) for e in finished}
    same = all(keys[e] == keys[finished[0]] for e in finished)
    base = runs.get("sparql")
    print(f"{'engine':<10} {'load s':>8} {'validate s':>11} {'total s':>8} {'× sparql':>9} {'results':>8} {'peak MB':>8}")
    for e, r in runs.items():
        if r is None:
            limit = args.reference_timeout * (base["load"] + base["validate"])
            print(f"{e:<10} {'—':>8} {f'> {limit:.0f}':>11} {f'> {limit:.0f}':>8} {f'> {args.reference_timeout:g}':>9} {'—':>8} {'—':>8}")
            continue
        total = r["load"] + r["validate"]
        ratio = total / (base["load"] + base["validate"]) if base else float("nan")
        print(f"{e:<10} {r['load']:8.2f} {r['validate']:11.3f} {total:8.2f} {ratio:9.1f} {r['results']:8d} {r['peak_mb']:8.0f}")
    print(f"same results in all engines that finished ({', '.join(finished)}): {'yes' if same else 'NO'}")
    if base:
        print(f"compiled engine: validation used {base['validate_cpu']:.2f} s of CPU in all threads "
              f"({base['validate_cpu'] / base['validate']:.2f} cores on average; load average {os.getloadavg()[0]:.1f})")
        print(f"incremental re-validation of one profile: {base['incremental_ms']:.1f} ms (median of 20)")
        print(f"compiled engine's peak memory: {base['peak_load']:.0f} MB after loading, {base['peak_validate']:.0f} MB after "
              f"validating, {base['peak_mb']:.0f} MB after re-validating one profile")
    cli = cli_single_profile()
    print(f"segmentum validate ONE-FILE: {cli['cli_s']:.2f} s wall-clock (python start-up {cli['python_startup_s']:.2f} s, "
          f"{cli['cli_s'] / cli['python_startup_s']:.1f}×)")
    record_run(rec, args, runs, quads, same, cli)
    if not same:
        for e in finished[1:]:
            a, b = {tuple(k) for k in keys[finished[0]]}, {tuple(k) for k in keys[e]}
            print(f"only {finished[0]} vs {e}:", list(a - b)[:3], list(b - a)[:3])
        raise SystemExit(1)


def engine_label(engine: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    name, package = ENGINE_PACKAGES[engine]
    try:
        return f"{name} {version(package)}"
    except PackageNotFoundError:
        return name


def record_run(rec: record.Recorder, args, runs: dict, quads: int, same: bool, cli: dict) -> None:
    """The run's figures as a result file (bench/record.py)."""
    n = args.profiles
    base = runs.get("sparql")
    if base:
        total = base["load"] + base["validate"]
        for e, r in runs.items():
            if e == "sparql":
                continue
            reference = {"what": engine_label(e), "unit": "s"}
            if r is None:
                reference.update(value=args.reference_timeout * total, bound=">")
            else:
                reference["value"] = r["load"] + r["validate"]
            rec.figure(f"total-vs-{e}", f"load and validate {n:,} profiles: compiled engine against {ENGINE_PACKAGES[e][0]}", total, "s",
                       profiles=n, reference=reference,
                       target={"ratio_at_least": TARGET_RATIO[e], "profiles": TARGET_RATIO_PROFILES} if e in TARGET_RATIO else None)
        rec.figure("load", f"load the ontology, catalogue and {n:,} profiles (compiled engine)", base["load"], "s", profiles=n,
                   target={"below": TARGET_LOAD_S, "profiles": TARGET_SCALE_PROFILES})
        rec.figure("validate", f"validate {n:,} profiles (compiled engine), wall-clock", base["validate"], "s", profiles=n,
                   target={"below": TARGET_VALIDATE_S, "profiles": TARGET_SCALE_PROFILES})
        rec.figure("validate-cpu", f"validate {n:,} profiles, CPU time of all threads", base["validate_cpu"], "s", profiles=n)
        rec.figure("peak-memory", f"peak memory of the compiled engine's process: load, validate and re-validate {n:,} profiles",
                   base["peak_mb"], "MB", profiles=n, target={"below": TARGET_PEAK_MB, "profiles": TARGET_SCALE_PROFILES})
        rec.figure("incremental", f"re-validate one changed profile in a store of {n:,} (median of 20)", base["incremental_ms"], "ms",
                   profiles=n, target={"below": TARGET_INCREMENTAL_MS, "profiles": TARGET_SCALE_PROFILES})
    rec.figure("one-file", "`segmentum validate ONE-FILE`, whole process (median of 5)", cli["cli_s"], "s",
               reference={"what": "python start-up", "value": cli["python_startup_s"], "unit": "s"}, target={"below": TARGET_CLI_S})
    rec.details(quads=quads, same_results=same,
                **{f"{e}_{UNITS.get(k, k)}": v for e, r in runs.items() if r for k, v in r.items()},
                **{f"{e}_stopped_after_s": args.reference_timeout * (base["load"] + base["validate"])
                   for e, r in runs.items() if r is None and base})
    rec.write()


if __name__ == "__main__":
    main()
