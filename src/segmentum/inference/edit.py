"""Edit one field of a profile's text, the way ``complete`` adds accepted suggestions: as text, so
comments, key order, the language of the keys and the rest of the formatting stay as written.

The workspace's field editor and its YAML text are two views of one document: a field changed in the
form is written into the text by these functions (status, life situation, service, stage; an
attribute row set, added or removed; a journey feature, channel, pain or hypothesis added with its
state and evidence, or an item's state changed). What they write must still load as a profile; the
caller checks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, text
from segmentum.inference.complete import (
    _add_key,
    _append,
    _end_line,
    _find,
    _indent_of,
    _name,
    _replace_empty,
    _scalar,
    _scalar_key,
    _uses_russian_keys,
)
from segmentum.profiles.keys import CHANNEL_KEYS, ITEM_KEYS, KEYS, canonical_key, key_name

#: the top-level keys a field sets, in the order a new one is placed among the others
SCALAR_KEYS = ("id", "title", "status", "life_situation", "service", "service_region", "stage")
#: the lists of statements (each item a text, or a mapping with text, state, evidence)
LIST_KEYS = ("journey_features", "pains", "hypotheses", "channels")


@dataclass(frozen=True)
class Span:
    """Where a field is written: 1-based first and last line (findings on these lines belong to it)."""

    first: int
    last: int


def _last_line(source: str, node: yaml.Node) -> int:
    """The 0-based line index just after the node's last content line (a nested block's end mark is
    where the next key starts, so the last item or value is asked)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return max(_last_line(source, node.value[-1][1]), node.value[-1][0].start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(source, node.value[-1])
    return _end_line(source, node)


def _root(source: str) -> yaml.Node | None:
    try:
        return yaml.compose(source)
    except yaml.YAMLError:
        return None


def _refuse(lang: Lang, node: yaml.Node | None = None) -> BadInputError:
    loc = Location("", node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else None
    return BadInputError(text("edit.cannot", lang), location=loc, hint=text("edit.cannot_hint", lang))


def _value_text(value: str) -> str:
    """A YAML scalar after «key: »: plain if that reads back the same, else double-quoted."""
    try:
        read = yaml.safe_load(f"k: {value}")
        if isinstance(read, dict) and list(read) == ["k"] and "#" not in value and (read["k"] == value or (
                isinstance(read["k"], int | float) and not isinstance(read["k"], bool) and str(read["k"]) == value)):
            return value  # a number stays a number («возраст: 21»), as a methodologist writes it
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _set_line_value(source: str, key_node: yaml.Node, value: yaml.Node, new: str) -> str:
    """The scalar ``value`` written on its key's line replaced by ``new`` (a trailing comment kept)."""
    lines = source.splitlines(keepends=True)
    i = key_node.start_mark.line
    line = lines[i]
    colon = line.index(":", key_node.end_mark.column)
    if isinstance(value, yaml.ScalarNode) and value.value not in ("", "~", "null") and value.start_mark.line == i \
            and value.end_mark.line == i:
        rest = line[value.end_mark.column:].rstrip("\n")
    else:
        comment = line.find("#", colon)
        rest = ("  " + line[comment:].rstrip("\n")) if comment != -1 else ""
    lines[i] = line[: colon + 1] + (" " + _value_text(new) if new else "") + rest + "\n"
    return "".join(lines)


def _remove(source: str, key_node: yaml.Node, value: yaml.Node) -> str:
    """The key and its value taken out of the text (the lines from the key to the value's end)."""
    lines = source.splitlines(keepends=True)
    first = key_node.start_mark.line
    last = max(_last_line(source, value), first + 1)
    return "".join(lines[:first] + lines[last:])


def set_scalar(source: str, key: str, value: str, lang: Lang) -> str:
    """``source`` with the top-level ``key`` (canonical: ``status``, ``stage`` …) set to ``value``; an
    empty value takes the key out. A new key goes after the keys that come before it in ``SCALAR_KEYS``."""
    root = _root(source)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise _refuse(lang, root)
    found = _find(root, key, KEYS) if root is not None else None
    if found is not None:
        key_node, node = found
        if not isinstance(node, yaml.ScalarNode):
            raise _refuse(lang, key_node)
        return _set_line_value(source, key_node, node, value) if value else _remove(source, key_node, node)
    if not value:
        return source
    russian = _uses_russian_keys(root) if root is not None else False
    line = f"{_name(key, russian)}: {_value_text(value)}\n"
    before = SCALAR_KEYS[: SCALAR_KEYS.index(key)] if key in SCALAR_KEYS else SCALAR_KEYS
    after = None
    for k, v in (root.value if root is not None else []):
        if isinstance(k, yaml.ScalarNode) and canonical_key(str(k.value), KEYS) in before:
            after = _last_line(source, v) if not isinstance(v, yaml.ScalarNode) else k.start_mark.line + 1
    if after is None:
        return _append(source, line)
    lines = source.splitlines(keepends=True)
    if after > 0 and not lines[after - 1].endswith("\n"):
        lines[after - 1] += "\n"
    lines.insert(after, line)
    return "".join(lines)


def set_attribute(source: str, written: str, value: str | None, lang: Lang) -> str:
    """``source`` with the attribute row ``written`` (the key as the file writes it, or a new one) set
    to ``value``; None takes the row out. A row whose value is a mapping has its ``value`` set."""
    root = _root(source)
    if root is None or not isinstance(root, yaml.MappingNode):
        if value is None:
            return source
        root = None
    top = _find(root, "attributes", KEYS) if root is not None else None
    row = None
    if top is not None and isinstance(top[1], yaml.MappingNode):
        row = next(((k, v) for k, v in top[1].value if isinstance(k, yaml.ScalarNode) and str(k.value) == written), None)
    if row is None:
        if value is None:
            return source
        russian = _uses_russian_keys(root) if root is not None else False
        try:
            source = _add_key(source, top, _scalar_key(written), russian)
        except Exception:  # a flow mapping, or «attributes» not a mapping
            raise _refuse(lang, top[0] if top else None) from None
        return set_attribute(source, written, value, lang)
    key_node, node = row
    if value is None:
        return _remove(source, key_node, node)
    if isinstance(node, yaml.MappingNode):
        inner = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and canonical_key(str(k.value), {"value": ["value", "значение"]})),
                     None)
        if inner is None or not isinstance(inner[1], yaml.ScalarNode):
            raise _refuse(lang, key_node)
        return _set_line_value(source, inner[0], inner[1], value)
    if not isinstance(node, yaml.ScalarNode):
        raise _refuse(lang, key_node)
    return _set_line_value(source, key_node, node, value)


