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
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from segmentum.catalogue.criteria import Assessment, Assessor, criteria, format_count, format_number, read_number
from segmentum.catalogue.labels import normalize
from segmentum.catalogue.view import Catalogue, LookupFailure
from segmentum.errors import BadInputError, Location, ProfileError
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import SGM
from segmentum.prioritise.capacity import REGION_ATTRIBUTES, CapacityEstimate, CapacityGap, estimate_capacity
from segmentum.profiles.keys import SEGMENTS_FILE_KEYS
from segmentum.profiles.model import LoadedProfile
from segmentum.profiles.reader import add_priority, load_profile, read_profile_mapping
from segmentum.profiles.yamlfile import Marked, MarkedDict, MarkedList, read_yaml

_TOP_KEYS = SEGMENTS_FILE_KEYS
_REF_KEYS = {"profile": ["profile", "профиль", "файл профиля"], "priority": ["priority", "criteria", "приоритет", "критерии", "критерии приоритизации"]}


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
    apart: bool = False  # capacity counts, but this segment's is unknown: ranked after those whose capacity is known


@dataclass
class Prioritisation:
    """The ranked segments and the weights used."""

    rows: list[RankedSegment]
    weights: dict[str, float]
    criteria: list[str]


# ---------------------------------------------------------------- segments

def segment_of(prof: LoadedProfile, cat: Catalogue, lang: Lang) -> Segment:
    """A segment from a loaded profile and its ``priority`` values (capacity «оценка» is estimated)."""
    assessor = Assessor(cat, lang)
    seg = Segment(prof)
    for criterion, lit, source in prof.priority:
        raw = lit.toPython() if isinstance(lit, Literal) and lit.language is None else str(lit)
        node = URIRef(f"{prof.iri}/priority/{cat.local_id(criterion)}")
        location = prof.locations.get((node, SGM.assessedValue)) or prof.locations.get((node, None))
        seg.assessments[criterion] = assessor.assess(criterion, raw, source, location, lambda a: _estimate(cat, prof, a, lang))
    return seg


def _estimate(cat: Catalogue, prof: LoadedProfile, a: Assessment, lang: Lang) -> Assessment:
    """A capacity written as «оценка»: the estimate from the open statistics, or «не оценить» and why."""
    est = estimate_capacity(cat, prof.status, prof.attributes)
    if isinstance(est, CapacityGap):
        a.shown = text("prio.no_estimate", lang)
        a.note = gap_note(est, cat, lang)
        return a
    a.number = float(est.value)
    a.estimate = est
    a.shown = "≈ " + format_count(est.value, lang)
    return a


@dataclass
class SegmentsFile:
    """A SEGMENTS file: the segments and the weights it sets (criterion IRI → (weight, where))."""

    segments: list[Segment]
    weights: dict[str, tuple[float, Location | None]]


def _canonical(key: Marked, table: dict[str, list[str]]) -> str | None:
    k = normalize(str(key.value).replace("_", " "))
    return next((c for c, names in table.items() if k in (normalize(n) for n in names)), None)


def _close(key: Marked, table: dict[str, list[str]]) -> list[str]:
    return difflib.get_close_matches(normalize(str(key.value).replace("_", " ")), [n for ns in table.values() for n in ns], n=1, cutoff=0.5)


def _keyed(mapping: MarkedDict, table: dict[str, list[str]], lang: Lang) -> dict[str, tuple[Marked, Any]]:
    out = {}
    for key, value in mapping.items():
        canon = _canonical(key, table)
        if canon is None:
            close = _close(key, table)
            hint = text("did_you_mean", lang, options=quoted_list(close, lang)) if close else text("prio.keys_hint", lang, keys=", ".join(table))
            raise ProfileError(text("prio.unknown_key", lang, key=key.value), location=key.location, hint=hint)
        if canon in out:
            raise ProfileError(text("duplicate_key", lang, key=key.value, line=out[canon][0].location.line),
                               location=key.location, hint=text("duplicate_key_hint", lang))
        out[canon] = (key, value)
    return out


def parse_weight(cat: Catalogue, name: str, value: Any, location: Location | None, lang: Lang) -> tuple[str, float]:
    """(criterion IRI, weight) from a written criterion name and a non-negative number."""
    try:
        criterion = cat.resolve("criterion", str(name).replace("_", " ").strip(), lang)
    except LookupFailure as exc:
        raise exc.as_error(text("kind.criterion", lang), lang, location=location, error=ProfileError) from None
    num = read_number(value)
    if num is None or num[1] or num[0] < 0:
        raise ProfileError(text("prio.bad_weight", lang, text=value, criterion=cat.label(criterion, lang)), location=location,
                           hint=text("prio.weight_hint", lang))
    return criterion, num[0]


def parse_weights_option(cat: Catalogue, spec: str, lang: Lang) -> dict[str, float]:
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


def read_segments_file(path: Path, cat: Catalogue, lang: Lang = Lang.RU) -> SegmentsFile:
    """Read a SEGMENTS file (``docs/prioritise.md``): segments by profile reference or inline, and weights."""
    shown = str(path)
    doc = read_yaml(path, lang, shown)
    if not isinstance(doc, MarkedDict):
        raise ProfileError(text("prio.not_mapping", lang), location=getattr(doc, "location", None) or Location(shown))
    if doc and not any(_canonical(k, _TOP_KEYS) or _close(k, _TOP_KEYS) for k in doc):  # /etc/passwd: say so, quote nothing
        raise ProfileError(text("prio.not_segments_file", lang), location=doc.location, hint=text("prio.not_segments_file_hint", lang))
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

