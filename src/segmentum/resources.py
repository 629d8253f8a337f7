"""Locate the data files that ship inside the package (ontology, catalogue, shapes, queries).

Files are found with ``importlib.resources``, so they are read the same way from a wheel, an
editable install or a checkout. SPARQL that is not compiled from a shape or a rule is a ``.rq``
file beside the module that runs it, read with ``sparql``: its header comment says what it finds,
what is bound and who reads it. Its parameters are bound as RDF terms by the store
(``store.embedded.bind``: a ``VALUES`` block), never pasted into the text; a graph to read is given
as the query's default graph.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

PACKAGE = "segmentum"


def _data_dir(name: str) -> Any:  # a Traversable
    return resources.files(PACKAGE).joinpath(name)


def _turtle_files(name: str) -> list[Path]:
    folder = _data_dir(name)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)
    # Traversables of a regular install are real paths; pyoxigraph wants paths for error locations.
    return [Path(str(f)) for f in files]


def ontology_files() -> list[Path]:
    """The ontology's Turtle files."""
    return _turtle_files("ontology")


def catalogue_dir() -> Path:
    """The folder of the attribute catalogue's Turtle files shipped with the package."""
    return Path(str(_data_dir("catalogues")))


def catalogue_files() -> list[Path]:
    """The attribute catalogue's Turtle files, in name order."""
    return _turtle_files("catalogues")


def shape_files() -> list[Path]:
    """The SHACL shapes' Turtle files."""
    return _turtle_files("shapes")


def example_profiles_dir() -> Path:
    """The folder of example profiles shipped with the package."""
    return Path(str(_data_dir("examples").joinpath("profiles")))


def example_segments_file() -> Path:
    """The example SEGMENTS file of ``segmentum prioritise`` shipped with the package."""
    return Path(str(_data_dir("examples").joinpath("segments.yaml")))


def rule_files() -> list[Path]:
    """The inference rules' Turtle files (SHACL-AF rules and suggestion rules)."""
    return _turtle_files("rules")


@cache
def sparql(path: str) -> str:
    """The text of a SPARQL file shipped in the package, by its path under the package
    (``catalogue/view-labels.rq``, ``exports/cpsv-ap.rq``); read once per process."""
    return _data_dir(path).read_text(encoding="utf-8")
