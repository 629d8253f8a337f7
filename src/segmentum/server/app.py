"""``segmentum serve``: a SPARQL 1.1 Protocol endpoint over the store, with a page to try queries.

Routes: ``/sparql`` answers queries (GET ``?query=``, POST form-encoded, POST
``application/sparql-query``); ``/update`` takes updates (POST form-encoded ``update=`` or
``application/sparql-update``) only when the server was started with updates allowed, and only
with the token (``Authorization: Bearer …``); ``/`` is the query page.

Every request runs in a worker process with a timeout, a row limit and a byte limit on the answer
(``workers``), which first checks it (``protocol.check``: size, syntax, no SERVICE or LOAD) and
chooses the result format. At most ``max_queue`` requests wait for a worker (more get 503 with
``Retry-After``); a query whose client disconnects is stopped (its worker is killed and replaced).
The answer to a refused or failed request is an HTTP error with a one-line message in the
server's language; the server itself goes on.

Before any of that, a request must name this server in its ``Host`` header — the address it is
bound to, a loopback name or address, or a name given with ``--allowed-host`` — so that a web page
whose name is made to point at this computer (DNS rebinding) cannot read the store (403); a
query string longer than a query may be is refused with 414, and a request head or body that
does not arrive within ``read_timeout`` seconds with 408 (``http11``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
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
from segmentum.server.workers import Busy, Job, Timeout, WorkerPool

logger = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Limits:
    """What one request may cost."""

    max_query_bytes: int = 100_000
    max_rows: int = 100_000
    timeout: float = 10.0
    workers: int = 2
    max_response_bytes: int = 64 * 1024 * 1024
    max_queue: int | None = None  # requests that may wait for a worker; None: twice the workers
    read_timeout: float = 10.0  # seconds for a request head, and for its body

    @property
    def request_cap(self) -> int:
        """The longest body or query string: a form-encoded query is up to three times its length
        (UTF-8 letters as %XX%XX), with room for the other parameters."""
        return 3 * self.max_query_bytes + 4096


@dataclass(frozen=True)
class ServerConfig:
    """How the endpoint runs: the disk store it serves, the limits, updates, the language, its names."""

    store_path: Path
    limits: Limits = Limits()
    update_token: str | None = None  # updates are allowed only when a token is set
    lang: Lang = Lang.RU
    host: str = "127.0.0.1"  # the address it is bound to: a Host header naming it is accepted
    allowed_hosts: tuple[str, ...] = ()  # other names a Host header may give (--allowed-host)


def is_loopback(host: str) -> bool:
    """``localhost``, an address of 127.0.0.0/8, ``::1`` (or 127.x mapped into IPv6)."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def host_name(header: str) -> str | None:
    """The name in a Host header (``name``, ``name:port``, ``[v6]:port``), lower case, without a
    final dot; None when it is not one."""
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket:
            return None
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit() or rest == ":"):
        return None
    name = name.rstrip(".")
    return name or None


def _error(status: int, message: str, **headers: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)


