"""What the profile reader keeps while it reads one file: every error of the file, so that all are
reported in one run, and reading notes — what does not stop the profile but a person should see (a
channel the catalogue lacks, kept as written; a name read by a close spelling). Validation reports
the notes as warnings (``sgmsh:ReadingNoteShape``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from segmentum.catalogue.view import Catalogue, LookupFailure
from segmentum.errors import Location, ProfileError, ProfileErrors, SegmentsFileError
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import SGM
from segmentum.profiles.model import LoadedProfile, Statement
from segmentum.profiles.yamlfile import Marked

#: a file's errors reported in one run at most: a file with more is probably not a profile, or one written wholly wrong
MAX_ERRORS = 20


class TooManyErrors(Exception):
    """The reader has ``MAX_ERRORS`` errors of one file: it stops there."""


class ReadingState:
    """The errors and notes of one file being read; the reader of profiles builds on it."""

    def __init__(self, catalogue: Catalogue, path: str, lang: Lang) -> None:
        self.cat = catalogue
        self.path = path
        self.lang = lang
        self.errors: list[ProfileError] = []  # the file's errors so far: all are reported in one run
        self.prof: LoadedProfile | None = None  # the profile being read, for its reading notes

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run a block that reads one entry; an error of the entry is kept and the entry skipped, so that
        the other entries are read and their errors reported in the same run (up to ``MAX_ERRORS``)."""
        try:
            yield
        except SegmentsFileError:
            raise
        except ProfileError as exc:
            self.errors.append(exc)
            if len(self.errors) >= MAX_ERRORS:
                raise TooManyErrors from None

    def raise_errors(self) -> None:
        """Raise the errors collected: the one, or all of them in the order of the file."""
        if not self.errors:
            return
        errors = sorted(self.errors, key=lambda e: (e.location.line or 0, e.location.column or 0) if e.location else (0, 0))
        if len(errors) >= MAX_ERRORS:
            errors.append(ProfileError(text("too_many_errors", self.lang, n=len(errors)), location=Location(self.path)))
        raise errors[0] if len(errors) == 1 else ProfileErrors(errors)

    def note_spelling(self, kind: str, item: Marked, found: str) -> None:
        """A reading note when ``item`` names ``found`` only by a close spelling («регион проживаня»): the
        profile is read, and the person sees what was written and how it was read."""
        if self.prof is None or not self.cat.read_by_spelling(kind, str(item.value), found):
            return
        written = " ".join(str(item.value).split())
        self.add_note(self.prof, self.prof.iri, item.location,
                      lambda lang: text("read_by_spelling", lang, text=written, label=self.cat.label(found, lang)))

    def read_channel(self, prof: LoadedProfile, st: Statement) -> None:
        """The catalogue channel a statement names. The list of channels is open: one the catalogue does not
        know («банк», «юрист») is kept as written, with a note naming the closest channels of the profile's status."""
        written = st.channel_written or ""
        try:
            st.channel = self.cat.resolve("channel", written, self.lang, status=prof.status)
            return
        except LookupFailure as exc:
            close = [c.iri for c in (exc.ambiguous or exc.suggestions)]

        def note(lang: Lang) -> str:
            if close and prof.status:
                hint = text("channel_kept.close_of_status", lang, status=self.cat.label(prof.status, lang),
                            options=quoted_list([self.cat.label(c, lang) for c in close], lang))
            elif close:
                hint = text("channel_kept.close", lang, options=quoted_list([self.cat.label(c, lang) for c in close], lang))
            else:
                hint = text("see_list", lang, command="segmentum catalogue terms channels")
            return text("channel_kept", lang, text=written) + "; " + hint

        self.add_note(prof, st.node, st.location, note)

    def add_note(self, prof: LoadedProfile, about: URIRef, location: Location | None, note: Callable[[Lang], str]) -> None:
        """A reading note about ``about`` (``note(lang)`` is its text in a language): kept in the profile's RDF
        for validation to report as a warning at ``location``, and in ``prof.reading_notes``."""
        node = URIRef(f"{prof.iri}/note/{len(prof.reading_notes) + 1}")
        prof.triples += [(about, SGM.readingNote, node), (node, RDF.type, SGM.ReadingNote)]
        prof.triples += [(node, SGM.noteText, Literal(note(lang), lang=lang.value)) for lang in Lang]
        location = location or Location(self.path)
        prof.locations[(node, None)] = location
        prof.reading_notes.append((location, note(self.lang)))
