"""Validation: the shapes find every defect kind, point at file and line, and both engines agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from segmentum.cli.main import main
from segmentum.errors import CatalogueError
from segmentum.i18n.messages import Lang
from segmentum.namespaces import (
    ATTR,
    CATALOGUE_GRAPH,
    ONTOLOGY_GRAPH,
    SGM,
    VAL,
    profile_graph,
)
from segmentum.session import open_session
from segmentum.validation.compiler import Compiler
from segmentum.validation.constraint_text import binds_this_first, prebind
from segmentum.validation.report import report_text
from segmentum.validation.runner import SharedFocusQuery, ValidationPlan, run_queries
from segmentum.validation.shapes import SH, ShapesGraph, UnsupportedShapeError
from segmentum.validation.validate import (
    Engine,
    check_catalogue,
    load_shapes,
    profile_graphs,
    run_engine,
    validate_loaded_profiles,
)

from .conftest import DATA, EXAMPLES, write

BROKEN = DATA / "broken"
METHODOLOGY = ["student-neighbour-region", "tour-operator-regular-tours", "young-soldier"]


def messages(report, name: str) -> list[tuple[int, str, str]]:
    return [(f.location.line, f.severity.name, f.message) for f in report.findings if f.location and f.location.path.endswith(name)]


@pytest.fixture(scope="module")
def loaded():
    """The examples and the broken profiles in one store."""
    s = open_session()
    s.load_profiles([EXAMPLES, BROKEN])
    return s


@pytest.fixture(scope="module")
def report(loaded):
    return validate_loaded_profiles(loaded.store, Engine.SPARQL, loaded.lang)


@pytest.mark.parametrize("name", METHODOLOGY)
def test_the_methodology_profiles_conform_at_stage_iii(report, name):
    violations = [m for m in messages(report, f"{name}.yaml") if m[1] == "VIOLATION"]
    assert violations == []


@pytest.mark.parametrize(
    "name, expected",
    [
        ("student-broken.yaml", [
            (7, "VIOLATION", "На III этапе нужен хотя бы один канал информирования: добавьте «channels: informing: …»"),  # the stage line
            (10, "VIOLATION", "Значение 200 признака «возраст» вне допустимого диапазона 0–120: исправьте его"),
            (12, "VIOLATION", "Признак «вид службы» не относится к статусу «Гражданин»: уберите его или выберите признак этого статуса "
                              "(segmentum catalogue list --status …)"),
        ]),
        ("tour-operator-broken.yaml", [
            (5, "VIOLATION", "На III этапе нужна хотя бы одна особенность клиентского пути: добавьте «journey_features:»"),
            (5, "VIOLATION", "На III этапе у профиля должно быть название: добавьте «title: …»"),
            (7, "WARNING", "Значение «Открытые акционерные общества» признака «организационно-правовая форма» устарело: "
                           "замените его на «Непубличные акционерные общества» или «Публичные акционерные общества»"),
            (14, "VIOLATION", "Канал «Сайт ЕРЦ МО РФ (личный кабинет военнослужащего)» недоступен клиентам в статусе «Представитель бизнеса»: "
                              "выберите другой канал (segmentum catalogue terms channels)"),
        ]),
        ("young-soldier-broken.yaml", [
            (8, "VIOLATION", "Интервал признака «возраст» записан наоборот: начало 25 больше конца 22"),
            (13, "VIOLATION", "На IV этапе гипотеза должна быть подтверждена или опровергнута: "
                              "укажите «state: подтверждена» или «state: опровергнута» (ключ можно писать и «состояние»)"),
            (13, "VIOLATION", "На IV этапе у гипотезы должно быть подтверждение: добавьте «evidence: …» (исследование, интервью, статистика, НПА)"),
        ]),
    ],
)
def test_broken_copies_fail_with_the_right_messages_and_lines(report, name, expected):
    found = messages(report, name)
    for item in expected:
        assert item in found


def test_every_defect_kind_is_found(report):
    found = {(f.profile, str(f.result.shape).rsplit("#", 1)[-1] if isinstance(f.result.shape, URIRef) else "property", f.severity.name)
             for f in report.findings}
    for shape in ("AttributeStatusShape", "AttributeRangeShape", "SingleValueShape", "ChannelForStatusShape", "TitleShape", "JourneyFeatureShape"):
        assert ("citizen-defects", shape, "VIOLATION") in found, shape
    assert ("student-broken", "HypothesesStageShape", "VIOLATION") in found  # no informing channel
    assert ("business-deprecated", "DeprecatedValueShape", "WARNING") in found
    assert ("empty-profile", "ProfileStatusShape", "VIOLATION") in found
    assert ("empty-profile", "ProfileSubjectShape", "VIOLATION") in found
    assert ("empty-profile", "ProfileAttributesShape", "VIOLATION") in found
    assert ("empty-profile", "ProfileStageShape", "VIOLATION") in found
    assert ("refined-open", "CheckedStateShape", "VIOLATION") in found
    assert ("refined-open", "EvidenceShape", "VIOLATION") in found
    assert ("tour-operator-regular-tours", "MainAttributesShape", "WARNING") in found


def test_a_value_from_another_scheme_is_found(fresh):
    """Profiles written as RDF can hold any value; the value-in-scheme shape catches a foreign one."""
    fresh.load_profiles([EXAMPLES / "student-neighbour-region.yaml"])
    node = URIRef("https://w3id.org/segmentum/id/profile/student-neighbour-region/attribute/sex")
    fresh.store.update(f"""
        DELETE {{ GRAPH <{profile_graph('student-neighbour-region')}> {{ <{node}> <{SGM.value}> ?v }} }}
        INSERT {{ GRAPH <{profile_graph('student-neighbour-region')}> {{ <{node}> <{SGM.value}> <{VAL['okopf-12300']}> }} }}
        WHERE {{ GRAPH <{profile_graph('student-neighbour-region')}> {{ <{node}> <{SGM.value}> ?v }} }}""")
    report = validate_loaded_profiles(fresh.store, Engine.SPARQL, fresh.lang)
    hits = [f for f in report.findings if str(f.result.shape).endswith("AttributeValueInSchemeShape")]
    assert [(f.location.line, f.message) for f in hits] == [
        (10, "Значение «Общества с ограниченной ответственностью» не входит в шкалу признака «пол»: выберите значение из списка (segmentum catalogue show …)")
    ]


def test_parity_with_pyshacl_on_every_defect_kind(loaded):
    shapes = load_shapes("profile")
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH, *profile_graphs(loaded.store)]
    fast = {r.key() for r in run_engine(loaded.store, shapes, Engine.SPARQL, graphs=graphs)}
    reference = {r.key() for r in run_engine(loaded.store, shapes, Engine.PYSHACL, graphs=graphs)}
    assert len(fast) > 40
    assert fast == reference


def test_queries_sharing_a_focus_pattern_give_the_same_results_as_one_query_per_constraint(loaded):
    plan = ValidationPlan(load_shapes("profile"), loaded.store)
    shared = [u for u in plan.units if isinstance(u, SharedFocusQuery)]
    # the stage III–IV target, the profiles, the stage IV hypotheses: each found once
    assert len(shared) == 3 and "LATERAL" in shared[0].sparql
    assert sum(len(u.branches) for u in shared) + len(plan.units) - len(shared) == len(plan.queries)
    together, apart = plan.run(loaded.store), run_queries(loaded.store, plan.queries)
    assert len(together) > 40
    assert [(r.key(), r.messages) for r in together] == [(r.key(), r.messages) for r in apart]


def test_the_costliest_queries_start_first_and_a_bad_cost_is_named(loaded):
    plan = ValidationPlan(load_shapes("profile"), loaded.store)
    costs = [u.cost for u in plan.units]
    assert costs == sorted(costs, reverse=True) and costs[0] > costs[-1]
    # the stage III–IV query holds «main template attributes», the costliest; «single value» next
    assert any(q.shape.node == URIRef("https://w3id.org/segmentum/shapes#MainAttributesShape") for q in plan.units[0].branches)
    assert plan.units[1].shape.node == URIRef("https://w3id.org/segmentum/shapes#SingleValueShape")
    bad = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix sgm: <https://w3id.org/segmentum/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ; sgm:relativeCost "много" ; sh:minCount 1 .""", format="turtle")
    with pytest.raises(CatalogueError, match="relativeCost"):
        ShapesGraph(bad).targeted_shapes()


