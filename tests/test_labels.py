"""Label matching: what methodologists type finds the catalogue item, or a close suggestion.

Names as people write them: «ИП», «юр. лицо», «SMS», «субъект РФ», «советник ГГС РФ 2 класса», «ТК РФ»,
Latin look-alike letters in Russian words; the profiles in tests/data/profiles/, tests/data/towns-and-acronyms/
and tests/data/labels/profiles/ were written with them from docs/profile-format.md alone.
"""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from segmentum.catalogue.labels import Candidate, LabelIndex, normalize, stem_key
from segmentum.catalogue.lemmas import DictionaryForms
from segmentum.catalogue.view import LookupFailure
from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.namespaces import ACT, ATTR, CH, LS, SGM, ST, SVC, VAL, VS

from .conftest import DATA, attribute_values, load, write

REGIONS = "scheme:" + str(VS.regions)
PROFILES = DATA / "profiles"
TOWNS_AND_ACRONYMS = DATA / "towns-and-acronyms"
WITH_SEGMENTS = DATA / "profiles-with-segments"
LABELS = DATA / "labels" / "profiles"


@pytest.mark.parametrize(
    "a, b",
    [
        ("Возраст", "возраст"),
        ("Ёмкость", "емкость"),
        ("18–25", "18-25"),
        ("18 — 25", "18-25"),
        ("«ЕПГУ»", "епгу"),
        ("регион  проживания.", "регион проживания"),
    ],
)
def test_normalize_unifies_spelling(a, b):
    assert normalize(a) == normalize(b)


def test_stem_key_ignores_inflection():
    assert stem_key("в Московской области") == stem_key("Московская область")


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("status", "Гражданин", ST.citizen),
        ("status", "business", ST.business),
        ("status", "внутренний клиент", ST.internal),
        ("status", "Internal client", ST.internal),
        ("attribute", "ОПФ", ATTR["legal-form"]),
        ("attribute", "Регион проживания", ATTR["region-of-residence"]),
        ("attribute", "территория проживания", ATTR["region-of-residence"]),
        ("attribute", "region-of-residence", ATTR["region-of-residence"]),
        ("attribute", "legal form", ATTR["legal-form"]),
        ("life_situation", "поступление в ВУЗ", LS["university-admission"]),
        ("life_situation", "Приобретение транспортного средства", LS["vehicle-purchase"]),
        ("channel", "Госуслуги", CH.epgu),
        ("channel", "Сайт ЕПГУ", CH.epgu),
        ("channel", "сайт ЕРЦ", CH["erc-mo-website"]),
        ("channel", "Сервис ведомства", CH["agency-eservice"]),
        ("channel", "лично", CH["in-person"]),
        ("channel", "почта", CH.post),
        (REGIONS, "Московской области", VAL["region-50"]),
        (REGIONS, "Татарстан", VAL["region-16"]),
        (REGIONS, "Республика Татарстан", VAL["region-16"]),
        (REGIONS, "ХМАО", VAL["region-86"]),
        (REGIONS, "Северная Осетия - Алания", VAL["region-15"]),
        (REGIONS, "77", VAL["region-77"]),
        (REGIONS, "Moscow Oblast", VAL["region-50"]),
    ],
)
def test_resolve_by_label_identifier_synonym_or_code(shared, kind, text, expected):
    assert shared.catalogue.resolve(kind, text) == str(expected)


def test_an_attribute_label_shared_by_two_statuses_resolves_by_the_profile_status(shared):
    cat = shared.catalogue
    internal = cat.resolve("attribute", "военнообязанный", status=str(ST.internal))
    citizen = cat.resolve("attribute", "военнообязанный", status=str(ST.citizen))
    assert internal != citizen
    assert str(ST.internal) in cat.attributes[internal].statuses
    assert str(ST.citizen) in cat.attributes[citizen].statuses


def test_unknown_label_offers_the_closest_ones(shared):
    with pytest.raises(LookupFailure) as info:
        shared.catalogue.resolve("attribute", "регион прожевания")
    assert info.value.suggestions[0].label == "регион проживания"


