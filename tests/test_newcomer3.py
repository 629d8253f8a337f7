"""A third trial as a new user: profiles written from docs/profile-format.md only, run as a user would.

The files in tests/data/newcomer3/ describe young mothers choosing a clinic, pensioners at a repeat
disability examination, adult applicants, tour operators at stage IV, English profiles, teachers
buried in paperwork, a merger of small companies, suppliers in public procurement; the SEGMENTS file
lies in the same folder as the profiles. They use what people write: «от 18 лет до 25 лет», «от 500
тыс. до 1,5 млн руб.», «подтвердилась», statements over several lines, notes in paragraphs, «ПФО»
for a region, «ТК РФ» for the Labour Code, a file saved in Windows-1251. Each test failed before.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from segmentum.catalogue.values import Bounds, parse_number_or_range
from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.namespaces import ACT, SGM, SVC
from segmentum.profiles.reader import load_profile, load_profiles

from .conftest import DATA, attribute_values, write

NEWCOMER3 = DATA / "newcomer3"
CITIZEN = "status: Гражданин\nlife_situation: Покупка автомобиля\nstage: {stage}\nattributes:\n  пол: мужской\n"


def load(shared, name: str):
    return load_profile(NEWCOMER3 / name, shared.catalogue)


# ---------------------------------------------------------------- the profiles as written

def test_every_profile_of_the_third_trial_loads_and_conforms_next_to_its_segments_file(runner):
    result = runner.invoke(main, ["validate", str(NEWCOMER3)])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 12; ошибок: 0" in result.stdout


def test_the_segments_file_next_to_the_profiles_ranks_them_and_feeds_the_report(runner, tmp_path):
    ranked = runner.invoke(main, ["prioritise", str(NEWCOMER3 / "сегменты.yaml"), "-f", "csv"])
    assert ranked.exit_code == 0, ranked.output
    assert "merger-stage2" in ranked.stdout and "Многодетные семьи" in ranked.stdout
    out = tmp_path / "r.md"
    result = runner.invoke(main, ["report", str(NEWCOMER3), "--segments", str(NEWCOMER3 / "сегменты.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Малые АО, объединяющиеся путём слияния" in out.read_text(encoding="utf-8")


def test_a_segments_file_given_as_a_profile_says_what_it_is(runner):
    result = runner.invoke(main, ["validate", str(NEWCOMER3 / "сегменты.yaml")])
    assert result.exit_code == 2
    assert "это файл сегментов (ключ «сегменты»), а не профиль" in result.stderr
    assert "segmentum prioritise" in result.stderr


def test_hidden_files_are_not_profiles_and_an_upper_case_extension_is(tmp_path, shared):
    write(tmp_path, CITIZEN.format(stage="I"), "Профиль.YAML")
    (tmp_path / ".github").mkdir()
    write(tmp_path / ".github", "on: push\njobs: {}\n", "ci.yml")
    (tmp_path / "._Профиль.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    loaded = load_profiles([tmp_path], shared.catalogue)
    assert [p.id for p in loaded] == ["Профиль"]


# ---------------------------------------------------------------- numbers and states

@pytest.mark.parametrize(
    "written, low, high",
    [("от 18 лет до 25 лет", 18, 25),
     ("18 лет - 25 лет", 18, 25),
     ("от 1 года до 3 лет", 1, 3),
     ("от 500 тыс. до 1,5 млн руб.", 500_000, 1_500_000),
     ("от 120 млн до 2 млрд руб.", 120_000_000, 2_000_000_000)],
)
def test_a_range_with_a_unit_after_each_bound(written, low, high):
    assert parse_number_or_range(written) == Bounds(Decimal(low), Decimal(high))


def test_ranges_with_units_in_the_profiles(shared):
    teacher = attribute_values(load(shared, "teacher-stage4.yaml"))
    assert teacher["age"] == (Decimal(35), Decimal(50))  # «от 35 лет до 50 лет»
    assert teacher["length-of-service"] == "length-of-service-1-3"  # «от 1 года до 3 лет» is the band
    merger = attribute_values(load(shared, "merger-stage2.yaml"))
    assert merger["charter-capital"] == (Decimal(500_000), Decimal(1_500_000))


def test_hypothesis_states_written_as_verbs(shared):
    prof = load(shared, "teacher-stage4.yaml")
    states = [st.state for st in prof.statements if st.kind == "journey_feature"]
    assert states == [str(SGM.Confirmed), str(SGM.Refuted)]  # «подтвердилась», «не подтвердилась»
    channels = [st.state for st in prof.statements if st.kind == "channel"]
    assert channels == [str(SGM.Confirmed), str(SGM.Confirmed)]


@pytest.mark.parametrize("written, state", [("проверяется", SGM.Open), ("not confirmed", SGM.Refuted), ("disproved", SGM.Refuted)])
def test_more_hypothesis_states(tmp_path, shared, written, state):
    p = write(tmp_path, CITIZEN.format(stage="I") + f"pains:\n  - text: Очереди\n    state: {written}\n")
    [pain] = load_profile(p, shared.catalogue).statements
    assert pain.state == str(state)


# ---------------------------------------------------------------- errors that say what to do

def test_channels_written_as_a_plain_list_name_informing_and_service(tmp_path, runner):
    p = write(tmp_path, CITIZEN.format(stage="III") + "channels:\n  - Госуслуги\n  - МФЦ\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert f"{p}:7:3: error: поле «channels» должно быть словарём" in result.stderr
    assert "«informing:» (информирование) и «service:» (получение услуг)" in result.stderr


def test_criteria_written_as_a_list_say_to_drop_the_dash(tmp_path, runner):
    p = write(tmp_path, CITIZEN.format(stage="II") + "приоритет:\n  - ёмкость: 100\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "без «-» перед ними" in result.stderr


def test_a_value_under_the_wrong_attribute_names_its_attribute(tmp_path, runner):
    p = write(tmp_path, "status: business\nlife_situation: госзакупки\nstage: I\nattributes:\n  регион места нахождения: ПФО\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«ПФО» — значение признака «федеральный округ»: запишите его под этим признаком" in result.stderr


def test_a_windows_1251_file_is_named_so_with_its_line_and_column(tmp_path, shared):
    p = tmp_path / "p.yaml"
    p.write_bytes("status: citizen\nstage: I\nattributes:\n  пол: мужской\n".encode("cp1251"))
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert "Windows-1251" in info.value.message
    assert (info.value.location.line, info.value.location.column) == (4, 3)


def test_several_values_of_a_single_valued_attribute_one_finding_per_extra_value_at_its_line(tmp_path, runner):
    p = write(tmp_path, "status: internal\nlife_situation: civil service dismissal\nstage: I\nattributes:\n"
                        "  пол:\n    - мужской\n    - женский\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "может быть только одно значение" in line]
    assert len(lines) == 1 and lines[0].lstrip().startswith("7:7 ")


# ---------------------------------------------------------------- what is shown

def test_a_statement_over_several_lines_is_one_line_and_notes_keep_their_lines(shared, runner):
    prof = load(shared, "молодые-мамы-поликлиника.yaml")
    assert "Требуют полис ОМС на бумаге, хотя есть электронный" in [st.text for st in prof.statements]
    path = str(NEWCOMER3 / "disabled-children-parents.yaml")
    shown = runner.invoke(main, ["profile", "show", path]).stdout
    assert "  Сегмент выделен по обращениям в региональное бюро МСЭ.\n\n  Численность уточнить" in shown
    html = runner.invoke(main, ["report", path, "--format", "html"]).stdout
    assert "<p>Сегмент выделен по обращениям в региональное бюро МСЭ.</p>\n<p>Численность уточнить" in html
    md = runner.invoke(main, ["report", str(NEWCOMER3 / "молодые-мамы-поликлиника.yaml"), "--format", "md"]).stdout
    assert "в женских консультациях Новосибирска.\\\nОпрос проводился" in md


@pytest.mark.parametrize(
    "lang, name, lines",
    [("ru", "ip-tourism-stage4.yaml", ["среднесписочная численность работников – не более 15 чел.",
                                       "доход за предшествующий календарный год – 60 000 000 руб.",
                                       "срок деятельности с даты государственной регистрации – менее 1 года"]),
     ("ru", "pensioners-60plus.yaml", ["возраст – свыше 60 лет"]),  # «старше 60» as written (61 and over to the rules)
     ("ru", "merger-stage2.yaml", ["число юридических лиц, участвующих в реорганизации – 2 юридических лица"]),
     ("en", "ip-tourism-stage4.yaml", ["business age – under 1 year", "income for the previous calendar year – 60,000,000 RUB"]),
     ("en", "en-internal-dismissal.yaml", ["age – 45 years and over", "length of state civil service – 10 to 20 years"])],
)
def test_numbers_are_shown_with_the_unit_of_their_attribute(runner, lang, name, lines):
    shown = runner.invoke(main, ["--lang", lang, "profile", "show", str(NEWCOMER3 / name)]).stdout.replace("\u00a0", " ")
    for line in lines:
        assert f"  {line}\n" in shown


def test_band_scale_of_several_statuses_names_each_in_quotes(runner):
    shown = runner.invoke(main, ["catalogue", "show", "стаж работы"]).stdout
    assert "Интервалы для статусов «Внутренний клиент», «Гражданин»:" in shown


# ---------------------------------------------------------------- names

def test_english_names_of_services(shared):
    prof = load(shared, "en-car-buyer.yaml")
    assert prof.services == [str(SVC["vehicle-registration"])]  # «vehicle registration»
    assert shared.catalogue.resolve("service", "passport replacement", "en") == str(SVC["passport-issue"])


@pytest.mark.parametrize(
    "written, act",
    [("ТК РФ", "tk"), ("ГК РФ (часть первая)", "gk-1"), ("ГК РФ (ч. первая)", "gk-1"), ("НК РФ ч. вторая", "nk-2")],
)
def test_codes_of_law_by_the_short_names_segmentum_shows(shared, written, act):
    assert shared.catalogue.resolve("act", written) == str(ACT[act])


def test_the_add_value_example_of_the_help_names_its_act(runner, tmp_path):
    import shutil

    from segmentum.resources import catalogue_files

    folder = tmp_path / "catalogues"  # an installed package's catalogue is not edited in place: a copy, as a user would
    folder.mkdir()
    for f in catalogue_files():
        shutil.copy(f, folder / Path(f).name)
    before = {f.name: f.read_bytes() for f in folder.glob("*.ttl")}
    result = runner.invoke(main, ["catalogue", "add-value", "организационно-правовая форма", "okopf-test", "--label", "тест",
                                  "--label-en", "test", "--act", "ГК РФ (часть первая)", "--article", "ст. 123.2", "--dry-run",
                                  "--catalogue", str(folder)])
    assert result.exit_code == 0, result.output
    assert "ГК РФ (часть первая)" in result.output or "okopf-test" in result.output
    assert {f.name: f.read_bytes() for f in folder.glob("*.ttl")} == before  # a dry run writes nothing


def test_a_teacher_is_an_internal_client_of_its_own_category(shared):
    got = attribute_values(load(shared, "teacher-stage4.yaml"))
    assert got["internal-client-category"] == "internal-category-employee"  # «педагогический работник»
