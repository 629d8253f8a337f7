"""The routes of the workspace and the server that runs it.

Pages: ``/catalogue`` (attributes by status, search as you type), ``/catalogue/{attribute}`` (one
attribute), ``/profiles`` (the folder's profiles with their validation state, a new profile),
``/profiles/edit/{name}`` (the YAML text with live validation, the diff, saving with If-Match; the
rules' suggestions, one accepted as a diff to save), ``/reports/…`` (DOCX or HTML of a profile or
the folder), ``/segments`` (the stage II ranking, weights as sliders), ``/sparql`` (the named
queries and a free one, through the endpoint's checks, 100 rows a page), ``/curation`` (catalogue
changes proposed, reviewed with their diff and the shapes' verdict, applied, and their history:
``catalogue.review`` through ``tasks.catalogue``).
A request made by htmx (``HX-Request``) gets the part of the page it replaces; the same address
typed in the browser gets the whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from segmentum.catalogue.criteria import criteria, format_number
from segmentum.catalogue.curation import SourceSpec
from segmentum.catalogue.wording import short_sources, value_summary
from segmentum.errors import BadInputError, SegmentumError
from segmentum.i18n.messages import Lang, text
from segmentum.inference.edit import fields_of
from segmentum.namespaces import SGM
from segmentum.query.library import library
from segmentum.reports.model import ReportFormat
from segmentum.session import Session
from segmentum.tasks.catalogue import attribute_data, find_attributes, propose_change, staging_area
from segmentum.tasks.inference import edited_field
from segmentum.tasks.store import endpoint_answer, free_query_text, named_query_text
from segmentum.tasks.validate import ProfileCheck
from segmentum.validation.validate import Severity
from segmentum.workspace.folder import Conflict, Missing, OutsideFolder, Workspace, keep_newlines, unified_diff
from segmentum.workspace.security import CSRF_FIELD, Guard, host_names

STATES = ("conforms", "warnings", "violations", "error")
#: rows of a query's answer on one page, and the most a query may give the workspace
PAGE_ROWS = 100
MAX_ROWS = 10_000
#: a weight a slider may give a criterion
MAX_WEIGHT = 10.0
REPORT_TYPES = {ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ReportFormat.HTML: "text/html; charset=utf-8"}
#: the edits the curation page proposes: the form fields that are the edit's arguments, keyword arguments and «;»-separated lists
CURATION_EDITS = {
    "add_value": {"args": ["attribute", "identifier"], "kwargs": ["label_ru", "label_en", "code"], "lists": [], "args_lists": []},
    "deprecate": {"args": ["value"], "kwargs": ["attribute"], "lists": ["replaced_by"], "args_lists": ["replaced_by"]},
    "add_source": {"args": ["attribute"], "kwargs": [], "lists": [], "args_lists": []},
}
_SEVERITY = {Severity.VIOLATION: "violation", Severity.WARNING: "warning", Severity.INFO: "info"}


@dataclass(frozen=True)
class WorkspaceConfig:
    """What the workspace serves and how: the folder, the address it is bound to, the access token, the language."""

    folder: Path
    host: str = "127.0.0.1"
    token: str | None = None
    lang: Lang = Lang.RU
    #: the catalogue folder that reviewed changes are applied to (``--catalogue``); None: the checkout's ``catalogues/``
    catalogue: Path | None = None


async def form_of(request: Request) -> dict[str, str]:
    """The fields of a form-encoded request (what htmx and the pages' forms send); another body gives none."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    return dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))


class Pages:
    """The handlers, over one workspace folder."""

    def __init__(self, workspace: Workspace, guard: Guard, catalogue: Path | None = None) -> None:
        self.ws = workspace
        self.guard = guard
        self.catalogue_dir = catalogue
        self.env = Environment(loader=PackageLoader("segmentum.workspace", "templates"), autoescape=select_autoescape(["j2", "html"]),
                               trim_blocks=True, lstrip_blocks=True)

    # ------------------------------------------------------------ rendering
    def render(self, request: Request, template: str, status_code: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
        lang: Lang = request.state.lang

        def words(key: str, **fields) -> str:
            return text(key, lang, **fields)

        html = self.env.get_template(template).render(
            text=words, lang=lang.value, other_lang="en" if lang is Lang.RU else "ru", csrf=request.state.csrf, csrf_field=CSRF_FIELD,
            path=request.url.path, query=request.url.query, folder=str(self.ws.root), **context)
        return HTMLResponse(html, status_code=status_code, headers=headers)

    def failure(self, request: Request, exc: BadInputError, status: int | None = None) -> HTMLResponse:
        status = status or (409 if isinstance(exc, Conflict) else 403 if isinstance(exc, OutsideFolder) else 404 if isinstance(exc, Missing) else 400)
        template = "_message.html.j2" if request.headers.get("hx-request") else "message.html.j2"
        return self.render(request, template, status_code=status, message=exc.message, hint=exc.hint, kind="error")

    def session(self, request: Request) -> Session:
        return self.ws.session(request.state.lang)

    # ------------------------------------------------------------ catalogue
    async def catalogue(self, request: Request) -> Response:
        s = self.session(request)
        cat = s.catalogue
        q = request.query_params.get("q", "")
        status_id = request.query_params.get("status", "")
        statuses = {cat.local_id(i): i for i in cat.members("status")}
        status = statuses.get(status_id)

        def rows() -> list[dict]:
            with self.ws.lock:
                found = find_attributes(s, q, status, limit=500)
            return [{"id": cat.local_id(a.iri), "label": cat.label(a.iri, s.lang), "statuses": [cat.label(x, s.lang) for x in a.statuses],
                     "summary": value_summary(cat, a, s.lang, limit=3), "sources": short_sources(cat, a, s.lang)} for a in found]

        found = await run_in_threadpool(rows)
        context = {"rows": found, "q": q, "status": status_id if status else ""}
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "attributes":
            return self.render(request, "_attributes.html.j2", **context)
        counts = {sid: sum(1 for a in cat.attributes.values() if iri in a.statuses) for sid, iri in statuses.items()}
        options = [{"id": sid, "label": cat.label(iri, s.lang), "count": counts[sid]} for sid, iri in sorted(statuses.items())]
        return self.render(request, "catalogue.html.j2", statuses=options, total=len(cat.attributes), **context)

    async def attribute(self, request: Request) -> Response:
        s = self.session(request)
        try:
            data = await run_in_threadpool(attribute_data, s, request.path_params["attribute"])
        except BadInputError as exc:
            return self.failure(request, exc, 404)
        iri = data["iri"]
        checks = await run_in_threadpool(self.ws.profiles, s.lang)
        using = [c.name for c in checks if c.profile and any(av.attribute == iri for av in c.profile.attributes)]
        return self.render(request, "attribute.html.j2", a=data, using=using)

    # ------------------------------------------------------------ profiles
    def profile_row(self, s: Session, check: ProfileCheck) -> dict:
        cat = s.catalogue
        row = {"name": check.name, "state": check.state, "violations": check.count(Severity.VIOLATION),
               "warnings": check.count(Severity.WARNING), "infos": check.count(Severity.INFO)}
        p = check.profile
        if p is None:
            row["error"] = check.error.message if check.error else ""
            row["line"] = check.error.location.line if check.error and check.error.location else None
            return row
        row.update(id=p.id, title=p.title or "", status=cat.local_id(p.status) if p.status else "",
                   status_label=cat.label(p.status, s.lang) if p.status else "",
                   life_situations=[cat.label(x, s.lang) for x in p.life_situations],
                   stage=cat.local_id(p.stage) if p.stage else "", stage_label=cat.label(p.stage, s.lang) if p.stage else "")
        return row

    async def profiles(self, request: Request) -> Response:
        s = self.session(request)
        checks = await run_in_threadpool(self.ws.profiles, s.lang)
        rows = [self.profile_row(s, c) for c in checks]
        chosen = {k: request.query_params.get(k, "") for k in ("status", "stage", "state")}
        shown = [r for r in rows if all(not v or r.get(k) == v for k, v in chosen.items())]
        context = {"rows": shown, "chosen": chosen, "total": len(rows)}
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "profiles":
            return self.render(request, "_profiles.html.j2", **context)
        cat = s.catalogue
        statuses = [{"id": cat.local_id(i), "label": cat.label(i, s.lang)} for i in cat.members("status")]
        stages = [{"id": cat.local_id(i), "label": cat.label(i, s.lang)} for i in cat.members("stage")]
        situations = sorted(({"id": cat.local_id(i), "label": cat.label(i, s.lang)} for i in cat.members("life_situation")),
                            key=lambda x: x["label"].casefold())
        return self.render(request, "profiles.html.j2", statuses=statuses, stages=stages, situations=situations, states=STATES, **context)

    async def new_profile(self, request: Request) -> Response:
        form = await form_of(request)
        lang = request.state.lang
        try:
            name = await run_in_threadpool(self.ws.create, str(form.get("file_name", "")), str(form.get("status", "")),
                                           str(form.get("life_situation", "")) or None, lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        target = quote(f"/profiles/edit/{name}")
        if request.headers.get("hx-request"):
            return Response(status_code=201, headers={"HX-Redirect": target, "Location": target})
        return RedirectResponse(target, status_code=303)

    # ------------------------------------------------------------ the editor
    async def editor(self, request: Request) -> Response:
        name = request.path_params["name"]
        lang = request.state.lang
        try:
            source, etag = self.ws.read(name, lang)
            check = await run_in_threadpool(self.ws.check, name, lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        findings = self.findings(check) if check else []
        return self.render(request, "editor.html.j2", headers={"ETag": etag}, name=name, source=source, etag=etag,
                           findings=findings, check=check, f=self.fields(request, source, findings))

    def fields(self, request: Request, source: str, findings: list[dict]) -> dict | None:
        """The profile's fields for the form (``inference.edit.fields_of``), each with the findings on its lines;
        what is on no field's line stays in ``general``. The selects' options come from the catalogue."""
        doc = fields_of(source.replace("\r\n", "\n"))
        if doc is None:
            return None
        s = self.session(request)
        cat = s.catalogue
        places: list[tuple[str, object]] = [(f"f-{k}", v["span"]) for k, v in doc["scalars"].items()]
        places += [(f"f-attr-{i}", a["span"]) for i, a in enumerate(doc["attributes"])]
        for key, items in [*doc["lists"].items(), *(("channels-" + k, v) for k, v in doc["channels"].items())]:
            places += [(f"f-{key}-{i}", it["span"]) for i, it in enumerate(items)]
        places += [(f"f-{k}", span) for k, span in doc["spans"].items()]
        placed: dict[str, list[dict]] = {}
        for f in findings:
            spot = min(((span.last - span.first, fid) for fid, span in places if f["line"] and span.first <= f["line"] <= span.last), default=None)
            placed.setdefault(spot[1] if spot else "general", []).append(f)
        status = None
        if "status" in doc["scalars"]:
            try:
                status = cat.resolve("status", doc["scalars"]["status"]["value"], s.lang)
            except LookupError:
                status = None

        def options(kind: str, key: str) -> list[dict]:
            written = doc["scalars"].get(key, {}).get("value", "")
            try:
                chosen = cat.resolve(kind, written, s.lang) if written else None
            except LookupError:
                chosen = None
            found = [{"label": cat.label(i, s.lang), "selected": i == chosen} for i in cat.members(kind)]
            if written and chosen is None:  # what the text says stays choosable, as written
                found.insert(0, {"label": written, "selected": True})
            return found

        return {"doc": doc, "placed": placed, "status": cat.local_id(status) if status else "",
                "options": {k: options(kind, k) for k, kind in (("status", "status"), ("life_situation", "life_situation"),
                                                                 ("service", "service"), ("stage", "stage"))},
                "states": [cat.label(i, s.lang) for i in cat.members("state")]}

    async def field(self, request: Request) -> Response:
        """One field changed in the form: the text rewritten as ``profile complete`` writes, checked, and the
        fields, the text and the findings sent back (the text and the findings out of band)."""
        name = request.path_params["name"]
        lang = request.state.lang
        form = await form_of(request)
        try:
            self.ws.path(name, lang)
            source = await run_in_threadpool(edited_field, str(form.get("source", "")), str(form.get("edit", "")), form, lang)
            check = await run_in_threadpool(self.ws.check_text, name, source, lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        findings = self.findings(check)
        return self.render(request, "_fields.html.j2", name=name, source=source, oob=True, findings=findings, check=check,
                           f=self.fields(request, source, findings))

    async def options(self, request: Request) -> Response:
        """Autocomplete of the field editor: attributes of the profile's status, or values of one attribute
        (its scheme, and its band scheme for the status), found by the catalogue's label indexes as the reader finds them."""
        s = self.session(request)
        cat = s.catalogue
        params = request.query_params
        attributes = request.path_params["kind"] == "attributes"
        # the field's own input is sent as typed: «key» is the attribute, «value» its value
        q = params.get("q") or params.get("key" if attributes else "value", "")
        status = next((i for i in cat.members("status") if cat.local_id(i) == params.get("status", "")), None)
        written = params.get("attribute") or params.get("key", "")

        def found() -> list[str]:
            with self.ws.lock:
                if attributes:
                    return [cat.label(a.iri, s.lang) for a in find_attributes(s, q, status, limit=20)]
                try:
                    attr = cat.resolve("attribute", written, s.lang, status=status)
                except LookupError:
                    return []
                info = cat.attributes[attr]
                schemes = [x for x in (info.scheme, cat.band_scheme_for(attr, status)) if x]
                out: list[str] = []
                for scheme in schemes:
                    if q.strip():
                        out += [c.label for c in cat.index("scheme:" + scheme, s.lang).search(q, 20)]
                    else:
                        out += [cat.label(v, s.lang) for v in cat.scheme_values.get(scheme, []) if not cat.values[v].deprecated][:20]
                return list(dict.fromkeys(out))[:20]

        return self.render(request, "_options.html.j2", labels=await run_in_threadpool(found))

    def findings(self, check: ProfileCheck) -> list[dict]:
        """What the editor lists beside the text: the reading error, or the findings, each with its line."""
        if check.error is not None:
            loc = check.error.location
            return [{"severity": "error", "line": loc.line if loc else None, "column": loc.column if loc else None,
                     "message": check.error.message, "hint": check.error.hint}]
        return [{"severity": _SEVERITY[f.severity], "line": f.location.line if f.location else None,
                 "column": f.location.column if f.location else None, "message": f.message, "hint": None} for f in check.findings]

    async def check(self, request: Request) -> Response:
        name = request.path_params["name"]
        lang = request.state.lang
        form = await form_of(request)
        try:
            self.ws.path(name, lang)
            check = await run_in_threadpool(self.ws.check_text, name, str(form.get("source", "")), lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        findings = self.findings(check)
        if form.get("with_fields"):  # the fields follow the text (out of band)
            return self.render(request, "_findings.html.j2", findings=findings, check=check, name=name, oob_fields=True,
                               f=self.fields(request, str(form.get("source", "")), findings))
        return self.render(request, "_findings.html.j2", findings=findings, check=check)

    async def diff(self, request: Request) -> Response:
        name = request.path_params["name"]
        lang = request.state.lang
        form = await form_of(request)
        try:
            current, etag = self.ws.read(name, lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        lines = unified_diff(current, keep_newlines(current, str(form.get("source", ""))), name)
        stale = str(form.get("etag", "")) != etag
        return self.render(request, "_diff.html.j2", lines=lines, name=name, stale=stale)

    async def save(self, request: Request) -> Response:
        name = request.path_params["name"]
        lang = request.state.lang
        form = await form_of(request)
        source = str(form.get("source", ""))
        if_match = request.headers.get("if-match") or str(form.get("etag", ""))
        if not if_match:
            return PlainTextResponse(text("ws.need_if_match", lang) + "\n", 428)
        try:
            etag = await run_in_threadpool(self.ws.save, name, source, if_match, lang)
        except Conflict as exc:
            lines = unified_diff(exc.current, keep_newlines(exc.current, source), name)
            return self.render(request, "_conflict.html.j2", status_code=409, headers={"ETag": exc.etag or ""}, message=exc.message,
                               lines=lines, name=name)
        except BadInputError as exc:
            return self.failure(request, exc)
        replaced = keep_newlines("", source) if form.get("replace_text") else None
        return self.render(request, "_saved.html.j2", headers={"ETag": etag, "HX-Trigger": "profile-saved"}, name=name, etag=etag,
                           replaced=replaced)

    # ------------------------------------------------------------ suggestions
    async def suggestions(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            found = await run_in_threadpool(self.ws.suggestions, name, request.state.lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        kinds = [(k, [x for x in found if x.kind == k]) for k in ("attribute", "journey-feature", "channel", "pain")]
        return self.render(request, "_suggestions.html.j2", name=name, kinds=[(k, items) for k, items in kinds if items], total=len(found))

    async def accept(self, request: Request) -> Response:
        """The text with one suggestion accepted, shown as the diff against the file; saving it goes through If-Match like any save."""
        name = request.path_params["name"]
        lang = request.state.lang
        form = await form_of(request)
        source = str(form.get("source", ""))
        try:
            current, etag = self.ws.read(name, lang)
            new = await run_in_threadpool(self.ws.accept, name, source, str(form.get("suggestion", "")), lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        lines = unified_diff(current, keep_newlines(current, new), name)
        given = str(form.get("etag", ""))
        return self.render(request, "_accept.html.j2", lines=lines, name=name, new=new, etag=given, stale=given != etag,
                           suggestion=str(form.get("suggestion", "")))

    # ------------------------------------------------------------ reports
    async def report(self, request: Request) -> Response:
        """One profile's report (``/reports/profile/{name}``) or the folder's segmentation report (``/reports/folder``), DOCX or HTML."""
        lang = request.state.lang
        fmt = ReportFormat.HTML if request.query_params.get("format") == "html" else ReportFormat.DOCX
        name = request.path_params.get("name")
        try:
            names = [name] if name else await run_in_threadpool(self.ws.readable, lang)
            if name:
                self.ws.read(name, lang)
            if not names:
                raise Missing(text("ws.no_profiles", lang))
            data = await run_in_threadpool(self.ws.report, names, fmt, lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        stem = PurePosixPath(name).stem if name else text("ws.report_file", lang)
        file_name = f"{stem}.{fmt.value}"
        fallback = file_name.encode("ascii", "replace").decode("ascii").replace("?", "_")
        disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"
        return Response(data, media_type=REPORT_TYPES[fmt], headers={"Content-Disposition": disposition})

    # ------------------------------------------------------------ segments (stage II)
    async def segments(self, request: Request) -> Response:
        s = self.session(request)
        crit = criteria(s.catalogue)
        weights = {}
        for iri in crit:
            given = request.query_params.get("w." + s.catalogue.local_id(iri), "").replace(",", ".")
            try:
                weights[iri] = min(max(float(given), 0.0), MAX_WEIGHT)
            except ValueError:
                continue
        try:
            data = await run_in_threadpool(self.ws.prioritisation, weights, s.lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        for row in data["rows"]:
            row["score_shown"] = format_number(row["score"], s.lang)
        context = {"data": data, "capacity": s.catalogue.local_id(str(SGM.Capacity))}
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "segments":
            return self.render(request, "_segments.html.j2", **context)
        return self.render(request, "segments.html.j2", max_weight=MAX_WEIGHT, **context)

    # ------------------------------------------------------------ SPARQL
    async def sparql(self, request: Request) -> Response:
        lang = request.state.lang
        queries = [{"name": q.name, "title": q.title(lang), "description": q.description(lang),
                    "params": [{"name": p.name, "kind": p.kind, "description": p.description} for p in q.params]}
                   for q in library().values()]
        return self.render(request, "sparql.html.j2", queries=queries)

    async def run_query(self, request: Request) -> Response:
        """A named query with its parameters, or the text of the free editor, answered by the endpoint's code; one page of rows."""
        s = self.session(request)
        form = await form_of(request)
        name, written = str(form.get("name", "")), str(form.get("query", ""))
        try:
            page = max(int(form.get("page", "1") or 1), 1)
        except ValueError:
            page = 1
        try:
            if name:
                query = library().get(name)
                if query is None:
                    raise Missing(text("unknown_query", s.lang, name=name))
                sparql = named_query_text(s, query, {k[2:]: v for k, v in form.items() if k.startswith("p.")})
            else:
                sparql = free_query_text(s, written)
            found = await run_in_threadpool(self.ws.locked, endpoint_answer, s, sparql, max_rows=MAX_ROWS)
        except BadInputError as exc:
            return self.failure(request, exc)
        if found.error:
            return self.render(request, "_message.html.j2", status_code=found.status, message=found.error, hint=None, kind="error")
        pages = max((len(found.rows) + PAGE_ROWS - 1) // PAGE_ROWS, 1)
        page = min(page, pages)
        first = (page - 1) * PAGE_ROWS
        return self.render(request, "_results.html.j2", answer=found, rows=found.rows[first:first + PAGE_ROWS], page=page, pages=pages,
                           first=first + 1, total=len(found.rows), form_id=str(form.get("form_id", "")), limit=MAX_ROWS)

    # ------------------------------------------------------------ catalogue curation with review
    async def curation(self, request: Request) -> Response:
        """The proposal forms, the staging area (each proposal's diff and the shapes' verdict, apply or reject) and the history."""
        lang = request.state.lang
        try:
            area = staging_area(self.ws.root, self.catalogue_dir, lang)
            proposals = await run_in_threadpool(area.proposals)
            history = await run_in_threadpool(area.history)
        except BadInputError as exc:
            return self.failure(request, exc)
        context = {"proposals": proposals, "history": history, "catalogue_dir": str(area.catalogue)}
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "review":
            return self.render(request, "_review.html.j2", **context)
        return self.render(request, "curation.html.j2", edits=CURATION_EDITS, **context)

    async def _after(self, request: Request) -> Response:
        if request.headers.get("hx-request"):
            return await self.curation(request)
        return RedirectResponse("/curation", status_code=303)

    def _curation_failure(self, request: Request, exc: BadInputError) -> Response:
        response = self.failure(request, exc)
        if request.headers.get("hx-request"):
            response.headers["HX-Retarget"] = "#curation-message"
            response.headers["HX-Reswap"] = "innerHTML"
        return response

    async def propose(self, request: Request) -> Response:
        lang = request.state.lang
        form = await form_of(request)
        edit = str(form.get("edit", ""))
        fields = CURATION_EDITS.get(edit)
        try:
            if fields is None:
                raise BadInputError(text("rev.bad_edit", lang, edit=edit, edits=", ".join(CURATION_EDITS)))
            args = [str(form.get(f, "")).strip() for f in fields["args"]]
            kwargs = {k: str(form.get(k, "")).strip() or None for k in fields["kwargs"]}
            for k in fields["lists"]:
                kwargs[k] = [x.strip() for x in str(form.get(k, "")).split(";") if x.strip()]
            args += [kwargs.pop(k) for k in fields["lists"] if k in fields["args_lists"]]
            source = SourceSpec(**{k: str(form.get(k, "")).strip() or None for k in ("act", "article", "form", "field_ref", "source")})
            area = staging_area(self.ws.root, self.catalogue_dir, lang)
            await run_in_threadpool(propose_change, area, edit, args, kwargs, source, str(form.get("author", "")), str(form.get("reason", "")))
        except BadInputError as exc:
            return self._curation_failure(request, exc)
        return await self._after(request)

    async def decide(self, request: Request) -> Response:
        """A reviewer applies a proposal (the catalogue files written, the workspace's catalogue read again) or rejects it."""
        lang = request.state.lang
        form = await form_of(request)
        ident = request.path_params["ident"]
        reviewer = str(form.get("reviewer", ""))
        try:
            area = staging_area(self.ws.root, self.catalogue_dir, lang)
            if request.url.path.startswith("/curation/apply/"):
                await run_in_threadpool(area.apply, ident, reviewer)
                await run_in_threadpool(self.ws.reload_catalogue, area.catalogue)
            else:
                await run_in_threadpool(area.reject, ident, reviewer, str(form.get("note", "")))
        except BadInputError as exc:
            return self._curation_failure(request, exc)
        except SegmentumError as exc:  # the shapes refuse the edit now, or the catalogue folder is locked
            return self._curation_failure(request, BadInputError(exc.render(lang).strip()))
        return await self._after(request)

    async def raw(self, request: Request) -> Response:
        try:
            source, etag = self.ws.read(request.path_params["name"], request.state.lang)
        except BadInputError as exc:
            return self.failure(request, exc)
        return PlainTextResponse(source, media_type="application/yaml", headers={"ETag": etag})

    async def home(self, request: Request) -> Response:
        return RedirectResponse("/profiles", status_code=303)

    async def no_icon(self, request: Request) -> Response:
        return Response(status_code=204)


def create_app(config: WorkspaceConfig, session: Session) -> Starlette:
    """The ASGI application of the workspace over ``config.folder``, with ``session``'s store and catalogue."""
    guard = Guard(host_names(config.host), config.token, config.lang)
    pages = Pages(Workspace(config.folder, session), guard, config.catalogue)
    routes = [
        Route("/", pages.home, methods=["GET"]),
        Route("/favicon.ico", pages.no_icon, methods=["GET"]),
        Route("/catalogue", pages.catalogue, methods=["GET"]),
        Route("/catalogue/{attribute}", pages.attribute, methods=["GET"]),
        Route("/profiles", pages.profiles, methods=["GET"]),
        Route("/profiles/new", pages.new_profile, methods=["POST"]),
        Route("/profiles/edit/{name:path}", pages.editor, methods=["GET"]),
        Route("/profiles/raw/{name:path}", pages.raw, methods=["GET"]),
        Route("/profiles/check/{name:path}", pages.check, methods=["POST"]),
        Route("/profiles/diff/{name:path}", pages.diff, methods=["POST"]),
        Route("/profiles/save/{name:path}", pages.save, methods=["POST"]),
        Route("/profiles/field/{name:path}", pages.field, methods=["POST"]),
        Route("/profiles/options/{kind:str}", pages.options, methods=["GET"]),
        Route("/profiles/suggestions/{name:path}", pages.suggestions, methods=["GET"]),
        Route("/profiles/accept/{name:path}", pages.accept, methods=["POST"]),
        Route("/reports/folder", pages.report, methods=["GET"]),
        Route("/reports/profile/{name:path}", pages.report, methods=["GET"]),
        Route("/segments", pages.segments, methods=["GET"]),
        Route("/sparql", pages.sparql, methods=["GET"]),
        Route("/sparql/run", pages.run_query, methods=["POST"]),
        Route("/curation", pages.curation, methods=["GET"]),
        Route("/curation/propose", pages.propose, methods=["POST"]),
        Route("/curation/apply/{ident:str}", pages.decide, methods=["POST"]),
        Route("/curation/reject/{ident:str}", pages.decide, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("segmentum.workspace", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_GuardMiddleware, guard=guard)])
    app.state.workspace = pages.ws
    return app


class _GuardMiddleware:
    def __init__(self, app, guard: Guard) -> None:
        self.app = guard.middleware(app)

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


def warm(app: Starlette, lang: Lang) -> None:
    """Read and check the folder's profiles and build the attribute search index now, not at the first page."""
    ws: Workspace = app.state.workspace
    s = ws.session(lang)
    s.catalogue.index("attribute", lang)
    ws.profiles(lang)


def serve(config: WorkspaceConfig, session: Session, port: int, announce: Callable[[], None]) -> None:
    """Run the workspace until interrupted (Ctrl+C or SIGTERM); ``announce`` says the address once it is ready."""
    import uvicorn

    app = create_app(config, session)
    warm(app, config.lang)
    announce()
    uvicorn.run(app, host=config.host, port=port, log_level="warning", access_log=False)
