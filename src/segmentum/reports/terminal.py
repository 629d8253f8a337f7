"""Turn catalogue items and loaded profiles into text, CSV and JSON for the terminal or a file.

Renderers take typed values and return strings; they never print. Output is deterministic
(sorted, stable wording), so golden files can pin it.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from decimal import Decimal
from enum import Enum

from rdflib.namespace import XSD

from segmentum.catalogue.criteria import shown_value
from segmentum.catalogue.view import AttributeInfo, Catalogue
from segmentum.catalogue.wording import (
    plain_number,
    report_sources,
    report_value_label,
    short_sources,
    shown_number,
    source_text,
    value_summary,
)
from segmentum.i18n.messages import Lang, text
from segmentum.i18n.plural import form as plural_form
from segmentum.namespaces import SGM
from segmentum.prioritise.segments import table_rows
from segmentum.profiles.model import AttributeValue, LoadedProfile
from segmentum.tables import text_table


class TableFormat(str, Enum):
    """Formats of tabular output."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class DocFormat(str, Enum):
    """Formats of one item's details."""

    TEXT = "text"
    JSON = "json"


# ---------------------------------------------------------------- attribute list

def attribute_rows(cat: Catalogue, attrs: list[AttributeInfo], lang: Lang) -> list[dict[str, str]]:
    rows = []
    for a in attrs:
        rows.append({
            "attribute": cat.label(a.iri, lang),
            "id": cat.local_id(a.iri),
            "statuses": ", ".join(cat.label(s, lang) for s in a.statuses),
            "values": value_summary(cat, a, lang, limit=3),
            "sources": "; ".join(short_sources(cat, a, lang)),
        })
    return rows


_COLUMNS = ["attribute", "id", "statuses", "values", "sources"]


def render_table(rows: list[dict[str, str]], fmt: TableFormat, lang: Lang, columns: list[str] = _COLUMNS) -> str:
    """Rows as an aligned text table, CSV with a header, or a JSON array."""
    if fmt is TableFormat.JSON:
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    headers = [text(f"col.{c}", lang) for c in columns]
    if fmt is TableFormat.CSV:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(headers)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])
        return buf.getvalue()
    return text_table(headers, [[r.get(c, "") for c in columns] for r in rows], [_WIDTHS.get(c, 30) for c in columns])


_WIDTHS = {"attribute": 30, "id": 26, "statuses": 22, "values": 40, "sources": 60, "label": 40, "also": 40, "note": 50}


#: ``catalogue terms`` kinds → the catalogue kind they list
TERM_KINDS = {
    "statuses": "status",
    "life-situations": "life_situation",
    "services": "service",
    "channels": "channel",
    "acts": "act",
    "forms": "form",
    "function-kinds": "function_kind",
    "stages": "stage",
    "criteria": "criterion",
}


def term_rows(cat: Catalogue, kind: str, lang: Lang) -> list[dict[str, str]]:
    """The items of one kind with what a profile writer needs to name them."""
    rows = []
    for iri in cat.members(TERM_KINDS[kind]):
        alts = [lab for lab in cat.labels.get(iri, []) if lab not in cat.pref.get(iri, {}).values()]
        note = ""
        if kind == "channels":
            note = ", ".join(cat.label(p, lang) for p in sorted(cat.purposes.get(iri, set())))
        elif kind == "life-situations":
            note = "; ".join(cat.label(x, lang) for x in sorted(cat.life_situation_links.get(iri, {}).get("service", set())))
        elif kind == "acts" and iri in cat.acts:
            note = cat.acts[iri][0]
        rows.append({
            "label": cat.label(iri, lang),
            "id": cat.local_id(iri),
            "statuses": ", ".join(cat.label(x, lang) for x in sorted(cat.applies.get(iri, []))),
            "also": ", ".join(sorted(set(alts), key=str.casefold)),
            "note": note,
        })
    return sorted(rows, key=lambda r: r["label"].casefold())


TERM_COLUMNS = ["label", "id", "statuses", "also", "note"]


# ---------------------------------------------------------------- one attribute

