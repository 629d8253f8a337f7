"""Render a report (``engine.report``) as a Word document with python-docx.

The document is built on Word's own styles — Title, Heading 1–3, List Bullet, Intense Quote and
the «Table Grid» table style — on A4 pages with the page number in the footer (a PAGE field), so a
methodologist can go on editing it in Word or LibreOffice and the styles stay consistent. One font
family serves the text and the headings. Each table's columns are as wide as their content asks
(never narrower than the longest word, so no word breaks inside), its header row repeats on every
page, and the priority table has a landscape page of its own.

An agency's own Word file (``template``) gives its styles, page setup, headers and footers: the
report is written into it in place of its body; a style it lacks is taken from python-docx's
default template (lists without a list style become paragraphs starting with a dash or a number).
"""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from segmentum.reports.markup import text_blocks
from segmentum.reports.model import Report

TABLE_STYLE = "Table Grid"
FONT = "Times New Roman"
#: the styles the report uses; those an agency's template lacks are taken from the default template
STYLES = ["Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number", "Intense Quote", TABLE_STYLE]
TABLE_PT = 10  # the size of the text in the tables
PRIORITY_PT = 9  # the priority table: nine columns on a landscape page
_CELL_PADDING_MM = 4.6  # the left and right margins of a cell (1.9 mm each in Word and LibreOffice) with the borders
_EM = 0.6  # a conservative mean width of a Cyrillic or Latin letter of a serif font, in em (bold: a tenth more)
_WORD = re.compile(r"[^ \t\n]+")  # a no-break space keeps «36 812 963» one word


def _text_mm(chars: int, pt: float, bold: bool = False) -> float:
    return chars * pt * (_EM * 1.11 if bold else _EM) * 25.4 / 72


def column_widths(headers: list[str], rows: list[list[str]], total_mm: float, pt: float) -> list[float]:
    """Column widths in millimetres that add up to ``total_mm``: each column at least as wide as its longest
    word (the header's in bold), the rest shared by how much text each column holds in all its rows (a column
    of short values stays narrow, the column of sources or reasons gets the room)."""
    n = len(headers)
    least, want, text = [], [], []
    for i in range(n):
        cells = [r[i] for r in rows if i < len(r)]
        longest = max([_text_mm(len(w), pt) for c in cells for w in _WORD.findall(c)] +
                      [_text_mm(len(w), pt, bold=True) for w in _WORD.findall(headers[i])] + [0.0])
        least.append(longest + _CELL_PADDING_MM)
        widest = max([_text_mm(len(c), pt) for c in cells] + [0.0])  # a header wraps at its words: only its longest counts
        want.append(max(widest + _CELL_PADDING_MM, least[-1]))
        text.append(sum(_text_mm(len(c), pt) for c in cells))
    if sum(least) >= total_mm:  # too many long words: shrink in proportion (a word may break then)
        return [w * total_mm / sum(least) for w in least]
    if sum(want) <= total_mm:  # everything fits on one line a cell: spread the rest evenly by need
        return [w * total_mm / sum(want) for w in want]
    spare = total_mm - sum(least)
    # the room left goes by the square root of the text each column holds beyond its longest word: the
    # column of reasons or sources gets the most, a column of short values stays narrow
    extra = [max(t - m, 0.0) ** 0.5 if w > m else 0.0 for t, w, m in zip(text, want, least)]
    widths = [m + spare * e / sum(extra) for m, e in zip(least, extra)]
    # a column needing less than its share gives the surplus back to the others
    for _ in range(n):
        over = [i for i in range(n) if widths[i] > want[i]]
        if not over:
            break
        surplus = sum(widths[i] - want[i] for i in over)
        for i in over:
            widths[i] = want[i]
        rest = [i for i in range(n) if widths[i] < want[i]]
        if not rest:
            break
        need = sum(extra[i] for i in rest) or 1.0
        for i in rest:
            widths[i] += surplus * extra[i] / need
    return widths


def _page_number(paragraph) -> None:
    """Append a PAGE field (the current page number) to ``paragraph``."""
    run = paragraph.add_run()
    for kind, instr in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
        else:
            el = OxmlElement("w:t")
            el.text = "1"
        run._r.append(el)


