"""Write accepted suggestions back into a profile file as open hypotheses, keeping everything else.

The file is edited as text: new items are inserted after the last item of the list they belong
to (or a new key is appended), so comments, key order, spelling of keys and formatting stay
exactly as the methodologist wrote them — with its line ends (CRLF from Windows editors) and
byte order mark, if it had them. The result is loaded again before it replaces the file, atomically.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from segmentum.catalogue.view import Catalogue
from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, text
from segmentum.inference.suggest import Suggestion
from segmentum.profiles.keys import CHANNEL_KEYS, KEYS, canonical_key, key_name


@dataclass(frozen=True)
class FileStyle:
    """How a profile file is written on disk: a byte order mark, and its line ends."""

    bom: bool = False
    newline: str = "\n"


def read_source(path: Path) -> tuple[str, FileStyle]:
    """The file's text with ``\n`` line ends, and its style to write the edited text back."""
    raw = path.read_bytes()
    content = raw.decode("utf-8-sig")
    return content.replace("\r\n", "\n"), FileStyle(raw.startswith(codecs.BOM_UTF8), "\r\n" if "\r\n" in content else "\n")


def encode_like(content: str, style: FileStyle) -> bytes:
    """``content`` (``\n`` line ends) as bytes in the file's own style."""
    body = content.replace("\n", style.newline) if style.newline != "\n" else content
    return (codecs.BOM_UTF8 if style.bom else b"") + body.encode("utf-8")


@dataclass
class Addition:
    key: str  # attributes | journey_features | pains | hypotheses | channels
    sub: str | None  # informing | service for channels
    text: str


def additions(items: list[Suggestion], accept: list[str], cat: Catalogue, lang: Lang, path: Path) -> list[Addition]:
    """The accepted suggestions (by id, or all with ``all``) as items to add."""
    by_id = {s.id: s for s in items}
    chosen: list[Suggestion] = []
    for a in accept:
        if a == "all":
            chosen += [s for s in items if s not in chosen]
            continue
        if a not in by_id:
            import difflib

            close = difflib.get_close_matches(a, list(by_id), n=1, cutoff=0.5)
            raise BadInputError(text("suggest.unknown_id", lang, id=a, profile=path.name), location=Location(str(path)),
                                hint=text("did_you_mean", lang, options=f"«{close[0]}»") if close else text("complete.see_ids", lang))
        if by_id[a] not in chosen:
            chosen.append(by_id[a])
    out = []
    for s in chosen:
        if s.kind == "attribute":  # a line «признак:» to fill in; validation reminds of it until it has a value
            out.append(Addition("attributes", None, s.text))
        elif s.kind == "channel":
            out.append(Addition("channels", "informing" if s.purpose == "Informing" else "service", s.text))
        else:
            out.append(Addition("journey_features" if s.kind == "journey-feature" else "pains", None, s.text))
    return out


def insert(source: str, adds: list[Addition], path: Path | None = None, lang: Lang = Lang.RU) -> str:
    """``source`` with the additions inserted as list items; ``path`` and ``lang`` are for errors."""
    try:
        for add in adds:
            source = _insert_one(source, add)
    except _CannotInsert as exc:
        raise BadInputError(text(exc.key, lang, key=exc.node.value),
                            location=Location(str(path or ""), exc.node.start_mark.line + 1, exc.node.start_mark.column + 1),
                            hint=text("complete.block_hint", lang)) from None
    return source


class _CannotInsert(Exception):
    """The file's list cannot be extended as text: a message key and the key node it is about."""

    def __init__(self, key: str, node: yaml.Node) -> None:
        super().__init__(key)
        self.key, self.node = key, node


def _insert_one(source: str, add: Addition) -> str:
    root = yaml.compose(source)
    russian = _uses_russian_keys(root)
    top = _find(root, add.key, KEYS)
    if add.key == "attributes":
        return _add_key(source, top, _scalar_key(add.text), russian)
    item = "- " + _scalar(add.text)
    if add.sub is None:
        if top is None:
            return _append(source, f"{_name(add.key, russian)}:\n  {item}\n")
        return _add_to_sequence(source, top, item, indent=_indent_of(source, top[0]) + 2)
    if top is None:
        return _append(source, f"{_name(add.key, russian)}:\n  {_name(add.sub, russian, CHANNEL_KEYS)}:\n    {item}\n")
    key_node, value = top
    if not isinstance(value, yaml.MappingNode):
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            return _replace_empty(source, key_node, value, f"\n{' ' * (_indent_of(source, key_node) + 2)}{_name(add.sub, russian, CHANNEL_KEYS)}:\n"
                                                         f"{' ' * (_indent_of(source, key_node) + 4)}{item}")
        raise _CannotInsert("complete.not_channels", key_node)
    sub = _find(value, add.sub, CHANNEL_KEYS)
    indent = _indent_of(source, key_node) + 2
    if sub is None:
        line = _end_line(source, value)
        lines = source.splitlines(keepends=True)
        lines.insert(line, f"{' ' * indent}{_name(add.sub, russian, CHANNEL_KEYS)}:\n{' ' * (indent + 2)}{item}\n")
        return "".join(lines)
    return _add_to_sequence(source, sub, item, indent=indent + 2)


