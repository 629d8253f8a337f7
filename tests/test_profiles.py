"""Profiles: the methodology's examples load into RDF with every term resolved and every line kept.

Also profiles as methodologists write them from docs/profile-format.md alone (tests/data/profiles/ and
the other folders of tests/data/): Russian keys, stages in words, a Cyrillic file name, a BOM with CRLF
line ends, hypothesis states as verbs, YAML anchors, yes/no/on/off.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.namespaces import ATTR, CH, PROF, SGM, ST, SVC, VAL, profile_graph, provenance_graph
from segmentum.profiles.reader import load_profiles, profile_paths

from .conftest import DATA, EXAMPLES, attribute_values, load, write

PROFILES = DATA / "profiles"
TOWNS_AND_ACRONYMS = DATA / "towns-and-acronyms"
WITH_SEGMENTS = DATA / "profiles-with-segments"
YAML_QUIRKS = DATA / "yaml-quirks"
CAR_BUYER = "status: Гражданин\nlife_situation: Покупка автомобиля\nstage: {stage}\nattributes:\n  пол: мужской\n"


def test_all_examples_load(shared):
    paths = profile_paths([EXAMPLES])
    assert len(paths) >= 6
    ids = [load(p, shared).id for p in paths]
    assert len(set(ids)) == len(ids)


def test_student_profile_as_the_methodology_states_it(shared):
    prof = load(EXAMPLES / "student-neighbour-region.yaml", shared)
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
    prof = load(EXAMPLES / "tour-operator-regular-tours.yaml", shared)
    assert prof.status == str(ST.business)
    assert prof.services == [str(SVC["tour-operator-registry"])]
    assert attribute_values(prof) == {"legal-form": "okopf-12300", "activity-kind": "okved2-79-12", "market-relation-type": "market-relation-b2b"}


def test_young_soldier_profile_keeps_the_range_and_band(shared):
    prof = load(EXAMPLES / "young-soldier.yaml", shared)
    assert prof.status == str(ST.internal)
    assert attribute_values(prof) == {
        "age": (Decimal(22), Decimal(25)),
        "service-kind": "service-kind-military",
        "length-of-service": "length-of-service-0",
    }
    assert {s.channel for s in prof.statements if s.kind == "channel"} == {str(CH.website), str(CH["erc-mo-website"]), str(CH["in-person"])}


def test_rdf_of_a_profile(shared):
    prof = load(EXAMPLES / "young-soldier.yaml", shared)
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
    prof = load(EXAMPLES / "student-neighbour-region.yaml", shared)
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
    prof = load(p, shared)
    assert attribute_values(prof)[attribute] == expected


def test_russian_keys_and_the_attribute_formula(shared):
    prof = load(DATA / "russian-keys.yaml", shared)
    assert prof.title == "Молодой военнослужащий"
    assert prof.stage == str(SGM.StageSegmentation)
    assert attribute_values(prof) == {"age": (Decimal(22), Decimal(25)), "service-kind": "service-kind-military", "length-of-service": "length-of-service-0"}
    assert [s.channel for s in prof.statements if s.kind == "channel"] == [str(CH["erc-mo-website"])]


@pytest.mark.parametrize("stage, expected", [
    ("I", "StageAttributes"), ("2", "StageSegmentation"), ("III этап", "StageHypotheses"), ("refined", "StageRefined"),
    ("сегментация", "StageSegmentation"), ("гипотезы", "StageHypotheses"), (4, "StageRefined"),
])
def test_stage_accepts_roman_arabic_and_names(shared, tmp_path, stage, expected):
    p = tmp_path / "s.yaml"
    p.write_text(f"status: citizen\nstage: {stage}\n", encoding="utf-8")
    assert load(p, shared).stage == str(SGM[expected])


def test_an_unfilled_template_loads(shared, tmp_path):
    from segmentum.profiles.template import profile_template

    text = profile_template(shared.catalogue, status=str(ST.citizen), life_situations=[], services=[], profile_id="t")
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    prof = load(p, shared)
    assert prof.attributes == []
    assert set(prof.unfilled) == {str(ATTR.sex), str(ATTR.age), str(ATTR["region-of-residence"])}


def test_stage_iv_statements_carry_state_and_evidence(shared):
    prof = load(EXAMPLES / "civil-servant-dismissal.yaml", shared)
    states = {s.text: (s.state.rsplit("#", 1)[1], s.evidence) for s in prof.statements}
    assert states["Внутренний портал ведомства"] == ("Refuted", ["опрос сотрудников — внутренним порталом по кадровым вопросам пользуются 12 %"])
    assert all(state in ("Confirmed", "Refuted") for state, _ in states.values())


def test_profiles_written_from_the_format_document_alone(shared):
    """Profiles in the way a new user writes them: capitalised keys, abbreviations, short names."""
    pensioners = load(DATA / "unseen-pensioners.yaml", shared)
    assert pensioners.life_situations == [str(URIRef("https://w3id.org/segmentum/id/life-situation/planned-medical-care"))]
    assert pensioners.stage == str(SGM.StageSegmentation)
    assert attribute_values(pensioners)["region-of-residence"] == "region-77"
    assert attribute_values(pensioners)["age"] == (Decimal(60), Decimal(75))
    assert attribute_values(pensioners)["pensioner"] == Literal(True)
    assert {s.channel.rsplit("/", 1)[1] for s in pensioners.statements if s.kind == "channel"} == {"website", "phone", "mfc"}
    ip = load(DATA / "unseen-ip-usn.yaml", shared)
    assert attribute_values(ip)["region-of-location"] == "region-66"  # «регион» of a business is where it is located
    assert attribute_values(ip)["tax-regime"] == "tax-regime-usn"
    teacher = load(DATA / "unseen-teacher.yaml", shared)
    assert teacher.life_situations == ["https://w3id.org/segmentum/id/life-situation/teacher-admin-burden"]
    assert attribute_values(teacher)["age"] == Literal(45)


def test_without_an_id_the_file_name_serves(shared, tmp_path):
    p = tmp_path / "Студентка из области.yaml"
    p.write_text("status: Гражданин\nstage: I\n", encoding="utf-8")
    assert load(p, shared).id == "Студентка-из-области"


def test_spaces_in_one_line_texts_are_normalised_and_notes_keep_their_paragraphs(shared, runner, tmp_path):
    """A title or statement written with double spaces, tabs or spaces around it is the same text;
    notes keep their lines, paragraphs and indentation."""
    text = (EXAMPLES / "young-soldier.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Молодой военнослужащий", 'title: "  Молодой \\t военнослужащий  "')
    text = text.replace("  - Для получения 2-НДФЛ нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ",
                        '  - " Для  получения\\t2-НДФЛ   нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ "')
    text += "notes: |\n  Первая  строка.\n    - с\tотступом\n\n  Второй абзац.  \n"
    path = write(tmp_path, text, "spaces.yaml")
    prof = load(path, shared)
    assert prof.title == "Молодой военнослужащий"
    assert prof.statements[0].text == "Для получения 2-НДФЛ нужно обратиться в ЕРЦ МО РФ или в УФО МО РФ"
    assert prof.notes == "Первая строка.\n  - с отступом\n\nВторой абзац."
    assert (prof.iri, URIRef("http://purl.org/dc/terms/title"), Literal("Молодой военнослужащий", lang="ru")) in prof.triples
    shown = runner.invoke(main, ["profile", "show", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "Молодой военнослужащий" in shown.stdout and "Молодой  " not in shown.stdout


# ---------------------------------------------------------------- profiles as methodologists write them

def test_russian_keys_ordinal_stage_and_a_cyrillic_file_name(shared):
    prof = load(PROFILES / "мама-поликлиника.yaml", shared)
    assert prof.id == "мама-поликлиника"
    assert prof.stage == str(SGM.StageAttributes)  # «этап: первый»
    assert attribute_values(prof) == {"sex": "sex-female", "age": (25, 35), "region-of-residence": "region-77", "large-family": Literal(False)}


def test_business_written_as_ip_with_abbreviated_region_and_headcount_up_to_15(shared):
    prof = load(PROFILES / "ip-hiring.yaml", shared)
    assert prof.status == str(ST.business)  # «status: ИП»
    got = attribute_values(prof)
    assert got["region-of-location"] == "region-16"  # «Респ. Татарстан»
    assert got["average-headcount"] == (0, 15)  # «до 15 человек»: «до» includes 15, as 209-ФЗ writes it


def test_pensioner_open_age_range_short_region_one_word_value_and_media_channel(shared):
    prof = load(PROFILES / "pensioner-mse.yaml", shared)
    got = attribute_values(prof)
    assert got["age"] == (60, 120)  # «60 лет и старше», not 60
    assert got["region-of-residence"] == "region-50"  # «МО»
    assert got["disability-group"] == "disability-group-3"  # «третья»
    informing = [s.channel for s in prof.statements if s.kind == "channel" and s.purpose == str(SGM.Informing)]
    assert informing == [str(CH.media), str(CH.phone)]


def test_a_company_written_as_ooo_buys_vehicles_in_kazan(shared):
    prof = load(TOWNS_AND_ACRONYMS / "ooo-fleet-kazan.yaml", shared)
    assert prof.status == str(ST.business)  # «status: ООО»
    got = attribute_values(prof)
    assert got["region-of-location"] == "region-16"  # «Казань»
    assert got["vehicle-owner-type"] == "vehicle-owner-type-legal-entity"  # «юрлицо»
    assert got["annual-income"] == (0, 800_000_000)  # «до 800 млн руб.»


def test_refined_profile_in_the_methodology_style(runner, shared):
    prof = load(PROFILES / "soldier-refined.yaml", shared)
    assert prof.stage == str(SGM.StageRefined)
    assert all(s.state in (str(SGM.Confirmed), str(SGM.Refuted)) and s.evidence for s in prof.statements)
    shown = runner.invoke(main, ["profile", "show", str(PROFILES / "soldier-refined.yaml")]).stdout
    # a channel's state and evidence are shown, as those of the other hypotheses
    assert "Информирование: Сайт ЕРЦ МО РФ (личный кабинет военнослужащего) (подтверждена) [опрос, 71 %]" in shown


@pytest.mark.parametrize(
    "written, stage",
    [("первый", SGM.StageAttributes), ("3-й этап", SGM.StageHypotheses), ("Третий этап", SGM.StageHypotheses),
     ("четвёртый", SGM.StageRefined), ("stage 2", SGM.StageSegmentation)],
)
def test_stage_written_in_words(shared, written, stage):
    assert load(f"status: Гражданин\nstage: {written}\nattributes:\n  пол: мужской\n", shared).stage == str(stage)


@pytest.mark.parametrize("written, truth", [("Да", True), ("имеется", True), ("не является", False), ("отсутствует", False)])
def test_yes_no_as_people_write_it(shared, written, truth):
    prof = load(f"status: Гражданин\nstage: I\nattributes:\n  многодетная семья: {written}\n", shared)
    assert attribute_values(prof)["large-family"] == Literal(truth)


def test_several_values_on_one_line_but_not_a_label_with_commas(shared):
    prof = load("status: business\nstage: I\nattributes:\n  тип рыночных отношений: B2C, B2G\n", shared)
    assert [av.value for av in prof.attributes] == [str(VAL["market-relation-b2c"]), str(VAL["market-relation-b2g"])]
    got = attribute_values(load("status: citizen\nstage: I\nattributes:\n  причина выдачи (замены) паспорта: "
                                "изменение фамилии, имени, отчества, сведений о дате и месте рождения\n", shared))
    assert got == {"passport-issue-reason": "passport-issue-reason-personal-data-change"}


# ---------------------------------------------------------------- hypotheses and their states

def test_hypothesis_states_written_as_verbs(shared):
    prof = load(WITH_SEGMENTS / "teacher-stage4.yaml", shared)
    states = [st.state for st in prof.statements if st.kind == "journey_feature"]
    assert states == [str(SGM.Confirmed), str(SGM.Refuted)]  # «подтвердилась», «не подтвердилась»
    channels = [st.state for st in prof.statements if st.kind == "channel"]
    assert channels == [str(SGM.Confirmed), str(SGM.Confirmed)]


@pytest.mark.parametrize("written, state", [("проверяется", SGM.Open), ("not confirmed", SGM.Refuted), ("disproved", SGM.Refuted)])
def test_hypothesis_states_in_other_words_and_in_english(shared, written, state):
    [pain] = load(CAR_BUYER.format(stage="I") + f"pains:\n  - text: Очереди\n    state: {written}\n", shared).statements
    assert pain.state == str(state)


def test_hypothesis_states_as_people_write_them_and_the_three_states_when_nothing_is_close(shared):
    body = "status: citizen\nstage: III\nlife_situation: МСЭ\nattributes:\n  пол: мужской\npains:\n  - text: Очередь\n    state: {}\n"
    assert load(body.format("отклонена"), shared).statements[0].state == "https://w3id.org/segmentum/ontology#Refuted"
    assert load(body.format("в работе"), shared).statements[0].state == "https://w3id.org/segmentum/ontology#Open"
    with pytest.raises(ProfileError) as err:
        load(body.format("да"), shared)
    assert "допустимые значения: «опровергнута», «открыта», «подтверждена»" in str(err.value)


def test_a_statement_over_several_lines_is_one_line_and_notes_keep_their_lines(shared, runner):
    prof = load(WITH_SEGMENTS / "молодые-мамы-поликлиника.yaml", shared)
    assert "Требуют полис ОМС на бумаге, хотя есть электронный" in [st.text for st in prof.statements]
    path = str(WITH_SEGMENTS / "disabled-children-parents.yaml")
    shown = runner.invoke(main, ["profile", "show", path]).stdout
    assert "  Сегмент выделен по обращениям в региональное бюро МСЭ.\n\n  Численность уточнить" in shown
    html = runner.invoke(main, ["report", path, "--format", "html"]).stdout
    assert "<p>Сегмент выделен по обращениям в региональное бюро МСЭ.</p>\n<p>Численность уточнить" in html
    md = runner.invoke(main, ["report", str(WITH_SEGMENTS / "молодые-мамы-поликлиника.yaml"), "--format", "md"]).stdout
    assert "в женских консультациях Новосибирска.\\\nОпрос проводился" in md


# ---------------------------------------------------------------- files and YAML as people save them

def test_bom_and_crlf_keep_lines_and_a_one_word_region(shared):
    prof = load(PROFILES / "bom-crlf.yaml", shared)
    assert attribute_values(prof)["region-of-residence"] == "region-66"  # «Свердловская»
    assert prof.locations[(prof.attributes[2].node, SGM.value)].line == 8


def test_hidden_files_are_not_profiles_and_an_upper_case_extension_is(tmp_path, shared):
    write(tmp_path, CAR_BUYER.format(stage="I"), "Профиль.YAML")
    (tmp_path / ".github").mkdir()
    write(tmp_path / ".github", "on: push\njobs: {}\n", "ci.yml")
    (tmp_path / "._Профиль.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    loaded = load_profiles([tmp_path], shared.catalogue)
    assert [p.id for p in loaded] == ["Профиль"]


def test_yaml_yes_no_on_off_for_yes_no_attributes_and_a_title(shared):
    values = attribute_values(load(YAML_QUIRKS / "yes-no-value.yaml", shared))
    assert values["large-family"].toPython() is True and values["low-income"].toPython() is False
    prof = load("title: yes\nstatus: citizen\nstage: I\nlife_situation: Поступление в вуз\nattributes:\n"
                "  многодетная семья: on\n  малоимущие: off\n", shared)
    assert prof.title == "yes"
    values = attribute_values(prof)
    assert values["large-family"].toPython() is True and values["low-income"].toPython() is False


def test_a_tab_after_a_colon_and_invisible_characters_from_a_copied_text(shared, runner):
    values = attribute_values(load("status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  пол:\tмужской\n"
                                   "  регион проживания: \u200bМосковская\u00a0область\n  возраст: 18\u200b-25\n"
                                   "  семейное положение: за\u00adмужем\n", shared))
    assert values == {"sex": "sex-male", "region-of-residence": "region-50", "age": "age-citizen-18-25",
                      "marital-status": "marital-status-married"}
    result = runner.invoke(main, ["validate", str(YAML_QUIRKS / "tab-indent.yaml")])  # a tab in an indent is still an error
    assert "tab-indent.yaml:6:1: ошибка: ошибка синтаксиса YAML: табуляция" in result.stderr


def test_keys_starting_with_x_hold_anchors_and_merge_keys_work(shared):
    prof = load("""x-base: &base
  text: Получает справку лично
  состояние: опровергнута
