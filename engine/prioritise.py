"""Rank candidate segments by the stage II criteria of the methodology, with the reason for each rank.

Criteria (``sgm:PrioritisationCriterion`` in the ontology): main — capacity and satisfaction;
additional — uniqueness of problems, blind zone, customer position. Each value a methodologist
writes is turned into a score from 0 to 1, where 1 means «study this segment first»:

- capacity: a number, or an estimate from the shipped open statistics (``engine.capacity``);
  scored on a logarithmic scale against the largest segment: log10(c + 1) / log10(max + 1);
- satisfaction: a survey score on a 1–5 scale, a percentage («64 %») or a rating level; low
  satisfaction scores high: (5 − x) / 4, (100 − p) / 100, 1 − level;
- uniqueness of problems, blind zone: a rating level (высокая 1, средняя 0.5, низкая 0 —
  ``sgm:ratingScore``) or a percentage;
- customer position: a rating level («да», «высокая», …) or free text, which counts as «the
  segment is in the customer's focus» (score 1) and is quoted as the reason.

The total is the weighted mean of the scores (default weights are ``sgm:defaultWeight``: 2 for
the main criteria, 1 for the additional); a criterion without a value scores 0 and the reason
says so. Ties are broken by capacity, then by title. The format of SEGMENTS files is documented
in ``docs/prioritise.md``.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from segmentum.engine.capacity import REGION_ATTRIBUTES, CapacityEstimate, estimate_capacity
from segmentum.engine.catalogue import Catalogue, LookupFailure
from segmentum.engine.errors import BadInputError, Location, ProfileError
from segmentum.engine.labels import normalize
from segmentum.engine.messages import Lang, quoted_list, text
from segmentum.engine.namespaces import ONTOLOGY_GRAPH, PREFIXES, SGM
from segmentum.engine.profile_keys import SEGMENTS_FILE_KEYS
from segmentum.engine.profiles import (
    LoadedProfile,
    add_priority,
    load_profile,
    read_profile_mapping,
)
from segmentum.engine.values import parse_number_or_range
from segmentum.engine.yamlfile import Marked, MarkedDict, MarkedList, read_yaml

#: the criteria in the order the methodology lists them
CRITERIA: list[str] = [str(SGM.Capacity), str(SGM.Satisfaction), str(SGM.UniquenessOfProblems), str(SGM.BlindZone), str(SGM.CustomerPosition)]

_Q_CRITERIA = f"""PREFIX sgm: <{PREFIXES['sgm']}>
SELECT ?criterion ?group ?weight WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?criterion a sgm:PrioritisationCriterion ; sgm:criterionGroup ?group ; sgm:defaultWeight ?weight }}
}}"""
_Q_LEVELS = f"""PREFIX sgm: <{PREFIXES['sgm']}>
SELECT ?level ?score WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?level a sgm:RatingLevel ; sgm:ratingScore ?score }} }}"""

_ESTIMATE_WORDS = {"оценка", "оценить", "по статистике", "estimate", "estimated"}
_HEAD = re.compile(r"\s+[—–-]\s+|[,;:(]")
_NUMBER = re.compile(r"^\s*([0-9][0-9\s\u00a0\u202f]*(?:[.,][0-9]+)?)\s*(%|процент\w*)?\s*$")
#: «около 300», «~300», «≈ 15 тыс.»: a capacity is an estimate anyway, the word changes nothing
_ABOUT = re.compile(r"^(?:около|примерно|приблизительно|порядка|≈|~|about|approximately|approx\.?|circa)\s*", re.IGNORECASE)
_TOP_KEYS = SEGMENTS_FILE_KEYS
_REF_KEYS = {"profile": ["profile", "профиль", "файл профиля"], "priority": ["priority", "criteria", "приоритет", "критерии", "критерии приоритизации"]}


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
    estimate: CapacityEstimate | None = None
    note: str | None = None  # free text of a customer position, the comment after a level
    location: Location | None = None


@dataclass
class Segment:
    """A candidate segment: a profile (from a file or written inline) and its assessments."""

    profile: LoadedProfile
    assessments: dict[str, Assessment] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.profile.id

    @property
    def title(self) -> str:
        return self.profile.title or self.profile.id


@dataclass
class RankedSegment:
    """A segment with its rank, total score, each criterion's weighted contribution and the reason."""

    rank: int
    segment: Segment
    total: float  # 0–100
    contributions: dict[str, float]
    reason: str


