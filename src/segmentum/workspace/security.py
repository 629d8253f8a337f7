"""What every request of the workspace passes through before a page sees it.

- The Host header must name the address the workspace was bound to or a loopback name, so a web
  page of another site cannot reach it by a name of its own that resolves here (DNS rebinding).
- With an access token, a request must carry it: once in the address (``?token=…``, then kept in a
  cookie and removed from the address), or as ``Authorization: Bearer …``.
- Every browser gets a session cookie; every write (any method but GET and HEAD) must carry the
  CSRF token made from it, in the ``X-CSRF-Token`` header (htmx sends it) or the ``csrf_token``
  form field, and must not come from another site (``Origin``, ``Sec-Fetch-Site``).
- Every answer has security headers: a Content Security Policy without inline scripts or styles,
  no framing, no sniffing, no referrer.
- ``?lang=en`` or ``?lang=ru`` chooses the language and keeps it in a cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import socket
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from segmentum.i18n.messages import Lang, text

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
SESSION_COOKIE = "segmentum_ws_session"
TOKEN_COOKIE = "segmentum_ws_token"
LANG_COOKIE = "segmentum_ws_lang"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
#: the largest write accepted (a profile is a few kilobytes)
MAX_BODY = 1_000_000
SAFE_METHODS = frozenset({"GET", "HEAD"})

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def host_names(bound: str) -> frozenset[str]:
    """The names a Host header may give: loopback names and the bound address; bound to every
    address (0.0.0.0), also this machine's name."""
    names = set(LOOPBACK) | {bound.lower(), f"[{bound.lower()}]"}
    if bound in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def host_of(header: str) -> str:
    """The name of a Host header without its port: «127.0.0.1:8000» → «127.0.0.1», «[::1]:80» → «[::1]»."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_loopback(host: str) -> bool:
    return host.lower() in LOOPBACK or host.startswith("127.")


@dataclass
class Guard:
    """The rules a request is checked by; ``middleware`` applies them."""

    hosts: frozenset[str]
    token: str | None = None
    lang: Lang = Lang.RU
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def csrf_for(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    def lang_of(self, request: Request) -> Lang:
        asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return Lang(asked) if asked in ("ru", "en") else self.lang

    def middleware(self, app: ASGIApp) -> ASGIApp:
        guard = self

        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            await guard.check(app, scope, receive, send)

        return guarded

    async def check(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        lang = self.lang_of(request)
        refused = self._refused(request, lang)
        if refused is not None:
            await self._send(refused, scope, receive, send)
            return
        if self.token and request.query_params.get("token"):  # the token in the address: keep it in a cookie, show the address without it
            query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
            redirect = RedirectResponse(request.url.path + (f"?{query}" if query else ""), status_code=303)
            redirect.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            await self._send(redirect, scope, receive, send)
            return
        session = request.cookies.get(SESSION_COOKIE, "")
        fresh = not session
        session = session or secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state.update(lang=lang, csrf=self.csrf_for(session))
        if request.method not in SAFE_METHODS:
            body = await _read_body(receive)
            if body is None:
                await self._send(PlainTextResponse(text("ws.too_large", lang) + "\n", 413), scope, receive, send)
                return
            if fresh or not self._csrf_ok(request, body, session):
                await self._send(PlainTextResponse(text("ws.bad_csrf", lang) + "\n", 403), scope, receive, send)
                return
            receive = _replay(body, receive)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                self._secure(headers, request, lang, new_session=session if fresh else None)
            await send(message)

        await app(scope, receive, send_with_headers)

    def _refused(self, request: Request, lang: Lang) -> Response | None:
        host = host_of(request.headers.get("host", ""))
        if host not in self.hosts:
            return PlainTextResponse(text("ws.bad_host", lang, host=host or "—") + "\n", 400)
        if self.token:
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or \
                request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return PlainTextResponse(text("ws.need_token", lang) + "\n", 401, headers={"WWW-Authenticate": 'Bearer realm="segmentum"'})
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            if origin and (origin == "null" or host_of(urlsplit(origin).netloc) not in self.hosts):
                return PlainTextResponse(text("ws.bad_origin", lang) + "\n", 403)
            if request.headers.get("sec-fetch-site") == "cross-site":
                return PlainTextResponse(text("ws.bad_origin", lang) + "\n", 403)
        return None

    def _csrf_ok(self, request: Request, body: bytes, session: str) -> bool:
        expected = self.csrf_for(session)
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            given = next((v for k, v in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True) if k == CSRF_FIELD), None)
        return given is not None and hmac.compare_digest(given.encode(), expected.encode())

    def _secure(self, headers: MutableHeaders, request: Request, lang: Lang, *, new_session: str | None) -> None:
        for name, value in HEADERS.items():
            headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            headers.setdefault("cache-control", "no-store")
        cookies = SimpleCookie()
        if new_session:
            cookies[SESSION_COOKIE] = new_session
        if request.query_params.get("lang") in ("ru", "en"):
            cookies[LANG_COOKIE] = lang.value
        for morsel in cookies.values():
            morsel["path"] = "/"
            morsel["samesite"] = "Strict"
            morsel["httponly"] = True
            headers.append("set-cookie", morsel.OutputString())

    async def _send(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        await response(scope, receive, send)


async def _read_body(receive: Receive) -> bytes | None:
    """The request body, or None when it is longer than ``MAX_BODY``."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then what the client sends next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
