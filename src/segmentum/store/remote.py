"""A remote SPARQL 1.1 store (Oxigraph server, Apache Jena Fuseki, GraphDB, segmentum serve) behind ``Store``.

Queries go to the query endpoint and changes to the update endpoint, both by the SPARQL 1.1
Protocol (POST, form-encoded); the named graphs are the same as in the embedded store. With a
Graph Store Protocol address, whole files and graphs go in and out by it (Turtle and N-Quads
files are posted as they are, graphs are read as N-Triples). Graphs replaced together (a
profile and its provenance) are replaced by one update request (``DROP SILENT GRAPH … ; INSERT
DATA …``), so other users never see them half-written. Files are parsed here before anything is sent, so a syntax error names the file,
line and column, as with the embedded store.

The engine's queries read the union of the named graphs as the default graph. A shared store
must be configured so (see docs/shared-store.md); ``check_union_default_graph`` finds a store
that is not and says so, instead of letting every query quietly return nothing.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from segmentum.errors import CatalogueError, Location, SegmentumError, StoreError
from segmentum.i18n.messages import Lang, text
from segmentum.store import CONNECT_TIMEOUT, READ_TIMEOUT
from segmentum.store.embedded import (
    _DATASET_FORMATS,
    _FORMATS,
    Binding,
    Row,
    _prefixes,
    bind,
    from_ox,
    syntax_message,
)
from segmentum.store.quads import Construct

_JSON_RESULTS = "application/sparql-results+json"
_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: a blank node label that N-Triples (and so the results parser) accepts
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {"1": "true", "0": "false"}  # the other lexical forms of xsd:boolean, by their canonical form
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
#: triples per update operation, and per request when loading many: Virtuoso 7.2 refuses an
#: INSERT DATA of about 2,000 triples ("The length of generated SQL text has exceeded 10000 lines"),
#: and takes longer for several operations in one request than for the same in several requests
CHUNK = 500
#: the prefix that hides the IRIs of a staged triple (``load_graphs``): ``urn:segmentum:staged:`` + the IRI
STAGED = "urn:segmentum:staged:"
#: a staging graph of a client that stopped before its switch is dropped by a later switch after this many seconds
STALE_STAGING = 3600
_STAGING = re.compile(r"-staging-(\d+)-[0-9a-f]+$")


@dataclass(frozen=True)
class Endpoint:
    """Where the remote store is and how to log in."""

    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    token: str | None = None  # a bearer token (segmentum serve --allow-update)
    graph_store_url: str | None = None  # SPARQL 1.1 Graph Store Protocol: whole graphs in and out
    connect_timeout: float = CONNECT_TIMEOUT  # seconds to open a connection to the server
    read_timeout: float = READ_TIMEOUT  # seconds to wait for the server's answer (for each part of it) and to send a request


class _ChallengedAuth(httpx.Auth):
    """HTTP basic authentication, or digest once the server asks for it: with ``WWW-Authenticate: Digest``, or
    by refusing basic with no challenge at all (Virtuoso's ``/sparql-auth`` answers a bare 401, and gives its
    digest challenge to a request without credentials); the digest challenge is then answered for every request."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._uses_digest = False

    def auth_flow(self, request: httpx.Request):
        if not self._uses_digest:
            response = yield next(self._basic.auth_flow(request))
            if response.status_code != 401 or response.headers.get("WWW-Authenticate", "digest").lower().startswith("basic"):
                return  # let in, or refused by a server that wants basic authentication: the password is wrong
            self._uses_digest = True
            del request.headers["Authorization"]
        yield from self._digest.auth_flow(request)