def _item_lines(fields: list[tuple[str, str]], dash: int) -> str:
    """A list item as block lines: ``- key: value`` and the next keys under it."""
    out = []
    for n, (k, v) in enumerate(fields):
        out.append(" " * dash + ("- " if n == 0 else "  ") + f"{k}: {_value_text(v)}\n")
    return "".join(out)


def _sequence(source: str, key: str, sub: str | None, russian: bool, lang: Lang) -> tuple[str, yaml.Node | None, int]:
    """The text with the list of ``key`` (``channels``: its ``sub`` list) made if missing, that list's
    node (None: empty) and the column its items' dashes go in."""
    root = _root(source)
    top = _find(root, key, KEYS) if root is not None else None
    if top is None:
        head = f"{_name(key, russian)}:\n" + (f"  {_name(sub, russian, CHANNEL_KEYS)}:\n" if sub else "")
        return _append(source, head), None, 4 if sub else 2
    key_node, value = top
    if sub is not None:
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            indent = _indent_of(source, key_node) + 2
            source = _replace_empty(source, key_node, value, f"\n{' ' * indent}{_name(sub, russian, CHANNEL_KEYS)}:")
            return _sequence(source, key, sub, russian, lang)
        if not isinstance(value, yaml.MappingNode) or value.flow_style:
            raise _refuse(lang, key_node)
        found = _find(value, sub, CHANNEL_KEYS)
        indent = _indent_of(source, key_node) + 2
        if found is None:
            lines = source.splitlines(keepends=True)
            at = _last_line(source, value)
            if at > 0 and not lines[at - 1].endswith("\n"):
                lines[at - 1] += "\n"
            lines.insert(at, f"{' ' * indent}{_name(sub, russian, CHANNEL_KEYS)}:\n")
            return "".join(lines), None, indent + 2
        key_node, value = found
    if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
        first = value.value[0]
        line = source.splitlines()[first.start_mark.line]
        dash = line.index("-") if "-" in line[: first.start_mark.column] else first.start_mark.column - 2
        return source, value, dash
    if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null") or isinstance(value, yaml.SequenceNode) and not value.value:
        lines = source.splitlines(keepends=True)
        i = key_node.start_mark.line
        line = lines[i]
        colon = line.index(":", key_node.end_mark.column)
        comment = line.find("#", colon)
        lines[i] = line[: colon + 1] + (("  " + line[comment:].rstrip("\n")) if comment != -1 else "") + "\n"
        return "".join(lines), None, _indent_of(source, key_node) + 2
    raise _refuse(lang, key_node)