@dataclass
class Prioritisation:
    """The ranked segments and the weights used."""

    rows: list[RankedSegment]
    weights: dict[str, float]
    criteria: list[str]


# ---------------------------------------------------------------- criteria and scales

def criteria(cat: Catalogue) -> dict[str, Criterion]:
    """The criteria with their group and default weight, in the methodology's order."""
    found = {str(r["criterion"]): Criterion(str(r["criterion"]), str(r["group"]), float(str(r["weight"]))) for r in cat.store.select(_Q_CRITERIA)}
    return {c: found[c] for c in CRITERIA if c in found}


def _levels(cat: Catalogue) -> dict[str, float]:
    return {str(r["level"]): float(str(r["score"])) for r in cat.store.select(_Q_LEVELS)}


def _fmt(x: float, lang: str | Lang, digits: int = 1) -> str:
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"
    return s.replace(".", ",") if _ru(lang) else s


def _ru(lang: str | Lang) -> bool:
    return (lang.value if isinstance(lang, Lang) else str(lang)) == "ru"


def format_count(n: float, lang: str | Lang) -> str:
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


def _number(raw: Any) -> tuple[float, bool] | None:
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


class _Assessor:
    """Turns written criterion values into ``Assessment`` s; one per run."""

    def __init__(self, cat: Catalogue, lang: str | Lang) -> None:
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

    def assess(self, criterion: str, raw: Any, source: str | None, location: Location | None, prof: LoadedProfile | None) -> Assessment:
        """The value of one criterion; without ``prof`` a capacity to be estimated is only checked."""
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
                if prof is None:  # only checked, not estimated
                    a.shown = text("prio.to_estimate", self.lang)
                    return a
                return self.estimate(prof, a) or self.no_estimate(a)
            raise self.fail(text("prio.bad_capacity", self.lang, text=written), location, text("prio.capacity_hint", self.lang))
        num = _number(raw)
        if criterion == str(SGM.Satisfaction):
            if num is not None:
                value, pct = num
                if pct or 5 < value <= 100:
                    a.score = (100 - value) / 100
                    a.shown = f"{_fmt(value, self.lang)} %"
                elif 1 <= value <= 5:
                    a.score = (5 - value) / 4
                    a.shown = text("prio.of_five", self.lang, value=_fmt(value, self.lang, 2))
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
            a.shown = f"{_fmt(num[0], self.lang)} %"
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

    def no_estimate(self, a: Assessment) -> Assessment:
        """Capacity asked to be estimated, but the tables cannot: no number, and a note why."""
        a.shown = text("prio.no_estimate", self.lang)
        a.note = text("prio.no_estimate_note", self.lang)
        return a

    def estimate(self, prof: LoadedProfile, a: Assessment) -> Assessment | None:
        est = estimate_capacity(self.cat, prof.status, prof.attributes)
        if est is None:
            return None
        a.number = float(est.value)
        a.estimate = est
        a.shown = "≈ " + format_count(est.value, self.lang)
        return a


def check_value(cat: Catalogue, criterion: str, raw: Any, location: Location | None, lang: str | Lang) -> None:
    """Raise the error ``prioritise`` would raise for this value, so that loading a profile finds it."""
    _Assessor(cat, lang).assess(criterion, raw, None, location, None)


def shown_value(cat: Catalogue, criterion: str, raw: Any, lang: str | Lang) -> str:
    """A criterion's value as the reader's language shows it («высокая» → «high»), else as written."""
    try:
        a = _Assessor(cat, lang).assess(criterion, raw, None, None, None)
    except BadInputError:
        return str(raw)
    if criterion == str(SGM.Capacity) and isinstance(raw, str) and normalize(raw) not in _ESTIMATE_WORDS:
        return raw.strip()  # «около 300 человек» stays as the methodologist wrote it
    if a.shown == text("prio.in_focus", lang):
        return a.note or str(raw)  # a customer position in free text
    return f"{a.shown} — {a.note}" if a.note else a.shown


# ---------------------------------------------------------------- segments

