"""Attributes a profile implies: sgm:derivableFrom in the catalogue, the main-attributes warning, the rules behind it."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from segmentum.inference.chaining import infer
from segmentum.inference.rule_cache import read_rules
from segmentum.namespaces import ATTR, CATALOGUE_GRAPH, ONTOLOGY_GRAPH, PROF, SGM, profile_graph, profile_id_of
from segmentum.resources import rule_files
from segmentum.session import open_session
from segmentum.store.turtle import canonical_turtle
from segmentum.validation.validate import Engine, check_catalogue, load_shapes, profile_graphs, run_engine

from .conftest import DATA, EXAMPLES

DERIVABLE = DATA / "derivable"
MAIN_ATTRIBUTES = URIRef("https://w3id.org/segmentum/shapes#MainAttributesShape")


def local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def loaded():
    """The methodology's tour operator and the profiles of tests/data/derivable in one store."""
    s = open_session()
    s.load_profiles([EXAMPLES / "tour-operator-regular-tours.yaml", DERIVABLE])
    yield s
    s.store.close()


@pytest.fixture(scope="module")
def by_engine(loaded) -> dict[Engine, list]:
    """The results of both engines: the compiled one and pySHACL, the reference."""
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH, *profile_graphs(loaded.store)]
    return {e: run_engine(loaded.store, load_shapes("profile"), e, graphs=graphs) for e in Engine}


@pytest.fixture(params=list(Engine), ids=[e.value for e in Engine])
def results(request, by_engine):
    return by_engine[request.param]


