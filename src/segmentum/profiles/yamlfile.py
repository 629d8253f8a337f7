"""Read a YAML file into plain values that remember their file, line and column.

PyYAML's composer keeps a mark on every node; we turn the node tree into ``Marked`` scalars,
``MarkedList`` and ``MarkedDict`` so that later stages can point at the exact place of any key
or value. Only the safe YAML subset is accepted (no tags that build Python objects).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from segmentum.errors import Location, ProfileError
from segmentum.i18n.messages import Lang, text


@dataclass(frozen=True)
class Marked:
    """A scalar value with its place in the file (and its YAML anchor, «&name», if it has one)."""

    value: Any
    location: Location
    anchor: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


class MarkedList(list):
    """A YAML sequence; ``location`` is where it starts, ``anchor`` its «&name» if it has one."""

    location: Location
    anchor: str | None = None


class MarkedDict(dict):
    """A YAML mapping from ``Marked`` keys to values; ``location`` is where it starts, ``anchor`` its «&name»."""

    location: Location
    anchor: str | None = None


def _location(path: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


class _Builder(yaml.SafeLoader):
    """SafeLoader whose constructed scalars keep their type (int, float, bool, date, str) and whose
    nodes keep the name of their anchor (the composer forgets it at the end of the document)."""

    anchor_names: dict[int, str]

    def compose_document(self):
        self.get_event()  # DOCUMENT-START
        node = self.compose_node(None, None)
        self.get_event()  # DOCUMENT-END
        self.anchor_names = {id(n): name for name, n in self.anchors.items()}
        self.anchors = {}
        return node


def _convert(node: yaml.Node, path: str, loader: _Builder):
    loc = _location(path, node.start_mark)
    anchor = getattr(loader, "anchor_names", {}).get(id(node))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # merge keys: «<<: *base» brings in the keys of the anchored mapping
        out = MarkedDict()
        out.location = loc
        out.anchor = anchor
        for key_node, value_node in node.value:
            key = _convert(key_node, path, loader)
            out[key] = _convert(value_node, path, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = MarkedList(_convert(n, path, loader) for n in node.value)
        seq.location = loc
        seq.anchor = anchor
        return seq
    value = loader.construct_object(node, deep=True)
    if isinstance(value, bool):
        # YAML 1.1 reads «yes», «no», «on», «off» as booleans: keep the word as written, so a message
        # quotes what the user typed («пол: off» is not «False»); a yes/no attribute reads the word
        return Marked(node.value, loc, anchor)
    return Marked(value, loc, anchor)


#: PyYAML's usual complaints in Russian (the parser speaks English only)
_PROBLEMS_RU = [
    (re.compile(r"^mapping values are not allowed here$"),
     "здесь не может начаться пара «ключ: значение» (лишний отступ или двоеточие внутри значения — тогда возьмите значение в кавычки)"),
    (re.compile(r"^found unexpected end of stream$"), "кавычка не закрыта до конца файла"),
    (re.compile(r"^expected a mapping (?:or list of mappings )?for merging, but found .*$"),
     "ключ слияния «<<:» вставляет только словарь: после него нужен якорь словаря («<<: *имя»)"),
    (re.compile(r"^found character '\\t' that cannot start any token$"), "табуляция: в YAML отступы делаются только пробелами"),
    (re.compile(r"^found character '(.)' that cannot start any token$"), "значение не может начинаться со знака «\\1»: возьмите его в кавычки"),
    (re.compile(r"^expected ',' or '([\]}])', but got .*$"), "список или словарь в скобках не закрыт: нет «\\1»"),
    (re.compile(r"^expected <block end>, but found .*$"), "отступ этой строки не совпадает с отступом соседних ключей"),
    (re.compile(r"^could not find expected ':'$"), "после ключа нет двоеточия"),
    (re.compile(r"^found undefined alias '(.*)'$"), "значение не может начинаться со «*» (ссылка YAML на «\\1»): возьмите его в кавычки"),
]


#: characters that cannot be seen and mean nothing in a profile (a soft hyphen, zero-width spaces, a BOM
#: inside the text), left by copying from a web page or a word processor: «муж\u00adской» is «мужской»
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
#: a tab after a key's colon separates the key from its value, as a space does («пол:<TAB>мужской»);
#: PyYAML refuses it, so it becomes spaces (the columns stay the same). A tab in an indent stays an error.
_TAB_AFTER_KEY = re.compile(r"(?m)^([ ]*(?:- )?[^\s#'\"\t:][^:#\t\n]*:)(\t+)")


def _problem_ru(problem: str) -> str:
    for pattern, russian in _PROBLEMS_RU:
        if pattern.match(problem):
            return pattern.sub(russian, problem)
    return problem


def _looks_cp1251(raw: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as Russian text in Windows-1251 (a file saved by an old editor)."""
    decoded = raw.decode("cp1251", errors="replace")
    letters = [c for c in decoded if c.isalpha() and not c.isascii()]
    return bool(letters) and sum("а" <= c.lower() <= "я" or c in "ёЁ" for c in letters) / len(letters) > 0.9


def read_yaml(path: Path, lang: Lang = Lang.RU, display: str | None = None) -> Any:
    """Parse a YAML file into ``Marked`` values; raise ``ProfileError`` pointing at a syntax error."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ProfileError(text("not_found", lang, path=shown)) from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = text("not_utf8_cp1251" if _looks_cp1251(raw) else "not_utf8", lang)
        raise ProfileError(message, location=Location(shown, line, column), hint=text("utf8_hint", lang)) from exc
    content = _INVISIBLE.sub("", content)
    content = _TAB_AFTER_KEY.sub(lambda m: m.group(1) + " " * len(m.group(2)), content)
    loader = _Builder(content)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, shown, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "?"
        if exc.context and exc.problem:
            problem = f"{exc.context}: {exc.problem}" if lang == "en" or lang == Lang.EN else exc.problem
        if not (lang == "en" or lang == Lang.EN):
            problem = _problem_ru(problem)
        raise ProfileError(
            text("yaml_syntax", lang, problem=problem), location=_location(shown, mark), hint=text("yaml_fix", lang)
        ) from exc
    except yaml.YAMLError as exc:
        raise ProfileError(text("yaml_syntax", lang, problem=str(exc)), location=Location(shown)) from exc
    finally:
        loader.dispose()
