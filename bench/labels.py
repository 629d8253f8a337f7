"""Benchmark: looking up a value by what a methodologist typed, in ОКВЭД2 (2,899 values) against the countries (248).

    python bench/labels.py                 # 300 terms of each kind, 5 repeats
    python bench/labels.py --terms 1000 --repeat 3

Opens the shipped catalogue once and looks up, for «вид деятельности» (ОКВЭД2) and, as the
reference measured in the same run, for «гражданство» (the countries of the world), terms drawn
from the values themselves with a fixed seed: the code («47.11», «398»), the Russian name as
written, the name in lower case with its first two words swapped (a match in another word order;
«розничная торговля …»), and a misspelt name that names nothing (the «did you mean» path). It
prints the median time per term of each kind in milliseconds, and the ratio of ОКВЭД2 to the
countries. The first lookup builds the scheme's label index (or reads it from the cache,
``$SEGMENTUM_CACHE``): that time is printed apart, as ``index``; the target is under a
millisecond per term found.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import record  # noqa: E402  (bench/ is on the path only now)

KINDS = ("code", "name", "reordered", "misspelt")


def terms(cat, attribute: str, n: int, seed: int) -> dict[str, list[str]]:
    """Terms of each kind for the values of ``attribute``, ``n`` of each, drawn with ``seed``."""
    values = cat.scheme_values[cat.attributes[attribute].scheme]
    rng = random.Random(seed)
    picked = [rng.choice(values) for _ in range(n)]
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for v in picked:
        name = cat.pref[v]["ru"]
        words = name.lower().split()
        out["code"].append(cat.notation.get(v, name))
        out["name"].append(name)
        out["reordered"].append(" ".join([words[1], words[0], *words[2:]]) if len(words) > 1 else name)
        i = rng.randrange(len(name))
        out["misspelt"].append(name[:i] + "ъ" + name[i:] + "щщ")
    return out


def run(cat, attribute: str, given: dict[str, list[str]]) -> dict[str, float]:
    """The median milliseconds per term of each kind."""
    out = {}
    for kind, texts in given.items():
        times = []
        for t in texts:
            start = time.perf_counter()
            try:
                cat.resolve_value(attribute, t)
            except Exception:  # not found or ambiguous: the «did you mean» path, timed as well
                pass
            times.append((time.perf_counter() - start) * 1000)
        out[kind] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=300, help="terms of each kind per scheme (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="runs over the same terms; the median run is shown (default 5)")
    parser.add_argument("--seed", type=int, default=20)
    record.add_arguments(parser)
    args = parser.parse_args()
    rec = record.Recorder("labels", args, {"terms": args.terms, "repeat": args.repeat, "seed": args.seed})

    from segmentum.namespaces import ATTR
    from segmentum.session import open_session

    cat = open_session().catalogue
    okved, countries = str(ATTR["activity-kind"]), str(ATTR["citizenship"])
    index = {}
    for name, attribute in (("okved2", okved), ("countries", countries)):
        start = time.perf_counter()
        first = cat.scheme_values[cat.attributes[attribute].scheme][-1]
        run(cat, attribute, {"code": [cat.notation.get(first, cat.pref[first]["ru"])], "reordered": ["x y"]})
        index[name] = (time.perf_counter() - start) * 1000
    given = {"okved2": terms(cat, okved, args.terms, args.seed), "countries": terms(cat, countries, args.terms, args.seed)}
    runs = {"okved2": [], "countries": []}
    for _ in range(args.repeat):
        for name, attribute in (("okved2", okved), ("countries", countries)):
            runs[name].append(run(cat, attribute, given[name]))
    median = {name: {k: statistics.median(r[k] for r in rs) for k in KINDS} for name, rs in runs.items()}
    print(f"first lookup (index built or read, lemmas learned): ОКВЭД2 {index['okved2']:.1f} ms, countries {index['countries']:.1f} ms")
    print(f"{'term':<10} {'ОКВЭД2 ms':>10} {'countries ms':>13} {'ratio':>6}")
    for kind in KINDS:
        a, b = median["okved2"][kind], median["countries"][kind]
        print(f"{kind:<10} {a:>10.3f} {b:>13.3f} {a / b if b else float('nan'):>6.2f}")
        found = kind != "misspelt"
        rec.figure(f"labels-okved2-{kind}", f"ОКВЭД2 lookup per term ({kind})", a, "ms",
                   reference={"what": f"countries lookup per term ({kind})", "value": b, "unit": "ms"},
                   target={"below": 1} if found else None)
    rec.details(first_lookup_ms=index, per_term_ms=median)
    rec.write()


if __name__ == "__main__":
    main()
