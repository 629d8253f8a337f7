"""``segmentum serve``: a SPARQL 1.1 Protocol endpoint over the store, with a page to try queries.

Routes: ``/sparql`` answers queries (GET ``?query=``, POST form-encoded, POST
``application/sparql-query``); ``/update`` takes updates (POST form-encoded ``update=`` or
``application/sparql-update``) only when the server was started with updates allowed, and only
with the token (``Authorization: Bearer …``); ``/`` is the query page.

Every request runs in a worker process with a timeout and a row limit (``query_workers``), which
first checks it (``sparql_protocol.check``: size, syntax, no SERVICE or LOAD) and chooses the
result format. The answer to a refused or failed request is an HTTP error with a one-line
message in the server's language; the server itself goes on.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from segmentum.i18n.messages import Lang, text
from segmentum.server.protocol import ProtocolError
from segmentum.server.workers import Job, Timeout, WorkerPool

logger = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Limits:
    """What one request may cost."""

    max_query_bytes: int = 100_000
    max_rows: int = 100_000
    timeout: float = 10.0
    workers: int = 2


@dataclass(frozen=True)
class ServerConfig:
    """How the endpoint runs: the disk store it serves, the limits, updates, the language."""

    store_path: Path
    limits: Limits = Limits()
    update_token: str | None = None  # updates are allowed only when a token is set
    lang: Lang = Lang.RU


def _error(status: int, message: str, **headers: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)


async def _body(request: Request, cap: int, lang: Lang) -> bytes:
    """The request body, read no further than ``cap`` bytes (a longer one is refused with 413)."""
    cached = getattr(request.state, "body", None)
    if cached is not None:
        return cached
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise ProtocolError(413, text("serve.too_long", lang, size=int(declared), limit=cap))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise ProtocolError(413, text("serve.too_long", lang, size=f"> {cap}", limit=cap))
        chunks.append(chunk)
    request.state.body = b"".join(chunks)
    return request.state.body


async def _read_operation(request: Request, name: str, direct_type: str, lang: Lang, cap: int) -> tuple[str | None, dict[str, list[str]]]:
    """The query (or update) text and the protocol parameters of a GET or POST request."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request, cap, lang)
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, text("serve.not_utf8", lang)) from None
        if ctype == FORM_TYPE:
            for key, value in parse_qsl(decoded, keep_blank_values=True):
                params.setdefault(key, []).append(value)
        elif ctype == direct_type:
            return decoded, params
        else:
            raise ProtocolError(415, text("serve.content_type", lang, ctype=ctype, form=FORM_TYPE, direct=direct_type))
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, text("serve.repeated", lang, name=name))
    return (values[0] if values else None), params


def create_app(config: ServerConfig) -> Starlette:
    """The ASGI application; its worker processes start and stop with it."""
    lang = config.lang
    limits = config.limits
    pool = WorkerPool(config.store_path, size=limits.workers, timeout=limits.timeout)
    # a form-encoded query is up to three times its length (UTF-8 letters as %XX%XX)
    body_cap = 3 * limits.max_query_bytes + 4096
    page = Template(resources.files("segmentum").joinpath("web", "sparql.html").read_text(encoding="utf-8"))

    async def execute(job: Job) -> Response:
        if len(job.sparql.encode("utf-8")) > limits.max_query_bytes:  # refused before it is sent to a worker
            return _error(413, text("serve.too_long", lang, size=len(job.sparql.encode("utf-8")), limit=limits.max_query_bytes))
        try:
            outcome = await (pool.update(job) if job.kind == "update" else pool.run(job))
        except Timeout:
            return _error(503, text("serve.timeout", lang, seconds=f"{limits.timeout:g}"))
        if outcome.status >= 400:
            return _error(outcome.status, outcome.body.decode("utf-8", "replace"))
        if outcome.status == 204:
            return Response(status_code=204)
        charset = "; charset=utf-8" if outcome.media_type.startswith("text/") else ""
        return Response(outcome.body, media_type=outcome.media_type + charset)

    def job(sparql: str, kind: str, request: Request, params: dict[str, list[str]]) -> Job:
        return Job(sparql, kind, accept=request.headers.get("accept"), fmt=(params.get("format") or [None])[0],
                   default_graphs=tuple(params.get("default-graph-uri", [])), named_graphs=tuple(params.get("named-graph-uri", [])),
                   max_rows=limits.max_rows, max_bytes=limits.max_query_bytes, lang=lang.value)

    async def sparql(request: Request) -> Response:
        try:
            query, params = await _read_operation(request, "query", "application/sparql-query", lang, body_cap)
            if query is None:
                if "update" in params:
                    return await update(request)
                if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
                    return await home(request)
                raise ProtocolError(400, text("serve.no_query", lang))
        except ProtocolError as exc:
            return _error(exc.status, exc.message)
        return await execute(job(query, "query", request, params))

    async def update(request: Request) -> Response:
        if request.method != "POST":
            return _error(405, text("serve.update_post", lang), Allow="POST")
        if config.update_token is None:
            return _error(403, text("serve.read_only", lang))
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {config.update_token}".encode()):
            return _error(401, text("serve.bad_token", lang), **{"WWW-Authenticate": 'Bearer realm="segmentum"'})
        try:
            sparql_update, params = await _read_operation(request, "update", "application/sparql-update", lang, body_cap)
            if sparql_update is None:
                raise ProtocolError(400, text("serve.no_query", lang))
        except ProtocolError as exc:
            return _error(exc.status, exc.message)
        return await execute(job(sparql_update, "update", request, params))

    async def home(request: Request) -> Response:
        page_lang = Lang(request.query_params.get("lang", lang.value)) if request.query_params.get("lang") in ("ru", "en") else lang
        fields = {k.split(".", 1)[1]: text(k, page_lang) for k in ("page.title", "page.run", "page.rows", "page.example", "page.failed")}
        return HTMLResponse(page.substitute(lang=page_lang.value, **fields))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await pool.start()
        logger.info("%d query workers over %s", limits.workers, config.store_path)
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/update", update, methods=["GET", "POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


@contextlib.contextmanager
def prepared_store(store_dir: Path | None, paths: list[Path], lang: Lang) -> Iterator[Path]:
    """A disk store with the shipped data and the given profiles, closed so that workers can open it.

    Without ``store_dir`` the store is a temporary folder, removed afterwards.
    """
    from segmentum.session import open_session

    with contextlib.ExitStack() as stack:
        folder = store_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="segmentum-serve-")))
        session = open_session(folder, lang=lang)
        try:
            if paths:
                session.load_profiles(paths)
        finally:
            session.store.close()
        yield folder


def _stop(signum, frame) -> None:
    raise SystemExit(0)


def serve(config: ServerConfig, host: str, port: int) -> None:
    """Run the endpoint until interrupted (Ctrl+C or SIGTERM), then return normally.

    uvicorn stops gracefully on these signals and then raises them again with the handlers it
    found; ours end the process by ``SystemExit``, so the caller's cleanup (a temporary store) runs.
    """
    import signal

    import uvicorn

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False)
