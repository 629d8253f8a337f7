"""The workspace folder: its profile files, named by their path inside it, checked once and again
only when a file changes; reading and writing a file with its version (ETag), never outside the folder.

One lock guards the session's store: pages are served from several threads.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from segmentum.errors import BadInputError
from segmentum.i18n.messages import Lang, text
from segmentum.inference.suggest import Suggestion
from segmentum.output import write_atomic
from segmentum.reports.model import ReportFormat
from segmentum.session import Session
from segmentum.tasks.catalogue import reload_catalogue
from segmentum.tasks.documents import make_report, profiles_prioritisation
from segmentum.tasks.inference import completed_source, profile_suggestions
from segmentum.tasks.profiles import new_profile
from segmentum.tasks.validate import ProfileCheck, check_profile_files, check_profile_text

SUFFIXES = (".yaml", ".yml")
#: a file name a new profile may get: letters, digits, «-», «_», «.» (no folders)
#: the editor's texts whose check is kept (a text checked again is not validated again)
DRAFTS_KEPT = 64
_NEW_NAME = re.compile(r"^[\w][\w.-]{0,100}$")


class OutsideFolder(BadInputError):
    """A file name that leaves the workspace folder, is hidden, or is not a YAML file."""


class Missing(BadInputError):
    """No such file in the folder."""


class Conflict(BadInputError):
    """The file changed since the version the user edited (or a new file's name is taken)."""

    def __init__(self, message: str, current: str, etag: str | None) -> None:
        super().__init__(message)
        self.current = current
        self.etag = etag


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def unified_diff(old: str, new: str, name: str) -> list[str]:
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), name, name, lineterm=""))


def keep_newlines(original: str, edited: str) -> str:
    """The edited text with the original's line ends (a browser sends a text area's lines with CRLF)."""
    edited = edited.replace("\r\n", "\n")
    return edited.replace("\n", "\r\n") if "\r\n" in original else edited


@dataclass
class _Entry:
    stamp: tuple[int, int, int]
    check: ProfileCheck


