"""Write RDF as canonical Turtle: the same graph always gives the same bytes.

The catalogue is reviewed in git, so a change to one attribute must be a small diff. rdflib's
serializers order blank nodes and prefixes by chance; this writer fixes every choice:

- prefixes: the project's fixed set (``namespaces.PREFIXES``), only those used, in that order;
- subjects: grouped by namespace in ``namespaces.PREFIXES`` order, then by local name
  (numbers inside names compare as numbers, so ``region-9`` < ``region-10``);
- predicates: ``rdf:type`` first, then labels, notation and definition, then the rest by name;
- objects: Russian literals, then English, then other literals by value, then IRIs by name, then
  lists by their text;
- RDF lists are written inline as ``( … )``; any other blank node is an error.

Leading ``#`` comment lines of a file are kept as its header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from segmentum.errors import CatalogueError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import PREFIXES

_PREDICATE_ORDER = [
    str(RDF.type),
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://www.w3.org/2004/02/skos/core#definition",
]
_LANG_ORDER = {"ru": 0, "en": 1}
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$|^[0-9][A-Za-z0-9_-]*$")
_MAX_LINE = 100


def _natural_key(text: str) -> tuple:
    # numbers compare as numbers; the text itself breaks a tie («okved2-12-0» before «okved2-12-00»)
    return (tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)), text)


class TurtleWriter:
    """Turns a graph into canonical Turtle text with the project's prefixes."""

    def __init__(self, prefixes: dict[str, str] | None = None, lang: Lang = Lang.RU) -> None:
        self.prefixes = dict(PREFIXES if prefixes is None else prefixes)
        self.lang = lang
        # longest namespace first, so that .../id/ never shadows .../id/value/
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self._rank = {ns: i for i, ns in enumerate(self.prefixes.values())}

    def qname(self, iri: URIRef) -> tuple[str, str] | None:
        text = str(iri)
        for prefix, ns in self._by_length:
            if text.startswith(ns):
                local = text[len(ns):]
                if _LOCAL_NAME.match(local) and not local.endswith("-"):
                    return prefix, local
        return None

    def term(self, node) -> str:
        if isinstance(node, URIRef):
            q = self.qname(node)
            if q is not None:
                return f"{q[0]}:{q[1]}"
            return f"<{node}>"
        if isinstance(node, Literal):
            return self._literal(node)
        raise CatalogueError(text("turtle.blank_node", self.lang, node=node))

    def _literal(self, lit: Literal) -> str:
        dt = lit.datatype
        if dt == XSD.boolean:
            return "true" if lit.toPython() is True else "false"
        if dt == XSD.integer and re.fullmatch(r"[+-]?\d+", str(lit)):
            return str(int(str(lit)))
        if dt == XSD.decimal and re.fullmatch(r"[+-]?\d*\.\d+", str(lit)):
            return str(Decimal(str(lit)))
        text = _quote(str(lit))
        if lit.language:
            return f"{text}@{lit.language}"
        if dt is not None and dt != XSD.string:
            return f"{text}^^{self.term(dt)}"
        return text

    def _subject_key(self, s) -> tuple:
        text = str(s)
        for prefix, ns in self._by_length:
            if text.startswith(ns):
                return (self._rank[ns], _natural_key(text[len(ns):]))
        return (len(self._rank), _natural_key(text))

    def _object_key(self, o) -> tuple:
        if isinstance(o, Literal):
            return (0, _LANG_ORDER.get(o.language or "", 2), o.language or "", str(o.datatype or ""), _natural_key(str(o)))
        return (1,) + self._subject_key(o)

    def _predicate_key(self, p) -> tuple:
        text = str(p)
        if text in _PREDICATE_ORDER:
            return (0, _PREDICATE_ORDER.index(text), "")
        return (1, 0, self.term(p))

    def _list_items(self, graph: Graph, node: BNode) -> list | None:
        items = []
        seen = set()
        while node != RDF.nil:
            if not isinstance(node, BNode) or node in seen:
                return None
            seen.add(node)
            preds = set(graph.predicates(node, None))
            if preds != {RDF.first, RDF.rest}:
                return None
            items.append(graph.value(node, RDF.first))
            node = graph.value(node, RDF.rest)
        return items

    def _object_text(self, graph: Graph, o) -> str:
        if isinstance(o, BNode):
            items = self._list_items(graph, o)
            if items is None:
                raise CatalogueError(text("turtle.blank_not_list", self.lang, node=o))
            return "( " + " ".join(self.term(i) for i in items) + " )"
        return self.term(o)

    def serialize(self, graph: Graph, header: str = "") -> str:
        """Return the canonical Turtle text of ``graph`` (list cells are written inline)."""
        list_cells = {s for s in graph.subjects(RDF.first, None) if isinstance(s, BNode)}
        subjects = sorted(
            {s for s in graph.subjects() if s not in list_cells},
            key=self._subject_key,
        )
        blocks = []
        for s in subjects:
            if isinstance(s, BNode):
                raise CatalogueError(text("turtle.blank_subject", self.lang, node=s))
            blocks.append(self._block(graph, s))
        used = _used_prefixes(self, graph, list_cells)
        head = [f"@prefix {p}: <{ns}> ." for p, ns in self.prefixes.items() if p in used]
        parts = []
        if header:
            parts.append(header.rstrip("\n") + "\n")
        parts.append("\n".join(head) + "\n")
        parts.extend(blocks)
        return "\n".join(parts)

    def _block(self, graph: Graph, s) -> str:
        preds = sorted(set(graph.predicates(s, None)), key=self._predicate_key)
        lines = []
        for p in preds:
            ptext = "a" if p == RDF.type else self.term(p)
            # lists by their text: a blank node's label is different in every parse
            texts = [self._object_text(graph, o) for o in sorted((o for o in graph.objects(s, p) if not isinstance(o, BNode)), key=self._object_key)]
            texts += sorted(self._object_text(graph, o) for o in graph.objects(s, p) if isinstance(o, BNode))
            one_line = f"    {ptext} " + " , ".join(texts)
            if len(one_line) <= _MAX_LINE or len(texts) == 1:
                lines.append(one_line)
            else:
                lines.append(f"    {ptext}\n        " + " ,\n        ".join(texts))
        return f"{self.term(s)}\n" + " ;\n".join(lines) + " .\n"


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _used_prefixes(writer: TurtleWriter, graph: Graph, list_cells: set) -> set[str]:
    used: set[str] = set()

    def note(node) -> None:
        if isinstance(node, URIRef):
            q = writer.qname(node)
            if q:
                used.add(q[0])
        elif isinstance(node, Literal) and node.datatype is not None and not node.language:
            if node.datatype not in (XSD.string, XSD.boolean) and not (
                node.datatype in (XSD.integer, XSD.decimal) and writer._literal(node)[0] != '"'
            ):
                note(node.datatype)

    for s, p, o in graph:
        if s in list_cells and p in (RDF.first, RDF.rest):
            if p == RDF.first:
                note(o)
            continue
        note(s)
        if p != RDF.type:
            note(p)
        note(o)
    return used


def read_header(text: str) -> str:
    """Return the leading block of ``#`` comment lines of a Turtle text."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(line)
        else:
            break
    return "\n".join(lines) + ("\n" if lines else "")


def canonical_turtle(graph: Graph, header: str = "", prefixes: dict[str, str] | None = None, lang: Lang = Lang.RU) -> str:
    """Serialize ``graph`` as canonical Turtle (see the module docstring); errors are in ``lang``."""
    return TurtleWriter(prefixes, lang).serialize(graph, header)


def iter_prefixes(text: str) -> Iterable[tuple[str, str]]:
    """Yield the ``@prefix`` declarations of a Turtle text."""
    for m in re.finditer(r"@prefix\s+([A-Za-z0-9_-]*):\s*<([^>]*)>\s*\.", text):
        yield m.group(1), m.group(2)