def attribute_details(cat: Catalogue, a: AttributeInfo, lang: Lang) -> dict:
    """Everything about one attribute, as plain data (for JSON and for text)."""
    values = []
    if a.scheme:
        for v in cat.scheme_values.get(a.scheme, []):
            info = cat.values[v]
            entry = {"id": cat.local_id(v), "label": cat.label(v, lang)}
            if cat.notation.get(v):
                entry["code"] = cat.notation[v]
            if info.deprecated:
                entry["deprecated"] = True
                entry["replaced_by"] = [cat.label(r, lang) for r in info.replaced_by]
            values.append(entry)
    bands = {}
    for scheme in a.band_schemes:
        statuses = ", ".join(cat.label(s, lang) for s in cat.applies.get(scheme, []))
        bands[statuses] = [cat.label(v, lang) for v in sorted(cat.scheme_values.get(scheme, []), key=lambda v: cat.values[v].band or (0, 0))]
    return {
        "id": cat.local_id(a.iri),
        "iri": a.iri,
        "label": cat.label(a.iri, lang),
        "definition": a.definitions.get(str(lang.value if isinstance(lang, Lang) else lang)) or a.definitions.get("ru", ""),
        "statuses": [cat.label(s, lang) for s in a.statuses],
        "service_kinds": [cat.label(k, lang) for k in a.service_kinds],
        "datatype": a.datatype.rsplit("#", 1)[-1] if a.datatype else None,
        "min": plain_number(a.minimum) or None,
        "max": plain_number(a.maximum) or None,
        "unit": a.unit_in(lang),
        "multi_valued": a.multi_valued,
        "values": values,
        "bands": bands,
        "derivable_from": [[cat.label(m, lang) for m in group] for group in a.derivable_from],
        "sources": [
            {"kind": cat.sources[s].kind, "text": source_text(cat, cat.sources[s], lang), "needs_review": cat.sources[s].needs_review}
            for s in a.sources if s in cat.sources
        ],
    }


