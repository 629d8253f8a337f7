"""The named query library and the query command, on the example profiles."""

from __future__ import annotations

import csv
import io
import json

import pytest

from segmentum.cli import main
from segmentum.engine.query import library
from segmentum.engine.query_results import run_query
from segmentum.engine.session import open_session

from .conftest import EXAMPLES, clear_profiles

LIBRARY = library()
SAMPLES = {
    "status": "business", "life_situation": "Поступление в вуз", "service": "справка 2-НДФЛ", "attribute": "возраст",
    "channel": "ЕПГУ", "document": "209-ФЗ", "region": "Москва", "stage": "III", "integer": "1",
}
TEXT_SAMPLES = {"profileId": "young-soldier", "district": "Центральный федеральный округ"}


@pytest.fixture(scope="module", params=["embedded", "oxigraph-server"])
def examples(request):
    """The example profiles in the embedded store and in a real SPARQL server: results must be the same."""
    if request.param == "embedded":
        s = open_session()
    else:
        s = open_session(endpoint=request.getfixturevalue("oxigraph_endpoint"))
        clear_profiles(s)
    s.load_profiles([EXAMPLES])
    yield s
    s.store.close()


def test_the_library_has_at_least_20_queries():
    assert len(LIBRARY) >= 20


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_query_has_titles_descriptions_and_declared_columns(examples, name):
    q = LIBRARY[name]
    assert {"ru", "en"} <= set(q.titles) and {"ru", "en"} <= set(q.descriptions)
    names, _rows = examples.store.select_with_variables(q.text)
    assert names == q.columns


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_query_runs_on_the_examples_golden(examples, golden, name):
    out = run_query(examples, LIBRARY[name], {}, "csv")
    golden(f"queries/{name}.csv", out.replace("\r\n", "\n"))


@pytest.mark.parametrize("name", sorted(n for n, q in LIBRARY.items() if q.params))
def test_each_parameter_binds(examples, name):
    q = LIBRARY[name]
    given = {p.name: TEXT_SAMPLES.get(p.name, SAMPLES.get(p.kind, "x")) for p in q.params}
    out = run_query(examples, q, given, "json")
    data = json.loads(out)
    unbound = json.loads(run_query(examples, q, {}, "json"))
    assert len(data["results"]["bindings"]) <= len(unbound["results"]["bindings"])


def test_attributes_by_status_binds_a_label(runner):
    result = runner.invoke(main, ["query", "attributes-by-status", "--param", "status=Представитель бизнеса", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["status"].endswith("/status/business") for r in rows)


def test_a_value_cannot_change_the_query(runner):
    result = runner.invoke(main, ["query", "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?code }",
                                  "--param", 'code=77" } DROP ALL ; SELECT * {', "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"] == []


def test_ad_hoc_sparql_text_and_formats(runner):
    sparql = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?code WHERE { ?r skos:notation ?code ; skos:prefLabel \"Москва\"@ru }"
    for fmt, check in (("csv", "code\n77\n"), ("tsv", "?code\n\"77\"\n")):
        result = runner.invoke(main, ["query", sparql, "-f", fmt])
        assert result.stdout.replace("\r\n", "\n") == check
    xml = runner.invoke(main, ["query", sparql, "-f", "xml"]).stdout
    assert "<literal>77</literal>" in xml
    table = runner.invoke(main, ["query", sparql]).stdout
    assert "77" in table and table.endswith("(1)\n")


def test_query_list_shows_every_query(runner):
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    for name in LIBRARY:
        assert name in result.stdout


def test_unknown_query_suggests_a_name(runner):
    result = runner.invoke(main, ["query", "attributes-by-statu"])
    assert result.exit_code == 2
    assert "«attributes-by-status»" in result.stderr


def test_unknown_parameter_is_bad_input(runner):
    result = runner.invoke(main, ["query", "attributes-by-status", "--param", "statuss=business"])
    assert result.exit_code == 2
    assert "«status»" in result.stderr


def test_syntax_error_in_a_query_file_names_line_and_column(runner, tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?s\nWHERE { ?s ?p }\n", encoding="utf-8")
    result = runner.invoke(main, ["query", str(rq)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{rq}:3:1: error: ")  # the parser stops at the end of the text


def test_updates_are_refused(runner):
    result = runner.invoke(main, ["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert result.exit_code == 2
    assert "SPARQL Update" in result.stderr


def test_own_query_may_use_the_project_prefixes_without_declaring_them(runner):
    q = "SELECT ?l WHERE { attr:age skos:prefLabel ?l FILTER (lang(?l) = 'ru') }"
    result = runner.invoke(main, ["query", q, "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["l", "возраст"]
    # a syntax error keeps its column in what the user typed
    result = runner.invoke(main, ["query", "SELECT ?l WHERE { attr:age skos:prefLabel ?l } LIMIT x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("<query>:1:54:"), result.stderr
