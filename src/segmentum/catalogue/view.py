"""A read view of the ontology and the attribute catalogue, built by SPARQL from the store.

``Catalogue`` answers what the loader and the commands need: labels in a language, the attributes
with their value schemes, bands and sources, and label lookup («did you mean») for every kind of
item a methodologist may name in a profile. It reads through the ``Store`` interface only, so it
works the same over the embedded store and a remote endpoint.
"""

from __future__ import annotations

import difflib
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from segmentum.catalogue.labels import CACHED_INDEX, MAX_NAME, Candidate, LabelIndex, broadest, cached_index, key_words, normalize
from segmentum.catalogue.lemmas import DictionaryForms, in_dictionary, normal_forms
from segmentum.catalogue.settlements import SettlementIndex, Town, town_key
from segmentum.catalogue.values import YES_NO_WORDS
from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import SGM
from segmentum.resources import sparql
from segmentum.store.embedded import Store

#: a word the dictionary may know (normalized: «е» for «ё»)
_CYRILLIC_WORD = re.compile(r"[а-я]+")

#: kind of item → the class its members have
KIND_CLASSES: dict[str, URIRef] = {
    "status": SGM.ClientStatus,
    "life_situation": SGM.LifeSituation,
    "service": SGM.Service,
    "channel": SGM.Channel,
    "attribute": SGM.Attribute,
    "stage": SGM.ProfilingStage,
    "state": SGM.HypothesisState,
    "criterion": SGM.PrioritisationCriterion,
    "rating": SGM.RatingLevel,
    "purpose": SGM.ChannelPurpose,
    "act": SGM.LegalAct,
    "form": SGM.ApplicationForm,
    "function_kind": SGM.FunctionKind,
    "scheme": SGM.ValueScheme,
}

#: the key of the towns' index among ``Catalogue.stored_indexes``
TOWNS_KEY = "towns"


def _sets() -> defaultdict[str, set[str]]:
    return defaultdict(set)


def index_key(kind: str, lang: Lang | str, status: str | None) -> str:
    """The key of a label index: its kind of item, the language of its labels, the status it is limited to."""
    return f"{kind}|{lang.value if isinstance(lang, Lang) else lang}|{status}"


@dataclass(frozen=True)
class SourceRef:
    """Where an attribute comes from: an article of an act, a form field, or the expert table."""

    iri: str
    kind: str  # "article" | "field" | "expert"
    document: str | None = None  # the act or form IRI
    ref: str | None = None  # article («ст. 4») or field reference («п. 8»)
    field_label: str | None = None
    needs_review: bool = False
    ref_en: str | None = None  # the field reference in English, where the catalogue gives one


@dataclass
class ValueInfo:
    """One value of a value scheme."""

    iri: str
    scheme: str
    band: tuple[Decimal, Decimal] | None = None
    order: Decimal | None = None  # a natural order where the scheme has one (e.g. headcount)
    deprecated: bool = False
    replaced_by: list[str] = field(default_factory=list)
    broader: str | None = None  # the value one level up in its own scheme (ОКВЭД2 47.11 → 47.1)


@dataclass
class AttributeInfo:
    """An attribute of the catalogue with what validation and display need."""

    iri: str
    statuses: list[str] = field(default_factory=list)
    scheme: str | None = None
    band_schemes: list[str] = field(default_factory=list)
    datatype: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str | None = None  # in Russian
    units: dict[str, str] = field(default_factory=dict)  # language -> unit («руб.», «RUB»)
    multi_valued: bool = False
    sources: list[str] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    #: what the rules derive it from (``sgm:derivableFrom``): each list all together, any of the lists
    derivable_from: list[list[str]] = field(default_factory=list)
    #: the kinds of service it belongs to (``sgm:appliesToServiceKind``; empty: any)
    service_kinds: list[str] = field(default_factory=list)

    def unit_in(self, lang: Lang) -> str | None:
        """The unit in ``lang``, else in Russian."""
        return self.units.get(lang.value if isinstance(lang, Lang) else str(lang)) or self.unit

    @property
    def numeric(self) -> bool:
        return self.datatype in (str(XSD.integer), str(XSD.decimal))


