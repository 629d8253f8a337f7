"""Stage II prioritisation on the shipped example segments: ranks, reasons, estimates, errors."""

from __future__ import annotations

import csv
import json
import math
import re

import pytest

from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.i18n.messages import Lang
from segmentum.namespaces import ATTR, SGM
from segmentum.prioritise.capacity import CapacityEstimate, CapacityGap, estimate_capacity
from segmentum.prioritise.segments import (
    criteria,
    parse_weights_option,
    prioritisation_data,
    prioritise,
    read_segments_file,
    segment_of,
)

from .conftest import DATA, ROOT, load, write

SEGMENTS = ROOT / "examples" / "segments.yaml"
STATS = ROOT / "src" / "segmentum" / "stats"
WITH_SEGMENTS = DATA / "profiles-with-segments"
BUSINESS = ("status: business\nstage: II\nattributes:\n  размер бизнеса: средний\n  регион места нахождения: Татарстан\n"
            "  доход за предшествующий календарный год: до 800 млн руб.\npriority:\n  уникальность проблем: средняя\n  слепая зона: низкая\n")


def population(code: str, ages: range, column: str) -> int:
    with (STATS / "population_age_sex_2024.csv").open(encoding="utf-8") as fh:
        return sum(int(r[column]) for r in csv.DictReader(fh) if r["code"] == code and r["age"] != "100+" and int(r["age"]) in ages)


def sme(code: str) -> int:
    with (STATS / "msp_register_2026-09-10.csv").open(encoding="utf-8") as fh:
        return next(int(r["msp_total"]) for r in csv.DictReader(fh) if r["code"] == code)


@pytest.fixture(scope="module")
def ranked(shared):
    parsed = read_segments_file(SEGMENTS, shared.catalogue, Lang.RU)
    weights = {c: w for c, (w, _) in parsed.weights.items()}
    return prioritise(parsed.segments, shared.catalogue, Lang.RU, weights=weights)


def by_id(ranked, sid):
    return next(r for r in ranked.rows if r.segment.id == sid)


def test_criteria_and_default_weights_come_from_the_ontology(shared):
    crit = criteria(shared.catalogue)
    assert list(crit) == [str(SGM.Capacity), str(SGM.Satisfaction), str(SGM.UniquenessOfProblems), str(SGM.BlindZone), str(SGM.CustomerPosition)]
    assert [c.group for c in crit.values()] == ["main", "main", "additional", "additional", "additional"]
    assert [c.default_weight for c in crit.values()] == [2.0, 2.0, 1.0, 1.0, 1.0]


def test_the_example_segments_are_ranked_with_a_reason_each(ranked):
    assert [r.rank for r in ranked.rows] == list(range(1, 8))
    assert {r.segment.id for r in ranked.rows} >= {"student-neighbour-region", "tour-operator-regular-tours", "young-soldier", "name-change-after-marriage"}
    totals = [r.total for r in ranked.rows]
    assert totals == sorted(totals, reverse=True)
    assert all(r.reason for r in ranked.rows)
    assert ranked.rows[0].segment.id == "student-neighbour-region"


def test_scores_follow_the_documented_scales(ranked):
    disability = by_id(ranked, "disability-repeat-examination")
    sat = disability.segment.assessments[str(SGM.Satisfaction)]
    assert sat.score == pytest.approx((5 - 3.1) / 4)  # satisfaction 3.1 of 5: low satisfaction scores high
    assert disability.segment.assessments[str(SGM.BlindZone)].score == 1.0  # «высокая — …»
    assert disability.segment.assessments[str(SGM.BlindZone)].note.startswith("часть граждан")
    family = by_id(ranked, "large-family-car-purchase")
    position = family.segment.assessments[str(SGM.CustomerPosition)]
    assert position.score == 1.0 and "обращения многодетных семей" in position.note  # free text: in focus
    soldier = by_id(ranked, "young-soldier")
    assert soldier.segment.assessments[str(SGM.CustomerPosition)].score == 0.0  # «нет»
    # capacity on a log scale against the largest segment
    largest = max(r.segment.assessments[str(SGM.Capacity)].number for r in ranked.rows
                  if str(SGM.Capacity) in r.segment.assessments and r.segment.assessments[str(SGM.Capacity)].number)
    cap = disability.segment.assessments[str(SGM.Capacity)]
    assert cap.score == pytest.approx(math.log10(12001) / math.log10(largest + 1))
    # the total is the weighted mean of the scores
    w = ranked.weights
    expected = 100 * sum(w[c] * a.score for c, a in disability.segment.assessments.items()) / sum(w.values())
    assert disability.total == pytest.approx(expected)