class RemoteStore:
    """The ``Store`` interface over the SPARQL 1.1 Protocol."""

    def __init__(self, endpoint: Endpoint, *, lang: Lang = Lang.RU) -> None:
        self.endpoint = endpoint
        self.lang = lang
        headers = {"Authorization": f"Bearer {endpoint.token}"} if endpoint.token else {}
        auth = _ChallengedAuth(endpoint.user, endpoint.password or "") if endpoint.user else None
        timeout = httpx.Timeout(endpoint.read_timeout, connect=endpoint.connect_timeout)
        self._client: httpx.Client | None = httpx.Client(auth=auth, headers=headers, timeout=timeout)

    # -- protocol
    def _post(self, url: str, data: dict, accept: str) -> httpx.Response:
        return self._send("POST", url, accept, data=data)

    def _send(self, method: str, url: str, accept: str, **request) -> httpx.Response:
        if self._client is None:
            raise SegmentumError(f"the store {url} is used after close()")  # a bug
        try:
            response = self._client.request(method, url, headers={"Accept": accept, **request.pop("headers", {})}, **request)
        except httpx.ConnectTimeout as exc:
            raise StoreError(text("remote.connect_timeout", self.lang, url=url, seconds=_seconds(self.endpoint.connect_timeout, self.lang)),
                             hint=text("remote.connect_timeout_hint", self.lang)) from exc
        except httpx.TimeoutException as exc:  # reading the answer, sending the request, waiting for a connection
            raise StoreError(text("remote.read_timeout", self.lang, url=url, seconds=_seconds(self.endpoint.read_timeout, self.lang)),
                             hint=text("remote.read_timeout_hint", self.lang)) from exc
        except httpx.HTTPError as exc:
            raise StoreError(text("remote.unreachable", self.lang, url=url, problem=str(exc) or exc.__class__.__name__),
                             hint=text("remote.check_url", self.lang)) from exc
        if response.status_code == 400:
            # the server's parser refused the text: the caller reports it as a syntax error
            raise SyntaxError(response.text.strip() or "bad request")
        if response.status_code == 401:
            problem = _first_line(response.text) or response.reason_phrase
            raise StoreError(text("remote.http", self.lang, url=url, status=response.status_code, problem=problem),
                             hint=text("remote.auth", self.lang))
        if response.status_code >= 300:
            raise StoreError(text("remote.http", self.lang, url=url, status=response.status_code, problem=_first_line(response.text)))
        return response

    def _query(self, sparql: str, accept: str, bindings: Mapping[str, Binding] | None = None,
               default_graphs: Sequence[URIRef] | None = None) -> httpx.Response:
        data: dict = {"query": bind(sparql, bindings)}
        if default_graphs is not None:
            data["default-graph-uri"] = [str(g) for g in default_graphs]
        return self._post(self.endpoint.query_url, data, accept)

    def _solutions(self, sparql: str, bindings=None, default_graphs=None):
        body = self._query(sparql, _JSON_RESULTS, bindings, default_graphs).content
        return ox.parse_query_results(_portable_results(body), format=ox.QueryResultsFormat.JSON)

    # -- queries
    def select(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None, default_graphs: Sequence[URIRef] | None = None) -> list[Row]:
        return self.select_with_variables(sparql, bindings=bindings, default_graphs=default_graphs)[1]

    def select_rows(self, sparql: str, *, default_graphs: Sequence[URIRef] | None = None) -> Iterator[Row]:
        return iter(self.select(sparql, default_graphs=default_graphs))

    def select_with_variables(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None,
                              default_graphs: Sequence[URIRef] | None = None) -> tuple[list[str], list[Row]]:
        result = self._solutions(sparql, bindings, default_graphs)
        names = [v.value for v in result.variables]
        return names, [{n: from_ox(t) for n, t in zip(names, sol) if t is not None} for sol in result]

    def ask(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> bool:
        result = self._solutions(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        # Virtuoso 7.2 answers ASK with the solutions of one variable (__ASK_RETVAL): one row of 1 if true, none if false
        return any(sol[0] is not None and sol[0].value not in ("0", "false") for sol in result)

    def serialize_results(self, sparql: str, fmt: str, *, bindings: Mapping[str, Binding] | None = None) -> bytes:
        """The results written here, as the embedded store writes them, whatever the server's own style
        (Virtuoso quotes every CSV field and adds keys of its own to JSON)."""
        return self._solutions(sparql, bindings).serialize(format=_RESULT_FORMATS[fmt])

    def results_writer(self, sparql: str, fmt: str, *, bindings: Mapping[str, Binding] | None = None) -> Callable[[BinaryIO], object]:
        solutions = self._solutions(sparql, bindings)
        return lambda out: solutions.serialize(out, format=_RESULT_FORMATS[fmt])

    def construct(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> Graph:
        body = self._query(sparql, "application/n-triples", bindings).content
        g = Graph()
        for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(_canonical(t.object))))
        return g

    def update(self, sparql: str) -> None:
        if not self.endpoint.update_url:
            raise StoreError(text("remote.no_update", self.lang, url=self.endpoint.query_url), hint=text("remote.give_update", self.lang))
        self._post(self.endpoint.update_url, {"update": sparql}, "*/*")

    # -- loading
    def load_file(self, path: Path, *, graph: URIRef) -> None:
        triples = self._parse(path)
        if self.endpoint.graph_store_url:  # the file as it is, into the graph
            self._post_graph(graph, path.read_bytes())
            return
        self._insert(triples, graph)

    def load_graphs(self, files: Mapping[URIRef, Sequence[Path]], *, also: str = "") -> None:
        """Make each graph hold exactly the triples of its Turtle files, switched in with ``also`` by one update.

        The files go first into staging graphs of this client (``{graph}-staging-{time}-{random}``),
        with every IRI written behind the prefix ``STAGED``: the default graph is the union of all
        graphs, staging ones included, and so no query of the engine matches a staged triple (nor
        counts it twice). Then one update request drops the old graphs, inserts the staged triples
        with their IRIs restored and drops the staging graphs; one request is one transaction in
        Oxigraph, Fuseki, GraphDB and Virtuoso, so other clients see the old graphs or the new ones,
        never a part. A client stopped before the switch leaves only its staging graph, which a
        later switch drops once it is ``STALE_STAGING`` seconds old; two clients loading at once each
        switch in a whole copy of their own.
        """
        parsed = {graph: [self._parse(path) for path in paths] for graph, paths in files.items()}  # errors before anything is sent
        stamp = f"{int(time.time())}-{secrets.token_hex(4)}"
        staging = {graph: URIRef(f"{graph}-staging-{stamp}") for graph in files}
        for graph, per_file in parsed.items():
            for triples in per_file:
                staged = [_staged(t) for t in triples]
                if self.endpoint.graph_store_url:
                    self._post_graph(staging[graph], ox.serialize(staged, format=ox.RdfFormat.N_TRIPLES))
                else:
                    self._insert(staged, staging[graph])
        switch = []
        for graph, stage in staging.items():
            switch += [f"DROP SILENT GRAPH <{graph}>", *_unstage(stage, graph), f"DROP SILENT GRAPH <{stage}>"]
        switch += [f"DROP SILENT GRAPH <{g}>" for g in self._stale_staging(staging.values())]
        self.update(" ;\n".join([*switch, also] if also else switch))

    def _stale_staging(self, own) -> list[URIRef]:
        """Staging graphs left by clients that stopped before their switch (older than ``STALE_STAGING``)."""
        now = time.time()
        return [g for g in self.graphs() if g not in own and (m := _STAGING.search(str(g))) and now - int(m[1]) > STALE_STAGING]

    def _parse(self, path: Path) -> list[ox.Triple]:
        try:
            return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise CatalogueError(syntax_message(exc, self.lang), location=Location(str(path), exc.lineno, exc.offset),
                                 hint=text("turtle.fix", self.lang)) from exc

    def _post_graph(self, graph: URIRef, turtle: bytes) -> None:
        """Add Turtle (or N-Triples) to a graph by the Graph Store Protocol: one request, so blank nodes keep their identity."""
        self._send("POST", self.endpoint.graph_store_url, "*/*", params={"graph": str(graph)}, content=turtle,
                   headers={"Content-Type": "text/turtle"})

    def _insert(self, triples: Iterable[ox.Triple], graph: URIRef) -> None:
        """Add triples to a graph by updates of ``CHUNK`` triples, those with blank nodes all in the last
        request, so that the nodes keep their identity."""
        inserts = _Inserts()
        for t in triples:
            blank = _has_blank(t.subject, t.object)
            inserts.add(str(graph), str(t), blank=blank)
            if not blank and len(inserts.ground.get(str(graph), ())) >= CHUNK:
                self.update(inserts.flush_ground())
        if inserts.size:
            self.update(inserts.sparql())

    def load_dataset(self, path: Path) -> None:
        """Add an N-Quads file's quads: in one Graph Store request, or in updates of ``CHUNK`` quads."""
        batch = _Inserts()
        try:
            if self.endpoint.graph_store_url:
                for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                    pass  # checked here, so that a syntax error names the line
                with path.open("rb") as fh:
                    self._send("POST", self.endpoint.graph_store_url, "*/*", content=fh, headers={"Content-Type": "application/n-quads"})
                return
            for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                batch.add(getattr(q.graph_name, "value", ""), str(q.triple), blank=_has_blank(q.subject, q.object))
                if batch.size >= CHUNK:
                    self.update(batch.sparql())
                    batch = _Inserts()
        except SyntaxError as exc:
            raise CatalogueError(syntax_message(exc, self.lang), location=Location(str(path), exc.lineno, exc.offset)) from exc
        if batch.size:
            self.update(batch.sparql())

    def materialize(self, construct: Construct, *, subjects: str, graphs: str, count: URIRef | None) -> int:
        def graph_of(subject: str) -> str:
            rest = subject[len(subjects):]
            return graphs + rest.split("/", 1)[0]

        quads = [(s, p, o, URIRef(graph_of(str(s)))) for s, p, o in self.construct(str(construct))
                 if isinstance(s, URIRef) and str(s).startswith(subjects)]
        self.add(quads)
        return len(quads) if count is None else sum(1 for q in quads if q[1] == count)

    def add(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        """Add quads with INSERT DATA, in requests of ``CHUNK`` quads."""
        batch = _Inserts()
        for s, p, o, g in quads:
            batch.add(str(g), f"{s.n3()} {p.n3()} {o.n3()}", blank=_has_blank(s, o))
            if batch.size >= CHUNK:
                self.update(batch.sparql())
                batch = _Inserts()
        if batch.size:
            self.update(batch.sparql())

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.replace_graphs({graph: triples})

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> None:
        """One update request (``DROP SILENT GRAPH …`` for each graph, then the inserts): the server runs
        it as one transaction, so other users and a failure see every graph old or every one new."""
        inserts = _Inserts()
        for graph, triples in graphs.items():
            for s, p, o in triples:
                inserts.add(str(graph), f"{s.n3()} {p.n3()} {o.n3()}", blank=_has_blank(s, o))
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs) + " ;\n" + inserts.sparql())

    # -- reading back
    def graphs(self) -> list[URIRef]:
        # GROUP BY rather than DISTINCT: the same graphs, but Virtuoso 7.2 takes seconds for DISTINCT here
        rows = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(URIRef(str(r["g"])) for r in rows if isinstance(r.get("g"), URIRef))

    def dump(self, *, graphs: Sequence[URIRef], fmt: str) -> bytes:
        if fmt not in _FORMATS:
            raise SegmentumError(f"unknown format {fmt}")  # the command line offers only known formats: a bug
        quads = []
        for g in graphs:
            node = ox.NamedNode(str(g))
            if self.endpoint.graph_store_url:
                body = self._send("GET", self.endpoint.graph_store_url, "application/n-triples", params={"graph": str(g)}).content
                quads += [ox.Quad(t.subject, t.predicate, _canonical(t.object), node) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
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


class _Inserts:
    """Triples to add, by graph, written as one update.

    Triples with a blank node go in ``INSERT { … } WHERE {}`` rather than ``INSERT DATA``: both are
    SPARQL 1.1 and mean the same here (one solution, so a label is one new node throughout), but
    Virtuoso refuses blank nodes in ``INSERT DATA`` ("Blank node … is not allowed in a constant
    clause"). The others stay in ``INSERT DATA``, which stores parse faster than a template.
    """

    def __init__(self) -> None:
        self.ground: dict[str, list[str]] = {}
        self.blank: dict[str, list[str]] = {}
        self.size = 0

    def add(self, graph: str, line: str, *, blank: bool) -> None:
        """Add one N-Triples line (without the final dot) to ``graph`` ("" = the default graph)."""
        (self.blank if blank else self.ground).setdefault(graph, []).append(line)
        self.size += 1

    def sparql(self) -> str:
        """The update: ``INSERT DATA`` operations of at most ``CHUNK`` triples, then the template."""
        parts = [f"INSERT DATA {{\n{_quad_block(part)}\n}}" for part in _split(self.ground, CHUNK)] if self.ground else []
        if self.blank:
            parts.append("INSERT {\n" + _quad_block(self.blank) + "\n} WHERE {}")
        return " ;\n".join(parts) or "INSERT DATA {}"

    def flush_ground(self) -> str | None:
        """The ``INSERT DATA`` of the triples without blank nodes, which are then forgotten."""
        if not self.ground:
            return None
        sparql = f"INSERT DATA {{\n{_quad_block(self.ground)}\n}}"
        self.size -= sum(len(lines) for lines in self.ground.values())
        self.ground = {}
        return sparql


def _split(graphs: Mapping[str, list[str]], size: int) -> Iterator[dict[str, list[str]]]:
    """The lines by graph in parts of at most ``size`` lines."""
    part: dict[str, list[str]] = {}
    n = 0
    for graph, lines in graphs.items():
        for start in range(0, len(lines), size):
            piece = lines[start:start + size]
            if n + len(piece) > size:
                yield part
                part, n = {}, 0
            part.setdefault(graph, []).extend(piece)
            n += len(piece)
    if part:
        yield part


def _quad_block(graphs: Mapping[str, list[str]]) -> str:
    """N-Triples lines (without the final dot) by graph name ("" = default graph), as quad patterns."""
    parts = []
    for graph, lines in graphs.items():
        body = " .\n".join(lines) + " ." if lines else ""
        parts.append(f"GRAPH <{graph}> {{\n{body}\n}}" if graph else body)
    return "\n".join(parts)


def _staged(t: ox.Triple) -> ox.Triple:
    """The triple with its IRIs behind ``STAGED`` (blank nodes and literals stay as they are)."""
    def hide(term):
        return ox.NamedNode(STAGED + term.value) if isinstance(term, ox.NamedNode) else term

    return ox.Triple(hide(t.subject), hide(t.predicate), hide(t.object))


def _unstage(stage: URIRef, graph: URIRef) -> list[str]:
    """The updates that insert the triples staged in ``stage`` into ``graph`` with their IRIs restored.

    Subjects that are IRIs and blank subjects take one operation each: Virtuoso 7.2 drops the
    triples whose subject is a blank node passed through ``IF(isIRI(?s), …, ?s)``.
    """
    def restore(var: str) -> str:
        return f'IRI(STRAFTER(STR({var}), "{STAGED}"))'

    def where(subject: str) -> str:
        return f"GRAPH <{stage}> {{ ?ss ?sp ?so FILTER({subject}(?ss)) }} BIND({restore('?sp')} AS ?p) BIND(IF(isIRI(?so), {restore('?so')}, ?so) AS ?o)"

    return [f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ {where('isIRI')} BIND({restore('?ss')} AS ?s) }}",
            f"INSERT {{ GRAPH <{graph}> {{ ?ss ?p ?o }} }} WHERE {{ {where('isBlank')} }}"]


