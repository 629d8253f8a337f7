"""Write the current benchmark table into docs/benchmarks.md from the result files of the runs.

    python bench/table.py                                  # bench/results → docs/benchmarks.md
    python bench/table.py --results DIR --doc OTHER.md

Reads every ``*.json`` result file in ``--results`` (written by bench/validate.py, infer.py,
query.py, main_attributes.py; the format is described in bench/record.py) and replaces the text
between ``<!-- results:begin -->`` and ``<!-- results:end -->`` in ``--doc`` with one table per
benchmark, one row per figure: what was measured, the value, the reference measured in the same
run, the ratio, the target (met or missed, and by how much), the date and the command.

Each figure comes from the newest run at the largest number of profiles that measured it, so a
quick run on a few profiles does not replace a figure measured at the size its target is set for
(a figure that does not depend on the number of profiles comes from the newest run).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

#: the benchmarks in the order the page shows them, with their headings; others follow by name
TITLES = {
    "validate": "Validation (`bench/validate.py`)",
    "infer": "Inference (`bench/infer.py`)",
    "query": "Named queries and the endpoint (`bench/query.py`)",
    "main_attributes": "«Main template attributes» against an older shapes file (`bench/main_attributes.py`)",
    "folder": "A folder of YAML profiles and one file from a cold start, whole commands (`bench/folder.py`)",
}
TIME_UNITS = {"s", "ms"}  # a ratio of these reads «faster» / «slower»
LONG_ARGUMENT = 40  # longer option values (lists of names) are shown as «…»


def load_results(folder: Path) -> list[dict]:
    """Every result file of the folder, oldest first (by date, then file name)."""
    results = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise SystemExit(f"{path}: not a result file ({e})") from e
        if not isinstance(data, dict) or not {"benchmark", "date", "command", "figures"} <= data.keys():
            raise SystemExit(f"{path}: not a result file (it needs benchmark, date, command and figures)")
        data["_file"] = path.name
        results.append(data)
    return sorted(results, key=lambda r: (r["date"], *file_order(r["_file"])))


def file_order(name: str) -> tuple[str, int]:
    """``validate-…Z.json`` before ``validate-…Z-2.json``, the second run started in the same second."""
    stem = name.removesuffix(".json")
    base, _, n = stem.rpartition("-")
    return (base, int(n)) if n.isdigit() and base.endswith("Z") else (stem, 1)


def current(results: list[dict]) -> dict[str, list[tuple[dict, dict]]]:
    """For each benchmark, its figures (figure, the run it comes from), in the order they first appeared."""
    chosen: dict[tuple[str, str], tuple[tuple, dict, dict]] = {}
    order: dict[str, list[str]] = {}
    for position, run in enumerate(results):  # oldest first: later runs at the same or a larger size win
        ids = order.setdefault(run["benchmark"], [])
        previous = None
        for figure in run["figures"]:
            key = (run["benchmark"], figure["id"])
            if figure["id"] not in ids:  # after the figure it follows in this run, as the script lists them
                ids.insert(ids.index(previous) + 1 if previous else len(ids), figure["id"])
            previous = figure["id"]
            rank = (figure.get("profiles") or 0, position)
            if key not in chosen or rank >= chosen[key][0]:
                chosen[key] = (rank, figure, run)
    names = [b for b in TITLES if b in order] + sorted(b for b in order if b not in TITLES)
    return {b: [chosen[(b, i)][1:] for i in order[b]] for b in names}


def number(x: float) -> str:
    """As the page writes numbers: 3,319; 473; 14.1; 2.96; 0.616."""
    a = abs(x)
    if isinstance(x, int):
        return f"{x:,}"
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def whole(x: float) -> str:
    """A target as it is set: 5, not 5.00."""
    return number(int(x) if float(x).is_integer() else x)


def measured(figure: dict) -> str:
    unit = figure["unit"]
    if figure.get("range"):
        low, high = figure["range"]
        return f"{number(low)}–{number(high)} {unit}"
    text = f"{number(figure['value'])} {unit}"
    runs = figure.get("runs")
    if runs:
        text += f" (median of {len(runs)}: {number(min(runs))}–{number(max(runs))})"
    return text


def reference(figure: dict) -> str:
    ref = figure.get("reference")
    if not ref:
        return "—"
    bound = "> " if ref.get("bound") == ">" else ""
    return f"{ref['what']}: {bound}{number(ref['value'])} {ref['unit']}"


def ratio(figure: dict) -> str:
    r = figure.get("ratio")
    if r is None:
        return "—"
    lower = figure.get("better", "lower") == "lower"
    better, worse = ("faster", "slower") if lower and figure["unit"] in TIME_UNITS else ("less", "more") if lower else ("more", "fewer")
    bound = "> " if figure.get("ratio_bound") == ">" else ""
    if r >= 1 or bound:
        return f"{bound}{number(r)}× {better}"
    return f"{number(1 / r)}× {worse}"


def target(figure: dict) -> str:
    t = figure.get("target")
    if not t:
        return "—"
    unit = figure["unit"]
    if "below" in t:
        goal = f"< {whole(t['below'])} {unit}"
    elif "within" in t:
        goal = f"≤ {whole(t['within'])}× the reference"
    elif "at_least" in t:
        goal = f"≥ {whole(t['at_least'])} {unit}"
    else:
        goal = f"≥ {whole(t['ratio_at_least'])}× faster"
    if t.get("profiles") and figure.get("profiles") != t["profiles"]:
        return f"{goal} at {t['profiles']:,} profiles: not checked here"
    value = figure["value"]
    if "below" in t:
        met = value < t["below"]
        by = (t["below"] / value if value else float("inf")) if met else value / t["below"]
        runs = figure.get("runs")
        count = f"; {sum(v < t['below'] for v in runs)} of {len(runs)} runs under" if runs else ""
        return f"{goal}: met by {number(by)}×{count}" if met else f"{goal}: **missed by {number(by)}×**{count}"
    if "within" in t:
        ref = (figure.get("reference") or {}).get("value")
        if not ref:
            return f"{goal}: not measured"
        times = 1 / figure["ratio"] if figure.get("ratio") else value / ref  # as the ratio column shows it
        return (f"{goal}: met ({number(times)}×)" if times <= t["within"]
                else f"{goal}: **missed by {number(times / t['within'])}×** ({number(times)}×)")
    if "at_least" in t:
        return f"{goal}: met" if value >= t["at_least"] else f"{goal}: **missed by {whole(t['at_least'] - value)} {unit}**"
    r, goal_ratio, bound = figure.get("ratio"), t["ratio_at_least"], figure.get("ratio_bound") == ">"
    if r is None:
        return f"{goal}: not measured"
    if r >= goal_ratio:
        return f"{goal}: met by {'> ' if bound else ''}{number(r / goal_ratio)}×"
    if bound:
        return f"{goal}: not shown (more than {number(r)}×)"
    return f"{goal}: **missed by {number(goal_ratio / r)}×**"


def command(run: dict) -> str:
    """The command, with long option values (lists of names) left out: the result file has them."""
    words = [w if len(w) <= LONG_ARGUMENT else "…" for w in run["command"].split(" ")]
    return "`" + " ".join(words) + "`"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: list[dict]) -> str:
    """The text between the markers."""
    lines = ["<!-- written by bench/table.py from the result files (bench/results/); edit those, not this table -->"]
    notes: dict[str, int] = {}
    for benchmark, figures in current(results).items():
        lines += ["", f"### {TITLES.get(benchmark, f'`bench/{benchmark}.py`')}", "",
                  "| figure | measured | reference | ratio | target | date (UTC) | command |", "|---|---|---|---|---|---|---|"]
        for figure, run in figures:
            date = run["date"][:16].replace("T", " ")
            if run.get("source"):
                date += f" [{notes.setdefault(run['source'], len(notes) + 1)}]"
            row = [figure["what"], measured(figure), reference(figure), ratio(figure), target(figure), date, command(run)]
            lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    for source, mark in notes.items():
        lines += ["", f"[{mark}] Written by hand from {source}: the run wrote no result file."]
    return "\n".join(lines) + "\n"


def write(doc: Path, block: str) -> None:
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{doc}: no {BEGIN} … {END} markers to write the table between")
    new = text[: start + len(BEGIN)] + "\n" + block + text[end:]
    if new != text:
        doc.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results", metavar="DIR",
                        help="folder of result files (default: bench/results)")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md", help="the page to write the table into")
    args = parser.parse_args()
    if not args.results.is_dir():
        raise SystemExit(f"{args.results}: no such folder of result files")
    results = load_results(args.results)
    if not results:
        raise SystemExit(f"{args.results}: no result files (*.json)")
    write(args.doc, render(results))
    print(f"{args.doc}: {sum(len(f) for f in current(results).values())} figures from {len(results)} result files", file=sys.stderr)


if __name__ == "__main__":
    main()
