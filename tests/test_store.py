"""The store, embedded and remote: named graphs, disk persistence, reloading the shipped data when it changes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Literal, URIRef

from segmentum.namespaces import (
    CATALOGUE_GRAPH,
    ONTOLOGY_GRAPH,
    SGM,
    profile_graph,
    provenance_graph,
)
from segmentum.resources import catalogue_files, ontology_files
from segmentum.session import open_session
from segmentum.store.embedded import load_shipped_data

from .conftest import EXAMPLES


def count(store, graph: URIRef) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"])


def test_ontology_catalogue_and_profiles_are_separate_named_graphs(backend):
    backend.load_profiles([EXAMPLES / "student-neighbour-region.yaml"])
    assert count(backend.store, ONTOLOGY_GRAPH) > 500
    assert count(backend.store, CATALOGUE_GRAPH) > 5000
    assert count(backend.store, profile_graph("student-neighbour-region")) > 20
    # a profile triple is only in the profile's graph
    rows = backend.store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{SGM.hasStatus}> ?o }} }}")
    assert {str(r["g"]) for r in rows} == {str(profile_graph("student-neighbour-region"))}


def test_a_disk_store_keeps_profiles_between_sessions(tmp_path: Path):
    first = open_session(tmp_path)
    first.load_profiles([EXAMPLES / "young-soldier.yaml"])
    first.store.close()
    second = open_session(tmp_path)
    assert profile_graph("young-soldier") in second.store.graphs()
    second.store.close()


def test_shipped_data_is_loaded_once_and_reloaded_when_it_changes(tmp_path: Path, backend):
    store = backend.store
    onto, cat = ontology_files(), catalogue_files()
    assert load_shipped_data(store, onto, cat) is False  # the session loaded it

    changed = tmp_path / "extra.ttl"
    changed.write_text("<urn:x> <urn:p> 1 .\n", encoding="utf-8")
    assert load_shipped_data(store, onto, [*cat, changed]) is True
    assert store.ask(f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ <urn:x> <urn:p> 1 }} }}")
    assert load_shipped_data(store, onto, cat) is True  # back to the shipped version
    assert not store.ask(f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ <urn:x> <urn:p> 1 }} }}")


def test_bindings_are_bound_as_terms_not_pasted(backend):
    rows = backend.store.select(
        "SELECT ?label WHERE { ?s a <https://w3id.org/segmentum/ontology#Region> ; <http://www.w3.org/2004/02/skos/core#notation> ?code ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = 'ru') }",
        bindings={"code": Literal("77")},  # a region's code: ОКВЭД2 has a division 77 as well
    )
    assert [str(r["label"]) for r in rows] == ["Москва"]
    # a value that would break a pasted query is harmless as a bound term
    assert backend.store.select(
        "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?code }",
        bindings={"code": Literal('77" } DROP ALL ; SELECT * {')},
    ) == []


def test_a_replaced_graph_holds_exactly_the_new_triples(backend):
    backend.load_profiles([EXAMPLES / "young-soldier.yaml"])
    graph = profile_graph("young-soldier")
    before = count(backend.store, graph)
    backend.store.replace_graph(graph, [(URIRef("urn:a"), URIRef("urn:b"), Literal("c", lang="ru"))])
    assert count(backend.store, graph) == 1
    assert before > 1
    assert graph in backend.store.graphs()


def test_a_replacement_that_fails_leaves_every_graph_as_it_was(backend):
    """A graph is replaced in one transaction: a triple that cannot be written (an IRI with a space)
    fails the whole replacement, and the old triples stay (before, the embedded store had already
    dropped the graph)."""
    backend.load_profiles([EXAMPLES / "young-soldier.yaml"])
    graph, provenance = profile_graph("young-soldier"), provenance_graph("young-soldier")
    before = count(backend.store, graph), count(backend.store, provenance)
    good, bad = (URIRef("urn:a"), URIRef("urn:b"), Literal("c")), (URIRef("urn:a b"), URIRef("urn:b"), Literal("c"))
    with pytest.raises(Exception):  # noqa: B017 (each store refuses it in its own way)
        backend.store.replace_graph(graph, [good, bad])
    assert (count(backend.store, graph), count(backend.store, provenance)) == before
    # the profile's graph alone would be fine: it is not replaced either
    with pytest.raises(Exception):  # noqa: B017 (each store refuses it in its own way)
        backend.store.replace_graphs({graph: [good], provenance: [good, bad]})
    assert (count(backend.store, graph), count(backend.store, provenance)) == before


def test_a_profile_and_its_provenance_go_to_a_remote_store_in_one_update_request(oxigraph_endpoint):
    """One request per profile: the server applies it whole, so no one sees a profile without its provenance."""
    session = open_session(endpoint=oxigraph_endpoint)
    updates = []

    def record(request):
        if str(request.url) == oxigraph_endpoint.update_url:
            updates.append(request.content.decode("utf-8"))

    session.store._client.event_hooks["request"].append(record)
    try:
        loaded = session.load_profiles([EXAMPLES])
    finally:
        session.store.close()
    assert len(loaded) == 8
    assert len(updates) == 8
    for prof in loaded:  # each request drops and fills both graphs of one profile
        both = [u for u in updates if quote(f"<{prof.graph}>", safe="") in u and quote(f"<{provenance_graph(prof.id)}>", safe="") in u]
        assert len(both) == 1, prof.id


def test_default_graphs_limit_what_a_query_reads(backend):
    backend.load_profiles([EXAMPLES / "young-soldier.yaml"])
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only = int(backend.store.select(everything, default_graphs=[ONTOLOGY_GRAPH])[0]["n"])
    assert only == count(backend.store, ONTOLOGY_GRAPH)
    assert int(backend.store.select(everything)[0]["n"]) > only


def test_construct_dump_and_load_dataset_round_trip(backend, tmp_path: Path):
    backend.load_profiles([EXAMPLES / "young-soldier.yaml"])
    graph = profile_graph("young-soldier")
    nq = backend.store.dump(graphs=[graph], fmt="nq")
    constructed = backend.store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert len(constructed) == count(backend.store, graph) == len(nq.decode().strip().splitlines())
    backend.store.update(f"DROP SILENT GRAPH <{graph}>")
    assert graph not in backend.store.graphs()
    path = tmp_path / "profile.nq"
    path.write_bytes(nq)
    backend.store.load_dataset(path)
    assert count(backend.store, graph) == len(constructed)


def test_a_turtle_syntax_error_names_file_line_and_column(backend, tmp_path: Path):
    from segmentum.errors import CatalogueError

    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        backend.store.load_file(bad, graph=URIRef("urn:graph"))
    assert str(caught.value).startswith(f"{bad}:2:")


def test_bound_values_go_to_the_start_of_the_where_group():
    from rdflib import Literal as Lit

    from segmentum.store.embedded import bind

    q = 'PREFIX ex: <http://ex/{x}>\n# a { comment\nSELECT ?s WHERE { ?s ex:p "a } b" . { SELECT ?s WHERE { ?s ?p ?o } } }'
    out = bind(q, {"s": URIRef("http://ex/s1")})
    assert out.startswith('PREFIX ex: <http://ex/{x}>\n# a { comment\nSELECT ?s WHERE { VALUES (?s) { (<http://ex/s1>) }')
    c = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert bind(c, {"o": Lit("x")}) == 'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { ("x") }  ?s ?p ?o }'
    short = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert bind(short, {"o": Lit(1)}).startswith('CONSTRUCT WHERE { VALUES (?o) {')
    # a value cannot change the query: it is written as an escaped RDF term
    assert '"x\\" } DROP ALL {"' in bind(c, {"o": Lit('x" } DROP ALL {')})


MARKED = """SELECT ?status ?n ?label WHERE {
  {
    SELECT ?status (COUNT(DISTINCT ?s) AS ?n) WHERE {
      # values: ?status ?other
      ?s <urn:status> ?status . FILTER (?s != "# values: ?status")
    }
    GROUP BY ?status
  }
  OPTIONAL { ?status <urn:label> ?label }  # values: ?status
}
ORDER BY ?status"""


def test_a_values_marker_gets_the_bound_values_on_its_own_line():
    from segmentum.store.embedded import bind

    out = bind(MARKED, {"status": URIRef("urn:st1")})
    lines = out.splitlines()
    assert len(lines) == len(MARKED.splitlines())  # line numbers stay
    assert lines[0] == "SELECT ?status ?n ?label WHERE { VALUES (?status) { (<urn:st1>) } "
    assert lines[3] == "      VALUES (?status) { (<urn:st1>) } # values: ?status ?other"
    # in a string and after a pattern on the same line it is not a marker
    assert lines[4] == MARKED.splitlines()[4] and lines[8] == MARKED.splitlines()[8]
    # only the bound variables a marker names; none bound: the line stays a comment
    both = bind(MARKED, {"status": URIRef("urn:st1"), "other": Literal(2)}).splitlines()
    assert both[3].startswith('      VALUES (?status ?other) { (<urn:st1> "2"^^<http://www.w3.org/2001/XMLSchema#integer>) } #')
    assert bind(MARKED, {"label": Literal("x")}).splitlines()[3] == "      # values: ?status ?other"
    assert bind(MARKED, {}) == MARKED
    # outside the WHERE group (in a query's header) it is a comment
    header = "# values: ?status\n" + MARKED
    assert bind(header, {"status": URIRef("urn:st1")}).startswith("# values: ?status\nSELECT")


def test_a_values_marker_restricts_the_subquery_with_the_same_results(backend):
    backend.store.update("INSERT DATA { GRAPH <urn:g:marker> { <urn:a> <urn:status> <urn:st1> . <urn:b> <urn:status> <urn:st1> . "
                         "<urn:c> <urn:status> <urn:st2> . <urn:st1> <urn:label> \"one\" } }")
    try:
        for bindings in ({"status": URIRef("urn:st1")}, {"status": URIRef("urn:st2")}, {}):
            rows = backend.store.select(MARKED, bindings=bindings)
            unmarked = backend.store.select(MARKED.replace("# values:", "# "), bindings=bindings)
            assert rows == unmarked
        assert [(str(r["status"]), int(r["n"]), str(r["label"])) for r in backend.store.select(MARKED, bindings={"status": URIRef("urn:st1")})] \
            == [("urn:st1", 2, "one")]
    finally:
        backend.store.update("DROP SILENT GRAPH <urn:g:marker>")


def test_materialized_triples_go_to_the_graph_of_their_subjects_profile():
    """The routing of a CONSTRUCT's N-Triples to N-Quads: by the path segment after the prefix, other subjects left out."""
    import pyoxigraph as ox

    from segmentum.store import quads as store_module

    data = (
        b'<https://w3id.org/segmentum/id/profile/a> <http://x/p> <https://w3id.org/segmentum/id/profile/b/s> .\n'
        b'<https://w3id.org/segmentum/id/profile/b/suggestion/attribute/age> <http://x/p> "a .\\n b" .\n'
        b'<https://w3id.org/segmentum/id/attribute/age> <http://x/p> <http://x/o> .\n'
        b'_:b1 <http://x/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        b'<https://w3id.org/segmentum/id/profile/c/derivation/1f> <http://x/w> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )
    pieces, n = store_module.route(data, b"https://w3id.org/segmentum/id/profile/", b"https://w3id.org/segmentum/graph/inferred/")
    assert n == 3
    quads = list(ox.parse(b"".join(pieces), format=ox.RdfFormat.N_QUADS))
    assert [(q.subject.value.rsplit("/profile/")[1], q.graph_name.value.rsplit("/")[-1]) for q in quads] == [
        ("a", "a"), ("b/suggestion/attribute/age", "b"), ("c/derivation/1f", "c")]
    assert quads[1].object == ox.Literal("a .\n b")


def test_rows_filled_into_a_template_give_the_quads_of_the_construct():
    """``rows_to_quads`` against ``route`` on the same CONSTRUCT: unbound variables, short-form
    numbers and booleans, escaped strings, language tags, subjects that are not profile nodes,
    a predicate variable bound to a literal, and repeated solutions (counted once)."""
    import pyoxigraph as ox
    from rdflib import RDF, Variable

    from segmentum.store.quads import Construct, route, rows_to_quads

    prof, into = b"https://w3id.org/segmentum/id/profile/", b"https://w3id.org/segmentum/graph/inferred/"
    x, v, p, d = Variable("x"), Variable("v"), Variable("p"), Variable("d")
    w = URIRef("http://x/w")
    construct = Construct(
        "", ((x, w, v), (d, URIRef("http://x/rule"), URIRef("http://x/r1")), (d, URIRef("http://x/of"), x),
             (x, p, Literal("постоянная")), (d, RDF.type, v)),
        '{ VALUES (?x ?v ?p) { (<https://w3id.org/segmentum/id/profile/a> 1 <http://x/p>) '
        '(<https://w3id.org/segmentum/id/profile/a/s/1> -2.50 "p") (<https://w3id.org/segmentum/id/profile/b> 1.5e3 UNDEF) '
        '(<https://w3id.org/segmentum/id/profile/b> true <http://x/p>) (<https://w3id.org/segmentum/id/profile/c> "a\\tb\\nc \\" ." <http://x/p>) '
        '(<https://w3id.org/segmentum/id/profile/c> "да"@ru <http://x/p>) (<https://w3id.org/segmentum/id/attribute/age> 2 <http://x/p>) '
        '(<https://w3id.org/segmentum/id/profile/d> UNDEF <http://x/p>) (<https://w3id.org/segmentum/id/profile/d> UNDEF <http://x/p>) '
        '(<https://w3id.org/segmentum/id/profile/e> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> <http://x/p>) } '
        'BIND (IRI(CONCAT(STR(?x), "/derivation/1")) AS ?d) }')
    assert construct.by_rows
    store = ox.Store()
    tsv = store.query(construct.select()).serialize(format=ox.QueryResultsFormat.TSV)
    nt = store.query(str(construct)).serialize(format=ox.RdfFormat.N_TRIPLES)
    fast, n = rows_to_quads(tsv, construct.template, prof, into, b"http://x/rule")
    reference, _ = route(nt, prof, into)

    def quads(pieces):
        return {q for q in ox.parse(b"".join(pieces), format=ox.RdfFormat.N_QUADS)}

    got = quads(fast)
    assert got == quads(reference)
    assert n == 6  # a, a/s/1, b, c, d, e: the repeated solution for d and the attribute (not a profile node) give none
    assert ox.Quad(ox.NamedNode("https://w3id.org/segmentum/id/profile/b"), ox.NamedNode("http://x/w"),
                   ox.Literal("1500", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")),
                   ox.NamedNode("https://w3id.org/segmentum/graph/inferred/b")) in got
    assert not any(q.subject.value.endswith("/attribute/age") for q in got)


def test_a_list_binding_takes_each_of_its_terms_in_turn(backend):
    query = ("SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?code ; "
             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = ?lang) "
             "FILTER(STRSTARTS(STR(?s), \"https://w3id.org/segmentum/id/value/region-\")) }")  # ОКВЭД2 has a 77 too
    rows = backend.store.select(query, bindings={"code": [Literal("77"), Literal("78")], "lang": Literal("ru")})
    assert sorted(str(r["label"]) for r in rows) == ["Москва", "Санкт-Петербург"]
    assert backend.store.select(query, bindings={"code": [], "lang": Literal("ru")}) == []


def test_an_n_quads_file_loads_into_memory_without_holding_much_more_than_the_store_keeps(tmp_path: Path):
    """The bulk loader's batches held 1.5× what the store kept at their peak (725 MB for 50,000 profiles)."""
    import subprocess
    import sys

    data = tmp_path / "many.nq"
    with data.open("w", encoding="utf-8") as fh:
        for i in range(60_000):
            fh.write(f'<urn:s{i}> <urn:p{i % 7}> "value {i}" <urn:g{i // 30}> .\n')
    script = f"""
from pathlib import Path
from segmentum.store.embedded import OxigraphStore
def status(key):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key))
store = OxigraphStore()
open("/proc/self/clear_refs", "w").write("5")  # the peak from here on
before = status("VmRSS")
store.load_dataset(Path({str(data)!r}))
print(before, status("VmRSS"), status("VmHWM"), len(store._store))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    before, after, peak, quads = map(int, out)
    assert quads == 60_000
    assert peak - before < 1.2 * (after - before), f"kept {(after - before) // 1024} MB, peak {(peak - before) // 1024} MB"
    # read in blocks: an error names its line in the file; a blank node named on both sides of a block is one node
    from segmentum.errors import CatalogueError
    from segmentum.store.embedded import OxigraphStore

    lines = [f'<urn:s{i}> <urn:p> "{"x" * 100}" <urn:g> .\n' for i in range(30_000)]
    data.write_text('_:b <urn:p> "1" <urn:g> .\n' + "".join(lines) + '_:b <urn:q> "2" <urn:g> .\n', encoding="utf-8")
    store = OxigraphStore()
    store.load_dataset(data)
    assert store.select('SELECT ?s WHERE { ?s <urn:p> "1" ; <urn:q> "2" }') != []
    data.write_text("".join(lines) + "<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        OxigraphStore().load_dataset(data)
    assert (caught.value.location.line, caught.value.location.column) == (30_001, 17)