def segment_of(prof: LoadedProfile, cat: Catalogue, lang: str | Lang) -> Segment:
    """A segment from a loaded profile and its ``priority`` values (capacity «оценка» is estimated)."""
    assessor = _Assessor(cat, lang)
    seg = Segment(prof)
    for criterion, lit, source in prof.priority:
        raw = lit.toPython() if isinstance(lit, Literal) and lit.language is None else str(lit)
        node = URIRef(f"{prof.iri}/priority/{cat.local_id(criterion)}")
        location = prof.locations.get((node, SGM.assessedValue)) or prof.locations.get((node, None))
        seg.assessments[criterion] = assessor.assess(criterion, raw, source, location, prof)
    return seg


@dataclass
class SegmentsFile:
    """A SEGMENTS file: the segments and the weights it sets (criterion IRI → (weight, where))."""

    segments: list[Segment]
    weights: dict[str, tuple[float, Location | None]]


def _keyed(mapping: MarkedDict, table: dict[str, list[str]], lang: str | Lang) -> dict[str, tuple[Marked, Any]]:
    out = {}
    for key, value in mapping.items():
        k = normalize(str(key.value).replace("_", " "))
        canon = next((c for c, names in table.items() if k in (normalize(n) for n in names)), None)
        if canon is None:
            names = [n for ns in table.values() for n in ns]
            close = difflib.get_close_matches(k, names, n=1, cutoff=0.5)
            hint = text("did_you_mean", lang, options=quoted_list(close, lang)) if close else text("prio.keys_hint", lang, keys=", ".join(table))
            raise ProfileError(text("prio.unknown_key", lang, key=key.value), location=key.location, hint=hint)
        if canon in out:
            raise ProfileError(text("duplicate_key", lang, key=key.value, line=out[canon][0].location.line),
                               location=key.location, hint=text("duplicate_key_hint", lang))
        out[canon] = (key, value)
    return out


def parse_weight(cat: Catalogue, name: str, value: Any, location: Location | None, lang: str | Lang) -> tuple[str, float]:
    """(criterion IRI, weight) from a written criterion name and a non-negative number."""
    try:
        criterion = cat.resolve("criterion", str(name).replace("_", " ").strip(), lang)
    except LookupFailure as exc:
        raise exc.as_error(text("kind.criterion", lang), lang, location=location, error=ProfileError) from None
    num = _number(value)
    if num is None or num[1] or num[0] < 0:
        raise ProfileError(text("prio.bad_weight", lang, text=value, criterion=cat.label(criterion, lang)), location=location, hint=text("prio.weight_hint", lang))
    return criterion, num[0]


def parse_weights_option(cat: Catalogue, spec: str, lang: str | Lang) -> dict[str, float]:
    """``--weights "ёмкость=3, слепая зона=0"`` → {criterion IRI: weight}."""
    out = {}
    where = Location("--weights")
    for part in (p for p in re.split(r"[;,]\s*(?=[^\d\s])", spec) if p.strip()):
        if "=" not in part:
            raise BadInputError(text("prio.bad_weight_option", lang, text=part.strip()), location=where, hint=text("prio.weight_option_hint", lang))
        name, value = part.split("=", 1)
        criterion, weight = parse_weight(cat, name, value.strip(), where, lang)
        out[criterion] = weight
    return out


