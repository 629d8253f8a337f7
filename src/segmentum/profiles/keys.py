"""The keys of the profile file format, in English and Russian (see ``docs/profile-format.md``).

A file's keys are written in one language or the other (``key_language``); a message that quotes a
key («добавьте «channels: informing: …»») quotes it as that file writes keys (``quote_keys``:
«каналы: информирование: …»). The Russian name of a key is the first Russian one of its list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from segmentum.catalogue.labels import normalize
from segmentum.i18n.messages import Lang

#: canonical profile keys and the other ways to write them
KEYS: dict[str, list[str]] = {
    "id": ["id", "идентификатор"],
    "title": ["title", "name", "название", "название профиля", "наименование"],
    "status": ["status", "статус", "статус клиента"],
    "life_situation": ["life situation", "жизненная ситуация", "жс", "название жс"],
    "service": ["service", "services", "услуга", "услуги", "функция", "мера поддержки"],
    "service_region": ["service region", "регион оказания услуги", "регион услуги"],
    "stage": ["stage", "этап", "этап профилирования"],
    "attributes": ["attributes", "признаки", "основные признаки", "признаки-значения", "признак-значение"],
    "journey_features": ["journey features", "особенности клиентского пути", "особенности пути", "особенности"],
    "channels": ["channels", "каналы", "каналы взаимодействия", "предпочтительные каналы", "предпочтительные каналы связи"],
    "pains": ["pains", "боли"],
    "hypotheses": ["hypotheses", "гипотезы"],
    "priority": ["priority", "criteria", "приоритет", "приоритизация", "критерии", "критерии приоритизации"],
    "notes": ["notes", "примечания", "дополнительно", "заметки", "комментарий"],
}
CHANNEL_KEYS: dict[str, list[str]] = {
    "informing": ["informing", "информирование"],
    "service": ["service", "receiving", "получение услуги", "получение услуг", "получение"],
}
ITEM_KEYS: dict[str, list[str]] = {
    "text": ["text", "statement", "формулировка", "текст"],
    "state": ["state", "состояние", "статус гипотезы"],
    "evidence": ["evidence", "подтверждение", "обоснование", "доказательства"],
    "channel": ["channel", "канал"],
}
VALUE_KEYS: dict[str, list[str]] = {"value": ["value", "значение"], "source": ["source", "источник"]}
#: the top-level keys of a SEGMENTS file (``docs/prioritise.md``)
SEGMENTS_FILE_KEYS: dict[str, list[str]] = {"weights": ["weights", "веса", "вес"], "segments": ["segments", "сегменты"]}


def canonical_key(key: str, table: dict[str, list[str]]) -> str | None:
    """The canonical name of a key as written, or None if it is not one of ``table``."""
    return _spellings(table).get(normalize(key.replace("_", " ")))


_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def key_language(keys: Iterable[str]) -> Lang:
    """The language a mapping's keys are written in: Russian when most of them are, else English."""
    written = [str(k) for k in keys]
    russian = sum(1 for k in written if _CYRILLIC.search(k))
    return Lang.RU if russian > len(written) - russian else Lang.EN


def key_name(canon: str, lang: Lang, table: dict[str, list[str]] = KEYS) -> str:
    """How a file whose keys are in ``lang`` writes the key ``canon`` of ``table``."""
    if lang is Lang.RU:
        return next((n for n in table[canon] if _CYRILLIC.search(n)), canon)
    return canon


#: where an English key quoted in a message is looked up, in order; after «channels:» its sub-keys
_TABLES = (KEYS, ITEM_KEYS, VALUE_KEYS, SEGMENTS_FILE_KEYS, CHANNEL_KEYS)
_QUOTED_KEYS = re.compile(r"«([a-z_]+(?:: [a-z_]+)*):")


def quote_keys(message: str, lang: Lang) -> str:
    """``message`` with the English keys it quotes («channels: informing: …», «pains:») written as a file
    whose keys are in ``lang`` writes them; words that are not keys are left as they are."""
    if lang is not Lang.RU:
        return message

    def names(match: re.Match) -> str:
        out, table_of = [], None
        for part in match.group(1).split(": "):
            tables = (table_of,) if table_of is not None else _TABLES
            table = next((t for t in tables if part in t), None)
            if table is None:
                return match.group(0)
            out.append(key_name(part, lang, table))
            table_of = CHANNEL_KEYS if table is KEYS and part == "channels" else None
        return "«" + ": ".join(out) + ":"

    return _QUOTED_KEYS.sub(names, message)


#: id of a table -> (the table, so the id stays its own; each spelling normalized -> its canonical name)
_SPELLINGS: dict[int, tuple[dict[str, list[str]], dict[str, str]]] = {}


def _spellings(table: dict[str, list[str]]) -> dict[str, str]:
    """Every spelling of the table's keys, normalized, to its canonical name (the first canonical name
    that has it, in the table's order), made once per table."""
    made = _SPELLINGS.get(id(table))
    if made is None or made[0] is not table:
        spellings: dict[str, str] = {}
        for canon, names in table.items():
            for name in (canon.replace("_", " "), *names):
                spellings.setdefault(normalize(name), canon)
        made = _SPELLINGS[id(table)] = (table, spellings)
    return made[1]
