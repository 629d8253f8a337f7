"""Shared fixtures: the shipped catalogue in a real store, a CLI runner, golden files, servers.

Store-dependent tests run on the embedded store and on a real Oxigraph server over HTTP
(``backend`` fixture). The server is the one at ``SEGMENTUM_TEST_ENDPOINT`` (its base URL, e.g.
``http://127.0.0.1:7878``; CI starts one), or else one the tests start on a free port.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from segmentum.i18n.messages import Lang
from segmentum.profiles.model import LoadedProfile
from segmentum.profiles.reader import load_profile
from segmentum.session import Session, open_session
from segmentum.store.remote import Endpoint

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from the current output.")


@pytest.fixture(scope="session")
def shared() -> Session:
    """A session over the shipped ontology and catalogue; tests must not add profiles to it."""
    return open_session(lang=Lang.RU)


@pytest.fixture()
def fresh() -> Session:
    """A new in-memory session a test may change."""
    return open_session(lang=Lang.RU)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME; ``--update-golden`` rewrites the file instead."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected

    return check


# ---------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Poll ``url`` until it answers 200, or fail with the process's output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, *, union: bool = True) -> tuple[subprocess.Popen, str]:
    """An Oxigraph server on a free loopback port; returns the process and its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.fail("no oxigraph server: pip install '.[test]'")
    port = free_port()
    args = [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"] + (["--union-default-graph"] if union else [])
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/query?query=ASK%7B%7D", process)
    return process, base


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory) -> Iterator[Endpoint]:
    """A real SPARQL server with the union default graph: SEGMENTUM_TEST_ENDPOINT or an Oxigraph server of our own.

    SEGMENTUM_TEST_ENDPOINT alone is an Oxigraph server's base URL (``/query``, ``/update`` and
    ``/store`` below it). With SEGMENTUM_TEST_UPDATE_ENDPOINT it is the query URL of any store,
    SEGMENTUM_TEST_UPDATE_ENDPOINT its update URL, SEGMENTUM_TEST_GRAPH_STORE its Graph Store
    URL (the tests with one are skipped without it) and SEGMENTUM_TEST_USER and
    SEGMENTUM_TEST_PASSWORD its login (see docs/shared-store.md, "Tested stores").
    """
    base = os.environ.get("SEGMENTUM_TEST_ENDPOINT")
    update = os.environ.get("SEGMENTUM_TEST_UPDATE_ENDPOINT")
    if base and update:
        yield Endpoint(base, update, os.environ.get("SEGMENTUM_TEST_USER"), os.environ.get("SEGMENTUM_TEST_PASSWORD"))
        return
    process = None
    if not base:
        process, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    base = base.rstrip("/")
    yield Endpoint(f"{base}/query", f"{base}/update")
    if process is not None:
        stop(process)


def clear_profiles(session: Session) -> None:
    """Drop every profile and provenance graph, and what inference derived (a shared server keeps what
    earlier tests loaded or inferred)."""
    from segmentum.namespaces import GRAPH, INFERRED

    doomed = [g for g in session.store.graphs()
              if str(g).startswith((f"{GRAPH}profile/", f"{GRAPH}provenance/", INFERRED)) or str(g) == f"{GRAPH}entailed"]
    if doomed:
        session.store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in doomed))


#: the parameters of a fixture over the embedded store and a real SPARQL server; the server's are marked
#: ``server``, which CI runs again against Virtuoso (``pytest -m server``)
SERVER = pytest.param("sparql-server", marks=pytest.mark.server)
SERVER_GSP = pytest.param("sparql-server-gsp", marks=pytest.mark.server)


@functools.cache
def server_product(query_url: str) -> str:
    """The product a SPARQL server names in its ``Server`` header, in lower case: "oxigraph", "virtuoso" …"""
    answer = httpx.get(query_url, params={"query": "ASK {}"}, timeout=30)
    return answer.headers.get("server", "").split("/", 1)[0].strip().lower()


def skip_on(store, reasons: dict[str, str]) -> None:
    """Skip the test, saying why, if ``store`` (a store or an ``Endpoint``) is a SPARQL server whose product is in
    ``reasons``: for what the test cannot check there for a reason of that server's (docs/shared-store.md, "Tested stores")."""
    endpoint = store if isinstance(store, Endpoint) else getattr(store, "endpoint", None)
    product = server_product(endpoint.query_url) if endpoint is not None else None
    if product in reasons:
        pytest.skip(f"{product}: {reasons[product]}")


@pytest.fixture(params=["embedded", SERVER, SERVER_GSP])
def backend(request) -> Iterator[Session]:
    """A session a test may change: the embedded store, a real SPARQL server, the same with its Graph Store endpoint."""
    if request.param == "embedded":
        session = open_session(lang=Lang.RU)
    else:
        endpoint = request.getfixturevalue("oxigraph_endpoint")
        if request.param.endswith("gsp"):
            if os.environ.get("SEGMENTUM_TEST_UPDATE_ENDPOINT"):  # another store: its own Graph Store URL, if any
                store = os.environ.get("SEGMENTUM_TEST_GRAPH_STORE") or pytest.skip("no Graph Store URL: set SEGMENTUM_TEST_GRAPH_STORE")
            else:
                store = endpoint.query_url.rsplit("/", 1)[0] + "/store"
            endpoint = dataclasses.replace(endpoint, graph_store_url=store)
        session = open_session(lang=Lang.RU, endpoint=endpoint)
        clear_profiles(session)
    yield session
    session.store.close()


def write(tmp_path: Path, body: str, name: str = "p.yaml") -> Path:
    """A file of ``body`` (a profile, a segments file …) in ``tmp_path``, UTF-8."""
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def load(source: str | Path, shared: Session) -> LoadedProfile:
    """A profile read with the shared catalogue: from its file (a ``Path``), or from its YAML text (a ``str``),
    written first to ``p.yaml`` in a temporary folder (an error then names that file, its id is ``p``)."""
    if isinstance(source, Path):
        return load_profile(source, shared.catalogue)
    with tempfile.TemporaryDirectory() as folder:
        return load_profile(write(Path(folder), source), shared.catalogue)


def attribute_values(prof) -> dict[str, object]:
    """A loaded profile's attributes by local id: the value's local id, its range or its literal."""
    out = {}
    for av in prof.attributes:
        key = av.attribute.rsplit("/", 1)[1]
        out[key] = av.value.rsplit("/", 1)[1] if av.value else (av.range if av.range else av.literal)
    return out
