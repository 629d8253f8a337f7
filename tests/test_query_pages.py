"""``segmentum query --limit/--offset``: a page of the results selected inside the query; machine formats
written as the store produces them, to stdout or a file."""

from __future__ import annotations

import csv
import io

import pytest

from segmentum.cli.main import main
from segmentum.store.sparql_text import has_page, with_page

from .conftest import EXAMPLES

PROFILES = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def everything(runner_module) -> list[list[str]]:
    result = runner_module.invoke(main, ["query", "profiles-by-region", *PROFILES, "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert len(rows) > 4
    return rows


@pytest.fixture(scope="module")
def runner_module():
    from click.testing import CliRunner

    return CliRunner()


@pytest.mark.parametrize("limit, offset", [(2, None), (2, 1), (None, 3), (0, None)])
def test_a_page_is_the_rows_of_the_whole_result_in_order(runner_module, everything, limit, offset):
    args = (["--limit", str(limit)] if limit is not None else []) + (["--offset", str(offset)] if offset is not None else [])
    result = runner_module.invoke(main, ["query", "profiles-by-region", *PROFILES, "-f", "csv", *args])
    assert result.exit_code == 0, result.output
    start = offset or 0
    assert _rows(result.stdout) == [everything[0], *everything[1:][start:None if limit is None else start + limit]]


def test_the_table_shows_the_page_too(runner_module, everything):
    result = runner_module.invoke(main, ["query", "profiles-by-region", *PROFILES, "--limit", "1", "--offset", "1", "--ids"])
    assert result.exit_code == 0, result.output
    assert everything[2][0] in result.stdout and everything[1][0] not in result.stdout.replace(everything[2][0], "")


def test_a_file_gets_what_stdout_gets(runner_module, everything, tmp_path):
    out = tmp_path / "rows.csv"
    result = runner_module.invoke(main, ["query", "profiles-by-region", *PROFILES, "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _rows(out.read_text(encoding="utf-8")) == everything


def test_a_query_with_a_page_of_its_own_is_refused_with_the_reason(runner_module):
    result = runner_module.invoke(main, ["--lang", "en", "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "--limit", "2"])
    assert result.exit_code == 2
    assert "limits its own results" in result.output


def test_the_page_goes_into_the_query_after_its_last_line():
    assert with_page("SELECT * WHERE { ?s ?p ?o }", 100, 200) == "SELECT * WHERE { ?s ?p ?o }\nLIMIT 100 OFFSET 200"
    assert with_page("SELECT * WHERE { ?s ?p ?o }", None, None) == "SELECT * WHERE { ?s ?p ?o }"
    assert has_page("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\nLIMIT 5")
    assert not has_page('SELECT * WHERE { ?s ?p "LIMIT" . { SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 } } # OFFSET')
