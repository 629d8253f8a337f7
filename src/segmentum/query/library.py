"""Named SPARQL queries: the library in ``queries/*.rq``, ad-hoc queries, safe parameter binding.

Each library query is one ``.rq`` file with a header of ``#`` lines::

    # title@ru: …            # title@en: …
    # description@ru: …      # description@en: …
    # param: NAME KIND — what it is      (KIND: status, life_situation, service, attribute,
    #                                      channel, document, region, federal_district, stage, text, integer)
    # columns: a, b, c

Parameters are resolved against the catalogue (a label, synonym or identifier, like in profiles)
and bound as RDF terms with a ``VALUES`` block at the start of the WHERE group, never pasted into
the query text. A comment line ``# values: ?NAME …`` inside a subquery marks where the author wants
the same values again (``store.bind``); see docs/queries.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from segmentum.catalogue.view import Catalogue, LookupFailure
from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import PREFIXES

#: parameter kinds → the catalogue kind their values are looked up in
PARAM_KINDS = {
    "status": "status", "life_situation": "life_situation", "service": "service", "attribute": "attribute",
    "channel": "channel", "document": "document", "region": "scheme:https://w3id.org/segmentum/id/scheme/regions",
    "federal_district": "scheme:https://w3id.org/segmentum/id/scheme/federal-districts",
    "activity": "scheme:https://w3id.org/segmentum/id/scheme/okved2",
    "stage": "stage", "text": None, "integer": None,
}


@dataclass(frozen=True)
class Param:
    """A declared parameter of a library query."""

    name: str
    kind: str
    description: str = ""


@dataclass
class NamedQuery:
    """A query with its header: titles, descriptions, parameters, columns."""

    name: str
    text: str
    path: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    offset: int = 0  # characters of PREFIX declarations put before the user's first line

    def title(self, lang: Lang) -> str:
        return self.titles.get(lang.value) or self.titles.get("ru") or self.name

    def description(self, lang: Lang) -> str:
        return self.descriptions.get(lang.value) or self.descriptions.get("ru") or ""


_HEADER = re.compile(r"^#\s*(title|description)@(\w+):\s*(.*)$|^#\s*param:\s*(\w+)\s+(\w+)\s*(?:[—-]+\s*(.*))?$|^#\s*columns:\s*(.*)$")


def parse_query(name: str, source: str, path: str, lang: Lang = Lang.RU) -> NamedQuery:
    """A query and its header comments."""
    q = NamedQuery(name=name, text=source, path=path)
    for number, line in enumerate(source.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line.strip())
        if not m:
            continue
        if m.group(1) == "title":
            q.titles[m.group(2)] = m.group(3).strip()
        elif m.group(1) == "description":
            q.descriptions[m.group(2)] = m.group(3).strip()
        elif m.group(4):
            if m.group(5) not in PARAM_KINDS:
                raise BadInputError(text("query.param_kind", lang, kind=m.group(5)), location=Location(path, number, line.find(m.group(5)) + 1),
                                    hint=text("query.param_kinds", lang, kinds=", ".join(PARAM_KINDS)))
            q.params.append(Param(m.group(4), m.group(5), (m.group(6) or "").strip()))
        elif m.group(7):
            q.columns = [c.strip() for c in m.group(7).split(",") if c.strip()]
    return q


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    """The shipped named queries by name."""
    folder = resources.files("segmentum").joinpath("queries")
    out = {}
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            name = f.name[:-3]
            out[name] = parse_query(name, f.read_text(encoding="utf-8"), f"queries/{f.name}")
    return out


def find_query(spec: str, lang: Lang = Lang.RU) -> NamedQuery:
    """A library query by name, a ``.rq`` file, or the text of a query."""
    lib = library()
    if spec in lib:
        return lib[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 255 and "\n" not in spec and path.is_file()):
        try:
            return _with_prefixes(parse_query(path.stem, path.read_text(encoding="utf-8"), str(path), lang))
        except FileNotFoundError as exc:
            raise BadInputError(text("not_found", lang, path=spec)) from exc
    if re.search(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.sub(r"(?im)^\s*(PREFIX|BASE)\s+[^\n]*$", "", spec), re.I):
        raise BadInputError(text("update_refused", lang))
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.I):
        return _with_prefixes(parse_query("query", spec, "<query>", lang))
    import difflib

    close = difflib.get_close_matches(spec, list(lib), n=3, cutoff=0.5)
    hint = text("did_you_mean", lang, options=quoted_list(close, lang)) if close else "segmentum query --list"
    raise BadInputError(text("unknown_query", lang, name=spec), hint=hint)


def _with_prefixes(query: NamedQuery) -> NamedQuery:
    """The user's own query may use the project prefixes (sgm:, attr:, skos:, …) without declaring them."""
    from segmentum.store.sparql_text import declare_prefixes

    declared = declare_prefixes(query.text, {**PREFIXES, "xsd": "http://www.w3.org/2001/XMLSchema#"})
    query.offset = len(declared) - len(query.text)
    query.text = declared
    return query


