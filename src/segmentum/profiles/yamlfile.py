"""Read a YAML file into plain values that remember their file, line and column.

PyYAML's composer keeps a mark on every node; we turn the node tree into ``Marked`` scalars,
``MarkedList`` and ``MarkedDict`` so that later stages can point at the exact place of any key
or value. Only the safe YAML subset is accepted (no tags that build Python objects, no binary
data, keys that are scalars).

A hostile or mistaken file cannot make reading it take unbounded time or memory: only an ordinary
file is read (not a device or a pipe), up to ``DEFAULT_MAX_SIZE`` bytes (``SEGMENTUM_MAX_YAML_SIZE``
raises it), with at most one node per ``BYTES_PER_NODE`` bytes of that limit counted with every
alias «*name» expanded (a «billion laughs» stops at once), nested at most ``MAX_DEPTH`` levels.
The limits are documented in ``docs/profile-format.md``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from segmentum.errors import BadInputError, Location, ProfileError
from segmentum.i18n.messages import Lang, text
from segmentum.output import InputRefused, read_bounded

#: the largest YAML file read, in bytes, unless ``SEGMENTUM_MAX_YAML_SIZE`` says otherwise
DEFAULT_MAX_SIZE = 1_000_000
SIZE_ENV = "SEGMENTUM_MAX_YAML_SIZE"
#: nodes (keys, values, list items; an alias counts as all the nodes it stands for) per byte of the size limit
BYTES_PER_NODE = 100
MIN_NODES = 10_000
#: lists and mappings inside each other, aliases expanded
MAX_DEPTH = 50
_SIZE = re.compile(r"^\s*(\d+)\s*(|b|k|kb|m|mb|g|gb|б|кб|мб|гб)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "б": 1, "k": 1000, "kb": 1000, "кб": 1000, "m": 1000**2, "mb": 1000**2, "мб": 1000**2,
          "g": 1000**3, "gb": 1000**3, "гб": 1000**3}
#: what a scalar may hold; «!!binary» (bytes) and the like are not profile values
_SCALAR_TYPES = (str, int, float, bool, type(None), dt.date)


def max_size(lang: Lang = Lang.RU) -> int:
    """The largest YAML file read, in bytes: ``SEGMENTUM_MAX_YAML_SIZE`` (``5000000``, ``5MB``, ``500KB``) or 1 MB."""
    written = os.environ.get(SIZE_ENV)
    if written is None or not written.strip():
        return DEFAULT_MAX_SIZE
    m = _SIZE.match(written)
    if not m or int(m.group(1)) == 0:
        raise BadInputError(text("yaml.bad_size_env", lang, name=SIZE_ENV, value=written), hint=text("yaml.size_env_hint", lang, name=SIZE_ENV))
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


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


def _short(value: Any, width: int = 60) -> str:
    """A written value for a message: one line, at most ``width`` characters."""
    shown = re.sub(r"\s+", " ", str(value)).strip()
    return shown if len(shown) <= width else shown[: width - 1] + "…"


class _Counting:
    """A composer that counts the nodes of the document as they would be with every alias expanded, and
    how deep they nest, and stops at the first node over a limit: an alias costs as much as the whole
    value it repeats, so nine aliases of nine aliases … are refused on the line that makes them."""

    def start_counting(self, shown: str, lang: Lang, max_nodes: int) -> None:
        self.shown, self.lang, self.max_nodes = shown, lang, max_nodes
        self.expanded = 0  # nodes so far, aliases expanded
        self.level = 0  # how deep the node being composed is (the document's root is 1)
        self.reached = 0  # the deepest level reached in the node being composed, aliases expanded
        self.extent: dict[int, tuple[int, int]] = {}  # id of a finished anchored node → (nodes, levels) it stands for

    def _limit(self, nodes: int, deepest: int, mark: yaml.Mark) -> None:
        if deepest > MAX_DEPTH:
            raise ProfileError(text("yaml.too_deep", self.lang, limit=MAX_DEPTH), location=_location(self.shown, mark),
                               hint=text("yaml.too_deep_hint", self.lang))
        self.expanded += nodes
        if self.expanded > self.max_nodes:
            raise ProfileError(text("yaml.too_many_nodes", self.lang, limit=self.max_nodes), location=_location(self.shown, mark),
                               hint=text("yaml.too_many_nodes_hint", self.lang, name=SIZE_ENV))
        self.reached = max(self.reached, deepest)

    def compose_node(self, parent, index):
        level = self.level + 1
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:  # an undefined alias is the composer's own error
                if id(target) not in self.extent:  # «&a [*a]»: the value would hold itself
                    raise ProfileError(text("yaml.recursive_alias", self.lang, anchor=event.anchor), location=_location(self.shown, event.start_mark),
                                       hint=text("yaml.recursive_alias_hint", self.lang, anchor=event.anchor))
                nodes, levels = self.extent[id(target)]
                self._limit(nodes, level + levels - 1, event.start_mark)
            return yaml.composer.Composer.compose_node(self, parent, index)
        event = self.peek_event()
        before, outer = self.expanded, self.reached
        self._limit(1, level, event.start_mark)
        self.level, self.reached = level, level
        try:
            node = yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self.level = level - 1
        if event.anchor is not None:
            self.extent[id(node)] = (self.expanded - before, self.reached - level + 1)
        self.reached = max(outer, self.reached)
        return node


class _Builder(_Counting, yaml.SafeLoader):
    """SafeLoader whose constructed scalars keep their type (int, float, bool, date, str) and whose
    nodes keep the name of their anchor (the composer forgets it at the end of the document);
    it counts nodes and levels as it composes (``_Counting``)."""

    anchor_names: dict[int, str]

    def __init__(self, stream: str, shown: str, lang: Lang, max_nodes: int) -> None:
        super().__init__(stream)
        self.start_counting(shown, lang, max_nodes)

    def compose_document(self):
        self.get_event()  # DOCUMENT-START
        node = self.compose_node(None, None)
        self.get_event()  # DOCUMENT-END
        self.anchor_names = {id(n): name for name, n in self.anchors.items()}
        self.anchors = {}
        return node


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML without libyaml: the pure Python composer counts on its own
    CParser = None

if CParser is not None:
    class _FastBuilder(_Counting, CParser, yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """``_Builder`` on the events of libyaml (parsed in C, several times faster than PyYAML's own
        parser), with the same count, so a file over a limit is refused at once; a file libyaml finds
        wrong is read again by ``_Builder``, whose messages are the ones this module translates."""

        anchor_names: dict[int, str]

        def __init__(self, stream: str, shown: str, lang: Lang, max_nodes: int) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.start_counting(shown, lang, max_nodes)

        compose_document = _Builder.compose_document


#: «? key»: a complex key at the start of a line or in brackets
_EXPLICIT_KEY = re.compile(r"(?:^|[\n{\[,])[ \-]*\?(?:\s|$)")


def _fast_node(content: str, shown: str, lang: Lang, max_nodes: int):
    """The document's node and the loader that composed it, by libyaml where there is one; raise ``ProfileError``
    if the document is over a limit. ``(None, None)`` when there is no libyaml or it finds the text wrong."""
    if CParser is None or "\t" in content or yaml.reader.Reader.NON_PRINTABLE.search(content) or _EXPLICIT_KEY.search(content):
        # a control character or a tab, which PyYAML refuses where libyaml does not, or a «? key», whose empty
        # value libyaml places elsewhere: _Builder reads them as it always did
        return None, None
    builder = _FastBuilder(content, shown, lang, max_nodes)
    try:
        return yaml.composer.Composer.get_single_node(builder), builder
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000) is past ours
            raise ProfileError(text("yaml.too_deep", lang, limit=MAX_DEPTH), location=_location(shown, exc.problem_mark),
                               hint=text("yaml.too_deep_hint", lang)) from None
    except yaml.YAMLError:
        pass
    finally:
        builder.dispose()
    return None, None


def _scalar(node: yaml.ScalarNode, loc: Location, loader: _Builder) -> Any:
    """The value of a scalar node; a value the YAML types cannot hold, or one that is no profile value, is bad input."""
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        if node.tag == "tag:yaml.org,2002:timestamp":
            raise ProfileError(text("yaml.bad_date", loader.lang, text=_short(node.value)), location=loc,
                               hint=text("yaml.bad_date_hint", loader.lang)) from None
        if node.tag == "tag:yaml.org,2002:int":
            raise ProfileError(text("yaml.long_number", loader.lang, digits=sum(c.isdigit() for c in node.value)), location=loc,
                               hint=text("yaml.quote_hint", loader.lang)) from None
        raise ProfileError(text("yaml.bad_value", loader.lang, text=_short(node.value)), location=loc,
                           hint=text("yaml.quote_hint", loader.lang)) from None
    if not isinstance(value, _SCALAR_TYPES):
        raise ProfileError(text("yaml.tag_not_allowed", loader.lang, tag=node.tag.replace("tag:yaml.org,2002:", "!!")), location=loc,
                           hint=text("yaml.tag_hint", loader.lang))
    return value


def _convert(node: yaml.Node, path: str, loader: _Builder):
    loc = _location(path, node.start_mark)
    anchor = getattr(loader, "anchor_names", {}).get(id(node))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # merge keys: «<<: *base» brings in the keys of the anchored mapping
        out = MarkedDict()
        out.location = loc
        out.anchor = anchor
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # «? [a, b]» or «{a: b}: c»
                raise ProfileError(text("yaml.complex_key", loader.lang), location=_location(path, key_node.start_mark),
                                   hint=text("yaml.complex_key_hint", loader.lang))
            key = _convert(key_node, path, loader)
            out[key] = _convert(value_node, path, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = MarkedList(_convert(n, path, loader) for n in node.value)
        seq.location = loc
        seq.anchor = anchor
        return seq
    value = _scalar(node, loc, loader)
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


def _zero_bytes(raw: bytes) -> str | None:
    """The message key for a file that holds zero bytes or starts with a UTF-16 byte order mark: UTF-16 text
    (every other byte zero) or not text at all; None for a file without them."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not_utf8_utf16"
    if b"\x00" not in raw:
        return None
    sample = raw[:4096]
    zeros = [i % 2 for i, b in enumerate(sample) if b == 0]
    one_side = max(zeros.count(0), zeros.count(1))
    return "not_utf8_utf16" if len(zeros) * 4 >= len(sample) and one_side >= 0.9 * len(zeros) else "not_text"


