"""A town written for a region: «Сочи» is Krasnodar Krai, a name of towns of two regions is an error.

The towns are the regions' ``sgm:settlement`` in catalogues/regions.ttl (the 1114 towns of
hflabs/city city.csv that are not regions themselves), written by tools/import_settlements.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from segmentum.catalogue.view import LookupFailure
from segmentum.cli.main import main
from segmentum.errors import ProfileError
from segmentum.namespaces import SGM, ST, VAL, VS
from segmentum.prioritise.capacity import estimate_capacity
from segmentum.prioritise.segments import estimate_note, segment_of
from segmentum.resources import catalogue_files
from segmentum.store.turtle import read_header

from .conftest import DATA, EXAMPLES, attribute_values, load, write

ROOT = Path(__file__).resolve().parent.parent
REGIONS = "scheme:" + str(VS.regions)
DISTRICTS = "scheme:" + str(VS["federal-districts"])
TOWNS_AND_ACRONYMS = DATA / "towns-and-acronyms"


def region(code: str) -> str:
    return str(VAL[f"region-{code}"])


def profile(tmp_path: Path, written: str, *, name: str = "p.yaml") -> Path:
    return write(tmp_path, f"status: гражданин\nstage: I\nattributes:\n  регион проживания: {written}\n  возраст: 18-25\n", name)


@pytest.mark.parametrize("written, code", [
    ("Сочи", "23"), ("Тольятти", "63"), ("Норильск", "24"), ("Подольск", "50"),
    ("Набережные Челны", "16"), ("набережные  челны", "16"), ("в Набережных Челнах", "16"),  # two words, inflected
    ("Комсомольск-на-Амуре", "27"), ("Комсомольск на Амуре", "27"), ("Ростов на Дону", "61"),  # hyphens
    ("г. Тольятти", "63"), ("город Сочи", "23"), ("г Норильск", "24"),
    ("Королёв", "50"), ("Королев", "50"), ("Щелково", "50"),  # ё and е
    ("Алупка", "91"), ("Урус-Мартан", "20"), ("Воскресенск", "50"),  # a town in a town, in a district, an urban district
    ("Киров", "43"), ("Благовещенск", "28"),  # a regional centre wins over a small town of another region
])
def test_a_town_names_its_region(shared, written, code):
    assert shared.catalogue.resolve(REGIONS, written) == region(code)


@pytest.mark.parametrize("written, code, town", [
    ("в Орле", "57", "Орёл"), ("Орле", "57", "Орёл"), ("в Ельце", "48", "Елец"), ("в Череповце", "35", "Череповец"),
    ("в Вышнем Волочке", "69", "Вышний Волочек"), ("Вышнем Волочке", "69", "Вышний Волочек"),  # a vowel that drops out
    ("в Ленинске", "34", "Ленинск"), ("в Набережных Челнах", "16", "Набережные Челны"), ("в Ростове-на-Дону", "61", "Ростов-на-Дону"),
])
def test_a_declined_town_names_its_region_by_the_dictionary(shared, written, code, town):
    cat = shared.catalogue
    assert cat.resolve(REGIONS, written) == region(code)
    assert cat.named_by_town(region(code), written)[0] == town


@pytest.mark.parametrize("written", ["Ленинский", "Ленинская", "в Мирная"])
def test_an_adjective_is_not_a_case_of_a_town(shared, written):
    # «Ленинский» is not «Ленинск» (their stems are the same), «Мирная» is not a case of «Мирный»
    with pytest.raises(LookupFailure) as caught:
        shared.catalogue.resolve(REGIONS, written)
    assert not caught.value.ambiguous


@pytest.mark.parametrize("written, codes", [
    ("Мирный", {"14", "29"}), ("Железногорск", {"24", "46"}), ("Советск", {"39", "43", "71"}),
    ("Донецк", {"61", "93"}),  # a town of Rostov Oblast, and the region named after the other Donetsk
    ("Амурск", {"27", "28"}),  # a town of Khabarovsk Krai, and «Амурская область» by one word
])
def test_a_name_of_towns_of_several_regions_names_them_all(shared, written, codes):
    with pytest.raises(LookupFailure) as caught:
        shared.catalogue.resolve(REGIONS, written)
    assert {c.iri for c in caught.value.ambiguous} == {region(c) for c in codes}


@pytest.mark.parametrize("written, code", [
    ("Москва", "77"), ("Санкт-Петербург", "78"), ("Севастополь", "92"), ("Кировская", "43"), ("Амурская", "28"),
    ("Приморский", "25"), ("Донецкая", "93"), ("Свердловская обл.", "66"), ("в Московской области", "50"), ("66", "66"),
])
def test_a_region_is_named_as_before(shared, written, code):
    assert shared.catalogue.resolve(REGIONS, written) == region(code)


def test_every_name_of_a_region_still_names_it(shared):
    cat = shared.catalogue
    wrong = {}
    for iri in cat.scheme_values[str(VS.regions)]:
        for label in [*cat.labels[iri], cat.local_id(iri)]:
            try:
                if cat.resolve(REGIONS, label) != iri:
                    wrong[label] = cat.resolve(REGIONS, label)
            except LookupFailure as exc:
                wrong[label] = [c.iri for c in exc.ambiguous]
    assert wrong == {}


def test_towns_name_regions_only(shared):
    cat = shared.catalogue
    for kind in (DISTRICTS, "attribute", "life_situation", "service"):
        with pytest.raises(LookupFailure) as caught:
            cat.resolve(kind, "Тольятти")
        assert not caught.value.towns


def test_a_misspelt_town_is_offered(shared):
    with pytest.raises(LookupFailure) as caught:
        shared.catalogue.resolve(REGIONS, "Тольяти")
    assert caught.value.suggestions[0].iri == region("63")
    assert caught.value.suggestions[0].label == "Тольятти (Самарская область)"


def test_a_shared_name_is_an_error_at_its_line_with_the_regions(tmp_path, runner):
    p = profile(tmp_path, "Железногорск")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"{p}:4:22: ошибка: «Железногорск» может означать разные субъекты РФ: «г. Железногорск, Красноярский край» или "
        "«г. Железногорск, Курская область»; напишите название субъекта РФ, а не города")
    result = runner.invoke(main, ["--lang", "en", "validate", str(p)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"{p}:4:22: error: «Железногорск» may mean several federal subjects: «Железногорск, Krasnoyarsk Krai» or "
        "«Железногорск, Kursk Oblast»; write the name of the federal subject, not of the town")


def test_profile_show_says_the_region_was_written_as_a_town(tmp_path, runner):
    p = profile(tmp_path, "г. Тольятти")
    shown = runner.invoke(main, ["profile", "show", str(p)])
    assert shown.exit_code == 0, shown.output
    assert "  регион проживания – Самарская область (записано по городу: Тольятти)\n" in shown.stdout
    shown = runner.invoke(main, ["--lang", "en", "profile", "show", str(p)]).stdout
    assert "  region of residence – Samara Oblast (written as one of its towns, Tolyatti)\n" in shown
    centre = runner.invoke(main, ["profile", "show", str(profile(tmp_path, "Самара", name="c.yaml"))]).stdout
    assert "  регион проживания – Самарская область (записано по административному центру: Самара)\n" in centre
    plain = runner.invoke(main, ["profile", "show", str(profile(tmp_path, "Самарская область", name="r.yaml"))]).stdout
    assert "  регион проживания – Самарская область\n" in plain


def test_a_capacity_estimate_for_a_town_is_for_its_whole_region(tmp_path, shared):
    cat = shared.catalogue
    town = load(profile(tmp_path, "Сочи"), shared)
    whole = load(profile(tmp_path, "Краснодарский край", name="r.yaml"), shared)
    est, est_region = estimate_capacity(cat, town.status, town.attributes), estimate_capacity(cat, whole.status, whole.attributes)
    assert est.value == est_region.value and est.region == region("23")
    assert est.town == "Сочи" and est_region.town is None
    seg = segment_of(town, cat, "ru")
    assert estimate_note(seg, est, cat, "ru").endswith(
        "учтены все признаки сегмента: возраст, регион проживания — весь субъект «Краснодарский край», а не только г. Сочи "
        "(статистика дана по субъектам РФ)")
    assert estimate_note(seg, est, cat, "en").endswith(
        "every attribute of the segment is reflected: age, region of residence — the whole of «Krasnodar Krai», not only Sochi "
        "(the statistics are by federal subject)")
    assert "весь субъект" not in estimate_note(segment_of(whole, cat, "ru"), est_region, cat, "ru")


def test_the_prioritise_command_says_the_estimate_is_for_the_region(tmp_path, runner):
    segments = write(tmp_path, "segments:\n  - title: Молодёжь Тольятти\n    status: гражданин\n    attributes:\n"
                               "      регион проживания: Тольятти\n      возраст: 18-25\n    criteria:\n      ёмкость: оценка\n", "s.yaml")
    result = runner.invoke(main, ["prioritise", str(segments)])
    assert result.exit_code == 0, result.output
    assert "весь субъект «Самарская область», а не только г. Тольятти" in result.stdout


def test_the_shipped_towns_cite_their_source_and_are_all_there():
    (path,) = [f for f in catalogue_files() if f.name == "regions.ttl"]
    text = path.read_text(encoding="utf-8")
    assert "Города субъектов (sgm:settlement, 1114): все строки того же hflabs/city city.csv @ae661bf" in text
    graph = Graph().parse(data=text, format="turtle")
    assert len(set(graph.subject_objects(SGM.settlement))) == 1114
    assert len(set(graph.objects(None, SGM.settlement))) == 1094  # Мирный, Киров, Советск … are towns of two or three regions


def test_the_importer_reads_every_way_city_csv_names_a_town(tmp_path):
    header = ("address,postal_code,country,federal_district,region_type,region,area_type,area,city_type,city,settlement_type,"
              "settlement,kladr_id,fias_id,fias_level,capital_marker,okato,oktmo,tax_office,timezone,geo_lat,geo_lon,population,foundation_year")
    rows = [
        'г Москва,101000,Россия,Центральный,г,Москва,,,,,,,7700000000000,x,1,0,45,45,7700,UTC+3,55.7,37.6,11514330,1147',
        '"Краснодарский край, г Сочи",354000,Россия,Южный,край,Краснодарский,,,г,Сочи,,,2300000700000,x,4,0,1,1,2300,UTC+3,43.5,39.7,343334,1838',
        '"Респ Крым, г Ялта, г Алупка",298676,Россия,Южный,Респ,Крым,,,г,Ялта,г,Алупка,9100000800100,x,6,0,1,1,9103,UTC+3,44.4,34.0,7771,960',
        '"Московская обл, г Воскресенск",140200,Россия,Центральный,обл,Московская,г,Воскресенск,,,,,5004400000000,x,3,0,1,1,5005,UTC+3,55.3,38.7,91301,1862',
    ]
    source = tmp_path / "city.csv"
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    regions = tmp_path / "regions.ttl"
    shipped = (ROOT / "src" / "segmentum" / "catalogues" / "regions.ttl").read_text(encoding="utf-8")
    regions.write_text(shipped, encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "import_settlements.py"), str(source), str(regions)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = regions.read_text(encoding="utf-8")
    assert read_header(written) == read_header(shipped)
    graph = Graph().parse(data=written, format="turtle")
    assert sorted((str(s).rsplit("-", 1)[-1], str(o)) for s, o in graph.subject_objects(SGM.settlement)) == [
        ("23", "Сочи"), ("50", "Воскресенск"), ("91", "Алупка")]
    old = Graph().parse(data=shipped, format="turtle")
    old.remove((None, SGM.settlement, None))
    graph.remove((None, SGM.settlement, None))
    assert set(graph) == set(old)  # the rest of the file is kept


@pytest.mark.parametrize("written, note", [
    ("Тольятти", " (записано по городу: Тольятти)"),
    ("г. Самара", " (записано по административному центру: Самара)"),
    ("Самарская область", ""),
])
def test_a_town_given_for_the_service_region_is_said_as_for_the_region_of_residence(tmp_path, runner, written, note):
    text = (EXAMPLES / "young-soldier.yaml").read_text(encoding="utf-8").replace("stage: III", f"service_region: {written}\nstage: III")
    p = write(tmp_path, text)
    shown = runner.invoke(main, ["profile", "show", str(p)])
    assert shown.exit_code == 0, shown.output
    assert f"Регион оказания услуги: Самарская область{note}\n" in shown.stdout
    report = runner.invoke(main, ["report", str(p), "-f", "md"])
    assert f"**Регион оказания услуги:** Самарская область{note} · " in report.stdout
    if note:
        shown = runner.invoke(main, ["--lang", "en", "profile", "show", str(p)]).stdout
        assert "Service region: Samara Oblast (written as " in shown


# ---------------------------------------------------------------- a regional centre, and towns as people write them

@pytest.mark.parametrize(
    "written, code",
    [("Екатеринбург", "66"), ("г. Казань", "16"), ("Kazan", "16"), ("Нижний Новгород", "52"), ("Yekaterinburg", "66"),
     ("Краснодар", "23"), ("Симферополь", "91"), ("Орел", "57"), ("Владивосток", "25"), ("Хабаровск", "27"), ("Благовещенск", "28")],
)
def test_an_administrative_centre_names_its_region(shared, written, code):
    assert shared.catalogue.resolve(REGIONS, written) == str(VAL[f"region-{code}"])


def test_a_city_is_a_region_of_location_and_a_service_region_too_but_not_a_name_of_towns_of_two_regions(shared):
    prof = load("status: business\nservice_region: Екатеринбург\nstage: I\nattributes:\n  регион места нахождения: Казань\n", shared)
    assert prof.service_region == str(VAL["region-66"])
    assert attribute_values(prof)["region-of-location"] == "region-16"
    with pytest.raises(ProfileError):  # Mirny is a town of Arkhangelsk Oblast and of Yakutia: the region is to be written
        load("status: citizen\nstage: I\nattributes:\n  регион проживания: Мирный\n", shared)


def test_profile_show_says_the_region_was_written_as_its_centre(runner):
    shown = runner.invoke(main, ["profile", "show", str(TOWNS_AND_ACRONYMS / "car-ekb.yaml")]).stdout
    assert "  регион проживания – Свердловская область (записано по административному центру: Екатеринбург)\n" in shown
    shown = runner.invoke(main, ["--lang", "en", "profile", "show", str(TOWNS_AND_ACRONYMS / "en-car-kazan.yaml")]).stdout
    assert "  region of residence – Republic of Tatarstan (written as its administrative centre, Kazan)\n" in shown


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
