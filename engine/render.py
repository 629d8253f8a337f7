"""Turn catalogue items and loaded profiles into text, CSV and JSON for the terminal or a file.

Renderers take typed values and return strings; they never print. Output is deterministic
(sorted, stable wording), so golden files can pin it.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import textwrap
from decimal import Decimal
from enum import Enum

from rdflib.namespace import XSD

from segmentum.engine.catalogue import AttributeInfo, Catalogue, SourceRef, code_short_names
from segmentum.engine.messages import Lang, text
from segmentum.engine.namespaces import SGM
from segmentum.engine.profiles import AttributeValue, LoadedProfile


class TableFormat(str, Enum):
    """Formats of tabular output."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class DocFormat(str, Enum):
    """Formats of one item's details."""

    TEXT = "text"
    JSON = "json"


# ---------------------------------------------------------------- sources

def document_short(cat: Catalogue, iri: str, lang: str | Lang) -> str:
    """A short name for an act or form: «209-ФЗ», «ТК РФ», «ПП РФ № 588», «форма 088/у»."""
    types = cat.types.get(iri, set())
    if str(SGM.ApplicationForm) in types:
        code = cat.notation.get(iri)
        if code:
            return ("форма " if lang in ("ru", Lang.RU) else "form ") + code
        title = cat.label(iri, lang)
        return f"«{title[:60]}{'…' if len(title) > 60 else ''}»"
    info = cat.acts.get(iri)
    if info is None:
        return cat.label(iri, lang)
    kind, number, title = info
    number = number.removeprefix("№").strip()
    if lang not in ("ru", Lang.RU):
        return cat.label(iri, lang)
    if kind == "кодекс":
        names = code_short_names(title)  # Трудовой кодекс → ТК РФ
        return names[0] if names else title
    if kind == "федеральный закон":
        twins = [a for a, (k, n, _) in cat.acts.items() if n == number and a != iri]
        if twins:
            return f"{number} «{title}»"
        return number
    if kind.startswith("постановление"):
        return f"ПП РФ № {number}"
    if kind.startswith("указ"):
        return f"Указ Президента РФ № {number}"
    if kind.startswith("приказ"):
        m = re.match(r"приказ \((.*)\)", kind)
        return f"приказ {m.group(1) if m else ''} № {number}".replace("  ", " ")
    if kind.startswith("закон"):
        return f"Закон РФ № {number}"
    return cat.label(iri, lang)


#: the Russian words of article and field references, in English (longer words first)
_REF_WORDS = [
    (r"\(номер раздела не проверен\)", "(section number not verified)"),
    (r"\(номер графы не проверен\)", "(column number not verified)"),
    (r"\(номер не проверен\)", "(number not verified)"),
    (r"\(часть не проверена\)", "(part not verified)"),
    (r"\(статья не проверена\)", "(article not verified)"),
    (r"\(подпункт не проверен\)", "(sub-item not verified)"),
    (r"\(пункт не проверен\)", "(item not verified)"),
    (r"лист / пункт не проверен", "sheet / item not verified"),
    (r"лицевая сторона", "front side"),
    (r"(?<!\w)преамбула(?!\w)", "preamble"),
    (r"(?<!\w)подраздел(?=\s+[\d«])", "subsection"),
    (r"(?<!\w)раздел(?=\s+[\d«])", "section"),
    (r"(?<!\w)графа(?=\s+[\d«])", "column"),
    (r"(?<!\w)строка(?=\s+[\d«])", "line"),
    (r"(?<!\w)подп\.\s*", "sub-item "),
    (r"(?<!\w)ст\.\s*", "Art. "),
    (r"(?<!\w)ч\.\s*", "Part "),
    (r"(?<!\w)п\.\s*", "item "),
]


def ref_text(ref: str, lang: str | Lang) -> str:
    """An article or field reference as written in the catalogue («ч. 2 ст. 5»), in English if asked («Part 2 Art. 5»)."""
    if lang in ("ru", Lang.RU):
        return ref
    for pattern, english in _REF_WORDS:
        ref = re.sub(pattern, english, ref)
    return ref


def source_text(cat: Catalogue, src: SourceRef, lang: str | Lang, *, short: bool = False) -> str:
    """One source as a methodologist cites it: «209-ФЗ, ст. 4» or «форма 1П, лицевая сторона: «Пол»»."""
    if src.kind == "expert":
        return text("src.expert", lang)
    doc = document_short(cat, src.document, lang) if (short and src.document) else (cat.label(src.document, lang) if src.document else "?")
    english = lang not in ("ru", Lang.RU)
    ref = src.ref_en if english and src.ref_en else ref_text(src.ref or "", lang)
    if src.kind == "article":
        return text("src.article", lang, act=doc, article=ref)
    if short:
        return f"{doc}, {ref}"
    return text("src.field", lang, form=doc, field_ref=ref, field=src.field_label or "")