def test_capacity_estimates_match_the_shipped_tables(ranked):
    student = by_id(ranked, "student-neighbour-region").segment.assessments[str(SGM.Capacity)]
    assert student.estimate is not None and student.estimate.table == "population_age_sex_2024.csv"
    assert student.number == population("50", range(20, 21), "male")  # Московская область, мужчины, 20 лет
    bride = by_id(ranked, "name-change-after-marriage").segment.assessments[str(SGM.Capacity)]
    assert bride.number == population("77", range(20, 36), "female")  # Москва, женщины 20–35 лет
    # the register counts SMEs by region only: a segment defined by more is not estimated, and says by what
    business = by_id(ranked, "small-business-procurement").segment.assessments[str(SGM.Capacity)]
    assert business.number is None and business.shown == "не оценить" and business.estimate is None
    assert business.note.startswith("нет открытой статистики по «наличие опыта исполнения контракта», «организационно-правовая форма»")
    assert business.note.endswith("и «тип субъекта экономической деятельности»")
    soldier = by_id(ranked, "young-soldier").segment.assessments[str(SGM.Capacity)]  # not every 22–25-year-old in Russia
    assert soldier.number is None and soldier.note == "нет открытой статистики по «вид службы», «возраст» и «стаж работы»"
    tour = by_id(ranked, "tour-operator-regular-tours").segment
    assert str(SGM.Capacity) not in tour.assessments


def test_the_reason_names_the_strongest_and_the_missing_criteria(ranked):
    tour = by_id(ranked, "tour-operator-regular-tours")
    assert "уникальность проблем — высокая" in tour.reason
    assert "нет данных: ёмкость сегмента" in tour.reason


def test_weights_change_the_order(shared):
    parsed = read_segments_file(SEGMENTS, shared.catalogue, Lang.RU)
    only_blind_zone = parse_weights_option(shared.catalogue, "ёмкость=0, удовлетворённость=0, уникальность проблем=0, слепая зона=1, позиция заказчика=0",
                                           Lang.RU)
    ranked = prioritise(parsed.segments, shared.catalogue, Lang.RU, weights=only_blind_zone)
    assert ranked.rows[0].segment.id == "disability-repeat-examination"  # the only «высокая» blind zone
    assert ranked.rows[0].total == 100.0


def test_prioritise_command_text_json_csv(runner):
    text = runner.invoke(main, ["prioritise", str(SEGMENTS)])
    assert text.exit_code == 0, text.output
    assert "Студент, проживающий в соседнем" in text.stdout and "оценка по открытой статистике" in text.stdout
    assert "population_age_sex_2024.csv" in text.stdout and "учтены все признаки сегмента: возраст, пол, регион проживания" in text.stdout
    js = runner.invoke(main, ["prioritise", str(SEGMENTS), "-f", "json"])
    data = json.loads(js.stdout)
    assert [r["rank"] for r in data["rows"]] == list(range(1, 8))
    assert data["rows"][0]["criteria"]["Capacity"]["estimate"] is True
    rows = list(csv.reader(runner.invoke(main, ["prioritise", str(SEGMENTS), "-f", "csv"]).stdout.splitlines()))
    assert rows[0][:3] == ["Место", "Сегмент", "Баллы"] and len(rows) == 8
    # numbers as a spreadsheet reads them: the score with a point, the capacity without grouping or «≈»
    capacity = rows[0].index("ёмкость сегмента")
    assert [float(r[2]) for r in rows[1:]] == [r["score"] for r in data["rows"]]
    assert int(rows[1][capacity]) == round(data["rows"][0]["criteria"]["Capacity"]["number"])
    assert rows[2][capacity] == "12000" and "≈" in rows[1][-2]  # the reason still says it is an estimate


