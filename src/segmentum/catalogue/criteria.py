"""The stage II prioritisation criteria of the ontology and the values a methodologist writes for them.

Reading a value («высокая — часть граждан не знает…», «64 %», «15 тыс.») into a score is a
matter of the ontology's rating levels and scales, so it lives beside the catalogue: the profile
reader checks a profile's ``priority`` values with ``check_value`` while loading it, and
``segmentum.prioritise`` ranks segments with the same ``Assessor``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from segmentum.catalogue.labels import normalize
from segmentum.catalogue.values import parse_number_or_range
from segmentum.catalogue.view import Catalogue, LookupFailure
from segmentum.errors import BadInputError, Location, ProfileError
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import SGM
from segmentum.resources import sparql

#: the criteria in the order the methodology lists them
CRITERIA: list[str] = [str(SGM.Capacity), str(SGM.Satisfaction), str(SGM.UniquenessOfProblems), str(SGM.BlindZone), str(SGM.CustomerPosition)]

_ESTIMATE_WORDS = {"оценка", "оценить", "по статистике", "estimate", "estimated"}
_HEAD = re.compile(r"\s+[—–-]\s+|[,;:(]")
_NUMBER = re.compile(r"^\s*([0-9][0-9\s\u00a0\u202f]*(?:[.,][0-9]+)?)\s*(%|процент\w*)?\s*$")
#: «около 300», «~300», «≈ 15 тыс.»: a capacity is an estimate anyway, the word changes nothing
_ABOUT = re.compile(r"^(?:около|примерно|приблизительно|порядка|≈|~|about|approximately|approx\.?|circa)\s*", re.IGNORECASE)


@dataclass
class Criterion:
    """A prioritisation criterion of the ontology."""

    iri: str
    group: str  # main | additional
    default_weight: float


@dataclass
class Assessment:
    """One criterion's value for one segment, as written and as scored."""

    criterion: str
    shown: str  # the value as the report shows it
    score: float | None = None  # 0–1; capacity gets its score when all segments are known
    number: float | None = None  # capacity
    source: str | None = None
    estimate: Any = None  # a prioritise.capacity.CapacityEstimate, when the capacity was estimated
    note: str | None = None  # free text of a customer position, the comment after a level
    location: Location | None = None


# ---------------------------------------------------------------- criteria and scales

def criteria(cat: Catalogue) -> dict[str, Criterion]:
    """The criteria with their group and default weight, in the methodology's order."""
    rows = cat.store.select(sparql("catalogue/criteria.rq"))
    found = {str(r["criterion"]): Criterion(str(r["criterion"]), str(r["group"]), float(str(r["weight"]))) for r in rows}
    return {c: found[c] for c in CRITERIA if c in found}


def _levels(cat: Catalogue) -> dict[str, float]:
    return {str(r["level"]): float(str(r["score"])) for r in cat.store.select(sparql("catalogue/criteria-levels.rq"))}


def format_number(x: float, lang: Lang, digits: int = 1) -> str:
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"
    return s.replace(".", ",") if _ru(lang) else s


def _ru(lang: Lang) -> bool:
    return Lang(lang) is Lang.RU


def format_count(n: float, lang: Lang) -> str:
    """15000 → «15 000» in Russian, «15,000» in English."""
    s = f"{round(n):,}"
    return s.replace(",", "\u00a0") if _ru(lang) else s


def _capacity(raw: Any) -> float | None:
    """A capacity as written: «15000», «15 000», «15 тыс.», «1,5 млн», «около 300 человек», «~300»."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    written = _ABOUT.sub("", str(raw).strip())
    if "%" in written or re.search(r"процент", written, re.IGNORECASE):
        return None
    number = parse_number_or_range(written)
    return float(number) if isinstance(number, Decimal) else None


def read_number(raw: Any) -> tuple[float, bool] | None:
    """(value, written as a percentage) for a number or a text such as «15 000» or «64 %»."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw), False
    m = _NUMBER.match(str(raw))
    if not m:
        return None
    digits = re.sub(r"[\s\u00a0\u202f]", "", m.group(1)).replace(",", ".")
    try:
        return float(Decimal(digits)), bool(m.group(2))
    except InvalidOperation:
        return None


