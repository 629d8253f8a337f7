"""Benchmark: the first page of every library query, and a whole CSV export streamed, on many profiles.

    python bench/query_pages.py --profiles 50000 --data profiles.nq    # the size the targets are set for
    python bench/query_pages.py --profiles 1000 --no-results           # a quick run

1. Each library query without parameters as ``segmentum query NAME -f csv --limit 100`` runs it (the page
   inside the SPARQL), median of ``--repeat`` after a warm-up; target under 200 ms each.
2. The library query with the most rows exported whole as ``segmentum query NAME -f csv -o FILE`` writes it
   (the store's result iterator written into the file as it comes): rows per second (target ≥ 200,000) and
   how much the process's resident memory grows while it runs, against the same export held in memory
   first (``serialize_results``, as before the streaming) measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import record  # noqa: E402  (bench/ is on the path only now)

TARGET_MS, TARGET_ROWS_PER_S, TARGET_PROFILES, PAGE = 200.0, 200_000, 50_000, 100


def rss() -> int:
    """The resident memory of this process, bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakGrowth:
    """How far the resident memory rises above where it was when the block started (sampled every 5 ms)."""

    def __enter__(self) -> PeakGrowth:
        self.start = self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())

    @property
    def growth(self) -> int:
        return self.peak - self.start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=TARGET_PROFILES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each page (after one warm-up)")
    parser.add_argument("--data", type=Path, help="N-Quads file of generated profiles: reused when it exists, written there otherwise")
    record.add_arguments(parser)
    args = parser.parse_args()
    rec = record.Recorder("query_pages", args, {k: v if not isinstance(v, Path) else str(v) for k, v in vars(args).items()
                                                if k not in ("results", "no_results")})
    from generate import ProfileGenerator, write_nquads

    from segmentum.query.library import library
    from segmentum.query.results import run_query
    from segmentum.session import Session, open_session

    session = open_session()
    tmp = Path(tempfile.mkdtemp(prefix="segmentum-bench-pages-"))
    data = args.data or tmp / "profiles.nq"
    if not data.exists():
        write_nquads(data, ProfileGenerator(session.catalogue, args.seed).profiles(args.profiles))
    session.store.load_dataset(data)
    session = Session(session.store, session.lang, shipped=True)
    print(f"{args.profiles:,} profiles, {len(session.store):,} quads, load average {os.getloadavg()[0]:.1f}", flush=True)

    pages, slowest = {}, ("", 0.0)
    for name, q in library().items():
        run_query(session, q, {}, "csv", limit=PAGE)
        times = []
        for _ in range(args.repeat):
            s = time.perf_counter()
            run_query(session, q, {}, "csv", limit=PAGE)
            times.append((time.perf_counter() - s) * 1000)
        pages[name] = statistics.median(times)
        slowest = max(slowest, (name, pages[name]), key=lambda x: x[1])
        print(f"  {name}: first page of {PAGE} rows {pages[name]:.1f} ms" + ("" if pages[name] < TARGET_MS else "  (over 200 ms)"), flush=True)
    under = sum(ms < TARGET_MS for ms in pages.values())
    print(f"{under} of {len(pages)} library queries give their first page in under {TARGET_MS:g} ms; slowest {slowest[0]}: {slowest[1]:.0f} ms")

    sizes = {name: run_query(session, q, {}, "csv").count("\r\n") - 1 for name, q in library().items()}
    biggest = max(sizes, key=sizes.get)
    query, out = library()[biggest], tmp / "export.csv"
    with PeakGrowth() as held:
        s = time.perf_counter()
        out.write_bytes(session.store.serialize_results(query.text, "csv"))
        held_s = time.perf_counter() - s
    with PeakGrowth() as streamed:
        s = time.perf_counter()
        with out.open("wb") as fh:
            run_query(session, query, {}, "csv", stream=True)(fh)
        streamed_s = time.perf_counter() - s
    rows, size = sizes[biggest], out.stat().st_size
    print(f"export of {biggest} ({rows:,} rows, {size / 1e6:.1f} MB) streamed: {rows / streamed_s:,.0f} rows/s, resident memory "
          f"+{streamed.growth / 1e6:.1f} MB; held in memory first: {rows / held_s:,.0f} rows/s, +{held.growth / 1e6:.1f} MB")

    rec.figure("first-page-under-200ms", f"library queries giving their first page of {PAGE} rows (`--limit {PAGE}`) in under 200 ms, "
               f"csv output, of {len(pages)}", under, "queries", better="higher", profiles=args.profiles,
               target={"at_least": len(pages)})
    rec.figure("first-page-slowest", f"slowest first page of {PAGE} rows: `{slowest[0]}`, csv output (median)", slowest[1], "ms",
               profiles=args.profiles, target={"below": TARGET_MS})
    rec.figure("export-rows-per-s", f"whole CSV export of `{biggest}` ({rows:,} rows), streamed to a file", rows / streamed_s, "rows/s",
               better="higher", profiles=args.profiles, target={"at_least": TARGET_ROWS_PER_S})
    rec.figure("export-memory", f"resident memory growth during the streamed export of `{biggest}` ({size / 1e6:.0f} MB of CSV)",
               streamed.growth / 1e6, "MB", profiles=args.profiles,
               reference={"what": "the same export held in memory first", "value": held.growth / 1e6, "unit": "MB"})
    rec.details(pages_ms={k: round(v, 1) for k, v in pages.items()}, rows=sizes, export_held_rows_per_s=round(rows / held_s))
    rec.write()
    out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
