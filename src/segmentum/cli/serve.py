"""``segmentum serve``: the read-only SPARQL 1.1 endpoint over the shipped data and the given profiles."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from segmentum.cli.base import command, option
from segmentum.cli.common import Invocation, handle_errors, note, optional_paths_argument, pass_state
from segmentum.errors import BadInputError
from segmentum.i18n.messages import text
from segmentum.server.app import Limits, ServerConfig, is_loopback, prepared_store
from segmentum.server.app import serve as run_server

MIN_TOKEN = 16  # characters of SEGMENTUM_SERVE_TOKEN at least


@command("serve")
@optional_paths_argument
@option("--host", default="127.0.0.1", show_default=True)
@option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME")
@option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@option("--max-queue", default=None, type=click.IntRange(0))
@option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1))
@option("--read-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1))
@option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1))
@option("--max-query-bytes", default=100_000, show_default=True, type=click.IntRange(1))
@option("--max-response-bytes", default=Limits.max_response_bytes, show_default=True, type=click.IntRange(1))
@option("--allow-update", is_flag=True)
@pass_state
@handle_errors
def serve(state: Invocation, paths: tuple[Path, ...], host: str, port: int, allowed_hosts: tuple[str, ...], workers: int,
          max_queue: int | None, timeout: float, read_timeout: float, max_rows: int, max_query_bytes: int, max_response_bytes: int,
          allow_update: bool) -> None:
    lang = state.lang
    if state.endpoint is not None:
        raise click.UsageError(text("cli.serve_embedded", lang))
    token = None
    if allow_update:
        token = os.environ.get("SEGMENTUM_SERVE_TOKEN")
        if token is None:
            token = secrets.token_urlsafe(24)
            click.echo(text("serve.token", lang, token=token), err=True)
        elif len(token) < MIN_TOKEN:
            raise BadInputError(text("serve.short_token", lang, length=len(token), minimum=MIN_TOKEN))
    limits = Limits(max_query_bytes=max_query_bytes, max_rows=max_rows, timeout=timeout, workers=workers,
                    max_response_bytes=max_response_bytes, max_queue=max_queue, read_timeout=read_timeout)
    with prepared_store(state.store_dir, list(paths), lang) as store_path:
        if not is_loopback(host):
            click.echo(text("serve.not_loopback", lang, host=host), err=True)
        note(state, text("serve.listening", lang, host=host, port=port))
        run_server(ServerConfig(store_path, limits, token, lang, host=host, allowed_hosts=allowed_hosts), host, port)