def prioritise(segments: list[Segment], cat: Catalogue, lang: Lang = Lang.RU, *, weights: dict[str, float] | None = None) -> Prioritisation:
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
        # an unknown capacity is not a small one: when capacity counts, such segments are ranked apart, after the others
        apart = w.get(capacity, 0) > 0 and cap < 0
        scored.append((s, round(total, 6), contributions, cap, apart))
    scored.sort(key=lambda t: (t[4], -t[1], -t[3], t[0].title.casefold()))
    rows = []
    for n, (s, total, contributions, _, apart) in enumerate(scored, 1):
        rows.append(RankedSegment(n, s, total, contributions, _reason(s, n, scored, contributions, w, cat, lang), apart))
    return Prioritisation(rows, w, list(crit))


def _reason(seg: Segment, rank: int, scored: list, contributions: dict[str, float], w: dict[str, float], cat: Catalogue, lang: Lang) -> str:
    parts = []
    strong = sorted((c for c, v in contributions.items() if v > 0), key=lambda c: -contributions[c])[:2]
    if strong:
        named = [f"{cat.label(c, lang)} — {seg.assessments[c].shown}" for c in strong]  # «уровень удовлетворённости — средняя»
        parts.append(text("prio.reason_top", lang, items="; ".join(named)))
    # a capacity that could not be estimated gave nothing, but is said once, as the reason it is ranked apart
    weak = [c for c, v in contributions.items() if v == 0 and c in seg.assessments and w[c] > 0
            and not (c == str(SGM.Capacity) and seg.assessments[c].number is None)]
    if weak:
        parts.append(text("prio.reason_zero", lang, items=", ".join(f"{cat.label(c, lang)} — {seg.assessments[c].shown}" for c in weak)))
    missing = [c for c in contributions if c not in seg.assessments and w[c] > 0]
    if missing:
        parts.append(text("prio.reason_missing", lang, items=", ".join(cat.label(c, lang) for c in missing)))
    if scored[rank - 1][4]:
        parts.append(text("prio.apart", lang))
    if rank > 1 and scored[rank - 2][1] == scored[rank - 1][1] and scored[rank - 2][4] == scored[rank - 1][4]:
        # ties go by capacity, and by title when the capacities are equal too (or both unknown)
        same_capacity = scored[rank - 2][3] == scored[rank - 1][3]
        parts.append(text("prio.reason_tie_title" if same_capacity else "prio.reason_tie", lang))
    return "; ".join(parts) if parts else text("prio.reason_none", lang)


# ---------------------------------------------------------------- plain data for output

def gap_note(gap: CapacityGap, cat: Catalogue, lang: Lang) -> str:
    """Why open statistics cannot estimate a capacity, and what would let them."""
    return text(f"prio.gap.{gap.reason}", lang, status=cat.label(gap.status, lang) if gap.status else text("p.none", lang),
                attributes=quoted_list(sorted((cat.label(a, lang) for a in gap.attributes), key=str.casefold), lang, every=True),
                regions=quoted_list([cat.label(r, lang) for r in gap.regions], lang, every=True))


def estimate_note(seg: Segment, est: CapacityEstimate, cat: Catalogue, lang: Lang) -> str:
    """What an estimated capacity rests on, in one sentence."""
    none = text("p.none", lang)
    used = [cat.label(a, lang) for a in est.used]
    if not est.regions:
        used.append(text("prio.estimate_region_all", lang))
    elif est.town:  # «Сочи» was written: the tables count the whole of Krasnodar Krai
        named = cat.named_by_town(est.region, est.town, lang)
        whole = text("prio.estimate_whole_region", lang, region=cat.label(est.region, lang), town=named[0] if named else est.town)
        used = [f"{label} — {whole}" if a in REGION_ATTRIBUTES else label for a, label in zip(est.used, used, strict=True)]
    return text("prio.estimate_note", lang, segment=seg.title, value=format_count(est.value, lang), table=est.table,
                publisher=est.source.publisher, title=est.source.title, date=est.source.reference_date, used=", ".join(used) or none)


def prioritisation_data(prio: Prioritisation, cat: Catalogue, lang: Lang) -> dict:
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
            context = {*r.segment.profile.services, *r.segment.profile.life_situations}
            for said in cat.unsupported(a.note or "", context, lang):  # «высокая — стаж не менее 5 лет»: the value leans on a false claim
                remarks.append(text("prio.unsupported", lang, segment=r.segment.title, criterion=cat.label(c, lang), text=a.note, said=said))
        rows.append({"rank": r.rank, "id": r.segment.id, "title": r.segment.title, "file": r.segment.profile.path,
                     "status": cat.label(r.segment.profile.status, lang) if r.segment.profile.status else None,
                     "score": round(r.total, 1), "criteria": values, "reason": r.reason, "apart": r.apart})
    weights = ", ".join(f"{c['label']} {format_number(c['weight'], lang, 2)}" for c in crit)
    return {"criteria": crit, "rows": rows, "weights_note": text("prio.weights", lang, weights=weights), "notes": notes, "remarks": remarks}


def table_rows(data: dict, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """Headers and cells of the priority table (rank, segment, score, each criterion, reason)."""
    headers = [text("prio.col.rank", lang), text("prio.col.segment", lang), text("prio.col.score", lang)]
    headers += [c["label"] for c in data["criteria"]] + [text("prio.col.reason", lang)]
    rows = []
    for r in data["rows"]:
        cells = [str(r["rank"]), r["title"], format_number(r["score"], lang)]
        for c in data["criteria"]:
            v = r["criteria"].get(c["id"])
            cells.append(text("p.none", lang) if v is None else v["value"])
        rows.append(cells + [r["reason"]])
    return headers, rows
