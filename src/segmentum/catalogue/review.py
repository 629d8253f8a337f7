"""Catalogue changes with review: proposed, kept in a staging area, checked, applied by a reviewer, recorded.

A proposal is one edit of ``Curator`` (a new attribute or value, a deprecation with its replacement,
a source added to an attribute) with its source, its author and the reason. It is tried on the
catalogue files when it is made: a lookup that fails or a catalogue that would no longer pass the
catalogue shapes refuses it, as the command-line edits do. Kept proposals live in
``proposals.json`` of the staging folder with the diff and the shapes' verdict against the files as
they were; the verdict is worked out again when the catalogue files have changed since.

A reviewer applies a proposal: the edit is made again on the current files under the catalogue
folder's writer lock, checked by the shapes and written (all files or none), then recorded in
``history.ttl`` of the staging folder as a PROV activity (who proposed it, who applied it, when,
why, from which source, the diff), and the proposal leaves the staging area. A rejected proposal
is recorded too. Every file is replaced atomically under the staging folder's lock.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from segmentum.catalogue.curation import ChangeRefused, Curator, SourceSpec, check_files, finish
from segmentum.catalogue.files import CatalogueFiles
from segmentum.catalogue.folder import locked
from segmentum.catalogue.table_import import render_changes
from segmentum.errors import BadInputError, Location, StoreError
from segmentum.i18n.messages import Lang, text
from segmentum.output import write_atomic

PROPOSALS = "proposals.json"
HISTORY = "history.ttl"
#: the edits a proposal may make: ``Curator``'s methods
EDITS = ("add_attribute", "add_value", "deprecate", "add_source")
CHANGE = "urn:segmentum:catalogue-change:"
AGENT = "urn:segmentum:agent:"
ROLE_AUTHOR = URIRef("urn:segmentum:role:author")
ROLE_REVIEWER = URIRef("urn:segmentum:role:reviewer")


class NoProposal(BadInputError):
    """No proposal with that identifier in the staging area."""


@dataclass
class Proposal:
    """One proposed edit with who proposes it, why, from which source; and how it looked when last checked."""

    edit: str
    args: list[str]
    kwargs: dict
    source: dict
    author: str
    reason: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    proposed: str = field(default_factory=lambda: _now())
    summary: str = ""
    diff: str = ""
    conforms: bool = True
    findings: list[str] = field(default_factory=list)
    problem: str = ""
    checked_against: str = ""

    def spec(self) -> SourceSpec:
        return SourceSpec(**{k: v or None for k, v in self.source.items()})

    def make(self, files: CatalogueFiles, lang: Lang) -> Curator:
        """The edit made on ``files`` (not written)."""
        if self.edit not in EDITS:
            raise BadInputError(text("rev.bad_edit", lang, edit=self.edit, edits=", ".join(EDITS)))
        curator = Curator(files, lang)
        getattr(curator, self.edit)(*self.args, source=self.spec(), **self.kwargs)
        return curator


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def fingerprint(folder: Path) -> str:
    """What the catalogue files were when a proposal was checked: a digest of their bytes (cheap: nothing is parsed)."""
    h = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.ttl")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def _try(proposal: Proposal, catalogue: Path, lang: Lang) -> None:
    """Make the edit on the current files and record its diff and the shapes' verdict in ``proposal``."""
    files = CatalogueFiles.read(catalogue, lang)
    proposal.checked_against = fingerprint(catalogue)
    try:
        curator = proposal.make(files, lang)
    except BadInputError as exc:
        proposal.problem, proposal.conforms, proposal.diff, proposal.findings = exc.message, False, "", []
        return
    proposal.summary = render_changes(curator.changes, lang, files).strip()
    proposal.diff = files.diff()
    report = check_files(files, lang) if files.changed() else None
    proposal.conforms = report is None or report.conforms
    proposal.findings = [f.message for f in report.findings] if report is not None and not report.conforms else []
    proposal.problem = ""