def _add_key(source: str, found: tuple[yaml.Node, yaml.Node] | None, key: str, russian: bool) -> str:
    """``source`` with ``key:`` (no value) added to the ``attributes`` mapping, made if missing."""
    if found is None:
        return _append(source, f"{_name('attributes', russian)}:\n  {key}:\n")
    key_node, value = found
    indent = _indent_of(source, key_node) + 2
    lines = source.splitlines(keepends=True)
    commented = re.compile(rf"^(\s*)#\s*{re.escape(key)}:(.*)$")  # the template's line for it, commented out
    end = _end_line(source, value) if isinstance(value, yaml.MappingNode) else key_node.start_mark.line + 1
    for i in range(key_node.start_mark.line + 1, min(len(lines), max(end, key_node.start_mark.line + 1) + 1)):
        m = commented.match(lines[i].rstrip("\n"))
        if m:
            lines[i] = f"{m.group(1)}{key}:{m.group(2)}\n"
            return "".join(lines)
    if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
        return _replace_empty(source, key_node, value, f"\n{' ' * indent}{key}:")
    if not isinstance(value, yaml.MappingNode) or value.flow_style:
        raise _CannotInsert("complete.not_mapping", key_node)
    if value.value:
        first = value.value[0][0]
        indent = first.start_mark.column
    at = _end_line(source, value)
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines.insert(at, f"{' ' * indent}{key}:\n")
    return "".join(lines)


def _scalar_key(value: str) -> str:
    """A YAML mapping key for the text: plain if that reads back the same, else double-quoted."""
    try:
        if yaml.safe_load(f"{value}: x") == {value: "x"} and "#" not in value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _uses_russian_keys(root: yaml.Node) -> bool:
    if not isinstance(root, yaml.MappingNode):
        return False
    keys = [k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)]
    return sum(any("а" <= c.lower() <= "я" for c in k) for k in keys) > len(keys) / 2


def _name(key: str, russian: bool, table: dict[str, list[str]] = KEYS) -> str:
    """The key as a file with Russian keys, or English ones, writes it."""
    return key_name(key, Lang.RU if russian else Lang.EN, table)


def _find(mapping: yaml.Node, key: str, table: dict) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and canonical_key(str(k.value), table) == key:
            return k, v
    return None


def _scalar(value: str) -> str:
    """A YAML scalar for the text: plain if that reads back the same, else double-quoted."""
    try:
        if yaml.safe_load(f"- {value}") == [value] and ":" not in value and "#" not in value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _indent_of(source: str, node: yaml.Node) -> int:
    line = source.splitlines()[node.start_mark.line]
    return len(line) - len(line.lstrip(" "))


def _end_line(source: str, node: yaml.Node) -> int:
    """The 0-based line index just after the node's last content line."""
    end = node.end_mark
    line = end.line if end.column == 0 else end.line + 1
    lines = source.splitlines()
    while line > 0 and (line - 1) < len(lines) and not lines[line - 1].strip():
        line -= 1
    return line


def _add_to_sequence(source: str, found: tuple[yaml.Node, yaml.Node], item: str, *, indent: int) -> str:
    key_node, value = found
    if isinstance(value, yaml.SequenceNode) and value.flow_style and value.value:
        # «informing: [ЕПГУ, МФЦ]» on the key's line: written again as a block list, with the new item
        if value.start_mark.line != key_node.start_mark.line or value.end_mark.line != key_node.start_mark.line \
                or not all(isinstance(v, yaml.ScalarNode) for v in value.value):
            raise _CannotInsert("complete.flow_list", key_node)
        items = [f"- {_scalar(v.value)}" for v in value.value] + [item]
        return _replace_empty(source, key_node, value, "".join("\n" + " " * indent + i for i in items))
    if isinstance(value, yaml.SequenceNode) and value.value:
        first = value.value[0]
        line = source.splitlines()[first.start_mark.line]
        dash = line.index("-") if "-" in line[: first.start_mark.column] else first.start_mark.column - 2
        lines = source.splitlines(keepends=True)
        at = _end_line(source, value)
        if at > 0 and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        lines.insert(at, " " * dash + item + "\n")
        return "".join(lines)
    if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
        return _replace_empty(source, key_node, value, "\n" + " " * indent + item)
    if isinstance(value, yaml.SequenceNode):
        return _replace_empty(source, key_node, value, "\n" + " " * indent + item)
    raise _CannotInsert("complete.not_list", key_node)


def _replace_empty(source: str, key_node: yaml.Node, value: yaml.Node, block: str) -> str:
    """Put ``block`` after ``key:`` whose value is empty (``key:``, ``key: ~``, ``key: []``)."""
    lines = source.splitlines(keepends=True)
    i = key_node.start_mark.line
    line = lines[i]
    colon = line.index(":", key_node.end_mark.column)
    comment = line.find("#", colon)
    tail = ("  " + line[comment:].rstrip("\n")) if comment != -1 else ""
    lines[i] = line[: colon + 1] + tail + block + "\n"
    return "".join(lines)


def _append(source: str, block: str) -> str:
    if source and not source.endswith("\n"):
        source += "\n"
    return source + block
