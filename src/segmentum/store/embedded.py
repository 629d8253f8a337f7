"""The triple store: one small interface, with embedded Oxigraph as its implementation.

Everything else talks to ``Store`` only, so that a remote SPARQL 1.1 endpoint can take the
embedded store's place without touching the engine. Terms cross the interface as rdflib terms.

Named graphs: the ontology, the catalogue, one graph per profile and one provenance graph per
profile (file, line and column of each statement) — see ``namespaces``.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from segmentum.errors import CatalogueError, Location, SegmentumError, StoreError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import CATALOGUE_GRAPH, GRAPH, ONTOLOGY_GRAPH
from segmentum.store.quads import Construct, route, rows_to_quads

logger = logging.getLogger(__name__)

Row = dict[str, Node]
#: what a query variable is bound to: a term, or a list of terms it takes in turn (see ``bind``)
Binding = Node | list[Node] | tuple[Node, ...]
_META_GRAPH = URIRef(GRAPH + "meta")
_META_HASH = URIRef(GRAPH + "meta#shippedDataHash")
#: a triple every prepared store has in a named graph: seen in the default graph only if that is the union
SHIPPED_DATA_PROBE = (_META_GRAPH, _META_HASH)


class Store(Protocol):
    """What the engine needs from a triple store."""

    def select(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None, default_graphs: Sequence[URIRef] | None = None) -> list[Row]:
        """Run a SELECT query; rows map variable names to terms (unbound ones are absent).

        The default graph is the union of all named graphs, or of ``default_graphs`` when given.
        """

    def select_rows(self, sparql: str, *, default_graphs: Sequence[URIRef] | None = None) -> Iterator[Row]:
        """The rows of ``select``, one at a time (the caller keeps what it makes of them, not every row)."""

    def ask(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> bool:
        """Run an ASK query."""

    def select_with_variables(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> tuple[list[str], list[Row]]:
        """Run a SELECT query; return its variables in order and its rows."""

    def serialize_results(self, sparql: str, fmt: str, *, bindings: Mapping[str, Binding] | None = None) -> bytes:
        """Run a SELECT query and write its results in a SPARQL 1.1 results format (json, xml, csv, tsv)."""

    def results_writer(self, sparql: str, fmt: str, *, bindings: Mapping[str, Binding] | None = None) -> Callable[[BinaryIO], object]:
        """Start a SELECT query (a syntax error is raised here) and return what writes its results, in a SPARQL 1.1
        results format, into a binary file row by row as the store produces them (``serialize_results`` streamed)."""

    def construct(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""

    def add(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        """Add quads (subject, predicate, object, named graph)."""

    def materialize(self, construct: Construct, *, subjects: str, graphs: str, count: URIRef | None) -> int:
        """Run a CONSTRUCT and add each triple whose subject IRI starts with ``subjects`` to the graph
        ``graphs`` + the subject's next path segment (``…/profile/p1/x`` → ``{graphs}p1``).

        Returns how many distinct added triples have the predicate ``count`` (all added triples if None).
        """

    def load_file(self, path: Path, *, graph: URIRef) -> None:
        """Add a Turtle file's triples to a named graph."""

    def load_dataset(self, path: Path) -> None:
        """Add an N-Quads file's quads to their named graphs."""

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Make a named graph hold exactly these triples."""

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> None:
        """Make each named graph hold exactly its triples, all in one transaction: a reader, a failed
        write or a killed process sees every one of them old or every one new, never a mix."""

    def load_graphs(self, files: Mapping[URIRef, Sequence[Path]], *, also: str = "") -> None:
        """Make each named graph hold exactly the triples of its Turtle files, then run the update ``also``.

        A store shared with other clients switches it all in at once: they see the old graphs or the new ones.
        """

    def graphs(self) -> list[URIRef]:
        """The named graphs that hold triples."""

    def dump(self, *, graphs: Sequence[URIRef], fmt: str) -> bytes:
        """Serialize the given named graphs (``nq``/``trig``/``jsonld`` keep graph names)."""

    def flush(self) -> None:
        """Make every change so far durable (a disk store writes its buffers out)."""

    def close(self) -> None:
        """Release the store."""


# ---------------------------------------------------------------- term conversion

def bind(sparql: str, bindings: Mapping[str, Binding] | None) -> str:
    """Bind variables to RDF terms with a SPARQL ``VALUES`` block at the start of the WHERE group.

    Terms are written in their escaped RDF syntax, never pasted as text, so a value cannot change
    the query; the same text runs on any SPARQL 1.1 store. Placed first in the group, the values
    are joined with the pattern before anything else (a store evaluates a trailing ``VALUES`` only
    after the whole pattern: up to 30× slower for one profile or region), and a bound variable
    need not be projected. A query whose WHERE group cannot be found gets a trailing ``VALUES``.

    A store evaluates a subquery on its own and joins its results afterwards, so a count per
    status is made for every status even when one is bound. The author of a query may mark, with
    a comment line ``# values: ?status`` inside the subquery, where the same values also go:
    the marker line gets a ``VALUES`` block of the bound variables it names (none if none of
    them is bound), before the comment, so line numbers stay. The author answers for the
    placement giving the same results (the subquery groups by the variable, projects it and
    binds it in every row); without a marker nothing changes. Markers outside the WHERE group
    are left as comments.

    A variable bound to a list or tuple of terms takes each of them in turn (one ``VALUES`` block
    of its own, one row per term; an empty list gives no solutions): the nodes whose places are
    looked up, the services of a template. This is how the package's own ``.rq`` files get their
    parameters too (a profile, a list of nodes), on the embedded store and on remote endpoints
    alike. A graph to read is not a binding: the query is run with it as its default graph
    (``default_graphs``, the protocol's ``default-graph-uri``), since Oxigraph does not narrow
    ``GRAPH ?g`` to the bound graph and reads every graph instead (5,000× slower over 20,000 profiles).
    """
    if not bindings:
        return sparql
    from segmentum.store.sparql_text import values_markers, where_group_start

    start = where_group_start(sparql)
    if start is None:
        return f"{sparql}\n{_values(bindings)}"
    inserts = [(start + 1, f" {_values(bindings)} ")]  # on the same line: line numbers stay
    for at, names in values_markers(sparql) if "values:" in sparql.lower() else ():
        bound = {n: bindings[n] for n in names if n in bindings}
        if bound and at > start:  # a marker outside the WHERE group (in the header) is a comment
            inserts.append((at, _values(bound) + " "))
    return _insert(sparql, inserts)


def drop_graphs(graphs: Sequence[URIRef]) -> str:
    """One SPARQL update that drops the named graphs (each if it exists)."""
    return " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)


def _values(bindings: Mapping[str, Binding]) -> str:
    one = {k: v for k, v in bindings.items() if not isinstance(v, (list, tuple))}
    out = []
    if one:
        names = " ".join(f"?{k}" for k in one)
        values = " ".join(_n3(v) for v in one.values())
        out.append(f"VALUES ({names}) {{ ({values}) }}")
    for k, v in bindings.items():
        if isinstance(v, (list, tuple)):
            out.append(f"VALUES ?{k} {{ {' '.join(_n3(x) for x in v)} }}")
    return " ".join(out)


def _insert(text: str, inserts: list[tuple[int, str]]) -> str:
    """``text`` with each (index, piece) put in at its index."""
    out, last = [], 0
    for at, piece in sorted(inserts):
        out += [text[last:at], piece]
        last = at
    out.append(text[last:])
    return "".join(out)


def _n3(term: Node) -> str:
    if isinstance(term, BNode):
        raise TypeError("blank nodes cannot be bound")
    return term.n3()


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return _ox_iri(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        return _ox_literal(str(term), term.language, term.datatype)
    raise TypeError(f"cannot convert {term!r}")


#: IRIs and literals converted are kept: a profile's predicates, classes and catalogue terms, its file's
#: name and line numbers come back in every profile
@lru_cache(maxsize=1 << 16)
def _ox_iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


@lru_cache(maxsize=1 << 16)
def _ox_literal(value: str, language: str | None, datatype: str | None) -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    if datatype is not None:
        return ox.Literal(value, datatype=_ox_iri(str(datatype)))
    return ox.Literal(value)


@lru_cache(maxsize=65536)
def _iri(value: str) -> URIRef:
    return URIRef(value)


def from_ox(term) -> Node:
    """Convert a pyoxigraph term to an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    raise TypeError(f"cannot convert {term!r}")


def file_triples(path: Path) -> list[tuple[Node, Node, Node]]:
    """The triples of a Turtle file, read by Oxigraph's parser (a few milliseconds where rdflib takes a tenth of a second)."""
    return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


@lru_cache(maxsize=65536)
def _literal(value: str, language: str | None, datatype: str) -> Literal:
    # query results repeat the same labels and codes row after row: each is built once
    if language:
        return Literal(value, lang=language)
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_DATASET_FORMATS = {"nq", "trig", "jsonld"}
_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _prefixes(fmt: str) -> dict[str, str] | None:
    from segmentum.namespaces import PREFIXES

    return dict(PREFIXES) if fmt in ("ttl", "trig", "jsonld") else None


class OxigraphStore:
    """Embedded Oxigraph: in memory, or on disk when given a folder."""

    #: queries and writes may run from several threads at once
    concurrent = True
    #: queries may use LATERAL (SEP-0006, an Oxigraph extension of SPARQL 1.1)
    lateral = True

    def __init__(self, path: Path | None = None, *, lang: Lang = Lang.RU) -> None:
        self.path = path
        self.lang = lang
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            raise StoreError(text("store.cannot_open", lang, path=path, problem=exc), hint=text("store.open_hint", lang)) from exc

    # -- queries
    def _query(self, sparql: str, bindings: Mapping[str, Binding] | None, default_graphs: Sequence[URIRef] | None = None):
        if default_graphs is not None:
            graphs = [ox.NamedNode(str(g)) for g in default_graphs]
            return self._store.query(bind(sparql, bindings), default_graph=graphs)
        return self._store.query(bind(sparql, bindings), use_default_graph_as_union=True)

    def select(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None, default_graphs: Sequence[URIRef] | None = None) -> list[Row]:
        result = self._query(sparql, bindings, default_graphs)
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            rows.append({name: from_ox(t) for name, t in zip(names, sol) if t is not None})
        return rows

    def select_rows(self, sparql: str, *, default_graphs: Sequence[URIRef] | None = None) -> Iterator[Row]:
        result = self._query(sparql, None, default_graphs)
        names = [v.value for v in result.variables]
        for sol in result:
            yield {name: from_ox(t) for name, t in zip(names, sol) if t is not None}

    def ask(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> bool:
        return bool(self._query(sparql, bindings))

    def select_with_variables(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> tuple[list[str], list[Row]]:
        result = self._query(sparql, bindings)
        names = [v.value for v in result.variables]
        return names, [{n: from_ox(t) for n, t in zip(names, sol) if t is not None} for sol in result]

    def serialize_results(self, sparql: str, fmt: str, *, bindings: Mapping[str, Binding] | None = None) -> bytes:
        result = self._query(sparql, bindings)
        return result.serialize(format=_RESULT_FORMATS[fmt])

    def results_writer(self, sparql: str, fmt: str, *, bindings: Mapping[str, Binding] | None = None) -> Callable[[BinaryIO], object]:
        result = self._query(sparql, bindings)
        return lambda out: result.serialize(out, format=_RESULT_FORMATS[fmt])

    def construct(self, sparql: str, *, bindings: Mapping[str, Binding] | None = None) -> Graph:
        g = Graph()
        for t in self._query(sparql, bindings):
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    # -- writing: every write is one transaction; a store that cannot write (a full disk) is a StoreError
    @contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            if exc.errno not in _STORE_ERRNOS:  # a file named by the user that cannot be read: not the store's fault
                raise
            raise write_failed(exc, self.path, self.lang) from exc

    def update(self, sparql: str) -> None:
        with self._writing():
            self._store.update(sparql)

    def add(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        with self._writing():
            self._store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g))) for s, p, o, g in quads)

    def materialize(self, construct: Construct, *, subjects: str, graphs: str, count: URIRef | None) -> int:
        # bytes in, N-Quads bytes out: the results never become Python strings or term objects, and
        # the store parses what its own serializer wrote without checking the IRIs again. Most
        # templates are written from the TSV rows of a SELECT of their variables (one line per
        # solution); the others from the CONSTRUCT's N-Triples.
        prefix, into = subjects.encode("utf-8"), graphs.encode("utf-8")
        counted = None if count is None else str(count).encode("utf-8")
        if construct.by_rows:
            data = self._query(construct.select(), None).serialize(format=ox.QueryResultsFormat.TSV)
            pieces, n = rows_to_quads(data, construct.template, prefix, into, counted)
        else:
            data = self._query(str(construct), None).serialize(format=ox.RdfFormat.N_TRIPLES)
            pieces, n = route(data, prefix, into, counted)
        for i, piece in enumerate(pieces):  # each is one write transaction: a long one would hold up the other writers
            if i:
                time.sleep(0.001)  # and a writer waiting for the store gets its turn between them
            with self._writing():
                self._store.load(piece, format=ox.RdfFormat.N_QUADS, lenient=True)
        return n

    # -- loading
    def load_file(self, path: Path, *, graph: URIRef) -> None:
        try:
            with self._writing():
                self._store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph)))
        except SyntaxError as exc:
            raise CatalogueError(
                syntax_message(exc, self.lang),
                location=Location(str(path), exc.lineno, exc.offset),
                hint=text("turtle.fix", self.lang),
            ) from exc

    def load_graphs(self, files: Mapping[URIRef, Sequence[Path]], *, also: str = "") -> None:
        """Drop the graphs, bulk-load the files, then run ``also`` (this store has no other writers meanwhile)."""
        self.update(" ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in files))
        for graph, paths in files.items():
            for path in paths:
                self.load_file(path, graph=graph)
        if also:
            self.update(also)

    def load_dataset(self, path: Path) -> None:
        """Load an N-Quads file, each quad into its own named graph: on disk in bulk; in memory in
        transactions of about a megabyte of the file each, since the bulk loader's batches and one
        transaction's undo log held the store's growth again at their peak (725 and 597 MB instead
        of 541 MB for 50,000 profiles). A file with blank nodes is read in one transaction: each
        read names them anew, and a label may be used across blocks."""
        try:
            with self._writing():
                if self.path is not None:
                    self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
                elif _has_blank_nodes(path):
                    self._store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
                else:
                    self._load_in_blocks(path)
        except SyntaxError as exc:
            raise CatalogueError(syntax_message(exc, self.lang), location=Location(str(path), exc.lineno, exc.offset)) from exc

    def _load_in_blocks(self, path: Path) -> None:
        """Whole lines of about ``_BLOCK`` bytes per transaction; a syntax error names its line in the file."""
        line, rest = 0, b""
        with path.open("rb") as fh:
            while True:
                block = fh.read(_BLOCK)
                block, done = rest + block, not block
                cut = len(block) if done else block.rfind(b"\n") + 1
                if cut:
                    try:
                        self._store.load(block[:cut], format=ox.RdfFormat.N_QUADS)
                    except SyntaxError as exc:
                        exc.lineno = (exc.lineno or 1) + line
                        raise
                    line += block.count(b"\n", 0, cut)
                rest = block[cut:]
                if done:
                    return

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.replace_graphs({graph: triples})

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> None:
        """One SPARQL update (``DROP SILENT GRAPH …`` for each graph, then one ``INSERT DATA``): the store
        runs an update in one transaction, so a crash or a failed write leaves every graph as it was.
        The terms are converted before anything is written; blank nodes get new labels (the same
        label is the same node in all the graphs)."""
        drops, blocks = [], []
        for graph, triples in graphs.items():
            name = str(ox.NamedNode(str(graph)))
            drops.append(f"DROP SILENT GRAPH {name}")
            body = ox.serialize([ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples], format=ox.RdfFormat.N_TRIPLES)
            if body:
                blocks.append(f"GRAPH {name} {{\n{body.decode('utf-8')}}}")
        inserts = ["INSERT DATA {\n" + "\n".join(blocks) + "\n}"] if blocks else []
        if drops:
            self.update(" ;\n".join(drops + inserts))

    def graphs(self) -> list[URIRef]:
        # sorted as text, then made terms: comparing rdflib terms costs ten times more (a store of 1,000 profile graphs)
        return [URIRef(v) for v in sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))]

    def dump(self, *, graphs: Sequence[URIRef], fmt: str) -> bytes:
        if fmt not in _FORMATS:
            raise SegmentumError(f"unknown format {fmt}")  # the command line offers only known formats: a bug
        quads = [q for g in graphs for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(g)))]
        if fmt in _DATASET_FORMATS:
            return ox.serialize(quads, format=_FORMATS[fmt], prefixes=_prefixes(fmt))
        return ox.serialize([q.triple for q in quads], format=_FORMATS[fmt], prefixes=_prefixes(fmt))

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if self.path is not None:
            with self._writing():
                self._store.flush()

    def close(self) -> None:
        """Flush and release the store (on disk, this frees the folder's lock), even when the flush fails."""
        if getattr(self, "_store", None) is None:
            return
        try:
            self.flush()
        finally:
            self._store = None
            gc.collect()


