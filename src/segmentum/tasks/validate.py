"""Validation: profile files by their stage, and the catalogue itself."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from segmentum.catalogue.source_checks import source_checks
from segmentum.errors import ProfileError, ProfileErrors, SegmentsFileError
from segmentum.i18n.messages import Lang, text
from segmentum.profiles.keys import quote_keys
from segmentum.profiles.model import LoadedProfile
from segmentum.profiles.reader import load_profile, resolve_stage_text
from segmentum.resources import rule_files
from segmentum.session import Session
from segmentum.validation.report import ReportFormat as ValidationFormat
from segmentum.validation.report import errors_lines, errors_sarif, report_json
from segmentum.validation.report import render_report as render_validation
from segmentum.validation.shapes import ShapesGraph
from segmentum.validation.validate import (
    Engine,
    Finding,
    Severity,
    ValidationReport,
    check_catalogue,
    load_shapes,
    read_shapes,
    validate_loaded_profiles,
)


@dataclass
class Checked:
    """What a check shows, and whether everything conforms."""

    shown: str
    conforms: bool
    error: ProfileError | None = None  # files that could not be read, shown in ``shown`` (lines, SARIF): exit with its code


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


def _report(s: Session, profiles: list[LoadedProfile], checked: list[str], *, engine: Engine = Engine.SPARQL,
            shapes: ShapesGraph | None = None) -> ValidationReport:
    """The loaded ``profiles`` validated, their findings placed where the loader read each statement; a
    finding quotes keys as its profile's file writes them («каналы: информирование: …» in a Russian one)."""
    report = validate_loaded_profiles(s.store, engine, s.lang, only=[p.id for p in profiles], shapes=shapes, checked=checked,
                                      locations={k: v for p in profiles for k, v in p.locations.items()})
    key_langs = {p.id: Lang(p.key_lang) for p in profiles}
    report.findings = [replace(f, message=quote_keys(f.message, key_langs[f.profile])) if f.profile in key_langs else f
                       for f in report.findings]
    return report


def validate_files(s: Session, paths: list[Path], *, stage: str | None, engine: Engine, shapes_file: Path | None,
                   fmt: ValidationFormat) -> Checked:
    shapes = read_shapes(shapes_file, s.lang) if shapes_file else load_shapes("profile", s.lang)
    try:
        loaded = s.load_profiles(paths, stage=resolve_stage_text(s.catalogue, stage, s.lang) if stage else None)
    except ProfileError as exc:
        if fmt not in (ValidationFormat.LINES, ValidationFormat.SARIF):
            raise
        # for editors and CI, the errors of every file are the output, in its format
        errors: list = exc.errors if isinstance(exc, ProfileErrors) else [exc]
        shown = errors_lines(errors, s.lang) if fmt is ValidationFormat.LINES else json.dumps(errors_sarif(errors, s.lang), ensure_ascii=False, indent=2) + "\n"
        return Checked(shown, False, error=exc)
    report = _report(s, loaded, [p.path for p in loaded], engine=engine, shapes=shapes)
    return Checked(render_validation(report, fmt, s.lang), report.conforms)


@dataclass
class ProfileCheck:
    """One profile file read and validated at its stage: what was read, or why it could not be, and the findings."""

    name: str  # as shown: the path within the folder
    profile: LoadedProfile | None = None
    error: ProfileError | None = None  # the file does not read as a profile (YAML, an unknown name …)
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def state(self) -> str:
        """``error``, ``violations``, ``warnings`` or ``conforms``."""
        if self.error is not None:
            return "error"
        if self.count(Severity.VIOLATION):
            return "violations"
        return "warnings" if self.count(Severity.WARNING) else "conforms"


def check_profile_files(s: Session, files: list[tuple[Path, str]]) -> list[ProfileCheck]:
    """Read each file (path, name shown) on its own, so that one wrong file does not hide the others, keep
    the profiles in the store and validate them together with the compiled engine; a SEGMENTS file
    is not a profile and is left out. Two files with one id: the second is an error."""
    checks: list[ProfileCheck] = []
    seen: dict[str, str] = {}
    for path, name in files:
        check = ProfileCheck(name)
        try:
            prof = load_profile(path, s.catalogue, lang=s.lang, display=name)
        except SegmentsFileError:
            continue
        except ProfileError as exc:
            check.error = exc
        else:
            if prof.id in seen:
                check.error = ProfileError(text("duplicate_id", s.lang, id=prof.id, other=seen[prof.id]), location=prof.locations.get((prof.iri, None)),
                                           hint=text("duplicate_hint", s.lang))
            else:
                seen[prof.id] = name
                check.profile = prof
                s.store_profile(prof)
        checks.append(check)
    _validate(s, [c for c in checks if c.profile is not None])
    return checks


def check_profile_text(s: Session, source: str, name: str) -> ProfileCheck:
    """A profile not yet saved (the text of an editor), read as the file ``name`` and validated; the store
    is left without it afterwards (the saved version of the same profile too: read it again)."""
    check = ProfileCheck(name)
    with tempfile.TemporaryDirectory(prefix="segmentum-draft-") as tmp:
        path = Path(tmp) / Path(name).name  # without an id, the profile takes the file's name
        path.write_text(source, encoding="utf-8")
        try:
            check.profile = load_profile(path, s.catalogue, lang=s.lang, display=name)
        except ProfileError as exc:
            check.error = exc
            return check
    s.store_profile(check.profile)
    try:
        _validate(s, [check])
    finally:
        s.forget_profile(check.profile)
    return check


def _validate(s: Session, checks: list[ProfileCheck]) -> None:
    if not checks:
        return
    profiles = [c.profile for c in checks if c.profile is not None]
    report = _report(s, profiles, [c.name for c in checks])
    by_id = {c.profile.id: c for c in checks if c.profile is not None}
    for f in report.findings:
        if f.profile in by_id:
            by_id[f.profile].findings.append(f)
