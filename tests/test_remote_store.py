"""segmentum on a remote SPARQL 1.1 store (--endpoint): the same answers as the embedded store, clear errors."""

from __future__ import annotations

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from segmentum.cli import main

from .conftest import EXAMPLES, clear_profiles, start_oxigraph, stop


@pytest.fixture()
def remote_args(oxigraph_endpoint):
    from segmentum.engine.session import open_session

    session = open_session(endpoint=oxigraph_endpoint)
    clear_profiles(session)
    session.store.close()
    login = ["--user", oxigraph_endpoint.user, "--password", oxigraph_endpoint.password or ""] if oxigraph_endpoint.user else []
    return ["--endpoint", oxigraph_endpoint.query_url, "--update-endpoint", oxigraph_endpoint.update_url, *login]


def run(runner, args):
    result = runner.invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def test_load_then_validate_query_and_export_like_the_embedded_store(runner, remote_args):
    code, _out, err = run(runner, [*remote_args, "load", str(EXAMPLES)])
    assert code == 0, err
    assert "загружено профилей: 8" in err
    # the profiles stay in the server: later commands need not name them
    for args in (["query", "profiles-by-region", "-f", "csv"], ["query", "legal-acts-of-profile", "-f", "json"]):
        remote = run(runner, [*remote_args, *args])
        embedded = run(runner, [args[0], args[1], str(EXAMPLES), *args[2:]])
        assert remote == embedded
    remote = run(runner, [*remote_args, "validate", str(EXAMPLES), "--format", "json"])
    embedded = run(runner, ["validate", str(EXAMPLES), "--format", "json"])
    assert remote == embedded
    remote_nq = run(runner, [*remote_args, "export", "--format", "nq"])[1]
    embedded_nq = run(runner, ["export", str(EXAMPLES), "--format", "nq"])[1]
    a, b = Dataset(), Dataset()
    a.parse(data=remote_nq, format="nquads")
    b.parse(data=embedded_nq, format="nquads")
    assert {g.identifier for g in a.graphs()} == {g.identifier for g in b.graphs()}
    for graph in b.graphs():
        assert isomorphic(a.graph(graph.identifier), graph), graph.identifier


def test_a_syntax_error_from_the_server_is_bad_input(runner, remote_args):
    code, _out, err = run(runner, [*remote_args, "query", "SELECT * WHERE { ?s ?p }"])
    assert code == 2
    assert "ошибка синтаксиса SPARQL" in err


def test_a_server_without_the_union_default_graph_is_refused_at_connect(runner, tmp_path):
    process, base = start_oxigraph(tmp_path, union=False)
    try:
        code, _out, err = run(runner, ["--endpoint", f"{base}/query", "--update-endpoint", f"{base}/update", "catalogue", "list"])
    finally:
        stop(process)
    assert code == 3
    assert "не объединяет именованные графы" in err and "--union-default-graph" in err


def test_an_unreachable_server_is_a_store_error(runner):
    from .conftest import free_port

    code, _out, err = run(runner, ["--lang", "en", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "catalogue", "list"])
    assert code == 3
    assert "cannot be reached" in err and "--endpoint" in err


def test_an_empty_server_needs_an_update_endpoint(runner, tmp_path):
    process, base = start_oxigraph(tmp_path)
    try:
        code, _out, err = run(runner, ["--lang", "en", "--endpoint", f"{base}/query", "catalogue", "list"])
    finally:
        stop(process)
    assert code == 3
    assert "--update-endpoint" in err


def test_store_and_endpoint_exclude_each_other(runner, tmp_path):
    code, _out, err = run(runner, ["--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1/query", "catalogue", "list"])
    assert code == 2
    assert "--endpoint" in err


def test_suggest_and_infer_on_the_remote_store_like_the_embedded_store(runner, remote_args, monkeypatch, tmp_path):
    from .conftest import ROOT

    monkeypatch.chdir(ROOT)
    profile = "examples/profiles/young-soldier.yaml"
    remote = run(runner, [*remote_args, "suggest", profile, "--explain"])
    embedded = run(runner, ["suggest", profile, "--explain"])
    assert remote[0] == 0, remote[2]
    assert remote[1] == embedded[1]
    count_query = "SELECT ?r (COUNT(*) AS ?n) WHERE { ?d <https://w3id.org/segmentum/ontology#byRule> ?r } GROUP BY ?r ORDER BY ?r"
    code, _out, err = run(runner, [*remote_args, "infer"])
    assert code == 0, err
    store = ["--store", str(tmp_path / "store")]
    assert run(runner, [*store, "load", profile])[0] == 0
    assert run(runner, [*store, "infer"])[0] == 0
    remote_counts = run(runner, [*remote_args, "query", "-f", "csv", count_query])[1]
    assert remote_counts == run(runner, [*store, "query", "-f", "csv", count_query])[1]
    assert len(remote_counts.splitlines()) > 3
