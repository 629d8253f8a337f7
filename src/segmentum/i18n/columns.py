"""Column headers of ``segmentum query`` tables: the words for the variables the named queries select.

Keyed by the variable's name (``status``); a label variable (``statusLabel``) takes the word of its
variable. CSV, TSV, JSON, XML and the endpoint keep the variable names themselves: they are the
stable names programs read. A variable not in the table (an ad-hoc query's) is headed by its name.
"""

from __future__ import annotations

from segmentum.i18n.messages import Lang

COLUMNS: dict[str, dict[str, str]] = {
    "act": {"ru": "Акт", "en": "Act"},
    "actCode": {"ru": "Код акта", "en": "Act code"},
    "acts": {"ru": "Акты", "en": "Acts"},
    "article": {"ru": "Статья", "en": "Article"},
    "assessedValue": {"ru": "Оценка", "en": "Assessed value"},
    "assessmentSource": {"ru": "Источник оценки", "en": "Source of the assessment"},
    "attribute": {"ru": "Признак", "en": "Attribute"},
    "attributes": {"ru": "Признаки", "en": "Attributes"},
    "basis": {"ru": "Основание", "en": "Basis"},
    "broaderCode": {"ru": "Код группы", "en": "Group code"},
    "channel": {"ru": "Канал", "en": "Channel"},
    "channels": {"ru": "Каналы", "en": "Channels"},
    "citation": {"ru": "Ссылка", "en": "Citation"},
    "citedBy": {"ru": "Где упомянут", "en": "Cited by"},
    "code": {"ru": "Код", "en": "Code"},
    "criterion": {"ru": "Критерий", "en": "Criterion"},
    "criterionGroup": {"ru": "Группа критериев", "en": "Criterion group"},
    "deprecated": {"ru": "Устарело", "en": "Deprecated"},
    "district": {"ru": "Федеральный округ", "en": "Federal district"},
    "districtCode": {"ru": "Код округа", "en": "District code"},
    "document": {"ru": "Документ", "en": "Document"},
    "documentCode": {"ru": "Код документа", "en": "Document code"},
    "documentKind": {"ru": "Вид документа", "en": "Document kind"},
    "evidence": {"ru": "Подтверждение", "en": "Evidence"},
    "expected": {"ru": "Ожидается", "en": "Expected"},
    "expertEntries": {"ru": "Экспертные записи", "en": "Expert entries"},
    "features": {"ru": "Особенности пути", "en": "Journey features"},
    "field": {"ru": "Поле формы", "en": "Form field"},
    "fieldRef": {"ru": "Номер поля", "en": "Field reference"},
    "flaggedOn": {"ru": "Отмечено", "en": "Flagged on"},
    "forms": {"ru": "Формы", "en": "Forms"},
    "functionKind": {"ru": "Вид функции", "en": "Function kind"},
    "hypotheses": {"ru": "Гипотезы", "en": "Hypotheses"},
    "inForce": {"ru": "Действует", "en": "In force"},
    "item": {"ru": "Элемент", "en": "Item"},
    "kind": {"ru": "Вид", "en": "Kind"},
    "lifeSituation": {"ru": "Жизненная ситуация", "en": "Life situation"},
    "main": {"ru": "Основной", "en": "Main"},
    "max": {"ru": "Наибольшее", "en": "Maximum"},
    "min": {"ru": "Наименьшее", "en": "Minimum"},
    "needsReview": {"ru": "Нужна проверка", "en": "Needs review"},
    "pains": {"ru": "Боли", "en": "Pains"},
    "profileId": {"ru": "Профиль", "en": "Profile"},
    "profileTitle": {"ru": "Название профиля", "en": "Profile title"},
    "profiles": {"ru": "Профили", "en": "Profiles"},
    "purpose": {"ru": "Назначение", "en": "Purpose"},
    "reference": {"ru": "Ссылка на норму", "en": "Reference"},
    "region": {"ru": "Регион", "en": "Region"},
    "relation": {"ru": "Связь", "en": "Relation"},
    "repealedBy": {"ru": "Чем отменён", "en": "Repealed by"},
    "replacement": {"ru": "Замена", "en": "Replacement"},
    "scheme": {"ru": "Справочник", "en": "Scheme"},
    "service": {"ru": "Услуга", "en": "Service"},
    "source": {"ru": "Источник", "en": "Source"},
    "sourceKind": {"ru": "Вид источника", "en": "Source kind"},
    "sources": {"ru": "Источники", "en": "Sources"},
    "stage": {"ru": "Этап", "en": "Stage"},
    "stageNotation": {"ru": "Этап", "en": "Stage"},
    "state": {"ru": "Состояние", "en": "State"},
    "statement": {"ru": "Формулировка", "en": "Statement"},
    "status": {"ru": "Статус", "en": "Status"},
    "statuses": {"ru": "Статусы", "en": "Statuses"},
    "value": {"ru": "Значение", "en": "Value"},
    "writtenAs": {"ru": "Как записано", "en": "Written as"},
}

_IDENTIFIER = {"ru": "{word}: идентификатор", "en": "{word}: identifier"}


def column_word(name: str, lang: Lang) -> str:
    """The header of the column of the variable ``name``; a label variable (``statusLabel``) takes its variable's."""
    code = Lang(lang).value
    base = name[: -len("Label")] if name.endswith("Label") and name[: -len("Label")] in COLUMNS else name
    return COLUMNS[base][code] if base in COLUMNS else name


def identifier_word(name: str, lang: Lang) -> str:
    """The header of the column with the identifiers of the variable ``name``, shown next to its labels."""
    return _IDENTIFIER[Lang(lang).value].format(word=column_word(name, lang))
