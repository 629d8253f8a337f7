"""Render a validation report as text (grouped by file), JSON (documented in docs/validation.md)
or the standard SHACL validation report in Turtle."""

from __future__ import annotations

import json
from collections import defaultdict
from enum import Enum

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD

from segmentum.i18n.messages import Lang, text
from segmentum.validation.shapes import SH, ShapesGraph
from segmentum.validation.validate import Finding, Severity, ValidationReport


class ReportFormat(str, Enum):
    """Formats of ``segmentum validate``."""

    TEXT = "text"
    JSON = "json"
    TTL = "ttl"


_SEVERITY_KEY = {Severity.VIOLATION: "sev.violation", Severity.WARNING: "sev.warning", Severity.INFO: "sev.info"}


def render_report(report: ValidationReport, fmt: ReportFormat, lang: Lang) -> str:
    if fmt is ReportFormat.JSON:
        return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
    if fmt is ReportFormat.TTL:
        return report_graph(report, report.shapes).serialize(format="turtle")
    return report_text(report, lang)


def report_text(report: ValidationReport, lang: Lang) -> str:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        groups[f.location.path if f.location else text("report.no_file", lang)].append(f)
    out: list[str] = []
    for path in sorted(groups):
        out.append(path)
        for f in groups[path]:
            where = f"{f.location.line}:{f.location.column or 1}" if f.location and f.location.line else "—"
            severity = text(_SEVERITY_KEY[f.severity], lang)
            out.append(f"  {where:<7} {severity:<14} {f.message}")
        out.append("")
    violations, warnings = report.count(Severity.VIOLATION), report.count(Severity.WARNING)
    verdict = text("report.conforms" if report.conforms else "report.fails", lang)
    checked = text("report.checked", lang, n=len(report.checked)) if report.checked != ["catalogue"] else text("report.catalogue", lang)
    out.append(text("report.summary", lang, checked=checked, violations=violations, warnings=warnings, verdict=verdict))
    return "\n".join(out) + "\n"


def report_json(report: ValidationReport) -> dict:
    def term(node) -> str | None:
        if node is None:
            return None
        return str(node) if not isinstance(node, BNode) else f"_:{node}"

    return {
        "conforms": report.conforms,
        "checked": report.checked,
        "summary": {
            "violations": report.count(Severity.VIOLATION),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
        },
        "results": [
            {
                "file": f.location.path if f.location else None,
                "line": f.location.line if f.location else None,
                "column": f.location.column if f.location else None,
                "profile": f.profile,
                "focus_node": term(f.result.focus),
                "path": f.result.path_text,
                "value": term(f.result.value),
                "severity": f.severity.name.lower(),
                "component": term(f.result.component),
                "shape": term(f.result.shape),
                "message": f.message,
                "messages": {m.language or "": str(m) for m in f.result.messages},
            }
            for f in report.findings
        ],
    }


def report_graph(report: ValidationReport, shapes: ShapesGraph | None) -> Graph:
    """The standard SHACL validation report (SHACL §3.6)."""
    g = Graph()
    g.bind("sh", SH)
    root = BNode()
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for f in report.findings:
        r = f.result
        node = BNode()
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus))
        if r.path is not None:
            g.add((node, SH.resultPath, r.path))
            if isinstance(r.path, BNode) and shapes is not None:
                _copy_path(shapes.graph, g, r.path)
        if r.value is not None:
            g.add((node, SH.value, r.value))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.sourceConstraintComponent, r.component))
        g.add((node, SH.sourceShape, r.shape))
        if r.constraint is not None:
            g.add((node, SH.sourceConstraint, r.constraint))
        for m in r.messages:
            g.add((node, SH.resultMessage, m))
    return g


def _copy_path(source: Graph, target: Graph, node: BNode) -> None:
    seen = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for p, o in source.predicate_objects(n):
            target.add((n, p, o))
            if isinstance(o, BNode):
                todo.append(o)