#: the errors of the store's own files: the store reports them without an errno, or with one of these
_STORE_ERRNOS = {None, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EFBIG}
_DISK_FULL = ("No space left on device", "Disk quota exceeded")


def write_failed(exc: OSError, path: Path | None, lang: Lang) -> StoreError:
    """The store could not write (a full disk, a read-only or broken file system): one line, exit 3."""
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT) or any(m in str(exc) for m in _DISK_FULL)
    return StoreError(text("store.cannot_write", lang, problem=exc), location=Location(str(path)) if path is not None else None,
                      hint=text("store.disk_full" if full else "store.write_hint", lang))


#: bytes of an N-Quads file per transaction when it is loaded into memory (``OxigraphStore.load_dataset``):
#: at 1 MB the peak was the store's own size; blocks of 16 MB left 30 MB more behind in the allocator
_BLOCK = 1 << 20


def _has_blank_nodes(path: Path) -> bool:
    """Whether an N-Quads file may name a blank node (``_:`` anywhere, even in a literal: then it is read whole)."""
    with path.open("rb") as fh:
        tail = b""
        while block := fh.read(_BLOCK * 8):
            if b"_:" in tail + block[:1] or b"_:" in block:
                return True
            tail = block[-1:]
    return False


def syntax_message(exc: SyntaxError, lang: Lang = Lang.RU) -> str:
    """The parser's complaint without the place (the location says it), in a sentence in ``lang``."""
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    msg = re.sub(r"^Parser error (between|at) line \d+ column \d+( and line \d+ column \d+)?: ", "", msg)
    return text("turtle.syntax", lang, problem=msg)


