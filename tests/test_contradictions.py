"""Contradictions between attributes (issue 19 §2): each check fires on a profile whose two attributes
cannot both be true and stays silent on the consistent variant of the same profile; both engines agree.

The profiles are written as a methodologist writes them: YAML with Russian labels, numbers, ranges and
bands («до 18 лет», «4-10 лет», «свыше 800 млн руб.»).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from segmentum.i18n.messages import Lang
from segmentum.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH, SGM
from segmentum.session import open_session
from segmentum.validation.compiler import checkable_target
from segmentum.validation.constraint_text import binds_this_first
from segmentum.validation.shapes import SH, ShapesGraph, Target
from segmentum.validation.validate import Engine, load_shapes, profile_graphs, run_engine, validate_loaded_profiles

SHAPES = "https://w3id.org/segmentum/shapes#"

HEADERS = {
    "business": "title: Работодатель\nstatus: Представитель бизнеса\nlife_situation: Наем сотрудников\nstage: I\nattributes:\n",
    "internal": "title: Сотрудник ведомства\nstatus: Внутренний клиент\nservice: справка 2-НДФЛ\nstage: I\nattributes:\n",
    "citizen": "title: Гражданин\nstatus: Гражданин\nlife_situation: Установление инвалидности\nstage: I\nattributes:\n",
}


@dataclass(frozen=True)
class Case:
    """A check: the attributes that contradict each other, the key of the line it points at, and the
    same profile made consistent."""

    shape: str
    status: str
    fires: str
    line_of: str
    consistent: str

    @property
    def id(self) -> str:
        return self.shape


def case(shape: str, status: str, fires: str, line_of: str, consistent: str) -> Case:
    return Case(shape, status, fires, line_of, consistent)


CASES = [
    # the issue's own examples
    case("SoleProprietorLegalFormShape", "business",
         "  тип субъекта: ИП\n  организационно-правовая форма: ООО\n", "организационно-правовая форма",
         "  тип субъекта: ИП\n  организационно-правовая форма: индивидуальный предприниматель\n"),
    case("BusinessSizeHeadcountShape", "business",
         "  размер бизнеса: микропредприятие\n  среднесписочная численность работников: 500\n", "размер бизнеса",
         "  размер бизнеса: среднее предприятие\n  среднесписочная численность работников: 200\n"),
    case("CivilServiceAgeShape", "internal",
         "  возраст: 16\n  вид службы: гражданская\n", "вид службы",
         "  возраст: 16-20\n  вид службы: гражданская\n"),  # 18–20 may serve: not every value contradicts
    case("WorkRecordAgeShape", "citizen",
         "  возраст: 20\n  стаж работы: 10\n", "стаж работы",
         "  возраст: 20\n  стаж работы: 4-6 лет\n"),
    # business
    case("LegalEntityIndividualFormShape", "business",
         "  тип субъекта: юридическое лицо\n  ОПФ: ИП\n", "ОПФ",
         "  тип субъекта: юридическое лицо\n  ОПФ: ООО\n"),
    case("BusinessSizeIncomeShape", "business",
         "  размер бизнеса: малое предприятие\n  доход за предшествующий календарный год: свыше 800 млн руб.\n", "размер бизнеса",
         "  размер бизнеса: малое предприятие\n  доход за предшествующий календарный год: до 800 млн руб.\n"),
    case("SmallBusinessStatusShape", "business",
         "  принадлежность к СМП или СОНКО: субъект малого предпринимательства\n  размер бизнеса: среднее предприятие\n",
         "принадлежность к СМП или СОНКО",
         "  принадлежность к СМП или СОНКО: субъект малого предпринимательства\n  размер бизнеса: микропредприятие\n"),
    case("ProfessionalIncomeTaxEntityShape", "business",
         "  ОПФ: ООО\n  режим налогообложения: НПД\n", "режим налогообложения",
         "  тип субъекта: самозанятый\n  режим налогообложения: НПД\n"),
    case("ProfessionalIncomeTaxEmployeesShape", "business",
         "  тип субъекта: самозанятый\n  численность работников: 2\n", "численность работников",
         "  тип субъекта: ИП\n  режим налогообложения: УСН\n  численность работников: 2\n"),
    case("PatentHeadcountShape", "business",
         "  тип субъекта: ИП\n  режим налогообложения: патент\n  численность работников: 20\n", "численность работников",
         "  тип субъекта: ИП\n  режим налогообложения: патент\n  численность работников: до 15 человек\n"),
    case("ForeignWorkerCategoryShape", "business",
         "  привлечение иностранных работников: нет\n  категория иностранного работника: высококвалифицированный специалист\n",
         "категория иностранного работника",
         "  привлечение иностранных работников: да\n  категория иностранного работника: высококвалифицированный специалист\n"),
    case("Customer223LegalEntityShape", "business",
         "  тип субъекта: ИП\n  заказчик по 223-ФЗ: да\n", "заказчик по 223-ФЗ",
         "  тип субъекта: юридическое лицо\n  заказчик по 223-ФЗ: да\n"),
    # internal clients
    case("MunicipalServiceAgeShape", "internal",
         "  возраст: до 18 лет\n  вид службы: муниципальная\n", "вид службы",
         "  возраст: 18-25\n  вид службы: муниципальная\n"),
    case("ConscriptionAgeShape", "internal",
         "  возраст: 17\n  вид службы: военная\n  порядок прохождения военной службы: по призыву\n", "порядок прохождения военной службы",
         "  возраст: 17\n  вид службы: военная\n  порядок прохождения военной службы: по контракту\n"),
    case("CivilServiceCitizenshipShape", "internal",
         "  гражданство: иностранный гражданин\n  вид службы: гражданская\n", "гражданство",
         "  гражданство: гражданин РФ\n  вид службы: гражданская\n"),
    case("CivilServiceLengthAgeShape", "internal",
         "  возраст: 26-40\n  вид службы: гражданская\n  стаж государственной гражданской службы: 25\n",
         "стаж государственной гражданской службы",
         "  возраст: 26-40\n  вид службы: гражданская\n  стаж государственной гражданской службы: 20\n"),
    case("ServiceKindCategoryShape", "internal",
         "  вид службы: гражданская\n  категория внутреннего клиента: военнослужащий\n", "категория внутреннего клиента",
         "  вид службы: военная\n  категория внутреннего клиента: военнослужащий\n"),
    case("CivilServicePlaceShape", "internal",
         "  вид службы: гражданская\n  вид места службы (работы): орган местного самоуправления\n", "вид места службы (работы)",
         "  вид службы: муниципальная\n  вид места службы (работы): орган местного самоуправления\n"),
    case("PositionCategoryGroupShape", "internal",
         "  вид службы: гражданская\n  категория должностей гражданской службы: руководители\n"
         "  группа должностей гражданской службы: младшая группа должностей\n", "группа должностей гражданской службы",
         "  вид службы: гражданская\n  категория должностей гражданской службы: обеспечивающие специалисты\n"
         "  группа должностей гражданской службы: младшая группа должностей\n"),
    case("ContractTermDismissalShape", "internal",
         "  вид службы: гражданская\n  вид служебного контракта по сроку: служебный контракт на неопределённый срок\n"
         "  основание увольнения с гражданской службы: истечение срока действия срочного служебного контракта\n",
         "основание увольнения с гражданской службы",
         "  вид службы: гражданская\n  вид служебного контракта по сроку: срочный служебный контракт\n"
         "  основание увольнения с гражданской службы: истечение срока действия срочного служебного контракта\n"),
    # citizens
    case("UnemployedWorkingShape", "citizen",
         "  трудовая занятость: работает\n  зарегистрирован в качестве безработного: да\n", "зарегистрирован в качестве безработного",
         "  трудовая занятость: не работает\n  зарегистрирован в качестве безработного: да\n"),
    case("CitizenForeignStatusShape", "citizen",
         "  гражданство: гражданин РФ\n  правовой статус иностранного гражданина в РФ: временно проживающий\n",
         "правовой статус иностранного гражданина в РФ",
         "  гражданство: иностранный гражданин\n  правовой статус иностранного гражданина в РФ: временно проживающий\n"),
    case("DisabilityGroupAgeShape", "citizen",
         "  возраст: 36-50\n  группа инвалидности: ребёнок-инвалид\n", "группа инвалидности",
         "  возраст: до 18\n  группа инвалидности: ребёнок-инвалид\n"),
]
#: a second way to contradict, for checks with two conditions or two sources of one fact
MORE = [
    case("BusinessSizeHeadcountShape", "business",
         "  размер бизнеса: малое предприятие\n  численность работников: от 120 до 200 человек\n", "размер бизнеса",
         "  размер бизнеса: малое предприятие\n  численность работников: от 20 до 100 человек\n"),
    case("ProfessionalIncomeTaxEntityShape", "business",
         "  тип субъекта: юридическое лицо\n  режим налогообложения: налог на профессиональный доход\n", "режим налогообложения",
         "  тип субъекта: юридическое лицо\n  режим налогообложения: упрощённая система налогообложения\n"),
    case("DisabilityGroupAgeShape", "citizen",
         "  возраст: до 18\n  группа инвалидности: вторая группа\n", "группа инвалидности",
         "  возраст: 36-50\n  группа инвалидности: вторая группа\n"),
    case("WorkRecordAgeShape", "internal",
         "  возраст: 16\n  вид службы: военная\n  стаж работы: 4-10 лет\n", "стаж работы",
         "  возраст: 22-25\n  вид службы: военная\n  стаж работы: 4-10 лет\n"),
]
ALL = [(f"{c.shape}-{i}", c) for i, c in enumerate(CASES + MORE)]
CHECKS = {c.shape for c in CASES}


def text_of(c: Case, attributes: str) -> str:
    return HEADERS[c.status] + attributes


def line_of(body: str, key: str) -> int:
    return next(n for n, line in enumerate(body.splitlines(), 1) if line.strip().startswith(f"{key}:"))


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Every case's two profiles in one store, validated once by each engine."""
    folder: Path = tmp_path_factory.mktemp("contradictions")
    for name, c in ALL:
        (folder / f"{name}-fires.yaml").write_text(text_of(c, c.fires), encoding="utf-8")
        (folder / f"{name}-consistent.yaml").write_text(text_of(c, c.consistent), encoding="utf-8")
    s = open_session(lang=Lang.RU)
    s.load_profiles([folder])
    report = validate_loaded_profiles(s.store, Engine.SPARQL, Lang.RU)
    return s, report


