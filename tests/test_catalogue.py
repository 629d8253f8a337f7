"""The shipped catalogue: real, sourced content for the three statuses, written canonically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from segmentum.catalogue.source_checks import source_checks
from segmentum.cli.main import main
from segmentum.i18n.messages import Lang
from segmentum.namespaces import ACT, ATTR, CATALOGUE_GRAPH, CH, LS, SGM, ST, VAL, VS
from segmentum.resources import catalogue_files, rule_files
from segmentum.store.turtle import canonical_turtle, read_header
from segmentum.validation.validate import Engine, check_catalogue


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


def test_a_source_needs_review_exactly_when_it_is_not_checked(fresh):
    """Neither flag, or both, is an error of the catalogue check; so is a copy written as a string or an undated check."""
    src, act, form = "https://w3id.org/segmentum/id/source/", ACT, "https://w3id.org/segmentum/id/form/"
    fresh.store.update(f"""PREFIX sgm: <{SGM._NS}> PREFIX xsd: <{XSD}>
        DELETE WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ <{src}art-nk-2-207> sgm:needsReview ?r }} }} ;
        DELETE WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ <{src}art-tk-57> sgm:checkedOn ?d }} }} ;
        INSERT DATA {{ GRAPH <{CATALOGUE_GRAPH}> {{
            <{act}fz-25-mun> sgm:needsReview true .
            <{form}mse-referral-088u> sgm:checkedAgainst "base.garant.ru/405685943" ; sgm:checkedOn "12.08.2022" . }} }}""")
    report = check_catalogue(fresh.store, Engine.SPARQL, fresh.lang)
    found = {(str(f.result.focus).rsplit("/", 1)[-1], f.message.split(":")[0]) for f in report.findings}
    assert found == {
        ("art-nk-2-207", "Источник src"),  # «… не сверен с текстом … и не помечен sgm:needsReview true»
        ("fz-25-mun", "Источник act"),  # «… сверен с текстом (sgm:checkedAgainst), но помечен sgm:needsReview true»
        ("art-tk-57", "У сверенного источника (sgm"),  # no sgm:checkedOn
        ("mse-referral-088u", "sgm"),  # checkedAgainst a string, checkedOn not a date
        ("mse-referral-088u", "Источник form"),  # and still flagged
    }
    messages = [f.message for f in report.findings]
    assert any(m.startswith("Источник act:fz-25-mun сверен с текстом (sgm:checkedAgainst), но помечен sgm:needsReview true") for m in messages)
    assert any(m.startswith("Источник src:art-nk-2-207 не сверен с текстом") for m in messages)
    assert len([f for f in report.findings if str(f.result.focus).endswith("mse-referral-088u")]) == 3


def test_every_shipped_source_is_checked_or_flagged(graph: Graph):
    sources = {s for c in (SGM.LegalProvision, SGM.FormField, SGM.LegalAct, SGM.ApplicationForm) for s in graph.subjects(RDF.type, c)}
    checked = {s for s in sources if graph.value(s, SGM.checkedAgainst) is not None}
    flagged = {s for s in sources if graph.value(s, SGM.needsReview) == Literal(True)}
    assert checked.isdisjoint(flagged) and checked | flagged == sources


def _expected_checks(graph: Graph) -> tuple[set, set, set]:
    sources = {s for c in (SGM.LegalProvision, SGM.FormField, SGM.LegalAct, SGM.ApplicationForm) for s in graph.subjects(RDF.type, c)}
    checked = {s for s in sources if graph.value(s, SGM.checkedAgainst) is not None}
    rules = Graph()
    for f in rule_files():
        rules.parse(f, format="turtle")
    cited = ({o for a in graph.subjects(RDF.type, SGM.Attribute) for o in graph.objects(a, SGM.hasSource)}
             | set(rules.objects(None, SGM.justification))) & sources
    return sources, checked, cited


def test_catalogue_check_tells_how_many_sources_are_checked(runner, graph: Graph):
    sources, checked, cited = _expected_checks(graph)
    shown = runner.invoke(main, ["catalogue", "check"])
    assert shown.exit_code == 0, shown.output
    line = (f"Источники сверены с текстом: {len(checked)} из {len(sources)} ({len(checked) * 100 // len(sources)} %); из тех, на которые "
            f"ссылаются признаки и правила: {len(cited & checked)} из {len(cited)} ({len(cited & checked) * 100 // len(cited)} %).\n")
    assert line in shown.stdout
    assert "Основные признаки шаблона со сверенным источником: " in shown.stdout
    assert "Sources checked against the text: " in runner.invoke(main, ["--lang", "en", "catalogue", "check"]).stdout
    data = json.loads(runner.invoke(main, ["catalogue", "check", "-f", "json"]).stdout)["sources"]
    assert (data["total"], data["checked"], data["cited"]["total"], data["cited"]["checked"]) == (len(sources), len(checked), len(cited), len(cited & checked))
    assert data["unchecked_cited"] == sorted(str(s) for s in cited - checked)
    assert [m["label"] for m in data["main_attributes"]] == [
        "пол", "возраст", "регион проживания", "тип субъекта экономической деятельности", "организационно-правовая форма", "размер бизнеса",
        "стаж работы", "вид службы"]
    assert all(m["checked_source"] == any((s, SGM.checkedAgainst, None) in graph for s in graph.objects(URIRef(m["attribute"]), SGM.hasSource))
               for m in data["main_attributes"])
    assert "Источники сверены" not in runner.invoke(main, ["catalogue", "check", "-f", "ttl"]).stdout  # the standard SHACL report


def test_a_main_attribute_without_a_checked_source_is_named(fresh):
    fresh.store.update(f"""PREFIX sgm: <{SGM._NS}> PREFIX attr: <{ATTR}>
        DELETE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s sgm:checkedAgainst ?c }} }}
        WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ attr:sex sgm:hasSource ?s . ?s sgm:checkedAgainst ?c }} }} ;
        DELETE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s sgm:checkedAgainst ?c }} }}
        WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ attr:business-size sgm:hasSource ?s . ?s sgm:checkedAgainst ?c }} }} ;
        INSERT {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s sgm:checkedAgainst <https://example.org/copy> }} }}
        WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ attr:business-size sgm:hasSource ?s . ?s a sgm:LegalProvision }} }}""")
    checks = source_checks(fresh.store, rule_files(), Lang.RU)
    assert {m.label: m.checked for m in checks.main}["пол"] is False
    assert {m.label: m.checked for m in checks.main}["размер бизнеса"] is True
    # every other main attribute of the shipped catalogue has a checked source: only «пол» is named
    assert "; без него: пол.\n" in checks.lines(Lang.RU)
    assert "; without one: sex.\n" in source_checks(fresh.store, rule_files(), Lang.EN).lines(Lang.EN)
