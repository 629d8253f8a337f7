"""A fourth trial as a new user: label matching and the documented format, stressed with what people type.

The files in tests/data/newcomer4/profiles/ were written from docs/profile-format.md only, as
different methodologists would: pensioners at their first disability examination, young drivers,
applicants who need a dormitory, sole proprietors on a patent hiring a first worker, self-employed
suppliers, merging companies, civil servants leaving the service, teachers, parents of small
children, women changing their surname, English keys, YAML anchors, employers of foreign workers,
tour operators. They write «физ. лицо», «юр. лицо», «сотрудник ведомства», «возрастная группа:
старше 65», «субъект РФ: Татарстан», «Санкт Петербург», «SMS», «Почта России» for informing,
«допуск к государственной тайне: нет», «учитель», «В2В» in Cyrillic, Russian words with Latin
look-alike letters, «до 14 лет», «стаж работы: до 3 лет», YAML's «off». tests/data/newcomer4/bad/
holds the files with YAML quirks (tabs, duplicate keys, a list for a text, a text for a list …),
and segments.yaml ranks four of the segments. Each test failed before.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from segmentum.catalogue.labels import normalize
from segmentum.catalogue.view import LookupFailure
from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.profiles.reader import load_profile

from .conftest import DATA, attribute_values, write

NEWCOMER4 = DATA / "newcomer4"
PROFILES = NEWCOMER4 / "profiles"
BAD = NEWCOMER4 / "bad"
ST = "https://w3id.org/segmentum/id/status/"
CH = "https://w3id.org/segmentum/id/channel/"
VAL = "https://w3id.org/segmentum/id/value/"


def load(shared, path):
    return load_profile(path, shared.catalogue)


def channels_of(prof) -> list[tuple[str, str]]:
    """(purpose, channel) of each channel preference, by local names."""
    return [(st.purpose.rsplit("#", 1)[1], st.channel.rsplit("/", 1)[1]) for st in prof.statements if st.kind == "channel"]


# ---------------------------------------------------------------- the profiles as written

def test_every_profile_of_the_fourth_trial_loads_and_conforms(runner):
    result = runner.invoke(main, ["validate", str(PROFILES)])
    assert result.exit_code == 0, result.output
    assert "проверено профилей: 17; ошибок: 0" in result.stdout


def test_the_folder_in_english_and_as_json(runner):
    result = runner.invoke(main, ["--lang", "en", "validate", str(PROFILES), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is True and len(report["checked"]) == 17
    assert report["results"] and all("add" in r["message"] and "добавьте" not in r["message"] for r in report["results"])


def test_the_segments_file_ranks_a_segment_written_with_paraphrases(runner):
    result = runner.invoke(main, ["prioritise", str(NEWCOMER4 / "segments.yaml"), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "Граждане старше 65 без доступа к интернету" in result.stdout
    assert "Пенсионеры старше 65, впервые оформляющие инвалидность" in result.stdout


def test_the_stage_four_report_in_markdown(runner, golden, monkeypatch):
    monkeypatch.chdir(NEWCOMER4)
    result = runner.invoke(main, ["report", "profiles/dismissed-officers.yaml", "--format", "md"])
    assert result.exit_code == 0, result.output
    golden("newcomer4-dismissed-officers.md", result.stdout)


# ---------------------------------------------------------------- statuses and attributes as people name them

@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("юр. лицо", "business"),
        ("юр лицо", "business"),
        ("сотрудник ведомства", "internal"),
        ("государственный служащий", "internal"),
        ("муниципальный служащий", "internal"),
        ("иностранный гражданин", "citizen"),
        ("Грaжданин", "citizen"),  # a Latin «a»
    ],
)
def test_statuses_as_methodologists_write_them(shared, written, status):
    assert shared.catalogue.resolve("status", written) == ST + status


def test_a_region_called_subject_of_the_federation_is_the_status_s_own_region(shared):
    citizen = load(shared, PROFILES / "young-drivers.yaml")
    assert attribute_values(citizen)["region-of-residence"] == "region-16"
    business = shared.catalogue.resolve("attribute", "субъект РФ", status=ST + "business")
    assert business.endswith("/region-of-location")


def test_an_age_group_is_the_age_not_the_patient_s_age_group(shared):
    prof = load(shared, PROFILES / "pensioner-mse.yaml")
    assert attribute_values(prof)["age"] == (Decimal(66), Decimal(120))


def test_latin_look_alike_letters_inside_russian_words(shared):
    prof = load(shared, PROFILES / "veterans-latin.yaml")
    assert prof.status == ST + "citizen"
    values = attribute_values(prof)
    assert values["region-of-residence"] == "region-61"
    assert values["veteran-category"] == "veteran-category-combat"


def test_a_code_typed_in_cyrillic_letters_is_the_latin_code(shared, tmp_path):
    p = write(tmp_path, "status: business\nstage: I\nlife_situation: госзакупки\nattributes:\n  тип рыночных отношений: В2В, В2С\n")
    prof = load(shared, p)
    assert [av.value.rsplit("/", 1)[1] for av in prof.attributes] == ["market-relation-b2b", "market-relation-b2c"]


def test_look_alikes_do_not_join_words_of_one_script():
    assert normalize("Грaжданин") == "гражданин"
    assert normalize("B2B") == normalize("В2В") == "b2b"
    assert normalize("ОКВЭД 79.12") == "оквэд 79.12" and normalize("2-НДФЛ") == "2-ндфл"  # no letters round a digit


def test_a_hyphenated_name_with_a_space(shared):
    prof = load(shared, PROFILES / "dismissed-officers.yaml")
    assert attribute_values(prof)["region-of-residence"] == "region-78"  # «Санкт Петербург»


@pytest.mark.parametrize(
    ("attribute", "written", "value"),
    [
        ("функция педагогического работника", "учитель", "teacher-role-subject-teacher"),
        ("вид полиса ОМС", "электронный", "oms-policy-kind-unified"),
        ("допуск к государственной тайне", "нет", "state-secret-clearance-none"),
        ("особые права при приёме", "нет", "admission-special-right-none"),
    ],
)
def test_values_as_people_answer(shared, attribute, written, value):
    cat = shared.catalogue
    assert cat.resolve_value(cat.resolve("attribute", attribute), written) == VAL + value


def test_a_no_under_an_attribute_without_it_does_not_send_it_to_another_attribute(shared, tmp_path):
    p = write(tmp_path, "status: internal\nstage: I\nlife_situation: увольнение с госслужбы\nattributes:\n"
                        "  категория должностей гражданской службы: нет\n")
    with pytest.raises(ProfileError) as err:
        load(shared, p)
    assert "«нет» нет в каталоге" in str(err.value)
    assert "вид службы" not in str(err.value) and "допуск" not in str(err.value)


# ---------------------------------------------------------------- channels

def test_sms_is_the_phone_and_the_post_informs(shared, runner):
    prof = load(shared, PROFILES / "name-change.yaml")
    assert ("Informing", "phone") in channels_of(prof)
    pensioners = runner.invoke(main, ["validate", str(PROFILES / "pensioner-mse.yaml")])
    assert pensioners.exit_code == 0, pensioners.output  # «Почта России» under informing
    assert ("Informing", "post") in channels_of(load(shared, PROFILES / "pensioner-mse.yaml"))


# ---------------------------------------------------------------- numbers of years

def test_up_to_an_age_stops_short_of_it_as_laws_write_ages(shared, runner):
    prof = load(shared, PROFILES / "children-medical.yaml")
    assert attribute_values(prof)["age"] == (Decimal(0), Decimal(13))  # «до 14 лет»: not yet 14
    shown = runner.invoke(main, ["profile", "show", str(PROFILES / "children-medical.yaml")])
    assert "  возраст – менее 14 лет\n" in shown.stdout
    shown = runner.invoke(main, ["--lang", "en", "profile", "show", str(PROFILES / "children-medical.yaml")])
    assert "  age – under 14 years\n" in shown.stdout


def test_up_to_three_years_of_service_is_not_the_band_one_to_three(shared, tmp_path):
    p = write(tmp_path, "status: internal\nstage: I\nlife_situation: увольнение с госслужбы\nattributes:\n"
                        "  стаж работы: до 3 лет\n  возраст: до 18 лет\n")
    values = attribute_values(load(shared, p))
    assert values["length-of-service"] == (Decimal(0), Decimal(2))
    assert values["age"] == "age-citizen-0-17"  # the band «до 18» (0–17) still names itself
    prof = load(shared, PROFILES / "ip-patent-hiring.yaml")
    assert attribute_values(prof)["average-headcount"] == (Decimal(0), Decimal(15))  # «до 15 человек» includes 15


# ---------------------------------------------------------------- YAML quirks

def test_yaml_off_is_quoted_as_written(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: Поступление в вуз\nattributes:\n  пол: off\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "p.yaml:5:8: error: «off» нет в каталоге" in result.stderr and "False" not in result.stderr


def test_yaml_yes_no_on_off_for_yes_no_attributes_and_a_title(shared, tmp_path):
    prof = load(shared, BAD / "yes-no-value.yaml")
    values = attribute_values(prof)
    assert values["large-family"].toPython() is True and values["low-income"].toPython() is False
    p = write(tmp_path, "title: yes\nstatus: citizen\nstage: I\nlife_situation: Поступление в вуз\nattributes:\n"
                        "  многодетная семья: on\n  малоимущие: off\n")
    prof = load(shared, p)
    assert prof.title == "yes"
    values = attribute_values(prof)
    assert values["large-family"].toPython() is True and values["low-income"].toPython() is False


def test_every_bad_file_names_its_line(runner):
    result = runner.invoke(main, ["validate", str(BAD)])
    assert result.exit_code == 2
    for line in (
        "tab-indent.yaml:6:1: error: ошибка синтаксиса YAML: табуляция",
        "duplicate-top-key.yaml:5:1: error: «stage» указано дважды (первый раз — в строке 4)",
        "list-for-scalar.yaml:2:3: error: поле «title» должно быть текстом; здесь одно значение: запишите его одной строкой",
        "stage-number-range.yaml:6:12: error: «2024-05-31» — не число и не интервал",
        "anchor-key.yaml:1:1: error: «base» — не поле профиля: здесь только якорь YAML «&moscow»; назовите ключ с «x-»",
        "yes-for-scale.yaml:8:34: error: «да» нет в каталоге (значение признака «обращение через представителя»)",
        "yaml-off.yaml:6:8: error: «off» нет в каталоге (значение признака «пол»)",
    ):
        assert line in result.stderr, result.stderr



def test_one_channel_named_twice_for_one_purpose_shows_each_name(runner):
    result = runner.invoke(main, ["report", str(PROFILES / "young-drivers.yaml"), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "gosuslugi.ru («Госуслуги») — *открыта*" in result.stdout  # «Госуслуги» and «ЕПГУ»: not one line twice
    assert "gosuslugi.ru («ЕПГУ») — *открыта*" in result.stdout
    shown = runner.invoke(main, ["profile", "show", str(PROFILES / "young-drivers.yaml")])
    assert "gosuslugi.ru («Госуслуги»); " in shown.stdout


@pytest.mark.parametrize(
    ("written", "channel"),
    [
        ("SMS", "phone"), ("смс", "phone"), ("SMS-рассылка", "phone"), ("звонок", "phone"),
        ("Почта РФ", "post"), ("заказное письмо", "post"), ("электронное письмо", "email"),
        ("через МФЦ", "mfc"), ("Госуслуги.ру", "epgu"), ("ЛК ЕПГУ", "epgu"), ("личный кабинет на Госуслугах", "epgu"),
        ("ПОС", "epgu"), ("ЛК ведомства", "agency-eservice"), ("WhatsApp", "social"), ("телеграм-канал", "social"),
        ("Одноклассники", "social"), ("интернет-приёмная", "website"), ("информационный стенд", "print-materials"),
        ("листовки", "print-materials"),
    ],
)
def test_channels_as_people_name_them(shared, written, channel):
    assert shared.catalogue.resolve("channel", written) == CH + channel


def test_a_personal_account_is_the_channel_it_belongs_to_and_a_vague_name_is_still_an_error(shared):
    cat = shared.catalogue
    assert cat.resolve("channel", "ЛК военнослужащего") == CH + "erc-mo-website"  # «ЛК» is «личный кабинет»
    for written in ("сайт", "чат-бот", "устно", "кабинет"):
        with pytest.raises(LookupFailure):
            cat.resolve("channel", written)


@pytest.mark.parametrize(
    ("written", "situation"),
    [("оформление инвалидности", "disability-establishment"), ("наём работников", "hiring"), ("слияние компаний", "business-merger")],
)
def test_life_situations_as_people_name_them(shared, written, situation):
    assert shared.catalogue.resolve("life_situation", written).endswith("/" + situation)


@pytest.mark.parametrize(
    ("written", "status", "attribute"),
    [
        ("сфера деятельности", "business", "activity-kind"),  # not «сфера туроператорской деятельности»
        ("отрасль", "business", "activity-kind"),
        ("годовой доход", "business", "annual-income"),  # not «выручка»: revenue is not income
        ("численность", "business", "average-headcount"),
        ("размер компании", "business", "business-size"),
        ("гендер", "citizen", "sex"),
        ("семейный статус", "citizen", "marital-status"),
        ("наличие ВУ", "citizen", "driving-licence"),
        ("тип службы", "internal", "service-kind"),
    ],
)
def test_attributes_as_people_name_them(shared, written, status, attribute):
    assert shared.catalogue.resolve("attribute", written, status=ST + status).endswith("/" + attribute)


def test_some_words_of_another_status_s_attribute_do_not_name_it(shared, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  доход за год: до 500 тыс. руб.\n")
    with pytest.raises(ProfileError) as err:
        load(shared, p)
    assert "p.yaml:5:3" in str(err.value) and "«доход за год» нет в каталоге" in str(err.value)
    assert "segmentum catalogue list --status citizen" in str(err.value)


@pytest.mark.parametrize(
    ("attribute", "written", "value"),
    [("пол", "мужской пол", "sex-male"), ("пол", "девушки", "sex-female"), ("гражданство", "Россия", "citizenship-rf"),
     ("семейное положение", "в браке", "marital-status-married")],
)
def test_more_values_as_people_answer(shared, attribute, written, value):
    cat = shared.catalogue
    assert cat.resolve_value(cat.resolve("attribute", attribute, status=ST + "citizen"), written) == VAL + value


def test_a_fraction_of_a_whole_number_attribute_is_a_violation(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  пол: мужской\n"
                        "  регион проживания: Москва\n  возраст: 25,5\n")
    for engine in ("sparql", "pyshacl"):
        result = runner.invoke(main, ["validate", str(p), "--engine", engine])
        assert result.exit_code == 1, result.output
        assert "7:12    ошибка         Значение 25.5 признака «возраст» не целое" in result.stdout


def test_after_an_age_is_older_than_it(shared, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  возраст: после 60\n")
    assert attribute_values(load(shared, p))["age"] == (Decimal(61), Decimal(120))


def test_hypothesis_states_as_people_write_them_and_the_three_states_when_nothing_is_close(shared, tmp_path):
    body = "status: citizen\nstage: III\nlife_situation: МСЭ\nattributes:\n  пол: мужской\npains:\n  - text: Очередь\n    state: {}\n"
    assert load(shared, write(tmp_path, body.format("отклонена"))).statements[0].state == "https://w3id.org/segmentum/ontology#Refuted"
    assert load(shared, write(tmp_path, body.format("в работе"))).statements[0].state == "https://w3id.org/segmentum/ontology#Open"
    with pytest.raises(ProfileError) as err:
        load(shared, write(tmp_path, body.format("да")))
    assert "допустимые значения: «опровергнута», «открыта», «подтверждена»" in str(err.value)


def test_no_filled_attribute_is_shown_at_the_attributes_line(runner):
    result = runner.invoke(main, ["validate", str(BAD / "empty-values.yaml")])
    assert result.exit_code == 1, result.output
    assert "  5:1     ошибка         В профиле нет ни одного заполненного признака" in result.stdout


@pytest.mark.parametrize(("written", "status"), [("КФХ", "business"), ("НКО", "business"), ("пенсионер", "citizen"), ("абитуриент", "citizen")])
def test_more_statuses_as_people_write_them(shared, written, status):
    assert shared.catalogue.resolve("status", written) == ST + status


def test_an_unknown_status_lists_the_three_instead_of_a_look_alike(runner, tmp_path):
    p = write(tmp_path, "status: учитель\nstage: I\nlife_situation: МСЭ\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«учитель» нет в каталоге (статус); допустимые значения: «Гражданин», «Представитель бизнеса», «Внутренний клиент»" in result.stderr
    p = write(tmp_path, "status: Гражданен\nstage: I\nlife_situation: МСЭ\n")
    assert "возможно, имелось в виду «Гражданин»?" in runner.invoke(main, ["validate", str(p)]).stderr


def test_a_tab_after_a_colon_and_invisible_characters_from_a_copied_text(shared, tmp_path, runner):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  пол:\tмужской\n"
                        "  регион проживания: \u200bМосковская\u00a0область\n  возраст: 18\u200b-25\n  семейное положение: за\u00adмужем\n")
    values = attribute_values(load(shared, p))
    assert values == {"sex": "sex-male", "region-of-residence": "region-50", "age": "age-citizen-18-25",
                      "marital-status": "marital-status-married"}
    result = runner.invoke(main, ["validate", str(BAD / "tab-indent.yaml")])  # a tab in an indent is still an error
    assert "tab-indent.yaml:6:1: error: ошибка синтаксиса YAML: табуляция" in result.stderr


@pytest.mark.parametrize("written", ["любой", "Урал", "Ленинский"])
def test_a_word_with_a_town_s_stem_is_not_that_town(shared, written):
    # «любой» has the stem of «Любим» (Yaroslavl Oblast), «Урал» that of «Урай», «Ленинский» is not «Ленинск»
    cat = shared.catalogue
    with pytest.raises(LookupFailure):
        cat.resolve_value(cat.resolve("attribute", "регион проживания"), written, status=ST + "citizen")


def test_declined_town_names_still_name_their_region(shared):
    cat = shared.catalogue
    region = cat.resolve("attribute", "регион проживания")
    for written, code in (("в Набережных Челнах", "16"), ("в Урае", "86"), ("Нижнем Новгороде", "52"), ("в Подольске", "50")):
        assert cat.resolve_value(region, written, status=ST + "citizen") == VAL + f"region-{code}", written


@pytest.mark.parametrize(
    ("attribute", "status"),
    [("вид деятельности", "business"), ("причина инвалидности", "citizen"), ("цель направления на МСЭ", "citizen")],
)
def test_other_is_no_value_of_its_own(shared, attribute, status):
    # «другое» was «Разработка компьютерного программного обеспечения … и другие сопутствующие услуги»
    cat = shared.catalogue
    for written in ("другое", "иное", "прочее"):
        with pytest.raises(LookupFailure):
            cat.resolve_value(cat.resolve("attribute", attribute, status=ST + status), written, status=ST + status)


@pytest.mark.parametrize(
    ("written", "service"),
    [("регистрация юрлица", "reorganisation-registration"), ("СЗВ-ТД", "employment-reporting"),
     ("постановка на учёт автомобиля", "vehicle-registration"), ("приём документов в вуз", "university-admission-application")],
)
def test_services_as_people_name_them(shared, written, service):
    assert shared.catalogue.resolve("service", written).endswith("/" + service)


def test_regions_by_their_short_names_and_an_age_with_its_name_before_it(shared, tmp_path):
    cat = shared.catalogue
    region = cat.resolve("attribute", "регион проживания")
    for written, code in (("Камчатка", "41"), ("Сахалин", "65"), ("РСО-Алания", "15")):  # «Сахалин» was offered «Якутия»
        assert cat.resolve_value(region, written, status=ST + "citizen") == VAL + f"region-{code}", written
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  возраст: в возрасте 20-25 лет\n"
                        "  стаж работы: со стажем 5 лет\n")
    values = attribute_values(load(shared, p))
    assert values["age"] == (Decimal(20), Decimal(25)) and str(values["length-of-service"]) == "5"


def test_two_ranges_on_one_line_for_a_single_valued_attribute_say_it_takes_one_value(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: Поступление в вуз\nattributes:\n  возраст: 18-25, 26-35\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«18-25, 26-35» — не число и не интервал для признака «возраст»; у признака «возраст» одно значение" in result.stderr
    english = runner.invoke(main, ["--lang", "en", "validate", str(p)])
    assert "the attribute «age» takes one value" in english.stderr
    one = runner.invoke(main, ["validate", str(write(tmp_path, "status: citizen\nstage: I\nattributes:\n  возраст: восемнадцать\n"))])
    assert "запишите число (20), интервал (22-25)" in one.stderr  # not several values: the usual hint


def test_two_ranges_on_one_line_for_a_multi_valued_attribute_suggest_a_list(shared, tmp_path, monkeypatch):
    age = next(a for a in shared.catalogue.attributes if a.endswith("/age"))
    monkeypatch.setattr(shared.catalogue.attributes[age], "multi_valued", True)
    p = write(tmp_path, "status: citizen\nstage: I\nattributes:\n  возраст: 18-25; 26-35\n")
    with pytest.raises(ProfileError) as e:
        load(shared, p)
    assert str(e.value).endswith("несколько значений запишите списком: «- 18-25» и «- 26-35» на отдельных строках или [18-25, 26-35]")
    assert e.value.location.line == 4


@pytest.mark.parametrize("written", ["НКО", "некоммерческая организация"])
def test_a_non_profit_is_a_group_of_legal_forms_not_one_form(runner, tmp_path, written):
    p = write(tmp_path, f"status: business\nstage: I\nattributes:\n  организационно-правовая форма: {written}\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    err = result.stderr
    assert f"p.yaml:4:34: error: «{written}» нет в каталоге" in err
    assert f"«{written}» — не одно значение, а группа («Некоммерческие организации»)" in err
    for form in ("«Автономные некоммерческие организации»", "«Фонды»", "«Учреждения»", "«Общественные организации»"):
        assert form in err
    assert "акционерн" not in err.casefold() and "«Благотворительные фонды»" not in err  # no commercial form, only the top groups
    assert 'segmentum catalogue show "организационно-правовая форма"' in err


def test_the_non_profit_group_is_the_non_commercial_forms_of_legal_entities(shared):
    cat = shared.catalogue
    group = next(g for g in cat.collections if g.endswith("/okopf-non-profit"))
    members = {cat.notation[m] for m in cat.collections[group]}
    assert {"71400", "70401", "75103", "20614"} <= members
    assert not members & {"12300", "12267", "30002", "50102"}  # companies, branches, individuals


def test_keys_starting_with_x_hold_anchors_and_merge_keys_work(shared, tmp_path):
    p = write(tmp_path, """x-base: &base
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
""")
    prof = load(shared, p)
    assert attribute_values(prof) == {"region-of-residence": "region-77"}
    [st] = prof.statements
    assert (st.text, st.evidence, st.state.rsplit("#", 1)[-1]) == ("Получает справку лично", ["опрос, 112 анкет"], "Refuted")


def test_an_anchor_in_an_unknown_nested_key_says_the_same(shared, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\npains:\n  - text: Долго ждёт\n    шаблон: &t {state: open}\n")
    with pytest.raises(ProfileError) as e:
        load(shared, p)
    assert "«шаблон» — не поле профиля: здесь только якорь YAML «&t»" in str(e.value) and e.value.location.line == 5


def test_a_merge_key_of_a_list_is_a_yaml_error_in_russian(runner, tmp_path):
    p = write(tmp_path, "x-a: &a [1, 2]\nstatus: citizen\nstage: I\npains:\n  - <<: *a\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "ключ слияния «<<:» вставляет только словарь" in result.stderr