def contradictions(report, profile: str) -> list:
    return [f for f in report.findings if f.profile == profile and str(f.result.shape).removeprefix(SHAPES) in CHECKS]


@pytest.mark.parametrize(("name", "c"), ALL, ids=[n for n, _ in ALL])
def test_a_contradiction_is_a_violation_at_its_line_and_the_consistent_profile_passes(checked, name, c):
    _, report = checked
    fired = contradictions(report, f"{name}-fires")
    assert [(str(f.result.shape).removeprefix(SHAPES), f.severity.name, f.location.line) for f in fired] == [
        (c.shape, "VIOLATION", line_of(text_of(c, c.fires), c.line_of))]
    assert contradictions(report, f"{name}-consistent") == []
    messages = {m.language: str(m) for m in fired[0].result.messages}
    assert set(messages) == {"ru", "en"} and not any("{?" in m for m in messages.values())
    assert "противоречит" in messages["ru"] or "не умещается" in messages["ru"]
    assert "contradicts" in messages["en"] or "does not fit" in messages["en"]


def test_the_issues_examples_name_both_values_and_what_to_do(checked):
    _, report = checked
    (sole,) = contradictions(report, "SoleProprietorLegalFormShape-0-fires")
    assert sole.message.startswith("Организационно-правовая форма «Общества с ограниченной ответственностью» противоречит "
                                   "типу субъекта «индивидуальный предприниматель»")
    assert "ГК РФ ст. 23" in sole.message and "Исправьте ОПФ" in sole.message
    (size,) = contradictions(report, "BusinessSizeHeadcountShape-1-fires")
    assert "«микропредприятие» противоречит среднесписочной численности работников «500»" in size.message
    assert "не больше 15 работников" in size.message
    (young,) = contradictions(report, "CivilServiceAgeShape-2-fires")
    assert "возрасту «16»" in young.message and "79-ФЗ ст. 21" in young.message


