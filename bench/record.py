"""The machine-readable result of a benchmark run: one JSON file per run, read by bench/table.py.

A run writes ``BENCHMARK-YYYYMMDDTHHMMSSZ.json`` (UTC, the run's start) into ``--results DIR``
(default ``bench/results``), unless ``--no-results`` is given. The file holds:

- ``benchmark``, ``command`` (the command line as typed, from the project folder), ``date`` (UTC,
  ISO 8601), ``machine`` (cpu count, python, pyoxigraph version, load average at the start and end)
  and ``parameters`` (the options the run used);
- ``figures``: what the table on docs/benchmarks.md shows, one row each. A figure has an ``id``
  (the same measurement in every run), ``what`` it measures, its ``value`` and ``unit``, whether
  ``better`` is ``lower`` or ``higher``, ``profiles`` (the number of profiles it depends on, or
  null), and when measured: the ``reference`` run in the same run (``what``, ``value``, ``unit``,
  and ``bound: ">"`` when the reference was stopped before it finished), the ``ratio`` (how many
  times better than the reference: reference ÷ value when lower is better, value ÷ reference when
  higher is better; ``ratio_bound: ">"`` when it is a lower bound), and the ``target``
  (``below``: the value must be under it; ``within``: the value must be at most this many times the
  reference's; ``at_least``: the value must reach it;
  ``ratio_at_least``: the ratio must reach it; ``profiles``: the size the target is set for);
- ``details``: everything else the run measured (each key names its unit).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "bench" / "results"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--results DIR`` and ``--no-results``."""
    parser.add_argument("--results", type=Path, default=DEFAULT_DIR, metavar="DIR",
                        help="folder for this run's result file, BENCHMARK-UTCTIME.json, read by bench/table.py (default: bench/results)")
    parser.add_argument("--no-results", action="store_true", help="write no result file")


def machine() -> dict:
    try:
        from importlib.metadata import version

        oxigraph = version("pyoxigraph")
    except Exception:  # not installed: the benchmark would have failed before
        oxigraph = None
    return {"cpu_count": os.cpu_count(), "python": platform.python_version(), "pyoxigraph": oxigraph,
            "platform": platform.platform(), "load_average_start": round(os.getloadavg()[0], 2)}


def command_line(argv: list[str] | None = None) -> str:
    """The command as typed from the project folder: ``python bench/NAME.py ARGS``."""
    argv = sys.argv if argv is None else argv
    script = Path(argv[0]).resolve()
    try:
        script_text = str(script.relative_to(ROOT))
    except ValueError:
        script_text = argv[0]
    return shlex.join(["python", script_text, *argv[1:]])


class Recorder:
    """Collects the figures of one run and writes them at the end."""

    def __init__(self, benchmark: str, args: argparse.Namespace, parameters: dict | None = None) -> None:
        self.started = datetime.now(timezone.utc).replace(microsecond=0)
        self.benchmark = benchmark
        self.folder: Path | None = None if args.no_results else args.results
        self.data = {"benchmark": benchmark, "command": command_line(), "date": self.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "machine": machine(), "parameters": parameters or {}, "figures": [], "details": {}}

    def figure(self, id: str, what: str, value: float, unit: str, *, better: str = "lower", profiles: int | None = None,
               reference: dict | None = None, target: dict | None = None) -> dict:
        """Add a figure; ``reference`` is ``{"what", "value", "unit"[, "bound"]}``, the ratio is computed from it."""
        item: dict = {"id": id, "what": what, "value": _round(value), "unit": unit, "better": better, "profiles": profiles}
        if reference is not None:
            reference = {**reference, "value": _round(reference["value"])}
            item["reference"] = reference
            ratio = ratio_of(value, reference["value"], better)
            if ratio is not None:
                item["ratio"] = _round(ratio)
                if reference.get("bound") == ">" and better == "lower":
                    item["ratio_bound"] = ">"
        if target is not None:
            item["target"] = target
        self.data["figures"].append(item)
        return item

    def details(self, **values) -> None:
        self.data["details"].update(values)

    def write(self) -> Path | None:
        """Write the result file (unless --no-results); say where on stderr, so the printed output stays as it was."""
        if self.folder is None:
            return None
        self.data["machine"]["load_average_end"] = round(os.getloadavg()[0], 2)
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = self.started.strftime("%Y%m%dT%H%M%SZ")
        path = self.folder / f"{self.benchmark}-{stamp}.json"
        n = 2
        while path.exists():
            path = self.folder / f"{self.benchmark}-{stamp}-{n}.json"
            n += 1
        path.write_text(json.dumps(_clean(self.data), ensure_ascii=False, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        print(f"result: {path}", file=sys.stderr)
        return path


def ratio_of(value: float, reference: float, better: str) -> float | None:
    """How many times better than the reference (1 = the same)."""
    if better == "lower":
        return reference / value if value else None
    return value / reference if reference else None


def _clean(data):
    """Floats to four significant digits, NaN (nothing measured) to null, so the file is plain JSON."""
    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_clean(v) for v in data]
    if isinstance(data, float):
        return None if data != data else _round(data)
    return data


def _round(x: float) -> float:
    """Four significant digits: what a run can tell apart."""
    if isinstance(x, int) or x == 0 or x != x:
        return x
    return float(f"{x:.4g}")