def _has_blank(*terms) -> bool:
    return any(isinstance(t, (ox.BlankNode, BNode)) for t in terms)


def _portable_results(body: bytes) -> bytes:
    """The JSON results with the terms as the embedded store would write them, whatever the server's style.

    - Blank node labels: the results format leaves them to the server; Virtuoso's look like
      ``nodeID://b10069``, which the parser refuses. Such a label is replaced by its bytes in hex,
      so that the same node keeps one label.
    - Booleans: Virtuoso stores literals by value and writes a stored ``true`` as ``"1"^^xsd:boolean``,
      a lexical form of the same value; it is written in the canonical form, ``true`` or ``false``.
    """
    if b'"bnode"' not in body and _XSD_BOOLEAN.encode() not in body:
        return body
    data = json.loads(body)
    changed = False
    for solution in data.get("results", {}).get("bindings", []):
        for value in solution.values():
            if value.get("type") == "bnode" and not _LABEL.fullmatch(value.get("value", "")):
                value["value"] = "x" + value["value"].encode("utf-8").hex()
                changed = True
            elif value.get("datatype") == _XSD_BOOLEAN and value.get("value") in _BOOLEANS:
                value["value"] = _BOOLEANS[value["value"]]
                changed = True
    return json.dumps(data).encode("utf-8") if changed else body


def _canonical(term):
    """A boolean literal in its canonical form (see ``_portable_results``); any other term as it is."""
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_BOOLEAN and term.value in _BOOLEANS:
        return ox.Literal(_BOOLEANS[term.value], datatype=term.datatype)
    return term


def _seconds(value: float, lang: Lang) -> str:
    """A number of seconds as the user wrote it: 10, 0.5 (0,5 in Russian)."""
    written = f"{value:g}"
    return written.replace(".", ",") if lang == Lang.RU else written


def _first_line(body: str) -> str:
    line = next((x.strip() for x in body.splitlines() if x.strip()), "")
    try:  # some servers answer errors as JSON
        data = json.loads(body)
        if isinstance(data, dict):
            line = str(data.get("message") or data.get("error") or line)
    except ValueError:
        pass
    return line[:300]