def add_item(source: str, key: str, sub: str | None, fields: dict[str, str], lang: Lang) -> str:
    """``source`` with a new item in the list ``key`` (``channels``: its ``sub``, informing or service):
    ``fields`` (canonical item keys: text, channel, state, evidence; empty ones left out) as a mapping,
    or as a plain item when it has only a text."""
    root = _root(source)
    russian = _uses_russian_keys(root) if root is not None else False
    source, seq, dash = _sequence(source, key, sub, russian, lang)
    given = [(k, v.strip()) for k, v in fields.items() if v and v.strip()]
    if not given:
        return source
    if len(given) == 1 and given[0][0] == "text":
        block = " " * dash + "- " + _scalar(given[0][1]) + "\n"
    else:
        block = _item_lines([(key_name(k, Lang.RU if russian else Lang.EN, ITEM_KEYS), v) for k, v in given], dash)
    lines = source.splitlines(keepends=True)
    if seq is None:  # the list's key is the last line written for it
        at = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()) + 1 if source.strip() else 0
        root = _root(source)
        top = _find(root, key, KEYS)
        if top is not None:
            head = top[0] if sub is None else _find(top[1], sub, CHANNEL_KEYS)[0]
            at = head.start_mark.line + 1
    else:
        at = _last_line(source, seq)
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines.insert(at, block)
    return "".join(lines)


def set_item_state(source: str, key: str, sub: str | None, index: int, state: str, lang: Lang) -> str:
    """``source`` with the state of item ``index`` (0-based) of the list ``key`` (``channels``: ``sub``)
    set to ``state``: written on the item's ``state`` line, or added under it; a plain item becomes a mapping."""
    root = _root(source)
    top = _find(root, key, KEYS) if root is not None else None
    if top is not None and sub is not None:
        top = _find(top[1], sub, CHANNEL_KEYS)
    if top is None or not isinstance(top[1], yaml.SequenceNode) or top[1].flow_style or not 0 <= index < len(top[1].value):
        raise _refuse(lang, top[0] if top else None)
    russian = _uses_russian_keys(root)
    state_key = key_name("state", Lang.RU if russian else Lang.EN, ITEM_KEYS)
    item = top[1].value[index]
    lines = source.splitlines(keepends=True)
    if isinstance(item, yaml.ScalarNode):
        if item.start_mark.line != item.end_mark.line and item.end_mark.column != 0:
            raise _refuse(lang, item)
        i = item.start_mark.line
        line = lines[i]
        text_key = key_name("text", Lang.RU if russian else Lang.EN, ITEM_KEYS)
        value = _scalar(item.value) if item.style is None else line[item.start_mark.column:item.end_mark.column]
        tail = line[item.end_mark.column:].rstrip("\n")
        lines[i] = line[: item.start_mark.column] + f"{text_key}: {value}{tail}\n" + " " * item.start_mark.column + \
            f"{state_key}: {_value_text(state)}\n"
        return "".join(lines)
    if not isinstance(item, yaml.MappingNode) or item.flow_style:
        raise _refuse(lang, item)
    found = _find(item, "state", ITEM_KEYS)
    if found is not None and isinstance(found[1], yaml.ScalarNode):
        return _set_line_value(source, found[0], found[1], state)
    column = item.value[0][0].start_mark.column
    at = _last_line(source, item)
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines.insert(at, " " * column + f"{state_key}: {_value_text(state)}\n")
    return "".join(lines)


