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
    "template.comment": {"ru": "Профиль клиентского сегмента: заполните и проверьте командой «segmentum profile show».",
                         "en": "Client segment profile: fill it in and check it with «segmentum profile show»."},
    # the SPARQL endpoint (segmentum serve)
    "serve.too_long": {"ru": "запрос слишком длинный: {size} байт при пределе {limit}", "en": "the query is too long: {size} bytes, the limit is {limit}"},
    "serve.refused_op": {"ru": "{ops} не выполняется: сервер не обращается к другим адресам", "en": "{ops} is refused: the server does not reach other hosts"},
    "serve.no_format": {"ru": "нет формата «{fmt}» для этого запроса; доступны: {offered}", "en": "no format «{fmt}» for this query; offered: {offered}"},
    "serve.timeout": {"ru": "запрос выполнялся дольше {seconds} с и был остановлен; сузьте запрос или добавьте LIMIT",
                      "en": "the query ran longer than {seconds} s and was stopped; narrow it or add a LIMIT"},
    "serve.too_many_rows": {"ru": "в ответе больше {limit} строк; добавьте LIMIT или сузьте запрос",
                            "en": "the answer has more than {limit} rows; add a LIMIT or narrow the query"},
    "serve.store_failed": {"ru": "ошибка хранилища: {problem}", "en": "store error: {problem}"},
    "serve.no_query": {"ru": "нет параметра query (или update)", "en": "no query (or update) parameter"},
    "serve.update_post": {"ru": "изменения принимаются только методом POST", "en": "updates are accepted by POST only"},
    "serve.read_only": {"ru": "сервер только читает: изменения (SPARQL Update) разрешает запуск с --allow-update",
                        "en": "the server is read-only: start it with --allow-update to accept SPARQL updates"},
    "serve.bad_token": {"ru": "нужен верный токен: заголовок «Authorization: Bearer …»", "en": "a valid token is needed: «Authorization: Bearer …»"},
    "serve.not_utf8": {"ru": "тело запроса не в кодировке UTF-8", "en": "the request body is not UTF-8"},
    "serve.content_type": {"ru": "тип содержимого «{ctype}» не поддерживается; используйте {form} или {direct}",
                           "en": "unsupported content type «{ctype}»; use {form} or {direct}"},
    "serve.repeated": {"ru": "параметр «{name}» указан больше одного раза", "en": "more than one «{name}» parameter"},
    "serve.listening": {"ru": "SPARQL: http://{host}:{port}/sparql, страница запросов: http://{host}:{port}/ (остановить: Ctrl+C)",
                        "en": "SPARQL: http://{host}:{port}/sparql, query page: http://{host}:{port}/ (stop: Ctrl+C)"},
    "serve.token": {"ru": "изменения разрешены с токеном: {token}", "en": "updates are allowed with the token: {token}"},
    "serve.not_loopback": {"ru": "сервер доступен не только с этого компьютера ({host})", "en": "the server is reachable from other machines ({host})"},
    "page.title": {"ru": "Запрос SPARQL к segmentum", "en": "SPARQL query to segmentum"},
    "page.run": {"ru": "Выполнить", "en": "Run"},
    "page.rows": {"ru": "строк", "en": "rows"},
    "page.example": {"ru": "Признаки статуса «Представитель бизнеса»", "en": "Attributes of the status «Business representative»"},
    "page.failed": {"ru": "Ошибка", "en": "Error"},
    # a remote store (--endpoint)
    "remote.unreachable": {"ru": "хранилище {url} недоступно: {problem}", "en": "the store {url} cannot be reached: {problem}"},
    "remote.check_url": {"ru": "проверьте адрес --endpoint и что сервер запущен", "en": "check the --endpoint address and that the server is running"},
    "remote.http": {"ru": "хранилище {url} ответило {status}: {problem}", "en": "the store {url} answered {status}: {problem}"},
    "remote.auth": {"ru": "проверьте --user и --password (или SEGMENTUM_ENDPOINT_USER, SEGMENTUM_ENDPOINT_PASSWORD)",
                    "en": "check --user and --password (or SEGMENTUM_ENDPOINT_USER, SEGMENTUM_ENDPOINT_PASSWORD)"},
    "remote.no_update": {"ru": "у хранилища {url} не указан адрес для изменений", "en": "no update address is given for the store {url}"},
    "remote.give_update": {"ru": "укажите --update-endpoint", "en": "give --update-endpoint"},
    "remote.no_union": {"ru": "хранилище {url} не объединяет именованные графы в графе по умолчанию: запросы segmentum ничего бы не нашли",
                        "en": "the store {url} does not use the union of the named graphs as its default graph: segmentum's queries would find nothing"},
    "remote.union_hint": {"ru": "включите объединение (Oxigraph: serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true), см. docs/shared-store.md",
                          "en": "turn the union on (Oxigraph: serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true), see docs/shared-store.md"},
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
