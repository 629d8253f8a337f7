"""What a SPARQL 1.1 Protocol request asks for, and whether the endpoint may do it.

The query text is parsed (with rdflib's SPARQL grammar) before it reaches the store: that gives
its form (SELECT, ASK, CONSTRUCT, DESCRIBE) for content negotiation, the parser's message for a
bad query, and the operations the endpoint refuses — ``SERVICE`` (a query that makes the server
fetch from other hosts) and, in updates, ``LOAD``. Looking at the parse tree, not at the text,
means a ``SERVICE`` inside a comment or a string is not mistaken for one, and no spelling hides one.

Two parsers read the text — rdflib checks, Oxigraph executes — and they do not split it into
tokens alike: rdflib ends a comment only at LF (Oxigraph also at CR) and expands ``\\uXXXX``
escapes everywhere before parsing (Oxigraph only inside strings and IRIs), so a ``SERVICE`` that
rdflib reads as a comment or a string can be one for Oxigraph. Hence ``check`` turns CR and CRLF
into LF, and the store is given exactly the text that was checked (``Inspection.sparql``); and
besides the parse tree it looks for the keywords with the package's SPARQL lexer, which splits
the text as Oxigraph does (``keywords_refused``). A request is refused when either finds one.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from segmentum.i18n.messages import Lang, text
from segmentum.store.sparql_text import code_only

#: result formats of SELECT/ASK and of CONSTRUCT/DESCRIBE, by media type
RESULT_FORMATS = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_FORMATS = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}

#: short names accepted in a ``format`` parameter, as many endpoints do
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json",
}
#: media types that clients send for the same formats
ALIASES = {
    "application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml", "text/plain": "application/n-triples", "application/x-turtle": "text/turtle",
    "application/json+ld": "application/ld+json",
}
_REFUSED = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
_PARSER_LOCK = threading.Lock()


class ProtocolError(Exception):
    """A request the endpoint answers with an HTTP error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Inspection:
    """What the parser found: the query form, or ``UPDATE``, and the refused operations used.

    ``sparql`` is the text that was checked: the only text the store may be given.
    """

    form: str
    refused: tuple[str, ...] = ()
    sparql: str = ""


def normalise_line_ends(sparql: str) -> str:
    """CR LF and a lone CR as LF: then every parser ends a comment at the same place."""
    return sparql.replace("\r\n", "\n").replace("\r", "\n")


