"""The report model: the methodology's profile template, filled, for one profile or a segmentation.

In the methodology the filled template «Профиль клиентского сегмента» is the report. One profile
gives that template; several give a segmentation report: a title page, the list of segments, the
stage II priority table (``engine.prioritise``), then one template per profile. Beyond the
template each profile shows the legal source of every attribute, the stage, each hypothesis with
its state and evidence, and the result of validation with its findings.

``build_report`` returns plain data (dicts and lists) that every renderer reads the same way:
Markdown and HTML through the Jinja2 templates in ``templates/`` (``engine.report_render``) and
DOCX through python-docx (``engine.report_docx``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from segmentum.catalogue.criteria import format_number
from segmentum.catalogue.view import Catalogue
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import SGM
from segmentum.prioritise.segments import (
    Prioritisation,
    prioritisation_data,
    prioritise,
    read_segments_file,
    segment_of,
)
from segmentum.profiles.model import LoadedProfile
from segmentum.reports.terminal import profile_details
from segmentum.session import Session
from segmentum.validation.validate import (
    Engine,
    Severity,
    ValidationReport,
    validate_loaded_profiles,
)


class ReportFormat(str, Enum):
    """Formats of ``segmentum report``."""

    DOCX = "docx"
    HTML = "html"
    MARKDOWN = "md"


#: every heading and label the renderers print, by key; texts are in ``messages`` as ``rep.<key>``
LABELS = [
    "template", "segmentation", "life_situation", "service", "profile_title", "status", "stage", "file",
    "attributes", "attribute", "value", "source", "journey", "channels", "informing", "receiving", "pains",
    "hypotheses", "state", "evidence", "notes", "validation", "conforms", "fails", "not_conforming",
    "findings", "severity", "place", "message", "none", "not_filled", "segments", "priority", "priority_from_profiles",
    "priority_from_file", "contents", "service_region", "main_attribute", "generated_by", "statement",
    "no_findings", "rank", "segment", "score", "reason", "estimates", "remarks", "summary", "suggested_pains", "derived", "rule_source",
    "appendix", "appendix_intro",
]

#: the stages by their notation; the priority table ranks the segments of stage II and later
_STAGE_NUMBERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


@dataclass
class Report:
    """A report as plain data for the renderers."""

    title: str
    lang: str
    labels: dict[str, str]
    profiles: list[dict]
    priority: dict | None = None
    priority_note: str | None = None
    summary: list[str] = field(default_factory=list)
    #: the technical appendix (``--appendix``): profile files, validation findings by line and column,
    #: the commands and documents behind the report; None leaves it out of the deliverable
    appendix: dict | None = None

    @property
    def conforms(self) -> bool:
        return all(p["validation"]["conforms"] for p in self.profiles)

    def as_dict(self) -> dict:
        return {"title": self.title, "lang": self.lang, "t": self.labels, "profiles": self.profiles, "priority": self.priority,
                "priority_note": self.priority_note, "summary": self.summary, "conforms": self.conforms, "appendix": self.appendix,
                "several": len(self.profiles) > 1 or self.priority is not None}


def _items(items: list[dict], cat: Catalogue, lang: Lang) -> list[dict]:
    """Statements with the label of their evidence: a refuted one is not «confirmed» by it."""
    refuted = cat.label(str(SGM.Refuted), lang)
    return [{"text": i["shown"] if "shown" in i else i["text"], "state": i["state"], "evidence": i["evidence"],
             "evidence_label": text("rep.evidence_refuted" if i["state"] == refuted else "rep.evidence", lang)} for i in items]


def _validation(prof: LoadedProfile, report: ValidationReport, lang: Lang) -> dict:
    own = [f for f in report.findings if f.profile == prof.id]
    findings = [{
        "severity": text(f"sev.{f.severity.name.lower()}", lang),
        "level": f.severity.name.lower(),
        "place": f"{f.location.line}:{f.location.column}" if f.location and f.location.line else "",
        "message": f.message,
    } for f in own]
    conforms = not any(f.severity is Severity.VIOLATION for f in own)
    return {"conforms": conforms, "findings": findings,
            "violations": sum(1 for f in own if f.severity is Severity.VIOLATION),
            "warnings": sum(1 for f in own if f.severity is Severity.WARNING)}


def profile_section(cat: Catalogue, prof: LoadedProfile, validation: ValidationReport, lang: Lang,
                    inferred: dict | None = None) -> dict:
    """One filled template: the profile's details with main attributes marked and its validation.

    ``inferred`` adds what the rules say: pain hypotheses to check when the profile names no
    pains, and the values derived from the profile (shown under «Дополнительно»).
    """
    d = profile_details(cat, prof, lang, report=True)
    main = {cat.label(a, lang) for a in cat.main_attributes.get(prof.status or "", [])}
    attributes = [{"attribute": a["attribute"], "value": a["value"], "sources": a["sources"], "main": a["attribute"] in main}
                  for a in d["attributes"]]
    channels = {key: _items(entries, cat, lang) for key, entries in d["channels"].items()}
    stage = f"{d['stage_number']} — {d['stage']}" if d["stage"] else None
    return {
        "id": d["id"], "file": d["file"], "title": d["title"] or d["id"], "status": d["status"],
        "life_situations": d["life_situations"], "services": d["services"], "service_region": d["service_region"], "stage": stage,
        "attributes": attributes, "journey_features": _items(d["journey_features"], cat, lang), "channels": channels,
        "pains": _items(d["pains"], cat, lang), "hypotheses": _items(d["hypotheses"], cat, lang),
        "priority": d["priority"], "notes": d["notes"], "validation": _validation(prof, validation, lang),
        "suggested_pains": (inferred or {}).get("suggested_pains", []) if not d["pains"] else [],
        "derived": (inferred or {}).get("derived", []),
    }


def _priority_for_report(data: dict, lang: Lang) -> dict:
    """The priority table as the deliverable shows it: the segments with at least one assessment ranked,
    the others named after the table; the tie-break said once under the table rather than in each reason;
    the weights without the reference to the documentation."""
    ties = [text("prio.reason_tie_title", lang), text("prio.reason_tie", lang)]
    ranked, unranked, tied = [], [], False
    for row in data["rows"]:
        reason = row["reason"]
        assessed = any(v is not None for v in row["criteria"].values())
        for tie in ties:
            if tie in reason:
                tied = tied or (assessed and bool(ranked))  # a tie the table shows: with a ranked row above
                reason = reason.replace("; " + tie, "").replace(tie, "").strip("; ")
        if assessed:
            ranked.append({**row, "rank": len(ranked) + 1, "reason": reason})
        else:
            unranked.append(row["title"])
    weights = ", ".join(f"{c['label']} {format_number(c['weight'], lang, 2)}" for c in data["criteria"])
    return {**data, "rows": ranked, "unranked": text("rep.unranked", lang, titles=", ".join(f"«{t}»" for t in unranked)) if unranked else None,
            "tie_note": text("rep.tie_note", lang) if tied else None, "weights_note": text("rep.weights", lang, weights=weights)}


def stage_number(cat: Catalogue, stage: str | None) -> int | None:
    """The number of a stage IRI (1–4), or None."""
    return _STAGE_NUMBERS.get(cat.notation.get(stage, "")) if stage else None


def _appendix(cat: Catalogue, profiles: list[LoadedProfile], sections: list[dict], lang: Lang, priority_from: str | None,
              prioritised: bool) -> dict:
    """What the deliverable leaves out: where each profile comes from, its validation findings by line and
    column, and the commands and documents a methodologist checks the report with."""
    notes = []
    if priority_from:
        notes.append(text("rep.appendix_segments_file", lang, file=priority_from))
    if prioritised:
        notes.append(text("rep.appendix_prioritise", lang))
    if any(s["suggested_pains"] for s in sections):
        notes.append(text("rep.appendix_suggest", lang))
    skipped = [s["title"] for p, s in zip(profiles, sections) if (stage_number(cat, p.stage) or 0) < 2]
    if prioritised and skipped:
        notes.append(text("rep.appendix_skipped", lang, titles=", ".join(f"«{t}»" for t in skipped)))
    return {"notes": notes, "profiles": [{"title": s["title"], "file": s["file"], "validation": s["validation"]} for s in sections]}


def build_report(cat: Catalogue, profiles: list[LoadedProfile], validation: ValidationReport, lang: Lang, *,
                 prioritisation: Prioritisation | None = None, priority_from: str | None = None,
                 inferred: dict[str, dict] | None = None, appendix: bool = False) -> Report:
    """The report of one profile (the template) or of several (a segmentation report).

    ``prioritisation`` ranks the segments for the priority table; ``priority_from`` names the
    SEGMENTS file it was read from (None: the profiles' own ``priority`` fields). ``appendix`` adds
    the technical appendix (files, findings by line and column, commands).
    """
    labels = {k: text(f"rep.{k}", lang) for k in LABELS}
    sections = [profile_section(cat, p, validation, lang, (inferred or {}).get(p.id)) for p in profiles]
    several = len(profiles) > 1
    title = labels["segmentation"] if several else labels["template"]
    report = Report(title, lang.value, labels, sections)
    if prioritisation is not None and (several or priority_from):
        shown = _priority_for_report(prioritisation_data(prioritisation, cat, lang), lang)
        if shown["rows"] or shown["unranked"]:  # no segment at stage II yet: no priority section
            report.priority = shown
            report.priority_note = labels["priority_from_file"] if priority_from else labels["priority_from_profiles"]
    if several:
        statuses = sorted({s["status"] for s in sections if s["status"]})
        failing = sum(1 for s in sections if not s["validation"]["conforms"])
        report.summary = [text("rep.summary_line", lang, n=len(sections), statuses=", ".join(statuses) or labels["none"], failing=failing)]
    if appendix:
        report.appendix = _appendix(cat, profiles, sections, lang, priority_from, report.priority is not None)
    return report


def prepare_report(session: Session, paths: list[Path], *, segments: Path | None = None, appendix: bool = False) -> Report:
    """Load and validate the profiles under ``paths`` and build their report.

    The priority table ranks the segments of ``segments`` (a SEGMENTS file) when it is given,
    else the loaded profiles by their own ``priority`` fields; only segments at stage II or later
    (prioritisation is stage II's work) or of no stated stage in a SEGMENTS file.
    """
    cat, lang = session.catalogue, session.lang
    loaded = session.load_profiles(paths)
    validation = validate_loaded_profiles(session.store, Engine.SPARQL, lang, only=[p.id for p in loaded])
    if segments is not None:
        parsed = read_segments_file(segments, cat, lang)
        weights = {c: w for c, (w, _) in parsed.weights.items()}
        ranked = prioritise([g for g in parsed.segments if (stage_number(cat, g.profile.stage) or 2) >= 2], cat, lang, weights=weights)
    else:
        ranked = prioritise([segment_of(p, cat, lang) for p in loaded if (stage_number(cat, p.stage) or 0) >= 2], cat, lang)
    return build_report(cat, loaded, validation, lang, prioritisation=ranked, priority_from=str(segments) if segments else None,
                        inferred=inferred_for_report(session, loaded), appendix=appendix)


def inferred_for_report(session: Session, loaded: list[LoadedProfile]) -> dict[str, dict]:
    """For each profile: the rules' pain hypotheses (text and sources) and the derived values."""
    from segmentum.inference.chaining import infer
    from segmentum.inference.suggest import derived_values, suggestions

    ruleset = session.rules()
    infer(session.store, ruleset, profiles=[p.iri for p in loaded])
    out = {}
    for p in loaded:
        pains = [{"text": s.text, "sources": [j for r in s.reasons for j in r.justification]}
                 for s in suggestions(session.store, session.catalogue, ruleset, p.iri, session.lang) if s.kind == "pain"]
        for item in pains:
            item["sources"] = list(dict.fromkeys(item["sources"]))
        out[p.id] = {"suggested_pains": pains, "derived": derived_values(session.store, session.catalogue, ruleset, p.iri, session.lang)}
    return out