def missing_main(results) -> dict[str, set[str]]:
    """Profile id → the main template attributes the warning says are missing."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in results:
        if r.shape == MAIN_ATTRIBUTES:
            out[profile_id_of(r.focus)].add(local(r.value))
    return dict(out)


# ------------------------------------------------------------ the warning

def test_the_methodology_tour_operator_gets_no_warning_for_the_subject_type_its_legal_form_gives(results):
    # «организационно-правовая форма: ООО» gives the legal entity; the business size is still missing
    assert missing_main(results)["tour-operator-regular-tours"] == {"business-size"}


def test_a_profile_with_only_the_legal_form_gets_no_warning_for_the_subject_type(results):
    assert missing_main(results)["ooo-only"] == {"business-size"}


def test_without_the_legal_form_the_subject_type_is_still_missing(results):
    assert missing_main(results)["no-legal-form"] == {"subject-type", "legal-form", "business-size"}


def test_the_business_size_needs_the_headcount_and_the_income_together(results):
    found = missing_main(results)
    assert found["headcount-only"] == {"business-size"}
    assert "headcount-and-income" not in found


def test_the_warning_names_the_attribute_in_both_languages(loaded):
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH, profile_graph("headcount-only")]
    results = run_engine(loaded.store, load_shapes("profile"), Engine.SPARQL, graphs=graphs, whole_store=False)
    (warning,) = [r for r in results if r.shape == MAIN_ATTRIBUTES]
    assert {m.language: str(m) for m in warning.messages} == {
        "ru": "Нет основного признака шаблона «размер бизнеса» для статуса «Представитель бизнеса»: добавьте его в «attributes:»",
        "en": "The main template attribute «business size» of the status «Business representative» is missing: add it to «attributes:»",
    }


def test_both_engines_give_the_same_results(by_engine):
    fast, reference = ({r.key() for r in by_engine[e]} for e in (Engine.SPARQL, Engine.PYSHACL))
    assert fast == reference
    assert any(key[5] == MAIN_ATTRIBUTES for key in fast)


# ------------------------------------------------------------ the catalogue and the rules

@pytest.fixture(scope="module")
def rules_session():
    s = open_session()
    yield s, read_rules(rule_files(), s.store, cache=False)
    s.store.close()


def derivations(store) -> dict[str, list[frozenset[str]]]:
    """Attribute → its sgm:derivableFrom lists, each as the set of its attributes."""
    rows = store.select(f"""SELECT ?attribute ?list ?member WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{
        ?attribute <{SGM.derivableFrom}> ?list . ?list <{RDF.rest}>*/<{RDF.first}> ?member }} }}""")
    lists: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        lists[(str(r["attribute"]), str(r["list"]))].add(str(r["member"]))
    out: dict[str, list[frozenset[str]]] = defaultdict(list)
    for (attribute, _), members in sorted(lists.items()):
        out[attribute].append(frozenset(members))
    return dict(out)


def test_the_catalogue_says_what_the_shipped_data_derives(shared):
    described = {a: {frozenset(local(m) for m in lst) for lst in lists} for a, lists in derivations(shared.store).items()}
    assert {local(a): v for a, v in described.items()} == {
        "subject-type": {frozenset({"legal-form"})},
        "business-size": {frozenset({"average-headcount", "annual-income"})},
        "federal-district": {frozenset({"region-of-location"}), frozenset({"region-of-residence"})},
        "internal-client-category": {frozenset({"service-kind"})},
        "service-kind": {frozenset({"teacher-role"})},  # a teacher serves in no state or municipal service
    }


def some_value(cat, attribute: str) -> tuple[URIRef, URIRef | Literal]:
    """A value of the attribute as a profile would hold it: the first value of its scheme, or a number."""
    info = cat.attributes[attribute]
    if info.scheme:
        return SGM.value, URIRef(next(v for v in cat.scheme_values[info.scheme] if not cat.values[v].deprecated))
    if info.numeric:
        return SGM.literalValue, Literal(int(info.minimum or 0) + 1)
    return SGM.literalValue, Literal(True)


def test_the_rules_derive_each_attribute_from_all_of_a_list_and_not_from_part_of_it(rules_session):
    """What the catalogue says is what the shipped rules do: a profile with every attribute of a list
    gets the attribute derived; without any one of them it does not (so «all of» is needed)."""
    session, ruleset = rules_session
    cat = session.catalogue
    cases: dict[str, tuple[str, bool]] = {}
    for n, (attribute, lists) in enumerate(sorted(derivations(session.store).items())):
        for k, members in enumerate(lists):
            status = sorted(set(cat.attributes[attribute].statuses).intersection(*(cat.attributes[m].statuses for m in members)))[0]
            variants = [(None, sorted(members))] + ([(m, sorted(members - {m})) for m in sorted(members)] if len(members) > 1 else [])
            for omitted, given in variants:
                pid = f"derive-{n}-{k}-{local(omitted) if omitted else 'all'}"
                iri, seg = PROF[pid], URIRef(f"{PROF[pid]}/segment")
                triples = [(iri, RDF.type, SGM.SegmentProfile), (iri, SGM.profileOf, seg), (seg, RDF.type, SGM.Segment),
                           (seg, SGM.hasStatus, URIRef(status))]
                for m in given:
                    node = URIRef(f"{iri}/attribute/{local(m)}")
                    triples += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion),
                                (node, SGM.attribute, URIRef(m)), (node, *some_value(cat, m))]
                session.store.replace_graph(profile_graph(pid), triples)
                cases[pid] = (attribute, omitted is None)
    infer(session.store, ruleset, profiles=[PROF[p] for p in cases])
    rows = session.store.select(f"SELECT ?seg ?attribute WHERE {{ ?seg <{SGM.derivedValue}>/<{SGM.attribute}> ?attribute }}")
    derived = {(profile_id_of(r["seg"]), str(r["attribute"])) for r in rows}
    assert len(cases) == 8  # 6 lists, and the two-attribute list twice more with one attribute left out
    for pid, (attribute, complete) in cases.items():
        assert ((pid, attribute) in derived) is complete, (pid, local(attribute))


def test_every_attribute_the_rules_derive_from_other_attributes_is_in_the_catalogue(rules_session):
    session, ruleset = rules_session
    cat = session.catalogue
    derived: set[str] = set()
    for rule in ruleset.rules:
        derived |= {str(o) for _, p, o in rule.template if p == SGM.attribute and isinstance(o, URIRef)}
        for value in ruleset.graph.objects(rule.iri, SGM.derivesValue):
            derived |= {a for a, info in cat.attributes.items() if info.scheme == cat.values[str(value)].scheme}
    described = set(derivations(session.store))
    assert described <= derived
    # the residence rule needs the profile's service region too, which is not an attribute
    assert derived - described == {str(ATTR["residence-relative-to-service-region"])}


def test_a_wrong_derivable_from_fails_the_catalogue_shapes(fresh):
    fresh.store.update(f"""PREFIX sgm: <{SGM._NS}> PREFIX attr: <{ATTR}>
        INSERT DATA {{ GRAPH <{CATALOGUE_GRAPH}> {{
            attr:business-size sgm:derivableFrom ( attr:sex ) , ( attr:business-size attr:legal-form ) , attr:legal-form ,
                <{RDF.nil}> , ( <urn:not-an-attribute> ) . }} }}""")
    report = check_catalogue(fresh.store, Engine.SPARQL, fresh.lang)
    found = {(local(f.result.focus), str(f.result.value).rsplit("/", 1)[-1], f.message.split(":")[0]) for f in report.findings}
    assert found == {
        ("business-size", "sex", "Признак «размер бизнеса» и признаки списка sgm"),  # a citizen's attribute, not a business's
        ("business-size", "business-size", "Признак «размер бизнеса» указан в своём же списке sgm"),
        ("business-size", "legal-form", "Значение sgm"),  # not a list
        ("business-size", "22-rdf-syntax-ns#nil", "Значение sgm"),  # the empty list would make it given always
        ("business-size", "urn:not-an-attribute", "В списке sgm"),
        ("business-size", "urn:not-an-attribute", "Признак «размер бизнеса» и признаки списка sgm"),
    }
    assert not report.conforms


def test_two_lists_of_one_attribute_are_written_in_the_same_order_every_time():
    """Blank node labels differ in every parse: lists are ordered by their text."""
    text = """@prefix sgm: <https://w3id.org/segmentum/ontology#> . @prefix attr: <https://w3id.org/segmentum/id/attribute/> .
        attr:federal-district sgm:derivableFrom ( attr:region-of-residence ) , ( attr:region-of-location ) ."""
    written = {canonical_turtle(Graph().parse(data=text, format="turtle")) for _ in range(20)}
    assert len(written) == 1
    assert "sgm:derivableFrom ( attr:region-of-location ) , ( attr:region-of-residence ) ." in written.pop()


def test_catalogue_show_says_what_an_attribute_is_derived_from(runner):
    import json

    from segmentum.cli.main import main

    shown = runner.invoke(main, ["catalogue", "show", "размер бизнеса"])
    assert shown.exit_code == 0, shown.output
    assert ("Выводится правилами из: «доход за предшествующий календарный год» и «среднесписочная численность работников»"
            in shown.stdout)
    district = json.loads(runner.invoke(main, ["--lang", "en", "catalogue", "show", "федеральный округ", "-f", "json"]).stdout)
    assert sorted(map(tuple, district["derivable_from"])) == [("region of location",), ("region of residence",)]
    assert "Выводится" not in runner.invoke(main, ["catalogue", "show", "возраст"]).stdout