# ---------------------------------------------------------------- shipped data

def shipped_data_hash(files: Sequence[Path]) -> str:
    """A digest of the shipped ontology and catalogue files, to know when a disk store is stale."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def shipped_data_version(store: Store) -> str | None:
    """The digest of the shipped files the store's ontology and catalogue were loaded from, if they were."""
    rows = store.select(f"SELECT ?h WHERE {{ GRAPH <{_META_GRAPH}> {{ <{_META_GRAPH}> <{_META_HASH}> ?h }} }}")
    return str(rows[0]["h"]) if rows else None


def load_shipped_data(store: Store, ontology: Sequence[Path], catalogue: Sequence[Path]) -> bool:
    """Load the ontology and catalogue into their graphs unless the store already has this version.

    Returns True if the data was (re)loaded.
    """
    digest = shipped_data_hash([*ontology, *catalogue])
    if shipped_data_version(store) == digest:
        return False
    # with the new data: its version, and the entailments of the ontology and catalogue (graph/entailed) to be recomputed
    also = (f"DROP SILENT GRAPH <{GRAPH}entailed> ;\nDROP SILENT GRAPH <{_META_GRAPH}> ;\n"
            f"INSERT DATA {{ GRAPH <{_META_GRAPH}> {{ <{_META_GRAPH}> <{_META_HASH}> {Literal(digest).n3()} }} }}")
    store.load_graphs({ONTOLOGY_GRAPH: ontology, CATALOGUE_GRAPH: catalogue}, also=also)
    logger.debug("loaded ontology and catalogue (%s)", digest[:12])
    return True