class LookupFailure(LookupError):
    """A text matched no catalogue item, or several; carries what to offer the user."""

    def __init__(self, kind: str, text: str, suggestions: list[Candidate], ambiguous: list[Candidate] | None = None,
                 *, choices: list[str] | None = None, command: str | None = None, towns: list[Town] | None = None):
        super().__init__(text)
        self.kind = kind
        self.text = text
        self.suggestions = suggestions
        self.ambiguous = ambiguous or []
        self.choices = choices or []  # every allowed name, when there are few (the values of a short scheme)
        self.command = command  # the command that lists the allowed names, when it is not the kind's usual one
        self.other_attribute: str | None = None  # the label of another attribute whose value the text is
        self.towns = towns or []  # towns of several regions that share the name written («Мирный»)
        self.group: str | None = None  # the label of the group of values the text names («НКО»: the non-profit forms)

    def as_error(self, kind_label: str, lang: Lang, *, location: Location | None = None,
                 error: type[BadInputError] = BadInputError, local_id=lambda iri: iri.rsplit("/", 1)[-1]) -> BadInputError:
        """The error a user sees: unknown (with «did you mean») or ambiguous (with every match)."""
        if self.towns:  # «Мирный»: a town of Arkhangelsk Oblast and one of Yakutia
            options = quoted_list([c.label for c in self.ambiguous], lang)
            return error(text("ambiguous_town", lang, text=self.text, options=options), location=location, hint=text("write_region", lang))
        if self.ambiguous:
            options = quoted_list([f"{c.label} ({local_id(c.iri)})" for c in self.ambiguous], lang)
            return error(text("ambiguous", lang, text=self.text, kind=kind_label, options=options), location=location, hint=text("write_exact", lang))
        if self.group:
            hint = text("group_of_values", lang, text=self.text, group=self.group, options=", ".join(f"«{c}»" for c in self.choices),
                        command=self.command)
        elif self.other_attribute:
            hint = text("value_of_other_attribute", lang, text=self.text, attribute=self.other_attribute)
        elif self.suggestions:
            hint = text("did_you_mean", lang, options=quoted_list([c.label for c in self.suggestions], lang))
        elif self.choices:
            hint = text("allowed", lang, options=", ".join(f"«{c}»" for c in self.choices))
        else:
            command = self.command or LIST_COMMANDS.get("scheme" if self.kind.startswith("scheme:") else self.kind)
            hint = text("see_list", lang, command=command) if command else None
        return error(text("unknown", lang, text=self.text, kind=kind_label), location=location, hint=hint)


def code_short_names(title: str) -> list[str]:
    """The short names of a code of law, as official texts cite it: «Трудовой кодекс Российской Федерации» →
    «ТК РФ»; «Гражданский кодекс … (часть первая)» → «ГК РФ (ч. первая)», «ГК РФ (часть первая)»; the first
    is how segmentum writes it."""
    words = title.split()
    if len(words) < 2:
        return []
    short = f"{words[0][0]}{words[1][0]}".upper() + " РФ"
    part = re.search(r"\(часть (\w+)\)", title)
    if not part:
        return [short]
    return [f"{short} (ч. {part.group(1)})", f"{short} (часть {part.group(1)})", f"{short} ч. {part.group(1)}"]


def text_town(region: str, town: str, lang: Lang) -> str:
    """A region with the town that was written for it: «г. Мирный, Архангельская область»."""
    return text("region_of_town", lang, region=region, town=town)


#: where a user finds the names of each kind of item
LIST_COMMANDS = {
    "status": "segmentum catalogue terms statuses",
    "life_situation": "segmentum catalogue terms life-situations",
    "service": "segmentum catalogue terms services",
    "channel": "segmentum catalogue terms channels",
    "stage": "segmentum catalogue terms stages",
    "criterion": "segmentum catalogue terms criteria",
    "act": "segmentum catalogue terms acts",
    "form": "segmentum catalogue terms forms",
    "function_kind": "segmentum catalogue terms function-kinds",
    "attribute": "segmentum catalogue list",
    "scheme": "segmentum catalogue list",
}

#: a scheme with at most this many values lists them all in the error
_FEW_VALUES = 12


