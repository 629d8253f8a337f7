"""Profiles: a new one from the catalogue, profiles shown resolved."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from segmentum.i18n.messages import Lang, text
from segmentum.profiles.model import LoadedProfile
from segmentum.profiles.template import profile_template
from segmentum.reports.terminal import (
    DocFormat,
    profile_details,
    render_profile,
)
from segmentum.session import Session
from segmentum.validation.validate import Engine, Severity, validate_loaded_profiles


def new_profile(s: Session, status: str, life_situations: list[str], services: list[str], profile_id: str | None) -> str:
    cat = s.catalogue
    return profile_template(cat, status=cat.resolve_or_fail("status", status, s.lang),
                            life_situations=[cat.resolve_or_fail("life_situation", x, s.lang) for x in life_situations],
                            services=[cat.resolve_or_fail("service", x, s.lang) for x in services], profile_id=profile_id, lang=s.lang)

def show_profiles(s: Session, paths: list[Path], fmt: DocFormat) -> str:
    """The profiles as read; a profile with findings of its stage's checks says how many, and the command that shows them."""
    loaded = s.load_profiles(paths)
    report = validate_loaded_profiles(s.store, Engine.SPARQL, s.lang, only=[p.id for p in loaded],
                                      locations={k: v for p in loaded for k, v in p.locations.items()})
    counts = {p.id: {"violations": 0, "warnings": 0, "infos": 0} for p in loaded}
    for f in report.findings:
        if f.profile in counts:
            counts[f.profile][{Severity.VIOLATION: "violations", Severity.WARNING: "warnings", Severity.INFO: "infos"}[f.severity]] += 1
    if fmt is DocFormat.JSON:
        return json.dumps([{**profile_details(s.catalogue, p, s.lang), "findings": counts[p.id]} for p in loaded], ensure_ascii=False, indent=2) + "\n"
    return "\n".join(render_profile(s.catalogue, p, DocFormat.TEXT, s.lang) + _findings_line(p, counts[p.id], s.lang) for p in loaded)


def _findings_line(prof: LoadedProfile, counts: dict[str, int], lang: Lang) -> str:
    """«Проверка этапа: ошибок 1, предупреждений 2 — подробно: segmentum validate FILE», or nothing."""
    if not counts["violations"] and not counts["warnings"]:
        return ""
    return "\n" + text("p.findings", lang, violations=counts["violations"], warnings=counts["warnings"], path=shlex.quote(prof.path)) + "\n"