def _guarded(app, config: ServerConfig):
    """The application behind the checks made before routing: the Host header and the query string's length."""
    lang, limits = config.lang, config.limits
    names = {host_name(h) for h in (config.host, *config.allowed_hosts)} - {None}
    names -= {"0.0.0.0", "::"}  # a wildcard address is no name of the server

    async def guarded(scope, receive, send) -> None:
        if scope["type"] == "http":
            given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
            if given is not None:
                name = host_name(given)
                if name is None or not (name in names or is_loopback(name)):
                    response = _error(403, text("serve.bad_host", lang, host=given[:200]))
                    await response(scope, receive, send)
                    return
            if len(scope.get("query_string", b"")) > limits.request_cap:
                response = _error(414, text("serve.url_too_long", lang, limit=limits.max_query_bytes, cap=limits.request_cap),
                                  Connection="close")
                await response(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


async def _body(request: Request, limits: Limits, lang: Lang) -> bytes:
    """The request body, read no further than the cap (a longer one is refused with 413) and
    within the read timeout (else 408)."""
    cached = getattr(request.state, "body", None)
    if cached is not None:
        return cached
    cap = limits.request_cap
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise ProtocolError(413, text("serve.body_too_long", lang, size=int(declared), cap=cap, limit=limits.max_query_bytes))

    async def read() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise ProtocolError(413, text("serve.body_too_long", lang, size=f"> {cap}", cap=cap, limit=limits.max_query_bytes))
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        request.state.body = await asyncio.wait_for(read(), limits.read_timeout)
    except asyncio.TimeoutError:
        raise ProtocolError(408, text("serve.read_timeout", lang, seconds=f"{limits.read_timeout:g}")) from None
    return request.state.body


async def _read_operation(request: Request, name: str, direct_type: str, lang: Lang, limits: Limits) -> tuple[str | None, dict[str, list[str]]]:
    """The query (or update) text and the protocol parameters of a GET or POST request."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request, limits, lang)
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


async def _disconnected(request: Request) -> None:
    """Return when the client closes the connection (once the body is read, the server's next
    message is the disconnection)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _unless_disconnected(work, request: Request):
    """The result of ``work``, or None when the client went away first (then ``work`` is cancelled)."""
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        task.cancel()
        raise
    finally:
        watch.cancel()
    if task.done():
        return task.result()
    if watch.exception() is not None:  # the connection cannot be watched: wait for the work alone
        return await task
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return None


def create_app(config: ServerConfig) -> Starlette:
    """The ASGI application; its worker processes start and stop with it."""
    lang = config.lang
    limits = config.limits
    pool = WorkerPool(config.store_path, size=limits.workers, timeout=limits.timeout, max_queue=limits.max_queue)
    page = Template(resources.files("segmentum").joinpath("web", "sparql.html").read_text(encoding="utf-8"))
    retry_after = str(max(1, math.ceil(limits.timeout)))

    async def execute(job: Job, request: Request) -> Response:
        if len(job.sparql.encode("utf-8")) > limits.max_query_bytes:  # refused before it is sent to a worker
            return _error(413, text("serve.too_long", lang, size=len(job.sparql.encode("utf-8")), limit=limits.max_query_bytes))
        try:
            if job.kind == "update":
                # checked by a reader first: a refused or malformed update does not stop the readers;
                # once accepted it goes on to its end (or its timeout) even if its client goes away
                outcome = await _unless_disconnected(pool.run(replace(job, check_only=True)), request)
                if outcome is None:
                    return Response(status_code=499)
                if outcome.status == 200:
                    outcome = await pool.update(job)
            else:
                outcome = await _unless_disconnected(pool.run(job), request)
                if outcome is None:  # nobody reads this answer
                    return Response(status_code=499)
        except Busy:
            return _error(503, text("serve.busy", lang, queue=pool.max_queue, seconds=retry_after), **{"Retry-After": retry_after})
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
                   max_rows=limits.max_rows, max_bytes=limits.max_query_bytes, max_response_bytes=limits.max_response_bytes,
                   lang=lang.value)

    async def sparql(request: Request) -> Response:
        try:
            query, params = await _read_operation(request, "query", "application/sparql-query", lang, limits)
            if query is None:
                if "update" in params:
                    return await update(request)
                if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
                    return await home(request)
                raise ProtocolError(400, text("serve.no_query", lang))
        except ProtocolError as exc:
            return _error(exc.status, exc.message, **({"Connection": "close"} if exc.status == 408 else {}))
        return await execute(job(query, "query", request, params), request)

    async def update(request: Request) -> Response:
        if request.method != "POST":
            return _error(405, text("serve.update_post", lang), Allow="POST")
        if config.update_token is None:
            return _error(403, text("serve.read_only", lang))
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {config.update_token}".encode()):
            return _error(401, text("serve.bad_token", lang), **{"WWW-Authenticate": 'Bearer realm="segmentum"'})
        try:
            sparql_update, params = await _read_operation(request, "update", "application/sparql-update", lang, limits)
            if sparql_update is None:
                raise ProtocolError(400, text("serve.no_query", lang))
        except ProtocolError as exc:
            return _error(exc.status, exc.message, **({"Connection": "close"} if exc.status == 408 else {}))
        return await execute(job(sparql_update, "update", request, params), request)

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
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(_Guard, config=config)
    return app


class _Guard:
    """Starlette middleware around ``_guarded``."""

    def __init__(self, app, config: ServerConfig) -> None:
        self.app = _guarded(app, config)

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


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

    from segmentum.server.http11 import protocol

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    limits = config.limits
    head_limit = limits.request_cap + 64 * 1024  # the request line with the longest query string, and the headers
    messages = {408: text("serve.read_timeout", config.lang, seconds=f"{limits.read_timeout:g}"),
                414: text("serve.url_too_long", config.lang, limit=limits.max_query_bytes, cap=limits.request_cap),
                431: text("serve.head_too_long", config.lang, limit=head_limit)}
    http = protocol(read_timeout=limits.read_timeout, head_limit=head_limit, max_line=limits.request_cap + 64, messages=messages)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False,
                http=http, h11_max_incomplete_event_size=head_limit)
