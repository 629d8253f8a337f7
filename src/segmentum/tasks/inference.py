"""The rules: suggestions, accepted suggestions added to a profile, inference over the store."""

from __future__ import annotations

import tempfile
from pathlib import Path

from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import text
from segmentum.inference.chaining import InferenceRun, infer
from segmentum.inference.complete import additions, encode_like, insert, read_source
from segmentum.inference.suggest import SuggestFormat, Suggestion, render_suggestions, suggestions
from segmentum.output import write_atomic
from segmentum.profiles.reader import load_profile
from segmentum.session import Session


def suggest_for(s: Session, paths: list[Path], rule_files: list[Path], fmt: SuggestFormat, *, explain: bool) -> str:
    ruleset = s.rules(rule_files)
    loaded = s.load_profiles(paths)
    infer(s.store, ruleset, profiles=[p.iri for p in loaded])
    found = [(p.id, suggestions(s.store, s.catalogue, ruleset, p.iri, s.lang, explain=explain)) for p in loaded]
    return render_suggestions(found, s.lang, fmt, explain=explain)

def profile_suggestions(s: Session, path: Path, rule_files: list[Path], *, explain: bool) -> list[Suggestion]:
    """One profile file's suggestions, best first (what ``suggest_for`` shows for it)."""
    ruleset = s.rules(rule_files)
    prof = s.load_profiles([path])[0]
    infer(s.store, ruleset, profiles=[prof.iri])
    return suggestions(s.store, s.catalogue, ruleset, prof.iri, s.lang, explain=explain)

def completed_source(s: Session, path: Path, accept: list[str], rule_files: list[Path]) -> tuple[bytes, int]:
    """The profile file with the accepted suggestions added, as it would be written (it must load), and how many were added."""
    items = profile_suggestions(s, path, rule_files, explain=False)
    adds = additions(items, accept, s.catalogue, s.lang, path)
    source, style = read_source(path)
    new = encode_like(insert(source, adds, path, s.lang), style)
    with tempfile.TemporaryDirectory() as tmp:
        check = Path(tmp) / path.name
        check.write_bytes(new)
        load_profile(check, s.catalogue, lang=s.lang)
    return new, len(adds)

def complete_profile(s: Session, path: Path, accept: list[str], rule_files: list[Path], output: Path | None) -> tuple[Path, int]:
    """Add the accepted suggestions to the profile file; the result must load before it replaces anything."""
    new, added = completed_source(s, path, accept, rule_files)
    target = output or path
    try:
        write_atomic(target, new)
    except OSError as exc:
        raise BadInputError(text("out.cannot_write", s.lang, problem=exc.strerror or exc), location=Location(str(target)),
                            hint=text("out.hint", s.lang)) from None
    return target, added

def infer_all(s: Session, paths: list[Path], rule_files: list[Path]) -> tuple[InferenceRun, int]:
    """Run the rules over every profile in the store (after loading ``paths``): the run and the number of profiles."""
    ruleset = s.rules(rule_files)
    if paths:
        s.load_profiles(paths)
    return infer(s.store, ruleset), s.count_profiles()
