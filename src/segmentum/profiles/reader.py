"""Load segment profiles from YAML into RDF, resolving every label against the catalogue.

The format is documented in ``docs/profile-format.md``. Keys may be written in English or Russian;
statuses, life situations, services, attributes, values, channels, stages, hypothesis states and
prioritisation criteria by identifier or by label (see ``labels``). Each statement remembers the
file, line and column it came from, both in ``LoadedProfile.locations`` and as
``sgm:SourceLocation`` records for the provenance graph, so later messages can point at them.

Out of scope here: checking completeness and consistency (that is validation, with SHACL).
A value out of range or an attribute of another status is loaded as written and reported there.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from segmentum.catalogue import values
from segmentum.catalogue.criteria import check_value
from segmentum.catalogue.labels import normalize
from segmentum.catalogue.view import Catalogue, LookupFailure
from segmentum.errors import Location, ProfileError, ProfileErrors, SegmentsFileError
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.namespaces import PROF, SGM, profile_graph
from segmentum.output import progress
from segmentum.profiles.keys import CHANNEL_KEYS, ITEM_KEYS, KEYS, SEGMENTS_FILE_KEYS, VALUE_KEYS, canonical_key, key_language, key_name, quote_keys
from segmentum.profiles.model import AttributeValue, LoadedProfile, Statement
from segmentum.profiles.reading import ReadingState, TooManyErrors
from segmentum.profiles.yamlfile import Marked, MarkedDict, MarkedList, read_yaml

_PAIR = re.compile(r"^(.+?)\s*(?:\s[-–—]\s|:\s)\s*(.+)$")
_ID = re.compile(r"^[\w-]+$")
#: units of a duration in years, and «до N» that stops short of N for them («до 14 лет»)
YEAR_UNITS = frozenset({"лет", "года", "год"})
_UP_TO = re.compile(r"^до\s*\d")
_STAGE_NUMBERS = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4,
    "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
}


#: a key starting with this is not read: it holds YAML anchors («x-base: &base …») or notes to oneself
EXTENSION_PREFIX = "x-"


class _ProfileReader(ReadingState):
    """Turns the marked YAML of one profile into RDF; one instance per file."""

    def __init__(self, catalogue: Catalogue, path: str, lang: Lang) -> None:
        super().__init__(catalogue, path, lang)
        self.key_lang = Lang.EN  # the language of the file's keys, once its top mapping is read

    # ------------------------------------------------------------ errors
    def fail(self, message: str, where: Any, hint: str | None = None) -> ProfileError:
        """An error at ``where``; the keys its message and hint quote are written as the file writes keys."""
        loc = getattr(where, "location", None) or Location(self.path)
        return ProfileError(quote_keys(message, self.key_lang), location=loc, hint=quote_keys(hint, self.key_lang) if hint else hint)

    def lookup_error(self, exc: LookupFailure, kind_label: str, where: Any) -> ProfileError:
        location = getattr(where, "location", None) or Location(self.path)
        return exc.as_error(kind_label, self.lang, location=location, error=ProfileError, local_id=self.cat.local_id)

    def resolve(self, kind: str, item: Marked, status: str | None = None) -> str:
        try:
            found = self.cat.resolve(kind, str(item.value), self.lang, status=status)
            self.note_spelling(kind, item, found)
            return found
        except LookupFailure as exc:
            error = self.lookup_error(exc, text(f"kind.{kind}", self.lang), item)
            other = _OTHER_FIELD.get(kind)
            if other and not exc.ambiguous:
                # «life_situation: замена паспорта» names a service: say so, and where to write it
                try:
                    found = self.cat.resolve(other, str(item.value), self.lang, status=status)
                except LookupFailure:
                    pass
                else:
                    error.hint = text(f"in_other_field.{other}", self.lang, label=self.cat.label(found, self.lang),
                                      key=key_name(other, self.key_lang))
            raise error from None

    # ------------------------------------------------------------ structure helpers
    def keyed(self, mapping: MarkedDict, table: dict[str, list[str]], what: str) -> dict[str, tuple[Marked, Any]]:
        """The keys of a mapping by their canonical names; ``what`` is the field they are in (``profile`` at the top).

        An unknown key is an error naming the closest known one (or all of them); a key written
        twice — even in two spellings, «status» and «статус» — is an error naming the first one.
        """
        out: dict[str, tuple[Marked, Any]] = {}
        for key, value in mapping.items():
            if str(key.value).startswith(EXTENSION_PREFIX):  # «x-base: &base …»: a place for YAML anchors and notes to oneself
                continue
            canon = canonical_key(str(key.value), table)
            if canon is None and (anchor := getattr(value, "anchor", None)):
                raise self.fail(text("anchor_key", self.lang, key=key.value, anchor=anchor), key,
                                text("anchor_key_hint", self.lang, key=key.value, anchor=anchor, prefix=EXTENSION_PREFIX))
            with self.collecting():  # an unknown or repeated key is reported and skipped: the others are read
                if canon is None:
                    close = _close_keys(str(key.value), table)
                    hint = (text("did_you_mean", self.lang, options=quoted_list(close, self.lang)) if close
                            else text("known_keys", self.lang, keys=", ".join(table)))
                    message = (text("unknown_key", self.lang, key=key.value) if what == "profile"
                               else text("unknown_subkey", self.lang, key=key.value, field=what))
                    raise self.fail(message, key, hint)
                if canon in out:
                    first = out[canon][0]
                    raise self.fail(text("duplicate_key", self.lang, key=key.value, line=first.location.line), key, text("duplicate_key_hint", self.lang))
                out[canon] = (key, value)
        return out

    def check_is_profile(self, doc: MarkedDict) -> None:
        """Refuse a mapping none of whose keys is a profile field or close to one (``/etc/passwd`` read as YAML),
        without quoting it: it is not a profile, and its contents are nobody's business."""
        written = [str(k.value) for k in doc if not str(k.value).startswith(EXTENSION_PREFIX)]
        if written and not any(canonical_key(k, KEYS) is not None or _close_keys(k, KEYS) for k in written):
            raise self.fail(text("not_a_profile", self.lang), doc, text("not_a_profile_hint", self.lang))

    def as_list(self, value: Any, key: str, where: Any) -> list:
        if isinstance(value, MarkedList):
            return [v for v in value if not (isinstance(v, Marked) and v.value is None)]
        if isinstance(value, Marked):
            return [] if value.value is None else [value]
        raise self.fail(text("expected_list", self.lang, key=key), value if hasattr(value, "location") else where)

    def as_text(self, value: Any, key: str, where: Any) -> Marked | None:
        if isinstance(value, Marked):
            return None if value.value is None else value
        raise self.fail(text("expected_text", self.lang, key=key), value if hasattr(value, "location") else where,
                        text("expected_text_hint", self.lang))

    # ------------------------------------------------------------ reading
    def read(self, doc: Any, file_path: Path) -> LoadedProfile:
        """The profile of a file's YAML; raise its errors, all of them (``ProfileErrors`` when several)."""
        prof = None
        try:
            prof = self.read_fields(doc, file_path)
        except TooManyErrors:
            pass
        except SegmentsFileError:
            raise
        except ProfileError as exc:  # one that stops the reading: the errors before it are reported with it
            self.errors.append(exc)
        self.raise_errors()
        assert prof is not None
        return prof

    def read_fields(self, doc: Any, file_path: Path) -> LoadedProfile:
        if doc is None:  # an empty file, or one with comments only
            raise self.fail(text("empty_profile", self.lang), Marked(None, Location(self.path, 1, 1)), text("empty_profile_hint", self.lang))
        if not isinstance(doc, MarkedDict):
            raise self.fail(text("not_mapping", self.lang), doc)
        self.key_lang = key_language(str(k.value) for k in doc if not str(k.value).startswith(EXTENSION_PREFIX))
        for key in doc:
            if canonical_key(str(key.value), SEGMENTS_FILE_KEYS) == "segments":
                raise SegmentsFileError(text("segments_file_as_profile", self.lang, key=key.value), location=key.location,
                                        hint=text("segments_file_hint", self.lang, path=self.path))
        self.check_is_profile(doc)
        fields = self.keyed(doc, KEYS, "profile")
        pid_item = fields.get("id")
        written_id = pid_item[1].value if pid_item and isinstance(pid_item[1], Marked) else None
        # without an id, the file name serves: «Студент из области.yaml» → «Студент-из-области»
        pid = str(written_id).strip() if written_id is not None else re.sub(r"[^\w-]+", "-", file_path.stem).strip("-")
        if not _ID.match(pid):
            raise self.fail(text("bad_id", self.lang, text=pid), pid_item[1] if pid_item else doc, text("id_hint", self.lang))
        iri = PROF[pid]
        prof = LoadedProfile(id=pid, path=self.path, iri=iri, graph=profile_graph(pid), key_lang=self.key_lang.value)
        self.prof = prof
        seg = URIRef(f"{iri}/segment")
        t = prof.triples
        t += [(iri, RDF.type, SGM.SegmentProfile), (iri, DCTERMS.identifier, Literal(pid)), (iri, SGM.profileOf, seg), (seg, RDF.type, SGM.Segment)]
        prof.locations[(iri, None)] = doc.location
        prof.locations[(seg, None)] = doc.location

        def place(node: URIRef, prop: URIRef | None, key: Marked) -> None:
            prof.locations[(node, prop)] = key.location

        title = self.one(prof, fields, "title", _text_literal, iri, DCTERMS.title)
        prof.title = str(title) if title is not None else None
        prof.status = self.one(prof, fields, "status", lambda i: URIRef(self.resolve("status", i)), seg, SGM.hasStatus)
        for name, kind, prop, target in (
            ("life_situation", "life_situation", SGM.lifeSituation, prof.life_situations),
            ("service", "service", SGM.service, prof.services),
        ):
            if name in fields:
                key, value = fields[name]
                for item in self.as_list(value, name, key):
                    with self.collecting():
                        item = self.as_text(item, name, key)
                        if item is None:
                            continue
                        found = self.resolve(kind, item, prof.status)
                        target.append(found)
                        t.append((iri, prop, URIRef(found)))
                        place(iri, prop, item)
        def service_region(item: Marked) -> URIRef:
            prof.service_region_written = one_line(item.value)
            return URIRef(self.resolve_region(item))

        prof.service_region = self.one(prof, fields, "service_region", service_region, iri, SGM.serviceRegion)
        prof.stage = self.one(prof, fields, "stage", lambda i: URIRef(self.resolve_stage(i)), iri, SGM.stage)
        if "attributes" in fields:
            key, value = fields["attributes"]
            prof.locations[(iri, SGM.profileOf)] = key.location  # «the attributes of the segment» start here
            self.read_attributes(prof, seg, key, value)
        counters: dict[str, int] = {}
        for name, kind, cls, prop in (
            ("journey_features", "journey_feature", SGM.JourneyFeature, SGM.hasJourneyFeature),
            ("pains", "pain", SGM.Pain, SGM.hasPain),
            ("hypotheses", "hypothesis", SGM.Hypothesis, SGM.hasHypothesis),
        ):
            if name in fields:
                key, value = fields[name]
                for entry in self.as_list(value, name, key):
                    counters[kind] = counters.get(kind, 0) + 1
                    node = URIRef(f"{iri}/{kind.replace('_', '-')}/{counters[kind]}")
                    with self.collecting():
                        st = self.read_statement(entry, kind, node, name)
                        self.emit_statement(prof, st, cls, prop)
        if "channels" in fields:
            key, value = fields["channels"]
            self.read_channels(prof, key, value)
        if "priority" in fields:
            key, value = fields["priority"]
            self.read_priority(prof, key, value)
        notes = self.one(prof, fields, "notes", _notes_literal, iri, SKOS.note)
        prof.notes = str(notes) if notes is not None else None
        return prof

    def one(self, prof: LoadedProfile, fields: dict, name: str, to_term, subject: URIRef, prop: URIRef):
        """Read a single-valued field into one triple and remember where it was written.

        ``to_term`` turns the written item into the RDF object; an empty field gives nothing.
        Returns the object (an IRI as ``str``, a literal as itself) or None.
        """
        if name not in fields:
            return None
        key, value = fields[name]
        with self.collecting():
            item = self.as_text(value, name, key)
            if item is None or str(item.value).strip() == "":
                return None
            obj = to_term(item)
            prof.triples.append((subject, prop, obj))
            prof.locations[(subject, prop)] = item.location
            return str(obj) if isinstance(obj, URIRef) else obj
        return None

    def resolve_region(self, item: Marked) -> str:
        try:
            return self.cat.resolve("scheme:" + _REGIONS, str(item.value), self.lang)
        except LookupFailure as exc:
            raise self.lookup_error(exc, text("kind.region", self.lang), item) from None

    def resolve_stage(self, item: Marked) -> str:
        raw = normalize(str(item.value))
        # «III этап», «этап 3», «3-й этап», «третий этап», «stage 3»
        words = [w for w in re.split(r"[\s-]+", raw) if w not in ("этап", "stage", "й", "ий", "ой", "ый")]
        if len(words) == 1 and words[0] in _STAGE_NUMBERS:
            number = _STAGE_NUMBERS[words[0]]
            return str(SGM[["StageAttributes", "StageSegmentation", "StageHypotheses", "StageRefined"][number - 1]])
        return self.resolve("stage", item)

    # ------------------------------------------------------------ attributes
    def read_attributes(self, prof: LoadedProfile, seg: URIRef, key: Marked, value: Any) -> None:
        pairs: list[tuple[Marked, Any]] = []
        if isinstance(value, MarkedDict):
            pairs = list(value.items())
        elif isinstance(value, MarkedList):
            for entry in value:
                if isinstance(entry, MarkedDict):
                    pairs += list(entry.items())
                elif isinstance(entry, Marked) and entry.value is not None:
                    m = _PAIR.match(str(entry.value))
                    if not m:
                        raise self.fail(text("bad_pair", self.lang, text=entry.value), entry)
                    loc = entry.location
                    pairs.append((Marked(m.group(1), loc), Marked(m.group(2), loc)))
        elif not (isinstance(value, Marked) and value.value is None):
            raise self.fail(text("expected_mapping", self.lang, key="attributes"), value if hasattr(value, "location") else key)
        counts: dict[str, int] = {}
        for akey, avalue in pairs:
            with self.collecting():
                self.read_pair(prof, seg, akey, avalue, counts)

    def read_pair(self, prof: LoadedProfile, seg: URIRef, akey: Marked, avalue: Any, counts: dict[str, int]) -> None:
        """One «признак: значение» (or several values of one attribute); each wrong value is reported."""
        attribute = self.resolve("attribute", akey, prof.status)
        label = self.cat.label(attribute, self.lang)
        entries = list(avalue) if isinstance(avalue, MarkedList) else [avalue]
        entries = [part for entry in entries for part in self.split_values(attribute, entry, prof.status)]
        for entry in entries:
            with self.collecting():
                if isinstance(entry, MarkedDict):
                    sub = self.keyed(entry, VALUE_KEYS, str(akey.value))
                    entry = sub["value"][1] if "value" in sub else Marked(None, entry.location)
                if not isinstance(entry, Marked):
                    raise self.fail(text("empty_value", self.lang, attribute=label), entry if hasattr(entry, "location") else akey)
                if entry.value is None or str(entry.value).strip() == "":
                    prof.unfilled.append(attribute)  # a template line or an accepted suggestion, not filled in yet
                    prof.triples.append((seg, SGM.attributeToFill, URIRef(attribute)))
                    prof.locations.setdefault((seg, SGM.attributeToFill), akey.location)
                    prof.locations.setdefault((URIRef(attribute), SGM.attributeToFill), akey.location)  # the line of each one
                    continue
                local = self.cat.local_id(attribute)
                counts[local] = counts.get(local, 0) + 1
                suffix = "" if counts[local] == 1 else f"-{counts[local]}"
                node = URIRef(f"{prof.iri}/attribute/{local}{suffix}")
                av = self.read_value(attribute, entry, node, prof.status)
                prof.attributes.append(av)
                t = prof.triples
                t += [(seg, SGM.hasAttributeValue, node), (node, RDF.type, SGM.AttributeAssertion), (node, SGM.attribute, URIRef(attribute))]
                t.append((node, SGM.writtenAs, Literal(av.written)))
                if av.value:
                    t.append((node, SGM.value, URIRef(av.value)))
                if av.literal is not None:
                    t.append((node, SGM.literalValue, av.literal))
                if av.range:
                    t += [(node, p, values.number_literal(b)) for p, b in zip((SGM.rangeMin, SGM.rangeMax), av.range) if b is not None]
                    t += [(node, p, Literal(True)) for p, ex in zip((SGM.rangeMinExcluded, SGM.rangeMaxExcluded), av.excluded) if ex]
                prof.locations[(node, None)] = akey.location
                if isinstance(avalue, MarkedList):  # one of a list of values: findings about it go to its own line
                    prof.locations[(node, SGM.attribute)] = entry.location
                prof.locations[(node, SGM.value)] = entry.location
                prof.locations[(node, SGM.literalValue)] = entry.location

    def split_values(self, attribute: str, entry: Any, status: str | None) -> list:
        """«B2C, B2G» written on one line: several values of the scale, if the whole text is not one of them."""
        info = self.cat.attributes[attribute]
        if not (isinstance(entry, Marked) and isinstance(entry.value, str) and info.scheme and not info.numeric):
            return [entry]
        parts = [p.strip() for p in re.split(r"[,;]", entry.value)]
        if len(parts) < 2 or not all(parts):
            return [entry]
        try:
            self.cat.resolve_value(attribute, entry.value, self.lang, status=status)
            return [entry]
        except LookupFailure:
            pass
        try:
            for part in parts:
                self.cat.resolve_value(attribute, part, self.lang, status=status)
        except LookupFailure:
            return [entry]  # the error names the whole text
        return [Marked(part, entry.location) for part in parts]

    def read_value(self, attribute: str, item: Marked, node: URIRef, status: str | None) -> AttributeValue:
        info = self.cat.attributes[attribute]
        raw = item.value
        written = raw.isoformat() if isinstance(raw, dt.date) else one_line(raw)
        av = AttributeValue(attribute, node, written=written, location=item.location)
        label = self.cat.label(attribute, self.lang)
        if info.scheme and not info.numeric:
            try:
                av.value = self.cat.resolve_value(attribute, written, self.lang, status=status)
            except LookupFailure as exc:
                raise self.lookup_error(exc, text("kind.value", self.lang, attribute=label), item) from None
            self.note_spelling("scheme:" + self.cat.values[av.value].scheme, item, av.value)
        elif info.numeric:
            self.read_number(av, info, raw, status, item, label)
        elif info.datatype == str(XSD.boolean):
            truth = values.parse_boolean(raw)
            if truth is None:
                raise self.fail(text("bad_boolean", self.lang, text=written, attribute=label), item)
            av.literal = Literal(truth)
        elif info.datatype == str(XSD.date):
            parsed = values.parse_date(raw)
            if parsed is None:
                raise self.fail(text("bad_date", self.lang, text=written, attribute=label), item, text("date_hint", self.lang))
            av.literal = Literal(parsed.isoformat(), datatype=XSD.date)
        else:
            av.literal = Literal(written)
        return av

    def read_number(self, av: AttributeValue, info, raw: Any, status: str | None, item: Marked, label: str) -> None:
        """A number, a range, or a band of the status's scale.

        A band is taken when the text names it («18-25», «до 1 года», «до 18 лет») or when a range
        has exactly its bounds («от 18 до 25 лет»); any other number or range is kept as written, and
        the rules derive its band. A range open at one end («60+», «старше 60») is closed by the
        attribute's own limit (age 0–120).
        """
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            av.literal = values.number_literal(Decimal(str(raw)), info.datatype)
            return
        band = self.cat.band_scheme_for(av.attribute, status)
        others = [s for s in info.band_schemes if s != band]
        spellings = list(dict.fromkeys((av.written, values.without_unit(av.written))))
        if band and (found := self._band_named(band, spellings)):
            av.value = found
            return
        parsed = None if isinstance(raw, bool) else values.parse_number_or_range(av.written)
        if parsed is None or (isinstance(parsed, values.Bounds) and None in (parsed.low, parsed.high)):
            for scheme in others:  # a band word of another status («до 1 года» for a citizen)
                if found := self._band_named(scheme, spellings):
                    av.value = found
                    return
        if isinstance(parsed, values.Bounds) and info.unit in YEAR_UNITS and _UP_TO.match(normalize(av.written)):
            # «дети до 14 лет» have not reached 14, as laws write ages («не достигшие четырнадцати лет») and as
            # the scales are made («до 18» is 0–17, «до 1 года» is under a year); «до 15 человек» includes 15
            parsed = values.Bounds(parsed.low, parsed.high, parsed.low_strict, high_strict=True)
        if isinstance(parsed, values.Bounds):
            integer = info.datatype == str(XSD.integer)
            low, high = parsed.closed(integer=integer, minimum=info.minimum, maximum=info.maximum)
            same = [v for v in self.cat.scheme_values.get(band or "", []) if self.cat.values[v].band == (low, high)]
            if len(same) == 1:
                av.value = same[0]
            else:
                av.range = (low, high)
                strict = (parsed.low_strict and parsed.low is not None, parsed.high_strict and parsed.high is not None)
                if integer:  # a whole number's strict bound moved by one above
                    av.strict = strict
                else:
                    av.excluded = strict
            return
        if parsed is not None:
            av.literal = values.number_literal(parsed, info.datatype)
            return
        hint = text("number_hint", self.lang, example="20")
        if parts := self._several_numbers(av.written, band):  # «18-25, 26-35»: two values on one line
            hint = (text("several_numbers_hint", self.lang, first=parts[0], second=parts[1])
                    if info.multi_valued else text("one_number_hint", self.lang, attribute=label))
        raise self.fail(text("bad_number", self.lang, text=av.written, attribute=label), item, hint)

    def _several_numbers(self, written: str, band: str | None) -> list[str]:
        """The parts of a text that is several numbers, ranges or bands separated by commas or
        semicolons; an empty list for any other text."""
        parts = [p.strip() for p in re.split(r"[,;]", written)]
        several = len(parts) > 1 and all(
            p and (values.parse_number_or_range(p) is not None or (band and self._band_named(band, [p]))) for p in parts)
        return parts if several else []

    def _band_named(self, scheme: str, spellings: list[str]) -> str | None:
        """The band a text names. A text with a number names a band by its whole label only: «до 3 лет»
        holds the words of «от 1 до 3 лет» but is not the band 1–3."""
        index = self.cat.index("scheme:" + scheme, self.lang)
        for written in spellings:
            if re.search(r"\d", written):
                hits = index.lookup(written, ("exact", "lemma", "stem"))
                if len(hits) == 1:
                    return hits[0].iri
                continue
            try:
                return self.cat.resolve("scheme:" + scheme, written, self.lang)
            except LookupFailure:
                continue
        return None

    # ------------------------------------------------------------ statements
    def read_statement(self, entry: Any, kind: str, node: URIRef, key_name: str) -> Statement:
        state = str(SGM.Open)
        evidence: list[str] = []
        channel: Marked | None = None
        if isinstance(entry, MarkedDict):
            sub = self.keyed(entry, ITEM_KEYS, key_name)
            if "channel" in sub and kind == "channel":
                item = self.as_text(sub["channel"][1], "channel", sub["channel"][0])
                channel = item
            item = self.as_text(sub["text"][1], "text", sub["text"][0]) if "text" in sub else channel
            if item is None:
                raise self.fail(text("missing_key", self.lang, key=key_name("text", self.key_lang, ITEM_KEYS)), entry,
                                text("add_key", self.lang, key="text"))
            if "state" in sub:
                state_item = self.as_text(sub["state"][1], "state", sub["state"][0])
                if state_item is not None:
                    state = self.resolve("state", state_item)
            if "evidence" in sub:
                evidence = [one_line(e.value) for e in self.as_list(sub["evidence"][1], "evidence", sub["evidence"][0]) if isinstance(e, Marked)]
            location = entry.location
        elif isinstance(entry, Marked):
            item = entry
            location = entry.location
        else:
            raise self.fail(text("expected_text", self.lang, key=key_name), entry if hasattr(entry, "location") else None)
        st = Statement(kind, node, one_line(item.value), state, evidence, location=location)
        if kind == "channel":
            written = channel or item
            st.channel_written = one_line(written.value)
            st.location = written.location if channel is not None else location
        return st

    def emit_statement(self, prof: LoadedProfile, st: Statement, cls: URIRef, prop: URIRef) -> None:
        t = prof.triples
        t += [(prof.iri, prop, st.node), (st.node, RDF.type, cls), (st.node, SGM.statement, Literal(st.text, lang="ru")),
              (st.node, SGM.state, URIRef(st.state))]
        for e in st.evidence:
            t.append((st.node, SGM.evidence, Literal(e, lang="ru")))
        if st.channel:
            t.append((st.node, SGM.channel, URIRef(st.channel)))
        elif st.channel_written:  # a channel the catalogue does not have, kept as written
            t.append((st.node, SGM.writtenAs, Literal(st.channel_written)))
        if st.purpose:
            t.append((st.node, SGM.purpose, URIRef(st.purpose)))
        prof.statements.append(st)
        prof.locations[(st.node, None)] = st.location

    def read_channels(self, prof: LoadedProfile, key: Marked, value: Any) -> None:
        if isinstance(value, Marked) and value.value is None:
            return
        if not isinstance(value, MarkedDict):
            raise self.fail(text("expected_mapping", self.lang, key=key.value), value if hasattr(value, "location") else key,
                            text("channels_hint", self.lang, informing=key_name("informing", self.key_lang, CHANNEL_KEYS),
                                 service=key_name("service", self.key_lang, CHANNEL_KEYS)))
        for purpose_name, (pkey, pvalue) in self.keyed(value, CHANNEL_KEYS, "channels").items():
            purpose = str(SGM.Informing if purpose_name == "informing" else SGM.ServiceDelivery)
            for n, entry in enumerate(self.as_list(pvalue, purpose_name, pkey), 1):
                node = URIRef(f"{prof.iri}/channel/{purpose_name}-{n}")
                with self.collecting():
                    st = self.read_statement(entry, "channel", node, purpose_name)
                    st.purpose = purpose
                    self.read_channel(prof, st)
                    self.emit_statement(prof, st, SGM.ChannelPreference, SGM.hasChannelPreference)

    def read_priority(self, prof: LoadedProfile, key: Marked, value: Any) -> None:
        if isinstance(value, Marked) and value.value is None:
            return
        if not isinstance(value, MarkedDict):
            raise self.fail(text("expected_mapping", self.lang, key=key.value), value if hasattr(value, "location") else key,
                            text("priority_hint", self.lang))
        seen: dict[str, Marked] = {}
        for ckey, cvalue in value.items():
            with self.collecting():
                criterion = self.resolve("criterion", Marked(str(ckey.value).replace("_", " "), ckey.location))
                if criterion in seen:  # «ёмкость» twice, or «ёмкость» and «capacity»: which one counts?
                    raise self.fail(text("duplicate_key", self.lang, key=ckey.value, line=seen[criterion].location.line), ckey,
                                    text("duplicate_key_hint", self.lang))
                seen[criterion] = ckey
                source = None
                if isinstance(cvalue, MarkedDict):
                    sub = self.keyed(cvalue, VALUE_KEYS, str(ckey.value))
                    source = one_line(sub["source"][1].value) if "source" in sub and isinstance(sub["source"][1], Marked) else None
                    cvalue = sub["value"][1] if "value" in sub else Marked(None, cvalue.location)
                item = self.as_text(cvalue, str(ckey.value), ckey)
                if item is None:
                    continue
                raw = item.value
                check_value(self.cat, criterion, raw, item.location, self.lang)  # what prioritise and report would refuse
                lit = Literal(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else Literal(one_line(raw), lang="ru")
                node = URIRef(f"{prof.iri}/priority/{self.cat.local_id(criterion)}")
                t = prof.triples
                t += [(prof.iri, SGM.hasAssessment, node), (node, RDF.type, SGM.CriterionAssessment), (node, SGM.criterion, URIRef(criterion)),
                      (node, SGM.assessedValue, lit)]
                if source:
                    t.append((node, SGM.assessmentSource, Literal(source, lang="ru")))
                prof.priority.append((criterion, lit, source))
                prof.locations[(node, None)] = ckey.location
                prof.locations[(node, SGM.assessedValue)] = item.location


def _close_keys(written: str, table: dict[str, list[str]]) -> list[str]:
    """The known key closest to a written one (by spelling), if any is close enough."""
    options = [*table, *(n for names in table.values() for n in names)]
    return difflib.get_close_matches(normalize(written.replace("_", " ")), [normalize(o.replace("_", " ")) for o in options], n=1, cutoff=0.5)


_REGIONS = "https://w3id.org/segmentum/id/scheme/regions"
#: a life situation written as a service, or a service written as a life situation
_OTHER_FIELD = {"life_situation": "service", "service": "life_situation"}


#: spaces, tabs and line breaks; a no-break space is kept («15 000», «г. Москва» are written with it on purpose)
_BLANKS = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


def one_line(value: Any) -> str:
    """A title, statement or evidence as one line of text: written over several lines (YAML «|»),
    with double spaces or tabs, or with spaces around it, it is the same text."""
    return _BLANKS.sub(" ", str(value)).strip(" ")


def _text_literal(item: Marked) -> Literal:
    return Literal(one_line(item.value), lang="ru")


def _notes_literal(item: Marked) -> Literal:
    """Notes keep the lines, paragraphs and indentation they were written in; runs of spaces or tabs
    inside a line are one space."""
    lines = (re.match(r"[ \t]*", line).group(0) + re.sub(r"[ \t]+", " ", line.strip(" \t")) for line in str(item.value).strip().splitlines())
    return Literal("\n".join(lines), lang="ru")


def resolve_stage_text(catalogue: Catalogue, stage: str, lang: Lang = Lang.RU) -> str:
    """The stage IRI a text such as «III», «3» or «гипотезы» names (for ``--stage``)."""
    return _ProfileReader(catalogue, "--stage", lang).resolve_stage(Marked(stage, Location("--stage")))


def read_profile_mapping(doc: Any, catalogue: Catalogue, display: str, default_id: str, *, lang: Lang = Lang.RU) -> LoadedProfile:
    """Read a profile written inline in another YAML file (a segment of ``segmentum prioritise``)."""
    return _ProfileReader(catalogue, display, lang).read(doc, Path(default_id))


def add_priority(prof: LoadedProfile, key: Marked, value: Any, catalogue: Catalogue, *, lang: Lang = Lang.RU) -> None:
    """Read a mapping of stage II criteria into ``prof``; a criterion given again replaces the earlier value."""
    reader = _ProfileReader(catalogue, str(key.location.path), lang)
    before = len(prof.priority)
    try:
        reader.read_priority(prof, key, value)
    except TooManyErrors:
        pass
    reader.raise_errors()
    given = {c for c, _, _ in prof.priority[before:]}
    prof.priority = [p for p in prof.priority[:before] if p[0] not in given] + prof.priority[before:]


def load_profile(path: Path, catalogue: Catalogue, *, lang: Lang = Lang.RU, display: str | None = None) -> LoadedProfile:
    """Read one profile file and return its RDF; raise its problems (``ProfileError``, ``ProfileErrors`` when several)."""
    shown = display or str(path)
    doc = read_yaml(path, lang, shown)
    return _ProfileReader(catalogue, shown, lang).read(doc, path)


def _folder_files(folder: Path) -> list[Path]:
    """The YAML files under a folder (``.yaml``, ``.yml`` in any case), sorted; hidden files and folders
    (``.git``, ``.github``, ``._x.yaml`` of macOS) are not profiles and are skipped."""
    found = []
    for f in folder.rglob("*"):
        rel = f.relative_to(folder).parts
        if f.suffix.lower() in (".yaml", ".yml") and not any(part.startswith(".") for part in rel) and f.is_file():
            found.append(f)
    return sorted(found)


def _expand(paths: list[Path], lang: Lang) -> list[tuple[Path, bool]]:
    """Each profile file under ``paths`` and whether it was found in a folder (not named itself)."""
    out: list[tuple[Path, bool]] = []
    for p in paths:
        if p.is_dir():
            found = _folder_files(p)
            if not found:
                raise ProfileError(text("no_profiles", lang, path=p))
            out += [(f, True) for f in found]
        elif p.exists():
            out.append((p, False))
        else:
            raise ProfileError(text("not_found", lang, path=p))
    return out


def profile_paths(paths: list[Path], *, lang: Lang = Lang.RU) -> list[Path]:
    """Expand files and folders into the profile files they hold (``*.yaml``, ``*.yml``), sorted."""
    return [p for p, _ in _expand(paths, lang)]


def load_profiles(paths: list[Path], catalogue: Catalogue, *, lang: Lang = Lang.RU) -> list[LoadedProfile]:
    """Load every profile file under ``paths``; two profiles may not share an id.

    Every file is read even when one is wrong; the error then names every problem of each wrong
    file, up to ``MAX_ERRORS`` a file (``ProfileErrors``, one line each), and nothing is loaded.
    """
    loaded: list[LoadedProfile] = []
    errors: list[ProfileError] = []
    seen: dict[str, str] = {}
    expanded = _expand(paths, lang)
    for path, in_folder in progress(expanded, text("progress.read", lang)):
        try:
            prof = load_profile(path, catalogue, lang=lang)
        except SegmentsFileError as exc:
            if in_folder:  # a SEGMENTS file kept next to its profiles is not one of them
                continue
            errors.append(exc)
            continue
        except ProfileError as exc:
            errors += exc.errors if isinstance(exc, ProfileErrors) else [exc]  # every error of the file
            continue
        if prof.id in seen:
            errors.append(ProfileError(
                text("duplicate_id", lang, id=prof.id, other=seen[prof.id]),
                location=prof.locations.get((prof.iri, None)),
                hint=text("duplicate_hint", lang),
            ))
            continue
        seen[prof.id] = prof.path
        loaded.append(prof)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ProfileErrors(errors)
    if expanded and not loaded:  # a folder that holds a SEGMENTS file only
        raise ProfileError(text("no_profiles", lang, path=", ".join(str(p) for p in paths)))
    return loaded