def read_segments_file(path: Path, cat: Catalogue, lang: str | Lang = Lang.RU) -> SegmentsFile:
    """Read a SEGMENTS file (``docs/prioritise.md``): segments by profile reference or inline, and weights."""
    shown = str(path)
    doc = read_yaml(path, lang, shown)
    if not isinstance(doc, MarkedDict):
        raise ProfileError(text("prio.not_mapping", lang), location=getattr(doc, "location", None) or Location(shown))
    top = _keyed(doc, _TOP_KEYS, lang)
    weights: dict[str, tuple[float, Location | None]] = {}
    if "weights" in top:
        key, value = top["weights"]
        if not isinstance(value, MarkedDict):
            raise ProfileError(text("expected_mapping", lang, key=key.value), location=key.location)
        for wkey, wvalue in value.items():
            criterion, weight = parse_weight(cat, wkey.value, getattr(wvalue, "value", wvalue), wkey.location, lang)
            weights[criterion] = (weight, wkey.location)
    if "segments" not in top:
        raise ProfileError(text("missing_key", lang, key="segments"), location=doc.location, hint=text("add_key", lang, key="segments"))
    key, entries = top["segments"]
    if not isinstance(entries, MarkedList) or not entries:
        raise ProfileError(text("expected_list", lang, key=key.value), location=key.location)
    segments: list[Segment] = []
    seen: dict[str, Location | None] = {}
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, MarkedDict):
            raise ProfileError(text("prio.bad_segment", lang), location=getattr(entry, "location", key.location))
        ref = next((k for k in entry if normalize(str(k.value).replace("_", " ")) in (normalize(x) for x in _REF_KEYS["profile"])), None)
        if ref is not None:
            fields = _keyed(entry, _REF_KEYS, lang)
            target = fields["profile"][1]
            if not isinstance(target, Marked) or not str(target).strip():
                raise ProfileError(text("expected_text", lang, key=ref.value), location=ref.location)
            file = (path.parent / str(target.value)).resolve() if not Path(str(target.value)).is_absolute() else Path(str(target.value))
            if not file.is_file():
                raise ProfileError(text("not_found", lang, path=target.value), location=target.location, hint=text("prio.path_hint", lang))
            prof = load_profile(file, cat, lang=lang, display=str(path.parent / str(target.value)))
            if "priority" in fields:
                add_priority(prof, fields["priority"][0], fields["priority"][1], cat, lang=lang)
        else:
            prof = read_profile_mapping(entry, cat, shown, f"{path.stem}-{n}", lang=lang)
        if prof.id in seen:
            raise ProfileError(text("prio.duplicate", lang, id=prof.id), location=entry.location, hint=text("duplicate_hint", lang))
        seen[prof.id] = entry.location
        segments.append(segment_of(prof, cat, lang))
    return SegmentsFile(segments, weights)


# ---------------------------------------------------------------- ranking

def prioritise(segments: list[Segment], cat: Catalogue, lang: str | Lang = Lang.RU, *, weights: dict[str, float] | None = None) -> Prioritisation:
    """Rank the segments: weighted mean of criterion scores (0–100), ties by capacity, then by title."""
    crit = criteria(cat)
    w = {c: info.default_weight for c, info in crit.items()}
    w.update(weights or {})
    capacity = str(SGM.Capacity)
    largest = max((s.assessments[capacity].number or 0 for s in segments if capacity in s.assessments), default=0)
    for s in segments:
        a = s.assessments.get(capacity)
        if a is not None and a.number is not None:
            a.score = math.log10(a.number + 1) / math.log10(largest + 1) if largest > 0 else 0.0
    weight_sum = sum(w.values()) or 1.0
    scored = []
    for s in segments:
        contributions = {c: w[c] * (s.assessments[c].score or 0.0) if c in s.assessments else 0.0 for c in crit}
        total = 100 * sum(contributions.values()) / weight_sum
        cap = s.assessments[capacity].number if capacity in s.assessments and s.assessments[capacity].number is not None else -1
        scored.append((s, round(total, 6), contributions, cap))
    scored.sort(key=lambda t: (-t[1], -t[3], t[0].title.casefold()))
    rows = []
    for n, (s, total, contributions, _) in enumerate(scored, 1):
        rows.append(RankedSegment(n, s, total, contributions, _reason(s, n, scored, contributions, w, cat, lang)))
    return Prioritisation(rows, w, list(crit))


def _reason(seg: Segment, rank: int, scored: list, contributions: dict[str, float], w: dict[str, float], cat: Catalogue, lang: str | Lang) -> str:
    parts = []
    strong = sorted((c for c, v in contributions.items() if v > 0), key=lambda c: -contributions[c])[:2]
    if strong:
        named = [f"{cat.label(c, lang)} — {seg.assessments[c].shown}" for c in strong]  # «уровень удовлетворённости — средняя»
        parts.append(text("prio.reason_top", lang, items="; ".join(named)))
    weak = [c for c, v in contributions.items() if v == 0 and c in seg.assessments and w[c] > 0]
    if weak:
        parts.append(text("prio.reason_zero", lang, items=", ".join(f"{cat.label(c, lang)} — {seg.assessments[c].shown}" for c in weak)))
    missing = [c for c in contributions if c not in seg.assessments and w[c] > 0]
    if missing:
        parts.append(text("prio.reason_missing", lang, items=", ".join(cat.label(c, lang) for c in missing)))
    if rank > 1 and scored[rank - 2][1] == scored[rank - 1][1]:
        # ties go by capacity, and by title when the capacities are equal too (or both unknown)
        same_capacity = scored[rank - 2][3] == scored[rank - 1][3]
        parts.append(text("prio.reason_tie_title" if same_capacity else "prio.reason_tie", lang))
    return "; ".join(parts) if parts else text("prio.reason_none", lang)


