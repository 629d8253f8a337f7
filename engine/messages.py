"""User-facing wording in Russian and English, kept in one place.

``text(key, lang, **fields)`` formats a message; Russian is the default language. Keys are
stable identifiers; tests compare messages through these keys, not copies of the wording.
"""

from __future__ import annotations

from enum import Enum


class Lang(str, Enum):
    """Languages of labels and messages."""

    RU = "ru"
    EN = "en"


MESSAGES: dict[str, dict[str, str]] = {
    # kinds of catalogue items, as named in messages
    "kind.status": {"ru": "статус", "en": "status"},
    "kind.life_situation": {"ru": "жизненная ситуация", "en": "life situation"},
    "kind.service": {"ru": "услуга", "en": "service"},
    "kind.channel": {"ru": "канал", "en": "channel"},
    "kind.attribute": {"ru": "признак", "en": "attribute"},
    "kind.value": {"ru": "значение признака «{attribute}»", "en": "value of the attribute «{attribute}»"},
    "kind.stage": {"ru": "этап профилирования", "en": "profiling stage"},
    "kind.state": {"ru": "состояние гипотезы", "en": "hypothesis state"},
    "kind.criterion": {"ru": "критерий приоритизации", "en": "prioritisation criterion"},
    "kind.region": {"ru": "регион", "en": "region"},
    "kind.act": {"ru": "НПА", "en": "legal act"},
    "kind.document": {"ru": "НПА или форма", "en": "legal act or form"},
    "kind.key": {"ru": "поле профиля", "en": "profile field"},
    "kind.purpose": {"ru": "назначение канала", "en": "channel purpose"},
    # lookups
    "unknown": {"ru": "неизвестное значение «{text}» ({kind})", "en": "unknown {kind} «{text}»"},
    "did_you_mean": {"ru": "возможно, имелось в виду {options}?", "en": "did you mean {options}?"},
    "see_list": {"ru": "список: {command}", "en": "see {command}"},
    "ambiguous": {"ru": "«{text}» ({kind}) подходит к нескольким элементам каталога: {options}",
                  "en": "«{text}» ({kind}) matches several catalogue items: {options}"},
    "write_exact": {"ru": "укажите идентификатор или полное название", "en": "write the identifier or the full label"},
    "attr_not_for_status": {"ru": "признак «{attribute}» не относится к статусу «{status}» (он для: {statuses})",
                            "en": "the attribute «{attribute}» does not apply to the status «{status}» (it is for: {statuses})"},
    # profile structure
    "yaml_syntax": {"ru": "ошибка синтаксиса YAML: {problem}", "en": "YAML syntax error: {problem}"},
    "yaml_fix": {"ru": "исправьте запись в этом месте (отступы, двоеточие после ключа, кавычки)",
                 "en": "fix the entry here (indentation, a colon after the key, quotes)"},
    "not_mapping": {"ru": "профиль должен быть словарём «ключ: значение»", "en": "a profile must be a mapping of «key: value»"},
    "unknown_key": {"ru": "неизвестное поле профиля «{key}»", "en": "unknown profile field «{key}»"},
    "missing_key": {"ru": "в профиле нет поля «{key}»", "en": "the profile has no «{key}» field"},
    "add_key": {"ru": "добавьте «{key}: …» (см. docs/profile-format.md)", "en": "add «{key}: …» (see docs/profile-format.md)"},
    "expected_list": {"ru": "поле «{key}» должно быть списком", "en": "the field «{key}» must be a list"},
    "expected_mapping": {"ru": "поле «{key}» должно быть словарём «ключ: значение»", "en": "the field «{key}» must be a mapping of «key: value»"},
    "expected_text": {"ru": "поле «{key}» должно быть текстом", "en": "the field «{key}» must be text"},
    "empty_value": {"ru": "у признака «{attribute}» не указано значение", "en": "the attribute «{attribute}» has no value"},
    "bad_number": {"ru": "«{text}» — не число и не интервал для признака «{attribute}»",
                   "en": "«{text}» is neither a number nor a range for the attribute «{attribute}»"},
    "number_hint": {"ru": "запишите число ({example}) или интервал (22-25)", "en": "write a number ({example}) or a range (22-25)"},
    "bad_boolean": {"ru": "«{text}» — не «да» и не «нет» для признака «{attribute}»",
                    "en": "«{text}» is neither yes nor no for the attribute «{attribute}»"},
    "bad_date": {"ru": "«{text}» — не дата для признака «{attribute}»", "en": "«{text}» is not a date for the attribute «{attribute}»"},
    "date_hint": {"ru": "запишите дату как 2024-05-31 или 31.05.2024", "en": "write the date as 2024-05-31 or 31.05.2024"},
    "bad_pair": {"ru": "запись «{text}» не в виде «признак – значение»", "en": "«{text}» is not written as «attribute – value»"},
    "bad_id": {"ru": "идентификатор профиля «{text}» содержит недопустимые символы",
               "en": "the profile identifier «{text}» has characters that are not allowed"},
    "id_hint": {"ru": "используйте латинские буквы, цифры, «-» и «_»", "en": "use Latin letters, digits, «-» and «_»"},
    "duplicate_id": {"ru": "профиль «{id}» уже загружен из {other}", "en": "the profile «{id}» is already loaded from {other}"},
    "duplicate_hint": {"ru": "дайте профилям разные id", "en": "give the profiles different ids"},
    "need_ls_or_service": {"ru": "в профиле нет ни жизненной ситуации, ни услуги", "en": "the profile names neither a life situation nor a service"},
    "no_profiles": {"ru": "в {path} нет файлов профилей (*.yaml, *.yml)", "en": "no profile files (*.yaml, *.yml) in {path}"},
    "not_found": {"ru": "файл не найден: {path}", "en": "file not found: {path}"},
    "not_utf8": {"ru": "файл не в кодировке UTF-8", "en": "the file is not UTF-8"},
    "utf8_hint": {"ru": "сохраните файл в UTF-8", "en": "save the file as UTF-8"},
    # reports
    "col.attribute": {"ru": "Признак", "en": "Attribute"},
    "col.id": {"ru": "Идентификатор", "en": "Identifier"},
    "col.statuses": {"ru": "Статусы", "en": "Statuses"},
    "col.values": {"ru": "Значения", "en": "Values"},
    "col.sources": {"ru": "Источники", "en": "Sources"},
    "col.value": {"ru": "Значение", "en": "Value"},
    "col.label": {"ru": "Название", "en": "Label"},
    "col.also": {"ru": "Можно писать также", "en": "Also written as"},
    "col.note": {"ru": "Примечание", "en": "Note"},
    "col.source": {"ru": "Источник", "en": "Source"},
    "h.definition": {"ru": "Определение", "en": "Definition"},
    "h.statuses": {"ru": "Статусы", "en": "Statuses"},
    "h.values": {"ru": "Значения", "en": "Values"},
    "h.bands": {"ru": "Интервалы для статуса «{status}»", "en": "Bands for the status «{status}»"},
    "h.range": {"ru": "Тип значения: {datatype}, от {min} до {max}{unit}", "en": "Value type: {datatype}, from {min} to {max}{unit}"},
    "h.sources": {"ru": "Источники", "en": "Sources"},
    "h.multi": {"ru": "Несколько значений у сегмента допустимы", "en": "A segment may have several values"},
    "deprecated": {"ru": "устарело, заменено на {replacement}", "en": "deprecated, replaced by {replacement}"},
    "needs_review": {"ru": "требует сверки с текстом акта", "en": "to be checked against the act's text"},
    "src.article": {"ru": "{act}, {article}", "en": "{act}, {article}"},
    "src.field": {"ru": "{form}, {field_ref}: «{field}»", "en": "{form}, {field_ref}: «{field}»"},
    "src.expert": {"ru": "таблица признаков экспертов Аналитического центра", "en": "the Analytical Center's expert attribute table"},
    "dt.integer": {"ru": "целое число", "en": "integer"},
    "dt.decimal": {"ru": "число", "en": "number"},
    "dt.boolean": {"ru": "да/нет", "en": "yes/no"},
    "dt.date": {"ru": "дата", "en": "date"},
    "dt.string": {"ru": "текст", "en": "text"},
    "more_values": {"ru": "… и ещё {n}", "en": "… and {n} more"},
    "p.profile": {"ru": "Профиль", "en": "Profile"},
    "p.title": {"ru": "Название профиля", "en": "Profile title"},
    "p.status": {"ru": "Статус", "en": "Status"},
    "p.life_situation": {"ru": "Название ЖС", "en": "Life situation"},
    "p.service": {"ru": "Услуга", "en": "Service"},
    "p.service_region": {"ru": "Регион оказания услуги", "en": "Service region"},
    "p.stage": {"ru": "Этап", "en": "Stage"},
    "p.attributes": {"ru": "Основные признаки", "en": "Main attributes"},
    "p.journey": {"ru": "Особенности клиентского пути", "en": "Journey features"},
    "p.channels": {"ru": "Предпочтительные каналы связи", "en": "Preferred channels"},
    "p.informing": {"ru": "Информирование", "en": "Informing"},
    "p.service_channels": {"ru": "Получение услуг", "en": "Receiving the service"},
    "p.pains": {"ru": "Боли", "en": "Pains"},
    "p.hypotheses": {"ru": "Гипотезы", "en": "Hypotheses"},
    "p.priority": {"ru": "Критерии приоритизации (II этап)", "en": "Prioritisation criteria (stage II)"},
    "p.notes": {"ru": "Дополнительно", "en": "Additional notes"},
    "p.file": {"ru": "Файл", "en": "File"},
    "p.none": {"ru": "—", "en": "—"},
    "p.range": {"ru": "от {lo} до {hi}", "en": "{lo} to {hi}"},
    "sev.violation": {"ru": "ошибка", "en": "violation"},
    "sev.warning": {"ru": "предупреждение", "en": "warning"},
    "sev.info": {"ru": "сведения", "en": "info"},
    "report.no_file": {"ru": "(без файла)", "en": "(no file)"},
    "report.checked": {"ru": "проверено профилей: {n}", "en": "{n} profiles checked"},
    "report.catalogue": {"ru": "проверен каталог", "en": "the catalogue checked"},
    "report.conforms": {"ru": "соответствует", "en": "conforms"},
    "report.fails": {"ru": "не соответствует", "en": "does not conform"},
    "report.summary": {"ru": "Итого: {checked}; ошибок: {violations}, предупреждений: {warnings} — {verdict}.",
                       "en": "Summary: {checked}; {violations} violations, {warnings} warnings — {verdict}."},
    "unknown_query": {"ru": "нет запроса «{name}» в библиотеке, такого файла .rq или текста запроса SPARQL",
                      "en": "«{name}» is neither a library query, a .rq file nor SPARQL text"},
    "update_refused": {"ru": "запросы на изменение данных (SPARQL Update) не выполняются: segmentum query только читает",
                       "en": "SPARQL updates are refused: segmentum query only reads"},
    "unknown_param": {"ru": "у запроса «{query}» нет параметра «{name}»", "en": "the query «{query}» has no parameter «{name}»"},
    "bad_integer": {"ru": "«{value}» — не целое число", "en": "«{value}» is not an integer"},
    "bad_param": {"ru": "параметр записывается как имя=значение, а не «{text}»", "en": "write a parameter as name=value, not «{text}»"},
    "sparql_syntax": {"ru": "ошибка синтаксиса SPARQL: {problem}", "en": "SPARQL syntax error: {problem}"},
    "col.name": {"ru": "Запрос", "en": "Query"},
    "col.title": {"ru": "Что показывает", "en": "What it shows"},
    "col.params": {"ru": "Параметры", "en": "Parameters"},
    "loaded": {"ru": "загружено профилей: {n}; триплетов в хранилище: {triples}", "en": "profiles loaded: {n}; triples in the store: {triples}"},
    # prioritisation (stage II)
    "kind.rating": {"ru": "уровень оценки", "en": "rating level"},
    "prio.bad_level": {"ru": "«{text}» — не уровень для критерия «{criterion}»", "en": "«{text}» is not a level for the criterion «{criterion}»"},
    "prio.level_hint": {"ru": "запишите {levels} (можно с пояснением через тире) или процент", "en": "write {levels} (a comment may follow a dash) or a percentage"},
    "prio.bad_capacity": {"ru": "«{text}» — не число для критерия «ёмкость»", "en": "«{text}» is not a number for the criterion «capacity»"},
    "prio.capacity_hint": {"ru": "запишите число (15000) или «оценка» — оценить по открытой статистике",
                           "en": "write a number (15000) or «estimate» to estimate it from open statistics"},
    "prio.bad_satisfaction": {"ru": "«{text}» — не оценка удовлетворённости", "en": "«{text}» is not a satisfaction score"},
    "prio.satisfaction_hint": {"ru": "запишите балл от 1 до 5, процент (64 %) или уровень (высокая, средняя, низкая)",
                               "en": "write a score from 1 to 5, a percentage (64 %) or a level (high, medium, low)"},
    "prio.empty": {"ru": "у критерия «{criterion}» нет значения", "en": "the criterion «{criterion}» has no value"},
    "prio.of_five": {"ru": "{value} из 5", "en": "{value} of 5"},
    "prio.in_focus": {"ru": "в фокусе заказчика", "en": "in the customer's focus"},
    "prio.bad_weight": {"ru": "вес «{text}» критерия «{criterion}» — не число не меньше нуля", "en": "the weight «{text}» of «{criterion}» is not a number of zero or more"},
    "prio.weight_hint": {"ru": "запишите вес числом, например 2; 0 — не учитывать критерий", "en": "write the weight as a number, e.g. 2; 0 leaves the criterion out"},
    "prio.bad_weight_option": {"ru": "«{text}» — не «критерий=вес»", "en": "«{text}» is not «criterion=weight»"},
    "prio.weight_option_hint": {"ru": "пример: --weights \"ёмкость=3, слепая зона=0\"", "en": "example: --weights \"capacity=3, blind zone=0\""},
    "prio.not_mapping": {"ru": "файл сегментов должен быть словарём с ключами «segments» и «weights»",
                         "en": "a segments file must be a mapping with the keys «segments» and «weights»"},
    "prio.keys_hint": {"ru": "допустимые ключи: {keys} (см. docs/prioritise.md)", "en": "allowed keys: {keys} (see docs/prioritise.md)"},
    "prio.bad_segment": {"ru": "сегмент должен быть словарём: «profile: файл» или поля профиля", "en": "a segment must be a mapping: «profile: file» or profile fields"},
    "prio.path_hint": {"ru": "путь к профилю пишется относительно файла сегментов", "en": "a profile path is relative to the segments file"},
    "prio.duplicate": {"ru": "сегмент «{id}» указан дважды", "en": "the segment «{id}» is given twice"},
    "prio.no_segments": {"ru": "нет сегментов для ранжирования", "en": "no segments to rank"},
    "prio.reason_top": {"ru": "больше всего дали: {items}", "en": "most came from: {items}"},
    "prio.reason_zero": {"ru": "ничего не дали: {items}", "en": "nothing from: {items}"},
    "prio.reason_missing": {"ru": "нет данных: {items}", "en": "no data: {items}"},
    "prio.reason_tie": {"ru": "баллы равны с предыдущим, выше тот, у кого больше ёмкость", "en": "equal score with the one above, ranked by capacity"},
    "prio.reason_none": {"ru": "нет ни одной оценки", "en": "no assessments at all"},
    "prio.col.rank": {"ru": "Место", "en": "Rank"},
    "prio.col.segment": {"ru": "Сегмент", "en": "Segment"},
    "prio.col.score": {"ru": "Баллы", "en": "Score"},
    "prio.col.reason": {"ru": "Обоснование", "en": "Reason"},
    "prio.weights": {"ru": "Веса: {weights}. Баллы — взвешенное среднее оценок критериев (0–100), см. docs/prioritise.md.",
                     "en": "Weights: {weights}. The score is the weighted mean of the criterion scores (0–100), see docs/prioritise.md."},
    "prio.estimate_note": {"ru": "«{segment}»: ёмкость ≈ {value} — оценка сверху по открытой статистике ({table}: {publisher}, «{title}», на {date}); учтены: {used}; не учтены: {unused}",
                           "en": "«{segment}»: capacity ≈ {value} — an upper-bound estimate from open statistics ({table}: {publisher}, «{title}», as of {date}); used: {used}; not used: {unused}"},
    "prio.estimate_region_all": {"ru": "вся Россия", "en": "all of Russia"},
    "template.comment": {"ru": "Профиль клиентского сегмента: заполните и проверьте командой «segmentum profile show».",
                         "en": "Client segment profile: fill it in and check it with «segmentum profile show»."},
}


def text(key: str, lang: str | Lang = Lang.RU, /, **fields: object) -> str:
    """Format the message ``key`` in ``lang`` (Russian if the language is unknown)."""
    entry = MESSAGES[key]
    code = lang.value if isinstance(lang, Lang) else str(lang)
    template = entry.get(code) or entry["ru"]
    return template.format(**fields) if fields else template


def quoted_list(items: list[str], lang: str | Lang = Lang.RU) -> str:
    """«a», «b» или «c» — a list of quoted options for «did you mean»."""
    quoted = [f"«{i}»" for i in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    joiner = " или " if (lang.value if isinstance(lang, Lang) else lang) == "ru" else " or "
    return ", ".join(quoted[:-1]) + joiner + quoted[-1]