def render_attribute(cat: Catalogue, a: AttributeInfo, fmt: DocFormat, lang: Lang) -> str:
    d = attribute_details(cat, a, lang)
    if fmt is DocFormat.JSON:
        return json.dumps(d, ensure_ascii=False, indent=2) + "\n"
    out = [f"{d['label']} ({d['id']})", "", f"{text('h.definition', lang)}: {d['definition']}",
           f"{text('h.statuses', lang)}: {', '.join(d['statuses'])}"]
    if d["service_kinds"]:
        out.append(text("h.service_kinds", lang, kinds=", ".join(d["service_kinds"])))
    if d["datatype"]:
        out.append(text("h.type", lang, type=value_summary(cat, a, lang)))
    if d["multi_valued"]:
        out.append(text("h.multi", lang))
    if d["values"]:
        out += ["", f"{text('h.values', lang)}:"]
        for v in d["values"]:
            code = f" [{v['code']}]" if "code" in v else ""
            dep = f" — {text('deprecated', lang, replacement=', '.join(v['replaced_by']))}" if v.get("deprecated") else ""
            out.append(f"  - {v['label']}{code}{dep}")
    for statuses, labels in d["bands"].items():
        names = statuses.split(", ")  # one band scale may serve several statuses: «для статусов «А», «Б»»
        key = "h.bands" if len(names) == 1 else "h.bands_many"
        out += ["", text(key, lang, status=statuses, statuses=", ".join(f"«{n}»" for n in names)) + ": " + ", ".join(labels)]
    if d["derivable_from"]:  # «выводится из: организационно-правовая форма»
        joined = f" {text('h.or', lang)} ".join(f" {text('h.and', lang)} ".join(f"«{m}»" for m in group) for group in d["derivable_from"])
        out += ["", text("h.derivable", lang, sources=joined)]
    out += ["", f"{text('h.sources', lang)}:"]
    for s in d["sources"]:
        review = f" ({text('needs_review', lang)})" if s["needs_review"] else ""
        out.append(f"  - {s['text']}{review}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- profiles

def _town_note(cat: Catalogue, region: str, written: str, lang: Lang) -> str:
    """« (записано по городу: Тольятти)» when a region was written as one of its towns, else nothing:
    says why «Сочи» is Krasnodar Krai (the region of residence and the service region alike)."""
    town = cat.named_by_town(region, written, lang) if written else None
    return " " + text("p.centre" if town[1] else "p.town", lang, city=town[0]) if town else ""


def _band_text(cat: Catalogue, av: AttributeValue, lang: Lang) -> str | None:
    """A closed band of a scale in the words of a range written in a profile: «26-40» → «от 26 до 40 лет»,
    as «22-25 лет» is shown; open bands («41 и старше», «до 1 года») keep their words (None)."""
    band = cat.values[av.value].band if av.value in cat.values else None
    attr = cat.attributes.get(av.attribute)
    if band is None or attr is None or band[0] >= band[1] or band[1] == attr.maximum or band[0] == attr.minimum:
        return None
    unit = attr.units.get(Lang(lang).value) if lang != Lang.RU else attr.unit
    return text("p.range", lang, lo=shown_number(band[0], lang), hi=shown_number(band[1], lang), u=_unit(unit, band[1], lang, genitive=True))


def _value_text(cat: Catalogue, av: AttributeValue, lang: Lang, *, report: bool = False) -> str:
    """A value as shown; a number out of the attribute's range says so («150 лет (вне допустимого диапазона 0–120)»);
    ``report`` words it as a report does: closed bands as ranges, legal forms in the singular, regions as people
    write them (``report_value_label``)."""
    shown = _value_only(cat, av, lang, report=report)
    info = cat.attributes.get(av.attribute)
    if info is None or (info.minimum is None and info.maximum is None):
        return shown
    numbers = [b for b in (av.range or ()) if b is not None]
    if av.literal is not None and isinstance(av.literal.toPython(), (int, float, Decimal)) and not isinstance(av.literal.toPython(), bool):
        numbers.append(Decimal(str(av.literal)))
    if any((info.minimum is not None and n < info.minimum) or (info.maximum is not None and n > info.maximum) for n in numbers):
        low = shown_number(info.minimum, lang) if info.minimum is not None else "…"
        high = shown_number(info.maximum, lang) if info.maximum is not None else "…"
        shown += f" ({text('p.out_of_range', lang, low=low, high=high)})"
    return shown


def _value_only(cat: Catalogue, av: AttributeValue, lang: Lang, *, report: bool = False) -> str:
    """The value alone, as written or as a report words it."""
    if av.value:
        label = (_band_text(cat, av, lang) or report_value_label(cat, av.value, lang)) if report else cat.label(av.value, lang)
        info = cat.values.get(av.value)
        if info and info.deprecated:
            label += f" ({text('deprecated', lang, replacement=', '.join(cat.label(r, lang) for r in info.replaced_by))})"
        return label + _town_note(cat, av.value, av.written, lang)
    info = cat.attributes.get(av.attribute)
    unit = (info.units.get(Lang(lang).value) if lang != Lang.RU else info.unit) if info else None
    if av.range:
        low, high = av.range
        # «более 300» of a whole number is held as 301 and up: shown with the number written
        above, below = av.excluded[0] or av.strict[0], av.excluded[1] or av.strict[1]
        if av.strict[0] and low is not None:
            low -= 1
        if av.strict[1] and high is not None:
            high += 1
        lo, hi = shown_number(low, lang), shown_number(high, lang)
        if high is None or (info and info.maximum is not None and high == info.maximum and low is not None and low != high) or av.strict[0]:
            return text("p.range_above" if above else "p.range_from", lang, lo=lo,
                        u=_unit(unit, low, lang, genitive=above))  # «60+», «свыше 2 млрд» …: open upward
        if low is None or (info and info.minimum is not None and low == info.minimum and high != low) or av.strict[1]:
            return text("p.range_below" if below else "p.range_to", lang, hi=hi,
                        u=_unit(unit, high, lang, genitive=True))  # «до 800 млн руб.»: open downward
        if low == high:
            return lo + _unit(unit, low, lang)
        return text("p.range", lang, lo=lo, hi=hi, u=_unit(unit, high, lang, genitive=True))
    if av.literal is not None:
        if av.literal.datatype == XSD.boolean:
            return ("да" if av.literal.toPython() else "нет") if lang == Lang.RU else ("yes" if av.literal.toPython() else "no")
        if av.literal.datatype in (XSD.integer, XSD.decimal):
            return shown_number(av.literal, lang) + _unit(unit, av.literal.toPython(), lang)
        return str(av.literal)
    return av.written


# the Russian units that agree with their number: nominative (1, 2–4, 5+) and genitive («до 1 года», «до 5 лет»)
_UNIT_FORMS = {
    "лет": (("год", "года", "лет"), ("года", "лет", "лет")),
    "юридических лиц": (("юридическое лицо", "юридических лица", "юридических лиц"), ("юридического лица", "юридических лиц", "юридических лиц")),
}


_SINGULAR_EN = {"years": "year", "persons": "person", "legal entities": "legal entity"}


def _is_one(number) -> bool:
    try:
        return Decimal(str(number)) == 1
    except ArithmeticError:
        return False


def _unit(unit: str | None, number, lang: Lang, *, genitive: bool = False) -> str:
    """The attribute's unit after a number, agreeing with it in Russian: « лет», « года», « руб.»; "" without a unit."""
    if not unit:
        return ""
    if unit == "%":
        return " %"
    if lang != Lang.RU:
        single = _SINGULAR_EN.get(unit)
        return f" {single}" if single and _is_one(number) else f" {unit}"
    forms = _UNIT_FORMS.get(unit)
    if not forms:
        return f" {unit}"
    try:
        d = Decimal(str(number))
    except ArithmeticError:
        return f" {unit}"
    if d != d.to_integral_value():
        return f" {forms[1][0]}"  # «1,5 года»: a fraction takes the genitive singular
    n = abs(int(d))
    return f" {plural_form(n, forms[1 if genitive else 0], Lang.RU)}"


def _priority_value(cat: Catalogue, criterion: str, value, lang: Lang) -> str:
    """A stage II value in the reader's language («средняя» → «medium»); free text as written."""
    raw = value.toPython() if value.language is None else str(value)
    return shown_value(cat, criterion, raw, lang)


def _ordered_attributes(cat: Catalogue, prof: LoadedProfile) -> list[AttributeValue]:
    main = cat.main_attributes.get(prof.status or "", [])
    rank = {a: i for i, a in enumerate(main)}
    return sorted(prof.attributes, key=lambda av: (rank.get(av.attribute, len(rank)), prof.attributes.index(av)))


def channel_shown(label: str, written: str, repeated: bool) -> str:
    """A channel as shown: its catalogue label, and how the profile named it if the label does not say so
    («Официальный сайт ведомства («сайт министерства»)») or if the profile names the channel twice for one
    purpose («Госуслуги» and «ЕПГУ» are both the ЕПГУ: each line says which one was written)."""
    return f"{label} («{written}»)" if repeated or written.casefold() not in label.casefold() else label


def profile_details(cat: Catalogue, prof: LoadedProfile, lang: Lang, *, report: bool = False) -> dict:
    """A loaded profile with every term resolved to its label and every attribute to its sources.

    ``report``: as the report shows it: values worded as in ``_value_text(report=True)`` and each attribute's
    sources those of the profile's life situation or service (``report_sources``)."""
    def state(iri: str) -> str:
        return cat.label(iri, lang)

    channels: dict[str, list[dict]] = {"informing": [], "service": []}
    for st in prof.statements:
        if st.kind == "channel":
            key = "informing" if st.purpose == str(SGM.Informing) else "service"
            # a channel the catalogue does not have is kept as written (no id)
            channels[key].append({"channel": cat.label(st.channel, lang) if st.channel else st.channel_written,
                                  "channel_id": cat.local_id(st.channel) if st.channel else None, "written": st.text, "state": state(st.state),
                                  "open": st.state == str(SGM.Open), "evidence": list(st.evidence), "line": st.location.line if st.location else None})
    for entries in channels.values():
        for c in entries:
            c["shown"] = (channel_shown(c["channel"], c["written"], sum(e["channel_id"] == c["channel_id"] for e in entries) > 1) if c["channel_id"]
                          else f"{c['channel']} ({text('p.not_in_catalogue', lang)})" + ("" if c["written"] == c["channel"] else f" («{c['written']}»)"))
    return {
        "id": prof.id,
        "file": prof.path,
        "title": prof.title,
        "status": cat.label(prof.status, lang) if prof.status else None,
        "life_situations": [cat.label(x, lang) for x in prof.life_situations],
        "services": [cat.label(x, lang) for x in prof.services],
        "service_region": ((report_value_label(cat, prof.service_region, lang) if report else cat.label(prof.service_region, lang))
                           + _town_note(cat, prof.service_region, prof.service_region_written or "", lang)
                           if prof.service_region else None),
        "stage": cat.label(prof.stage, lang) if prof.stage else None,
        "stage_number": cat.notation.get(prof.stage) if prof.stage else None,
        "attributes": [
            {
                "attribute": cat.label(av.attribute, lang),
                "attribute_id": cat.local_id(av.attribute),
                "value": _value_text(cat, av, lang, report=report),
                "written": av.written,
                "line": av.location.line if av.location else None,
                "sources": (report_sources(cat, cat.attributes[av.attribute], lang, prof.status, prof.life_situations, prof.services)
                            if report else short_sources(cat, cat.attributes[av.attribute], lang, prof.status)),
            }
            for av in _ordered_attributes(cat, prof)
        ],
        "journey_features": [{"text": st.text, "state": state(st.state), "evidence": st.evidence} for st in prof.statements if st.kind == "journey_feature"],
        "channels": channels,
        "pains": [{"text": st.text, "state": state(st.state), "evidence": st.evidence} for st in prof.statements if st.kind == "pain"],
        "hypotheses": [{"text": st.text, "state": state(st.state), "evidence": st.evidence} for st in prof.statements if st.kind == "hypothesis"],
        "priority": [{"criterion": cat.label(c, lang), "value": _priority_value(cat, c, v, lang), "source": s} for c, v, s in prof.priority],
        "notes": prof.notes,
    }


def render_profile(cat: Catalogue, prof: LoadedProfile, fmt: DocFormat, lang: Lang) -> str:
    d = profile_details(cat, prof, lang)
    if fmt is DocFormat.JSON:
        return json.dumps(d, ensure_ascii=False, indent=2) + "\n"
    none = text("p.none", lang)
    out = [f"{text('p.profile', lang)} «{d['title'] or d['id']}» ({d['id']})", f"{text('p.file', lang)}: {d['file']}"]
    out.append(f"{text('p.status', lang)}: {d['status'] or none}")
    if d["life_situations"]:
        out.append(f"{text('p.life_situation', lang)}: {'; '.join(d['life_situations'])}")
    if d["services"]:
        out.append(f"{text('p.service', lang)}: {'; '.join(d['services'])}")
    if d["service_region"]:
        out.append(f"{text('p.service_region', lang)}: {d['service_region']}")
    stage = f"{d['stage_number']} — {d['stage']}" if d["stage"] else none
    out.append(f"{text('p.stage', lang)}: {stage}")
    out += ["", text("p.attributes", lang)]
    for a in d["attributes"] or []:
        out.append(f"  {a['attribute']} – {a['value']}")
        if a["sources"]:
            out.append(f"      {text('col.sources', lang).lower()}: {'; '.join(a['sources'])}")
    if not d["attributes"]:
        out.append(f"  {none}")
    def section(title: str, items: list[dict]) -> None:
        out.extend(["", title])
        for it in items:
            ev = f" [{'; '.join(it['evidence'])}]" if it.get("evidence") else ""
            out.append(f"  - {it['text']} ({it['state']}){ev}")
        if not items:
            out.append(f"  {none}")
    section(text("p.journey", lang), d["journey_features"])
    out += ["", text("p.channels", lang)]
    for key, title in (("informing", "p.informing"), ("service", "p.service_channels")):
        names = [c["shown"] + ("" if c["open"] else f" ({c['state']})") + (f" [{'; '.join(c['evidence'])}]" if c["evidence"] else "")
                 for c in d["channels"][key]]
        out.append(f"  {text(title, lang)}: {'; '.join(names) if names else none}")
    section(text("p.pains", lang), d["pains"])
    if d["hypotheses"]:
        section(text("p.hypotheses", lang), d["hypotheses"])
    if d["priority"]:
        out += ["", text("p.priority", lang)]
        for p in d["priority"]:
            src = f" ({p['source']})" if p["source"] else ""
            out.append(f"  {p['criterion']}: {p['value']}{src}")
    out += ["", text("p.notes", lang), textwrap.indent(d["notes"] or none, "  ")]  # every line of the notes under the heading
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- prioritisation

def _plain_number(n: float) -> str:
    """1200 → «1200», 48.25 → «48.25»: no grouping, a point for the decimals, no exponent."""
    return str(int(n)) if float(n).is_integer() else f"{n:.6f}".rstrip("0")


def render_prioritisation(data: dict, fmt: str, lang: Lang) -> str:
    """The priority table (``engine.prioritise.prioritisation_data``) as text, CSV or JSON."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    headers, rows = table_rows(data, lang)
    if fmt == "csv":  # numbers as numbers (a point for the decimals, no grouping), for spreadsheets and scripts
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([*headers, "id"])
        for r, raw in zip(rows, data["rows"]):
            numbers = [raw["score"]] + [None if v is None else v["number"] for v in (raw["criteria"].get(c["id"]) for c in data["criteria"])]
            cells = r[:2] + [shown if n is None else _plain_number(n) for shown, n in zip(r[2:], numbers)] + r[2 + len(numbers):]
            w.writerow([*cells, raw["id"]])
        return buf.getvalue()
    widths = [5, 36, 6] + [14] * len(data["criteria"]) + [50]
    out = text_table(headers, rows, widths)
    out += "\n" + data["weights_note"] + "\n"
    for note in data["notes"]:
        out += "≈ " + note + "\n"
    for remark in data["remarks"]:
        out += "* " + remark + "\n"
    return out