def _span(key_node: yaml.Node, value: yaml.Node, source: str) -> Span:
    return Span(key_node.start_mark.line + 1, max(_last_line(source, value), key_node.start_mark.line + 1))


def _item(node: yaml.Node, source: str) -> dict:
    """One statement of a list as the fields show it: its text (or channel), state, evidence, and lines."""
    out = {"text": "", "channel": "", "state": "", "evidence": "", "plain": isinstance(node, yaml.ScalarNode),
           "span": Span(node.start_mark.line + 1, max(_last_line(source, node), node.start_mark.line + 1))}
    if isinstance(node, yaml.ScalarNode):
        out["text"] = str(node.value)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            canon = canonical_key(str(k.value), ITEM_KEYS) if isinstance(k, yaml.ScalarNode) else None
            if canon is None:
                continue
            if isinstance(v, yaml.ScalarNode):
                out[canon] = str(v.value)
            elif isinstance(v, yaml.SequenceNode):
                out[canon] = "; ".join(str(x.value) for x in v.value if isinstance(x, yaml.ScalarNode))
    return out


def fields_of(source: str) -> dict | None:
    """The profile's fields as the form shows them, each with the lines it is written on; None when the
    text is not a YAML mapping (the text view shows why)."""
    root = _root(source)
    if root is None or not isinstance(root, yaml.MappingNode):
        return None
    out: dict = {"scalars": {}, "attributes": [], "lists": {k: [] for k in LIST_KEYS if k != "channels"},
                 "channels": {"informing": [], "service": []}, "spans": {}}
    for k, v in root.value:
        canon = canonical_key(str(k.value), KEYS) if isinstance(k, yaml.ScalarNode) else None
        if canon is None:
            continue
        out["spans"][canon] = _span(k, v, source)
        if canon in SCALAR_KEYS and isinstance(v, yaml.ScalarNode):
            out["scalars"][canon] = {"value": str(v.value or ""), "span": _span(k, v, source)}
        elif canon == "attributes" and isinstance(v, yaml.MappingNode):
            for ak, av in v.value:
                if not isinstance(ak, yaml.ScalarNode):
                    continue
                value = av.value if isinstance(av, yaml.ScalarNode) else next(
                    (str(x.value) for kk, x in av.value if isinstance(kk, yaml.ScalarNode) and canonical_key(str(kk.value), {"value": ["value", "значение"]})
                     and isinstance(x, yaml.ScalarNode)), "") if isinstance(av, yaml.MappingNode) else ""
                out["attributes"].append({"key": str(ak.value), "value": str(value or ""), "span": _span(ak, av, source),
                                          "editable": isinstance(av, yaml.ScalarNode | yaml.MappingNode)})
        elif canon in out["lists"] and isinstance(v, yaml.SequenceNode):
            out["lists"][canon] = [_item(x, source) for x in v.value]
        elif canon == "channels" and isinstance(v, yaml.MappingNode):
            for ck, cv in v.value:
                sub = canonical_key(str(ck.value), CHANNEL_KEYS) if isinstance(ck, yaml.ScalarNode) else None
                if sub and isinstance(cv, yaml.SequenceNode):
                    out["channels"][sub] = [_item(x, source) for x in cv.value]
    return out
