"""The report written out: DOCX through python-docx, HTML and Markdown through the Jinja2 templates."""

from __future__ import annotations

from pathlib import Path

from segmentum.reports.docx import render_docx
from segmentum.reports.markup import render_html, render_markdown
from segmentum.reports.model import Report, ReportFormat


def render_report(report: Report, fmt: ReportFormat, *, template: Path | None = None) -> bytes:
    """The report in one of the formats, as bytes ready to be written; a DOCX in the styles of ``template``."""
    if fmt is ReportFormat.DOCX:
        return render_docx(report, template)
    return (render_html(report) if fmt is ReportFormat.HTML else render_markdown(report)).encode("utf-8")
