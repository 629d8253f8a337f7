"""The named query library and the query command, on the example profiles."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from segmentum.cli.main import main
from segmentum.query.library import library
from segmentum.query.results import run_query
from segmentum.session import open_session
from segmentum.store.sparql_text import values_markers

from .conftest import DATA, EXAMPLES, SERVER, clear_profiles, skip_on, write

LIBRARY = library()
PREFIXES_SPARQL = "PREFIX sgm: <https://w3id.org/segmentum/ontology#>\n"
SAMPLES = {
    "status": "business", "life_situation": "Поступление в вуз", "service": "справка 2-НДФЛ", "attribute": "возраст",
    "channel": "ЕПГУ", "document": "209-ФЗ", "region": "Москва", "stage": "III", "integer": "1",
    "activity": "79",
}
TEXT_SAMPLES = {"profileId": "young-soldier", "district": "Центральный федеральный округ"}
TOWNS_AND_ACRONYMS = DATA / "towns-and-acronyms"


@pytest.fixture(scope="module", params=["embedded", SERVER])
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


#: why a server cannot give a query's golden result, by query and server product (docs/shared-store.md, "Tested stores")
_COMPUTED_BOOLEAN = "Virtuoso 7.2 types a boolean the query computes ({}) as xsd:integer: 1/0 instead of true/false"
DIFFERS_ON = {
    "attributes-by-status": {"virtuoso": _COMPUTED_BOOLEAN.format("BOUND(?isMain) AS ?main")},
    "profile-attributes": {"virtuoso": _COMPUTED_BOOLEAN.format("BOUND(?isMain) AS ?main")},
    "status-life-situation-coverage": {"virtuoso": _COMPUTED_BOOLEAN.format("EXISTS { … } AS ?expected")},
    "profiles-per-status-summary": {"virtuoso": "Virtuoso 7.2 counts wrongly over OPTIONAL { A UNION B … }: every profile gets "
                                                "the same numbers of channels and pains"},
    "repealed-documents-cited": {"virtuoso": "Virtuoso 7.2 answers wrongly: the code and label of one document with the IRI of "
                                             "another (form:fns-r12003 for form:sfr-efs1-subsection-1-1, act:tk for act:minpros-582-2022)"},
}


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_query_runs_on_the_examples_golden(examples, golden, name):
    skip_on(examples.store, DIFFERS_ON.get(name, {}))
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


@pytest.mark.parametrize("lang, message", [("ru", "неизвестный вид параметра «regoin»; допустимые виды: status"),
                                           ("en", "unknown parameter kind «regoin»; use one of status")])
def test_an_unknown_parameter_kind_in_a_query_file_names_its_line(runner, tmp_path, lang, message):
    rq = tmp_path / "mine.rq"
    rq.write_text("# title@ru: Мой запрос\n# param: where regoin\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    result = runner.invoke(main, ["--lang", lang, "query", str(rq)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{rq}:2:16: {'ошибка' if lang == 'ru' else 'error'}: {message}")


def test_syntax_error_in_a_query_file_names_line_and_column(runner, tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?s\nWHERE { ?s ?p }\n", encoding="utf-8")
    result = runner.invoke(main, ["query", str(rq)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{rq}:3:1: ошибка: ")  # the parser stops at the end of the text


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


#: values of a parameter found in the profiles, to bind it to each in turn
FOUND = {
    "status": "SELECT DISTINCT ?v WHERE { ?segment sgm:hasStatus ?v }",
    "channel": "SELECT DISTINCT ?v WHERE { ?preference sgm:channel ?v }",
    "life_situation": "SELECT DISTINCT ?v WHERE { ?profile sgm:lifeSituation ?v }",
    "attribute": "SELECT ?v WHERE { ?assertion sgm:attribute ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 5",
}
MARKED = sorted(n for n, q in LIBRARY.items() if values_markers(q.text))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The example profiles and 300 generated ones (the benchmark's generator) in the embedded store."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import ProfileGenerator, write_nquads

    s = open_session()
    data = tmp_path_factory.mktemp("generated") / "profiles.nq"
    write_nquads(data, ProfileGenerator(s.catalogue, seed=7).profiles(300))
    s.store.load_dataset(data)
    s.load_profiles([EXAMPLES])
    yield s
    s.store.close()


def test_the_values_markers_of_the_library_name_its_parameters():
    assert MARKED, "no library query has a values marker"
    for name in MARKED:
        q = LIBRARY[name]
        for _at, names in values_markers(q.text):
            assert set(names) <= {p.name for p in q.params}, f"{name}: {names}"


@pytest.mark.parametrize("name", MARKED)
def test_a_values_marker_gives_the_same_results_as_the_values_at_the_start_alone(generated, name):
    """Where the author of a query put the values again (in a subquery that counts per parameter)
    must not change the results: each parameter bound to each value found in the profiles."""
    q = LIBRARY[name]
    unmarked = re.sub(r"(?im)^([ \t]*#[ \t]*)values:", r"\1", q.text)
    assert not values_markers(unmarked)
    found = {p.name: [r["v"] for r in generated.store.select(PREFIXES_SPARQL + FOUND[p.kind])] for p in q.params if p.kind in FOUND}
    variants = [{p: v} for p, values in found.items() for v in values] + [{p: values[0] for p, values in found.items()}]
    rows = 0
    for bindings in variants:
        marked = generated.store.serialize_results(q.text, "csv", bindings=bindings)
        assert marked == generated.store.serialize_results(unmarked, "csv", bindings=bindings), bindings
        rows += marked.count(b"\r\n") - 1
    assert len(variants) > 3 and rows > 0


# ---------------------------------------------------------------- parameters as people write them

def test_query_parameter_names_ignore_case_and_separators(runner):
    profile = str(DATA / "profiles" / "en-student.yaml")
    result = runner.invoke(main, ["query", "profile-attributes", "--param", "profile_id=en-student", profile])
    assert result.exit_code == 0, result.output
    assert "Tatarstan" in result.stdout


def test_cities_in_a_query_parameter(runner):
    result = runner.invoke(main, ["query", "profiles-by-region", "--param", "region=Екатеринбург", str(TOWNS_AND_ACRONYMS), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert [r["profileId"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["car-ekb", "procurement-smp-ekb"]


def test_a_federal_district_parameter_by_name_or_abbreviation(runner, tmp_path):
    write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  регион проживания: Свердловская область\n", "ural.yaml")
    write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  регион проживания: Москва\n", "moscow.yaml")
    for district in ("Уральский федеральный округ", "УрФО", "УФО", "Ural Federal District"):
        result = runner.invoke(main, ["query", "profiles-by-region", "--param", f"district={district}", str(tmp_path), "-f", "csv"])
        assert result.exit_code == 0, result.output
        assert [r["profileId"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["ural"], district


def test_a_segment_written_at_a_higher_okved2_level_covers_the_lower_ones(runner, tmp_path):
    for name, code in (("retail", "47"), ("food", "47.11"), ("it", "62")):
        write(tmp_path, f"status: Представитель бизнеса\nstage: I\nattributes:\n  вид деятельности: {code}\n", f"{name}.yaml")
    for activity, found in (("47.11", ["retail", "food"]), ("47.11.1", ["retail", "food"]), ("47", ["retail", "food"]),
                            ("G", ["retail", "food"]), ("торговля розничная в неспециализированных магазинах", ["retail", "food"]),
                            ("47.19", ["retail"]), ("62.01", ["it"]), ("01", [])):
        result = runner.invoke(main, ["query", "profiles-by-activity", "--param", f"activity={activity}", str(tmp_path), "-f", "csv"])
        assert result.exit_code == 0, result.output
        assert [r["profileId"] for r in csv.DictReader(io.StringIO(result.stdout))] == found, activity


def test_an_unknown_federal_district_is_an_error_not_an_empty_result(runner):
    result = runner.invoke(main, ["query", "profiles-by-region", "--param", "district=Марс"])
    assert result.exit_code == 2
    assert 'segmentum catalogue show "федеральный округ"' in result.stderr


def test_queries_give_each_item_once_after_inference(runner, tmp_path):
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["-q", "--store", store, "load", str(TOWNS_AND_ACRONYMS / "fio-spb.yaml")]).exit_code == 0
    assert runner.invoke(main, ["-q", "--store", store, "infer"]).exit_code == 0
    result = runner.invoke(main, ["--store", store, "query", "refined-profiles-unconfirmed", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # the refuted journey feature, once per piece of evidence, and not again as an sgm:Hypothesis
    assert {r["kind"].rsplit("#", 1)[1] for r in rows} == {"JourneyFeature"}
    assert len(rows) == 2


def test_the_table_shows_labels_and_words_and_the_machine_formats_keep_names(runner, golden):
    args = ["query", "attributes-by-status", "--param", "status=business"]
    table = runner.invoke(main, args).stdout
    header = table.splitlines()[0]
    assert [h.strip() for h in header.split("|")] == ["Признак", "Статус", "Основной", "Источники"]
    assert "Представитель бизнеса" in table and "организационно-правовая форма" in table
    assert not re.search(r"\b(?:st|attr|val):", table)
    ids = runner.invoke(main, [*args, "--ids"]).stdout
    assert "Статус: идентификатор" in ids.splitlines()[0] and "st:business" in ids and "attr:legal-form" in ids
    english = runner.invoke(main, ["--lang", "en", *args]).stdout
    assert english.startswith("Attribute") and "Business representative" in english and "legal form" in english
    machine = runner.invoke(main, [*args, "-f", "csv"]).stdout
    assert machine.splitlines()[0] == "attribute,attributeLabel,status,statusLabel,main,sources"
    assert json.loads(runner.invoke(main, [*args, "-f", "json"]).stdout)["head"]["vars"][:2] == ["attribute", "attributeLabel"]
    golden("queries/profiles-by-region.table.txt", runner.invoke(main, ["query", "profiles-by-region", str(EXAMPLES)]).stdout)


def test_labels_without_a_label_column_come_from_the_catalogue_and_the_store(runner):
    sparql = ("PREFIX sgm: <https://w3id.org/segmentum/ontology#> "
              "SELECT ?status ?profile WHERE { ?profile a sgm:SegmentProfile ; sgm:profileOf/sgm:hasStatus ?status } ORDER BY ?profile")
    table = runner.invoke(main, ["query", sparql, str(EXAMPLES / "young-soldier.yaml")]).stdout
    assert [h.strip() for h in table.splitlines()[0].split("|")] == ["Статус", "profile"]
    assert "Внутренний клиент" in table and "Молодой военнослужащий" in table and "st:" not in table and "prof:" not in table
    ids = runner.invoke(main, ["query", sparql, str(EXAMPLES / "young-soldier.yaml"), "--ids"]).stdout
    assert "st:internal" in ids and "young-soldier" in ids