def only_the_checks() -> ShapesGraph:
    """The shipped shapes with every other targeted shape deactivated (both engines honour sh:deactivated):
    the others' parity is tested in test_validate.py, and pySHACL takes a minute over them here."""
    graph = Graph()
    graph += load_shapes("profile").graph
    for shape in ShapesGraph(graph).targeted_shapes():
        if str(shape.node).removeprefix(SHAPES) not in CHECKS:
            graph.add((shape.node, SH.deactivated, Literal(True)))
    return ShapesGraph(graph)


@pytest.mark.slow  # pySHACL: about 10 s
def test_both_engines_give_the_same_results(checked):
    s, _ = checked
    shapes = only_the_checks()
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH, *profile_graphs(s.store)]
    fast = run_engine(s.store, shapes, Engine.SPARQL, graphs=graphs)
    reference = run_engine(s.store, shapes, Engine.PYSHACL, graphs=graphs)
    assert {r.key() for r in fast} == {r.key() for r in reference}
    found = {str(r.shape).removeprefix(SHAPES) for r in fast}
    assert found == CHECKS
    # and the same messages, filled from the same values
    assert {(r.key(), frozenset(r.messages)) for r in fast if str(r.shape).removeprefix(SHAPES) in CHECKS} == {
        (r.key(), frozenset(r.messages)) for r in reference if str(r.shape).removeprefix(SHAPES) in CHECKS}


