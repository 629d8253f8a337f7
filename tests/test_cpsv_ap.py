"""``segmentum export --as cpsv-ap``: the catalogue's services in CPSV-AP 3.2, valid against its shapes."""

from __future__ import annotations

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from segmentum.cli.main import main
from segmentum.namespaces import CATALOGUE_GRAPH, PREFIXES

from .conftest import DATA, EXAMPLES

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SHAPES = DATA / "cpsv-ap" / "cpsv-ap-SHACL.ttl"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Graph:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("cpsv") / "services.ttl"
    result = CliRunner().invoke(main, ["export", "--as", "cpsv-ap", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return Graph().parse(out, format="turtle")


def test_export_conforms_to_the_cpsv_ap_shapes(exported):
    conforms, _, report = validate(exported, shacl_graph=Graph().parse(SHAPES, format="turtle"), inference="none")
    assert conforms, report


def test_every_catalogue_service_with_an_authority_is_a_public_service(shared, exported):
    rows = shared.store.select(
        f"PREFIX cv: <{CV}> PREFIX sgm: <{PREFIXES['sgm']}> "
        f"SELECT ?s WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s a sgm:Service ; cv:hasCompetentAuthority ?a }} }}"
    )
    services = {r["s"] for r in rows}
    assert len(services) >= 14
    assert set(exported.subjects(RDF.type, CPSV.PublicService)) == services


def test_events_acts_forms_authorities_and_channels_are_exported(exported):
    svc = URIRef(PREFIXES["svc"] + "tour-operator-registry")
    assert (svc, CV.hasCompetentAuthority, URIRef(PREFIXES["auth"] + "minek")) in exported
    assert (svc, CV.hasLegalResource, URIRef(PREFIXES["act"] + "fz-132-tourism")) in exported
    assert (URIRef(PREFIXES["act"] + "fz-132-tourism"), RDF.type, ELI.LegalResource) in exported
    assert set(exported.objects(svc, CV.hasInputType)) and all((f, RDF.type, CV.EvidenceType) in exported for f in exported.objects(svc, CV.hasInputType))
    # the example profile of this service prefers the agency's service and ЕПГУ for receiving it
    assert set(exported.objects(svc, CV.hasChannel)) == {URIRef(PREFIXES["ch"] + "agency-eservice"), URIRef(PREFIXES["ch"] + "epgu")}
    admission = URIRef(PREFIXES["svc"] + "university-admission-application")
    event = URIRef(PREFIXES["ls"] + "university-admission")
    assert (admission, CV.isGroupedBy, event) in exported and (event, RDF.type, CV.LifeEvent) in exported
    assert (URIRef(PREFIXES["ls"] + "public-procurement"), RDF.type, CV.BusinessEvent) in exported
    assert len(set(exported.subjects(RDF.type, CV.PublicOrganisation))) >= 10
    assert len(set(exported.subjects(RDF.type, CV.Channel))) >= 10
    assert all(exported.value(s, DCTERMS.description) is not None for s in exported.subjects(RDF.type, CPSV.PublicService))


def test_without_profiles_no_channel_is_linked(runner):
    result = runner.invoke(main, ["export", "--as", "cpsv-ap"])
    assert result.exit_code == 0
    g = Graph().parse(data=result.stdout, format="turtle")
    assert not list(g.triples((None, CV.hasChannel, None)))
    assert list(g.subjects(RDF.type, CV.Channel))