def _font(style, name: str) -> None:
    """``name`` for every script of ``style``, in place of the theme's fonts (Calibri Light in the headings)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def _setup(doc, report: Report) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    for name in ["Normal", *STYLES]:  # one family: the headings do not fall back to the theme's sans-serif
        _font(doc.styles[name], FONT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _properties(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = report.title
    props.language = "ru-RU" if report.lang == "ru" else "en-GB"
    props.author = "segmentum"


def _from_template(path: Path):
    """The agency's document with its body emptied (its last section's page setup kept) and the styles the
    report needs: those it lacks are copied from the default template."""
    doc = Document(str(path))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    default = Document()
    have = {st.name for st in doc.styles}
    for name in STYLES:
        if name not in have and not name.startswith("List "):  # a list style needs its numbering: lists fall back to text
            doc.styles.element.append(copy.deepcopy(default.styles[name].element))
    return doc


def _usable_mm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


class _Writer:
    """Paragraphs, lists and tables in the document's styles."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.styles = {st.name for st in doc.styles}

    def para(self, text: str = "", style: str | None = None):
        if style and style not in self.styles:
            return self.doc.add_paragraph(text)
        return self.doc.add_paragraph(text, style=style)

    def item(self, number: int | None = None):
        """A paragraph of a bulleted (or numbered) list; a dash or the number where the template has no list style."""
        style = "List Bullet" if number is None else "List Number"
        if style in self.styles:
            return self.doc.add_paragraph(style=style)
        p = self.doc.add_paragraph()
        p.add_run("– " if number is None else f"{number}. ")
        return p

    def heading(self, text: str, level: int):
        return self.doc.add_heading(text, level=level)

    def table(self, headers: list[str], rows: list[list[str]], bold_first: list[bool] | None = None, pt: float = TABLE_PT):
        doc = self.doc
        widths = column_widths(headers, rows, _usable_mm(doc.sections[-1]), pt)
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = doc.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _fixed_layout(table, widths)
        for cell, head in zip(table.rows[0].cells, headers):  # a new cell has one empty paragraph to write in
            run = cell.paragraphs[0].add_run(head)
            run.bold = True
            run.font.size = Pt(pt)
        _repeat_header(table.rows[0])
        for n, row in enumerate(rows):
            cells = table.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row)):
                run = cell.paragraphs[0].add_run(value)
                run.font.size = Pt(pt)
                if i == 0 and bold_first and bold_first[n]:
                    run.bold = True
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Mm(width)
        return table


def _fixed_layout(table, widths: list[float]) -> None:
    """The grid's column widths and a fixed layout: Word and LibreOffice keep the widths given."""
    tbl = table._tbl
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    pr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    pr.append(layout)
    tblw = pr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        pr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(Mm(sum(widths)).twips)))


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _items(w: _Writer, items: list[dict], t: dict) -> None:
    if not items:
        w.para(t["not_filled"])
        return
    for i in items:
        p = w.item()
        p.add_run(i["text"] + " — ")
        p.add_run(i["state"]).italic = True
        if i["evidence"]:
            p.add_run(f"; {i['evidence_label'].lower()}: " + "; ".join(i["evidence"]))


def _meta(w: _Writer, label: str, value: str) -> None:
    p = w.para()
    p.add_run(f"{label}: ").bold = True
    p.add_run(value)


def _orientation(doc, landscape: bool) -> None:
    """A new section on a new page, landscape or portrait, with the margins of the one before."""
    before = doc.sections[-1]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    short, long_ = sorted((before.page_width, before.page_height))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)


def _title_page(w: _Writer, data: dict) -> None:
    t = data["t"]
    w.para(data["title"], style="Title")
    for line in data["summary"]:
        w.para(line)
    w.heading(t["segments"], level=1)
    w.table(["№", t["segment"], t["status"], t["stage"], t["validation"]],
            [[str(n), p["title"], p["status"] or t["none"], p["stage"] or t["none"], t["conforms"] if p["validation"]["conforms"] else t["fails"]]
             for n, p in enumerate(data["profiles"], 1)])
    prio = data["priority"]
    if prio:
        _orientation(w.doc, landscape=True)
        w.heading(t["priority"], level=1)
        w.para(data["priority_note"])
        score = (lambda v: f"{v:.1f}".replace(".", ",")) if data["lang"] == "ru" else (lambda v: f"{v:.1f}")
        headers = [t["rank"], t["segment"], t["score"], *(c["label"] for c in prio["criteria"]), t["reason"]]
        rows = [[str(r["rank"]), r["title"], score(r["score"]),
                 *((r["criteria"][c["id"]] or {}).get("value", t["none"]) for c in prio["criteria"]), r["reason"]] for r in prio["rows"]]
        if rows:
            w.table(headers, rows, pt=PRIORITY_PT)
        for line in (prio["tie_note"], prio["unranked"], prio["weights_note"]):
            if line:
                w.para(line)
        if prio["notes"]:
            w.para(t["estimates"] + ":")
            for note in prio["notes"]:
                w.item().add_run(note)
        if prio.get("remarks"):
            w.para(t["remarks"] + ":")
            for remark in prio["remarks"]:
                w.item().add_run(remark)
        _orientation(w.doc, landscape=False)


