"""The data model of a loaded profile: its attribute values, statements (journey features, pains,
channels, hypotheses), prioritisation values, RDF triples and where each was written.

``profiles.reader`` makes it from YAML; prioritisation, capacity estimates, reports and the
terminal views read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from segmentum.errors import Location
from segmentum.namespaces import SGM


@dataclass
class AttributeValue:
    """One «признак – значение» as loaded."""

    attribute: str
    node: URIRef
    value: str | None = None  # a value IRI
    literal: Literal | None = None
    range: tuple[Decimal | None, Decimal | None] | None = None  # a bound is None where it is open
    excluded: tuple[bool, bool] = (False, False)  # a strict bound of a decimal («свыше 2 млрд»): not part of the range
    # a strict bound of a whole number as written («более 300»): the range holds the next number (301),
    # so the rules see the meaning; the profile shows the bound as it was written
    strict: tuple[bool, bool] = (False, False)
    written: str = ""
    location: Location | None = None


@dataclass
class Statement:
    """A journey feature, pain, channel preference or other hypothesis."""

    kind: str  # journey_feature | pain | channel | hypothesis
    node: URIRef
    text: str
    state: str
    evidence: list[str] = field(default_factory=list)
    channel: str | None = None
    purpose: str | None = None
    channel_written: str | None = None  # the channel as written; kept as the channel when the catalogue has no such channel
    location: Location | None = None


@dataclass
class LoadedProfile:
    """A profile turned into RDF, with where each statement was written."""

    id: str
    path: str
    iri: URIRef
    graph: URIRef
    title: str | None = None
    status: str | None = None
    life_situations: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    service_region: str | None = None
    service_region_written: str | None = None  # as written: a town («Тольятти») names its region
    stage: str | None = None
    attributes: list[AttributeValue] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    priority: list[tuple[str, Literal, str | None]] = field(default_factory=list)
    notes: str | None = None
    key_lang: str = "en"  # the language of the file's keys ("ru", "en"): messages quote keys in it
    unfilled: list[str] = field(default_factory=list)
    #: what the reader noticed that does not stop the profile (a channel kept as written, a name read by a close
    #: spelling): where, and the note in the reader's language; validation reports them as warnings
    reading_notes: list[tuple[Location, str]] = field(default_factory=list)
    triples: list[tuple] = field(default_factory=list)
    locations: dict[tuple[URIRef, URIRef | None], Location] = field(default_factory=dict)

    def provenance_triples(self) -> list[tuple]:
        """``sgm:SourceLocation`` records for the provenance graph."""
        out = []
        path, path_literal = None, None
        for n, ((node, prop), loc) in enumerate(sorted(self.locations.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))), 1):
            rec = URIRef(f"{self.iri}/location/{n}")
            if loc.path != path:
                path, path_literal = loc.path, Literal(loc.path)
            out += [(rec, _TYPE, _SOURCE_LOCATION), (rec, _LOCATED_NODE, node), (rec, _SOURCE_FILE, path_literal)]
            if prop is not None:
                out.append((rec, _LOCATED_PROPERTY, prop))
            if loc.line is not None:
                out.append((rec, _SOURCE_LINE, _number(loc.line)))
            if loc.column is not None:
                out.append((rec, _SOURCE_COLUMN, _number(loc.column)))
        return out


_TYPE, _SOURCE_LOCATION, _LOCATED_NODE, _SOURCE_FILE = RDF.type, SGM.SourceLocation, SGM.locatedNode, SGM.sourceFile
_LOCATED_PROPERTY, _SOURCE_LINE, _SOURCE_COLUMN = SGM.locatedProperty, SGM.sourceLine, SGM.sourceColumn


@lru_cache(maxsize=4096)
def _number(n: int) -> Literal:
    """A line or column number as a literal (the same few numbers come back in every profile)."""
    return Literal(n)
