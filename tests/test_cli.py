"""The command line on real data: exit codes, formats, golden outputs, help with examples."""

from __future__ import annotations

import csv
import io
import json

import click
import pytest
from rdflib import Dataset, Graph

from segmentum.cli.main import main
from segmentum.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH, profile_graph

from .conftest import EXAMPLES, ROOT


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, prefix + (name,))


ALL_COMMANDS = list(commands(main))


@pytest.mark.parametrize("path, cmd", ALL_COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_with_an_example(runner, path, cmd):
    for lang, word in (("ru", "Пример"), ("en", "Example")):
        result = runner.invoke(main, ["--lang", lang, *path, "--help"])
        assert result.exit_code == 0
        assert word in result.stdout
        assert f"segmentum {' '.join(path)}" in result.stdout


@pytest.mark.parametrize("path, cmd", ALL_COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_is_documented(path, cmd):
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"segmentum {' '.join(path)}" in docs


def test_catalogue_list_business_shows_methodology_attributes_with_legal_sources(runner):
    result = runner.invoke(main, ["catalogue", "list", "--status", "business", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = {r["Признак"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    for attribute in ("тип субъекта экономической деятельности", "организационно-правовая форма", "размер бизнеса", "вид деятельности",
                      "тип рыночных отношений"):
        assert attribute in rows
        assert rows[attribute]["Статусы"] == "Представитель бизнеса"
    assert "209-ФЗ, ст. 4" in rows["размер бизнеса"]["Источники"]
    assert "ГК РФ (ч. первая), ст. 50" in rows["организационно-правовая форма"]["Источники"]
    assert all(r["Источники"] for r in rows.values())


def test_catalogue_list_by_source(runner):
    result = runner.invoke(main, ["catalogue", "list", "--source", "088/у", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert {"disability-group", "sex", "age"} <= ids
    assert "legal-form" not in ids


def test_catalogue_list_ambiguous_source_is_bad_input(runner):
    result = runner.invoke(main, ["catalogue", "list", "--source", "273-ФЗ"])
    assert result.exit_code == 2
    assert "fz-273-edu" in result.stderr and "fz-273-anticorr" in result.stderr


def test_catalogue_list_unknown_status(runner):
    result = runner.invoke(main, ["catalogue", "list", "--status", "бизнесс"])
    assert result.exit_code == 2
    assert result.stderr == "ошибка: «бизнесс» нет в каталоге (статус); возможно, имелось в виду «Представитель бизнеса»?\n"


def test_catalogue_list_table_golden(runner, golden):
    result = runner.invoke(main, ["catalogue", "list", "--status", "internal"])
    assert result.exit_code == 0
    golden("catalogue-list-internal.txt", result.stdout)


def test_catalogue_show_golden(runner, golden):
    result = runner.invoke(main, ["catalogue", "show", "ОПФ"])
    assert result.exit_code == 0
    golden("catalogue-show-legal-form.txt", result.stdout)
    assert "Открытые акционерные общества [" not in result.stdout
    assert "Открытые акционерные общества — устарело, заменено на Публичные акционерные общества, Непубличные акционерные общества" in result.stdout


def test_catalogue_show_english_json(runner):
    result = runner.invoke(main, ["--lang", "en", "catalogue", "show", "age", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["label"] == "age"
    assert data["datatype"] == "integer" and (data["min"], data["max"]) == ("0", "120")
    assert data["bands"]["Citizen"][:4] == ["under 18", "18-25", "26-35", "36-50"]


@pytest.mark.parametrize("name", ["student-neighbour-region", "tour-operator-regular-tours", "young-soldier"])
def test_profile_show_golden(runner, golden, name):
    result = runner.invoke(main, ["profile", "show", f"examples/profiles/{name}.yaml"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    golden(f"profile-show-{name}.txt", result.stdout)


def test_profile_show_json_in_english(runner):
    result = runner.invoke(main, ["--lang", "en", "profile", "show", str(EXAMPLES / "young-soldier.yaml"), "--format", "json"])
    [data] = json.loads(result.stdout)
    assert data["status"] == "Internal client"
    assert [(a["attribute"], a["value"]) for a in data["attributes"]] == [
        ("age", "22 to 25 years"),
        ("length of service", "under 1 year"),
        ("kind of service", "military service"),
    ]


def test_profile_new_writes_a_template_that_loads(runner, tmp_path):
    out = tmp_path / "new.yaml"
    result = runner.invoke(main, ["profile", "new", "--status", "citizen", "--life-situation", "Установление инвалидности", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "status: Гражданин" in text and "life_situation: Установление инвалидности" in text
    assert "  пол:" in text and "  # группа инвалидности:" in text
    shown = runner.invoke(main, ["profile", "show", str(out)])
    assert shown.exit_code == 0, shown.stderr


def test_load_into_a_disk_store_and_export_from_it(runner, tmp_path):
    store = tmp_path / "store"
    result = runner.invoke(main, ["--store", str(store), "load", str(EXAMPLES)])
    assert result.exit_code == 0, result.stderr
    assert "загружено профилей: 8" in result.stderr
    out = tmp_path / "all.nq"
    result = runner.invoke(main, ["--store", str(store), "export", "--format", "nq", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    ds = Dataset()
    ds.parse(out, format="nquads")
    names = {str(g.identifier) for g in ds.graphs()}
    assert {str(ONTOLOGY_GRAPH), str(CATALOGUE_GRAPH), str(profile_graph("young-soldier"))} <= names


@pytest.mark.parametrize("fmt, parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig")])
def test_export_formats_parse_back(runner, fmt, parser):
    result = runner.invoke(main, ["export", str(EXAMPLES / "student-neighbour-region.yaml"), "--format", fmt, "--no-ontology"])
    assert result.exit_code == 0, result.stderr
    g = Dataset() if fmt in ("trig", "jsonld") else Graph()
    g.parse(data=result.stdout, format=parser)
    assert len(g) > 1000 or sum(1 for _ in g.quads()) > 1000


# ---------------------------------------------------------------- what people type and read

def test_two_templates_in_one_folder_do_not_share_an_id(runner, tmp_path):
    for name, status in (("a.yaml", "citizen"), ("b.yaml", "internal")):
        assert runner.invoke(main, ["profile", "new", "--status", status, "-o", str(tmp_path / name)]).exit_code == 0
    assert "# id: " in (tmp_path / "a.yaml").read_text(encoding="utf-8")
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1  # not conforming (nothing filled in), but both load
    assert "проверено профилей: 2" in result.stdout
    assert "нет ни одного заполненного признака" in result.stdout


def test_a_sub_command_typed_without_its_group_names_the_full_command(runner):
    result = runner.invoke(main, ["show", "x.yaml"])
    assert result.exit_code == 2
    assert "Возможно, имелось в виду «catalogue show» или «profile show»?" in result.stderr
    result = runner.invoke(main, ["--lang", "en", "show", "x.yaml"])
    assert "Did you mean 'catalogue show' or 'profile show'?" in result.stderr


@pytest.mark.parametrize(
    "lang, attribute, line",
    [("ru", "наличие водительского удостоверения", "Тип значения: да/нет"),
     ("ru", "возраст", "Тип значения: целое число 0–120 лет"),
     ("en", "annual income", "Value type: number ≥ 0 RUB")],
)
def test_catalogue_show_writes_the_value_type_in_words(runner, lang, attribute, line):
    shown = runner.invoke(main, ["--lang", lang, "catalogue", "show", attribute]).stdout
    assert line + "\n" in shown
    assert "—" not in shown.splitlines()[4]


def test_band_scale_of_several_statuses_names_each_in_quotes(runner):
    shown = runner.invoke(main, ["catalogue", "show", "стаж работы"]).stdout
    assert "Интервалы для статусов «Внутренний клиент», «Гражданин»:" in shown