def short_sources(cat: Catalogue, a: AttributeInfo, lang: str | Lang, status: str | None = None) -> list[str]:
    """An attribute's sources, cited briefly, without repeats; with ``status``, only forms of that status."""
    out: list[str] = []
    for s in a.sources:
        src = cat.sources.get(s)
        if src and status and src.kind == "field" and status not in cat.applies.get(src.document or "", [status]):
            continue
        if src:
            cited = source_text(cat, cat.sources[s], lang, short=True)
            if cited not in out:
                out.append(cited)
    return out


# ---------------------------------------------------------------- attribute list

def attribute_rows(cat: Catalogue, attrs: list[AttributeInfo], lang: str | Lang) -> list[dict[str, str]]:
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


def value_summary(cat: Catalogue, a: AttributeInfo, lang: str | Lang, limit: int = 4) -> str:
    if a.scheme:
        iris = [v for v in cat.scheme_values.get(a.scheme, []) if not cat.values[v].deprecated]
        labels = [cat.label(v, lang) for v in iris[:limit]]
        more = len(iris) - limit
        return ", ".join(labels) + (" " + text("more_values", lang, n=more) if more > 0 else "")
    if a.datatype:
        dt = text("dt." + a.datatype.rsplit("#", 1)[-1], lang)
        unit = f" {a.unit_in(lang)}" if a.unit_in(lang) else ""
        if a.minimum is not None and a.maximum is not None:
            return f"{dt} {shown_number(a.minimum, lang)}–{shown_number(a.maximum, lang)}{unit}"
        if a.minimum is not None:
            return f"{dt} ≥ {shown_number(a.minimum, lang)}{unit}"
        if a.maximum is not None:
            return f"{dt} ≤ {shown_number(a.maximum, lang)}{unit}"
        return dt
    return ""


def _num(v) -> str:
    if v is None:
        return ""
    s = str(v)
    return s[:-2] if s.endswith(".0") else s


def shown_number(v, lang: str | Lang) -> str:
    """A number as a reader expects it: «800 000 000» in Russian, «800,000,000» in English (from 10 000 up)."""
    if v is None:
        return ""
    try:
        d = Decimal(str(v))
    except ArithmeticError:
        return str(v)
    russian = lang in ("ru", Lang.RU)
    if d == d.to_integral_value():
        n = int(d)
        if abs(n) < 10000:
            return str(n)
        grouped = f"{n:,}"
        return grouped.replace(",", "\u00a0") if russian else grouped
    s = format(d.normalize(), "f")
    return s.replace(".", ",") if russian else s


_COLUMNS = ["attribute", "id", "statuses", "values", "sources"]


def render_table(rows: list[dict[str, str]], fmt: TableFormat, lang: str | Lang, columns: list[str] = _COLUMNS) -> str:
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


def text_table(headers: list[str], rows: list[list[str]], max_widths: list[int]) -> str:
    """An aligned table whose long cells wrap onto further lines."""
    widths = [max(min(mw, max([len(h)] + [len(r[i]) for r in rows])), *(len(w) for w in h.split()))
              for i, (h, mw) in enumerate(zip(headers, max_widths))]  # never narrower than a word of the header
    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    heads = [_wrap(h, w) for h, w in zip(headers, widths)]  # a long header wraps like a long cell
    out = [line(list(parts)) for parts in itertools.zip_longest(*heads, fillvalue="")]
    out.append("-+-".join("-" * w for w in widths))
    for r in rows:
        wrapped = [_wrap(cell, w) for cell, w in zip(r, widths)]
        if all(len(parts) == 1 for parts in wrapped):
            out.append(line([parts[0] for parts in wrapped]))
            continue
        for parts in itertools.zip_longest(*wrapped, fillvalue=""):
            out.append(line(list(parts)))
    return "\n".join(out) + "\n"


def _wrap(cell: str, width: int) -> list[str]:
    """The cell's lines: ``textwrap.wrap``, skipped for a cell that fits and that it would leave as it is."""
    if len(cell) <= width and cell.isprintable() and cell == cell.rstrip() and cell.strip():
        return [cell]
    return textwrap.wrap(cell, width, break_long_words=True) or [""]


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


