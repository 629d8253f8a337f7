"""Profiles written the way a methodologist new to segmentum writes them, from docs/profile-format.md only.

The files in tests/data/newcomer/ use what people type: Russian keys, capitals, «ё»/«е», ИП and ЦФО,
«Республика Татарстан» as «Респ. Татарстан», «Татарстан» or «Tatarstan», «60 лет и старше»,
«до 15 человек», a Cyrillic file name, a BOM with CRLF line ends, a stage IV profile in the
methodology's style. Each of them failed or was misread before; the tests pin what they mean now.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal

from segmentum.catalogue.values import Bounds, parse_number_or_range
from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.namespaces import CH, SGM, ST, SVC
from segmentum.profiles.reader import load_profile, load_profiles

from .conftest import DATA, attribute_values, write

NEWCOMER = DATA / "newcomer"


def load(shared, name: str):
    return load_profile(NEWCOMER / name, shared.catalogue)


# ---------------------------------------------------------------- the profiles as written

def test_every_newcomer_profile_loads_and_conforms_to_its_stage(runner):
    result = runner.invoke(main, ["validate", str(NEWCOMER)])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 8; ошибок: 0, предупреждений: 0" in result.stdout


def test_russian_keys_ordinal_stage_and_a_cyrillic_file_name(shared):
    prof = load(shared, "мама-поликлиника.yaml")
    assert prof.id == "мама-поликлиника"
    assert prof.stage == str(SGM.StageAttributes)  # «этап: первый»
    assert attribute_values(prof) == {"sex": "sex-female", "age": (25, 35), "region-of-residence": "region-77", "large-family": Literal(False)}


def test_business_written_as_ip_with_abbreviated_region_and_headcount_up_to_15(shared):
    prof = load(shared, "ip-hiring.yaml")
    assert prof.status == str(ST.business)  # «status: ИП»
    got = attribute_values(prof)
    assert got["region-of-location"] == "region-16"  # «Респ. Татарстан»
    assert got["average-headcount"] == (0, 15)  # «до 15 человек»: «до» includes 15, as 209-ФЗ writes it


def test_pensioner_open_age_range_short_region_one_word_value_and_media_channel(shared):
    prof = load(shared, "pensioner-mse.yaml")
    got = attribute_values(prof)
    assert got["age"] == (60, 120)  # «60 лет и старше», not 60
    assert got["region-of-residence"] == "region-50"  # «МО»
    assert got["disability-group"] == "disability-group-3"  # «третья»
    informing = [s.channel for s in prof.statements if s.kind == "channel" and s.purpose == str(SGM.Informing)]
    assert informing == [str(CH.media), str(CH.phone)]


def test_service_named_by_its_head_and_abbreviation(shared):
    prof = load(shared, "internal-2ndfl.yaml")
    assert prof.services == [str(SVC["income-certificate"])]  # «Выдача справки 2-НДФЛ»
    assert attribute_values(prof)["federal-district"] == "fd-cfd"


def test_english_labels_and_a_short_english_region(shared):
    prof = load(shared, "en-student.yaml")
    got = attribute_values(prof)
    assert got["region-of-residence"] == "region-16"  # «Tatarstan»
    assert got["age"] == "age-citizen-18-25"  # «18-25 years» is the band
    assert [s.channel for s in prof.statements if s.purpose == str(SGM.Informing)] == [str(CH.website)]


def test_bom_and_crlf_keep_lines_and_a_one_word_region(shared):
    prof = load(shared, "bom-crlf.yaml")
    assert attribute_values(prof)["region-of-residence"] == "region-66"  # «Свердловская»
    assert prof.locations[(prof.attributes[2].node, SGM.value)].line == 8


def test_refined_profile_in_the_methodology_style(runner, shared):
    prof = load(shared, "soldier-refined.yaml")
    assert prof.stage == str(SGM.StageRefined)
    assert all(s.state in (str(SGM.Confirmed), str(SGM.Refuted)) and s.evidence for s in prof.statements)
    shown = runner.invoke(main, ["profile", "show", str(NEWCOMER / "soldier-refined.yaml")]).stdout
    # a channel's state and evidence are shown, as those of the other hypotheses
    assert "Информирование: Сайт ЕРЦ МО РФ (личный кабинет военнослужащего) (подтверждена) [опрос, 71 %]" in shown


# ---------------------------------------------------------------- numbers and ranges

@pytest.mark.parametrize(
    "written, expected",
    [
        ("20 лет", Decimal(20)),
        ("15 000", Decimal(15000)),
        ("1,5 млн", Decimal(1500000)),
        ("800 млн руб.", Decimal(800_000_000)),
        ("от 18 до 25 лет", Bounds(Decimal(18), Decimal(25))),
        ("18 to 25", Bounds(Decimal(18), Decimal(25))),
        ("1 000-5 000", Bounds(Decimal(1000), Decimal(5000))),
        ("60+", Bounds(Decimal(60), None)),
        ("60 и старше", Bounds(Decimal(60), None)),
        ("65 лет и старше", Bounds(Decimal(65), None)),
        ("5 лет и более", Bounds(Decimal(5), None)),
        ("≥60", Bounds(Decimal(60), None)),
        ("старше 60", Bounds(Decimal(60), None, low_strict=True)),
        ("более 250 человек", Bounds(Decimal(250), None, low_strict=True)),
        ("over 60", Bounds(Decimal(60), None, low_strict=True)),
        ("до 15 человек", Bounds(None, Decimal(15))),
        ("не более 15 человек", Bounds(None, Decimal(15))),
        ("младше 18", Bounds(None, Decimal(18), high_strict=True)),
        ("менее 1 года", Bounds(None, Decimal(1), high_strict=True)),
        ("двадцать", None),
        ("20 лет 5 месяцев", None),
    ],
)
def test_what_a_number_may_look_like(written, expected):
    assert parse_number_or_range(written) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("18-25 лет", "age-citizen-18-25"),
        ("от 18 до 25 лет", "age-citizen-18-25"),  # a range with exactly the band's bounds is the band
        ("до 18 лет", "age-citizen-0-17"),  # the band's label with a unit
        ("старше 50", "age-citizen-51-120"),
        ("старше 60", (61, 120)),
        ("60+", (60, 120)),
        ("22-25", (22, 25)),
        ("20 лет", Literal(20)),
    ],
)
def test_age_of_a_citizen(tmp_path, shared, written, expected):
    p = write(tmp_path, f"status: Гражданин\nstage: I\nattributes:\n  возраст: {written}\n")
    assert attribute_values(load_profile(p, shared.catalogue))["age"] == expected


def test_an_open_range_is_shown_as_open(runner, tmp_path):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  возраст: 60 лет и старше\n")
    assert "  возраст – 60 лет и более\n" in runner.invoke(main, ["profile", "show", str(p)]).stdout


def test_a_band_of_another_status_still_wins_over_an_open_range(tmp_path, shared):
    p = write(tmp_path, "status: business\nstage: I\nattributes:\n  стаж работы: до 1 года\n")
    assert attribute_values(load_profile(p, shared.catalogue))["length-of-service"] == "length-of-service-0"


# ---------------------------------------------------------------- names

@pytest.mark.parametrize(
    "kind, written, expected",
    [
        ("status", "ИП", ST.business),
        ("status", "юридическое лицо", ST.business),
        ("service", "Выдача справки 2-НДФЛ", SVC["income-certificate"]),
        ("channel", "телевидение", CH.media),
        ("channel", "СМИ", CH.media),
        ("channel", "university website", CH.website),
    ],
)
def test_names_people_use(shared, kind, written, expected):
    assert shared.catalogue.resolve(kind, written) == str(expected)


@pytest.mark.parametrize(
    "written, code",
    [("МО", "50"), ("Moscow Region", "50"), ("РТ", "16"), ("Tatarstan", "16"), ("Свердловская", "66"),
     ("Sverdlovsk region", "66"), ("ХМАО-Югра", "86"), ("Питер", "78"), ("St. Petersburg", "78")],
)
def test_region_names_people_use(tmp_path, shared, written, code):
    p = write(tmp_path, f"status: Гражданин\nstage: I\nattributes:\n  регион проживания: {written}\n")
    assert attribute_values(load_profile(p, shared.catalogue))["region-of-residence"] == f"region-{code}"


def test_a_single_generic_word_does_not_name_a_life_situation(shared):
    # «бизнес» is a word of one life situation only («Слияние бизнеса»), but it does not name it
    from segmentum.catalogue.view import LookupFailure

    with pytest.raises(LookupFailure):
        shared.catalogue.resolve("life_situation", "бизнес")


@pytest.mark.parametrize(
    "written, stage",
    [("первый", SGM.StageAttributes), ("3-й этап", SGM.StageHypotheses), ("Третий этап", SGM.StageHypotheses),
     ("четвёртый", SGM.StageRefined), ("stage 2", SGM.StageSegmentation)],
)
def test_stage_written_in_words(tmp_path, shared, written, stage):
    p = write(tmp_path, f"status: Гражданин\nstage: {written}\nattributes:\n  пол: мужской\n")
    assert load_profile(p, shared.catalogue).stage == str(stage)


# ---------------------------------------------------------------- errors a newcomer meets

def test_unknown_value_of_a_short_scheme_lists_the_allowed_values(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  пол: средний\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert str(info.value) == f"{p}:4:8: error: «средний» нет в каталоге (значение признака «пол»); допустимые значения: «женский», «мужской»"


def test_unknown_value_of_a_long_scheme_names_the_command_for_that_attribute(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  гражданство: Марс\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert "ATTRIBUTE" not in str(info.value)


def test_unknown_attribute_offers_only_attributes_of_the_status(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  количество детей: 2\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    # not «среднесписочная численность работников», an attribute of business
    assert str(info.value) == f"{p}:4:3: error: «количество детей» нет в каталоге (признак); список: segmentum catalogue list --status citizen"


def test_a_field_given_twice_is_an_error_naming_the_first(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nстатус: business\nattributes:\n  пол: мужской\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert str(info.value).startswith(f"{p}:3:1: error: «статус» указано дважды (первый раз — в строке 1)")


def test_an_unknown_key_inside_a_field_is_named_as_such(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  пол: мужской\nchannels:\n  informing:\n    - channel: ЕПГУ\n      stat: open\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert str(info.value) == f"{p}:8:7: error: неизвестный ключ «stat» в «informing»; возможно, имелось в виду «state»?"


def test_an_unknown_profile_field_lists_the_known_ones(tmp_path, shared):
    p = write(tmp_path, "lang: en\nstatus: Citizen\nstage: I\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert str(info.value).startswith(f"{p}:1:1: error: неизвестное поле профиля «lang»; известные ключи: id, title, status,")


def test_an_empty_file_says_so_with_a_place(tmp_path, shared):
    p = write(tmp_path, "# только комментарий\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert str(info.value).startswith(f"{p}:1:1: error: файл профиля пуст; ")


@pytest.mark.parametrize(
    "body, message",
    [
        ("status: Гражданин\n  stage: I\n", "здесь не может начаться пара «ключ: значение»"),
        ('title: "Студент\nstatus: citizen\n', "кавычка не закрыта до конца файла"),
        ("attributes:\n\t- пол: мужской\n", "табуляция: в YAML отступы делаются только пробелами"),
        ("service: [ЕПГУ, МФЦ\n", "список или словарь в скобках не закрыт: нет «]»"),
    ],
)
def test_yaml_syntax_errors_read_in_russian(tmp_path, shared, body, message):
    p = write(tmp_path, body)
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert message in str(info.value)


def test_a_folder_with_several_wrong_files_names_each_of_them(tmp_path, shared, runner):
    write(tmp_path, "", "a-empty.yaml")
    write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  возрас: 20\n", "b-typo.yaml")
    write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  пол: мужской\n", "c-good.yaml")
    with pytest.raises(ProfileError):
        load_profiles([tmp_path], shared.catalogue)
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [f"{tmp_path}/a-empty.yaml:1:1", f"{tmp_path}/b-typo.yaml:4:3"]


# ---------------------------------------------------------------- commands

def test_two_templates_in_one_folder_do_not_share_an_id(runner, tmp_path):
    for name, status in (("a.yaml", "citizen"), ("b.yaml", "internal")):
        assert runner.invoke(main, ["profile", "new", "--status", status, "-o", str(tmp_path / name)]).exit_code == 0
    assert "# id: " in (tmp_path / "a.yaml").read_text(encoding="utf-8")
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1  # not conforming (nothing filled in), but both load
    assert "проверено профилей: 2" in result.stdout
    assert "нет ни одного заполненного признака" in result.stdout


def test_query_parameter_names_ignore_case_and_separators(runner):
    result = runner.invoke(main, ["query", "profile-attributes", "--param", "profile_id=en-student", str(NEWCOMER / "en-student.yaml")])
    assert result.exit_code == 0, result.output
    assert "Tatarstan" in result.stdout


def test_prioritise_text_keeps_what_the_table_has_no_room_for(runner, tmp_path):
    segments = write(tmp_path, f"сегменты:\n  - профиль: {NEWCOMER / 'ooo-procurement.yaml'}\n  - профиль: {NEWCOMER / 'мама-поликлиника.yaml'}\n", "s.yaml")
    result = runner.invoke(main, ["prioritise", str(segments)])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[:3]
    assert all(len(line.split("|")) == len(header[0].split("|")) for line in header[:2])  # a long header wraps, columns stay aligned
    assert "* «ООО, поставщик по госзаказу», позиция заказчика: Министр просил обратить внимание" in result.stdout
    assert "* «ООО, поставщик по госзаказу», ёмкость сегмента: по открытой статистике не оценить" in result.stdout


def test_english_summary_reads_naturally(runner):
    result = runner.invoke(main, ["--lang", "en", "validate", str(NEWCOMER / "en-student.yaml")])
    assert result.stdout.startswith("Summary: profiles checked: 1; 0 violations, 0 warnings")


def test_complete_keeps_the_bom_and_crlf_line_ends(runner, tmp_path):
    p = tmp_path / "bom-crlf.yaml"
    p.write_bytes((NEWCOMER / "bom-crlf.yaml").read_bytes())
    result = runner.invoke(main, ["profile", "complete", str(p), "--accept", "attribute/dormitory-need"])
    assert result.exit_code == 0, result.output
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") == 10  # eight lines as written, two added
    assert "потребность в общежитии".encode() in raw


@pytest.mark.parametrize("name, start", [("r.html", b"<!DOCTYPE html>"), ("r.md", "# Профиль".encode()), ("r.docx", b"PK")])
def test_report_format_follows_the_output_extension(runner, tmp_path, name, start):
    out = tmp_path / name
    result = runner.invoke(main, ["report", str(NEWCOMER / "soldier-refined.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)


def test_report_to_an_unknown_extension_writes_nothing(runner, tmp_path):
    result = runner.invoke(main, ["report", str(NEWCOMER / "soldier-refined.yaml"), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "«.pdf»" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_sub_command_typed_without_its_group_names_the_full_command(runner):
    result = runner.invoke(main, ["show", "x.yaml"])
    assert result.exit_code == 2
    assert "Возможно, имелось в виду «catalogue show» или «profile show»?" in result.stderr
    result = runner.invoke(main, ["--lang", "en", "show", "x.yaml"])
    assert "Did you mean 'catalogue show' or 'profile show'?" in result.stderr


@pytest.mark.parametrize("written, truth", [("Да", True), ("имеется", True), ("не является", False), ("отсутствует", False)])
def test_yes_no_as_people_write_it(tmp_path, shared, written, truth):
    p = write(tmp_path, f"status: Гражданин\nstage: I\nattributes:\n  многодетная семья: {written}\n")
    assert attribute_values(load_profile(p, shared.catalogue))["large-family"] == Literal(truth)
