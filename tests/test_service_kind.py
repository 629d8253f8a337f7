"""Attributes of one kind of service (sgm:appliesToServiceKind): suggestions, the profile check, the catalogue check."""

from __future__ import annotations

import json

import pytest

from segmentum.cli.main import main
from segmentum.namespaces import ATTR, CATALOGUE_GRAPH, SGM
from segmentum.validation.compiler import Compiler
from segmentum.validation.shapes import ShapesGraph, UnsupportedShapeError
from segmentum.validation.validate import Engine, check_catalogue

from .conftest import EXAMPLES, write

CIVIL_SERVANT = EXAMPLES / "civil-servant-dismissal.yaml"
SHAPE = "https://w3id.org/segmentum/shapes#AttributeServiceKindShape"


def profile(tmp_path, kind: str | None, extra: str = "") -> str:
    kind_line = f"  вид службы: {kind}\n" if kind else ""
    return str(write(tmp_path, f"""id: kind-test
title: Служащий, увольняющийся со службы
status: внутренний клиент
life_situation: Увольнение с государственной гражданской службы
stage: II
attributes:
{kind_line}  возраст: 30-40
{extra}"""))


def suggested(runner, path: str) -> set[str]:
    out = runner.invoke(main, ["suggest", path, "-f", "json"])
    assert out.exit_code == 0, out.output
    return {s["id"] for s in json.loads(out.stdout)["suggestions"]}


def test_a_civil_servant_is_not_offered_the_military_personnel_group(runner):
    ids = suggested(runner, str(CIVIL_SERVANT))
    assert "attribute/military-rank-group" not in ids
    assert "attribute/class-rank" in ids  # the civil service's own attribute stays


def test_without_a_kind_of_service_nothing_is_held_back(runner, tmp_path):
    """The rule fires only when the profile says which kind of service: then «состав военнослужащих» goes."""
    assert "attribute/military-rank-group" in suggested(runner, profile(tmp_path, None))
    assert "attribute/military-rank-group" not in suggested(runner, profile(tmp_path, "гражданская"))


@pytest.mark.parametrize("engine", [e.value for e in Engine])
def test_an_attribute_of_another_kind_of_service_is_a_warning(runner, tmp_path, engine):
    path = profile(tmp_path, "государственная гражданская служба", "  состав военнослужащих: младшие офицеры\n")
    out = runner.invoke(main, ["validate", path, "--engine", engine, "-f", "json"])
    assert out.exit_code == 0, out.output  # a warning: the profile still conforms
    found = [r for r in json.loads(out.stdout)["results"] if r["shape"] == SHAPE]
    assert [(r["line"], r["severity"], r["message"]) for r in found] == [(
        9, "warning", "Признак «состав военнослужащих» не относится к виду службы «государственная гражданская служба», "
        "указанному в профиле: уберите признак или исправьте вид службы (segmentum catalogue show «состав военнослужащих»)")]
    assert found[0]["messages"]["en"].startswith(
        "The attribute «military personnel group» does not apply to the profile's kind of service «state civil service»")


def test_the_same_attribute_with_its_own_kind_of_service_is_fine(runner, tmp_path):
    path = profile(tmp_path, "военная служба", "  состав военнослужащих: младшие офицеры\n")
    out = runner.invoke(main, ["validate", path, "-f", "json"])
    assert out.exit_code == 0, out.output
    assert not [r for r in json.loads(out.stdout)["results"] if r["shape"] == SHAPE]


def test_a_kind_of_service_that_is_not_one_fails_the_catalogue_check(fresh):
    fresh.store.update(f"""PREFIX sgm: <{SGM._NS}> PREFIX attr: <{ATTR}>
        INSERT DATA {{ GRAPH <{CATALOGUE_GRAPH}> {{
            attr:class-rank sgm:appliesToServiceKind <https://w3id.org/segmentum/id/value/sex-female> .
            attr:legal-form sgm:appliesToServiceKind <https://w3id.org/segmentum/id/value/service-kind-military> . }} }}""")
    report = check_catalogue(fresh.store, Engine.SPARQL, fresh.lang)
    found = {(str(f.result.focus).rsplit("/", 1)[-1], f.message.split(":")[0]) for f in report.findings}
    assert found == {
        ("class-rank", "sgm"),  # «sgm:appliesToServiceKind признака … — не значение признака «вид службы»»
        ("legal-form", "Признак с sgm"),  # a business's attribute: internal clients never give it
    }