def test_every_check_cites_a_provision_of_the_catalogue_has_a_cost_and_runs_as_written(shared):
    shapes = load_shapes("profile")
    provisions = {row["p"] for row in shared.store.select(f"SELECT ?p WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?p a <{SGM.LegalProvision}> }} }}")}
    assert len(CHECKS) >= 12
    for name in CHECKS:
        node = URIRef(SHAPES + name)
        cited = set(shapes.graph.objects(node, SGM.justification))
        assert cited and cited <= provisions, name
        assert shapes.shape(node).cost > 0, name
        assert (node, RDF.type, SH.NodeShape) in shapes.graph
        for constraint in shapes.shape(node).sparql:
            assert binds_this_first(constraint.select), name  # starts from one attribute's assertions


@pytest.mark.parametrize(("select", "checkable"), [
    ("SELECT ?this WHERE { ?this sgm:attribute attr:disability-group ; a sgm:AttributeAssertion . }", True),  # «group» in a name
    ("SELECT ?this WHERE { { ?this sgm:value val:a } UNION { ?this sgm:value val:b } }", True),
    ("SELECT ?this WHERE { ?this sgm:stage/sgm:stageNumber ?n . FILTER (?n >= 3) }", False),  # shares its focus nodes
    ("SELECT ?this WHERE { ?this sgm:p ?x . OPTIONAL { ?x sgm:q ?y } }", False),
    ("SELECT ?this WHERE { { SELECT ?this WHERE { ?this sgm:p ?x } } }", False),
])
def test_a_target_of_triple_patterns_lets_its_constraints_run_as_written(select, checkable):
    assert checkable_target(Target("sparql", select)) is checkable