_NAME = r"\w\u00B7\u0300-\u036F\u203F\u2040"
#: tokens as Oxigraph reads them in the text left by ``code_only``: a variable, a language tag, a
#: prefixed name or blank node label (``ex:a.b``, ``_:b``, ``ex:a\#``), a word (letters only), one
#: other character
_TOKEN = re.compile(rf"""
    (?P<var>[?$][{_NAME}]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d_][{_NAME}.\-]*)?:(?:[{_NAME}.:\-%]|\\.)*)
  | (?P<word>[A-Za-z]+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_GROUP_NEXT = re.compile(r"\s*\{")
#: keywords after which a prefixed name is an IRI, not the start of an operation
_TAKES_IRI = {"GRAPH", "FROM", "NAMED", "WITH", "USING", "INTO", "TO", "ADD", "MOVE", "COPY", "PREFIX", "SILENT", "CLEAR", "DROP", "CREATE"}


def keywords_refused(sparql: str, kind: str) -> tuple[str, ...]:
    """``SERVICE`` (and, in updates, ``LOAD``) where Oxigraph would read the keyword.

    Oxigraph reads a keyword at the start of any word that begins with it, with no word boundary
    after it (``SERVICESILENT<…>``, ``service:x { … }`` with the empty prefix), so: a word that
    begins with SERVICE or LOAD; a prefixed name whose prefix begins with ``service`` followed by
    a group ``{``; in an update, a prefixed name whose prefix begins with ``load`` outside braces,
    unless it follows a keyword that takes an IRI. Strings, IRIs and comments are left out first.
    """
    code = code_only(sparql)
    found: set[str] = set()
    depth = 0
    previous = ""
    for m in _TOKEN.finditer(code):
        token, group = m.group(), m.lastgroup
        upper = token.upper()
        if group == "word":
            if upper.startswith("SERVICE"):
                found.add("SERVICE")
            elif upper.startswith("LOAD") and kind == "update":
                found.add("LOAD")
            previous = upper
        elif group == "pname":
            prefix = upper.split(":", 1)[0]
            if previous not in _TAKES_IRI:
                if prefix.startswith("SERVICE") and _GROUP_NEXT.match(code, m.end()):
                    found.add("SERVICE")
                elif prefix.startswith("LOAD") and kind == "update" and depth == 0:
                    found.add("LOAD")
            previous = ""
        elif group in ("var", "lang"):
            previous = ""
        elif not token.isspace():
            depth += {"{": 1, "}": -1}.get(token, 0)
            previous = ""
    return tuple(sorted(found))


def _walk(node, found: set[str]) -> None:
    name = getattr(node, "name", None)
    if name in _REFUSED:
        found.add(_REFUSED[name])
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        children = list(node)
    else:
        return
    for child in children:
        _walk(child, found)


@lru_cache(maxsize=512)
def inspect(sparql: str, kind: str) -> Inspection:
    """Parse a query (``kind="query"``) or an update; raise ``SyntaxError`` with the parser's message."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        with _PARSER_LOCK:  # rdflib's grammar (pyparsing) keeps state: one parse at a time
            tree = parseQuery(sparql) if kind == "query" else parseUpdate(sparql)
    except ParseException as exc:
        raise SyntaxError(f"{exc.msg}, line {exc.lineno}, column {exc.col}: {exc.line.strip()[:120]}") from None
    except Exception as exc:
        raise SyntaxError(str(exc)) from None
    found: set[str] = set()
    _walk(tree, found)
    form = "UPDATE" if kind == "update" else tree[1].name.replace("Query", "").upper()
    return Inspection(form, tuple(sorted(found)), sparql)


def check(sparql: str, kind: str, lang: Lang, *, max_size: int) -> Inspection:
    """Refuse a request that is too long, does not parse or uses SERVICE or LOAD.

    The text is checked with its line ends made LF; run ``Inspection.sparql``, never the text given.
    """
    size = len(sparql.encode("utf-8"))
    if size > max_size:
        raise ProtocolError(413, text("serve.too_long", lang, size=size, limit=max_size))
    sparql = normalise_line_ends(sparql)
    try:
        found = inspect(sparql, kind)
    except SyntaxError as exc:
        raise ProtocolError(400, text("sparql_syntax", lang, problem=str(exc))) from None
    refused = tuple(sorted(set(found.refused) | set(keywords_refused(sparql, kind))))
    if refused:
        raise ProtocolError(403, text("serve.refused_op", lang, ops=", ".join(refused)))
    return found


def _accepted(accept: str) -> list[tuple[str, float]]:
    out = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q, -position))
    out.sort(key=lambda t: (t[1], t[2]), reverse=True)
    return [(m, q) for m, q, _ in out if q > 0]


def negotiate(form: str, accept: str | None, fmt: str | None, lang: Lang) -> str:
    """The media type of the answer: the ``format`` parameter, else the best match of ``Accept``."""
    offered = list(RESULT_FORMATS) if form in ("SELECT", "ASK") else list(GRAPH_FORMATS)
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower(), ALIASES.get(fmt.lower(), fmt.lower()))
        if media in offered:
            return media
        raise ProtocolError(406, text("serve.no_format", lang, fmt=fmt, offered=", ".join(offered)))
    if not accept:
        return offered[0]
    for media, _q in _accepted(accept):
        media = ALIASES.get(media, media)
        if media in offered:
            return media
        if media in ("*/*", "text/html", "application/xhtml+xml") or (media.endswith("/*") and any(o.startswith(media[:-1]) for o in offered)):
            # a browser asks for HTML first: give it the default format rather than an error
            return next((o for o in offered if o.startswith(media[:-1])), offered[0]) if media.endswith("/*") else offered[0]
    raise ProtocolError(406, text("serve.no_format", lang, fmt=accept, offered=", ".join(offered)))