def test_incremental_validation_checks_only_the_changed_profile(loaded):
    only = validate_loaded_profiles(loaded.store, Engine.SPARQL, loaded.lang, only=["citizen-defects"])
    assert {f.profile for f in only.findings} == {"citizen-defects"}
    everything = validate_loaded_profiles(loaded.store, Engine.SPARQL, loaded.lang)
    assert {f.result.key() for f in only.findings} == {f.result.key() for f in everything.findings if f.profile == "citizen-defects"}


def test_validating_a_file_in_a_disk_store_reports_only_that_file(runner, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, ["--store", str(store), "load", str(BROKEN)]).exit_code == 0
    result = runner.invoke(main, ["--store", str(store), "validate", str(EXAMPLES / "young-soldier.yaml"), "--format", "json"])
    assert result.exit_code == 0
    assert {r["profile"] for r in json.loads(result.stdout)["results"]} == {"young-soldier"}


def test_the_shipped_catalogue_conforms_with_both_engines(shared):
    assert check_catalogue(shared.store, Engine.SPARQL, shared.lang).findings == []


@pytest.mark.slow
def test_the_shipped_catalogue_conforms_with_pyshacl(shared):
    assert check_catalogue(shared.store, Engine.PYSHACL, shared.lang).findings == []


def test_a_broken_catalogue_fails_the_catalogue_shapes(fresh):
    attr = ATTR["business-size"]
    fresh.store.update(f"""DELETE WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ <{attr}> <http://www.w3.org/2004/02/skos/core#definition> ?d }} }};
        DELETE WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ <{attr}> <{SGM.hasSource}> ?s }} }};
        INSERT DATA {{ GRAPH <{CATALOGUE_GRAPH}> {{ <{ATTR['legal-form']}> <http://www.w3.org/2004/02/skos/core#prefLabel> "размер бизнеса"@ru }} }}""")
    report = check_catalogue(fresh.store, Engine.SPARQL, fresh.lang)
    found = {(str(f.result.focus).rsplit("/", 1)[-1], f.message.split(":")[0]) for f in report.findings}
    assert ("business-size", "У признака нет определения skos") in found
    assert ("business-size", "У признака нет источника sgm") in found
    assert any(focus == "legal-form" and "метки skos" in m for focus, m in found)  # two Russian labels now
    assert not report.conforms