def _profile(w: _Writer, p: dict, data: dict) -> None:
    t = data["t"]
    w.heading(t["template"], level=1)
    if not p["validation"]["conforms"]:
        w.para(t["not_conforming"], style="Intense Quote")
    _meta(w, t["life_situation"], "; ".join(p["life_situations"]) or t["none"])
    _meta(w, t["profile_title"], p["title"])
    _meta(w, t["status"], p["status"] or t["none"])
    _meta(w, t["service"], "; ".join(p["services"]) or t["none"])
    if p["service_region"]:
        _meta(w, t["service_region"], p["service_region"])
    _meta(w, t["stage"], p["stage"] or t["none"])
    w.heading(t["attributes"], level=2)
    if p["attributes"]:
        w.table([t["attribute"], t["value"], t["source"]],
                [[a["attribute"], a["value"], "; ".join(a["sources"]) or t["none"]] for a in p["attributes"]],
                bold_first=[a["main"] for a in p["attributes"]])
    else:
        w.para(t["not_filled"])
    w.heading(t["journey"], level=2)
    _items(w, p["journey_features"], t)
    w.heading(t["channels"], level=2)
    w.heading(t["informing"], level=3)
    _items(w, p["channels"]["informing"], t)
    w.heading(t["receiving"], level=3)
    _items(w, p["channels"]["service"], t)
    w.heading(t["pains"], level=2)
    if p["pains"] or not p["suggested_pains"]:
        _items(w, p["pains"], t)
    else:
        w.para(t["suggested_pains"]).runs[0].italic = True
        for sp in p["suggested_pains"]:
            para = w.item()
            para.add_run(sp["text"])
            para.add_run(f" ({t['rule_source']}: {'; '.join(sp['sources'])})").italic = True
    if p["hypotheses"]:
        w.heading(t["hypotheses"], level=2)
        _items(w, p["hypotheses"], t)
    w.heading(t["notes"], level=2)
    if p["notes"] or not p["derived"]:
        for kind, lines in text_blocks(p["notes"] or t["not_filled"]):  # paragraphs and lists, as in Markdown
            if kind == "p":
                w.para("\n".join(lines))
            for n, line in enumerate(lines if kind != "p" else [], 1):
                w.item(n if kind == "ol" else None).add_run(line)
    if p["derived"]:
        w.para(t["derived"])
        for d in p["derived"]:
            para = w.item()
            para.add_run(f"{d['attribute']} – {d['value']}")
            para.add_run(f" ({'; '.join(d['rules'])})").italic = True


def _appendix(w: _Writer, data: dict) -> None:
    t, appendix = data["t"], data["appendix"]
    w.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    w.heading(t["appendix"], level=1)
    w.para(t["appendix_intro"])
    for note in appendix["notes"]:
        w.item().add_run(note)
    for p in appendix["profiles"]:
        w.heading(p["title"], level=2)
        _meta(w, t["file"], p["file"])
        v = p["validation"]
        verdict = w.para()
        verdict.add_run(t["conforms"] if v["conforms"] else t["fails"]).bold = not v["conforms"]
        if v["findings"]:
            w.table([t["severity"], t["place"], t["message"]], [[f["severity"], f["place"] or t["none"], f["message"]] for f in v["findings"]])
        else:
            verdict.add_run(f"; {t['no_findings']}")


def render_docx(report: Report, template: Path | None = None) -> bytes:
    """The report as the bytes of a .docx file; in the styles and page setup of ``template`` if given."""
    data = report.as_dict()
    if template is not None:
        doc = _from_template(template)
    else:
        doc = Document()
        _setup(doc, report)
    _properties(doc, report)
    w = _Writer(doc)
    if data["several"]:
        _title_page(w, data)
    for n, p in enumerate(data["profiles"]):
        if n or (data["several"] and not data["priority"]):  # after the priority table a new section has begun the page
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _profile(w, p, data)
    if data["appendix"]:
        _appendix(w, data)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
