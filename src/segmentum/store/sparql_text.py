"""The one SPARQL lexer of the package: group braces, keywords and comments outside strings, IRIs and comments.

Used to place parameter bindings at the start of a query's WHERE group and at the ``# values:``
markers of a query, and to take the WHERE group out of a rule's CONSTRUCT, without a full parser.
"""

from __future__ import annotations

import re

_IRI = re.compile(r"<[^\s<>\"{}|^`\\]*>")
_EOL = re.compile(r"[\r\n]")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _scan(text: str, start: int, comments: list[int] | None = None):
    """Yield (index, char) of the characters of ``text`` from ``start`` that are SPARQL syntax:
    string literals, IRIs and comments are skipped (the index of each comment's ``#`` is added
    to ``comments`` when given)."""
    i = start
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<":
            m = _IRI.match(text, i)
            if m:
                i = m.end()
                continue
        if c == "\\" and i + 1 < n:  # in code, only a local name's escape (ex:a\#): its # or quote starts nothing
            yield i, c
            yield i + 1, text[i + 1]
            i += 2
            continue
        if c == "#":
            if comments is not None:
                comments.append(i)
            eol = _EOL.search(text, i)  # SPARQL ends a comment at CR as well as LF (grammar, §19.8)
            i = n if eol is None else eol.start()
            continue
        yield i, c
        i += 1


def code_only(text: str) -> str:
    """``text`` with its string literals, IRIs and comments blanked (same length): a keyword found in
    the result is a keyword, not part of a string, an IRI or a comment."""
    out = [" "] * len(text)
    for i, c in _scan(text, 0):
        out[i] = c
    return "".join(out)


def skip_group(text: str, start: int) -> int:
    """The index just after the group that opens at ``text[start] == '{'``."""
    depth = 0
    for i, c in _scan(text, start):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced braces")


def _next_brace(text: str, start: int) -> int:
    for i, c in _scan(text, start):
        if c == "{":
            return i
    raise ValueError("no group")


def where_group_start(text: str) -> int | None:
    """The index of the ``{`` that opens the query's WHERE group (after a CONSTRUCT template), or None."""
    form = None
    for i, _c in _scan(text, 0):
        m = _FORM.match(text, i)
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$")):
            form = m
            break
    if form is None:
        return None
    try:
        brace = _next_brace(text, form.end())
        if form.group(1).upper() == "CONSTRUCT" and not re.match(r"\s*WHERE\s*$", text[form.end():brace], re.IGNORECASE):
            brace = _next_brace(text, skip_group(text, brace))
    except ValueError:
        return None
    return brace


#: a ``# values: ?a ?b`` comment: where the author of a query wants the VALUES block of those parameters
_MARKER = re.compile(r"#[ \t]*values:((?:[ \t]*[?$]\w+)+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def values_markers(text: str) -> list[tuple[int, list[str]]]:
    """The ``# values: ?name …`` marker comments of a query: (index of the ``#``, variable names).

    A marker is a comment on a line of its own (only spaces before it), outside string
    literals; the names are given without ``?``.
    """
    comments: list[int] = []
    for _ in _scan(text, 0, comments):
        pass
    out = []
    for at in comments:
        line_start = text.rfind("\n", 0, at) + 1
        m = _MARKER.match(text, at)
        if m and not text[line_start:at].strip():
            out.append((at, [v[1:] for v in m.group(1).split()]))
    return out


def declare_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """``text`` with PREFIX declarations for the given prefixes it uses but does not declare.

    They are put on the first line, before the text, so line numbers in error messages stay
    the same.
    """
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w-]*):", text)}
    used = set()
    for i, _c in _scan(text, 0):
        starts_a_name = i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-?$:")
        m = re.match(r"(?<![\w?$:-])([A-Za-z][\w-]*):(?=[\w-]|\s|[;.,)])", text[i:i + 64]) if starts_a_name else None
        if m and m.group(1) in prefixes:
            used.add(m.group(1))
    missing = [p for p in prefixes if p in used and p not in declared]
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in missing) + text


def has_page(text: str) -> bool:
    """Whether the query limits its own results: ``LIMIT`` or ``OFFSET`` after its WHERE group."""
    start = where_group_start(text)
    if start is None:
        return bool(re.search(r"\b(LIMIT|OFFSET)\b", code_only(text), re.IGNORECASE))
    try:
        end = skip_group(text, start)
    except ValueError:
        return False
    return bool(re.search(r"\b(LIMIT|OFFSET)\b", code_only(text)[end:], re.IGNORECASE))


def with_page(text: str, limit: int | None, offset: int | None) -> str:
    """The query with ``LIMIT``/``OFFSET`` of its results, evaluated by the store (the rows past the page are never
    written); put after the query's last line, so the line numbers of errors stay."""
    page = (f" LIMIT {int(limit)}" if limit is not None else "") + (f" OFFSET {int(offset)}" if offset else "")
    return f"{text}\n{page.strip()}" if page else text
