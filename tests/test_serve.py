"""segmentum serve over real HTTP: the SPARQL 1.1 Protocol, content negotiation, and its limits.

The server runs as ``segmentum serve`` in a subprocess on a free loopback port, with small limits,
so that each refusal can be provoked; after each one the server must answer the next query.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from segmentum.cli.main import main
from segmentum.namespaces import ONTOLOGY_GRAPH

from .conftest import EXAMPLES, free_port, stop, wait_for

TIMEOUT = 1.5
MAX_ROWS = 2000
MAX_BYTES = 4000
TOKEN = "test-token-Wq3"
MOSCOW = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code WHERE { ?region skos:notation ?code ; skos:prefLabel "Москва"@ru }"""
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start_server(*args: str, store: Path | None = None, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """``segmentum [--store DIR] serve ARGS`` on a free port; returns the process and the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "segmentum.cli.main", *(["--store", str(store)] if store else []), "serve", *args, "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/sparql?query=ASK%7B%7D", process)
    return process, base


@pytest.fixture(scope="module")
def server():
    process, base = start_server(str(EXAMPLES), "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                                 "--max-query-bytes", str(MAX_BYTES), "--workers", "2")
    yield base
    stop(process)


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    process, base = start_server("--allow-update", "--timeout", str(TIMEOUT), "--workers", "1", store=store,
                                 env={"SEGMENTUM_SERVE_TOKEN": TOKEN})
    yield base
    stop(process)


def alive(base: str) -> None:
    """The server answers a normal query."""
    response = httpx.get(f"{base}/sparql", params={"query": MOSCOW}, timeout=30)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["code"]["value"] == "77"


# ---------------------------------------------------------------- protocol (W3C SPARQL 1.1 Protocol cases)

def test_query_via_get(server):
    response = httpx.get(f"{server}/sparql", params={"query": MOSCOW})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json() == {"head": {"vars": ["code"]}, "results": {"bindings": [{"code": {"type": "literal", "value": "77"}}]}}


def test_query_via_url_encoded_post(server):
    response = httpx.post(f"{server}/sparql", data={"query": MOSCOW})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["code"]["value"] == "77"


def test_query_via_direct_post(server):
    response = httpx.post(f"{server}/sparql", content=MOSCOW.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["code"]["value"] == "77"


def test_the_served_data_are_the_catalogue_and_the_given_profiles(server):
    query = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/segmentum/ontology#SegmentProfile> }"
    assert httpx.get(f"{server}/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"] == "8"


def test_default_graph_uri_chooses_the_default_graph(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = int(httpx.get(f"{server}/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"])
    only = int(httpx.get(f"{server}/sparql", params={"query": query, "default-graph-uri": str(ONTOLOGY_GRAPH)}).json()["results"]["bindings"][0]["n"]["value"])
    assert 500 < only < whole


def test_no_query_is_a_bad_request(server):
    assert httpx.get(f"{server}/sparql").status_code == 400
    assert httpx.post(f"{server}/sparql", content=b"x", headers={"Content-Type": "image/png"}).status_code == 415
    assert httpx.get(f"{server}/sparql", params=[("query", MOSCOW), ("query", MOSCOW)]).status_code == 400


# ---------------------------------------------------------------- content negotiation

@pytest.mark.parametrize("accept, media", [
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
])
def test_select_results_in_the_accepted_format(server, accept, media):
    response = httpx.get(f"{server}/sparql", params={"query": MOSCOW}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    if media == "text/csv":  # lossy: no parser reads it back into terms
        assert list(csv.reader(io.StringIO(response.text))) == [["code"], ["77"]]
        return
    parsed = ox.parse_query_results(response.content, format={
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML}.get(media, ox.QueryResultsFormat.JSON))
    assert [s["code"].value for s in parsed] == ["77"]


def test_the_format_parameter_overrides_accept(server):
    response = httpx.get(f"{server}/sparql", params={"query": MOSCOW, "format": "csv"}, headers={"Accept": "application/sparql-results+xml"})
    assert list(csv.reader(io.StringIO(response.text))) == [["code"], ["77"]]


def test_construct_in_turtle_and_n_triples(server):
    query = ("CONSTRUCT { ?r <urn:code> ?code } WHERE { ?r <http://www.w3.org/2004/02/skos/core#notation> ?code ; "
             "<http://www.w3.org/2004/02/skos/core#prefLabel> \"Москва\"@ru }")
    turtle = httpx.get(f"{server}/sparql", params={"query": query})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))) == 1
    nt = httpx.get(f"{server}/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"] == "application/n-triples"
    assert nt.text.strip().endswith('<urn:code> "77" .')


def test_ask(server):
    response = httpx.get(f"{server}/sparql", params={"query": "ASK { ?s a <https://w3id.org/segmentum/ontology#SegmentProfile> }"})
    assert response.json()["boolean"] is True


def test_an_unavailable_format_is_not_acceptable(server):
    response = httpx.get(f"{server}/sparql", params={"query": MOSCOW}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/csv" in response.text


# ---------------------------------------------------------------- refusals, each followed by a normal query

def test_a_bad_query_gets_400_with_the_parsers_message(server):
    response = httpx.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("ошибка синтаксиса SPARQL: ") and "line 1" in response.text
    alive(server)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { service   silent <http://example.org/> { ?s ?p ?x } } } LIMIT 1",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { { SELECT ?s WHERE { SERVICE ex:sparql { ?s ?p ?o } } } }",
    "SELECT * WHERE { BIND(<http://example.org/> AS ?where) SERVICE ?where { ?s ?p ?o } }",
])
def test_service_is_refused(server, query):
    response = httpx.post(f"{server}/sparql", data={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text
    alive(server)


def test_service_in_a_comment_or_a_string_is_not_a_service_call(server):
    query = '# SERVICE <http://example.org/>\nSELECT ?x WHERE { BIND("SERVICE <http://example.org/> { }" AS ?x) }'
    response = httpx.post(f"{server}/sparql", data={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


def test_a_read_only_server_refuses_updates(server):
    update = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    for response in (
        httpx.post(f"{server}/update", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}),
        httpx.post(f"{server}/update", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        httpx.post(f"{server}/sparql", data={"update": update}),
    ):
        assert response.status_code == 403
        assert "--allow-update" in response.text
    assert httpx.get(f"{server}/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False
    alive(server)


def test_a_query_longer_than_the_limit_is_refused(server):
    query = MOSCOW + "\n#" + "x" * MAX_BYTES
    response = httpx.post(f"{server}/sparql", data={"query": query})
    assert response.status_code == 413
    assert str(MAX_BYTES) in response.text
    alive(server)


def test_a_huge_body_is_refused_without_being_read(server):
    with httpx.Client() as client:
        big = client.post(f"{server}/sparql", content=b"#" * (50 * MAX_BYTES), headers={"Content-Type": "application/sparql-query"})
        assert big.status_code == 413

        def chunks():  # no Content-Length: the body is counted while it arrives
            for _ in range(100):
                yield b"#" * MAX_BYTES

        streamed = client.post(f"{server}/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
        assert streamed.status_code == 413
    alive(server)


def test_the_row_limit_stops_the_query_early(server):
    # the cross product has ~10^8 rows: only stopping at the limit answers 413 rather than 503 (timeout)
    response = httpx.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
    assert response.status_code == 413
    assert str(MAX_ROWS) in response.text
    exactly = httpx.get(f"{server}/sparql", params={"query": f"SELECT * WHERE {{ ?a ?b ?c }} LIMIT {MAX_ROWS}", "format": "tsv"})
    assert exactly.status_code == 200 and len(exactly.text.splitlines()) == MAX_ROWS + 1
    alive(server)


def test_a_query_over_the_timeout_is_stopped_and_the_workers_are_replaced(server):
    # as many endless queries as there are workers: unless they are killed, no worker is left
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda _: httpx.get(f"{server}/sparql", params={"query": ENDLESS}, timeout=60), range(2)))
    assert [r.status_code for r in responses] == [503, 503]
    assert "1.5" in responses[0].text and "LIMIT" in responses[0].text
    assert time.monotonic() - started < TIMEOUT + 10
    alive(server)
    alive(server)


def test_queries_parsed_at_the_same_time_all_pass(server):
    # distinct texts, so none is in the parse cache: the checks run in threads at once
    queries = [f"# client {k}\n{MOSCOW}" for k in range(12)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda q: httpx.post(f"{server}/sparql", data={"query": q}, timeout=60).status_code, queries))
    assert codes == [200] * 12


def test_the_query_page(server):
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Запрос SPARQL к segmentum" in page.text and 'fetch("sparql"' in page.text
    assert "SPARQL query to segmentum" in httpx.get(f"{server}/", params={"lang": "en"}).text
    # a browser that opens /sparql without a query gets the page too
    assert "<textarea" in httpx.get(f"{server}/sparql", headers={"Accept": "text/html"}).text


# ---------------------------------------------------------------- updates with a token

def test_updates_need_the_token(writable):
    update = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    assert httpx.post(f"{writable}/update", data={"update": update}).status_code == 401
    wrong = httpx.post(f"{writable}/update", data={"update": update}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")
    assert httpx.get(f"{writable}/update", params={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405
    ask = {"query": "ASK { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"}
    assert httpx.get(f"{writable}/sparql", params=ask).json()["boolean"] is False
    done = httpx.post(f"{writable}/update", content=update.encode(),
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 204
    assert httpx.get(f"{writable}/sparql", params=ask).json()["boolean"] is True
    alive(writable)


def test_load_and_service_are_refused_in_updates(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for update in ("LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:x>",
                   "INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"):
        response = httpx.post(f"{writable}/update", data={"update": update}, headers=auth)
        assert response.status_code == 403
    bad = httpx.post(f"{writable}/update", data={"update": "INSERT DATA { <urn:a> }"}, headers=auth)
    assert bad.status_code == 400
    alive(writable)


def test_segmentum_works_against_segmentum_serve(writable, runner, monkeypatch):
    monkeypatch.setenv("SEGMENTUM_ENDPOINT_TOKEN", TOKEN)
    remote = ["--endpoint", f"{writable}/sparql", "--update-endpoint", f"{writable}/update"]
    loaded = runner.invoke(main, [*remote, "load", str(EXAMPLES / "young-soldier.yaml")])
    assert loaded.exit_code == 0, loaded.stderr
    result = runner.invoke(main, [*remote, "query", "profiles-by-stage", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert "young-soldier" in result.stdout
    monkeypatch.delenv("SEGMENTUM_ENDPOINT_TOKEN")
    refused = runner.invoke(main, ["--lang", "en", *remote, "load", str(EXAMPLES / "young-soldier.yaml")])
    assert refused.exit_code == 3
    assert "401" in refused.stderr


def test_stopping_the_server_removes_its_temporary_store(tmp_path):
    env = {"TMPDIR": str(tmp_path)}
    process, base = start_server("--workers", "1", env=env)
    alive(base)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("segmentum-serve-")]
    stop(process)
    assert process.returncode == 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("segmentum-serve-")]


def test_the_server_binds_to_loopback_by_default():
    from segmentum.cli.serve import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_serve_refuses_a_remote_endpoint(runner):
    result = runner.invoke(main, ["--endpoint", "http://127.0.0.1:1/query", "serve"])
    assert result.exit_code == 2


def test_json_results_match_the_embedded_store(server, shared):
    from segmentum.query.library import library

    query = library()["attribute-values-with-codes"].text
    served = httpx.post(f"{server}/sparql", data={"query": query}).json()
    local = json.loads(shared.store.serialize_results(query, "json"))
    assert served == local


def test_documentation_names_the_serve_options():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for option in ("--allow-update", "--timeout", "--max-rows", "--max-query-bytes", "--workers", "SEGMENTUM_SERVE_TOKEN"):
        assert option in doc


def test_the_worker_writes_awkward_literals_unchanged_and_counts_rows_exactly():
    # tabs, newlines, quotes, language tags and typed literals pass through the worker's TSV buffer
    # into every format unchanged; exactly max_rows solutions pass, one more is refused
    from segmentum.server.workers import Job, answer

    store = ox.Store()
    g = ox.DefaultGraph()
    p = ox.NamedNode("http://example.org/p")
    objects = [ox.Literal("a\tb\nc \"d\" \\ e"), ox.Literal("строка", language="ru"), ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
               ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")), ox.BlankNode("b1"), ox.NamedNode("http://example.org/o")]
    for i, o in enumerate(objects):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, o, g))
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    for media in ("application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values", "text/csv"):
        outcome = answer(store, Job(query, "query", accept=media, max_rows=len(objects)))
        assert outcome.status == 200, outcome.body
        fmt = ox.QueryResultsFormat.JSON if "json" in media else ox.QueryResultsFormat.XML if "xml" in media else \
            ox.QueryResultsFormat.TSV if "tab" in media else ox.QueryResultsFormat.CSV
        assert outcome.body == store.query(query).serialize(format=fmt)
    refused = answer(store, Job(query, "query", accept="application/sparql-results+json", max_rows=len(objects) - 1))
    assert refused.status == 413
