"""The keys of the profile file format, in English and Russian (see ``docs/profile-format.md``)."""

from __future__ import annotations

from segmentum.catalogue.labels import normalize

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
    "notes": ["notes", "дополнительно", "примечания", "заметки", "комментарий"],
}
CHANNEL_KEYS: dict[str, list[str]] = {
    "informing": ["informing", "информирование"],
    "service": ["service", "receiving", "получение услуг", "получение услуги", "получение"],
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
