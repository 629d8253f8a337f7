"""Profiles: a new one from the catalogue, profiles shown resolved."""

from __future__ import annotations

import json
from pathlib import Path

from segmentum.profiles.template import profile_template
from segmentum.reports.terminal import (
    DocFormat,
    profile_details,
    render_profile,
)
from segmentum.session import Session


def new_profile(s: Session, status: str, life_situations: list[str], services: list[str], profile_id: str | None) -> str:
    cat = s.catalogue
    return profile_template(cat, status=cat.resolve_or_fail("status", status, s.lang),
                            life_situations=[cat.resolve_or_fail("life_situation", x, s.lang) for x in life_situations],
                            services=[cat.resolve_or_fail("service", x, s.lang) for x in services], profile_id=profile_id, lang=s.lang)

def show_profiles(s: Session, paths: list[Path], fmt: DocFormat) -> str:
    loaded = s.load_profiles(paths)
    if fmt is DocFormat.JSON:
        return json.dumps([profile_details(s.catalogue, p, s.lang) for p in loaded], ensure_ascii=False, indent=2) + "\n"
    return "\n".join(render_profile(s.catalogue, p, DocFormat.TEXT, s.lang) for p in loaded)
