"""segmentum on a remote SPARQL 1.1 store (--endpoint): the same answers as the embedded store, clear errors."""

from __future__ import annotations

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from segmentum.cli.main import main
from segmentum.errors import StoreError

from .conftest import EXAMPLES, clear_profiles, start_oxigraph, stop


@pytest.fixture()
def remote_args(oxigraph_endpoint):
    from segmentum.session import open_session

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


def _auth_server(scheme: str, seen: list[str]):
    """A SPARQL endpoint that lets in ``methodologist1``/``secret`` by HTTP basic or digest (RFC 7616, MD5, qop=auth)."""
    import base64
    import hashlib
    import re

    import httpx

    realm, nonce = "SPARQL", "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    def handler(request: httpx.Request) -> httpx.Response:
        given = request.headers.get("Authorization", "")
        seen.append(given.split(" ", 1)[0])
        ok = False
        if scheme == "Basic" and given.startswith("Basic "):
            ok = base64.b64decode(given[6:]).decode() == "methodologist1:secret"
        elif scheme == "Digest" and given.startswith("Digest "):
            f = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', given[7:])}
            ha1, ha2 = md5(f"methodologist1:{realm}:secret"), md5(f"{request.method}:{f['uri']}")
            ok = f["username"] == "methodologist1" and f["response"] == md5(f"{ha1}:{nonce}:{f['nc']}:{f['cnonce']}:{f['qop']}:{ha2}")
        if ok:
            return httpx.Response(200, json={"head": {}, "boolean": True}, headers={"Content-Type": "application/sparql-results+json"})
        challenge = f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm=MD5' if scheme == "Digest" else f'Basic realm="{realm}"'
        return httpx.Response(401, text="Unauthorized", headers={"WWW-Authenticate": challenge})

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_the_remote_store_logs_in_with_the_scheme_the_server_asks_for(monkeypatch, scheme):
    """Basic authentication, or digest once the server challenges with it (Virtuoso's /sparql-auth);
    after the first challenge every request answers it directly."""
    import functools

    import httpx

    from segmentum.store.remote import Endpoint, RemoteStore

    seen: list[str] = []
    monkeypatch.setattr(httpx, "Client", functools.partial(httpx.Client, transport=_auth_server(scheme, seen)))
    store = RemoteStore(Endpoint("http://store.test/sparql-auth", user="methodologist1", password="secret"))
    assert store.ask("ASK {}") and store.ask("ASK {}")
    assert seen == (["Basic", "Basic"] if scheme == "Basic" else ["Basic", "", "Digest", "Digest"])
    wrong = RemoteStore(Endpoint("http://store.test/sparql-auth", user="methodologist1", password="wrong"))
    with pytest.raises(StoreError) as info:
        wrong.ask("ASK {}")
    assert "401" in str(info.value) and "--password" in (info.value.hint or "")


@pytest.fixture()
def silent_server():
    """A real TCP server on loopback that accepts every connection and never answers (a stalled store)."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for conn in held:
        conn.close()


@pytest.mark.parametrize("how", ["option", "env"])
def test_a_stalled_server_is_a_store_error_after_the_read_timeout(runner, silent_server, how):
    import time

    timeout = ["--read-timeout", "0.3"] if how == "option" else []
    env = {"SEGMENTUM_ENDPOINT_READ_TIMEOUT": "0.3"} if how == "env" else {}
    start = time.monotonic()
    result = runner.invoke(main, ["--lang", "en", "--endpoint", f"{silent_server}/query", *timeout, "catalogue", "list"], env=env)
    elapsed = time.monotonic() - start
    assert result.exit_code == 3, result.output
    assert f"the store {silent_server}/query did not answer within 0.3 s" in result.stderr
    assert "--read-timeout" in result.stderr
    assert elapsed < 3


def test_a_server_that_does_not_accept_is_a_store_error_after_the_connect_timeout(runner):
    """A listening socket whose accept queue is full: the kernel drops new connections' SYNs, so connecting hangs."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    fillers = []
    try:
        for _ in range(4):  # fill the accept queue; the later ones wait in SYN-SENT and are given up
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        time.sleep(0.05)
        start = time.monotonic()
        result = runner.invoke(main, ["--lang", "en", "--endpoint", url, "--connect-timeout", "0.3", "catalogue", "list"])
        elapsed = time.monotonic() - start
    finally:
        for s in (*fillers, listener):
            s.close()
    assert result.exit_code == 3, result.output
    assert f"could not connect to the store {url} within 0.3 s" in result.stderr
    assert "--connect-timeout" in result.stderr
    assert elapsed < 3
