"""The catalogue as a folder of Turtle files: read it, edit it as one graph, write it back canonically.

Every subject of the catalogue lives in one file (``attributes-citizen.ttl``, ``sources.ttl`` …);
RDF lists (a status's main attributes) go with the subject that points at them. An edit changes
the one combined graph; ``render()`` splits it back by the subject's file and writes each file with
the canonical Turtle writer, so a file whose triples did not change keeps its exact bytes and
``git diff`` shows only the change. ``write()`` replaces all changed files or none, under the
folder's writer lock, and only if the files are still those that were read (``catalogue.folder``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from segmentum.catalogue.folder import locked, replace_files, settle
from segmentum.errors import BadInputError, CatalogueError, Location, SegmentumError, StoreError
from segmentum.i18n.messages import Lang, text
from segmentum.resources import catalogue_files
from segmentum.store.turtle import canonical_turtle, read_header


def default_catalogue_dir() -> Path | None:
    """The package's ``catalogues/`` folder when running from a source checkout, else None.

    A checkout (or an editable install of it) has ``pyproject.toml`` two folders up from the
    package (``src/segmentum/``); an installed wheel does not, and its files are not to be edited
    in place.
    """
    files = catalogue_files()
    if not files:
        return None
    folder = files[0].parent
    package = folder.parent
    checkout = package.parent.parent
    return folder if package.parent.name == "src" and (checkout / "pyproject.toml").is_file() else None


def resolve_catalogue_dir(given: Path | None, lang: Lang) -> Path:
    """The folder to edit: ``--catalogue DIR`` if given, else the checkout's ``catalogues/``."""
    if given is not None:
        if not given.is_dir():
            raise BadInputError(text("cat.no_dir", lang, path=given), location=Location(str(given)), hint=text("cat.dir_hint", lang))
        return given
    folder = default_catalogue_dir()
    if folder is None:
        raise BadInputError(text("cat.installed", lang), hint=text("cat.dir_hint", lang))
    return folder


