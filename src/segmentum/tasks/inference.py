"""The rules: suggestions, accepted suggestions added to a profile, inference over the store."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, text
from segmentum.inference import edit as fields
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

#: what a field of the workspace's editor may change (``edited_field``)
FIELD_EDITS = ("scalar", "attribute", "remove_attribute", "add_item", "item_state")


def edited_field(source: str, edit: str, form: dict[str, str], lang: Lang) -> str:
    """The profile text with one field changed as ``profile complete`` writes (as text: comments, key
    language and order kept); the result must still be YAML. ``form``: the field's key, value, list …"""
    source = source.replace("\r\n", "\n")
    get = lambda k: str(form.get(k, "")).strip()  # noqa: E731
    sub = get("sub") or None
    if edit == "scalar" and get("key") in fields.SCALAR_KEYS:
        new = fields.set_scalar(source, get("key"), get("value"), lang)
    elif edit == "attribute" and get("key"):
        new = fields.set_attribute(source, get("key"), get("value"), lang)
    elif edit == "remove_attribute" and get("key"):
        new = fields.set_attribute(source, get("key"), None, lang)
    elif edit == "add_item" and get("list") in fields.LIST_KEYS:
        new = fields.add_item(source, get("list"), sub if get("list") == "channels" else None,
                              {k: get(k) for k in ("text", "channel", "state", "evidence")}, lang)
    elif edit == "item_state" and get("list") in fields.LIST_KEYS and get("index").isdigit():
        new = fields.set_item_state(source, get("list"), sub if get("list") == "channels" else None, int(get("index")), get("state"), lang)
    else:
        raise BadInputError(text("edit.bad_field", lang, edit=edit, edits=", ".join(FIELD_EDITS)))
    try:
        yaml.safe_load(new)
    except yaml.YAMLError:
        raise BadInputError(text("edit.cannot", lang), hint=text("edit.cannot_hint", lang)) from None
    return new
