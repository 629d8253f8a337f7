"""Read the literal values methodologists write: numbers with units, ranges, yes/no, dates.

Pure functions, no catalogue: ``profiles`` decides which reading an attribute needs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import Literal
from rdflib.namespace import XSD

from segmentum.catalogue.labels import normalize

_TRUE = {"да", "true", "yes", "on", "истина", "+", "1", "есть", "имеется", "является"}
_FALSE = {"нет", "false", "no", "off", "ложь", "-", "0", "отсутствует", "не имеется", "не является"}
#: the words of a yes or no answer (YAML's «on»/«off» too), normalized
YES_NO_WORDS = frozenset(_TRUE | _FALSE) - {"+", "-", "1", "0"}
# a number: «20», «20,5», «15 000» (thousands separated by a space)
_NUM = r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
# what may follow a number: a unit or a multiplier, never a digit or a word that bounds it
# the words that bound a number («старше 60», «over 60»): Russian stems, English words
_BOUND_RU = r"старш|младш|моложе|бол[еь]|меньш|менее|свыше|выше|ниже"
_BOUND_EN = r"over|under|more|less|older|younger|above|below"
_SUFFIX = rf"(?:\s*(?!.*(?:{_BOUND_RU}|{_BOUND_EN}))[^\d\s+<>≤≥][^\d]*)?"
# a unit or multiplier may follow each bound: «от 18 лет до 25 лет», «от 500 тыс. до 1,5 млн руб.»
_RANGE = re.compile(
    rf"^(?:от|с|from)?\s*{_NUM}(\s*[^\W\d_](?:[^\W\d_]|[.\s])*?)?\s*(?:-|\.\.\.?|…|до|to)\s*{_NUM}{_SUFFIX}$"
)
_BOUNDING = re.compile(rf"{_BOUND_RU}|\b(?:и|или|and|or|{_BOUND_EN})\b")
_NUMBER = re.compile(rf"^{_NUM}{_SUFFIX}$")
_MULTIPLIERS = {"тыс": Decimal(1000), "thousand": Decimal(1000), "млн": Decimal(10**6), "million": Decimal(10**6),
                "млрд": Decimal(10**9), "billion": Decimal(10**9)}
# «старше 60», «не менее 5 лет», «60+», «60 и старше», «до 18 лет» … : (pattern, which bound, strict)
_OPEN_BOUNDS = [
    (re.compile(rf"^(?:не\s+менее|не\s+меньше|не\s+младше|не\s+моложе|at\s+least|>=|≥|от|с|from)\s*{_NUM}{_SUFFIX}$"), "low", False),
    (re.compile(rf"^(?:старше|более|больше|свыше|выше|после|over|above|more\s+than|older\s+than|after|>)\s*{_NUM}{_SUFFIX}$"), "low", True),
    (re.compile(rf"^{_NUM}\s*(?:\+|[^\d]*\s(?:и|или|and|or)\s+(?:старше|более|больше|выше|over|older|more|above))\s*\.?$"), "low", False),
    # «до» includes its number, as the laws write it («микропредприятия — до 15 человек»)
    (re.compile(rf"^(?:до|не\s+более|не\s+больше|не\s+старше|up\s+to|at\s+most|<=|≤)\s*{_NUM}{_SUFFIX}$"), "high", False),
    (re.compile(rf"^(?:младше|моложе|менее|меньше|under|below|less\s+than|younger\s+than|<)\s*{_NUM}{_SUFFIX}$"), "high", True),
    (re.compile(rf"^{_NUM}\s*[^\d]*\s(?:и|или|and|or)\s+(?:младше|моложе|менее|меньше|ниже|under|younger|less|below)\s*\.?$"), "high", False),
]


@dataclass(frozen=True)
class Bounds:
    """A range as written: either bound may be open (None); a strict bound excludes its number («старше 60»)."""

    low: Decimal | None
    high: Decimal | None
    low_strict: bool = False
    high_strict: bool = False

    def closed(self, *, integer: bool, minimum: Decimal | None, maximum: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
        """Inclusive bounds: a strict bound of a whole-number attribute moves by one («старше 60» → 61),
        an open bound becomes the attribute's own limit when it has one («60+» → 60–120 for age)."""
        low, high = self.low, self.high
        if low is not None and self.low_strict and integer:
            low += 1
        if high is not None and self.high_strict and integer:
            high -= 1
        return (minimum if low is None else low, maximum if high is None else high)


def _decimal(number: str, rest: str) -> Decimal:
    value = Decimal(re.sub(r"[\s\u00a0\u202f]", "", number).replace(",", "."))
    words = re.findall(r"[^\W\d_]+", rest)
    factor = _MULTIPLIERS.get(words[0]) if words else None
    return value * factor if factor else value


def parse_number_or_range(text: str) -> Decimal | Bounds | None:
    """What a methodologist writes for a number, else None.

    «20», «20 лет», «20,5», «15 000», «1,5 млн» → a number; «22-25», «22–25 лет», «от 22 до 25» →
    a range; «старше 60», «60+», «60 лет и старше», «до 15 человек», «младше 18» → a range open at
    one end («до» includes its number, «младше», «менее» do not). A word that bounds a number is never dropped: «60 и старше» is not 60.
    """
    t = _LEADING_NAME.sub("", normalize(text))  # «в возрасте 20-25 лет» is «20-25 лет»
    m = _RANGE.match(t)
    if m and not _BOUNDING.search(m.group(2) or ""):
        rest = t[m.end(3):]
        # the first bound's own unit, if written («от 500 тыс. до 1,5 млн»), else the one after both («от 120 до 800 млн»)
        return Bounds(_decimal(m.group(1), m.group(2) or rest), _decimal(m.group(3), rest))
    for pattern, side, strict in _OPEN_BOUNDS:
        m = pattern.match(t)
        if m:
            value = _decimal(m.group(1), t[m.end(1):])
            return Bounds(value, None, low_strict=strict) if side == "low" else Bounds(None, value, high_strict=strict)
    m = _NUMBER.match(t)
    if m:
        return _decimal(m.group(1), t[m.end(1):])
    return None


#: the attribute's name written before its number: «в возрасте 20-25 лет», «возраст 30», «стаж 5 лет», «со стажем 5 лет»
_LEADING_NAME = re.compile(r"^(?:в\s+возрасте|возрастом|возраст|со\s+стажем|стажем|стаж)\s+(?=\S)")

_UNIT = re.compile(r"\s+(?:лет|года?|годов|месяц(?:а|ев)?|мес|чел|человек|руб|рублей|years?|months?|persons?|people|employees)\.?$")


def without_unit(text: str) -> str:
    """The text without a trailing unit: «до 18 лет» → «до 18», «более 10 лет» stays a band label once bare."""
    return _UNIT.sub("", normalize(text))


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