def test_prioritise_in_english(runner):
    result = runner.invoke(main, ["--lang", "en", "prioritise", str(SEGMENTS)])
    assert result.exit_code == 0
    assert "Rank" in result.stdout and "capacity" in result.stdout and "estimated from open statistics" in result.stdout
    assert "no open statistics cover «age», «kind of service» and «length of service»" in result.stdout


def test_weights_option_overrides_the_file(runner):
    result = runner.invoke(main, ["prioritise", str(SEGMENTS), "--weights", "слепая зона=10", "-f", "json"])
    data = json.loads(result.stdout)
    assert next(c for c in data["criteria"] if c["id"] == "BlindZone")["weight"] == 10
    assert data["rows"][0]["id"] == "disability-repeat-examination"


def write_segments(tmp_path, body: str):
    (tmp_path / "profiles").mkdir(exist_ok=True)
    for source in (ROOT / "examples" / "profiles").glob("*.yaml"):
        (tmp_path / "profiles" / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "segments.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, where, words", [
    ("segments:\n  - profile: profiles/young-soldier.yaml\n    criteria:\n      слепая зона: высоченная\n", ":4:20:", "«высокая»"),
    ("segments:\n  - profile: profiles/young-soldier.yaml\n    criteria:\n      популярность: высокая\n", ":4:7:", "критерий приоритизации"),
    ("weights:\n  ёмкасть: 2\nsegments:\n  - profile: profiles/young-soldier.yaml\n", ":2:3:", "«ёмкость сегмента»"),
    ("weights:\n  ёмкость: много\nsegments:\n  - profile: profiles/young-soldier.yaml\n", ":2:3:", "вес"),
    ("segments:\n  - profile: profiles/nobody.yaml\n", ":2:14:", "относительно файла сегментов"),
    ("segmets:\n  - profile: profiles/young-soldier.yaml\n", ":1:1:", "«segments»"),
    ("segments:\n  - profile: profiles/young-soldier.yaml\n    criteria:\n      ёмкость: тысячи\n", ":4:16:", "«оценка»"),
    ("segments:\n  - profile: profiles/young-soldier.yaml\n    criteria:\n      удовлетворённость: 7.5 баллов\n", ":4:26:", "от 1 до 5"),
    ("segments:\n  - profile: profiles/young-soldier.yaml\n  - profile: profiles/young-soldier.yaml\n", ":3:5:", "дважды"),
])
def test_bad_segments_files_name_the_place_and_what_to_do(runner, tmp_path, body, where, words):
    path = write_segments(tmp_path, body)
    result = runner.invoke(main, ["prioritise", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}{where}" in result.stderr, result.stderr
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_inline_segment_reads_like_a_profile(shared, tmp_path):
    path = write_segments(tmp_path, (
        "сегменты:\n"
        "  - название: Пенсионеры Татарстана\n"
        "    статус: Гражданин\n"
        "    жс: Получение плановой медицинской помощи\n"
        "    признаки:\n      возраст: 65-100\n      регион проживания: Татарстан\n"
        "    критерии:\n      ёмкость: оценка\n      удовлетворённость: 72 %\n"
    ))
    parsed = read_segments_file(path, shared.catalogue, Lang.RU)
    seg = parsed.segments[0]
    assert seg.id == "segments-1" and seg.title == "Пенсионеры Татарстана"
    assert seg.assessments[str(SGM.Capacity)].number == population("16", range(65, 100), "total") + population_100("16")
    assert seg.assessments[str(SGM.Satisfaction)].score == pytest.approx(0.28)


def population_100(code: str) -> int:
    with (STATS / "population_age_sex_2024.csv").open(encoding="utf-8") as fh:
        return sum(int(r["total"]) for r in csv.DictReader(fh) if r["code"] == code and r["age"] == "100+")


def test_capacity_that_cannot_be_estimated_says_so(shared, tmp_path):
    path = write_segments(tmp_path, (
        "segments:\n  - title: Туроператор без размера\n    status: business\n    service: реестр туроператоров\n"
        "    attributes:\n      ОПФ: ООО\n    priority:\n      capacity: estimate\n"
    ))
    parsed = read_segments_file(path, shared.catalogue, Lang.RU)
    cap = parsed.segments[0].assessments[str(SGM.Capacity)]
    assert cap.number is None and cap.shown == "не оценить" and cap.note == "нет открытой статистики по «организационно-правовая форма»"
    data = prioritisation_data(prioritise(parsed.segments, shared.catalogue, Lang.RU), shared.catalogue, Lang.RU)
    assert data["rows"][0]["criteria"]["Capacity"]["value"] == "не оценить" and data["rows"][0]["apart"] is True


def test_profile_priority_errors_point_into_the_profile(shared, tmp_path):
    path = write_segments(tmp_path, (
        "segments:\n  - status: Гражданин\n    life_situation: Поступление в вуз\n    attributes:\n      пол: мужской\n"
        "    priority:\n      слепая зона:\n        value: огромная\n        source: опрос\n"
    ))
    with pytest.raises(ProfileError) as err:
        read_segments_file(path, shared.catalogue, Lang.RU)
    assert str(err.value).startswith(f"{path}:8:16: error: «огромная»")


def test_the_example_in_the_docs_reads(shared, tmp_path):
    doc = (ROOT / "docs" / "prioritise.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", doc, flags=re.DOTALL).group(1)
    parsed = read_segments_file(write_segments(tmp_path, block), shared.catalogue, Lang.RU)
    assert [s.id for s in parsed.segments] == ["student-neighbour-region", "disability-repeat-examination", "name-change-after-marriage"]
    student = parsed.segments[0].assessments
    assert student[str(SGM.Satisfaction)].source == "опрос абитуриентов, шкала 1–5"
    assert student[str(SGM.Capacity)].estimate is not None
    ranked = prioritise(parsed.segments, shared.catalogue, Lang.RU, weights={c: w for c, (w, _) in parsed.weights.items()})
    assert len(ranked.rows) == 3


# ---------------------------------------------------------------- segments and criteria as methodologists write them

def test_prioritise_text_keeps_what_the_table_has_no_room_for(runner, tmp_path):
    profiles = DATA / "profiles"
    segments = write(tmp_path, f"сегменты:\n  - профиль: {profiles / 'ooo-procurement.yaml'}\n  - профиль: {profiles / 'мама-поликлиника.yaml'}\n", "s.yaml")
    result = runner.invoke(main, ["prioritise", str(segments)])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[:3]
    assert all(len(line.split("|")) == len(header[0].split("|")) for line in header[:2])  # a long header wraps, columns stay aligned
    assert "* «ООО, поставщик по госзаказу», позиция заказчика: Министр просил обратить внимание" in result.stdout
    assert "* «ООО, поставщик по госзаказу», ёмкость сегмента: нет открытой статистики по «организационно-правовая форма»" in result.stdout


def test_the_segments_file_next_to_the_profiles_ranks_them_and_feeds_the_report(runner, tmp_path):
    ranked = runner.invoke(main, ["prioritise", str(WITH_SEGMENTS / "сегменты.yaml"), "-f", "csv"])
    assert ranked.exit_code == 0, ranked.output
    assert "merger-stage2" in ranked.stdout and "Многодетные семьи" in ranked.stdout
    out = tmp_path / "r.md"
    result = runner.invoke(main, ["report", str(WITH_SEGMENTS), "--segments", str(WITH_SEGMENTS / "сегменты.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Малые АО, объединяющиеся путём слияния" in out.read_text(encoding="utf-8")


def test_the_segments_file_ranks_a_segment_written_with_paraphrases(runner):
    result = runner.invoke(main, ["prioritise", str(DATA / "labels" / "segments.yaml"), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "Граждане старше 65 без доступа к интернету" in result.stdout
    assert "Пенсионеры старше 65, впервые оформляющие инвалидность" in result.stdout


def test_a_stage_ii_value_prioritise_would_refuse_is_refused_when_loading(tmp_path, runner):
    p = write(tmp_path, "status: citizen\nstage: II\nattributes:\n  пол: мужской\npriority:\n  ёмкость: много\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{p}:6:12: ошибка: «много» — не число для критерия «ёмкость»")


@pytest.mark.parametrize("written, number", [("15 тыс.", 15000), ("около 300 человек в год", 300), ("~1 200", 1200), ("1,5 млн", 1_500_000)])
def test_capacity_as_people_write_it(shared, written, number):
    prof = load(f"status: citizen\nstage: II\nattributes:\n  пол: мужской\npriority:\n  ёмкость: {written}\n", shared)
    seg = segment_of(prof, shared.catalogue, "ru")
    assert seg.assessments[next(iter(seg.assessments))].number == number


def test_stage_ii_levels_are_shown_in_english(runner, tmp_path):
    shown = runner.invoke(main, ["--lang", "en", "profile", "show", str(write(tmp_path, BUSINESS))]).stdout
    assert "  uniqueness of problems: medium\n  blind zone: low\n" in shown


def test_the_sme_register_cannot_count_one_business_size(shared):
    prof = load(BUSINESS, shared)
    gap = estimate_capacity(shared.catalogue, prof.status, prof.attributes)
    assert isinstance(gap, CapacityGap) and gap.reason == "attributes"
    assert str(ATTR["business-size"]) in gap.attributes and len(gap.attributes) == 2  # one size, and the revenue


def test_the_sme_register_counts_small_and_medium_businesses_of_a_region(shared):
    prof = load("status: business\nattributes:\n  размер бизнеса: [микро, малый, средний]\n  регион места нахождения: Татарстан\n", shared)
    est = estimate_capacity(shared.catalogue, prof.status, prof.attributes)
    assert isinstance(est, CapacityEstimate) and est.value == sme("16") and est.source.publisher == "ФНС России"
    assert sorted(est.used) == sorted([str(ATTR["region-of-location"]), str(ATTR["business-size"])])
    # without a size the segment holds large businesses too, which the register does not count
    prof = load("status: business\nattributes:\n  регион места нахождения: Татарстан\n", shared)
    assert estimate_capacity(shared.catalogue, prof.status, prof.attributes).reason == "business_size"


def test_an_attribute_no_table_reflects_leaves_the_capacity_unestimated(shared):
    # «teachers aged 30–45»: the population table knows ages, not occupations; counting every Russian aged 30–45 would rank it first
    prof = load("status: citizen\nattributes:\n  возраст: 30-45\n  вид службы: гражданская\n", shared)
    gap = estimate_capacity(shared.catalogue, prof.status, prof.attributes)
    assert isinstance(gap, CapacityGap) and gap.attributes == [str(ATTR["service-kind"])]


def servants(column: str) -> int:
    with (STATS / "civil_servants_2021.csv").open(encoding="utf-8") as fh:
        return sum(int(r[column]) for r in csv.DictReader(fh))


def test_civil_and_municipal_servants_are_counted_from_rosstat(shared):
    cat = shared.catalogue
    municipal = load("status: internal\nattributes:\n  вид службы: муниципальная служба\n", shared)
    est = estimate_capacity(cat, municipal.status, municipal.attributes)
    assert est.value == servants("municipal_total") == 293_183 and est.table == "civil_servants_2021.csv"
    both = load("status: internal\nattributes:\n  вид службы: [гражданская, муниципальная служба]\n", shared)
    assert estimate_capacity(cat, both.status, both.attributes).value == 925_305  # Rosstat's total for Russia, federal level included
    civil = load("status: internal\nattributes:\n  вид службы: гражданская\n", shared)
    assert estimate_capacity(cat, civil.status, civil.attributes).value == 925_305 - 293_183
    soldier = load("status: internal\nattributes:\n  вид службы: военная\n", shared)
    assert estimate_capacity(cat, soldier.status, soldier.attributes).attributes == [str(ATTR["service-kind"])]
    aged = load("status: internal\nattributes:\n  возраст: 30-45\n", shared)
    assert estimate_capacity(cat, aged.status, aged.attributes).reason == "attributes"


def test_several_values_of_an_attribute_add_up(shared):
    prof = load("status: citizen\nattributes:\n  регион проживания: [Москва, Московская область]\n  возраст: [18-25, 60]\n", shared)
    est = estimate_capacity(shared.catalogue, prof.status, prof.attributes)
    ages = [*range(18, 26), 60]
    assert est.value == population("77", ages, "total") + population("50", ages, "total")
    assert est.region is None and len(est.regions) == 2


def test_a_segment_whose_capacity_is_unknown_is_ranked_apart(shared, tmp_path):
    known = load(write(tmp_path, "title: Б\nstatus: citizen\nstage: II\nattributes:\n  пол: мужской\npriority:\n  ёмкость: 10\n", "b.yaml"), shared)
    unknown = load(write(tmp_path, "title: А\nstatus: business\nstage: II\nattributes:\n  пол: мужской\npriority:\n  ёмкость: оценка\n"
                         "  удовлетворённость: 1\n  слепая зона: высокая\n", "a.yaml"), shared)
    segments = [segment_of(p, shared.catalogue, Lang.RU) for p in (unknown, known)]
    ranked = prioritise(segments, shared.catalogue)
    assert [r.segment.title for r in ranked.rows] == ["Б", "А"] and ranked.rows[0].total < ranked.rows[1].total
    assert ranked.rows[1].apart and ranked.rows[1].reason.endswith("ёмкость не известна: ранжирован отдельно, после сегментов с известной ёмкостью")
    without_capacity = parse_weights_option(shared.catalogue, "ёмкость=0", Lang.RU)  # capacity does not count: one ranking
    assert [r.segment.title for r in prioritise(segments, shared.catalogue, weights=without_capacity).rows] == ["А", "Б"]


def test_a_tie_without_capacities_says_it_is_ranked_by_title(shared, tmp_path):
    profiles = [load(write(tmp_path, f"title: {t}\nstatus: citizen\nstage: I\nattributes:\n  пол: мужской\n", f"{t}.yaml"), shared)
                for t in ("Б", "А")]
    ranked = prioritise([segment_of(p, shared.catalogue, "ru") for p in profiles], shared.catalogue)
    assert [r.segment.title for r in ranked.rows] == ["А", "Б"]
    assert ranked.rows[1].reason.endswith("баллы и ёмкость равны с предыдущим, порядок — по названию")


def test_a_criterion_that_leans_on_a_claim_the_law_does_not_support_is_flagged(shared, tmp_path):
    # the methodology's own example ranked the tour operator on «стаж не менее 5 лет», which 132-ФЗ does not require
    path = write_segments(tmp_path, (
        "segments:\n  - title: Туроператор\n    status: business\n    service: реестр туроператоров\n"
        "    attributes:\n      ОПФ: ООО\n    priority:\n      уникальность проблем: высокая — стаж не менее 5 лет и договор страхования\n"
    ))
    parsed = read_segments_file(path, shared.catalogue, Lang.RU)
    data = prioritisation_data(prioritise(parsed.segments, shared.catalogue, Lang.RU), shared.catalogue, Lang.RU)
    flagged = [r for r in data["remarks"] if "не подтверждается" in r]
    assert flagged == ["«Туроператор», уникальность проблем: «стаж не менее 5 лет и договор страхования» — не подтверждается: "
                       "132-ФЗ (ст. 4.1, ч. 3) не требует стажа: руководитель туроператора, его заместитель и главный бухгалтер не должны "
                       "иметь неснятой или непогашенной судимости за умышленное преступление, более трёх правонарушений в сфере туризма "
                       "за год до подачи документов и дисквалификации"]
    shipped = prioritisation_data(prioritise(read_segments_file(SEGMENTS, shared.catalogue, Lang.RU).segments, shared.catalogue),
                                  shared.catalogue, Lang.RU)
    assert not [r for r in shipped["remarks"] if "не подтверждается" in r]  # the examples no longer lean on it
