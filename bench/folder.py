"""Benchmark: `segmentum validate FOLDER` on N YAML profiles written with labels, and one file from a cold start.

    python bench/folder.py --profiles 5000        # the size the target is set for
    python bench/folder.py --profiles 1000 --no-results

The profiles are written as a methodologist writes them (docs/profile-format.md): Russian keys and
labels of statuses, life situations, attributes, values, stages and channels, not identifiers; about
one in ten has a defect the profile shapes find. Deterministic for a given seed.

Two figures, each against a reference measured in the same run:

- the whole command `segmentum validate FOLDER`, in a new process as a user runs it, against the
  time libyaml (``yaml.CSafeLoader``) takes to read the same files in this process;
- `segmentum validate ONE-FILE` in a new process (median of 5), against a new process that only
  imports what it needs (pyoxigraph, yaml, click; median of 5).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import record  # noqa: E402  (bench/ is on the path only now)

#: the targets (docs/benchmarks.md): a folder of 5,000 profiles validated in at most this many times libyaml's
#: reading of the same files; one file from a cold start in at most this many times the imports it needs
TARGET_FOLDER_WITHIN, TARGET_FOLDER_PROFILES, TARGET_ONE_FILE_WITHIN = 10.0, 5000, 4.0
ONE_FILE = ROOT / "examples" / "profiles" / "young-soldier.yaml"
STAGES = ["I", "II", "III", "IV"]
FEATURES = ["Пытается минимизировать личные посещения", "Узнаёт об услуге от знакомых", "Подаёт документы в последний день срока"]
PAINS = ["Долгое ожидание ответа", "Непонятно, какие документы нужны"]


class YamlProfiles:
    """Profile files over the real catalogue, written with Russian labels."""

    def __init__(self, cat, seed: int = 7) -> None:
        from segmentum.namespaces import SGM, ST

        self.cat = cat
        self.rng = random.Random(seed)
        self.statuses = [str(ST.citizen), str(ST.business), str(ST.internal)]
        self.life = {s: [ls for ls in cat.members("life_situation") if s in cat.applies.get(ls, [])] for s in self.statuses}
        self.attrs = {s: [a.iri for a in cat.attributes_for(s) if self._simple(a.iri)] for s in self.statuses}
        self.channels = {(s, p): [c for c in cat.members("channel") if s in cat.applies.get(c, []) and p in cat.purposes.get(c, set())]
                         for s in self.statuses for p in (str(SGM.Informing), str(SGM.ServiceDelivery))}
        self.purposes = (str(SGM.Informing), str(SGM.ServiceDelivery))
        self._names: dict[tuple[str, str, str | None], str] = {}

    def _simple(self, attribute: str) -> bool:
        from rdflib.namespace import XSD

        info = self.cat.attributes[attribute]
        if info.scheme and not info.numeric:
            return any(not self.cat.values[v].deprecated for v in self.cat.scheme_values.get(info.scheme, []))
        return info.numeric or info.datatype == str(XSD.boolean)

    def name(self, kind: str, iri: str, status: str | None = None, attribute: str | None = None) -> str:
        """The item's Russian label if it names the item back, else its identifier."""
        key = (kind, iri, attribute or status)
        if key not in self._names:
            label = self.cat.label(iri)
            try:
                found = (self.cat.resolve_value(attribute, label, status=status) if attribute
                         else self.cat.resolve(kind, label, status=status))
            except LookupError:
                found = None
            self._names[key] = label if found == iri else self.cat.local_id(iri)
        return self._names[key]

    def value(self, attribute: str, status: str) -> str:
        info = self.cat.attributes[attribute]
        if info.numeric:
            low = int(info.minimum or 0)
            number = self.rng.randint(low, int(min(info.maximum or 100, low + 60)))
            return f"{number} {info.unit}" if info.unit and self.rng.random() < 0.5 else str(number)
        if info.scheme:
            options = [v for v in self.cat.scheme_values[info.scheme] if not self.cat.values[v].deprecated]
            return self.name("value", self.rng.choice(options), status, attribute)
        return self.rng.choice(["да", "нет"])

    def text(self, n: int) -> str:
        rng = self.rng
        status = rng.choice(self.statuses)
        defect = rng.random() < 0.1
        stage = "III" if defect else rng.choice(STAGES)
        lines = [f"# Сгенерированный профиль {n}", f"id: gen-{n:06d}"]
        if not defect:  # a profile of stage III without a title: a finding of the profile shapes
            lines.append(f"название: Сегмент {n}")
        lines += [f"статус: {self.name('status', status)}",
                  f"жизненная ситуация: {quoted(self.name('life_situation', rng.choice(self.life[status]), status))}",
                  f"этап: {stage}", "признаки:"]
        chosen = list(dict.fromkeys(self.cat.main_attributes[status] + (rng.sample(self.attrs[status], 1) if rng.random() < 0.3 else [])))
        for attribute in chosen:
            if attribute in self.attrs[status]:
                lines.append(f"  {quoted(self.name('attribute', attribute, status))}: {quoted(self.value(attribute, status))}")
        if defect and status == self.statuses[0]:
            lines.append("  возраст: 150")  # out of the attribute's range
        if stage in ("III", "IV"):
            lines += ["особенности пути:", *(f"  - {f}" for f in rng.sample(FEATURES, 2)), "каналы:"]
            for word, purpose in zip(("информирование", "получение услуг"), self.purposes):
                options = self.channels[(status, purpose)]
                lines.append(f"  {word}:")
                lines += [f"    - {quoted(self.name('channel', c, status))}" for c in rng.sample(options, min(2, len(options)))]
            lines += ["боли:", f"  - {rng.choice(PAINS)}"]
        return "\n".join(lines) + "\n"

    def write(self, folder: Path, count: int) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for n in range(count):
            path = folder / f"profile-{n:06d}.yaml"
            path.write_text(self.text(n), encoding="utf-8")
            paths.append(path)
        return paths