def bind_params(query: NamedQuery, given: dict[str, str], catalogue: Catalogue, lang: Lang) -> dict[str, Node]:
    """Resolve ``name=value`` parameters into RDF terms for the query's declared parameters."""
    declared = {p.name: p for p in query.params}
    # «lifeSituation», «life_situation», «life-situation» and «Life situation» name the same parameter
    spelled = {_param_key(n): n for n in declared}
    out: dict[str, Node] = {}
    for written, value in given.items():
        name = spelled.get(_param_key(written), written)
        param = declared.get(name)
        if param is None and declared:
            import difflib

            close = difflib.get_close_matches(name, list(declared), n=1)
            options = quoted_list(close or list(declared), lang)
            raise BadInputError(text("unknown_param", lang, name=name, query=query.name), hint=text("did_you_mean", lang, options=options))
        kind = param.kind if param else "text"
        out[name] = _term(kind, value, catalogue, lang)
    return out


def _param_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).casefold()


def _term(kind: str, value: str, catalogue: Catalogue, lang: Lang) -> Node:
    if kind == "integer":
        try:
            return Literal(int(value))
        except ValueError as exc:
            raise BadInputError(text("bad_integer", lang, value=value)) from exc
    if kind == "text":
        if value.startswith("<") and value.endswith(">"):
            return URIRef(value[1:-1])
        return Literal(value)
    if kind == "stage":
        from segmentum.profiles.reader import resolve_stage_text

        return URIRef(resolve_stage_text(catalogue, value, lang))
    try:
        return URIRef(catalogue.resolve(PARAM_KINDS[kind], value, lang))
    except LookupFailure as exc:
        if kind in _SHOWN_BY and not exc.command:  # the attribute whose values are the allowed names
            exc.command = f'segmentum catalogue show "{catalogue.label(_SHOWN_BY[kind], lang)}"'
        raise exc.as_error(text(f"kind.{kind}", lang), lang, local_id=catalogue.local_id) from None


#: parameter kinds whose names are the values of an attribute: «catalogue show» of it lists them
_SHOWN_BY = {"region": "https://w3id.org/segmentum/id/attribute/region-of-residence",
             "federal_district": "https://w3id.org/segmentum/id/attribute/federal-district",
             "activity": "https://w3id.org/segmentum/id/attribute/activity-kind"}


def syntax_error(query: NamedQuery, exc: Exception, lang: Lang) -> BadInputError:
    """A SPARQL syntax error with the place in the .rq file («error at 2:10» in the parser's text)."""
    message = str(exc)
    m = re.search(r"error at (\d+):(\d+)", message)
    location = Location(query.path)
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        location = Location(query.path, line, column - query.offset if line == 1 and column > query.offset else column)
    first = re.sub(r"^error at \d+:\d+: ", "", message.splitlines()[0])
    return BadInputError(text("sparql_syntax", lang, problem=first), location=location)
