"""Documents: the stage II prioritisation and the profile or segmentation report."""

from __future__ import annotations

from pathlib import Path

from segmentum.catalogue.criteria import format_count
from segmentum.errors import BadInputError, NotConformingError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import SGM
from segmentum.prioritise import segments as prio
from segmentum.prioritise.capacity import CapacityGap, estimate_capacity
from segmentum.profiles.model import LoadedProfile
from segmentum.reports.model import ReportFormat, prepare_report, stage_number
from segmentum.reports.render import render_report
from segmentum.reports.terminal import (
    render_prioritisation,
)
from segmentum.session import Session


def prioritisation(s: Session, segments_file: Path, weights: str | None, fmt: str) -> str:
    parsed = prio.read_segments_file(segments_file, s.catalogue, s.lang)
    given = {c: w for c, (w, _) in parsed.weights.items()}
    if weights:
        given.update(prio.parse_weights_option(s.catalogue, weights, s.lang))
    ranked = prio.prioritise(parsed.segments, s.catalogue, s.lang, weights=given)
    return render_prioritisation(prio.prioritisation_data(ranked, s.catalogue, s.lang), fmt, s.lang)

def profiles_prioritisation(s: Session, profiles: list[LoadedProfile], weights: dict[str, float] | None = None) -> dict:
    """The stage II ranking of profiles at stage II or later by their own ``priority`` values (what the
    segmentation report ranks), with ``weights`` (criterion IRI → weight) over the default ones; each row
    also says what open statistics give for its capacity when the profile has none written («не оценить» and why)."""
    cat, lang = s.catalogue, s.lang
    segments = [prio.segment_of(p, cat, lang) for p in profiles if (stage_number(cat, p.stage) or 0) >= 2]
    data = prio.prioritisation_data(prio.prioritise(segments, cat, lang, weights=weights), cat, lang)
    by_id = {g.id: g for g in segments}
    capacity = cat.local_id(str(SGM.Capacity))
    for row in data["rows"]:
        if row["criteria"].get(capacity) is not None:
            continue
        seg = by_id[row["id"]]
        est = estimate_capacity(cat, seg.profile.status, seg.profile.attributes)
        if isinstance(est, CapacityGap):
            row["open_estimate"] = {"value": text("prio.no_estimate", lang), "note": prio.gap_note(est, cat, lang)}
        else:
            row["open_estimate"] = {"value": "≈ " + format_count(est.value, lang), "note": prio.estimate_note(seg, est, cat, lang)}
    return data

REPORT_SUFFIXES = {".docx": ReportFormat.DOCX, ".html": ReportFormat.HTML, ".htm": ReportFormat.HTML, ".md": ReportFormat.MARKDOWN,
                   ".markdown": ReportFormat.MARKDOWN}

def report_format(fmt: ReportFormat | None, output: Path | None, lang: Lang) -> ReportFormat:
    """The format asked for, else the output's suffix («-o отчёт.html» is HTML), else DOCX."""
    if fmt is None:
        fmt = REPORT_SUFFIXES.get(output.suffix.lower()) if output is not None else ReportFormat.DOCX
        if fmt is None:
            raise BadInputError(text("rep.bad_suffix", lang, suffix=output.suffix or "—"), hint=text("rep.suffix_hint", lang))
    if fmt is ReportFormat.DOCX and output is None:
        raise BadInputError(text("rep.need_output", lang))
    if output is not None and not output.parent.resolve().is_dir():
        raise BadInputError(text("rep.bad_output", lang, path=output, problem=text("not_found", lang, path=output.parent)),
                            hint=text("rep.output_hint", lang))
    return fmt

def report_template(template: Path | None, fmt: ReportFormat, lang: Lang) -> Path | None:
    """The agency's Word file to write the report into: a .docx that python-docx opens, for a DOCX report."""
    if template is None:
        return None
    if fmt is not ReportFormat.DOCX:
        raise BadInputError(text("rep.template_not_docx", lang), hint=text("rep.template_hint", lang))
    import zipfile

    from docx import Document
    from docx.opc.exceptions import OpcError

    try:
        Document(str(template))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadInputError(text("rep.bad_template", lang, path=template, problem=str(exc) or type(exc).__name__),
                            hint=text("rep.template_hint", lang)) from None
    return template

def make_report(s: Session, paths: list[Path], fmt: ReportFormat, *, segments_file: Path | None, strict: bool,
                appendix: bool = False, template: Path | None = None) -> bytes:
    template = report_template(template, fmt, s.lang)
    rep = prepare_report(s, paths, segments=segments_file, appendix=appendix)
    if strict and not rep.conforms:
        failing = ", ".join(p["id"] for p in rep.profiles if not p["validation"]["conforms"])
        raise NotConformingError(text("rep.strict", s.lang, ids=failing), hint=text("rep.strict_hint", s.lang))
    return render_report(rep, fmt, template=template)
