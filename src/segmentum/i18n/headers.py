"""The words of the expert attribute table (``segmentum catalogue export-table`` / ``import-table``) in
Russian and English: sheet names, column headers and the words of the «Вид» (kind) columns.

``segmentum.catalogue.table`` describes the sheets and their columns by key; the words are here.
A column's header is under the column's key, or under ``sheet.column`` when one sheet names it
differently («От» for the values' lower bound, «Минимум» for an attribute's). A table is read
with its headers in either language, so a table written in Russian imports in English too.
tests/test_wording.py checks that every sheet, column and kind has its words here in both
languages and that every entry here is used.
"""

from __future__ import annotations

from segmentum.i18n.messages import Lang

#: sheet key → its name
SHEETS: dict[str, dict[str, str]] = {
    "attributes": {"ru": "Признаки", "en": "Attributes"},
    "schemes": {"ru": "Шкалы", "en": "Value schemes"},
    "values": {"ru": "Значения", "en": "Values"},
    "statuses": {"ru": "Статусы", "en": "Statuses"},
    "sources": {"ru": "Источники", "en": "Sources"},
    "acts": {"ru": "НПА", "en": "Legal acts"},
}

#: column key (or ``sheet.column``) → its header
COLUMNS: dict[str, dict[str, str]] = {
    "label_ru": {"ru": "Название", "en": "Label (ru)"},
    "label_en": {"ru": "Название (англ.)", "en": "Label (en)"},
    "alt_ru": {"ru": "Другие названия", "en": "Other labels (ru)"},
    "alt_en": {"ru": "Другие названия (англ.)", "en": "Other labels (en)"},
    "id": {"ru": "Идентификатор", "en": "Identifier"},
    "file": {"ru": "Файл каталога", "en": "Catalogue file"},
    "definition_ru": {"ru": "Определение", "en": "Definition (ru)"},
    "definition_en": {"ru": "Определение (англ.)", "en": "Definition (en)"},
    "statuses": {"ru": "Статусы", "en": "Statuses"},
    "scheme": {"ru": "Шкала значений", "en": "Value scheme"},
    "band_schemes": {"ru": "Шкалы интервалов", "en": "Band schemes"},
    "datatype": {"ru": "Тип значения", "en": "Datatype"},
    "min": {"ru": "Минимум", "en": "Minimum"},
    "max": {"ru": "Максимум", "en": "Maximum"},
    "unit_ru": {"ru": "Единица", "en": "Unit (ru)"},
    "unit_en": {"ru": "Единица (англ.)", "en": "Unit (en)"},
    "multi_valued": {"ru": "Несколько значений", "en": "Multi-valued"},
    "derivable_from": {"ru": "Выводится из", "en": "Derivable from"},
    "service_kinds": {"ru": "Виды службы", "en": "Kinds of service"},
    "sources": {"ru": "Источники", "en": "Sources"},
    "editorial_note": {"ru": "Примечание редактора", "en": "Editorial note"},
    "values.scheme": {"ru": "Шкала", "en": "Scheme"},
    "type": {"ru": "Вид", "en": "Kind"},
    "code": {"ru": "Код", "en": "Code"},
    "values.min": {"ru": "От", "en": "From"},
    "values.max": {"ru": "До", "en": "To"},
    "broader": {"ru": "Входит в", "en": "Broader"},
    "deprecated": {"ru": "Устарело", "en": "Deprecated"},
    "replaced_by": {"ru": "Заменено на", "en": "Replaced by"},
    "note": {"ru": "Примечание", "en": "Note"},
    "main_attributes": {"ru": "Основные признаки", "en": "Main attributes"},
    "act": {"ru": "НПА", "en": "Legal act"},
    "article": {"ru": "Статья", "en": "Article"},
    "form": {"ru": "Форма", "en": "Form"},
    "field_ref": {"ru": "Поле", "en": "Field"},
    "field_ref_en": {"ru": "Поле (англ.)", "en": "Field (en)"},
    "field_label": {"ru": "Название поля", "en": "Field label"},
    "needs_review": {"ru": "Требует сверки", "en": "Needs review"},
    "source": {"ru": "Откуда сведения", "en": "Where the facts come from"},
    "number": {"ru": "Номер", "en": "Number"},
    "date": {"ru": "Дата", "en": "Date"},
    "act_kind": {"ru": "Вид акта", "en": "Kind of act"},
    "title": {"ru": "Заголовок", "en": "Title"},
    "in_force": {"ru": "Действует", "en": "In force"},
}

#: the words of a «Вид» column: the local name of the class (in the ontology) → the word for its items
KINDS: dict[str, dict[str, str]] = {
    "AttributeValue": {"ru": "значение", "en": "value"},
    "ValueBand": {"ru": "интервал", "en": "band"},
    "Region": {"ru": "регион", "en": "region"},
    "FederalDistrict": {"ru": "федеральный округ", "en": "federal district"},
    "LegalProvision": {"ru": "статья НПА", "en": "legal provision"},
    "FormField": {"ru": "поле формы", "en": "form field"},
    "ExpertTableEntry": {"ru": "таблица экспертов", "en": "expert table entry"},
    "MethodologyProvision": {"ru": "положение методики", "en": "methodology provision"},
}


def sheet_name(sheet: str, lang: Lang) -> str:
    """The name of the sheet ``sheet`` (its key) in ``lang``."""
    return SHEETS[sheet][lang.value]


def column_header(key: str, lang: Lang) -> str:
    """The header of the column whose words are under ``key`` (``column`` or ``sheet.column``) in ``lang``."""
    return COLUMNS[key][lang.value]


def kind_word(class_name: str, lang: Lang) -> str:
    """The word a «Вид» column writes for items of the class ``class_name`` (local name)."""
    return KINDS[class_name][lang.value]
