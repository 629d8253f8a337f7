"""Benchmark: the web workspace over 1,000 generated profiles, through HTTP against the running command.

    python bench/workspace.py --profiles 1000

Starts `segmentum workspace FOLDER` (uvicorn) in a new process over profiles written by bench/folder.py
(Russian labels, about one in ten with a defect), waits until it serves, then measures with httpx
(one client, keep-alive; not a browser): the live validation round trip of the editor (`POST
/profiles/check/FILE` with the CSRF token, a different edit each time, as typing sends it), the
profiles page of the whole folder, and the catalogue search as you type (the htmx fragment). The
reference, measured in the same run, is the round trip of a static file (`/static/workspace.css`):
what HTTP, the guard layer and uvicorn cost by themselves. Figures are 95th percentiles.
"""

from __future__ import annotations

import argparse
import re
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
from folder import YamlProfiles, segmentum  # noqa: E402

#: the targets of issue 23, in ms, for a workspace of 1,000 profiles
TARGET_CHECK_MS, TARGET_PROFILES_MS, TARGET_SEARCH_MS, TARGET_PROFILES = 100.0, 300.0, 50.0, 1000
SEARCHES = ["организационно-пр", "возраст", "регион прож", "ОПФ", "legal form", "гражданство", "форма правов", "доход"]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed_ms(call) -> float:
    start = time.perf_counter()
    answer = call()
    elapsed = (time.perf_counter() - start) * 1000
    assert answer.status_code == 200, (answer.status_code, answer.text[:300])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=60, help="requests of each kind (the validation round trip, the search)")
    parser.add_argument("--port", type=int, default=8097)
    record.add_arguments(parser)
    args = parser.parse_args()
    rec = record.Recorder("workspace", args, {"profiles": args.profiles, "seed": args.seed, "requests": args.requests})

    import httpx

    from segmentum.session import open_session

    folder = Path(tempfile.mkdtemp(prefix="segmentum-bench-")) / "profiles"
    paths = YamlProfiles(open_session().catalogue, args.seed).write(folder, args.profiles)
    base = f"http://127.0.0.1:{args.port}"
    started = time.perf_counter()
    process = subprocess.Popen([segmentum(), "workspace", str(folder), "--port", str(args.port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                try:
                    if client.get("/static/workspace.css").status_code == 200:
                        break
                except httpx.TransportError:
                    if process.poll() is not None:
                        raise SystemExit(process.stderr.read().decode()) from None
                    time.sleep(0.2)
            ready_s = time.perf_counter() - started
            page = client.get("/profiles")
            token = re.search(r'"X-CSRF-Token": "([0-9a-f]{64})"', page.text).group(1)
            reference = [timed_ms(lambda: client.get("/static/workspace.css")) for _ in range(args.requests)]
            profiles = [timed_ms(lambda: client.get("/profiles")) for _ in range(max(args.requests // 3, 10))]
            hx = {"HX-Request": "true", "HX-Target": "attributes"}
            search = [timed_ms(lambda q=q: client.get("/catalogue", params={"q": q}, headers=hx))
                      for _ in range(max(args.requests // len(SEARCHES), 1)) for q in SEARCHES]
            name = paths[0].name
            source = paths[0].read_text(encoding="utf-8")
            post = {"X-CSRF-Token": token, "HX-Request": "true"}
            check = [timed_ms(lambda i=i: client.post(f"/profiles/check/{name}", data={"source": source + f"# правка {i}\n"}, headers=post))
                     for i in range(args.requests)]
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder.parent, ignore_errors=True)

    ref = {"what": "a static file's round trip (`/static/workspace.css`), p95", "value": p95(reference), "unit": "ms"}
    n = len(paths)
    for fid, what, samples, target in (
            ("check", "live validation round trip of the editor (`POST /profiles/check`), p95", check, TARGET_CHECK_MS),
            ("profiles-page", f"the profiles page of {n:,} profiles, p95", profiles, TARGET_PROFILES_MS),
            ("search", "catalogue search as you type (htmx fragment), p95", search, TARGET_SEARCH_MS)):
        print(f"{what}: median {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms (target < {target:g} ms; "
              f"static file p95 {p95(reference):.1f} ms)")
        rec.figure(fid, f"workspace over {n:,} profiles through HTTP (httpx against uvicorn): {what}", p95(samples), "ms",
                   profiles=n, reference=ref, target={"below": target, "profiles": TARGET_PROFILES})
        rec.details(**{f"{fid}_median_ms": round(statistics.median(samples), 2), f"{fid}_samples": len(samples)})
    print(f"the workspace was ready {ready_s:.1f} s after it started (reads and validates the folder)")
    rec.details(ready_s=round(ready_s, 2), reference_median_ms=round(statistics.median(reference), 2))
    rec.write()


if __name__ == "__main__":
    main()