def _read(path: Path, lang: Lang, shown: str) -> bytes:
    """The file's bytes: only an ordinary file, at most ``max_size`` bytes; anything else is bad input."""
    limit = max_size(lang)
    try:
        return read_bounded(path, limit)
    except FileNotFoundError as exc:
        raise ProfileError(text("not_found", lang, path=shown)) from exc
    except InputRefused as exc:
        if exc.kind == "too_large":
            raise ProfileError(text("input.too_large", lang, size=exc.size, limit=exc.limit), location=Location(shown),
                               hint=text("yaml.size_hint", lang, name=SIZE_ENV)) from None
        raise ProfileError(text(f"input.not_file.{exc.kind}", lang), location=Location(shown), hint=text("input.not_file_hint", lang)) from None
    except OSError as exc:
        raise ProfileError(text("input.cannot_read", lang, problem=exc.strerror or exc), location=Location(shown)) from None


def read_yaml(path: Path, lang: Lang = Lang.RU, display: str | None = None) -> Any:
    """Parse a YAML file into ``Marked`` values; raise ``ProfileError`` pointing at a syntax error.

    A file that is not an ordinary file, is larger than ``max_size``, is not UTF-8 text, nests deeper
    than ``MAX_DEPTH`` or expands (aliases included) to more nodes than the size allows is bad input
    too, refused before it costs much; no message quotes the contents of such a file.
    """
    shown = display or str(path)
    raw = _read(path, lang, shown)
    if problem := _zero_bytes(raw):
        at = max(raw.find(b"\x00"), 0) if problem == "not_text" else 0
        line, column = raw[:at].count(b"\n") + 1, at - (raw.rfind(b"\n", 0, at) + 1) + 1
        raise ProfileError(text(problem, lang), location=Location(shown, line, column),
                           hint=text("utf8_hint" if problem == "not_utf8_utf16" else "not_text_hint", lang))
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = text("not_utf8_cp1251" if _looks_cp1251(raw) else "not_utf8", lang)
        raise ProfileError(message, location=Location(shown, line, column), hint=text("utf8_hint", lang)) from exc
    content = _INVISIBLE.sub("", content)
    content = _TAB_AFTER_KEY.sub(lambda m: m.group(1) + " " * len(m.group(2)), content)
    loader = None
    try:
        max_nodes = max(MIN_NODES, max_size(lang) // BYTES_PER_NODE)
        node, fast = _fast_node(content, shown, lang, max_nodes)
        if fast is not None:
            return None if node is None else _convert(node, shown, fast)
        loader = _Builder(content, shown, lang, max_nodes)
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, shown, loader)
    except yaml.reader.ReaderError as exc:  # a control character (PyYAML's message is in English, over two lines)
        at = exc.position
        line, column = content.count("\n", 0, at) + 1, at - (content.rfind("\n", 0, at) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ProfileError(text("yaml.control_char", lang, code=f"U+{code:04X}"), location=Location(shown, line, column),
                           hint=text("yaml.control_char_hint", lang)) from None
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
        raise ProfileError(text("yaml_syntax", lang, problem=_short(exc, 200)), location=Location(shown)) from exc
    finally:
        if loader is not None:
            loader.dispose()