class Workspace:
    """The folder's profiles for the pages; ``session`` holds the shipped catalogue and the profiles read."""

    def __init__(self, root: Path, session: Session) -> None:
        self.root = Path(root).resolve()
        self.lock = threading.RLock()
        self._sessions = {session.lang: session}
        self._checked: dict[Lang, dict[str, _Entry]] = {}
        self._drafts: dict[tuple[Lang, str, bytes], ProfileCheck] = {}

    def session(self, lang: Lang) -> Session:
        if lang not in self._sessions:
            self._sessions[lang] = next(iter(self._sessions.values())).in_language(lang)
        return self._sessions[lang]

    # ------------------------------------------------------------ names and paths
    def path(self, name: str, lang: Lang) -> Path:
        """The file a name inside the folder stands for; a name with «..», an absolute one, a hidden file,
        a file that is not YAML, or a link that leads out of the folder is refused."""
        pure = PurePosixPath(name)
        parts = pure.parts
        if (not parts or pure.is_absolute() or "\\" in name or "\0" in name or any(p in ("..", ".") or p.startswith(".") for p in parts)
                or pure.suffix.lower() not in SUFFIXES):
            raise OutsideFolder(text("ws.outside", lang, name=name))
        path = (self.root / Path(*parts)).resolve()
        if not path.is_relative_to(self.root):
            raise OutsideFolder(text("ws.outside", lang, name=name))
        return path

    def names(self) -> list[str]:
        """The YAML files in the folder and its sub-folders (not hidden ones), as names inside it."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            base = os.path.relpath(dirpath, self.root)
            for f in filenames:
                if f.startswith(".") or os.path.splitext(f)[1].lower() not in SUFFIXES:
                    continue
                full = os.path.join(dirpath, f)  # os.walk does not follow linked folders: only a linked file may lead out
                if os.path.islink(full) and not Path(full).resolve().is_relative_to(self.root):
                    continue
                found.append(f if base == "." else PurePosixPath(Path(base).as_posix(), f).as_posix())
        return sorted(found)

    # ------------------------------------------------------------ checked profiles
    def profiles(self, lang: Lang) -> list[ProfileCheck]:
        """Every profile file read and validated; a file is read again only when it changed."""
        with self.lock:
            cache = self._checked.setdefault(lang, {})
            stamps = {}
            for name in self.names():
                try:
                    st = os.stat(os.path.join(self.root, name))
                except OSError:
                    continue
                stamps[name] = (st.st_mtime_ns, st.st_size, st.st_ino)
            for gone in set(cache) - set(stamps):
                del cache[gone]
            changed = [n for n, stamp in stamps.items() if n not in cache or cache[n].stamp != stamp]
            if changed:
                checks = check_profile_files(self.session(lang), [(self.root / n, n) for n in changed])
                for check in checks:
                    cache[check.name] = _Entry(stamps[check.name], check)
                for n in set(changed) - {c.name for c in checks}:  # not a profile (a SEGMENTS file)
                    cache.pop(n, None)
            return [cache[n].check for n in sorted(cache)]

    def check(self, name: str, lang: Lang) -> ProfileCheck | None:
        return next((c for c in self.profiles(lang) if c.name == name), None)

    def check_text(self, name: str, source: str, lang: Lang) -> ProfileCheck:
        """A text not saved yet, checked as the file ``name``; the saved profiles it displaced are read again later.
        The same text checked again (typing undone, the fields and the text agreeing) is answered from the
        last checks, keyed on the text's hash: the catalogue they were checked against is the same until it is reloaded."""
        key = (lang, name, hashlib.sha256(source.encode("utf-8")).digest())
        with self.lock:
            if key in self._drafts:
                self._drafts[key] = self._drafts.pop(key)  # the most recent last
                return self._drafts[key]
            draft = self._check_text(name, source, lang)
            self._drafts[key] = draft
            while len(self._drafts) > DRAFTS_KEPT:
                del self._drafts[next(iter(self._drafts))]
            return draft

    def _check_text(self, name: str, source: str, lang: Lang) -> ProfileCheck:
        with self.lock:
            draft = check_profile_text(self.session(lang), source, name)
            ids = {draft.profile.id} if draft.profile else set()
            for cache in self._checked.values():
                entry = cache.get(name)
                if entry and entry.check.profile:
                    ids.add(entry.check.profile.id)
                for n in [n for n, e in cache.items() if n == name or (e.check.profile and e.check.profile.id in ids)]:
                    del cache[n]
            return draft

    def _forget(self, names: list[str]) -> None:
        """Have these files read and checked again at the next look (the store held another version of them meanwhile)."""
        for cache in self._checked.values():
            for name in names:
                cache.pop(name, None)

    # ------------------------------------------------------------ rules, reports, segments (the library's, over the folder)
    def suggestions(self, name: str, lang: Lang) -> list[Suggestion]:
        """The saved profile's suggestions with their explanations (what ``segmentum suggest --explain`` shows)."""
        path = self.path(name, lang)
        if not path.is_file():
            raise Missing(text("not_found", lang, path=name))
        with self.lock:
            try:
                return profile_suggestions(self.session(lang), path, [], explain=True)
            finally:
                self._forget([name])

    def accept(self, name: str, source: str, suggestion: str, lang: Lang) -> str:
        """The text with the accepted suggestion added (what ``segmentum profile complete --accept`` writes), not written."""
        self.path(name, lang)
        with self.lock, tempfile.TemporaryDirectory(prefix="segmentum-draft-") as tmp:
            draft = Path(tmp) / PurePosixPath(name).name
            draft.write_bytes(source.replace("\r\n", "\n").encode("utf-8"))
            try:
                new, _ = completed_source(self.session(lang), draft, [suggestion], [])
            finally:
                self._forget([name])
        return new.decode("utf-8")

    def report(self, names: list[str], fmt: ReportFormat, lang: Lang) -> bytes:
        """The report of these profiles (what ``segmentum report`` writes): one profile's filled template, or the segmentation report."""
        paths = [self.path(n, lang) for n in names]
        with self.lock:
            try:
                return make_report(self.session(lang), paths, fmt, segments_file=None, strict=False)
            finally:
                self._forget(names)

    def reload_catalogue(self, folder: Path) -> None:
        """After a change was applied to the catalogue files: the store's catalogue graph read again from ``folder``,
        the catalogue views and rules built anew, every profile checked again."""
        with self.lock:
            for s in self._sessions.values():
                s.__dict__.pop("catalogue", None)
            first = next(iter(self._sessions.values()))
            reload_catalogue(first, folder)
            for s in self._sessions.values():
                s.shipped = False
                s._rules.clear()
                s.__dict__["catalogue"] = first.catalogue
            self._checked.clear()
            self._drafts.clear()

    def locked(self, call, *args, **kwargs):
        """``call`` run while holding the store's lock."""
        with self.lock:
            return call(*args, **kwargs)

    def readable(self, lang: Lang) -> list[str]:
        """The files that read as profiles."""
        return [c.name for c in self.profiles(lang) if c.profile is not None]

    def prioritisation(self, weights: dict[str, float], lang: Lang) -> dict:
        """The stage II ranking of the folder's profiles at stage II or later, with these weights."""
        checks = self.profiles(lang)
        with self.lock:
            return profiles_prioritisation(self.session(lang), [c.profile for c in checks if c.profile is not None], weights)

    # ------------------------------------------------------------ files
    def read(self, name: str, lang: Lang) -> tuple[str, str]:
        """The file's text and its version."""
        path = self.path(name, lang)
        try:
            data = path.read_bytes()
        except OSError:
            raise Missing(text("not_found", lang, path=name)) from None
        return data.decode("utf-8", "replace"), etag_of(data)

    def save(self, name: str, source: str, if_match: str, lang: Lang) -> str:
        """Write the text over the file if the file is still the version ``if_match``; the new version."""
        with self.lock:
            current, etag = self.read(name, lang)
            if etag != if_match:
                raise Conflict(text("ws.conflict", lang, name=name), current, etag)
            data = keep_newlines(current, source).encode("utf-8")
            write_atomic(self.path(name, lang), data)
            return etag_of(data)

    def create(self, file_name: str, status: str, life_situation: str | None, lang: Lang) -> str:
        """A new profile file from the status and life situation (what ``segmentum profile new`` writes);
        its name inside the folder. An existing file is never replaced."""
        session = self.session(lang)
        source = new_profile(session, status, [life_situation] if life_situation else [], [], None)
        stem = file_name.strip().removesuffix(".yaml").removesuffix(".yml")
        with self.lock:
            if not stem:  # named after the status and the life situation: citizen-university-admission.yaml
                cat = session.catalogue
                parts = [cat.local_id(cat.resolve_or_fail(kind, written, lang)) for kind, written in
                         (("status", status), ("life_situation", life_situation)) if written]
                base = "-".join(parts)
                stem = next(c for c in (base if n == 1 else f"{base}-{n}" for n in range(1, 10_000)) if not (self.root / f"{c}.yaml").exists())
            if not _NEW_NAME.match(stem):
                raise OutsideFolder(text("ws.bad_name", lang, name=file_name))
            name = stem + ".yaml"
            path = self.path(name, lang)
            if path.exists():
                raise Conflict(text("ws.exists", lang, name=name), path.read_text(encoding="utf-8", errors="replace"), None)
            write_atomic(path, source)
        return name
