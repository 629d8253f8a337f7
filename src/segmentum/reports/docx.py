"""Render a report (``engine.report``) as a Word document with python-docx.

The document is built on Word's own styles — Title, Heading 1–3, List Bullet, Intense Quote and
the «Table Grid» table style — on A4 pages with the page number in the footer (a PAGE field), so a
methodologist can go on editing it in Word or LibreOffice and the styles stay consistent.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from segmentum.reports.markup import text_blocks
from segmentum.reports.model import Report

TABLE_STYLE = "Table Grid"


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


def _setup(doc, report: Report) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    props = doc.core_properties
    props.title = report.title
    props.language = "ru-RU" if report.lang == "ru" else "en-GB"
    props.author = "segmentum"


def _table(doc, headers: list[str], rows: list[list[str]], bold_first: list[bool] | None = None):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles[TABLE_STYLE]
    for cell, head in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(head).bold = True
    _repeat_header(table.rows[0])
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row)):
            cell.text = value
            if i == 0 and bold_first and bold_first[n]:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    return table


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _items(doc, items: list[dict], t: dict) -> None:
    if not items:
        doc.add_paragraph(t["not_filled"])
        return
    for i in items:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(i["text"] + " — ")
        p.add_run(i["state"]).italic = True
        if i["evidence"]:
            p.add_run(f"; {i['evidence_label'].lower()}: " + "; ".join(i["evidence"]))


def _meta(doc, label: str, value: str) -> None:
    p = doc.add_paragraph()
    p.add_run(f"{label}: ").bold = True
    p.add_run(value)


def _title_page(doc, data: dict) -> None:
    t = data["t"]
    doc.add_paragraph(data["title"], style="Title")
    for line in data["summary"]:
        doc.add_paragraph(line)
    doc.add_heading(t["segments"], level=1)
    _table(doc, ["№", t["segment"], t["status"], t["stage"], t["validation"]],
           [[str(n), p["title"], p["status"] or t["none"], p["stage"] or t["none"], t["conforms"] if p["validation"]["conforms"] else t["fails"]]
            for n, p in enumerate(data["profiles"], 1)])
    prio = data["priority"]
    if prio:
        doc.add_heading(t["priority"], level=1)
        doc.add_paragraph(data["priority_note"])
        score = (lambda v: f"{v:.1f}".replace(".", ",")) if data["lang"] == "ru" else (lambda v: f"{v:.1f}")
        headers = [t["rank"], t["segment"], t["score"], *(c["label"] for c in prio["criteria"]), t["reason"]]
        rows = [[str(r["rank"]), r["title"], score(r["score"]),
                 *((r["criteria"][c["id"]] or {}).get("value", t["none"]) for c in prio["criteria"]), r["reason"]] for r in prio["rows"]]
        _table(doc, headers, rows)
        doc.add_paragraph(prio["weights_note"])
        if prio["notes"]:
            doc.add_paragraph(t["estimates"] + ":")
            for note in prio["notes"]:
                doc.add_paragraph(note, style="List Bullet")
        if prio.get("remarks"):
            doc.add_paragraph(t["remarks"] + ":")
            for remark in prio["remarks"]:
                doc.add_paragraph(remark, style="List Bullet")


def _profile(doc, p: dict, data: dict) -> None:
    t = data["t"]
    doc.add_heading(t["template"], level=1)
    if not p["validation"]["conforms"]:
        doc.add_paragraph(t["not_conforming"], style="Intense Quote")
    _meta(doc, t["life_situation"], "; ".join(p["life_situations"]) or t["none"])
    _meta(doc, t["profile_title"], p["title"])
    _meta(doc, t["status"], p["status"] or t["none"])
    _meta(doc, t["service"], "; ".join(p["services"]) or t["none"])
    if p["service_region"]:
        _meta(doc, t["service_region"], p["service_region"])
    _meta(doc, t["stage"], p["stage"] or t["none"])
    _meta(doc, t["file"], p["file"])
    doc.add_heading(t["attributes"], level=2)
    if p["attributes"]:
        _table(doc, [t["attribute"], t["value"], t["source"]],
               [[a["attribute"], a["value"], "; ".join(a["sources"]) or t["none"]] for a in p["attributes"]],
               bold_first=[a["main"] for a in p["attributes"]])
    else:
        doc.add_paragraph(t["not_filled"])
    doc.add_heading(t["journey"], level=2)
    _items(doc, p["journey_features"], t)
    doc.add_heading(t["channels"], level=2)
    doc.add_heading(t["informing"], level=3)
    _items(doc, p["channels"]["informing"], t)
    doc.add_heading(t["receiving"], level=3)
    _items(doc, p["channels"]["service"], t)
    doc.add_heading(t["pains"], level=2)
    if p["pains"] or not p["suggested_pains"]:
        _items(doc, p["pains"], t)
    else:
        doc.add_paragraph(t["suggested_pains"]).runs[0].italic = True
        for sp in p["suggested_pains"]:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(sp["text"])
            para.add_run(f" ({t['rule_source']}: {'; '.join(sp['sources'])})").italic = True
    if p["hypotheses"]:
        doc.add_heading(t["hypotheses"], level=2)
        _items(doc, p["hypotheses"], t)
    doc.add_heading(t["notes"], level=2)
    if p["notes"] or not p["derived"]:
        styles = {"ul": "List Bullet", "ol": "List Number"}
        for kind, lines in text_blocks(p["notes"] or t["not_filled"]):  # paragraphs and lists, as in Markdown
            for line in lines if kind in styles else ["\n".join(lines)]:
                doc.add_paragraph(line, style=styles.get(kind))
    if p["derived"]:
        doc.add_paragraph(t["derived"])
        for d in p["derived"]:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{d['attribute']} – {d['value']}")
            para.add_run(f" ({'; '.join(d['rules'])})").italic = True
    doc.add_heading(t["validation"], level=2)
    v = p["validation"]
    verdict = doc.add_paragraph()
    verdict.add_run(t["conforms"] if v["conforms"] else t["fails"]).bold = not v["conforms"]
    if v["findings"]:
        _table(doc, [t["severity"], t["place"], t["message"]], [[f["severity"], f["place"] or t["none"], f["message"]] for f in v["findings"]])
    else:
        verdict.add_run(f"; {t['no_findings']}")


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    data = report.as_dict()
    doc = Document()
    _setup(doc, report)
    if data["several"]:
        _title_page(doc, data)
    for n, p in enumerate(data["profiles"]):
        if n or data["several"]:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _profile(doc, p, data)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
