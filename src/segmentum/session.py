"""A working session: the store with the ontology and catalogue loaded, the language, the catalogue view.

The CLI makes one ``Session`` per command and passes it down; nothing is global.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from segmentum.catalogue.cached import shipped_catalogue
from segmentum.catalogue.folder import settle
from segmentum.catalogue.view import Catalogue
from segmentum.errors import SegmentumError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import SGM, provenance_graph
from segmentum.output import progress
from segmentum.profiles.model import LoadedProfile
from segmentum.profiles.reader import load_profiles
from segmentum.resources import catalogue_dir, catalogue_files, ontology_files, rule_files, sparql
from segmentum.store.embedded import (
    SHIPPED_DATA_PROBE,
    OxigraphStore,
    Store,
    load_shipped_data,
)

if TYPE_CHECKING:
    from segmentum.store.remote import Endpoint


#: profiles written to the store in one transaction
WRITE_BATCH = 500


@dataclass
class Session:
    """The store, the user's language and the catalogue read from the store."""

    store: Store
    lang: Lang = Lang.RU
    profiles: list[LoadedProfile] = field(default_factory=list)
    _rules: dict = field(default_factory=dict, repr=False)
    #: the store's ontology and catalogue are the shipped files (``open_session`` loaded them): its view may be kept
    shipped: bool = False

    @cached_property
    def catalogue(self) -> Catalogue:
        if self.shipped:
            return shipped_catalogue(self.store, [*ontology_files(), *catalogue_files()])
        return Catalogue(self.store)

    def rules(self, extra: list[Path] | None = None):
        """The shipped inference rules and any extra rule files, compiled (cached per set of files)."""
        from segmentum.inference.rule_cache import read_rules  # rdflib's SPARQL parser: only when rules are used

        key = tuple(extra or [])
        if key not in self._rules:
            self._rules[key] = read_rules([*rule_files(), *(extra or [])], self.store, lang=self.lang)
        return self._rules[key]

    def load_profiles(self, paths: list[Path], *, stage: str | None = None) -> list[LoadedProfile]:
        """Read profile files and put each into its own named graph (replacing an older version).

        With ``stage`` (a stage IRI), every profile is stored as if it were at that stage.
        """
        loaded = load_profiles(paths, self.catalogue, lang=self.lang)
        self.write_profiles(loaded, stage=stage)
        return loaded

    def write_profiles(self, loaded: list[LoadedProfile], *, stage: str | None = None) -> None:
        """Put read profiles into the store: each profile's graph and its provenance graph replaced in
        one transaction, so a crash or a failed write leaves every profile wholly old or wholly new
        (in the embedded store ``WRITE_BATCH`` profiles a transaction, as one each would cost more than the
        writing itself; a remote store gets one request a profile, which no server refuses for its size)."""
        batch = WRITE_BATCH if isinstance(self.store, OxigraphStore) else 1
        for start in progress(range(0, len(loaded), batch), text("progress.store", self.lang)):
            graphs: dict = {}
            for prof in loaded[start:start + batch]:
                graphs.update(self._profile_graphs(prof, stage=stage))
            self.store.replace_graphs(graphs)
        self.profiles += loaded

    def store_profile(self, prof: LoadedProfile, *, stage: str | None = None) -> None:
        """Put one read profile into its named graph, and where its statements were written into its
        provenance graph (replacing an older version of either)."""
        self.store.replace_graphs(self._profile_graphs(prof, stage=stage))

    def _profile_graphs(self, prof: LoadedProfile, *, stage: str | None = None) -> dict:
        """A profile's graph and its provenance graph, with their triples."""
        triples = prof.triples
        if stage is not None:
            triples = [t for t in triples if not (t[0] == prof.iri and t[1] == SGM.stage)] + [(prof.iri, SGM.stage, URIRef(stage))]
        return {prof.graph: triples, provenance_graph(prof.id): prof.provenance_triples()}

    def forget_profile(self, prof: LoadedProfile) -> None:
        """Empty the graphs ``store_profile`` filled (a draft checked and thrown away)."""
        self.store.replace_graphs({prof.graph: [], provenance_graph(prof.id): []})

    def in_language(self, lang: Lang) -> Session:
        """The same store and catalogue, speaking ``lang`` (a web page in English
        while the workspace started in Russian); nothing is read again."""
        other = Session(self.store, lang, shipped=self.shipped)
        other.__dict__["catalogue"] = self.catalogue  # the cached view, shared
        return other

    def count_profiles(self) -> int:
        """How many profiles the store holds."""
        rows = self.store.select(sparql("count-profiles.rq"))
        return int(rows[0]["n"]) if rows else 0


def open_session(store_dir: Path | None = None, *, lang: Lang = Lang.RU, endpoint: Endpoint | None = None) -> Session:
    """Open the store with the shipped data loaded: a remote one at ``endpoint``, else the embedded one
    (in memory, or on disk in ``store_dir``)."""
    settle(catalogue_dir(), lang)  # an edit of the (checkout's) catalogue cut short by a crash is finished first
    if endpoint is not None:
        from segmentum.store.remote import RemoteStore

        remote = RemoteStore(endpoint, lang=lang)
        try:
            load_shipped_data(remote, ontology_files(), catalogue_files())
            remote.check_union_default_graph(SHIPPED_DATA_PROBE)
        except BaseException:
            remote.close()
            raise
        return Session(remote, lang, shipped=True)
    store = OxigraphStore(store_dir, lang=lang)
    try:
        load_shipped_data(store, ontology_files(), catalogue_files())
    except BaseException:
        with suppress(SegmentumError):  # the first error is the one to report
            store.close()
        raise
    return Session(store, lang, shipped=True)
