"""Label matching: what methodologists type finds the catalogue item, or a close suggestion."""

from __future__ import annotations

import pickle

import pytest

from segmentum.catalogue.labels import Candidate, LabelIndex, normalize, stem_key
from segmentum.catalogue.lemmas import DictionaryForms
from segmentum.catalogue.view import LookupFailure
from segmentum.namespaces import ATTR, CH, LS, ST, VAL, VS

REGIONS = "scheme:" + str(VS.regions)


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
