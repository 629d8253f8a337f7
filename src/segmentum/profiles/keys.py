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
    k = normalize(key.replace("_", " "))
    for canon, names in table.items():
        if k == normalize(canon.replace("_", " ")) or k in (normalize(n) for n in names):
            return canon
    return None