def test_ambiguous_label_lists_every_match(shared):
    with pytest.raises(LookupFailure) as info:
        shared.catalogue.resolve("document", "273-ФЗ")
    assert {c.iri.rsplit("/", 1)[1] for c in info.value.ambiguous} == {"fz-273-edu", "fz-273-anticorr"}


def test_the_two_military_attributes_have_labels_of_their_own(shared):
    # «отношение к воинской обязанности» (incl. military service) vs «состояние на воинском учёте» (form 088/u, item 10)
    cat = shared.catalogue
    assert cat.resolve("attribute", "отношение к воинской обязанности").endswith("/military-duty-relation")
    assert cat.resolve("attribute", "состояние на воинском учёте").endswith("/military-registration-status")


def test_revenue_does_not_name_the_income_attribute(shared):
    # income is not revenue: «выручка» is no label of «доход за предшествующий календарный год»
    try:
        found = shared.catalogue.resolve("attribute", "выручка", status=str(ST.business))
    except LookupFailure:
        found = None
    assert found is None or not found.endswith("/annual-income")


# ---------------------------------------------------------------- names people use

@pytest.mark.parametrize(
    "kind, written, expected",
    [
        ("status", "ИП", ST.business),
        ("status", "юридическое лицо", ST.business),
        ("status", "ООО", ST.business),
        ("status", "ФЛ", ST.citizen),
        ("status", "civil servant", ST.internal),
        ("service", "Выдача справки 2-НДФЛ", SVC["income-certificate"]),
        ("service", "постановка на учет ТС", SVC["vehicle-registration"]),
        ("service", "ходатайство в ФАС", SVC["merger-antimonopoly-consent"]),
        ("life_situation", "Car purchase", LS["car-purchase"]),
        ("life_situation", "Reducing teachers' paperwork", LS["teacher-admin-burden"]),
        ("channel", "телевидение", CH.media),
        ("channel", "СМИ", CH.media),
        ("channel", "university website", CH.website),
        ("channel", "колл-центр", CH.phone),
        ("channel", "Telegram", CH.social),
        ("channel", "сайт министерства", CH.website),
    ],
)
def test_names_people_use(shared, kind, written, expected):
    assert shared.catalogue.resolve(kind, written) == str(expected)


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
        ("КФХ", "business"),
        ("НКО", "business"),
        ("пенсионер", "citizen"),
        ("абитуриент", "citizen"),
    ],
)
def test_statuses_as_methodologists_write_them(shared, written, status):
    assert shared.catalogue.resolve("status", written) == ST + status


