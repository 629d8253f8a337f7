"""A remote SPARQL 1.1 store (Oxigraph server, Apache Jena Fuseki, GraphDB, segmentum serve) behind ``Store``.

Queries go to the query endpoint and changes to the update endpoint, both by the SPARQL 1.1
Protocol (POST, form-encoded); the named graphs are the same as in the embedded store. With a
Graph Store Protocol address, whole files and graphs go in and out by it (Turtle and N-Quads
files are posted as they are, graphs are read as N-Triples). A graph
is replaced by one update (``DROP SILENT GRAPH … ; INSERT DATA …``), so other users never see it
half-written. Files are parsed here before anything is sent, so a syntax error names the file,
line and column, as with the embedded store.

The engine's queries read the union of the named graphs as the default graph. A shared store
must be configured so (see docs/shared-store.md); ``check_union_default_graph`` finds a store
that is not and says so, instead of letting every query quietly return nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from segmentum.engine.errors import CatalogueError, Location, StoreError
from segmentum.engine.messages import Lang, text
from segmentum.engine.store import (
    _DATASET_FORMATS,
    _FORMATS,
    Row,
    _prefixes,
    bind,
    from_ox,
    syntax_message,
)

_ACCEPT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: quads per INSERT DATA request when loading a large N-Quads file
CHUNK = 20_000


@dataclass(frozen=True)
class Endpoint:
    """Where the remote store is and how to log in."""

    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    token: str | None = None  # a bearer token (segmentum serve --allow-update)
    graph_store_url: str | None = None  # SPARQL 1.1 Graph Store Protocol: whole graphs in and out
    timeout: float = 300.0


class RemoteStore:
    """The ``Store`` interface over the SPARQL 1.1 Protocol."""

    def __init__(self, endpoint: Endpoint, *, lang: Lang = Lang.RU) -> None:
        self.endpoint = endpoint
        self.lang = lang
        headers = {"Authorization": f"Bearer {endpoint.token}"} if endpoint.token else {}
        auth = httpx.BasicAuth(endpoint.user, endpoint.password or "") if endpoint.user else None
        self._client: httpx.Client | None = httpx.Client(auth=auth, headers=headers, timeout=endpoint.timeout)

    # -- protocol
    def _post(self, url: str, data: dict, accept: str) -> httpx.Response:
        return self._send("POST", url, accept, data=data)

    def _send(self, method: str, url: str, accept: str, **request) -> httpx.Response:
        if self._client is None:
            raise StoreError(f"the store {url} is closed")
        try:
            response = self._client.request(method, url, headers={"Accept": accept, **request.pop("headers", {})}, **request)
        except httpx.HTTPError as exc:
            raise StoreError(text("remote.unreachable", self.lang, url=url, problem=str(exc) or exc.__class__.__name__),
                             hint=text("remote.check_url", self.lang)) from exc
        if response.status_code == 400:
            # the server's parser refused the text: the caller reports it as a syntax error
            raise SyntaxError(response.text.strip() or "bad request")
        if response.status_code == 401:
            raise StoreError(text("remote.http", self.lang, url=url, status=response.status_code, problem=_first_line(response.text)),
                             hint=text("remote.auth", self.lang))
        if response.status_code >= 300:
            raise StoreError(text("remote.http", self.lang, url=url, status=response.status_code, problem=_first_line(response.text)))
        return response

    def _query(self, sparql: str, accept: str, bindings: Mapping[str, Node] | None = None,
               default_graphs: Sequence[URIRef] | None = None) -> httpx.Response:
        data: dict = {"query": bind(sparql, bindings)}
        if default_graphs is not None:
            data["default-graph-uri"] = [str(g) for g in default_graphs]
        return self._post(self.endpoint.query_url, data, accept)

    def _solutions(self, sparql: str, bindings=None, default_graphs=None):
        body = self._query(sparql, _ACCEPT["json"], bindings, default_graphs).content
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    # -- queries
    def select(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, default_graphs: Sequence[URIRef] | None = None) -> list[Row]:
        return self.select_with_variables(sparql, bindings=bindings, default_graphs=default_graphs)[1]

    def select_with_variables(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
                              default_graphs: Sequence[URIRef] | None = None) -> tuple[list[str], list[Row]]:
        result = self._solutions(sparql, bindings, default_graphs)
        names = [v.value for v in result.variables]
        return names, [{n: from_ox(t) for n, t in zip(names, sol) if t is not None} for sol in result]

    def ask(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(self._solutions(sparql, bindings))

    def serialize_results(self, sparql: str, fmt: str, *, bindings: Mapping[str, Node] | None = None) -> bytes:
        return self._query(sparql, _ACCEPT[fmt], bindings).content

    def construct(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Graph:
        body = self._query(sparql, "application/n-triples", bindings).content
        g = Graph()
        for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def update(self, sparql: str) -> None:
        if not self.endpoint.update_url:
            raise StoreError(text("remote.no_update", self.lang, url=self.endpoint.query_url), hint=text("remote.give_update", self.lang))
        self._post(self.endpoint.update_url, {"update": sparql}, "*/*")

    # -- loading
    def load_file(self, path: Path, *, graph: URIRef) -> None:
        try:
            triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise CatalogueError(syntax_message(exc), location=Location(str(path), exc.lineno, exc.offset),
                                 hint="fix the Turtle syntax at this place") from exc
        if self.endpoint.graph_store_url:  # the file as it is, into the graph
            self._send("POST", self.endpoint.graph_store_url, "*/*", params={"graph": str(graph)}, content=path.read_bytes(),
                       headers={"Content-Type": "text/turtle"})
            return
        # one request per file, so that blank nodes keep their identity
        self.update(_insert_data({str(graph): [str(t) for t in triples]}))

    def load_dataset(self, path: Path) -> None:
        """Add an N-Quads file's quads: in one Graph Store request, or in updates of ``CHUNK`` quads."""
        batch: dict[str, list[str]] = {}
        size = 0
        try:
            if self.endpoint.graph_store_url:
                for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                    pass  # checked here, so that a syntax error names the line
                with path.open("rb") as fh:
                    self._send("POST", self.endpoint.graph_store_url, "*/*", content=fh, headers={"Content-Type": "application/n-quads"})
                return
            for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                batch.setdefault(getattr(q.graph_name, "value", ""), []).append(str(q.triple))
                size += 1
                if size >= CHUNK:
                    self.update(_insert_data(batch))
                    batch, size = {}, 0
        except SyntaxError as exc:
            raise CatalogueError(syntax_message(exc), location=Location(str(path), exc.lineno, exc.offset)) from exc
        if batch:
            self.update(_insert_data(batch))

    def materialize(self, construct: str, *, subjects: str, graphs: str, count: URIRef | None) -> int:
        def graph_of(subject: str) -> str:
            rest = subject[len(subjects):]
            return graphs + rest.split("/", 1)[0]

        quads = [(s, p, o, URIRef(graph_of(str(s)))) for s, p, o in self.construct(construct)
                 if isinstance(s, URIRef) and str(s).startswith(subjects)]
        self.add(quads)
        return len(quads) if count is None else sum(1 for q in quads if q[1] == count)

    def add(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        """Add quads with INSERT DATA, in requests of ``CHUNK`` quads."""
        batch: dict[str, list[str]] = {}
        size = 0
        for s, p, o, g in quads:
            batch.setdefault(str(g), []).append(f"{s.n3()} {p.n3()} {o.n3()}")
            size += 1
            if size >= CHUNK:
                self.update(_insert_data(batch))
                batch, size = {}, 0
        if batch:
            self.update(_insert_data(batch))

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        lines = [f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples]
        self.update(f"DROP SILENT GRAPH <{graph}> ;\n" + _insert_data({str(graph): lines}))

    # -- reading back
    def graphs(self) -> list[URIRef]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(str(r["g"])) for r in rows if isinstance(r.get("g"), URIRef))

    def dump(self, *, graphs: Sequence[URIRef], fmt: str) -> bytes:
        if fmt not in _FORMATS:
            raise StoreError(f"unknown format {fmt}")
        quads = []
        for g in graphs:
            node = ox.NamedNode(str(g))
            if self.endpoint.graph_store_url:
                body = self._send("GET", self.endpoint.graph_store_url, "application/n-triples", params={"graph": str(g)}).content
                quads += [ox.Quad(t.subject, t.predicate, t.object, node) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
                continue
            result = self._solutions(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
            quads += [ox.Quad(sol["s"], sol["p"], sol["o"], node) for sol in result]
        if fmt in _DATASET_FORMATS:
            return ox.serialize(quads, format=_FORMATS[fmt], prefixes=_prefixes(fmt))
        return ox.serialize([q.triple for q in quads], format=_FORMATS[fmt], prefixes=_prefixes(fmt))

    def __len__(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])

    def check_union_default_graph(self, probe: tuple[URIRef, URIRef]) -> None:
        """Raise ``StoreError`` unless a triple known to be in a named graph is seen in the default graph."""
        s, p = probe
        if not self.ask(f"ASK {{ <{s}> <{p}> ?o }}"):
            raise StoreError(text("remote.no_union", self.lang, url=self.endpoint.query_url), hint=text("remote.union_hint", self.lang))

    def flush(self) -> None:
        """Nothing to do: every change is sent at once."""

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _insert_data(graphs: Mapping[str, list[str]]) -> str:
    """``INSERT DATA`` for N-Triples lines (without the final dot) by graph name ("" = default graph)."""
    parts = []
    for graph, lines in graphs.items():
        body = " .\n".join(lines) + " ." if lines else ""
        parts.append(f"GRAPH <{graph}> {{\n{body}\n}}" if graph else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def _first_line(body: str) -> str:
    line = next((x.strip() for x in body.splitlines() if x.strip()), "")
    try:  # some servers answer errors as JSON
        data = json.loads(body)
        if isinstance(data, dict):
            line = str(data.get("message") or data.get("error") or line)
    except ValueError:
        pass
    return line[:300]