def term_rows(cat: Catalogue, kind: str, lang: str | Lang) -> list[dict[str, str]]:
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

def attribute_details(cat: Catalogue, a: AttributeInfo, lang: str | Lang) -> dict:
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
        "min": _num(a.minimum) or None,
        "max": _num(a.maximum) or None,
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


def render_attribute(cat: Catalogue, a: AttributeInfo, fmt: DocFormat, lang: str | Lang) -> str:
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

def _town_note(cat: Catalogue, region: str, written: str, lang: str | Lang) -> str:
    """« (записано по городу: Тольятти)» when a region was written as one of its towns, else nothing:
    says why «Сочи» is Krasnodar Krai (the region of residence and the service region alike)."""
    town = cat.named_by_town(region, written, lang) if written else None
    return " " + text("p.centre" if town[1] else "p.town", lang, city=town[0]) if town else ""


def _value_text(cat: Catalogue, av: AttributeValue, lang: str | Lang) -> str:
    if av.value:
        label = cat.label(av.value, lang)
        info = cat.values.get(av.value)
        if info and info.deprecated:
            label += f" ({text('deprecated', lang, replacement=', '.join(cat.label(r, lang) for r in info.replaced_by))})"
        return label + _town_note(cat, av.value, av.written, lang)
    info = cat.attributes.get(av.attribute)
    unit = (info.units.get(Lang(lang).value) if lang not in ("ru", Lang.RU) else info.unit) if info else None
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
            return ("да" if av.literal.toPython() else "нет") if lang in ("ru", Lang.RU) else ("yes" if av.literal.toPython() else "no")
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


def _unit(unit: str | None, number, lang: str | Lang, *, genitive: bool = False) -> str:
    """The attribute's unit after a number, agreeing with it in Russian: « лет», « года», « руб.»; "" without a unit."""
    if not unit:
        return ""
    if unit == "%":
        return " %"
    if lang not in ("ru", Lang.RU):
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
    one, few, many = forms[1 if genitive else 0]
    if n % 10 == 1 and n % 100 != 11:
        return f" {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f" {few}"
    return f" {many}"


def _priority_value(cat: Catalogue, criterion: str, value, lang: str | Lang) -> str:
    """A stage II value in the reader's language («средняя» → «medium»); free text as written."""
    from segmentum.engine.prioritise import shown_value

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


def profile_details(cat: Catalogue, prof: LoadedProfile, lang: str | Lang) -> dict:
    """A loaded profile with every term resolved to its label and every attribute to its sources."""
    def state(iri: str) -> str:
        return cat.label(iri, lang)

    channels: dict[str, list[dict]] = {"informing": [], "service": []}
    for st in prof.statements:
        if st.kind == "channel":
            key = "informing" if st.purpose == str(SGM.Informing) else "service"
            channels[key].append({"channel": cat.label(st.channel, lang), "channel_id": cat.local_id(st.channel), "written": st.text, "state": state(st.state),
                                  "open": st.state == str(SGM.Open), "evidence": list(st.evidence), "line": st.location.line if st.location else None})
    for entries in channels.values():
        for c in entries:
            c["shown"] = channel_shown(c["channel"], c["written"], sum(e["channel_id"] == c["channel_id"] for e in entries) > 1)
    return {
        "id": prof.id,
        "file": prof.path,
        "title": prof.title,
        "status": cat.label(prof.status, lang) if prof.status else None,
        "life_situations": [cat.label(x, lang) for x in prof.life_situations],
        "services": [cat.label(x, lang) for x in prof.services],
        "service_region": (cat.label(prof.service_region, lang) + _town_note(cat, prof.service_region, prof.service_region_written or "", lang)
                           if prof.service_region else None),
        "stage": cat.label(prof.stage, lang) if prof.stage else None,
        "stage_number": cat.notation.get(prof.stage) if prof.stage else None,
        "attributes": [
            {
                "attribute": cat.label(av.attribute, lang),
                "attribute_id": cat.local_id(av.attribute),
                "value": _value_text(cat, av, lang),
                "written": av.written,
                "line": av.location.line if av.location else None,
                "sources": short_sources(cat, cat.attributes[av.attribute], lang, prof.status),
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


def render_profile(cat: Catalogue, prof: LoadedProfile, fmt: DocFormat, lang: str | Lang) -> str:
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


def render_prioritisation(data: dict, fmt: str, lang: str | Lang) -> str:
    """The priority table (``engine.prioritise.prioritisation_data``) as text, CSV or JSON."""
    from segmentum.engine.prioritise import table_rows

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
