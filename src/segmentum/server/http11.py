"""The HTTP/1.1 connections of ``segmentum serve``: uvicorn's h11 protocol with a read timeout and
an answer to an over-long request head.

uvicorn waits for a request head as long as the client takes (a client that sends a byte now and
then holds a connection, and the memory of its buffer, for ever), and answers a head longer than
its buffer with 400 and closes the connection while the client is still sending, which the client
sees as a reset. Here a request head must arrive within ``read_timeout`` seconds of the connection
or of its first byte, else the answer is 408 and the connection is closed; a head longer than the
buffer is answered 414 when its request line (the URL) is too long, else 431, and what the client
still sends is read and dropped for a moment, so that it reads the answer rather than a reset.
The body of a request has its own timeout in the application (``app._body``).
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from uvicorn.protocols.http.h11_impl import H11Protocol

LINGER = 2.0  # seconds to read and drop what a client still sends after a refusal


class _Protocol(H11Protocol):
    read_timeout = 10.0
    head_limit = 65536
    max_line = 65536
    messages: dict[int, str] = {}

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._draining = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_started: float | None = None
        self._start_head()

    def _in_request(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _start_head(self) -> None:
        self._head_started = self.loop.time()
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.read_timeout, self._check_head)

    def _check_head(self) -> None:
        self._head_timer = None
        if self._head_started is None or self._draining or self.transport.is_closing():
            return
        if self._in_request():  # the head arrived; the body and the answer have their own limits
            self._head_started = None
            return
        left = self._head_started + self.read_timeout - self.loop.time()
        if left > 0:
            self._head_timer = self.loop.call_later(left, self._check_head)
            return
        self._refuse(408, linger=False)

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return
        if self._head_started is None and not self._in_request():
            self._start_head()
        super().data_received(data)
        if self._in_request():
            self._head_started = None

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """h11 refused the head: when it is longer than the buffer, say so (414 or 431)."""
        buffered, _closed = self.conn.trailing_data
        if len(buffered) <= self.head_limit:
            super().send_400_response(msg)
            return
        line_end = buffered.find(b"\r\n")
        self._refuse(414 if line_end < 0 or line_end > self.max_line else 431, linger=True)

    def _refuse(self, status: int, *, linger: bool) -> None:
        """Answer ``status`` with its message and close, after reading and dropping for a moment
        what the client still sends (``linger``)."""
        body = (self.messages.get(status, HTTPStatus(status).phrase) + "\n").encode("utf-8")
        head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: text/plain; charset=utf-8\r\n"
                f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode("ascii")
        self.transport.write(head + body)
        if not linger or not self.transport.can_write_eof():
            self.transport.close()
            return
        self._draining = True
        self.transport.write_eof()
        self.transport.resume_reading()
        self.loop.call_later(LINGER, self.transport.close)


def protocol(*, read_timeout: float, head_limit: int, max_line: int, messages: dict[int, str]) -> type[H11Protocol]:
    """The protocol class for ``uvicorn.run(http=…)``, with these limits and messages (408, 414, 431)."""
    return type("SegmentumH11Protocol", (_Protocol,), {"read_timeout": read_timeout, "head_limit": head_limit,
                                                       "max_line": max_line, "messages": dict(messages)})
