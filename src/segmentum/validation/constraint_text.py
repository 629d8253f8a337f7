"""What the compiler needs to know of a SHACL-SPARQL constraint's text, without parsing it.

Whether it uses a keyword SHACL forbids, whether it binds ``$this`` first (so that it can run
as written with the focus nodes joined in), how to pre-bind ``$this``, and the prefixes and
prologue of a query. Keywords are looked for in ``store.sparql_text.code_only``: outside strings,
IRIs and comments, by the one SPARQL lexer of the package.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from segmentum.i18n.messages import Lang
from segmentum.store.sparql_text import code_only
from segmentum.validation.shapes import UnsupportedShapeError

NO_LIMIT = 2**53
#: the keywords SHACL-SPARQL forbids in a constraint (§5.1), as keywords: not inside an IRI, a string,
#: a comment or a prefixed name (<…/attribute/service-kind> or svc:minus-x mention no keyword)
def _keywords(*words: str) -> re.Pattern:
    """SPARQL keywords as keywords: not part of a prefixed name or a longer word (``svc:minus-x``)."""
    return re.compile(rf"(?<![\w:/.-])(?:{'|'.join(words)})(?![\w:/.-])", re.IGNORECASE)


FORBIDDEN = _keywords("MINUS", "SERVICE", "VALUES")
#: what a constraint must not use to run as written (``binds_this_first``)
_NOT_AS_WRITTEN = _keywords(r"GROUP\s+BY", "HAVING", "LIMIT", "OFFSET", "GRAPH", "VALUES", "MINUS", "SERVICE")
AGGREGATE = re.compile(r"\b(GROUP\s+BY|HAVING)\b|\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


def binds_this_first(select: str) -> bool:
    """Whether a SHACL-SPARQL SELECT finds the same $this rows run as written as with $this pre-bound.

    A syntactic, conservative test (the query is not parsed): $this is projected as a plain
    variable and bound by a triple pattern of the WHERE group itself or of a plain group nested in
    it (joined, not OPTIONAL, UNION or a subquery); inside those groups it occurs only in triple
    patterns, in FILTER expressions and in EXISTS groups (which see it bound), never in BIND,
    OPTIONAL, UNION or a subquery, and a group whose FILTER reads it binds it itself; no GROUP BY,
    HAVING, LIMIT, OFFSET or GRAPH (grouped queries also ran 2.7× slower this way). Anything
    else: False.
    """
    text = re.sub(r"^(\s*PREFIX\s[^\n]*\n)*", "", select, flags=re.IGNORECASE)
    if not re.match(r"\s*SELECT\b", text, re.IGNORECASE) or "?this" in text:
        return False
    if _NOT_AS_WRITTEN.search(code_only(text)):
        return False
    groups = sorted(_groups(text))
    if not groups:
        return False
    top = groups[0]
    clause = text[:top[0]]
    if "(" in clause or not _THIS.search(clause):
        return False
    exists = [(o, c) for o, c in groups if re.search(r"\bEXISTS$", text[:o].rstrip(), re.IGNORECASE)]
    joined = [top]  # the WHERE group and the plain groups joined into it, level by level
    for o, c in groups[1:]:
        parent = _parent(groups, o, c)
        before, after = text[:o].rstrip(), text[c + 1:].lstrip()
        plain = (parent in joined and (not before or before[-1] in "{}.") and not re.match(r"UNION\b", after, re.IGNORECASE)
                 and not re.match(r"\s*SELECT\b", text[o + 1:], re.IGNORECASE))
        if plain:
            joined.append((o, c))
        elif _THIS.search(text[o:c]) and not any(eo <= o and c <= ec for eo, ec in exists):
            return False  # OPTIONAL, UNION, a group nested in them or a subquery would see $this unbound
    bound = False
    for o, c in joined:
        state = _own_this(text, o, c, groups)
        if state is None:
            return False
        bound = bound or state
    return bound


def _parent(groups: list[tuple[int, int]], o: int, c: int) -> tuple[int, int] | None:
    """The innermost group around the group (o, c)."""
    return max((g for g in groups if g[0] < o and c < g[1]), default=None)


def _own_this(text: str, open_: int, close: int, groups: list[tuple[int, int]]) -> bool | None:
    """For one group: True when its own triple patterns bind $this, False when it does not mention
    $this outside nested groups, None when it reads $this (BIND, or FILTER without binding it)."""
    own, last = [], open_ + 1
    for o, c in groups:  # the group's own text, without nested groups
        if o >= last and c < close and o > open_:
            own.append(text[last:o])
            last = c + 1
    own.append(text[last:close])
    body = " ".join(own)
    read = False
    for keyword in ("BIND", "FILTER"):
        for m in list(re.finditer(rf"\b{keyword}\s*\(", body, re.IGNORECASE)):
            depth, i = 0, m.end() - 1
            while i < len(body):
                depth += {"(": 1, ")": -1}.get(body[i], 0)
                if depth == 0:
                    break
                i += 1
            if _THIS.search(body[m.start():i]):
                if keyword == "BIND":
                    return None
                read = True
            body = body[:m.start()] + " " * (i + 1 - m.start()) + body[i + 1:]
    binds = bool(_THIS.search(body))  # a triple pattern of the group binds it
    # a FILTER (or FILTER EXISTS, whose group sits at the FILTER) reads $this: the group must bind it itself
    exists_reads = any(_parent(groups, o, c) == (open_, close) and _THIS.search(text[o:c])
                       and re.search(r"\bEXISTS$", text[:o].rstrip(), re.IGNORECASE) for o, c in groups)
    if (read or exists_reads) and not binds:
        return None
    return binds


def _groups(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of the ``{ … }`` groups of a query, skipping strings, IRIs and comments."""
    pairs, stack, i, n = [], [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else ch
            end = text.find(quote, i + len(quote))
            while end != -1 and text[end - 1] == "\\":
                end = text.find(quote, end + 1)
            i = (end if end != -1 else n) + len(quote)
            continue
        if ch == "<":
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:])
            if m:
                i += m.end()
                continue
        if ch == "#":
            end = text.find("\n", i)
            i = end if end != -1 else n
            continue
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            pairs.append((stack.pop(), i))
        i += 1
    return pairs