def test_unsupported_component_is_a_clear_error(fresh, tmp_path: Path):
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] .
        """, format="turtle")
    with pytest.raises(UnsupportedShapeError, match="qualifiedValueShapesDisjoint"):
        Compiler(ShapesGraph(g), fresh.store).compile()
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:fooBar 3 .""", format="turtle")
    with pytest.raises(UnsupportedShapeError, match="sh:fooBar"):
        Compiler(ShapesGraph(g), fresh.store).compile()


# ------------------------------------------------------------ command line

def test_validate_examples_exit_0(runner):
    result = runner.invoke(main, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.stdout + result.stderr
    # the tour operator lacks the business size; its subject type follows from «ООО» (sgm:derivableFrom)
    assert result.stdout.endswith("ошибок: 0, предупреждений: 4 — соответствует.\n")


def test_validate_broken_exit_1_with_json(runner):
    result = runner.invoke(main, ["validate", str(BROKEN / "student-broken.yaml"), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["conforms"] is False
    first = next(r for r in data["results"] if r["line"] == 10)
    assert first == {
        "file": str(BROKEN / "student-broken.yaml"), "line": 10, "column": 12, "profile": "student-broken",
        "focus_node": "https://w3id.org/segmentum/id/profile/student-broken/attribute/age",
        "path": f"<{SGM.literalValue}>", "value": "200", "severity": "violation",
        "component": str(SH.SPARQLConstraintComponent), "shape": "https://w3id.org/segmentum/shapes#AttributeRangeShape",
        "message": "Значение 200 признака «возраст» вне допустимого диапазона 0–120: исправьте его",
        "messages": {"ru": "Значение 200 признака «возраст» вне допустимого диапазона 0–120: исправьте его",
                     "en": "The value 200 of the attribute «age» is outside the allowed range 0–120: correct it"},
    }


def test_validate_ttl_is_a_shacl_report(runner):
    result = runner.invoke(main, ["validate", str(BROKEN / "empty-profile.yaml"), "--format", "ttl"])
    assert result.exit_code == 1
    g = Graph().parse(data=result.stdout, format="turtle")
    assert len(list(g.subjects(None, SH.ValidationResult))) == 4
    assert (None, SH.conforms, None) in g


def test_validate_with_stage_override_and_english(runner):
    result = runner.invoke(main, ["--lang", "en", "validate", str(EXAMPLES / "large-family-car-purchase.yaml"), "--stage", "III"])
    assert result.exit_code == 1
    assert "At stage III a profile needs a title" not in result.stdout  # it has a title
    assert "At stage III a profile needs at least one journey feature" in result.stdout


def test_validate_bad_yaml_exit_2(runner, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("status: citizen\n  stage: [I\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{p}:")


def test_validate_with_pyshacl_engine_gives_the_same_findings(runner):
    fast = runner.invoke(main, ["validate", str(BROKEN / "citizen-defects.yaml"), "--format", "json"])
    slow = runner.invoke(main, ["validate", str(BROKEN / "citizen-defects.yaml"), "--format", "json", "--engine", "pyshacl"])
    key = lambda r: (r["focus_node"], r["path"], r["value"], r["component"], r["severity"], r["shape"], r["line"])  # noqa: E731
    assert sorted(map(key, json.loads(fast.stdout)["results"])) == sorted(map(key, json.loads(slow.stdout)["results"]))


def test_unsupported_shape_in_a_shapes_file_is_exit_2_and_nothing_written(runner, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sgm: <https://w3id.org/segmentum/ontology#> .
<urn:s> a sh:NodeShape ; sh:targetClass sgm:SegmentProfile ; sh:fooBar 1 .
""", encoding="utf-8")
    out = tmp_path / "report.json"
    result = runner.invoke(main, ["validate", str(EXAMPLES / "young-soldier.yaml"), "--shapes", str(shapes), "-o", str(out)])
    assert result.exit_code == 2
    assert "sh:fooBar" in result.stderr and "скомпилированный механизм не поддерживает" in result.stderr
    assert not out.exists()


def test_malformed_shapes_file_names_its_line(runner, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ;\n  sh:targetClass <urn:c\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(EXAMPLES / "young-soldier.yaml"), "--shapes", str(shapes)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{shapes}:3:")


def test_a_new_shape_works_without_code_changes(runner, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sgm: <https://w3id.org/segmentum/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:notes> a sh:NodeShape ; sh:targetClass sgm:SegmentProfile ;
    sh:property [ sh:path skos:note ; sh:minCount 1 ; sh:message "Добавьте «notes:»"@ru ] .
""", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(EXAMPLES / "young-soldier.yaml"), "--shapes", str(shapes)])
    assert result.exit_code == 1
    assert "Добавьте «notes:»" in result.stdout


def test_catalogue_check_exit_0(runner):
    result = runner.invoke(main, ["catalogue", "check"])
    assert result.exit_code == 0
    assert "ошибок: 0" in result.stdout


@pytest.mark.slow
def test_parity_on_generated_profiles_with_every_defect_kind(fresh):
    """The benchmark's generator, each defect kind several times, both engines: identical results."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import DEFECTS, ProfileGenerator

    gen = ProfileGenerator(fresh.catalogue, seed=11)
    n = 0
    for defect in [*DEFECTS * 3, *[None] * 12]:
        graph, triples = gen.profile(n, defect)
        fresh.store.replace_graph(graph, triples)
        n += 1
    shapes = load_shapes("profile")
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH, *profile_graphs(fresh.store)]
    fast = {r.key() for r in run_engine(fresh.store, shapes, Engine.SPARQL, graphs=graphs)}
    reference = {r.key() for r in run_engine(fresh.store, shapes, Engine.PYSHACL, graphs=graphs)}
    kinds = {str(k[5]).rsplit("#", 1)[-1] for k in fast}
    assert {"AttributeStatusShape", "AttributeRangeShape", "SingleValueShape", "ChannelForStatusShape", "TitleShape",
            "CheckedStateShape", "EvidenceShape", "DeprecatedValueShape", "ProfileSubjectShape"} <= kinds
    assert fast == reference


def test_findings_without_a_place_in_a_file_are_reported_too(fresh):
    """A profile node written as RDF (no provenance) still gets its finding, without a line."""
    fresh.store.update(f"""INSERT DATA {{ GRAPH <{profile_graph('rdf-only')}> {{
        <https://w3id.org/segmentum/id/profile/rdf-only> a <{SGM.SegmentProfile}> . }} }}""")
    report = validate_loaded_profiles(fresh.store, Engine.SPARQL, fresh.lang)
    assert report.findings and all(f.location is None for f in report.findings)
    assert "(без файла)" in report_text(report, fresh.lang)


@pytest.mark.parametrize(("where", "expected"), [
    # $this bound by the query's own triple patterns before anything reads it: checked afterwards
    ("?s ex:p $this . $this ex:q ?value . FILTER NOT EXISTS { ?value ex:r $this }", True),
    ("$this ex:q ?value . OPTIONAL { ?value ex:label ?l } BIND (ex:q AS ?path) FILTER (isIRI($this))", True),
    ("$thisOne ex:q ?value . FILTER (isIRI($this))", False),
    # $this read where it is not yet bound, or only optionally bound: keep pre-binding
    ("BIND ($this AS ?value) $this ex:q ?x .", False),
    ("OPTIONAL { $this ex:q ?value } FILTER (!BOUND(?value))", False),
    ("$this ex:q ?value . OPTIONAL { $this ex:label ?l }", False),  # safe, but not recognised: kept
    ("{ $this ex:a ?value } UNION { $this ex:b ?value }", False),
    ("{ $this ex:a ?value } UNION { ?x ex:b ?value }", False),
    ("?x ex:q ?value . FILTER (?value != $this)", False),
    ("$this ex:q ?value . { SELECT ?value WHERE { $this ex:r ?value } }", False),
    ("$this ex:q ?value . { FILTER ($this = ex:x) }", False),
    # a plain group joined into the WHERE group binds $this with its own triple patterns
    ("{ $this ex:q ?value . FILTER NOT EXISTS { ?value ex:r ?x } } OPTIONAL { ?value ex:label ?l }", True),
    ("{ $this ex:q ?value . FILTER NOT EXISTS { ?value ex:r $this } } BIND (ex:q AS ?path)", True),
    ("{ ?x ex:q ?value . FILTER (?value != $this) } $this ex:p ?x .", False),
    ("{ ?x ex:q ?value . FILTER NOT EXISTS { ?value ex:r $this } } $this ex:p ?x .", False),
    ("OPTIONAL { { $this ex:q ?value } }", False),
    ("{ $this ex:q ?value } UNION { $this ex:r ?value }", False),
    ("{ { $this ex:q ?value } } ?value ex:r ?x .", True),
    # a keyword inside an IRI, a prefixed name or a string is not a keyword
    ("$this ex:q <http://example.org/service-kind> , ex:graph-limit . FILTER (?value != \"GROUP BY\")", True),
    ("$this ex:q ?value . FILTER EXISTS { SERVICE <urn:x> { ?value ex:r ?x } }", False),
])
def test_binds_this_first_only_when_pre_binding_changes_nothing(where, expected):
    sparql = f"PREFIX ex: <http://example.org/>\nSELECT $this ?value WHERE {{ {where} }}"
    assert binds_this_first(sparql) is expected


def test_grouped_limited_and_projected_queries_keep_pre_binding():
    prefix = "PREFIX ex: <http://example.org/>\n"
    assert not binds_this_first(prefix + "SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:q ?v } GROUP BY $this")
    assert not binds_this_first(prefix + "SELECT (COUNT(?v) AS ?n) WHERE { $this ex:q ?v }")
    assert not binds_this_first(prefix + "SELECT $this ?v WHERE { $this ex:q ?v } LIMIT 1")
    assert not binds_this_first(prefix + "SELECT ?v WHERE { $this ex:q ?v }")


def test_a_group_holding_only_a_subquery_that_selects_this_is_not_joined_with_the_focus_nodes_again():
    """The subquery's rows are focus nodes already: joining every focus node again (166,000 at 50,000 profiles)
    held 55 MB and took 0.7 s of «deprecated value»; a subquery without $this, or other patterns, keep it."""
    head = "{ FOCUS }"
    grouped = "SELECT $this ?n WHERE { { SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:q ?v } GROUP BY $this } }"
    assert " ".join(prebind(grouped, head).split()) == \
        "SELECT $this ?n WHERE { { SELECT $this (COUNT(?v) AS ?n) WHERE { { FOCUS } $this ex:q ?v } GROUP BY $this } }"
    hidden = "SELECT $this ?n WHERE { { SELECT (COUNT(?v) AS ?n) WHERE { $this ex:q ?v } } }"
    assert prebind(hidden, head).count("{ FOCUS }") == 2
    more = "SELECT $this ?n WHERE { { SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:q ?v } GROUP BY $this } ?x ex:r ?n }"
    assert prebind(more, head).count("{ FOCUS }") == 2


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_single_valued_attribute_gets_one_error_for_each_extra_value_on_its_line(runner, tmp_path, engine):
    path = write(tmp_path, """id: single-valued
title: Три пола
status: гражданин
life_situation: покупка автомобиля
stage: II
attributes:
  пол: мужской
  возраст: 30-40
  пол : женский, мужской
""")
    out = runner.invoke(main, ["validate", str(path), "--engine", engine, "-f", "json"])
    assert out.exit_code == 1, out.output
    found = [(r["line"], r["focus_node"].rsplit("/", 1)[-1], r["message"]) for r in json.loads(out.stdout)["results"]
             if r["shape"].endswith("#SingleValueShape")]
    message = "У признака «пол» может быть только одно значение, а здесь указано ещё одно: оставьте одно"
    assert sorted(found) == [(9, "sex-2", message), (9, "sex-3", message)]


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_what_the_stage_requires_and_is_missing_is_shown_at_the_stage_line(runner, tmp_path, engine):
    path = write(tmp_path, """# Профиль студента
id: stage-line
title: Студент
status: гражданин
life_situation: поступление в вуз
stage: III
attributes:
  возраст: 18-25
  пол: мужской
  регион проживания: Тверская область
journey_features:
  - Нужно общежитие
""")
    out = runner.invoke(main, ["validate", str(path), "--engine", engine, "-f", "json"])
    assert out.exit_code == 1, out.output
    found = sorted((r["line"], r["column"], r["shape"].rsplit("#", 1)[-1]) for r in json.loads(out.stdout)["results"])
    assert found == [(6, 8, "HypothesesStageShape"), (6, 8, "HypothesesStageShape"), (6, 8, "PainWarningShape")]


@pytest.mark.parametrize("lang, message, hint", [
    ("ru", "sh:qualifiedValueShapesDisjoint формы", "--engine pyshacl"),
    ("en", "sh:qualifiedValueShapesDisjoint of", "use --engine pyshacl"),
])
def test_unsupported_shape_is_reported_in_the_users_language(runner, tmp_path: Path, lang, message, hint):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix sgm: <https://w3id.org/segmentum/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass sgm:SegmentProfile ;
            sh:property [ sh:path sgm:status ; sh:qualifiedValueShape [ sh:class sgm:Status ] ;
                          sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] .
        """, encoding="utf-8")
    result = runner.invoke(main, ["--lang", lang, "validate", "--shapes", str(shapes), str(EXAMPLES / "young-soldier.yaml")])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{shapes}: {'ошибка' if lang == 'ru' else 'error'}: ")
    assert message in line and hint in line
    assert ("не поддерживает" in line) == (lang == "ru")


def test_unsupported_constructs_name_themselves_in_english_too(fresh):
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT ?x WHERE { ?x ?p ?o }" ] .""", format="turtle")
    with pytest.raises(UnsupportedShapeError) as ru:
        Compiler(ShapesGraph(g), fresh.store).compile()
    with pytest.raises(UnsupportedShapeError) as en:
        Compiler(ShapesGraph(g), fresh.store, Lang.EN).compile()
    assert ru.value.message == "ограничение SPARQL должно упоминать $this"
    assert en.value.message == "a SPARQL constraint must mention $this"


# ------------------------------------------------------------ profiles as methodologists write them

def test_profiles_as_people_type_them_conform_to_their_stage(runner):
    result = runner.invoke(main, ["validate", str(DATA / "profiles")])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 8; ошибок: 0, предупреждений: 1" in result.stdout
    assert "предупреждение У профиля нет названия" in result.stdout.split("bom-crlf.yaml\n", 1)[1].split("\n", 1)[0]  # the one without a title


def test_profiles_naming_regions_by_towns_and_with_acronyms_conform(runner):
    result = runner.invoke(main, ["validate", str(DATA / "towns-and-acronyms")])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 13; ошибок: 0" in result.stdout


def test_profiles_next_to_their_segments_file_conform(runner):
    result = runner.invoke(main, ["validate", str(DATA / "profiles-with-segments")])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 12; ошибок: 0" in result.stdout


def test_profiles_written_with_paraphrased_names_conform(runner):
    result = runner.invoke(main, ["validate", str(DATA / "labels" / "profiles")])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 17; ошибок: 0" in result.stdout


def test_the_paraphrased_profiles_in_english_and_as_json(runner):
    result = runner.invoke(main, ["--lang", "en", "validate", str(DATA / "labels" / "profiles"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is True and len(report["checked"]) == 17
    assert report["results"] and all("add" in r["message"] and "добавьте" not in r["message"] for r in report["results"])


def test_english_summary_reads_naturally(runner):
    result = runner.invoke(main, ["--lang", "en", "validate", str(DATA / "profiles" / "en-student.yaml")])
    assert result.stdout.startswith("Summary: profiles checked: 1; 0 violations, 0 warnings")


def test_several_values_of_a_single_valued_attribute_one_finding_per_extra_value_at_its_line(tmp_path, runner):
    p = write(tmp_path, "status: internal\nlife_situation: civil service dismissal\nstage: I\nattributes:\n"
                        "  пол:\n    - мужской\n    - женский\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "может быть только одно значение" in line]
    assert len(lines) == 1 and lines[0].lstrip().startswith("7:7 ")


def test_a_fraction_of_a_whole_number_attribute_is_a_violation(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  пол: мужской\n"
                        "  регион проживания: Москва\n  возраст: 25,5\n")
    for engine in ("sparql", "pyshacl"):
        result = runner.invoke(main, ["validate", str(p), "--engine", engine])
        assert result.exit_code == 1, result.output
        assert "7:12    ошибка         Значение 25.5 признака «возраст» не целое" in result.stdout


def test_no_filled_attribute_is_shown_at_the_attributes_line(runner):
    result = runner.invoke(main, ["validate", str(DATA / "yaml-quirks" / "empty-values.yaml")])
    assert result.exit_code == 1, result.output
    assert "  5:1     ошибка         В профиле нет ни одного заполненного признака" in result.stdout


def test_findings_quote_keys_as_the_file_writes_them(runner):
    """A profile with Russian keys is told «каналы: информирование: …», in either output language;
    one with English keys is told «channels: informing: …»."""
    russian = DATA / "russian-keys.yaml"
    for lang in ("ru", "en"):
        result = runner.invoke(main, ["--lang", lang, "validate", str(russian), "--stage", "III", "-f", "lines"])
        assert "«каналы: информирование: …»" in result.stdout and "«боли:»" in result.stdout
        assert "channels:" not in result.stdout and "pains:" not in result.stdout
    english = runner.invoke(main, ["validate", str(EXAMPLES / "large-family-car-purchase.yaml"), "--stage", "III", "-f", "lines"])
    assert "«journey_features:»" in english.stdout


def test_reading_errors_quote_keys_as_the_file_writes_them(runner, tmp_path):
    p = write(tmp_path, "статус: Гражданин\nэтап: I\nуслуга: Выдача справки о доходах\nканалы: сайт\nпризнаки:\n  возраст: 30\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«информирование:»" in result.stderr and "«получение услуги:»" in result.stderr and "informing" not in result.stderr


# ---------------------------------------------------------------- warnings a person can act on

def test_a_missing_title_is_a_warning_and_stage_ii_without_priority_gets_a_hint(runner, tmp_path):
    p = tmp_path / "студент.yaml"
    p.write_text("status: Гражданин\nlife_situation: Поступление в вуз\nstage: II\nattributes:\n  возраст: 20\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(p), "--format", "lines"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{p}:1:1: предупреждение: У профиля нет названия: добавьте «title: …»; без него отчёты и списки называют профиль по имени файла",
        f"{p}:3:8: замечание: На II этапе сегменты сравнивают по критериям приоритизации: добавьте «priority:» (ёмкость, удовлетворённость,"
        " слепая зона …; список — segmentum catalogue terms criteria)",
    ]
    with_both = "title: Студент\n" + p.read_text(encoding="utf-8") + "priority:\n  ёмкость: 1000\n"
    p.write_text(with_both, encoding="utf-8")
    assert runner.invoke(main, ["validate", str(p), "--format", "lines"]).stdout == ""


def test_pyshacl_messages_of_a_reading_note_keep_their_languages():
    # the note's templates are a placeholder each («{?noteRu}», «{?noteEn}»): pySHACL drops the tags, and each
    # message must still be told by its language, whatever the order the templates come in
    from rdflib import Literal, Namespace

    from segmentum.validation.runner import ValidationResult
    from segmentum.validation.validate import _tagged

    ex = Namespace("http://example.org/")
    shapes = Graph()
    shapes.add((ex.S, SH.message, Literal("{?noteRu}", lang="ru")))
    shapes.add((ex.S, SH.message, Literal("{?noteEn}", lang="en")))
    ru, en = "Канала «банк» нет в каталоге: он сохранён как записан", "The channel «банк» is not in the catalogue: it is kept as written"
    result = ValidationResult(ex.f, None, None, None, SH.Warning, SH.SPARQLConstraintComponent, ex.S, messages=(Literal(en), Literal(ru)))
    assert {m.language: str(m) for m in _tagged(result, shapes).messages} == {"ru": ru, "en": en}


# ---------------------------------------------------------------- claims the law does not support

TOUR = ("title: Туроператор\nstatus: Представитель бизнеса\nservice: Внесение сведений о туроператоре в единый федеральный реестр туроператоров\n"
        "stage: III\nattributes:\n  организационно-правовая форма: ООО\njourney_features:\n{feature}\nchannels:\n  informing: [ЕПГУ]\n  service: [ЕПГУ]\n")


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_statement_the_law_does_not_support_is_a_warning_with_what_the_act_says(runner, tmp_path, engine):
    stated = write(tmp_path, TOUR.format(feature="  - Необходим стаж в сфере туризма не менее 5 лет"), "stated.yaml")
    result = runner.invoke(main, ["validate", str(stated), "--engine", engine, "-f", "lines"])
    flagged = [line for line in result.stdout.splitlines() if "не подтверждается" in line]
    assert flagged == [f"{stated}:8:5: предупреждение: «Необходим стаж в сфере туризма не менее 5 лет» — не подтверждается: 132-ФЗ (ст. 4.1, ч. 3) "
                       "не требует стажа: руководитель туроператора, его заместитель и главный бухгалтер не должны иметь неснятой или "
                       "непогашенной судимости за умышленное преступление, более трёх правонарушений в сфере туризма за год до подачи "
                       "документов и дисквалификации. Уберите утверждение или отметьте его опровергнутым (state: refuted)"]
    refuted = write(tmp_path, TOUR.format(feature="  - text: Необходим стаж в сфере туризма не менее 5 лет\n    state: refuted\n"
                                                  "    evidence: 132-ФЗ, ст. 4.1, ч. 3"), "refuted.yaml")
    assert "не подтверждается" not in runner.invoke(main, ["validate", str(refuted), "--engine", engine]).stdout
    # the claim is false for a tour operator, not everywhere: a civil service post may require five years
    servant = write(tmp_path, "title: Служащий\nstatus: Внутренний клиент\nlife_situation: Увольнение с гражданской службы\nstage: III\n"
                              "attributes:\n  вид службы: гражданская\njourney_features:\n  - Для должности нужен стаж не менее 5 лет\n", "servant.yaml")
    assert "не подтверждается" not in runner.invoke(main, ["validate", str(servant), "--engine", engine]).stdout


def test_an_unsupported_claim_is_found_among_thousands_of_statements_without_a_pattern_per_statement(fresh):
    """The claim's pattern (a regular expression read from the catalogue) is compiled by the store for every
    text it is matched against: only texts with one of the claim's words are matched (1.7 ms a text before;
    bench/validate.py measures it at 50,000 profiles). The claim is false for a tour operator: the profile is one."""
    feature = "https://w3id.org/segmentum/id/profile/many/journey-feature/"
    texts = [f"Особенность пути {i}" for i in range(3000)]
    texts += ["Необходим СТАЖ в сфере туризма не менее 5 лет", "Стаж работы не важен", "Tourism experience of 5 years"]
    body = "".join(f'<urn:p> <{SGM.hasJourneyFeature}> <{feature}{i}> . <{feature}{i}> <{SGM.statement}> "{t}"@ru .\n'
                   for i, t in enumerate(texts))
    body += f"<urn:p> <{SGM.service}> <https://w3id.org/segmentum/id/service/tour-operator-registry> .\n"
    refuted = len(texts) - 1
    fresh.store.update(f"INSERT DATA {{ GRAPH <{profile_graph('many')}> {{ {body} <{feature}{refuted}> <{SGM.state}> <{SGM.Refuted}> }} }}")
    plan = ValidationPlan(load_shapes("profile"), fresh.store)
    unit = next(u for u in plan.units if not isinstance(u, SharedFocusQuery) and str(u.shape.node).endswith("#UnsupportedClaimShape"))
    found = run_queries(fresh.store, [unit])
    assert sorted(str(r.focus) for r in found) == [f"{feature}3000"]


def test_validating_holds_little_more_than_the_results_it_returns(fresh, tmp_path):
    """Rows become results as they come, and the texts the results are sorted by are made once each: at 50,000
    profiles the rows and the sort keys held 40 MB more than the results at the peak (1.5× them; now 1.2×)."""
    import sys
    import tracemalloc

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import ProfileGenerator, write_nquads

    data = tmp_path / "profiles.nq"
    write_nquads(data, ProfileGenerator(fresh.catalogue, seed=5).profiles(300))
    fresh.store.load_dataset(data)
    plan = ValidationPlan(load_shapes("profile"), fresh.store)
    tracemalloc.start()
    try:
        found = run_queries(fresh.store, plan.units, workers=1)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(found) > 200
    assert peak < 1.4 * kept, f"{len(found)} results: {kept // 1000} kB kept, {peak // 1000} kB at the peak"