x-город: &moscow Москва
status: citizen
stage: I
attributes:
  регион проживания: *moscow
особенности клиентского пути:
  - <<: *base
    подтверждение: опрос, 112 анкет
""", shared)
    assert attribute_values(prof) == {"region-of-residence": "region-77"}
    [st] = prof.statements
    assert (st.text, st.evidence, st.state.rsplit("#", 1)[-1]) == ("Получает справку лично", ["опрос, 112 анкет"], "Refuted")


# ---------------------------------------------------------------- the channel list is open

BUSINESS_WITH_OWN_CHANNELS = """title: Участник закупок
status: Представитель бизнеса
life_situation: Участие в госзакупках
stage: III
attributes:
  регион места нахождения: Москва
journey_features:
  - Готовит заявку сам
channels:
  informing:
    - сайт налоговой инспекции
  service:
    - банк
    - ЕИС
"""


def test_a_channel_the_catalogue_lacks_is_kept_as_written_and_the_hint_names_channels_of_the_status(shared):
    prof = load(BUSINESS_WITH_OWN_CHANNELS, shared)
    channels = [(st.channel_written, st.channel) for st in prof.statements if st.kind == "channel"]
    assert channels == [("сайт налоговой инспекции", None), ("банк", None), ("ЕИС", str(CH["eis-procurement"]))]
    (line_site, note_site), (line_bank, note_bank) = prof.reading_notes
    assert (line_site.line, line_site.column, line_bank.line) == (11, 7, 13)
    assert "«сайт налоговой инспекции»" in note_site and "«Сайт ФНС России (nalog.gov.ru)»" in note_site
    assert "ЕРЦ" not in note_site  # a soldier's channel is no hint for a business
    assert "segmentum catalogue terms channels" in note_bank  # nothing close: where the list is


def test_a_kept_channel_is_a_warning_of_validate_and_is_shown_and_queried_as_written(runner, tmp_path):
    path = write(tmp_path, BUSINESS_WITH_OWN_CHANNELS)
    result = runner.invoke(main, ["validate", str(path), "--format", "lines"])
    assert result.exit_code == 0, result.output
    assert f"{path}:13:7: предупреждение: Канала «банк» нет в каталоге: он сохранён как записан" in result.output
    shown = runner.invoke(main, ["profile", "show", str(path)])
    assert "Получение услуг: банк (нет в каталоге); Единая информационная система" in shown.output
    rows = runner.invoke(main, ["query", "profiles-by-channel", str(path), "--format", "csv"])
    assert ",банк,https://w3id.org/segmentum/ontology#ServiceDelivery," in rows.output


# ---------------------------------------------------------------- a close typo is read, and said so

def test_a_close_typo_of_a_catalogue_term_is_read_with_a_note_saying_how(shared):
    prof = load("status: Гражданин\nstage: I\nattributes:\n  регион проживаня: Московская область\n  семейное положени: холост\n", shared)
    assert attribute_values(prof)["region-of-residence"] == "region-50"
    assert [(loc.line, note) for loc, note in prof.reading_notes] == [
        (4, "«регион проживаня» прочитано как «регион проживания»: проверьте написание; если имелось в виду другое, исправьте запись"),
        (5, "«семейное положени» прочитано как «семейное положение»: проверьте написание; если имелось в виду другое, исправьте запись"),
    ]


def test_a_plural_or_a_case_is_no_typo(shared):
    # «самозанятые» is a form of «самозанятый» the dictionary only guesses; «Московской области» is a case
    prof = load("status: самозанятые\nstage: I\nattributes:\n  регион проживания: Московской области\n", shared)
    assert prof.reading_notes == []


# ---------------------------------------------------------------- profile show says what the checks find

def test_show_counts_the_findings_names_the_command_and_marks_values_out_of_range(runner, tmp_path):
    p = write(tmp_path, "title: Долгожитель\nstatus: Гражданин\nlife_situation: Поступление в вуз\nstage: I\nattributes:\n  возраст: 150\n")
    shown = runner.invoke(main, ["profile", "show", str(p)]).output
    assert "  возраст – 150 лет (вне допустимого диапазона 0–120)\n" in shown
    assert shown.endswith(f"\nПроверка этапа: ошибок 1, предупреждений 0; подробно: segmentum validate {p}\n")
    fine = write(tmp_path, "title: Студент\nstatus: Гражданин\nlife_situation: Поступление в вуз\nstage: I\nattributes:\n  возраст: 20\n", "q.yaml")
    assert "Проверка этапа" not in runner.invoke(main, ["profile", "show", str(fine)]).output