@dataclass
class Staging:
    """The staging area and the history of one catalogue folder, in the folder ``area``."""

    area: Path
    catalogue: Path
    lang: Lang = Lang.RU

    # ------------------------------------------------------------ files
    def _lock(self):
        self.area.mkdir(parents=True, exist_ok=True)
        return locked(self.area, self.lang)

    def _read(self) -> list[Proposal]:
        path = self.area / PROPOSALS
        if not path.is_file():
            return []
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            return [Proposal(**row) for row in rows]
        except (ValueError, TypeError) as exc:
            raise StoreError(text("rev.unreadable", self.lang, problem=exc), location=Location(str(path)),
                             hint=text("rev.unreadable_hint", self.lang)) from exc

    def _write(self, proposals: list[Proposal]) -> None:
        write_atomic(self.area / PROPOSALS, json.dumps([asdict(p) for p in proposals], ensure_ascii=False, indent=1) + "\n")

    def _history_graph(self) -> Graph:
        g = Graph()
        path = self.area / HISTORY
        if path.is_file():
            try:
                g.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises several kinds of parser errors
                raise StoreError(text("rev.unreadable", self.lang, problem=exc), location=Location(str(path)),
                                 hint=text("rev.unreadable_hint", self.lang)) from exc
        return g

    def _record(self, proposal: Proposal, reviewer: str, outcome: str, note: str) -> None:
        g = self._history_graph()
        g.bind("prov", PROV)
        g.bind("dct", DCTERMS)
        act = URIRef(CHANGE + proposal.id)
        g.add((act, RDF.type, PROV.Activity))
        g.add((act, DCTERMS.identifier, Literal(proposal.id)))
        g.add((act, RDFS.label, Literal(proposal.summary or proposal.edit)))
        g.add((act, DCTERMS.type, Literal(outcome)))
        g.add((act, DCTERMS.description, Literal(proposal.reason)))
        if note:
            g.add((act, RDFS.comment, Literal(note)))
        g.add((act, PROV.startedAtTime, Literal(proposal.proposed, datatype=XSD.dateTime)))
        g.add((act, PROV.endedAtTime, Literal(_now(), datatype=XSD.dateTime)))
        g.add((act, PROV.value, Literal(proposal.diff)))
        for who, role in ((proposal.author, ROLE_AUTHOR), (reviewer, ROLE_REVIEWER)):
            agent = URIRef(AGENT + quote(who, safe=""))
            g.add((agent, RDF.type, PROV.Agent))
            g.add((agent, RDFS.label, Literal(who)))
            g.add((act, PROV.wasAssociatedWith, agent))
            assoc = BNode()
            g.add((act, PROV.qualifiedAssociation, assoc))
            g.add((assoc, RDF.type, PROV.Association))
            g.add((assoc, PROV.agent, agent))
            g.add((assoc, PROV.hadRole, role))
        for key, value in sorted(proposal.source.items()):
            if value:
                g.add((act, DCTERMS.source, Literal(f"{key}: {value}")))
        write_atomic(self.area / HISTORY, g.serialize(format="turtle"))

    # ------------------------------------------------------------ the staging area
    def proposals(self) -> list[Proposal]:
        """The kept proposals, oldest first; one checked against older catalogue files is checked again."""
        with self._lock():
            found = self._read()
            current = fingerprint(self.catalogue) if found else ""
            stale = [p for p in found if p.checked_against != current]
            for p in stale:
                _try(p, self.catalogue, self.lang)
            if stale:
                self._write(found)
            return found

    def get(self, ident: str) -> Proposal:
        found = next((p for p in self.proposals() if p.id == ident), None)
        if found is None:
            raise NoProposal(text("rev.no_proposal", self.lang, id=ident))
        return found

    def propose(self, proposal: Proposal) -> Proposal:
        """Keep a proposal that applies to the current catalogue and passes its shapes; else refuse it."""
        if not proposal.author.strip():
            raise BadInputError(text("rev.need_author", self.lang))
        if not proposal.reason.strip():
            raise BadInputError(text("rev.need_reason", self.lang))
        _try(proposal, self.catalogue, self.lang)
        if proposal.problem:
            raise BadInputError(proposal.problem)
        if not proposal.diff:
            raise BadInputError(text("rev.no_change", self.lang))
        if not proposal.conforms:
            raise BadInputError(text("cat.refused", self.lang), hint="; ".join(proposal.findings))
        with self._lock():
            self._write([*self._read(), proposal])
        return proposal

    def apply(self, ident: str, reviewer: str) -> list[str]:
        """Make the proposal's edit on the catalogue files (checked by the shapes, all files or none), record it
        in the history, drop it from the staging area; the files written."""
        if not reviewer.strip():
            raise BadInputError(text("rev.need_reviewer", self.lang))
        with self._lock():
            proposal = next((p for p in self._read() if p.id == ident), None)
            if proposal is None:
                raise NoProposal(text("rev.no_proposal", self.lang, id=ident))
            with locked(self.catalogue, self.lang):  # one writer from reading the files to writing them
                files = CatalogueFiles.read(self.catalogue, self.lang)
                curator = proposal.make(files, self.lang)
                outcome = finish(files, self.lang, write=True)  # ChangeRefused if the shapes fail now
            proposal.summary = render_changes(curator.changes, self.lang, files).strip()
            proposal.diff = outcome.diff
            self._record(proposal, reviewer, "applied", "")
            self._write([p for p in self._read() if p.id != ident])
            return outcome.written

    def reject(self, ident: str, reviewer: str, note: str) -> None:
        """Drop a proposal, recording who rejected it and why."""
        if not reviewer.strip():
            raise BadInputError(text("rev.need_reviewer", self.lang))
        with self._lock():
            kept = self._read()
            proposal = next((p for p in kept if p.id == ident), None)
            if proposal is None:
                raise NoProposal(text("rev.no_proposal", self.lang, id=ident))
            self._record(proposal, reviewer, "rejected", note)
            self._write([p for p in kept if p.id != ident])

    # ------------------------------------------------------------ the history
    def history(self) -> list[dict]:
        """The applied and rejected changes, newest first, from the PROV record."""
        g = self._history_graph()
        out = []
        for act in g.subjects(RDF.type, PROV.Activity):
            roles = {}
            for assoc in g.objects(act, PROV.qualifiedAssociation):
                agent = g.value(assoc, PROV.agent)
                roles[g.value(assoc, PROV.hadRole)] = str(g.value(agent, RDFS.label) or "")
            out.append({"id": str(g.value(act, DCTERMS.identifier) or ""), "summary": str(g.value(act, RDFS.label) or ""),
                        "outcome": str(g.value(act, DCTERMS.type) or ""), "reason": str(g.value(act, DCTERMS.description) or ""),
                        "note": str(g.value(act, RDFS.comment) or ""), "proposed": str(g.value(act, PROV.startedAtTime) or ""),
                        "decided": str(g.value(act, PROV.endedAtTime) or ""), "diff": str(g.value(act, PROV.value) or ""),
                        "author": roles.get(ROLE_AUTHOR, ""), "reviewer": roles.get(ROLE_REVIEWER, ""),
                        "sources": sorted(str(o) for o in g.objects(act, DCTERMS.source))})
        return sorted(out, key=lambda r: (r["decided"], r["id"]), reverse=True)


__all__ = ["EDITS", "ChangeRefused", "NoProposal", "Proposal", "Staging", "fingerprint"]
