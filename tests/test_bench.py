"""The benchmark scripts: bench/table.py writes the current table of docs/benchmarks.md from result files.

The fixture folder tests/data/bench-results/ holds result files as the scripts write them
(bench/record.py): runs of one benchmark at several sizes and dates, two runs started in the
same second, figures written by hand from the page, targets met, missed and set for another size.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from .conftest import DATA, ROOT

BENCH = ROOT / "bench"
FIXTURE = DATA / "bench-results"
BENCHMARKS = ["validate.py", "infer.py", "query.py", "main_attributes.py", "folder.py"]
PAGE = "# Benchmarks\n\nIntro.\n\n<!-- results:begin -->\nold table\n<!-- results:end -->\n\n## After\n\nText after.\n"


def table(tmp_path, results=FIXTURE, page=PAGE) -> tuple[subprocess.CompletedProcess, str]:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(page, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(BENCH / "table.py"), "--results", str(results), "--doc", str(doc)],
                          capture_output=True, text=True, check=False, timeout=60)
    return proc, doc.read_text(encoding="utf-8")


def rows(text: str) -> dict[str, list[str]]:
    """Table rows by their first cell."""
    out = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| figure |"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            out[cells[0]] = cells
    return out


def test_the_table_is_written_between_the_markers(tmp_path, golden):
    proc, text = table(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert text.startswith("# Benchmarks\n\nIntro.\n\n<!-- results:begin -->\n")
    assert text.endswith("<!-- results:end -->\n\n## After\n\nText after.\n")
    assert "old table" not in text
    golden("bench-table.md", text)


def test_each_figure_comes_from_the_newest_run_at_the_largest_size(tmp_path):
    text = table(tmp_path)[1]
    found = rows(text)
    # the 200-profile run of 2026-01-03 is newer, but load and validate were measured at 50,000
    assert found["load 50,000 profiles"][1:2] == ["4.20 s"]
    assert "load 200 profiles" not in found and "load 5,000 profiles" not in found
    assert found["validate 50,000 profiles"][4] == "< 3 s: **missed by 1.20×**; 0 of 2 runs under"
    assert found["validate 200 profiles, CPU"][4] == "—"  # measured only there
    # a figure that does not depend on the size comes from the newest run
    one = found["one file from the command line"]
    assert one[1:5] == ["1.50 s", "python start-up: 0.03 s", "50.0× slower", "< 1 s: **missed by 1.50×**"]
    assert one[5] == "2026-01-03 08:00"
    # the second run started in the same second wins
    assert found["requests per second, 4 clients"][1:4] == ["6.00 req/s", "oxigraph serve: 12.0 req/s", "2.00× fewer"]


def test_targets_say_met_missed_or_not_checked(tmp_path):
    found = rows(table(tmp_path)[1])
    assert found["load 50,000 profiles"][4] == "< 5 s: met by 1.19×"
    assert found["load and validate 5,000 profiles against pySHACL"][2:5] == [
        "pySHACL: > 153 s", "> 150× faster", "≥ 100× faster: met by > 1.50×"]
    assert found["load and validate 5,000 profiles against pyshacl-turbo"][4] == "≥ 10× faster: **missed by 2.00×**"
    assert found["library queries under 200 ms, of 26"][4] == "≥ 26 queries: **missed by 12 queries**"
    assert found["one changed profile"][1] == "12.8–13.6 ms"


def test_tables_come_in_the_page_order_with_their_dates_commands_and_sources(tmp_path):
    text = table(tmp_path)[1]
    headings = re.findall(r"^### (.*)$", text, flags=re.M)
    assert headings == ["Validation (`bench/validate.py`)", "Named queries and the endpoint (`bench/query.py`)", "`bench/other.py`"]
    found = rows(text)
    assert found["validate 50,000 profiles"][5:] == ["2026-01-02 08:00 [1]", "`python bench/validate.py --profiles 50000 --engines sparql`"]
    assert "[1] Written by hand from docs/benchmarks.md before 2026-01-03: the run wrote no result file." in text
    # a long list of names is left to the result file
    assert found["requests per second, 4 clients"][6] == "`python bench/query.py --profiles 50000 --skip-library --endpoint-queries …`"


def test_a_second_run_leaves_the_page_as_it_is(tmp_path):
    first = table(tmp_path)[1]
    proc, second = table(tmp_path, page=first)
    assert proc.returncode == 0 and second == first


def test_a_page_without_markers_is_refused(tmp_path):
    proc, text = table(tmp_path, page="# Benchmarks\n\nNo markers.\n")
    assert proc.returncode != 0
    assert "<!-- results:begin -->" in proc.stderr
    assert text == "# Benchmarks\n\nNo markers.\n"


def test_a_file_that_is_not_a_result_is_refused(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "notes.json").write_text('{"benchmark": "validate"}', encoding="utf-8")
    proc, text = table(tmp_path, results=tmp_path / "results")
    assert proc.returncode != 0 and "notes.json: not a result file" in proc.stderr
    assert text == PAGE


def test_a_target_within_a_multiple_of_the_reference(tmp_path):
    """``within``: the value at most so many times the reference's (bench/folder.py's targets)."""
    results = tmp_path / "results"
    results.mkdir()
    run = {"benchmark": "folder", "command": "python bench/folder.py --profiles 5000", "date": "2026-01-04T08:00:00Z", "figures": [
        {"id": "folder", "what": "validate a folder", "value": 40.0, "unit": "s", "better": "lower", "profiles": 5000,
         "reference": {"what": "libyaml", "value": 1.0, "unit": "s"}, "ratio": 0.025, "target": {"within": 10, "profiles": 5000}},
        {"id": "one", "what": "one file", "value": 0.2, "unit": "s", "better": "lower", "profiles": None,
         "reference": {"what": "imports", "value": 0.1, "unit": "s"}, "ratio": 0.5, "target": {"within": 4}}]}
    (results / "folder-20260104T080000Z.json").write_text(json.dumps(run), encoding="utf-8")
    proc, text = table(tmp_path, results=results)
    assert proc.returncode == 0, proc.stderr
    found = rows(text)
    assert found["validate a folder"][3:5] == ["40.0× slower", "≤ 10× the reference: **missed by 4.00×** (40.0×)"]
    assert found["one file"][4] == "≤ 4× the reference: met (2.00×)"
    assert "### A folder of YAML profiles and one file from a cold start, whole commands (`bench/folder.py`)" in text


def test_the_page_table_is_the_one_its_result_files_make(tmp_path):
    """docs/benchmarks.md holds what bench/table.py writes from the result files committed with it."""
    page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    committed = subprocess.run(["git", "ls-files", "bench/results/*.json"], cwd=ROOT, capture_output=True, text=True, check=True)
    folder = tmp_path / "results"
    folder.mkdir()
    for name in committed.stdout.split():
        (folder / name.rsplit("/", 1)[1]).write_bytes((ROOT / name).read_bytes())
    proc, text = table(tmp_path, results=folder, page=page)
    assert proc.returncode == 0, proc.stderr
    assert text == page


@pytest.mark.parametrize("script", [*BENCHMARKS, "table.py", "generate.py"])
def test_each_script_accepts_help(script):
    proc = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage:")
    if script in BENCHMARKS:
        assert "--results DIR" in proc.stdout and "--no-results" in proc.stdout