def quoted(text: str) -> str:
    """A YAML scalar as written by hand: plain where it can be, in double quotes where it must."""
    if any(c in text for c in ":#{}[],&*!|>'\"%@`") or text.strip() != text or text[:1] in "-?":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def libyaml_read(paths: list[Path]) -> float:
    """Seconds libyaml takes to read and compose every file (the best of three)."""
    import yaml

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        best = min(best, time.perf_counter() - start)
    return best


def segmentum() -> str:
    exe = Path(sys.executable).with_name("segmentum")
    return str(exe) if exe.exists() else shutil.which("segmentum") or "segmentum"


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    return elapsed, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=1, help="runs of the folder command (the median is the figure)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the profiles into DIR and keep them")
    record.add_arguments(parser)
    args = parser.parse_args()
    rec = record.Recorder("folder", args, {"profiles": args.profiles, "seed": args.seed, "runs": args.runs})

    from segmentum.session import open_session

    folder = args.keep or Path(tempfile.mkdtemp(prefix="segmentum-bench-")) / "profiles"
    if folder.exists() and any(folder.glob("*.yaml")):
        paths = sorted(folder.glob("*.yaml"))[: args.profiles]
    else:
        paths = YamlProfiles(open_session().catalogue, args.seed).write(folder, args.profiles)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} profiles ({size / len(paths):.0f} bytes each): {folder}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    reference = libyaml_read(paths)
    runs = [timed([segmentum(), "validate", str(folder), "--format", "lines"]) for _ in range(args.runs)]
    folder_s = statistics.median(r[0] for r in runs)
    print(f"libyaml reads them in {reference:.2f} s; segmentum validate FOLDER: {folder_s:.2f} s "
          f"({folder_s / reference:.1f}× libyaml; target at most {TARGET_FOLDER_WITHIN:g}×; exit status {runs[0][1]})")
    one = statistics.median(timed([segmentum(), "validate", str(ONE_FILE)])[0] for _ in range(5))
    imports = statistics.median(timed([sys.executable, "-c", "import pyoxigraph, yaml, click"])[0] for _ in range(5))
    print(f"segmentum validate ONE-FILE: {one:.2f} s; importing pyoxigraph, yaml and click: {imports:.3f} s "
          f"({one / imports:.1f}×; target at most {TARGET_ONE_FILE_WITHIN:g}×)")
    n = len(paths)
    rec.figure("folder", f"`segmentum validate FOLDER` of {n:,} YAML profiles written with labels, whole process", folder_s, "s",
               profiles=n, reference={"what": "libyaml (CSafeLoader) reads the files", "value": reference, "unit": "s"},
               target={"within": TARGET_FOLDER_WITHIN, "profiles": TARGET_FOLDER_PROFILES})
    rec.figure("one-file-cold", "`segmentum validate ONE-FILE` in a new process (median of 5)", one, "s",
               reference={"what": "a new process importing pyoxigraph, yaml, click", "value": imports, "unit": "s"},
               target={"within": TARGET_ONE_FILE_WITHIN})
    rec.details(bytes_per_profile=round(size / n), folder_runs_s=[r[0] for r in runs], exit_status=runs[0][1])
    rec.write()
    if args.keep is None:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