@pytest.mark.parametrize(
    ("written", "channel"),
    [
        ("SMS", "phone"), ("смс", "phone"), ("SMS-рассылка", "phone"), ("звонок", "phone"),
        ("Почта РФ", "post"), ("заказное письмо", "post"), ("электронное письмо", "email"),
        ("через МФЦ", "mfc"), ("Госуслуги.ру", "epgu"), ("ЛК ЕПГУ", "epgu"), ("личный кабинет на Госуслугах", "epgu"),
        ("ПОС", "epgu"), ("ЛК ведомства", "agency-eservice"), ("WhatsApp", "social"), ("телеграм-канал", "social"),
        ("Одноклассники", "social"), ("интернет-приёмная", "website"), ("информационный стенд", "print-materials"),
        ("листовки", "print-materials"),
        # everyday channels of methodologists, once refused
        ("участковый врач", "district-doctor"), ("ГИБДД", "gibdd"), ("кадровая служба", "hr-department"), ("нотариус", "notary"),
        ("дилер", "dealer"), ("сайт ФНС", "fns-website"), ("личный кабинет ЮЛ на сайте ФНС", "fns-taxpayer-account"),
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


def test_a_single_generic_word_does_not_name_a_life_situation(shared):
    # «бизнес» is a word of one life situation only («Слияние бизнеса»), but it does not name it
    with pytest.raises(LookupFailure):
        shared.catalogue.resolve("life_situation", "бизнес")


@pytest.mark.parametrize(
    ("written", "service"),
    [("регистрация юрлица", "reorganisation-registration"), ("СЗВ-ТД", "employment-reporting"),
     ("постановка на учёт автомобиля", "vehicle-registration"), ("приём документов в вуз", "university-admission-application")],
)
def test_services_as_people_name_them(shared, written, service):
    assert shared.catalogue.resolve("service", written).endswith("/" + service)


def test_english_names_of_services(shared):
    prof = load(WITH_SEGMENTS / "en-car-buyer.yaml", shared)
    assert prof.services == [str(SVC["vehicle-registration"])]  # «vehicle registration»
    assert shared.catalogue.resolve("service", "passport replacement", "en") == str(SVC["passport-issue"])


@pytest.mark.parametrize(
    "written, act",
    [("ТК РФ", "tk"), ("ГК РФ (часть первая)", "gk-1"), ("ГК РФ (ч. первая)", "gk-1"), ("НК РФ ч. вторая", "nk-2")],
)
def test_codes_of_law_by_the_short_names_segmentum_shows(shared, written, act):
    assert shared.catalogue.resolve("act", written) == str(ACT[act])


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


def test_some_words_of_another_status_s_attribute_do_not_name_it(shared):
    with pytest.raises(ProfileError) as err:
        load("status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  доход за год: до 500 тыс. руб.\n", shared)
    assert "p.yaml:5:3" in str(err.value) and "«доход за год» нет в каталоге" in str(err.value)
    assert "segmentum catalogue list --status citizen" in str(err.value)


def test_a_region_called_subject_of_the_federation_is_the_status_s_own_region(shared):
    citizen = load(LABELS / "young-drivers.yaml", shared)
    assert attribute_values(citizen)["region-of-residence"] == "region-16"
    business = shared.catalogue.resolve("attribute", "субъект РФ", status=ST + "business")
    assert business.endswith("/region-of-location")


def test_an_age_group_is_the_age_not_the_patient_s_age_group(shared):
    prof = load(LABELS / "pensioner-mse.yaml", shared)
    assert attribute_values(prof)["age"] == (Decimal(66), Decimal(120))


# ---------------------------------------------------------------- values as people answer

@pytest.mark.parametrize(
    "status, attribute, written, expected",
    [
        ("internal", "классный чин гражданской службы", "советник ГГС РФ 2 класса", "class-rank-civil-service-counsellor-2"),
        ("internal", "вид службы", "ГГС", "service-kind-civil"),
        ("citizen", "федеральный округ", "Уральский ФО", "fd-ufd"),
        ("citizen", "федеральный округ", "СибФО", "fd-sibfd"),
        ("citizen", "регион проживания", "Краснодарский кр.", "region-23"),
        ("citizen", "регион проживания", "Ленобласть", "region-47"),
        ("business", "тип собственника транспортного средства", "юрлицо", "vehicle-owner-type-legal-entity"),
        ("business", "тип работодателя", "юрлицо", "employer-type-organisation"),
        ("business", "закон, по которому проводится закупка", "44 ФЗ", "procurement-law-44fz"),
        ("business", "организационно-правовая форма", "JSC", "okopf-12267"),
    ],
)
def test_acronyms_and_short_forms(shared, status, attribute, written, expected):
    got = attribute_values(load(f"status: {status}\nstage: I\nattributes:\n  {attribute}: {written}\n", shared))
    assert list(got.values()) == [expected]


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


@pytest.mark.parametrize(
    ("attribute", "written", "value"),
    [("пол", "мужской пол", "sex-male"), ("пол", "девушки", "sex-female"), ("гражданство", "Россия", "citizenship-rf"),
     ("семейное положение", "в браке", "marital-status-married")],
)
def test_values_of_a_citizen_s_attributes_as_people_answer(shared, attribute, written, value):
    cat = shared.catalogue
    assert cat.resolve_value(cat.resolve("attribute", attribute, status=ST + "citizen"), written) == VAL + value


def test_a_no_under_an_attribute_without_it_does_not_send_it_to_another_attribute(shared):
    with pytest.raises(ProfileError) as err:
        load("status: internal\nstage: I\nlife_situation: увольнение с госслужбы\nattributes:\n"
             "  категория должностей гражданской службы: нет\n", shared)
    assert "«нет» нет в каталоге" in str(err.value)
    assert "вид службы" not in str(err.value) and "допуск" not in str(err.value)


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


@pytest.mark.parametrize("written", ["НКО", "некоммерческая организация"])
def test_a_non_profit_is_a_group_of_legal_forms_not_one_form(runner, tmp_path, written):
    p = write(tmp_path, f"status: business\nstage: I\nattributes:\n  организационно-правовая форма: {written}\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    err = result.stderr
    assert f"p.yaml:4:34: ошибка: «{written}» нет в каталоге" in err
    assert f"«{written}» — не одно значение, а группа («Некоммерческие организации»)" in err
    for form in ("«Автономные некоммерческие организации»", "«Фонды»", "«Учреждения»", "«Общественные организации»"):
        assert form in err
    assert "акционерн" not in err.casefold() and "«Благотворительные фонды»" not in err  # no commercial form, only the top groups
    assert 'segmentum catalogue show "организационно-правовая форма"' in err


def test_a_teacher_is_an_internal_client_of_its_own_category(shared):
    got = attribute_values(load(WITH_SEGMENTS / "teacher-stage4.yaml", shared))
    assert got["internal-client-category"] == "internal-category-employee"  # «педагогический работник»


# ---------------------------------------------------------------- regions

@pytest.mark.parametrize(
    "written, code",
    [("МО", "50"), ("Moscow Region", "50"), ("РТ", "16"), ("Tatarstan", "16"), ("Свердловская", "66"),
     ("Sverdlovsk region", "66"), ("ХМАО-Югра", "86"), ("Питер", "78"), ("St. Petersburg", "78")],
)
def test_region_names_people_use(shared, written, code):
    prof = load(f"status: Гражданин\nstage: I\nattributes:\n  регион проживания: {written}\n", shared)
    assert attribute_values(prof)["region-of-residence"] == f"region-{code}"


def test_a_hyphenated_name_with_a_space(shared):
    prof = load(LABELS / "dismissed-officers.yaml", shared)
    assert attribute_values(prof)["region-of-residence"] == "region-78"  # «Санкт Петербург»


def test_regions_by_their_short_names_and_an_age_with_its_name_before_it(shared):
    cat = shared.catalogue
    region = cat.resolve("attribute", "регион проживания")
    for written, code in (("Камчатка", "41"), ("Сахалин", "65"), ("РСО-Алания", "15")):  # «Сахалин» was offered «Якутия»
        assert cat.resolve_value(region, written, status=ST + "citizen") == VAL + f"region-{code}", written
    values = attribute_values(load("status: citizen\nstage: I\nlife_situation: МСЭ\nattributes:\n  возраст: в возрасте 20-25 лет\n"
                                   "  стаж работы: со стажем 5 лет\n", shared))
    assert values["age"] == (Decimal(20), Decimal(25)) and str(values["length-of-service"]) == "5"


# ---------------------------------------------------------------- look-alike letters

def test_latin_look_alike_letters_inside_russian_words(shared):
    prof = load(LABELS / "veterans-latin.yaml", shared)
    assert prof.status == ST + "citizen"
    values = attribute_values(prof)
    assert values["region-of-residence"] == "region-61"
    assert values["veteran-category"] == "veteran-category-combat"


def test_a_code_typed_in_cyrillic_letters_is_the_latin_code(shared):
    prof = load("status: business\nstage: I\nlife_situation: госзакупки\nattributes:\n  тип рыночных отношений: В2В, В2С\n", shared)
    assert [av.value.rsplit("/", 1)[1] for av in prof.attributes] == ["market-relation-b2b", "market-relation-b2c"]


def test_look_alikes_do_not_join_words_of_one_script():
    assert normalize("Грaжданин") == "гражданин"
    assert normalize("B2B") == normalize("В2В") == "b2b"
    assert normalize("ОКВЭД 79.12") == "оквэд 79.12" and normalize("2-НДФЛ") == "2-ндфл"  # no letters round a digit


# ---------------------------------------------------------------- hints when nothing matches

def test_words_of_a_long_name_count_in_their_order_only(shared):
    # «сайт министерства»: both words are in «ЕРЦ МО РФ — ФКУ «Единый расчётный центр Министерства
    # обороны …» (сайт, личное обращение)», but in the other order; it is not that channel
    cat = shared.catalogue
    assert cat.index("channel")._partial("сайт министерства") != {str(CH["erc-mo"])}
    assert cat.resolve("service", "выдача справки 2-НДФЛ") == str(SVC["income-certificate"])  # in order, still found


def test_no_look_alike_hint_for_two_letters(shared):
    with pytest.raises(LookupFailure) as info:
        shared.catalogue.resolve(REGIONS, "РБ")
    assert str(VAL["region-78"]) not in [c.iri for c in info.value.suggestions]  # not «Санкт-Петербург»


def test_a_hint_by_shared_words_when_nothing_is_spelled_alike(shared):
    with pytest.raises(LookupFailure) as info:
        shared.catalogue.resolve("channel", "сайт Минпросвещения")
    assert str(CH.website) in [c.iri for c in info.value.suggestions]


# ---------------------------------------------------------------- names in profiles as people write them

def channels_of(prof) -> list[tuple[str, str]]:
    """(purpose, channel) of each channel preference, by local names."""
    return [(st.purpose.rsplit("#", 1)[1], st.channel.rsplit("/", 1)[1]) for st in prof.statements if st.kind == "channel"]


def test_service_named_by_its_head_and_abbreviation(shared):
    prof = load(PROFILES / "internal-2ndfl.yaml", shared)
    assert prof.services == [str(SVC["income-certificate"])]  # «Выдача справки 2-НДФЛ»
    assert attribute_values(prof)["federal-district"] == "fd-cfd"


def test_english_labels_and_a_short_english_region(shared):
    prof = load(PROFILES / "en-student.yaml", shared)
    got = attribute_values(prof)
    assert got["region-of-residence"] == "region-16"  # «Tatarstan»
    assert got["age"] == "age-citizen-18-25"  # «18-25 years» is the band
    assert [s.channel for s in prof.statements if s.purpose == str(SGM.Informing)] == [str(CH.website)]


def test_a_car_buyer_from_yekaterinburg(shared):
    prof = load(TOWNS_AND_ACRONYMS / "car-ekb.yaml", shared)
    assert prof.status == str(ST.citizen)  # «физлицо»
    assert prof.services == [str(SVC["vehicle-registration"])]  # «регистрация ТС»
    got = attribute_values(prof)
    assert got["region-of-residence"] == "region-66"  # «Екатеринбург»
    assert got["vehicle-condition"] == "vehicle-condition-used"  # «б/у»


def test_a_civil_servant_with_an_abbreviated_class_rank(shared):
    got = attribute_values(load(TOWNS_AND_ACRONYMS / "dismissal-civil-servant.yaml", shared))
    assert got["class-rank"] == "class-rank-civil-service-counsellor-2"  # «советник ГГС РФ 2 класса»


def test_english_profiles_with_a_city_an_llc_and_everyday_english_names(shared):
    car = load(TOWNS_AND_ACRONYMS / "en-car-kazan.yaml", shared)
    assert car.life_situations == [str(LS["car-purchase"])]  # «Car purchase»
    assert attribute_values(car)["region-of-residence"] == "region-16"  # «Kazan»
    assert attribute_values(car)["vehicle-condition"] == "vehicle-condition-new"  # «vehicle condition: new»
    merger = attribute_values(load(TOWNS_AND_ACRONYMS / "en-merger.yaml", shared))
    assert merger["legal-form"] == "okopf-12300"  # «LLC»
    assert merger["reorganisation-form"] == "reorganisation-form-merger"  # «reorganisation form»


def test_a_small_business_in_the_ural_district_and_a_truck_in_nizhny_novgorod(shared):
    assert attribute_values(load(TOWNS_AND_ACRONYMS / "procurement-smp-ekb.yaml", shared))["federal-district"] == "fd-ufd"  # «УрФО»
    truck = load(TOWNS_AND_ACRONYMS / "ip-truck-nnov.yaml", shared)
    assert truck.services == [str(SVC["vehicle-registration"])]  # «Государственная регистрация ТС»
    assert attribute_values(truck)["region-of-location"] == "region-52"  # «Нижний Новгород»


def test_a_passport_replaced_at_45_in_the_words_of_the_regulation(shared):
    got = attribute_values(load(TOWNS_AND_ACRONYMS / "passport-45.yaml", shared))
    assert got["passport-issue-reason"] == "passport-issue-reason-age-45"  # «достижение 45-летнего возраста»
    assert got["region-of-residence"] == "region-23"  # «Краснодар»


def test_sms_is_the_phone_and_the_post_informs(shared, runner):
    prof = load(LABELS / "name-change.yaml", shared)
    assert ("Informing", "phone") in channels_of(prof)
    pensioners = runner.invoke(main, ["validate", str(LABELS / "pensioner-mse.yaml")])
    assert pensioners.exit_code == 0, pensioners.output  # «Почта России» under informing
    assert ("Informing", "post") in channels_of(load(LABELS / "pensioner-mse.yaml", shared))


def _towns(forms) -> LabelIndex:
    idx = LabelIndex(one_word=True, forms=forms)
    idx.add(Candidate("orel", "Орёл"), ["Орёл"])
    idx.add(Candidate("orlov", "Орлов"), ["Орлов"])
    return idx


def test_a_case_form_by_the_dictionary_comes_before_the_stem(tmp_path):
    idx = _towns(DictionaryForms(tmp_path / "lemmas.pickle"))
    assert [c.iri for c in idx.lookup("в Орле")] == ["orel"]  # the stem of «Орле» is «орл», that of «Орлов» too
    assert [c.iri for c in idx.lookup("в Орлове")] == ["orlov"]
    assert [c.iri for c in idx.lookup("Орлом", ("exact", "lemma"))] == ["orel"]
    assert [c.iri for c in _towns(None).lookup("в Орле")] == ["orlov"]  # the stemmer alone


def test_the_case_forms_are_kept_on_disk(tmp_path):
    cache = tmp_path / "lemmas.pickle"
    DictionaryForms(cache).learn(["орел", "вышний"])
    with cache.open("rb") as f:
        stored = pickle.load(f)
    assert {"орле", "орла", "орлом"} <= set(stored["орел"]) and "вышнем" in stored["вышний"]
    stored["орел"] = ("орел", "орлище")  # what the file says is what is used, the dictionary is not asked again
    cache.write_bytes(pickle.dumps(stored))
    forms = DictionaryForms(cache)
    forms.learn(["орел"])
    assert forms.label_words("орлище") == {"орел"} and forms.label_words("орле") == {"орле"}


def test_did_you_mean_looks_first_among_the_terms_of_the_profile_s_status(shared):
    cat = shared.catalogue
    with pytest.raises(LookupFailure) as anyone:
        cat.resolve("channel", "сайт ведомства ЕРЦ")
    assert str(CH["erc-mo-website"]) in [c.iri for c in anyone.value.suggestions]
    with pytest.raises(LookupFailure) as business:
        cat.resolve("channel", "сайт ведомства ЕРЦ", status=str(ST.business))
    assert [c.iri for c in business.value.suggestions] == [str(CH.website), str(CH["agency-eservice"])]  # not a soldier's site
