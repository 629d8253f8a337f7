"""The ontology: parses, matches the closed namespace, aligns to the standards, and is consistent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from segmentum import namespaces
from segmentum.namespaces import CV, ELI, SGM
from segmentum.resources import ontology_files
from segmentum.validation.consistency import check_consistency

CPSV_PUBLIC_SERVICE = URIRef("http://purl.org/vocab/cpsv#PublicService")


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    return g


def test_closed_namespace_lists_exactly_the_ontology_terms():
    declared = sorted(k for k in SGM.__annotations__)
    assert declared == namespaces.ontology_terms()


def test_closed_namespace_rejects_a_misspelt_term():
    with pytest.raises(AttributeError):
        SGM.valueSchem  # noqa: B018


def test_regenerating_the_namespace_changes_nothing(tmp_path: Path):
    copy = tmp_path / "namespaces.py"
    copy.write_text(Path(namespaces.__file__).read_text(encoding="utf-8"), encoding="utf-8")
    assert namespaces.regenerate(str(copy)) is False


@pytest.mark.parametrize(
    "cls, parent",
    [
        (SGM.Service, CPSV_PUBLIC_SERVICE),
        (SGM.LifeSituation, CV.Event),
        (SGM.Attribute, CV.InformationConcept),
        (SGM.LegalAct, ELI.LegalResource),
        (SGM.LegalProvision, ELI.LegalResourceSubdivision),
        (SGM.Channel, CV.Channel),
        (SGM.AttributeValue, SKOS.Concept),
        (SGM.ValueScheme, SKOS.ConceptScheme),
        (SGM.AttributeAssertion, CV.SupportedValue),
        (SGM.ApplicationForm, CV.EvidenceType),
        (SGM.JourneyFeature, SGM.Hypothesis),
        (SGM.Pain, SGM.Hypothesis),
    ],
)
def test_classes_are_aligned_to_the_standards(onto: Graph, cls, parent):
    assert (cls, RDFS.subClassOf, parent) in onto


def test_every_term_has_russian_and_english_labels_and_definitions(onto: Graph):
    missing = []
    for s in set(onto.subjects()):
        if not str(s).startswith(str(SGM._NS)) or str(s) == str(SGM._NS):
            continue
        for prop in ((RDFS.label, SKOS.prefLabel), (SKOS.definition,)):
            langs = {o.language for p in prop for o in onto.objects(s, p)}
            if not {"ru", "en"} <= langs:
                missing.append((str(s), prop[0]))
    assert missing == []


@pytest.mark.parametrize(
    "individual, cls",
    [
        (SGM.StageAttributes, SGM.ProfilingStage),
        (SGM.StageRefined, SGM.ProfilingStage),
        (SGM.Open, SGM.HypothesisState),
        (SGM.Confirmed, SGM.HypothesisState),
        (SGM.Refuted, SGM.HypothesisState),
        (SGM.Capacity, SGM.PrioritisationCriterion),
        (SGM.BlindZone, SGM.PrioritisationCriterion),
        (SGM.Informing, SGM.ChannelPurpose),
    ],
)
def test_methodology_individuals_are_defined(onto: Graph, individual, cls):
    assert (individual, RDF.type, cls) in onto


@pytest.mark.slow
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(onto: Graph):
    report = check_consistency(onto)
    assert report.unsatisfiable == []
    assert subprocess.run([report.java, "-version"], capture_output=True).returncode == 0


@pytest.mark.slow
def test_hermit_reports_an_unsatisfiable_class_when_there_is_one(onto: Graph):
    """The check can fail: a class below two disjoint classes is unsatisfiable."""
    broken = Graph() + onto
    bad = URIRef(str(SGM._NS) + "Broken")
    broken.add((SGM.Pain, OWL.disjointWith, SGM.JourneyFeature))
    broken.add((bad, RDF.type, OWL.Class))
    broken.add((bad, RDFS.subClassOf, SGM.Pain))
    broken.add((bad, RDFS.subClassOf, SGM.JourneyFeature))
    assert check_consistency(broken).unsatisfiable == [str(bad)]
