"""Numbers and ranges as people write them: «60 лет и старше», «до 15 человек», «от 500 тыс. до 1,5 млн руб.».

How a written number or range is parsed, what it becomes in a profile (a band of the catalogue, a range,
a number), and how it is shown again with the unit of its attribute.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal

from segmentum.catalogue.values import Bounds, parse_number_or_range
from segmentum.cli.main import main
from segmentum.errors import ProfileError

from .conftest import DATA, attribute_values, load, write

LABELS = DATA / "labels" / "profiles"
WITH_SEGMENTS = DATA / "profiles-with-segments"


# ---------------------------------------------------------------- parsing

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
    "written, low, high",
    [("от 18 лет до 25 лет", 18, 25),
     ("18 лет - 25 лет", 18, 25),
     ("от 1 года до 3 лет", 1, 3),
     ("от 500 тыс. до 1,5 млн руб.", 500_000, 1_500_000),
     ("от 120 млн до 2 млрд руб.", 120_000_000, 2_000_000_000)],
)
def test_a_range_with_a_unit_after_each_bound(written, low, high):
    assert parse_number_or_range(written) == Bounds(Decimal(low), Decimal(high))


# ---------------------------------------------------------------- in a profile: a band, a range or a number

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
def test_age_of_a_citizen(shared, written, expected):
    assert attribute_values(load(f"status: Гражданин\nstage: I\nattributes:\n  возраст: {written}\n", shared))["age"] == expected


def test_a_band_of_another_status_still_wins_over_an_open_range(shared):
    prof = load("status: business\nstage: I\nattributes:\n  стаж работы: до 1 года\n", shared)
    assert attribute_values(prof)["length-of-service"] == "length-of-service-0"


def test_ranges_with_units_in_the_profiles(shared):
    teacher = attribute_values(load(WITH_SEGMENTS / "teacher-stage4.yaml", shared))
    assert teacher["age"] == (Decimal(35), Decimal(50))  # «от 35 лет до 50 лет»
    assert teacher["length-of-service"] == "length-of-service-1-3"  # «от 1 года до 3 лет» is the band
    merger = attribute_values(load(WITH_SEGMENTS / "merger-stage2.yaml", shared))
    assert merger["charter-capital"] == (Decimal(500_000), Decimal(1_500_000))


def test_up_to_an_age_stops_short_of_it_as_laws_write_ages(shared, runner):
    prof = load(LABELS / "children-medical.yaml", shared)
    assert attribute_values(prof)["age"] == (Decimal(0), Decimal(13))  # «до 14 лет»: not yet 14
    shown = runner.invoke(main, ["profile", "show", str(LABELS / "children-medical.yaml")])
    assert "  возраст – менее 14 лет\n" in shown.stdout
    shown = runner.invoke(main, ["--lang", "en", "profile", "show", str(LABELS / "children-medical.yaml")])
    assert "  age – under 14 years\n" in shown.stdout


def test_up_to_three_years_of_service_is_not_the_band_one_to_three(shared):
    values = attribute_values(load("status: internal\nstage: I\nlife_situation: увольнение с госслужбы\nattributes:\n"
                                   "  стаж работы: до 3 лет\n  возраст: до 18 лет\n", shared))
    assert values["length-of-service"] == (Decimal(0), Decimal(2))
    assert values["age"] == "age-citizen-0-17"  # the band «до 18» (0–17) still names itself
    prof = load(LABELS / "ip-patent-hiring.yaml", shared)
    assert attribute_values(prof)["average-headcount"] == (Decimal(0), Decimal(15))  # «до 15 человек» includes 15


def test_after_an_age_is_older_than_it(shared):
    prof = load("status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  возраст: после 60\n", shared)
    assert attribute_values(prof)["age"] == (Decimal(61), Decimal(120))


# ---------------------------------------------------------------- several ranges on one line

def test_two_ranges_on_one_line_for_a_single_valued_attribute_say_it_takes_one_value(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: Поступление в вуз\nattributes:\n  возраст: 18-25, 26-35\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«18-25, 26-35» — не число и не интервал для признака «возраст»; у признака «возраст» одно значение" in result.stderr
    english = runner.invoke(main, ["--lang", "en", "validate", str(p)])
    assert "the attribute «age» takes one value" in english.stderr
    one = runner.invoke(main, ["validate", str(write(tmp_path, "status: citizen\nstage: I\nattributes:\n  возраст: восемнадцать\n"))])
    assert "запишите число (20), интервал (22-25)" in one.stderr  # not several values: the usual hint


def test_two_ranges_on_one_line_for_a_multi_valued_attribute_suggest_a_list(shared, monkeypatch):
    age = next(a for a in shared.catalogue.attributes if a.endswith("/age"))
    monkeypatch.setattr(shared.catalogue.attributes[age], "multi_valued", True)
    with pytest.raises(ProfileError) as e:
        load("status: citizen\nstage: I\nattributes:\n  возраст: 18-25; 26-35\n", shared)
    assert str(e.value).endswith("несколько значений запишите списком: «- 18-25» и «- 26-35» на отдельных строках или [18-25, 26-35]")
    assert e.value.location.line == 4


# ---------------------------------------------------------------- shown with their unit

def test_an_open_range_is_shown_as_open(runner, tmp_path):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  возраст: 60 лет и старше\n")
    assert "  возраст – 60 лет и более\n" in runner.invoke(main, ["profile", "show", str(p)]).stdout


def test_large_numbers_are_grouped_and_an_upper_bound_reads_as_one(runner, tmp_path):
    p = str(write(tmp_path, "status: business\nstage: II\nattributes:\n  размер бизнеса: средний\n  регион места нахождения: Татарстан\n"
                            "  доход за предшествующий календарный год: до 800 млн руб.\npriority:\n  уникальность проблем: средняя\n"
                            "  слепая зона: низкая\n"))
    shown = runner.invoke(main, ["profile", "show", p]).stdout
    assert "  доход за предшествующий календарный год – не более 800\u00a0000\u00a0000 руб.\n" in shown
    shown = runner.invoke(main, ["--lang", "en", "profile", "show", p]).stdout
    assert "  income for the previous calendar year – up to 800,000,000 RUB\n" in shown


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
    shown = runner.invoke(main, ["--lang", lang, "profile", "show", str(WITH_SEGMENTS / name)]).stdout.replace("\u00a0", " ")
    for line in lines:
        assert f"  {line}\n" in shown