class Assessor:
    """Turns written criterion values into ``Assessment`` s; one per run."""

    def __init__(self, cat: Catalogue, lang: Lang) -> None:
        self.cat = cat
        self.lang = lang
        self.levels = _levels(cat)

    def fail(self, message: str, location: Location | None, hint: str | None = None) -> ProfileError:
        return ProfileError(message, location=location, hint=hint)

    def level(self, written: str) -> tuple[str, str | None] | None:
        """(level IRI, the comment after it) for «высокая — часть граждан не знает…», or None."""
        head = _HEAD.split(written, maxsplit=1)
        for candidate in (head[0].strip(), written.strip()):
            try:
                iri = self.cat.resolve("rating", candidate, self.lang)
            except LookupFailure:
                continue
            rest = written.strip()[len(head[0]):].strip(" —–-,;:()") if candidate != written.strip() else ""
            return iri, rest or None
        return None

    def level_error(self, written: str, criterion: str, location: Location | None) -> ProfileError:
        hint = None
        try:
            self.cat.resolve("rating", _HEAD.split(written, maxsplit=1)[0].strip(), self.lang)
        except LookupFailure as exc:
            hint = text("did_you_mean", self.lang, options=quoted_list([c.label for c in exc.suggestions], self.lang)) if exc.suggestions else None
        levels = quoted_list([self.cat.label(lv, self.lang) for lv in sorted(self.levels, key=lambda lv: -self.levels[lv])], self.lang)
        hint = hint or text("prio.level_hint", self.lang, levels=levels)
        return self.fail(text("prio.bad_level", self.lang, text=written, criterion=self.cat.label(criterion, self.lang)), location, hint)

    def assess(self, criterion: str, raw: Any, source: str | None, location: Location | None,
               estimate: Callable[[Assessment], Assessment] | None = None) -> Assessment:
        """The value of one criterion; without ``estimate`` a capacity to be estimated is only checked."""
        written = str(raw).strip()
        a = Assessment(criterion, written, source=source, location=location)
        label = self.cat.label(criterion, self.lang)
        if criterion == str(SGM.Capacity):
            number = _capacity(raw)
            if number is not None:
                a.number = number
                a.shown = format_count(number, self.lang)
                return a
            if normalize(written) in _ESTIMATE_WORDS:
                if estimate is None:  # only checked, not estimated
                    a.shown = text("prio.to_estimate", self.lang)
                    return a
                return estimate(a)
            raise self.fail(text("prio.bad_capacity", self.lang, text=written), location, text("prio.capacity_hint", self.lang))
        num = read_number(raw)
        if criterion == str(SGM.Satisfaction):
            if num is not None:
                value, pct = num
                if pct or 5 < value <= 100:
                    a.score = (100 - value) / 100
                    a.shown = f"{format_number(value, self.lang)} %"
                elif 1 <= value <= 5:
                    a.score = (5 - value) / 4
                    a.shown = text("prio.of_five", self.lang, value=format_number(value, self.lang, 2))
                else:
                    raise self.fail(text("prio.bad_satisfaction", self.lang, text=written), location, text("prio.satisfaction_hint", self.lang))
                return a
            found = self.level(written)
            if found is None:
                raise self.fail(text("prio.bad_satisfaction", self.lang, text=written), location, text("prio.satisfaction_hint", self.lang))
            a.score = 1 - self.levels[found[0]]
            a.shown, a.note = self.cat.label(found[0], self.lang), found[1]
            return a
        if num is not None and num[1]:
            a.score = min(max(num[0] / 100, 0.0), 1.0)
            a.shown = f"{format_number(num[0], self.lang)} %"
            return a
        found = self.level(written)
        if found is not None:
            a.score = self.levels[found[0]]
            a.shown, a.note = self.cat.label(found[0], self.lang), found[1]
            return a
        if criterion == str(SGM.CustomerPosition) and written:
            a.score = 1.0  # free text: the customer names this segment, and why
            a.shown, a.note = text("prio.in_focus", self.lang), written
            return a
        raise self.level_error(written, criterion, location) if written else self.fail(text("prio.empty", self.lang, criterion=label), location)


def check_value(cat: Catalogue, criterion: str, raw: Any, location: Location | None, lang: Lang) -> None:
    """Raise the error ``prioritise`` would raise for this value, so that loading a profile finds it."""
    Assessor(cat, lang).assess(criterion, raw, None, location, None)


def shown_value(cat: Catalogue, criterion: str, raw: Any, lang: Lang) -> str:
    """A criterion's value as the reader's language shows it («высокая» → «high»), else as written."""
    try:
        a = Assessor(cat, lang).assess(criterion, raw, None, None, None)
    except BadInputError:
        return str(raw)
    if criterion == str(SGM.Capacity) and isinstance(raw, str) and normalize(raw) not in _ESTIMATE_WORDS:
        return raw.strip()  # «около 300 человек» stays as the methodologist wrote it
    if a.shown == text("prio.in_focus", lang):
        return a.note or str(raw)  # a customer position in free text
    return f"{a.shown} — {a.note}" if a.note else a.shown
