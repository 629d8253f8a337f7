"""How much of the catalogue's sources is checked against the text of the act or form: told by
``segmentum catalogue check`` after its findings, as information, not as a violation.

A source here is an article of a legal act, a field of a form, or the act or form itself (the
catalogue shapes require ``sgm:needsReview true`` on exactly those of them without
``sgm:checkedAgainst``). Three figures: the share of checked sources among all of them; among
those that attributes (``sgm:hasSource``) and the shipped rules (``sgm:justification``) cite; and,
for each main attribute of the methodology's template, whether one of its sources is checked.
The methodology's own provisions and the experts' table are not acts or forms and are not counted.
The queries are ``source-checks.rq`` and ``main-attribute-checks.rq`` beside this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import CATALOGUE_GRAPH, ONTOLOGY_GRAPH, SGM
from segmentum.resources import sparql
from segmentum.store.embedded import Store, file_triples

#: the statuses in the order the methodology gives them: the template's main attributes are listed so
_STATUS_ORDER = {"citizen": 0, "business": 1, "internal": 2}


@dataclass(frozen=True)
class MainAttribute:
    """A main attribute of the template, and whether one of its sources is checked."""

    iri: str
    label: str
    checked: bool


@dataclass
class SourceChecks:
    """The sources, which of them are checked, which are cited, and the template's main attributes."""

    sources: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    cited: set[str] = field(default_factory=set)
    main: list[MainAttribute] = field(default_factory=list)

    @property
    def cited_checked(self) -> set[str]:
        return self.cited & self.checked

    def lines(self, lang: Lang) -> str:
        """Two lines for the end of the check's text report."""
        shares = text("check.sources", lang, checked=len(self.checked), total=len(self.sources), percent=percent(len(self.checked), len(self.sources)),
                      cited_checked=len(self.cited_checked), cited=len(self.cited), cited_percent=percent(len(self.cited_checked), len(self.cited)))
        without = [m.label for m in self.main if not m.checked]
        main = text("check.main_some" if without else "check.main_all", lang, checked=len(self.main) - len(without), total=len(self.main),
                    without=", ".join(without))
        return f"{shares}\n{main}\n"

    def as_json(self) -> dict:
        """The figures for the check's JSON report (documented in docs/validation.md)."""
        return {
            "total": len(self.sources),
            "checked": len(self.checked),
            "percent": percent(len(self.checked), len(self.sources)),
            "cited": {"total": len(self.cited), "checked": len(self.cited_checked), "percent": percent(len(self.cited_checked), len(self.cited))},
            "unchecked_cited": sorted(self.cited - self.checked),
            "main_attributes": [{"attribute": m.iri, "label": m.label, "checked_source": m.checked} for m in self.main],
        }


def percent(part: int, whole: int) -> int:
    """The whole per cent ``part`` is of ``whole``, rounded down: 89.9 % is not yet 90 %."""
    return part * 100 // whole if whole else 0


def rule_citations(rule_files: Iterable[Path]) -> set[str]:
    """What the rules in ``rule_files`` cite as their justification."""
    return {str(o) for path in rule_files for _, p, o in file_triples(path) if p == SGM.justification and isinstance(o, URIRef)}


def source_checks(store: Store, rule_files: Iterable[Path], lang: Lang) -> SourceChecks:
    """The sources of the catalogue in ``store`` and their checks; the rules cite what ``rule_files`` justify by."""
    graphs = [ONTOLOGY_GRAPH, CATALOGUE_GRAPH]
    out = SourceChecks()
    for row in store.select(sparql("catalogue/source-checks.rq"), default_graphs=graphs):
        source = str(row["source"])
        out.sources.add(source)
        if row["checked"].toPython() is True:
            out.checked.add(source)
        if row.get("attribute") is not None:
            out.cited.add(source)
    out.cited |= rule_citations(rule_files) & out.sources
    rows = store.select(sparql("catalogue/main-attribute-checks.rq"), bindings={"lang": Literal(lang.value)}, default_graphs=graphs)
    rows.sort(key=lambda r: (_STATUS_ORDER.get(str(r["status"]).rsplit("/", 1)[-1], len(_STATUS_ORDER)), str(r["status"]), int(r["position"])))
    seen: set[str] = set()
    for row in rows:
        iri = str(row["attribute"])
        if iri not in seen:
            seen.add(iri)
            label = str(row["label"]) if row.get("label") is not None else iri.rsplit("/", 1)[-1]
            out.main.append(MainAttribute(iri, label, row["checked"].toPython() is True))
    return out
