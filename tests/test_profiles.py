"""Profiles: the methodology's examples load into RDF with every term resolved and every line kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from segmentum.cli.main import main
from segmentum.namespaces import ATTR, CH, PROF, SGM, ST, SVC, VAL, profile_graph, provenance_graph
from segmentum.profiles.reader import load_profile, profile_paths

from .conftest import DATA, EXAMPLES, attribute_values, write


def load(shared, name: str):
    return load_profile(EXAMPLES / name, shared.catalogue)


def test_all_examples_load(shared):
    paths = profile_paths([EXAMPLES])
    assert len(paths) >= 6
    ids = [load_profile(p, shared.catalogue).id for p in paths]
    assert len(set(ids)) == len(ids)


def test_student_profile_as_the_methodology_states_it(shared):
    prof = load(shared, "student-neighbour-region.yaml")
    assert prof.status == str(ST.citizen)
    assert prof.stage == str(SGM.StageHypotheses)
    assert prof.service_region == str(VAL["region-77"])
    assert attribute_values(prof) == {"sex": "sex-male", "age": Literal(20), "region-of-residence": "region-50"}
    channels = {(s.purpose.rsplit("#", 1)[1], s.channel.rsplit("/", 1)[1]) for s in prof.statements if s.kind == "channel"}
    assert channels == {("Informing", "website"), ("ServiceDelivery", "epgu"), ("ServiceDelivery", "post")}
    assert [s.text for s in prof.statements if s.kind == "journey_feature"] == [
        "Пытается минимизировать личные посещения",
        "Необходимо общежитие",
    ]
    assert all(s.state == str(SGM.Open) for s in prof.statements)


def test_tour_operator_profile(shared):
    prof = load(shared, "tour-operator-regular-tours.yaml")
    assert prof.status == str(ST.business)
    assert prof.services == [str(SVC["tour-operator-registry"])]
    assert attribute_values(prof) == {"legal-form": "okopf-12300", "activity-kind": "okved2-79-12", "market-relation-type": "market-relation-b2b"}


def test_young_soldier_profile_keeps_the_range_and_band(shared):
    prof = load(shared, "young-soldier.yaml")
    assert prof.status == str(ST.internal)
    assert attribute_values(prof) == {
        "age": (Decimal(22), Decimal(25)),
        "service-kind": "service-kind-military",
        "length-of-service": "length-of-service-0",
    }
    assert {s.channel for s in prof.statements if s.kind == "channel"} == {str(CH.website), str(CH["erc-mo-website"]), str(CH["in-person"])}


def test_rdf_of_a_profile(shared):
    prof = load(shared, "young-soldier.yaml")
    triples = set(prof.triples)
    iri = PROF["young-soldier"]
    seg = URIRef(f"{iri}/segment")
    node = URIRef(f"{iri}/attribute/age")
    assert (iri, SGM.profileOf, seg) in triples
    assert (seg, SGM.hasStatus, ST.internal) in triples
    assert (node, SGM.attribute, ATTR.age) in triples
    assert (node, SGM.rangeMin, Literal(22)) in triples
    assert (node, SGM.rangeMax, Literal(25)) in triples
    assert (node, SGM.writtenAs, Literal("22-25 лет")) in triples


def test_every_statement_remembers_its_line(shared):
    prof = load(shared, "student-neighbour-region.yaml")
    lines = (EXAMPLES / "student-neighbour-region.yaml").read_text(encoding="utf-8").splitlines()
    for (node, prop), loc in prof.locations.items():
        assert loc.path.endswith("student-neighbour-region.yaml")
        assert 1 <= loc.line <= len(lines)
    age = URIRef(f"{PROF['student-neighbour-region']}/attribute/age")
    loc = prof.locations[(age, SGM.value)]
    assert lines[loc.line - 1][loc.column - 1 :].startswith("20 лет")
    status = prof.locations[(URIRef(f"{prof.iri}/segment"), SGM.hasStatus)]
    assert lines[status.line - 1].startswith("status:")


def test_session_puts_each_profile_and_its_provenance_in_its_own_graph(fresh):
    fresh.load_profiles([EXAMPLES / "young-soldier.yaml"])
    graphs = set(fresh.store.graphs())
    assert profile_graph("young-soldier") in graphs
    assert provenance_graph("young-soldier") in graphs
    rows = fresh.store.select(
        f"""SELECT ?line WHERE {{ GRAPH <{provenance_graph('young-soldier')}> {{
              ?loc <{SGM.locatedNode}> <{PROF['young-soldier']}/segment> ; <{SGM.locatedProperty}> <{SGM.hasStatus}> ; <{SGM.sourceLine}> ?line }} }}"""
    )
    assert [int(r["line"]) for r in rows] == [4]


def test_reloading_a_profile_replaces_its_graph(fresh, tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("id: p\nstatus: citizen\nstage: I\nattributes:\n  пол: мужской\n", encoding="utf-8")
    fresh.load_profiles([p])
    p.write_text("id: p\nstatus: citizen\nstage: I\nattributes:\n  пол: женский\n", encoding="utf-8")
    fresh.load_profiles([p])
    rows = fresh.store.select(f"SELECT ?v WHERE {{ GRAPH <{profile_graph('p')}> {{ ?a <{SGM.value}> ?v }} }}")
    assert [str(r["v"]) for r in rows] == [str(VAL["sex-female"])]


@pytest.mark.parametrize(
    "yaml_text, attribute, expected",
    [
        ("возраст: 20", "age", Literal(20)),
        ("возраст: '20 лет'", "age", Literal(20)),
        ("возраст: от 22 до 25 лет", "age", (Decimal(22), Decimal(25))),
        ("возраст: 18–25", "age", "age-citizen-18-25"),
        ("пенсионер: да", "pensioner", Literal(True)),
        ("пенсионер: нет", "pensioner", Literal(False)),
        ("регион проживания: в Московской области", "region-of-residence", "region-50"),
        ("пол: Мужской", "sex", "sex-male"),
    ],
)
def test_values_are_kept_as_written_or_resolved(shared, tmp_path, yaml_text, attribute, expected):
    p = tmp_path / "v.yaml"
    p.write_text(f"status: Гражданин\nstage: I\nattributes:\n  {yaml_text}\n", encoding="utf-8")
    prof = load_profile(p, shared.catalogue)
    assert attribute_values(prof)[attribute] == expected


def test_russian_keys_and_the_attribute_formula(shared):
    prof = load_profile(DATA / "russian-keys.yaml", shared.catalogue)
    assert prof.title == "Молодой военнослужащий"
    assert prof.stage == str(SGM.StageSegmentation)
    assert attribute_values(prof) == {"age": (Decimal(22), Decimal(25)), "service-kind": "service-kind-military", "length-of-service": "length-of-service-0"}
    assert [s.channel for s in prof.statements if s.kind == "channel"] == [str(CH["erc-mo-website"])]


@pytest.mark.parametrize("stage, expected", [("I", "StageAttributes"), ("2", "StageSegmentation"), ("III этап", "StageHypotheses"), ("refined", "StageRefined"), ("сегментация", "StageSegmentation"), ("гипотезы", "StageHypotheses"), (4, "StageRefined")])
def test_stage_accepts_roman_arabic_and_names(shared, tmp_path, stage, expected):
    p = tmp_path / "s.yaml"
    p.write_text(f"status: citizen\nstage: {stage}\n", encoding="utf-8")
    assert load_profile(p, shared.catalogue).stage == str(SGM[expected])


def test_an_unfilled_template_loads(shared, tmp_path):
    from segmentum.profiles.template import profile_template

    text = profile_template(shared.catalogue, status=str(ST.citizen), life_situations=[], services=[], profile_id="t")
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    prof = load_profile(p, shared.catalogue)
    assert prof.attributes == []
    assert set(prof.unfilled) == {str(ATTR.sex), str(ATTR.age), str(ATTR["region-of-residence"])}


def test_stage_iv_statements_carry_state_and_evidence(shared):
    prof = load(shared, "civil-servant-dismissal.yaml")
    states = {s.text: (s.state.rsplit("#", 1)[1], s.evidence) for s in prof.statements}
    assert states["Внутренний портал ведомства"] == ("Refuted", ["опрос сотрудников — внутренним порталом по кадровым вопросам пользуются 12 %"])
    assert all(state in ("Confirmed", "Refuted") for state, _ in states.values())


def test_profiles_written_from_the_format_document_alone(shared):
    """Profiles in the way a new user writes them: capitalised keys, abbreviations, short names."""
    pensioners = load_profile(DATA / "unseen-pensioners.yaml", shared.catalogue)
    assert pensioners.life_situations == [str(URIRef("https://w3id.org/segmentum/id/life-situation/planned-medical-care"))]
    assert pensioners.stage == str(SGM.StageSegmentation)
    assert attribute_values(pensioners)["region-of-residence"] == "region-77"
    assert attribute_values(pensioners)["age"] == (Decimal(60), Decimal(75))
    assert attribute_values(pensioners)["pensioner"] == Literal(True)
    assert {s.channel.rsplit("/", 1)[1] for s in pensioners.statements if s.kind == "channel"} == {"website", "phone", "mfc"}
    ip = load_profile(DATA / "unseen-ip-usn.yaml", shared.catalogue)
    assert attribute_values(ip)["region-of-location"] == "region-66"  # «регион» of a business is where it is located
    assert attribute_values(ip)["tax-regime"] == "tax-regime-usn"
    teacher = load_profile(DATA / "unseen-teacher.yaml", shared.catalogue)
    assert teacher.life_situations == ["https://w3id.org/segmentum/id/life-situation/teacher-admin-burden"]
    assert attribute_values(teacher)["age"] == Literal(45)


def test_without_an_id_the_file_name_serves(shared, tmp_path):
    p = tmp_path / "Студентка из области.yaml"
    p.write_text("status: Гражданин\nstage: I\n", encoding="utf-8")
    assert load_profile(p, shared.catalogue).id == "Студентка-из-области"


def test_spaces_in_one_line_texts_are_normalised_and_notes_keep_their_paragraphs(shared, runner, tmp_path):
    """A title or statement written with double spaces, tabs or spaces around it is the same text;
    notes keep their lines, paragraphs and indentation."""
    text = (EXAMPLES / "young-soldier.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Молодой военнослужащий", 'title: "  Молодой \\t военнослужащий  "')
    text = text.replace("  - Для получения 2-НДФЛ нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ",
                        '  - " Для  получения\\t2-НДФЛ   нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ "')
    text += "notes: |\n  Первая  строка.\n    - с\tотступом\n\n  Второй абзац.  \n"
    path = write(tmp_path, text, "spaces.yaml")
    prof = load_profile(path, shared.catalogue)
    assert prof.title == "Молодой военнослужащий"
    assert prof.statements[0].text == "Для получения 2-НДФЛ нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ"
    assert prof.notes == "Первая строка.\n  - с отступом\n\nВторой абзац."
    assert (prof.iri, URIRef("http://purl.org/dc/terms/title"), Literal("Молодой военнослужащий", lang="ru")) in prof.triples
    shown = runner.invoke(main, ["profile", "show", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "Молодой военнослужащий" in shown.stdout and "Молодой  " not in shown.stdout