# ---------------------------------------------------------------- plain data for output

def estimate_note(seg: Segment, est: CapacityEstimate, cat: Catalogue, lang: str | Lang) -> str:
    """What an estimated capacity rests on, in one sentence."""
    none = text("p.none", lang)
    used = [cat.label(a, lang) for a in est.used]
    if est.region is None:
        used.append(text("prio.estimate_region_all", lang))
    elif est.town:  # «Сочи» was written: the tables count the whole of Krasnodar Krai
        named = cat.named_by_town(est.region, est.town, lang)
        whole = text("prio.estimate_whole_region", lang, region=cat.label(est.region, lang), town=named[0] if named else est.town)
        used = [f"{label} — {whole}" if a in REGION_ATTRIBUTES else label for a, label in zip(est.used, used, strict=True)]
    return text("prio.estimate_note", lang, segment=seg.title, value=format_count(est.value, lang), table=est.table,
                publisher=est.source.publisher, title=est.source.title, date=est.source.reference_date,
                used=", ".join(used) or none, unused=", ".join(cat.label(a, lang) for a in est.unused) or none)


def prioritisation_data(prio: Prioritisation, cat: Catalogue, lang: str | Lang) -> dict:
    """Everything the table, CSV, JSON and the report show: criteria, weights, ranked rows, notes."""
    crit = [{"id": cat.local_id(c), "label": cat.label(c, lang), "weight": prio.weights[c]} for c in prio.criteria]
    rows = []
    notes = []
    remarks = []  # what a table cell has no room for: the text after a level, why capacity has no estimate
    for r in prio.rows:
        values = {}
        for c in prio.criteria:
            a = r.segment.assessments.get(c)
            if a is None:
                values[cat.local_id(c)] = None
                continue
            values[cat.local_id(c)] = {
                "value": a.shown,
                "number": a.number,
                "score": None if a.score is None else round(a.score, 4),
                "contribution": round(r.contributions[c], 4),
                "source": a.estimate.table if a.estimate else a.source,
                "note": a.note,
                "estimate": a.estimate is not None,
            }
            if a.estimate is not None:
                notes.append(estimate_note(r.segment, a.estimate, cat, lang))
            elif a.note:
                remarks.append(f"«{r.segment.title}», {cat.label(c, lang)}: {a.note}")
        rows.append({"rank": r.rank, "id": r.segment.id, "title": r.segment.title, "file": r.segment.profile.path,
                     "status": cat.label(r.segment.profile.status, lang) if r.segment.profile.status else None,
                     "score": round(r.total, 1), "criteria": values, "reason": r.reason})
    weights = ", ".join(f"{c['label']} {_fmt(c['weight'], lang, 2)}" for c in crit)
    return {"criteria": crit, "rows": rows, "weights_note": text("prio.weights", lang, weights=weights), "notes": notes, "remarks": remarks}


def table_rows(data: dict, lang: str | Lang) -> tuple[list[str], list[list[str]]]:
    """Headers and cells of the priority table (rank, segment, score, each criterion, reason)."""
    headers = [text("prio.col.rank", lang), text("prio.col.segment", lang), text("prio.col.score", lang)]
    headers += [c["label"] for c in data["criteria"]] + [text("prio.col.reason", lang)]
    rows = []
    for r in data["rows"]:
        cells = [str(r["rank"]), r["title"], _fmt(r["score"], lang)]
        for c in data["criteria"]:
            v = r["criteria"].get(c["id"])
            cells.append(text("p.none", lang) if v is None else v["value"])
        rows.append(cells + [r["reason"]])
    return headers, rows
