"""The shipped catalogue: real, sourced content for the three statuses, written canonically."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from segmentum.namespaces import ACT, ATTR, CH, LS, SGM, ST, VAL, VS
from segmentum.resources import catalogue_files
from segmentum.store.turtle import canonical_turtle, read_header


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for f in catalogue_files():
        g.parse(f, format="turtle")
    return g


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: p.name)
def test_each_catalogue_file_is_in_canonical_form(path: Path):
    """Rewriting a file changes nothing, so a change to one attribute is a small diff."""
    text = path.read_text(encoding="utf-8")
    g = Graph().parse(data=text, format="turtle")
    assert canonical_turtle(g, header=read_header(text)) == text


def test_canonical_writer_is_independent_of_insertion_order(graph: Graph):
    triples = sorted(graph, key=lambda t: (str(t[2]), str(t[1]), str(t[0])))
    reordered = Graph()
    for t in reversed(triples):
        reordered.add(t)
    assert canonical_turtle(reordered) == canonical_turtle(graph)


def test_at_least_80_attributes_cover_all_three_statuses(shared):
    cat = shared.catalogue
    assert len(cat.attributes) >= 80
    for status in (ST.citizen, ST.business, ST.internal):
        assert len(cat.attributes_for(str(status))) >= 15, status


def test_every_attribute_is_complete_and_sourced(shared):
    cat = shared.catalogue
    problems = []
    for a in cat.attributes.values():
        if not {"ru", "en"} <= set(cat.pref[a.iri]):
            problems.append((a.iri, "labels"))
        if not {"ru", "en"} <= set(a.definitions):
            problems.append((a.iri, "definition"))
        if not a.statuses:
            problems.append((a.iri, "statuses"))
        if not (a.scheme or a.datatype):
            problems.append((a.iri, "value scheme"))
        if a.scheme and not cat.scheme_values.get(a.scheme):
            problems.append((a.iri, "empty scheme"))
        cited = [cat.sources[s] for s in a.sources if s in cat.sources]
        if not any((s.kind in ("article", "field")) and s.document and s.ref for s in cited):
            problems.append((a.iri, "legal article or form field"))
    assert problems == []


def test_every_cited_act_and_form_exists(graph: Graph):
    acts = set(graph.subjects(RDF.type, SGM.LegalAct))
    forms = set(graph.subjects(RDF.type, SGM.ApplicationForm))
    assert {o for o in graph.objects(None, SGM.legalAct)} <= acts
    assert {o for o in graph.objects(None, SGM.form)} <= forms


def test_every_value_has_russian_and_english_labels(shared):
    cat = shared.catalogue
    missing = [v for v in cat.values if not {"ru", "en"} <= set(cat.pref[v])]
    assert missing == []


def test_every_legal_act_has_number_and_date(shared, graph: Graph):
    from segmentum.namespaces import ELI

    for act in graph.subjects(RDF.type, SGM.LegalAct):
        assert graph.value(act, ELI.id_local) is not None, act
        assert graph.value(act, ELI.date_document).datatype == XSD.date, act


def test_no_two_attributes_share_a_label_for_one_status(shared):
    cat = shared.catalogue
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for a in cat.attributes.values():
        for status in a.statuses:
            key = (cat.label(a.iri).casefold(), status)
            if key in seen:
                clashes.append((key, seen[key], a.iri))
            seen[key] = a.iri
    assert clashes == []


def _values(cat, attribute: URIRef, status=None) -> set[str]:
    info = cat.attributes[str(attribute)]
    schemes = [info.scheme] if info.scheme else []
    schemes += [s for s in info.band_schemes if status is None or str(status) in cat.applies[s]]
    return {cat.label(v) for s in schemes for v in cat.scheme_values[s]}


@pytest.mark.parametrize(
    "attribute, status, values",
    [
        (ATTR.sex, ST.citizen, {"мужской", "женский"}),
        (ATTR.age, ST.citizen, {"18-25", "26-35", "36-50"}),
        (ATTR.age, ST.internal, {"18-25", "26-40"}),
        (ATTR["length-of-service"], ST.internal, {"до 1 года", "1-3 года", "4-10 лет"}),
        (ATTR["subject-type"], ST.business, {"юридическое лицо", "индивидуальный предприниматель", "самозанятый"}),
        (ATTR["business-size"], ST.business, {"крупное предприятие", "среднее предприятие", "малое предприятие"}),
        (ATTR["service-kind"], ST.internal, {"государственная гражданская служба", "правоохранительная служба", "военная служба"}),
        (ATTR["market-relation-type"], ST.business, {"B2B", "B2C", "B2G"}),
    ],
)
def test_methodology_attributes_have_the_methodology_values(shared, attribute, status, values):
    cat = shared.catalogue
    assert str(status) in cat.attributes[str(attribute)].statuses
    assert values <= _values(cat, attribute, status)


@pytest.mark.parametrize(
    "attribute, text, expected",
    [
        (ATTR["legal-form"], "ОАО", VAL["okopf-oao"]),
        (ATTR["legal-form"], "ООО", VAL["okopf-12300"]),
        (ATTR["legal-form"], "ЗАО", VAL["okopf-zao"]),
        (ATTR["length-of-service"], "менее 1 года", VAL["length-of-service-0"]),
        (ATTR["length-of-service"], "до 1 года", VAL["length-of-service-0"]),
        (ATTR["activity-kind"], "формирование туров и их продажа", VAL["okved2-79-12"]),
    ],
)
def test_methodology_wordings_resolve(shared, attribute, text, expected):
    assert shared.catalogue.resolve_value(str(attribute), text, status=str(ST.internal)) == str(expected)


@pytest.mark.parametrize("old, new", [("oao", {"12247", "12267"}), ("zao", {"12267"})])
def test_pre_2014_legal_forms_are_deprecated_with_replacements(shared, old, new):
    info = shared.catalogue.values[str(VAL["okopf-" + old])]
    assert info.deprecated
    assert {r.rsplit("-", 1)[1] for r in info.replaced_by} == new


def test_age_is_an_integer_0_to_120_with_bands_per_status(shared):
    age = shared.catalogue.attributes[str(ATTR.age)]
    assert age.datatype == str(XSD.integer)
    assert (age.minimum, age.maximum) == (0, 120)
    assert shared.catalogue.band_scheme_for(age.iri, str(ST.citizen)) == str(VS["age-bands-citizen"])
    assert shared.catalogue.band_scheme_for(age.iri, str(ST.internal)) == str(VS["age-bands-internal"])


def test_all_89_regions_with_federal_districts_and_symmetric_borders(graph: Graph):
    regions = set(graph.subjects(SKOS.inScheme, VS.regions))
    assert len(regions) == 89
    with_district = [r for r in regions if graph.value(r, SGM.federalDistrict) is not None]
    assert len(with_district) == 85  # the four subjects of 2022 are in no federal district
    for a, b in graph.subject_objects(SGM.borders):
        assert (b, SGM.borders, a) in graph
    moscow_neighbours = {str(graph.value(o, SKOS.notation)) for o in graph.objects(VAL["region-77"], SGM.borders)}
    assert moscow_neighbours == {"50", "40"}
    assert set(graph.objects(VAL["region-39"], SGM.borders)) == set()  # Kaliningrad: no land border


def test_business_size_thresholds_follow_209_fz(graph: Graph):
    def limits(v):
        return graph.value(VAL[v], SGM.maxEmployees), graph.value(VAL[v], SGM.maxIncome)

    assert limits("business-size-micro") == (Literal(15), Literal("120000000", datatype=XSD.decimal))
    assert limits("business-size-small") == (Literal(100), Literal("800000000", datatype=XSD.decimal))
    assert limits("business-size-medium") == (Literal(250), Literal("2000000000", datatype=XSD.decimal))


LIFE_SITUATIONS = {
    "university-admission": {"citizen"},
    "personal-data-change": {"citizen"},
    "planned-medical-care": {"citizen"},
    "disability-establishment": {"citizen"},
    "car-purchase": {"citizen"},
    "vehicle-purchase": {"citizen", "business"},
    "public-procurement": {"business"},
    "business-merger": {"business"},
    "hiring": {"business"},
    "teacher-admin-burden": {"internal"},
    "civil-service-dismissal": {"internal"},
}


@pytest.mark.parametrize("ls, statuses", sorted(LIFE_SITUATIONS.items()))
def test_life_situations_link_statuses_services_and_acts(graph: Graph, ls, statuses):
    node = LS[ls]
    assert {str(s).rsplit("/", 1)[1] for s in graph.objects(node, SGM.appliesToStatus)} == statuses
    assert list(graph.objects(node, SGM.hasService)), "a life situation has services"
    assert list(graph.objects(node, SGM.regulatedBy)), "a life situation has legal acts"


def test_vehicle_purchase_is_both_a_life_and_a_business_event(graph: Graph):
    from segmentum.namespaces import CV

    assert {CV.LifeEvent, CV.BusinessEvent} <= set(graph.objects(LS["vehicle-purchase"], RDF.type))


@pytest.mark.parametrize("channel", ["epgu", "rpgu", "mfc", "in-person", "post", "website", "agency-eservice", "phone", "erc-mo-website"])
def test_channels_of_the_methodology_exist_with_a_purpose(graph: Graph, channel):
    assert list(graph.objects(CH[channel], SGM.channelPurpose))


def test_the_defence_ministry_channels_are_for_internal_clients_only(graph: Graph):
    assert set(graph.objects(CH["erc-mo-website"], SGM.appliesToStatus)) == {ST.internal}


def test_statuses_have_definitions_and_main_template_attributes(shared):
    cat = shared.catalogue
    assert cat.main_attributes[str(ST.citizen)] == [str(ATTR.sex), str(ATTR.age), str(ATTR["region-of-residence"])]
    assert len(cat.main_attributes[str(ST.business)]) == 3
    assert len(cat.main_attributes[str(ST.internal)]) == 3


def test_repealed_citizenship_law_is_marked(graph: Graph):
    assert graph.value(ACT["fz-62-citizenship"], SGM.inForce) == Literal(False)


def test_the_non_profit_group_is_the_non_commercial_forms_of_legal_entities(shared):
    cat = shared.catalogue
    group = next(g for g in cat.collections if g.endswith("/okopf-non-profit"))
    members = {cat.notation[m] for m in cat.collections[group]}
    assert {"71400", "70401", "75103", "20614"} <= members
    assert not members & {"12300", "12267", "30002", "50102"}  # companies, branches, individuals