def test_catalogue_show_names_the_kind_of_service(runner):
    shown = runner.invoke(main, ["catalogue", "show", "состав военнослужащих"])
    assert "Только для вида службы: военная служба" in shown.stdout
    data = json.loads(runner.invoke(main, ["--lang", "en", "catalogue", "show", "классный чин", "-f", "json"]).stdout)
    assert data["service_kinds"] == ["state civil service"]
    assert "Только для вида службы" not in runner.invoke(main, ["catalogue", "show", "возраст"]).stdout


# ------------------------------------------------------------ SHACL-SPARQL's forbidden keywords

def shapes_with(select: str) -> ShapesGraph:
    from rdflib import Graph
    return ShapesGraph(Graph().parse(format="turtle", data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:select \"\"\"{select}\"\"\" ] ."""))


@pytest.mark.parametrize("select", [
    "SELECT $this WHERE { $this <urn:p> <https://example.org/service-kind/minus-values> }",
    'SELECT $this WHERE { $this <urn:p> "SERVICE or VALUES" }  # no MINUS here',
])
def test_a_keyword_inside_an_iri_a_string_or_a_comment_is_not_a_keyword(shared, select):
    assert Compiler(shapes_with(select), shared.store).compile()


@pytest.mark.parametrize("keyword", ["MINUS { $this <urn:p> 1 }", "SERVICE <urn:x> { $this <urn:p> ?o }", "VALUES ?o { 1 }"])
def test_the_keywords_shacl_sparql_forbids_are_refused(shared, keyword):
    with pytest.raises(UnsupportedShapeError, match="запрещает"):
        Compiler(shapes_with(f"SELECT $this WHERE {{ $this <urn:p> ?o . {keyword} }}"), shared.store).compile()


# ------------------------------------------------------------ employees without a service: teachers

TEACHER = """id: teacher
title: Учитель, классный руководитель
status: внутренний клиент
life_situation: снижение нагрузки педагогов
stage: II
attributes:
  возраст: 36-50
  функция педагогического работника: классное руководство
{extra}"""


def test_a_teacher_serves_in_no_state_service_and_is_an_employee(runner, tmp_path):
    path = write(tmp_path, TEACHER.format(extra=""))
    out = runner.invoke(main, ["report", str(path), "-f", "md"])
    assert out.exit_code == 0, out.output
    assert "- вид службы – не проходит государственную или муниципальную службу" in out.stdout
    assert "- категория внутреннего клиента – работник без статуса служащего" in out.stdout
    checked = runner.invoke(main, ["validate", str(path), "--stage", "III", "-f", "json"])
    messages = [r["message"] for r in json.loads(checked.stdout)["results"]]
    assert any("основного признака" in m for m in messages)  # stage III: «пол» … are still missing
    assert not any("«вид службы»" in m for m in messages)  # but the kind of service is implied


def test_a_kind_of_service_the_profile_gives_is_kept_for_a_teacher(runner, tmp_path):
    path = write(tmp_path, TEACHER.format(extra="  вид службы: муниципальная\n"))
    out = runner.invoke(main, ["report", str(path), "-f", "md"])
    assert "не проходит государственную" not in out.stdout
    assert "- категория внутреннего клиента – муниципальный служащий" in out.stdout


def test_a_constraint_pyshacl_cannot_evaluate_is_a_clear_error_not_a_crash(shared):
    from rdflib import Graph

    from segmentum.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH
    from segmentum.validation.validate import run_pyshacl

    shapes = ShapesGraph(Graph().parse(format="turtle", data='''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ;
            sh:sparql [ a sh:SPARQLConstraint ;
                sh:select """SELECT $this WHERE { $this <urn:p> ?o . { SELECT ?o WHERE { ?o <urn:q> 1 } } }""" ] .'''))
    with pytest.raises(UnsupportedShapeError, match="pySHACL не смог проверить формы: .*nested SELECT") as info:
        run_pyshacl(shared.store, shapes, [ONTOLOGY_GRAPH, CATALOGUE_GRAPH])
    assert info.value.hint is None  # not «use --engine pyshacl»: that is the engine that failed
