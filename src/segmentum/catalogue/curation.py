"""Edit the catalogue from the command line: add an attribute or a value, deprecate a value.

Every edit needs a source (an article of a legal act, or a field of a form, or an existing source)
and is made on ``CatalogueFiles``; before anything is written, the catalogue shapes
(``shapes/catalogue.ttl``) run on the edited catalogue, and an edit that breaks them is refused
with the findings. Files are rewritten canonically, so ``git diff`` shows only the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from segmentum.catalogue.files import CatalogueFiles
from segmentum.catalogue.labels import normalize
from segmentum.catalogue.table_import import Change
from segmentum.catalogue.view import Catalogue, LookupFailure
from segmentum.errors import BadInputError, ExitCode, SegmentumError
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import (
    ATTR,
    CATALOGUE_GRAPH,
    ONTOLOGY_GRAPH,
    SGM,
    SRC,
    VAL,
    VS,
)
from segmentum.resources import ontology_files
from segmentum.store.embedded import OxigraphStore
from segmentum.validation.validate import Engine, ValidationReport, check_catalogue

_LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
DATATYPES = ("integer", "decimal", "boolean", "date", "string")


def candidate_store(files: CatalogueFiles) -> OxigraphStore:
    """An in-memory store with the ontology and the edited (not yet written) catalogue."""
    store = OxigraphStore()
    for path in ontology_files():
        store.load_file(path, graph=ONTOLOGY_GRAPH)
    store.replace_graph(CATALOGUE_GRAPH, iter(files.graph))
    return store


def check_files(files: CatalogueFiles, lang: Lang, engine: Engine = Engine.SPARQL) -> ValidationReport:
    """Run the catalogue shapes on the edited catalogue."""
    store = candidate_store(files)
    try:
        return check_catalogue(store, engine, lang)
    finally:
        store.close()


class ChangeRefused(SegmentumError):
    """The edited catalogue does not pass the catalogue shapes; nothing was written (exit 1)."""

    exit_code = ExitCode.VIOLATIONS

    def __init__(self, report: ValidationReport, lang: Lang) -> None:
        super().__init__(text("cat.refused", lang))
        self.report = report
        self.lang = lang

    def render(self, lang: Lang) -> str:
        from segmentum.validation.report import ReportFormat, render_report

        return render_report(self.report, ReportFormat.TEXT, self.lang).rstrip("\n") + "\n" + super().render(lang)


@dataclass
class Outcome:
    """What an import or an edit did or would do."""

    diff: str
    written: list[str]
    changed_files: list[str]


def finish(files: CatalogueFiles, lang: Lang, *, write: bool) -> Outcome:
    """Check the edited catalogue with the shapes, then write it (if ``write``), all files or none."""
    changed = files.changed()
    if changed:
        report = check_files(files, lang)
        if not report.conforms:
            raise ChangeRefused(report, lang)
    diff = files.diff()
    written = [str(p) for p in files.write()] if write and changed else []
    return Outcome(diff, written, sorted(changed))


# ---------------------------------------------------------------- sources

@dataclass
class SourceSpec:
    """What the user gave as the source of an edit."""

    act: str | None = None
    article: str | None = None
    form: str | None = None
    field_ref: str | None = None
    source: str | None = None

    def given(self) -> list[str]:
        return [k for k, v in (("act", self.act or self.article), ("form", self.form or self.field_ref), ("source", self.source)) if v]


@dataclass
class Curator:
    """Edits on the catalogue files, with lookups of what the user names."""

    files: CatalogueFiles
    lang: Lang = Lang.RU
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        store = candidate_store(self.files)
        self.catalogue = Catalogue(store)
        store.close()

    def _resolve(self, kind: str, value: str) -> URIRef:
        try:
            return URIRef(self.catalogue.resolve(kind, value, self.lang))
        except LookupFailure as exc:
            raise exc.as_error(text(f"kind.{kind}", self.lang), self.lang, local_id=self.catalogue.local_id) from None

    def _new_id(self, namespace, ident: str, kind: str) -> URIRef:
        if not _LOCAL.match(ident) or ident.endswith("-"):
            raise BadInputError(text("table.bad_id", self.lang, value=ident), hint=text("id_hint", self.lang))
        iri = URIRef(namespace + ident)
        if iri in self.files.home:
            raise BadInputError(text("cat.exists", self.lang, kind=text(f"kind.{kind}", self.lang), value=ident),
                                hint=text("cat.exists_hint", self.lang))
        return iri

    def source(self, spec: SourceSpec) -> URIRef:
        """The source an edit cites: an existing one, or a new provision of a known act."""
        given = spec.given()
        if not given:
            raise BadInputError(text("cat.need_source", self.lang))
        if len(given) > 1:
            raise BadInputError(text("cat.one_source", self.lang))
        g = self.files.graph
        if spec.source:
            iri = URIRef(SRC + spec.source.removeprefix("src:"))
            if not any((iri, RDF.type, t) in g for t in (SGM.LegalProvision, SGM.FormField, SGM.ExpertTableEntry, SGM.MethodologyProvision)):
                raise BadInputError(text("cat.unknown_source", self.lang, value=spec.source))
            return iri
        if spec.act or spec.article:
            if not (spec.act and spec.article):
                raise BadInputError(text("cat.need_source", self.lang))
            act = self._resolve("act", spec.act)
            article = " ".join(spec.article.split())
            for s in sorted(g.subjects(SGM.legalAct, act), key=str):
                if any(normalize(str(a)) == normalize(article) for a in g.objects(s, SGM.article)):
                    return s
            number = re.sub(r"[^0-9A-Za-z]+", "-", article.replace("ст.", "").replace("п.", "p")).strip("-").lower() or "x"
            ident = f"art-{self.catalogue.local_id(act)}-{number}"
            iri, n = URIRef(SRC + ident), 2
            while iri in self.files.home:
                iri, n = URIRef(SRC + f"{ident}-{n}"), n + 1
            g.add((iri, RDF.type, SGM.LegalProvision))
            g.add((iri, SGM.legalAct, act))
            g.add((iri, SGM.article, Literal(article)))
            g.add((iri, SGM.needsReview, Literal(True)))
            self.files.home[iri] = "sources.ttl"
            self.changes.append(Change("added", "sources", iri, f"{self.catalogue.label(act, self.lang)}, {article}"))
            return iri
        if not (spec.form and spec.field_ref):
            raise BadInputError(text("cat.need_source", self.lang))
        form = self._resolve("form", spec.form)
        fields = sorted(g.subjects(SGM.form, form), key=str)
        wanted = normalize(spec.field_ref)
        for s in fields:
            refs = [normalize(str(o)) for p in (SGM.fieldRef, SGM.fieldLabel) for o in g.objects(s, p)]
            if wanted in refs or wanted == normalize(self.catalogue.local_id(s)):
                return s
        def russian(s, p):  # the form's own wording, not its English rendering
            return next((o for o in sorted(g.objects(s, p)) if getattr(o, "language", None) != "en"), None)

        listing = [f"{russian(s, SGM.fieldRef)} {russian(s, SGM.fieldLabel)}" for s in fields]
        raise BadInputError(text("cat.unknown_field", self.lang, form=self.catalogue.label(form, self.lang), value=spec.field_ref),
                            hint=text("cat.fields_hint", self.lang, fields="; ".join(listing)) if listing else None)

    # ------------------------------------------------------------ edits
    def add_attribute(self, ident: str, *, label_ru: str, label_en: str, definition_ru: str, definition_en: str,
                      statuses: list[str], source: SourceSpec, scheme: str | None = None, datatype: str | None = None,
                      minimum: str | None = None, maximum: str | None = None, unit: str | None = None,
                      alt_labels: list[str] = (), multi_valued: bool = False, file: str | None = None) -> URIRef:
        """A new attribute; without --scheme and --datatype it gets a new empty value scheme of its own."""
        iri = self._new_id(ATTR, ident, "attribute")
        if scheme and datatype:
            raise BadInputError(text("cat.scheme_or_datatype", self.lang))
        status_iris = [self._resolve("status", s) for s in statuses]
        src = self.source(source)
        g = self.files.graph
        g.add((iri, RDF.type, SGM.Attribute))
        g.add((iri, SKOS.prefLabel, Literal(label_ru, lang="ru")))
        g.add((iri, SKOS.prefLabel, Literal(label_en, lang="en")))
        for alt in alt_labels:
            g.add((iri, SKOS.altLabel, Literal(alt, lang="ru")))
        g.add((iri, SKOS.definition, Literal(definition_ru, lang="ru")))
        g.add((iri, SKOS.definition, Literal(definition_en, lang="en")))
        for st in status_iris:
            g.add((iri, SGM.appliesToStatus, st))
        g.add((iri, SGM.hasSource, src))
        if multi_valued:
            g.add((iri, SGM.multiValued, Literal(True)))
        if datatype:
            g.add((iri, SGM.datatype, XSD[datatype]))
            for p, v in ((SGM.minInclusive, minimum), (SGM.maxInclusive, maximum)):
                if v is not None:
                    g.add((iri, p, _number(v, self.lang)))
            if unit:
                g.add((iri, SGM.unit, Literal(unit, lang="ru")))
        if scheme:
            scheme_iri = self._resolve("scheme", scheme)
        elif not datatype:
            scheme_iri = self._new_id(VS, ident, "scheme")
            g.add((scheme_iri, RDF.type, SGM.ValueScheme))
            g.add((scheme_iri, SKOS.prefLabel, Literal(label_ru, lang="ru")))
            g.add((scheme_iri, SKOS.prefLabel, Literal(label_en, lang="en")))
        else:
            scheme_iri = None
        if scheme_iri is not None:
            g.add((iri, SGM.valueScheme, scheme_iri))
        names = [self.catalogue.local_id(s) for s in status_iris]
        home = file or (f"attributes-{names[0]}.ttl" if len(names) == 1 else "attributes-core.ttl")
        home = home if home.endswith(".ttl") else home + ".ttl"
        if home not in self.files.texts:
            raise BadInputError(text("table.bad_file", self.lang, value=home.removesuffix(".ttl"), column="--file"),
                                hint=text("table.one_of", self.lang, options=quoted_list([n.removesuffix(".ttl") for n in self.files.file_names()], self.lang)))
        self.files.home[iri] = home
        if scheme_iri is not None and scheme_iri not in self.files.home:
            self.files.home[scheme_iri] = home
            self.changes.append(Change("added", "schemes", scheme_iri, label_ru))
        self.changes.append(Change("added", "attributes", iri, label_ru))
        return iri

    def add_value(self, attribute: str, ident: str, *, label_ru: str, label_en: str, source: SourceSpec,
                  code: str | None = None, alt_labels: list[str] = ()) -> URIRef:
        """A new value in the value scheme of ``attribute``."""
        attr = self._resolve("attribute", attribute)
        info = self.catalogue.attributes[str(attr)]
        if not info.scheme:
            raise BadInputError(text("cat.no_scheme", self.lang, attribute=self.catalogue.label(attr, self.lang),
                                     datatype=str(info.datatype or "").rsplit("#", 1)[-1]))
        iri = self._new_id(VAL, ident, "value_any")
        src = self.source(source)
        scheme = URIRef(info.scheme)
        g = self.files.graph
        g.add((iri, RDF.type, SGM.AttributeValue))
        g.add((iri, SKOS.inScheme, scheme))
        g.add((iri, SKOS.prefLabel, Literal(label_ru, lang="ru")))
        g.add((iri, SKOS.prefLabel, Literal(label_en, lang="en")))
        for alt in alt_labels:
            g.add((iri, SKOS.altLabel, Literal(alt, lang="ru")))
        if code:
            g.add((iri, SKOS.notation, Literal(code)))
        g.add((iri, SGM.hasSource, src))
        self.files.home[iri] = self.files.home.get(scheme) or self.files.home[attr]
        self.changes.append(Change("added", "values", iri, label_ru))
        return iri

    def find_value(self, value: str, attribute: str | None = None) -> URIRef:
        """A value named by its identifier, or by its label (within ``attribute`` if given)."""
        if attribute:
            attr = self._resolve("attribute", attribute)
            try:
                return URIRef(self.catalogue.resolve_value(str(attr), value, self.lang))
            except LookupFailure as exc:
                kind = text("kind.value", self.lang, attribute=self.catalogue.label(attr, self.lang))
                raise exc.as_error(kind, self.lang, local_id=self.catalogue.local_id) from None
        ident = value.removeprefix("val:")
        if URIRef(VAL + ident) in self.catalogue.values or str(VAL + ident) in self.catalogue.values:
            return URIRef(VAL + ident)
        wanted = normalize(value)
        hits = sorted(v for v in self.catalogue.values if any(normalize(x) == wanted for x in self.catalogue.labels.get(v, [])))
        if len(hits) == 1:
            return URIRef(hits[0])
        kind = text("kind.value_any", self.lang)
        if hits:
            options = quoted_list([f"{self.catalogue.label(h, self.lang)} ({self.catalogue.local_id(h)})" for h in hits], self.lang)
            raise BadInputError(text("ambiguous", self.lang, text=value, kind=kind, options=options), hint=text("write_exact", self.lang))
        raise BadInputError(text("unknown", self.lang, text=value, kind=kind), hint=text("value_of_which", self.lang))

    def deprecate(self, value: str, replaced_by: list[str], *, source: SourceSpec, attribute: str | None = None) -> URIRef:
        """Mark a value deprecated, replaced by other values of the same scheme."""
        iri = self.find_value(value, attribute)
        g = self.files.graph
        if (iri, OWL.deprecated, Literal(True)) in g:
            raise BadInputError(text("cat.already_deprecated", self.lang, value=self.catalogue.label(iri, self.lang)))
        scheme = g.value(iri, SKOS.inScheme)
        replacements = []
        for r in replaced_by:
            rep = self.find_value(r, attribute)
            if rep == iri:
                raise BadInputError(text("cat.self_replacement", self.lang))
            if g.value(rep, SKOS.inScheme) != scheme:
                raise BadInputError(text("cat.other_scheme", self.lang, value=self.catalogue.label(rep, self.lang),
                                         scheme=self.catalogue.label(g.value(rep, SKOS.inScheme), self.lang)),
                                    hint=text("cat.same_scheme_hint", self.lang))
            replacements.append(rep)
        src = self.source(source)
        g.add((iri, OWL.deprecated, Literal(True)))
        for rep in replacements:
            g.add((iri, DCTERMS.isReplacedBy, rep))
        g.add((iri, SGM.hasSource, src))
        self.changes.append(Change("changed", "values", iri, self.catalogue.label(iri, self.lang),
                                   [text("deprecated", self.lang,
                                         replacement=quoted_list([self.catalogue.label(r, self.lang) for r in replacements], self.lang))]))
        return iri

    def add_source(self, attribute: str, *, source: SourceSpec) -> URIRef:
        """One more source of an attribute: an article of an act or a field of a form (a new provision if needed), or an existing source."""
        attr = self._resolve("attribute", attribute)
        src = self.source(source)
        g = self.files.graph
        if (attr, SGM.hasSource, src) in g:
            raise BadInputError(text("cat.has_source", self.lang, attribute=self.catalogue.label(attr, self.lang)))
        g.add((attr, SGM.hasSource, src))
        self.changes.append(Change("changed", "attributes", attr, self.catalogue.label(attr, self.lang),
                                   [text("cat.source_added", self.lang)]))
        return attr


def _number(value: str, lang: Lang) -> Literal:
    v = value.strip()
    if re.fullmatch(r"[+-]?\d+", v):
        return Literal(str(int(v)), datatype=XSD.integer)
    if re.fullmatch(r"[+-]?\d*[.,]\d+", v):
        return Literal(v.replace(",", "."), datatype=XSD.decimal)
    raise BadInputError(text("bad_integer", lang, value=value))
