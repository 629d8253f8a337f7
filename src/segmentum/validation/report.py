"""Render a validation report as text (grouped by file), JSON (documented in docs/validation.md), the
standard SHACL validation report in Turtle, one finding per line as compilers print them
(``FILE:LINE:COL: severity: message``) or SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import json
from collections import defaultdict
from enum import Enum
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from segmentum.errors import SegmentumError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import SGM
from segmentum.validation.shapes import SH, ShapesGraph
from segmentum.validation.validate import Finding, Severity, ValidationReport


class ReportFormat(str, Enum):
    """Formats of ``segmentum validate``."""

    TEXT = "text"
    JSON = "json"
    TTL = "ttl"
    LINES = "lines"
    SARIF = "sarif"


_SEVERITY_KEY = {Severity.VIOLATION: "sev.violation", Severity.WARNING: "sev.warning", Severity.INFO: "sev.info"}
_LINE_SEVERITY_KEY = {Severity.VIOLATION: "line.violation", Severity.WARNING: "line.warning", Severity.INFO: "line.info"}
#: SARIF's result levels (SARIF 2.1.0 §3.27.10) for SHACL's severities
SARIF_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: the base the artifacts' relative URIs are resolved against: the working directory of the run
SRCROOT = "%SRCROOT%"
#: the SARIF rule of the errors that stop profile files from being read (an unknown name, a YAML error …)
READ_ERROR_RULE = "ProfileReadError"


def render_report(report: ValidationReport, fmt: ReportFormat, lang: Lang) -> str:
    if fmt is ReportFormat.JSON:
        return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
    if fmt is ReportFormat.TTL:
        return report_graph(report, report.shapes).serialize(format="turtle")
    if fmt is ReportFormat.LINES:
        return report_lines(report, lang)
    if fmt is ReportFormat.SARIF:
        return json.dumps(report_sarif(report, lang), ensure_ascii=False, indent=2) + "\n"
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


def report_lines(report: ValidationReport, lang: Lang) -> str:
    """One finding per line, ``FILE:LINE:COL: severity: message``, as compilers print them (for editors'
    problem matchers and CI logs); nothing when there is nothing to say.

    A finding with a file but no line is ``FILE: severity: message``; one with no file (a profile
    written as RDF, the catalogue) starts with the node it is about."""
    out = []
    for f in report.findings:
        loc = f.location
        if loc is not None and loc.line:
            where = f"{loc.path}:{loc.line}:{loc.column or 1}"
        else:
            where = loc.path if loc is not None else str(f.result.focus)
        out.append(f"{where}: {text(_LINE_SEVERITY_KEY[f.severity], lang)}: {' '.join(f.message.split())}")
    return "".join(line + "\n" for line in out)


def report_sarif(report: ValidationReport, lang: Lang, cwd: Path | None = None) -> dict:
    """The report as a SARIF 2.1.0 log: one run of the tool segmentum, whose rules are the shapes.

    Files under the working directory ``cwd`` are named relative to it (``uriBaseId`` %SRCROOT%,
    given in ``originalUriBaseIds``), others by their absolute ``file:`` URI; lines and columns
    count from 1, columns in characters. A finding without a file has no location.
    """
    root = (cwd or Path.cwd()).resolve()
    rules, index = _sarif_rules(report, lang)
    results = []
    for f in report.findings:
        rule_id, rule_index = index[f.result.shape]
        result: dict = {"ruleId": rule_id, "ruleIndex": rule_index, "level": SARIF_LEVEL[f.severity],
                        "message": {"text": f.message}}
        if f.location is not None:
            physical: dict = {"artifactLocation": _artifact(f.location.path, root)}
            if f.location.line:
                physical["region"] = {"startLine": f.location.line, "startColumn": f.location.column or 1}
            result["locations"] = [{"physicalLocation": physical}]
        properties = {"profile": f.profile, "focusNode": _term(f.result.focus), "path": f.result.path_text, "value": _term(f.result.value)}
        result["properties"] = {k: v for k, v in properties.items() if v is not None}
        results.append(result)
    return _sarif_log(rules, results, lang, root)


def _sarif_log(rules: list[dict], results: list[dict], lang: Lang, root: Path) -> dict:
    """A SARIF 2.1.0 log of one run of segmentum with these rules and results."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("segmentum")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        tool_version = "0+unknown"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "segmentum", "version": tool_version, "language": lang.value, "rules": rules}},
            "language": lang.value,
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
            "results": results,
        }],
    }


