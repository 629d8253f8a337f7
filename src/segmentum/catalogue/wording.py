"""The catalogue's terms as a methodologist cites them: short names of acts and forms, sources,
article references in English, a summary of an attribute's values, numbers as a reader writes them.

Shared by the terminal views, the reports and the suggestions.
"""

from __future__ import annotations

import re
from decimal import Decimal

from segmentum.catalogue.lemmas import singular
from segmentum.catalogue.view import AttributeInfo, Catalogue, SourceRef, code_short_names
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import SGM


def document_short(cat: Catalogue, iri: str, lang: Lang, *, full: bool = False) -> str:
    """A short name for an act or form: «209-ФЗ», «ТК РФ», «ПП РФ № 588», «форма 088/у»; a form without a
    code by its title, cut at a word after 60 characters, or whole with ``full`` (the report's citations)."""
    types = cat.types.get(iri, set())
    if str(SGM.ApplicationForm) in types:
        code = cat.notation.get(iri)
        if code:
            return ("форма " if lang == Lang.RU else "form ") + code
        title = cat.label(iri, lang)
        if full or len(title) <= 60:
            return f"«{title}»"
        cut = title[:60].rsplit(" ", 1)[0].rstrip(" ,;:(«")
        return f"«{cut}…»"
    info = cat.acts.get(iri)
    if info is None:
        return cat.label(iri, lang)
    kind, number, title = info
    number = number.removeprefix("№").strip()
    if lang != Lang.RU:
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


def ref_text(ref: str, lang: Lang) -> str:
    """An article or field reference as written in the catalogue («ч. 2 ст. 5»), in English if asked («Part 2 Art. 5»)."""
    if lang == Lang.RU:
        return ref
    for pattern, english in _REF_WORDS:
        ref = re.sub(pattern, english, ref)
    return ref


def source_text(cat: Catalogue, src: SourceRef, lang: Lang, *, short: bool = False, full: bool = False) -> str:
    """One source as a methodologist cites it: «209-ФЗ, ст. 4» or «форма 1П, лицевая сторона: «Пол»»."""
    if src.kind == "expert":
        return text("src.expert", lang)
    doc = document_short(cat, src.document, lang, full=full) if (short and src.document) else (cat.label(src.document, lang) if src.document else "?")
    english = lang != Lang.RU
    ref = src.ref_en if english and src.ref_en else ref_text(src.ref or "", lang)
    if src.kind == "article":
        return text("src.article", lang, act=doc, article=ref)
    if short:
        return f"{doc}, {ref}"
    return text("src.field", lang, form=doc, field_ref=ref, field=src.field_label or "")


def short_sources(cat: Catalogue, a: AttributeInfo, lang: Lang, status: str | None = None) -> list[str]:
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


def profile_documents(cat: Catalogue, life_situations: list[str], services: list[str]) -> set[str]:
    """The acts and forms of a profile's life situations and services: those regulating a life situation or
    used in it, those a service names, and those of the life situation a service belongs to."""
    situations = set(life_situations)
    situations |= {ls for ls, links in cat.life_situation_links.items() if links.get("service", set()) & set(services)}
    docs: set[str] = set()
    for ls in situations:
        links = cat.life_situation_links.get(ls, {})
        docs |= links.get("act", set()) | links.get("form", set())
    for svc in services:
        docs |= cat.service_documents.get(svc, set())
    return docs


def report_sources(cat: Catalogue, a: AttributeInfo, lang: Lang, status: str | None,
                   life_situations: list[str], services: list[str]) -> list[str]:
    """An attribute's sources in a profile's report: first the acts and forms of the profile's life situation
    or service, then the other acts and the forms no life situation or service claims, the expert table
    last. Forms of other life situations and services (the university admission form in a polyclinic
    profile) are left out. Forms without a code are cited by their whole title."""
    own = profile_documents(cat, life_situations, services)
    claimed: set[str] = set()
    if own:
        for links in cat.life_situation_links.values():
            claimed |= links.get("form", set())
        for docs in cat.service_documents.values():
            claimed |= {d for d in docs if str(SGM.ApplicationForm) in cat.types.get(d, set())}
    ranked: list[tuple[int, str]] = []
    for s in a.sources:
        src = cat.sources.get(s)
        if src is None or (status and src.kind == "field" and status not in cat.applies.get(src.document or "", [status])):
            continue
        if src.kind == "expert":
            rank = 3
        elif src.document in own:
            rank = 0
        elif src.document in claimed:
            continue
        else:
            rank = 1 if src.kind == "article" else 2
        ranked.append((rank, source_text(cat, src, lang, short=True, full=True)))
    out: list[str] = []
    for _, cited in sorted(ranked, key=lambda r: r[0]):
        if cited not in out:
            out.append(cited)
    return out


_REPEATED_NAME = re.compile(r"^(?P<name>.+?) \((?P<again>[^()]+)\)$")


def english_singular(phrase: str) -> str:
    """«Limited liability companies» → «limited liability company»: the last word before « of » or a bracket."""
    m = re.match(r"^(.*?)(\w+)(?=( of | \(|$))(.*)$", phrase)
    if not m:
        return phrase
    head, word, rest = m.group(1), m.group(2), m.group(4)
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    out = head + word + rest
    return out[:1].lower() + out[1:] if len(out) > 1 and not out[1].isupper() else out


def report_value_label(cat: Catalogue, iri: str, lang: Lang) -> str:
    """A value as a report names it: a legal form of ОКОПФ in the singular («общество с ограниченной
    ответственностью», not the classifier's heading «Общества с ограниченной ответственностью»), a region
    without its name repeated in brackets («Республика Татарстан», not «Республика Татарстан (Татарстан)»)."""
    label = cat.label(iri, lang)
    m = _REPEATED_NAME.match(label)
    if m and m.group("again").casefold() in m.group("name").casefold():
        label = m.group("name")
    info = cat.values.get(iri)
    if info is not None and info.scheme.rsplit("/", 1)[-1] == "okopf":
        label = singular(label) if lang == Lang.RU else english_singular(label)
    return label


def value_summary(cat: Catalogue, a: AttributeInfo, lang: Lang, limit: int = 4) -> str:
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


def plain_number(v) -> str:
    """A number from the catalogue as written, without a trailing «.0»; empty for None."""
    if v is None:
        return ""
    s = str(v)
    return s[:-2] if s.endswith(".0") else s


def shown_number(v, lang: Lang) -> str:
    """A number as a reader expects it: «800 000 000» in Russian, «800,000,000» in English (from 10 000 up)."""
    if v is None:
        return ""
    try:
        d = Decimal(str(v))
    except ArithmeticError:
        return str(v)
    russian = lang == Lang.RU
    if d == d.to_integral_value():
        n = int(d)
        if abs(n) < 10000:
            return str(n)
        grouped = f"{n:,}"
        return grouped.replace(",", "\u00a0") if russian else grouped
    s = format(d.normalize(), "f")
    return s.replace(".", ",") if russian else s