def prebind(text: str, head: str, lang: Lang = Lang.RU) -> str:
    """Emulate SHACL pre-binding of $this (SHACL §5.3.1) in a set-based query.

    The focus nodes are joined into every group that mentions $this, except the groups of
    EXISTS, which already see the outer binding. Without it a group such as
    ``{ FILTER ($this = ex:x) }`` would be evaluated with $this unbound.
    """
    inserts = []
    groups = _groups(text)
    closing = dict(groups)
    for start, end in groups:
        if "$this" not in text[start:end]:
            continue
        before = text[:start].rstrip()
        if re.search(r"\bEXISTS$", before, re.IGNORECASE) or re.match(r"\s*SELECT\b", text[start + 1:], re.IGNORECASE):
            continue  # EXISTS sees the outer binding; a subquery gets the focus in its own WHERE group
        if _only_a_subquery_selecting_this(text, start, end, closing):
            continue  # its rows are focus nodes already: joining them again cost 55 MB and 0.7 s at 50,000 profiles
        inserts.append(start + 1)
    if not inserts:
        raise UnsupportedShapeError("no_this", lang)
    for pos in sorted(inserts, reverse=True):
        text = text[:pos] + " " + head + " " + text[pos:]
    return text


def _only_a_subquery_selecting_this(text: str, start: int, end: int, closing: dict[int, int]) -> bool:
    """Whether the group ``{ … }`` at ``start``–``end`` holds nothing but one subquery that selects $this
    (``{ { SELECT $this … WHERE { … } GROUP BY $this … } }``), which gets the focus nodes in its own group."""
    inner = text[start + 1:end]
    first = start + 1 + len(inner) - len(inner.lstrip())
    last = start + len(inner.rstrip())
    if first >= end or text[first] != "{" or closing.get(first) != last:
        return False
    m = re.match(r"\s*SELECT\b([^\x7b]*)", text[first + 1:last], re.IGNORECASE)  # the projection, up to its group (\x7b: {)
    return m is not None and _THIS.search(_WHERE.split(m.group(1))[0]) is not None


def merge_prefixes(a: dict[str, str], b: dict[str, str], lang: Lang = Lang.RU) -> dict[str, str]:
    out = dict(a)
    for p, ns in b.items():
        if out.get(p, ns) != ns:
            raise UnsupportedShapeError("prefix_twice", lang, prefix=p)
        out[p] = ns
    return out


def prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def short_name(node: Node) -> str:
    text = str(node)
    for ns, p in ((str(SH), "sh:"), ("https://w3id.org/segmentum/shapes#", "sgmsh:")):
        if text.startswith(ns):
            return p + text[len(ns):]
    return f"<{text}>" if isinstance(node, URIRef) else f"_:{text}"
