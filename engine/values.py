"""Read the literal values methodologists write: numbers with units, ranges, yes/no, dates.

Pure functions, no catalogue: ``profiles`` decides which reading an attribute needs.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from rdflib import Literal
from rdflib.namespace import XSD

from segmentum.engine.labels import normalize

_TRUE = {"да", "true", "yes", "истина", "+", "1", "есть"}
_FALSE = {"нет", "false", "no", "ложь", "-", "0", "отсутствует"}
_NUM = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^(?:от\s*)?{_NUM}\s*(?:-|до)\s*{_NUM}(?:\s*\D*)?$")
_NUMBER = re.compile(rf"^{_NUM}(?:\s*[^\d\s].*)?$")


def parse_number_or_range(text: str) -> Decimal | tuple[Decimal, Decimal] | None:
    """«20», «20 лет», «20,5» → a number; «22-25», «22–25 лет», «от 22 до 25» → a range; else None."""
    t = normalize(text)
    m = _RANGE.match(t)
    if m:
        return (Decimal(m.group(1).replace(",", ".")), Decimal(m.group(2).replace(",", ".")))
    m = _NUMBER.match(t)
    if m:
        return Decimal(m.group(1).replace(",", "."))
    return None


def number_literal(value: Decimal, datatype: str | None = None) -> Literal:
    """An ``xsd:integer`` literal for whole numbers (unless the attribute is decimal), else ``xsd:decimal``."""
    whole = value == value.to_integral_value()
    if whole and datatype in (None, str(XSD.integer)):
        return Literal(int(value))
    return Literal(value, datatype=XSD.decimal)


def parse_boolean(raw: Any) -> bool | None:
    """да/нет, yes/no, true/false (YAML booleans too); None if it is neither."""
    if isinstance(raw, bool):
        return raw
    key = normalize(str(raw))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def parse_date(raw: Any) -> dt.date | None:
    """2024-05-31 or 31.05.2024 (YAML dates too); None if it is not a date."""
    if isinstance(raw, dt.date):
        return raw
    s = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None
