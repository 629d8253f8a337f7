"""Validation: profile files by their stage, and the catalogue itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from segmentum.catalogue.source_checks import source_checks
from segmentum.profiles.reader import resolve_stage_text
from segmentum.resources import rule_files
from segmentum.session import Session
from segmentum.validation.report import ReportFormat as ValidationFormat
from segmentum.validation.report import render_report as render_validation
from segmentum.validation.report import report_json
from segmentum.validation.validate import Engine, check_catalogue, load_shapes, read_shapes, validate_loaded_profiles


@dataclass
class Checked:
    """What a check shows, and whether everything conforms."""

    shown: str
    conforms: bool

def check_the_catalogue(s: Session, engine: Engine, fmt: ValidationFormat) -> Checked:
    """The catalogue shapes' findings; in text and JSON, then how many of the sources are checked against the text."""
    report = check_catalogue(s.store, engine, s.lang)
    if fmt is ValidationFormat.TTL:  # the standard SHACL report, nothing added
        return Checked(render_validation(report, fmt, s.lang), report.conforms)
    checks = source_checks(s.store, rule_files(), s.lang)
    if fmt is ValidationFormat.JSON:
        shown = json.dumps({**report_json(report), "sources": checks.as_json()}, ensure_ascii=False, indent=2) + "\n"
    else:
        shown = render_validation(report, fmt, s.lang) + checks.lines(s.lang)
    return Checked(shown, report.conforms)

def validate_files(s: Session, paths: list[Path], *, stage: str | None, engine: Engine, shapes_file: Path | None,
                   fmt: ValidationFormat) -> Checked:
    shapes = read_shapes(shapes_file, s.lang) if shapes_file else load_shapes("profile", s.lang)
    loaded = s.load_profiles(paths, stage=resolve_stage_text(s.catalogue, stage, s.lang) if stage else None)
    report = validate_loaded_profiles(s.store, engine, s.lang, only=[p.id for p in loaded], shapes=shapes, checked=[p.path for p in loaded],
                                      locations={k: v for p in loaded for k, v in p.locations.items()})
    return Checked(render_validation(report, fmt, s.lang), report.conforms)
