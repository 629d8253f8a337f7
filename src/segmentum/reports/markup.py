"""Render a report (``engine.report``) as Markdown or HTML from the Jinja2 templates in ``templates/``."""

from __future__ import annotations

import re
from importlib import resources

import jinja2
from markupsafe import Markup

from segmentum.reports.model import Report


def _cell(value: object) -> str:
    """A Markdown table cell: no pipes or line breaks inside."""
    return str(value).replace("|", "\\|").replace("\n", " ")


_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s")


def _md_lines(value: object) -> str:
    """Free text in Markdown with its line breaks kept: a hard break («\\» at the end) inside a paragraph;
    blank lines and lines of a list stay as they are. A list is set apart from the text around it by a
    blank line: a line of text right after a list item would otherwise continue that item («lazy
    continuation»), and some renderers do not start a list right after a line of text."""
    lines = str(value).split("\n")
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        item, next_item = _LIST_ITEM.match(line), _LIST_ITEM.match(nxt)
        in_list = item or (line[:1] in " \t" and _in_list([*out, line]))
        apart = line.strip() and nxt.strip() and ((in_list and not next_item and nxt[:1] not in " \t") or (not in_list and next_item))
        hard = line.strip() and nxt.strip() and not next_item and not item and not apart
        out.append(line + "\\" if hard else line)
        if apart:
            out.append("")
    return "\n".join(out)


def _in_list(lines: list[str]) -> bool:
    """Whether the last line written belongs to a list: an item, or a line indented under one."""
    for line in reversed(lines):
        if not line.strip():
            return False
        if _LIST_ITEM.match(line):
            return True
        if line[:1] not in " \t":
            return False
    return False


def text_blocks(value: object) -> list[tuple[str, list[str]]]:
    """Free text as blocks: ("p", lines of a paragraph), ("ul", items of a list) or ("ol", items of
    a numbered list). Blank lines part paragraphs; lines of a list («- …», «1. …», and lines
    indented under an item) are a list, as in Markdown. The HTML and Word reports show notes this way."""
    blocks: list[tuple[str, list[str]]] = []
    for block in (b for b in re.split(r"\n\s*\n", str(value).strip()) if b.strip()):
        start = len(blocks)
        for line in block.split("\n"):
            item = _LIST_ITEM.match(line)
            kind = blocks[-1][0] if len(blocks) > start else None
            if item:
                numbered = "ol" if line.strip()[0].isdigit() else "ul"
                if kind != numbered:
                    blocks.append((numbered, []))
                blocks[-1][1].append(line[item.end():].strip())
            elif kind in ("ul", "ol") and line[:1] in " \t":
                blocks[-1][1][-1] += " " + line.strip()  # a line indented under an item continues it
            elif kind == "p":
                blocks[-1][1].append(line)
            else:
                blocks.append(("p", [line]))
    return blocks


def _html_paragraphs(value: object) -> Markup:
    """Free text in HTML: a paragraph per block of lines, the lines inside one kept with ``<br>``; lists as ``<ul>``, ``<ol>``."""
    out = []
    for kind, lines in text_blocks(value):
        if kind == "p":
            out.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(lines)))
        else:
            items = Markup("\n").join(Markup("  <li>{}</li>").format(i) for i in lines)
            out.append(Markup("<{0}>\n{1}\n</{0}>").format(Markup(kind), items))
    return Markup("\n").join(out)


def _num(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("segmentum", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _cell
    env.filters["num"] = _num
    env.filters["md_lines"] = _md_lines
    env.filters["paragraphs"] = _html_paragraphs
    return env


def render_markdown(report: Report) -> str:
    """The report as Markdown, for review in git."""
    data = report.as_dict()
    env = _environment(False)
    if report.lang != "ru":
        env.filters["num"] = lambda v: f"{v:.1f}"
    out = env.get_template("report.md.j2").render(**data)
    lines = [line.rstrip() for line in out.splitlines()]
    squeezed: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    return "\n".join(squeezed).strip() + "\n"


def render_html(report: Report) -> str:
    """The report as one HTML page with its print stylesheet inlined."""
    env = _environment(True)
    if report.lang != "ru":
        env.filters["num"] = lambda v: f"{v:.1f}"
    css = resources.files("segmentum").joinpath("templates", "report.css").read_text(encoding="utf-8")
    return env.get_template("report.html.j2").render(css=css, **report.as_dict())