class Catalogue:
    """Labels, attributes, values and sources of the loaded ontology and catalogue."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pref: dict[str, dict[str, str]] = defaultdict(dict)  # iri -> lang -> prefLabel
        self.labels: dict[str, list[str]] = defaultdict(list)  # iri -> all labels and notations
        self.notation: dict[str, str] = {}
        self.types: dict[str, set[str]] = defaultdict(set)
        for row in store.select(sparql("catalogue/view-labels.rq")):
            iri, prop, label = str(row["item"]), str(row["prop"]), row["label"]
            self.types[iri].add(str(row["type"]))
            self.labels[iri].append(str(label))
            if prop.endswith("prefLabel") and isinstance(label, Literal) and label.language:
                self.pref[iri][label.language] = str(label)
            if prop.endswith("notation"):
                self.notation[iri] = str(label)
        #: region IRI -> the names of its administrative centre («Екатеринбург», «Yekaterinburg»); the centre and the
        #: region's other towns (``sgm:settlement``) name the region too, see ``towns``
        self.centres: dict[str, list[str]] = defaultdict(list)
        self.centre_label: dict[str, dict[str, str]] = defaultdict(dict)  # region IRI -> lang -> centre
        for row in store.select(sparql("catalogue/view-centres.rq")):
            self.centres[str(row["region"])].append(str(row["centre"]))
            if isinstance(row["centre"], Literal) and row["centre"].language:
                self.centre_label[str(row["region"])][row["centre"].language] = str(row["centre"])
        self.settlements: dict[str, list[str]] = defaultdict(list)  # region IRI -> its towns («Сочи», «Армавир» …)
        for row in store.select(sparql("catalogue/view-settlements.rq")):
            self.settlements[str(row["region"])].append(str(row["town"]))
        self._towns: SettlementIndex | None = None
        self.acts: dict[str, tuple[str, str, str]] = {
            str(r["act"]): (str(r["kind"]), str(r["number"]), str(r["title"])) for r in store.select(sparql("catalogue/view-acts.rq"))
        }
        self.applies: dict[str, list[str]] = defaultdict(list)
        for row in store.select(sparql("catalogue/view-applies.rq")):
            self.applies[str(row["x"])].append(str(row["status"]))
        self.purposes: dict[str, set[str]] = defaultdict(set)
        for row in store.select(sparql("catalogue/view-purposes.rq")):
            self.purposes[str(row["channel"])].add(str(row["purpose"]))
        self.values: dict[str, ValueInfo] = {}
        self.scheme_values: dict[str, list[str]] = defaultdict(list)
        self._load_values()
        self.sources: dict[str, SourceRef] = {}
        self._load_sources()
        self.attributes: dict[str, AttributeInfo] = {}
        self._load_attributes()
        self.main_attributes: dict[str, list[str]] = defaultdict(list)
        rows = sorted(store.select(sparql("catalogue/view-main-attributes.rq")), key=lambda r: int(r["position"]))
        for row in rows:
            self.main_attributes[str(row["status"])].append(str(row["attribute"]))
        self.life_situation_links: dict[str, dict[str, set[str]]] = defaultdict(_sets)
        for row in store.select(sparql("catalogue/view-life-situation-links.rq")):
            links = self.life_situation_links[str(row["ls"])]
            for key in ("service", "act", "form"):
                if key in row:
                    links[key].add(str(row[key]))
        self.service_documents: dict[str, set[str]] = defaultdict(set)  # service IRI -> the forms and acts it names
        for row in store.select(sparql("catalogue/view-service-documents.rq")):
            self.service_documents[str(row["service"])].add(str(row["document"]))
        self.collections: dict[str, list[str]] = defaultdict(list)  # a named group of values (skos:Collection) -> its members
        for row in store.select(sparql("catalogue/view-collections.rq")):
            self.collections[str(row["collection"])].append(str(row["member"]))
        #: the claims the acts do not support: (pattern, {language: what the act says}, the services or life situations
        #: where they are false — none: everywhere), as the profile check reads them
        claims: dict[str, tuple[str, dict[str, str], set[str]]] = {}
        for row in store.select(sparql("catalogue/view-claims.rq")):
            claim = claims.setdefault(str(row["claim"]), (str(row["pattern"]), {}, set()))
            claim[1][row["correction"].language or "ru"] = str(row["correction"])
            if "scope" in row:
                claim[2].add(str(row["scope"]))
        self.claims = list(claims.values())
        self._indexes: dict[str, LabelIndex] = {}
        #: label indexes made before and kept (``catalogue.cached``): index key -> the pickled index, read when first searched
        self.stored_indexes: dict[str, bytes] = {}
        self._scheme_keys: dict[str, frozenset[str]] = {}
        #: the dictionary's case forms of the labels' words, learned as the indexes are first searched by them
        self.word_forms = DictionaryForms()

    # ------------------------------------------------------------ loading
    def _load_values(self) -> None:
        for row in self.store.select(sparql("catalogue/view-values.rq")):
            iri = str(row["v"])
            info = self.values.get(iri)
            if info is None:
                info = self.values[iri] = ValueInfo(iri, str(row["scheme"]))
                self.scheme_values[info.scheme].append(iri)
            if "min" in row and "max" in row:
                info.band = (Decimal(str(row["min"])), Decimal(str(row["max"])))
            if "minEmployees" in row:
                info.order = Decimal(str(row["minEmployees"]))
            if row.get("deprecated") is not None and str(row["deprecated"]) in ("true", "1"):
                info.deprecated = True
            if "replacement" in row and str(row["replacement"]) not in info.replaced_by:
                info.replaced_by.append(str(row["replacement"]))
        for row in self.store.select(sparql("catalogue/view-broader.rq")):
            if str(row["v"]) in self.values:
                self.values[str(row["v"])].broader = str(row["broader"])
        for iris in self.scheme_values.values():
            iris.sort(key=self._value_order)
        for info in self.values.values():
            info.replaced_by.sort(key=lambda r: self._value_order(r) if r in self.values else (Decimal(0), (), r))

    def _value_order(self, iri: str) -> tuple:
        """Bands by their lower bound, coded values by code, the rest by Russian label."""
        info = self.values[iri]
        band = info.band[0] if info.band else info.order if info.order is not None else Decimal(0)
        code = self.notation.get(iri, "")
        key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p)
        return (band, key, self.label(iri).casefold())

    def _load_sources(self) -> None:
        for row in self.store.select(sparql("catalogue/view-sources.rq")):
            t = str(row["type"])
            kind = "article" if t.endswith("LegalProvision") else "field" if t.endswith("FormField") else "expert"
            self.sources[str(row["s"])] = SourceRef(
                iri=str(row["s"]),
                kind=kind,
                document=str(row.get("act") or row.get("form") or "") or None,
                ref=str(row.get("article") or row.get("fieldRef") or "") or None,
                field_label=str(row["fieldLabel"]) if "fieldLabel" in row else None,
                needs_review=str(row.get("review", "false")) in ("true", "1"),
                ref_en=str(row["fieldRefEn"]) if "fieldRefEn" in row else None,
            )

    def _load_attributes(self) -> None:
        for row in self.store.select(sparql("catalogue/view-attributes.rq")):
            iri, p, o = str(row["a"]), row["p"], row["o"]
            info = self.attributes.setdefault(iri, AttributeInfo(iri))
            if p == SGM.appliesToStatus:
                info.statuses.append(str(o))
            elif p == SGM.appliesToServiceKind:
                info.service_kinds.append(str(o))
            elif p == SGM.valueScheme:
                info.scheme = str(o)
            elif p == SGM.bandScheme:
                info.band_schemes.append(str(o))
            elif p == SGM.datatype:
                info.datatype = str(o)
            elif p == SGM.minInclusive:
                info.minimum = Decimal(str(o))
            elif p == SGM.maxInclusive:
                info.maximum = Decimal(str(o))
            elif p == SGM.unit:
                language = o.language if isinstance(o, Literal) and o.language else "ru"
                info.units[language] = str(o)
                if language == "ru" or info.unit is None:
                    info.unit = str(o)
            elif p == SGM.multiValued:
                info.multi_valued = str(o) in ("true", "1")
            elif p == SGM.hasSource:
                info.sources.append(str(o))
            elif str(p).endswith("#definition") and isinstance(o, Literal) and o.language:
                info.definitions[o.language] = str(o)
        lists: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in self.store.select(sparql("catalogue/view-derivable-from.rq")):
            lists[(str(row["attribute"]), str(row["list"]))].append(str(row["member"]))
        for (attribute, _), members in sorted(lists.items()):
            if attribute in self.attributes:
                self.attributes[attribute].derivable_from.append(sorted(members))
        for info in self.attributes.values():
            info.statuses.sort()
            info.sources.sort(key=lambda s: (self.sources[s].kind if s in self.sources else "z", s))
            info.band_schemes.sort()
            info.service_kinds.sort()

    # ------------------------------------------------------------ labels
    def label(self, iri: str | URIRef, lang: Lang = Lang.RU) -> str:
        """The preferred label in ``lang``, else in Russian, else the IRI's last part."""
        code = lang.value if isinstance(lang, Lang) else lang
        labels = self.pref.get(str(iri), {})
        return labels.get(code) or labels.get("ru") or labels.get("en") or str(iri).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    @property
    def towns(self) -> SettlementIndex:
        """The towns that name their region: administrative centres (in every language) and the other towns."""
        if self._towns is None and TOWNS_KEY in self.stored_indexes:
            self._towns = pickle.loads(self.stored_indexes.pop(TOWNS_KEY))
            self._towns.forms = self.word_forms
        if self._towns is None:
            self._towns = SettlementIndex(forms=self.word_forms)
            for region in sorted(set(self.centres) | set(self.settlements)):
                self._towns.add(region, self.centres.get(region, []), centre=True)
                centres = {town_key(n) for n in self.centres.get(region, [])}
                self._towns.add(region, sorted({n for n in self.settlements.get(region, []) if town_key(n) not in centres}))
        return self._towns

    def unsupported(self, written: str, context: set[str], lang: Lang = Lang.RU) -> list[str]:
        """What the acts say instead of each unsupported claim ``written`` states in a profile of ``context`` (its
        services and life situations): ``sgm:UnsupportedClaim``, the patterns the profile check applies too."""
        return [said.get(Lang(lang).value) or said.get("ru", "") for pattern, said, scope in self.claims
                if (not scope or scope & context) and re.search(pattern, written, re.IGNORECASE)]

    def named_by_town(self, region: str, written: str, lang: Lang = Lang.RU) -> tuple[str, bool] | None:
        """The town ``written`` names the region by («г. Сочи»), in ``lang``, and whether it is the region's centre.

        None when ``written`` is the region's own name («Москва», «Свердловская обл.»).
        """
        scheme = self.values[region].scheme if region in self.values else None
        if scheme is None or self.index("scheme:" + scheme, lang).lookup(written, ("exact",)):
            return None
        towns = self.towns.lookup(written) or self.towns.lookup(written, level="lemma") or self.towns.lookup(written, level="inflected")
        town = next((t for t in towns if t.region == region), None)
        if town is None:
            return None
        if town.centre:
            names = self.centre_label.get(region, {})
            return names.get(lang.value if isinstance(lang, Lang) else lang) or names.get("ru") or town.name, True
        # the catalogue has the towns' Russian names only; in English they are written as English-language
        # Wikipedia writes them (its romanisation: «Тольятти» → Tolyatti, «Щёлково» → Shchyolkovo)
        if Lang(lang) is Lang.RU:
            return town.name, False
        import iuliia  # only for English output: its schemas take a while to load

        return iuliia.WIKIPEDIA.translate(town.name), False

    def named_by_centre(self, region: str, written: str, lang: Lang = Lang.RU) -> str | None:
        """The administrative centre, in ``lang``, if ``written`` names the region by it («г. Екатеринбург»)."""
        named = self.named_by_town(region, written, lang)
        return named[0] if named and named[1] else None

    def local_id(self, iri: str | URIRef) -> str:
        """The identifier a user may type for an item: the last part of its IRI."""
        return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def members(self, kind: str) -> list[str]:
        """IRIs of all items of a kind, sorted."""
        cls = str(KIND_CLASSES[kind])
        return sorted(i for i, types in self.types.items() if cls in types)

    def band_scheme_for(self, attribute: str, status: str | None) -> str | None:
        """The band scheme of a numeric attribute for a status, if there is one."""
        info = self.attributes[attribute]
        for scheme in info.band_schemes:
            if status is None or status in self.applies.get(scheme, []):
                return scheme
        return None

    # ------------------------------------------------------------ lookup
    def index(self, kind: str, lang: Lang = Lang.RU, status: str | None = None) -> LabelIndex:
        """The label index of a kind of item (``status``, ``attribute``, … or ``scheme:<iri>``), optionally of one status."""
        key = index_key(kind, lang, status)
        if key not in self._indexes and key in self.stored_indexes:
            self._indexes[key] = idx = pickle.loads(self.stored_indexes.pop(key))
            idx.forms = self.word_forms
        if key not in self._indexes:
            idx = LabelIndex(one_word=kind.startswith("scheme:"), forms=self.word_forms)
            if kind.startswith("scheme:"):
                members = self.scheme_values.get(kind[7:], [])
            elif kind == "document":
                members = self.members("act") + self.members("form")
            else:
                members = self.members(kind)
            if status is not None:
                members = [m for m in members if status in self.applies.get(m, [])]
            entries = []
            for iri in members:  # a region's towns are looked up apart, see ``_lookup_region``
                names = [*self.labels.get(iri, []), self.local_id(iri)]
                act = self.acts.get(iri)
                if act and act[0] == "кодекс":  # «ТК РФ», «ГК РФ (часть первая)»: as the sources are shown
                    names += code_short_names(act[2])
                entries.append((Candidate(iri, self.label(iri, lang)), names))
            if len(entries) >= CACHED_INDEX:
                idx = cached_index(entries, one_word=idx.one_word, forms=self.word_forms)
            else:
                for candidate, names in entries:
                    idx.add(candidate, names)
            self._indexes[key] = idx
        return self._indexes[key]

    def resolve_or_fail(self, kind: str, written: str, lang: Lang) -> str:
        """``resolve``, with the error a user sees (unknown with «did you mean», or ambiguous) as ``BadInputError``."""
        try:
            return self.resolve(kind, written, lang)
        except LookupFailure as exc:
            raise exc.as_error(text(f"kind.{kind}", lang), lang, local_id=self.local_id) from None

    def resolve(self, kind: str, text: str, lang: Lang = Lang.RU, *, status: str | None = None) -> str:
        """The IRI of the item of ``kind`` that ``text`` names.

        For attributes, a name shared by attributes of different statuses resolves to the one that
        applies to ``status``. Raises ``LookupFailure`` with suggestions when nothing or several match.
        """
        if len(text) > MAX_NAME:  # no name is that long: not looked up, and quoted shortened
            raise LookupFailure(kind, text[:60] + "…", [])
        idx = self.index(kind, lang)
        hits = []
        of_status = self.index(kind, lang, status) if status is not None and kind == "attribute" else None
        if of_status is not None:
            # an attribute of the profile's status wins over a namesake of another status
            hits = of_status.lookup(text)
        if not hits and kind.startswith("scheme:") and any(m in self.centres or m in self.settlements for m in idx.items):
            hits = self._lookup_region(idx, kind, text, lang)
        if not hits and of_status is not None:
            # an attribute of another status only by its name, not by some of its words: «место работы» of a
            # citizen is not «вид места службы (работы)» of an internal client, and gets the citizen's suggestions
            hits = idx.lookup(text, ("exact", "lemma", "stem"))
        hits = hits or (idx.lookup(text) if of_status is None else [])
        if len(hits) > 1 and status is not None:
            narrowed = [c for c in hits if status in self.applies.get(c.iri, [status])]
            hits = narrowed or hits
        if len(hits) > 1:
            undeprecated = [c for c in hits if not (c.iri in self.values and self.values[c.iri].deprecated)]
            hits = undeprecated if len(undeprecated) == 1 else hits
        if len(hits) > 1 and kind.startswith("scheme:"):
            hits = broadest(hits, lambda v: self.values[v].broader if v in self.values else None)
        if len(hits) == 1:
            return hits[0].iri
        if hits:
            raise LookupFailure(kind, text, [], ambiguous=hits)
        if of_status is not None:
            # offer the attributes of the profile's status, and list them with the status's command
            command = f"segmentum catalogue list --status {self.local_id(status)}"
            raise LookupFailure(kind, text, of_status.suggest(text), command=command)
        # the terms of the profile's status first: «сайт ФНС» of a business is not «Сайт ЕРЦ МО РФ» of a soldier
        own = self.index(kind, lang, status) if status is not None and not kind.startswith("scheme:") else None
        suggestions = (own.suggest(text) if own is not None and len(own) else []) or idx.suggest(text)
        if kind.startswith("scheme:"):  # «Тольяти»: «Тольятти (Самарская область)»
            towns = [Candidate(t.region, f"{t.name} ({idx.items[t.region].label})") for t in self.towns.suggest(text) if t.region in idx.items]
            suggestions = (towns + suggestions)[:3] if towns else suggestions
        if kind == "status":
            # three statuses: a misspelling names its status, anything else («студент», «врач») gets all three,
            # not the one that happens to look alike («студент» is not «сотрудник»)
            key = normalize(text)
            suggestions = [c for c in suggestions
                           if max(difflib.SequenceMatcher(None, key, normalize(lab)).ratio() for lab in self.labels.get(c.iri, [c.label])) >= 0.8]
        failure = LookupFailure(kind, text, suggestions)
        if not suggestions and kind == "status":
            order = {"citizen": 0, "business": 1, "internal": 2}  # as the methodology names them
            failure.choices = [self.label(i, lang) for i in sorted(self.members("status"), key=lambda i: (order.get(self.local_id(i), 3), i))]
        if not suggestions and kind not in LIST_COMMANDS and not kind.startswith("scheme:") and len(idx) <= _FEW_VALUES:
            # nothing close among a few terms with no command to list them (hypothesis states): name them all
            failure.choices = [c.label for c in sorted(idx.items.values(), key=lambda c: c.label)]
        raise failure

    def read_by_spelling(self, kind: str, text: str, iri: str) -> bool:
        """Whether ``text`` names ``iri`` only by a close spelling: not by a label or its case forms, and with a
        word that is neither a word of the item's labels, nor a case form of one, nor in the dictionary
        («регион проживаня» for «регион проживания»). Regions are not checked: a town's name in a case the
        dictionary does not know is read by its stem on purpose."""
        idx = self.index(kind)
        if kind.startswith("scheme:") and any(m in self.centres or m in self.settlements for m in idx.items):
            return False
        if any(c.iri == iri for c in idx.lookup(text, ("exact", "lemma"))):
            return False
        own = {w for label in [*self.labels.get(iri, []), self.local_id(iri)] for w in key_words(label)}
        for word in key_words(text):
            if not _CYRILLIC_WORD.fullmatch(word) or word in own or self.word_forms.label_words(word) & own or in_dictionary(word):
                continue
            # a case the dictionary guesses («самозанятые» of «самозанятый») is not a typo
            if not normal_forms(word) & {n for w in own if _CYRILLIC_WORD.fullmatch(w) for n in (w, *normal_forms(w))}:
                return True
        return False

    def _lookup_region(self, idx: LabelIndex, kind: str, text: str, lang: Lang) -> list[Candidate]:
        """The regions ``text`` names, by a region's own name first, then by a town of it.

        In order: a region's name as written («Свердловская обл.»), a town's name as written
        («Сочи», «г. Ростов на Дону»), a region's name and a town's name declined by the dictionary («в
        Свердловской области», «в Орле»), a region's name by word stems, a part of a region's name
        («Свердловская»), a town's name by word stems («в Урае»). A town's name shared by towns of several
        regions raises ``LookupFailure`` naming the regions.
        """
        for level in ("exact", "town", "lemma", "town-lemma", "stem", "partial", "inflected"):
            if level in ("town", "town-lemma", "inflected"):
                how = {"town": "exact", "town-lemma": "lemma"}.get(level, level)
                towns = [t for t in self.towns.lookup(text, level=how) if t.region in idx.items]
                # «Донецк», a town of Rostov Oblast, may be written for the Donetsk People's Republic as well
                by_name = [c for c in idx.lookup(text, ("lemma", "stem", "partial")) if c.iri not in {t.region for t in towns}] if towns else []
                if len(towns) + len(by_name) > 1:
                    named = [Candidate(t.region, text_town(idx.items[t.region].label, t.name, lang)) for t in towns]
                    raise LookupFailure(kind, text, [], ambiguous=named + by_name, towns=towns)
                hits = [idx.items[t.region] for t in towns]
            else:
                hits = idx.lookup(text, (level,))
            if hits:
                return hits
        return []

    def resolve_value(self, attribute: str, text: str, lang: Lang = Lang.RU, *, status: str | None = None) -> str:
        """The IRI of the value of ``attribute`` (its scheme, else its band scheme) that ``text`` names."""
        if len(text) > MAX_NAME:  # no value is named that long: not looked up, and quoted shortened
            raise LookupFailure("scheme:", text[:60] + "…", [])
        info = self.attributes[attribute]
        schemes = [info.scheme] if info.scheme else []
        band = self.band_scheme_for(attribute, status)
        if band:
            schemes.append(band)
        failure: LookupFailure | None = None
        if group := self._group_named(schemes, text):  # before a close match: «некоммерческая организация» is not АНО
            failure = LookupFailure("scheme:", text, [])
            failure.group = self.label(group, lang)
            failure.choices = [self.label(v, lang) for v in self._group_heads(group)]
            failure.command = f'segmentum catalogue show "{self.label(attribute, lang)}"'
            raise failure
        for scheme in schemes:
            try:
                return self.resolve("scheme:" + scheme, text, lang)
            except LookupFailure as exc:
                failure = failure if failure and failure.ambiguous else exc
        failure = failure or LookupFailure("scheme:", text, [])
        if not failure.ambiguous:
            failure.other_attribute = self._attribute_naming(attribute, text, lang, status)
        if not failure.suggestions and not failure.ambiguous:
            # nothing close: name the allowed values, or the command that shows them
            allowed = [v for v in self.scheme_values.get(schemes[0], []) if not self.values[v].deprecated] if schemes else []
            if 0 < len(allowed) <= _FEW_VALUES:
                failure.choices = [self.label(v, lang) for v in allowed]
            failure.command = f'segmentum catalogue show "{self.label(attribute, lang)}"'
        raise failure

    def _group_named(self, schemes: list[str], text: str) -> str | None:
        """The group of values of ``schemes`` (a ``skos:Collection``) that ``text`` names exactly: «НКО» is
        not one legal form but the group of the non-profit ones."""
        key = normalize(text)
        if any(key in self._label_keys(s) for s in schemes):
            return None  # a value's own name
        for group, members in self.collections.items():
            if any(self.values[m].scheme in schemes for m in members if m in self.values) and \
                    any(key == normalize(label) for label in self.labels.get(group, [])):
                return group
        return None

    def _label_keys(self, scheme: str) -> frozenset[str]:
        """Every label of the values of a scheme, normalized (made once per scheme)."""
        keys = self._scheme_keys.get(scheme)
        if keys is None:
            if len(self.scheme_values.get(scheme, [])) >= CACHED_INDEX:  # a classifier: its index has them normalized
                keys = frozenset(self.index("scheme:" + scheme).all_labels)  # (with the values' identifiers)
            else:
                keys = frozenset(normalize(label) for v in self.scheme_values.get(scheme, []) for label in self.labels.get(v, []))
            self._scheme_keys[scheme] = keys
        return keys

    def _group_heads(self, group: str) -> list[str]:
        """The members of a group to name in an error: all when few, else those no other member's code
        extends (the top groupings of a coded classifier: 20100 «Потребительские кооперативы», not 20101 …)."""
        members = sorted((m for m in self.collections[group] if m in self.values and not self.values[m].deprecated), key=self._value_order)
        if len(members) <= _FEW_VALUES:
            return members
        codes = {m: self.notation.get(m, "").rstrip("0") for m in members}
        heads = [m for m in members if codes[m] and not any(o != m and codes[o] and codes[m].startswith(codes[o]) for o in members)]
        return heads or members[:_FEW_VALUES]

    def _attribute_naming(self, attribute: str, text: str, lang: Lang, status: str | None) -> str | None:
        """The label of the one other attribute of ``status`` whose scale has a value named exactly ``text``
        («ПФО» under «регион места нахождения» is a value of «федеральный округ»), else None.

        A yes or no («нет», «да») answers the attribute it is written under; it does not name another one.
        """
        key = normalize(text)
        if key in YES_NO_WORDS:
            return None
        found = []
        for other in self.attributes.values():
            if other.iri == attribute or not other.scheme or (status and status not in other.statuses):
                continue
            if key in self._label_keys(other.scheme):
                found.append(other.iri)
        return self.label(found[0], lang) if len(found) == 1 else None

    # ------------------------------------------------------------ listing
    def attributes_for(self, status: str | None = None, document: str | None = None) -> list[AttributeInfo]:
        """Attributes, optionally only those of a status or supported by an act or form, sorted by label."""
        out = []
        for info in self.attributes.values():
            if status and status not in info.statuses:
                continue
            if document and not any(self.sources.get(s) and self.sources[s].document == document for s in info.sources):
                continue
            out.append(info)
        return sorted(out, key=lambda i: self.label(i.iri).casefold())