def errors_lines(errors: list[SegmentumError], lang: Lang) -> str:
    """Errors that stop files from being read, one a line as ``report_lines`` prints findings:
    ``FILE:LINE:COL: ошибка: message; what to do``."""
    out = []
    for e in errors:
        loc = e.location
        where = f"{loc.path}:{loc.line}:{loc.column or 1}" if loc is not None and loc.line else (loc.path if loc is not None else "segmentum")
        said = e.message + (f"; {e.hint}" if e.hint else "")
        out.append(f"{where}: {text('line.violation', lang)}: {' '.join(said.split())}")
    return "".join(line + "\n" for line in out)


def errors_sarif(errors: list[SegmentumError], lang: Lang, cwd: Path | None = None) -> dict:
    """Errors that stop files from being read as a SARIF 2.1.0 log: one rule, ``ProfileReadError``, level error."""
    root = (cwd or Path.cwd()).resolve()
    rule = {"id": READ_ERROR_RULE, "name": READ_ERROR_RULE, "shortDescription": {"text": text("sarif.read_error", lang)},
            "defaultConfiguration": {"level": "error"}}
    results = []
    for e in errors:
        result: dict = {"ruleId": READ_ERROR_RULE, "ruleIndex": 0, "level": "error",
                        "message": {"text": e.message + (f"; {e.hint}" if e.hint else "")}}
        if e.location is not None:
            physical: dict = {"artifactLocation": _artifact(e.location.path, root)}
            if e.location.line:
                physical["region"] = {"startLine": e.location.line, "startColumn": e.location.column or 1}
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    return _sarif_log([rule], results, lang, root)


def _term(node: Node | None) -> str | None:
    if node is None:
        return None
    return str(node) if not isinstance(node, BNode) else f"_:{node}"


def _artifact(path: str, root: Path) -> dict:
    """A file's SARIF artifactLocation: relative to ``root`` when inside it, else its file: URI."""
    full = Path(path).resolve()
    try:
        relative = full.relative_to(root)
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _sarif_rules(report: ValidationReport, lang: Lang) -> tuple[list[dict], dict[Node, tuple[str, int]]]:
    """The shapes as SARIF rules (reportingDescriptors), and each shape's rule id and index.

    A rule's id is the shape's local name (``AttributeRangeShape``), or its whole IRI when two
    shapes share one; it names the shape (label, else message), its level and the legal sources
    it enforces (``sgm:justification``)."""
    graph = report.shapes.graph if report.shapes is not None else Graph()
    shapes: set[Node] = {f.result.shape for f in report.findings}
    if report.shapes is not None:
        targeted = [s.node for s in report.shapes.targeted_shapes()]
        shapes.update(targeted)
        for node in targeted:
            shapes.update(graph.objects(node, SH.property))
    named = sorted(shapes, key=lambda n: (isinstance(n, BNode), str(n)))
    locals_ = [_local(n) for n in named]
    index: dict[Node, tuple[str, int]] = {}
    rules = []
    for n, local in zip(named, locals_):
        rule_id = local if locals_.count(local) == 1 else str(n)
        index[n] = (rule_id, len(rules))
        severity = graph.value(n, SH.severity)
        level = SARIF_LEVEL[Severity(str(severity))] if severity is not None and str(severity) in {s.value for s in Severity} else "error"
        rule: dict = {"id": rule_id, "name": local,
                      "shortDescription": {"text": _in(graph, n, RDFS.label, lang) or _in(graph, n, SH.message, lang) or local},
                      "defaultConfiguration": {"level": level}}
        if comment := _in(graph, n, RDFS.comment, lang):
            rule["fullDescription"] = {"text": comment}
        properties: dict = {"shape": _term(n)}
        if sources := sorted(str(s) for s in graph.objects(n, SGM.justification)):
            properties["sources"] = sources
        rule["properties"] = properties
        rules.append(rule)
    return rules, index


def _local(node: Node) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1] or str(node)


def _in(graph: Graph, node: Node, prop: URIRef, lang: Lang) -> str | None:
    """A literal of ``node`` in ``lang``, else in Russian, else any."""
    found = {o.language: str(o) for o in graph.objects(node, prop) if isinstance(o, Literal)}
    return found.get(lang.value) or found.get("ru") or next(iter(found.values()), None)


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
