"""The embedded store: named graphs, disk persistence, reloading the shipped data when it changes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from segmentum.engine.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH, SGM, profile_graph
from segmentum.engine.resources import catalogue_files, ontology_files
from segmentum.engine.session import open_session
from segmentum.engine.store import OxigraphStore, load_shipped_data

from .conftest import EXAMPLES


def count(store, graph: URIRef) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"])


def test_ontology_catalogue_and_profiles_are_separate_named_graphs(fresh):
    fresh.load_profiles([EXAMPLES / "student-neighbour-region.yaml"])
    assert count(fresh.store, ONTOLOGY_GRAPH) > 500
    assert count(fresh.store, CATALOGUE_GRAPH) > 5000
    assert count(fresh.store, profile_graph("student-neighbour-region")) > 20
    # a profile triple is only in the profile's graph
    rows = fresh.store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{SGM.hasStatus}> ?o }} }}")
    assert {str(r["g"]) for r in rows} == {str(profile_graph("student-neighbour-region"))}


def test_a_disk_store_keeps_profiles_between_sessions(tmp_path: Path):
    first = open_session(tmp_path)
    first.load_profiles([EXAMPLES / "young-soldier.yaml"])
    first.store.close()
    second = open_session(tmp_path)
    assert profile_graph("young-soldier") in second.store.graphs()
    second.store.close()


def test_shipped_data_is_loaded_once_and_reloaded_when_it_changes(tmp_path: Path):
    store = OxigraphStore()
    onto, cat = ontology_files(), catalogue_files()
    assert load_shipped_data(store, onto, cat) is True
    assert load_shipped_data(store, onto, cat) is False
    changed = tmp_path / "extra.ttl"
    changed.write_text("<urn:x> <urn:p> 1 .\n", encoding="utf-8")
    assert load_shipped_data(store, onto, [*cat, changed]) is True
    assert store.ask(f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ <urn:x> <urn:p> 1 }} }}")


def test_bindings_are_bound_as_terms_not_pasted(fresh):
    rows = fresh.store.select(
        "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?code ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = 'ru') }",
        bindings={"code": Literal("77")},
    )
    assert [str(r["label"]) for r in rows] == ["Москва"]
    # a value that would break a pasted query is harmless as a bound term
    assert fresh.store.select(
        "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?code }",
        bindings={"code": Literal('77" } DROP ALL ; SELECT * {')},
    ) == []