@dataclass
class CatalogueFiles:
    """The catalogue's Turtle files in one graph, with the file each subject is written in."""

    folder: Path
    graph: Graph
    home: dict[Node, str]  # subject -> file name
    texts: dict[str, str]  # file name -> text as read
    headers: dict[str, str] = field(default_factory=dict)
    lang: Lang = Lang.RU  # the language of its errors

    @classmethod
    def read(cls, folder: Path, lang: Lang = Lang.RU) -> CatalogueFiles:
        folder = Path(folder)
        settle(folder, lang)  # a write cut short by a crash is finished first
        graph, home, texts, headers = Graph(), {}, {}, {}
        paths = sorted(folder.glob("*.ttl"))
        if not paths:
            raise BadInputError(text("cat.no_files", lang, folder=folder), location=Location(str(folder)), hint=text("cat.dir_hint", lang))
        for path in paths:
            try:
                data = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise StoreError(text("cat.unreadable", lang, problem=exc.strerror), location=Location(str(path))) from exc
            part = Graph()
            try:
                part.parse(data=data, format="turtle")
            except Exception as exc:  # rdflib raises several kinds of parser errors
                raise CatalogueError(text("turtle.syntax", lang, problem=exc), location=Location(str(path)),
                                     hint=text("cat.restore", lang)) from exc
            texts[path.name] = data
            headers[path.name] = read_header(data)
            for s in part.subjects(unique=True):
                if not isinstance(s, BNode):
                    home.setdefault(s, path.name)
            for t in part:
                graph.add(t)
        return cls(folder, graph, home, texts, headers, lang)

    # ------------------------------------------------------------ editing
    def subject_triples(self, s: Node) -> list[tuple[Node, Node, Node]]:
        """The triples of ``s`` and of the RDF lists it points at."""
        out = list(self.graph.triples((s, None, None)))
        for _s, _p, o in list(out):
            if isinstance(o, BNode):
                out += self._list_cells(o)
        return out

    def _list_cells(self, node: Node) -> list[tuple[Node, Node, Node]]:
        cells, seen = [], set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            cells += list(self.graph.triples((node, None, None)))
            node = self.graph.value(node, RDF.rest)
        return cells

    def remove_subject(self, s: Node) -> None:
        for t in self.subject_triples(s):
            self.graph.remove(t)
        self.home.pop(s, None)

    def set_objects(self, s: Node, p: URIRef, objects: Iterable[Node]) -> None:
        """Make ``s p`` have exactly ``objects`` (old RDF lists are removed with their cells)."""
        for _s, _p, o in list(self.graph.triples((s, p, None))):
            if isinstance(o, BNode):
                for t in self._list_cells(o):
                    self.graph.remove(t)
            self.graph.remove((s, p, o))
        for o in objects:
            self.graph.add((s, p, o))

    def add_list(self, s: Node, p: URIRef, items: list[Node]) -> None:
        """Make ``s p`` an RDF list of ``items`` (replacing any old value)."""
        self.add_lists(s, p, [items] if items else [])

    def add_lists(self, s: Node, p: URIRef, lists: Iterable[Iterable[Node]]) -> None:
        """Make ``s p`` exactly the RDF lists ``lists`` (``sgm:derivableFrom``: one list a way of deriving)."""
        self.set_objects(s, p, [])
        for items in lists:
            cells = [BNode() for _ in items]
            for i, (cell, item) in enumerate(zip(cells, items)):
                self.graph.add((cell, RDF.first, item))
                self.graph.add((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
            if cells:
                self.graph.add((s, p, cells[0]))

    def file_names(self) -> list[str]:
        return sorted(self.texts)

    # ------------------------------------------------------------ writing
    def render(self) -> dict[str, str]:
        """The canonical text of every file (files that gained their first subject included)."""
        parts: dict[str, Graph] = {name: Graph() for name in self.texts}
        for s in self.graph.subjects(unique=True):
            if isinstance(s, BNode):
                continue
            name = self.home.get(s)
            if name is None:
                raise SegmentumError(f"{s} belongs to no catalogue file")  # an edit forgot to place it: a bug
            part = parts.setdefault(name, Graph())
            for t in self.subject_triples(s):
                part.add(t)
        return {name: canonical_turtle(g, self.headers.get(name, ""), lang=self.lang) for name, g in sorted(parts.items())}

    def changed(self) -> dict[str, str]:
        """Files whose canonical text differs from what was read: name -> new text."""
        return {name: t for name, t in self.render().items() if self.texts.get(name) != t}

    def diff(self, label_root: str = "catalogues") -> str:
        """A unified diff of the changed files, as ``git diff`` would show it."""
        out = []
        for name, new in self.changed().items():
            old = self.texts.get(name, "")
            out += difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=f"a/{label_root}/{name}", tofile=f"b/{label_root}/{name}")
        return "".join(out)

    def write(self) -> list[Path]:
        """Write the changed files, all or none, even if the process is killed (see ``catalogue.folder``).

        Under the folder's writer lock, and only if the files are still those that were read: a
        change made meanwhile by someone else (another command, an editor, ``git checkout``) is
        never overwritten; the write is refused instead (exit 3).
        """
        changed = self.changed()
        if not changed:
            return []
        with locked(self.folder, self.lang):
            self._check_unchanged()
            written = replace_files(self.folder, {name: data.encode("utf-8") for name, data in changed.items()}, self.lang)
        self.texts.update(changed)
        return written

    def _check_unchanged(self) -> None:
        """Refuse to write over files that differ from those read (the caller holds the lock)."""
        try:
            now = {p.name: p.read_text(encoding="utf-8") for p in sorted(self.folder.glob("*.ttl"))}
        except OSError as exc:
            raise BadInputError(text("cat.unwritable", self.lang, problem=exc.strerror or exc), location=Location(str(self.folder)),
                                hint=text("cat.unwritable_hint", self.lang)) from exc
        moved = sorted(name for name in now.keys() | self.texts.keys() if now.get(name) != self.texts.get(name))
        if moved:
            raise StoreError(text("cat.changed_meanwhile", self.lang, files=", ".join(moved)), location=Location(str(self.folder)),
                             hint=text("cat.changed_hint", self.lang))
