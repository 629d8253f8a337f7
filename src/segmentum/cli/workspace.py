"""``segmentum workspace``: the web workspace over a folder of profiles, with the shipped catalogue."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from segmentum.cli.base import argument, command, option
from segmentum.cli.common import Invocation, handle_errors, note, pass_state
from segmentum.i18n.messages import text
from segmentum.workspace.app import WorkspaceConfig
from segmentum.workspace.app import serve as run_workspace
from segmentum.workspace.security import is_loopback

TOKEN_ENV = "SEGMENTUM_WORKSPACE_TOKEN"


@command("workspace")
@argument("folder", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@option("--host", default="127.0.0.1", show_default=True)
@option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@option("--token", "use_token", is_flag=True)
@option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False, path_type=Path))
@pass_state
@handle_errors
def workspace(state: Invocation, folder: Path, host: str, port: int, use_token: bool, catalogue_dir: Path | None) -> None:
    lang = state.lang
    token = os.environ.get(TOKEN_ENV) or None
    if not is_loopback(host):
        click.echo(text("ws.not_loopback", lang, host=host), err=True)
        use_token = True  # reachable from elsewhere: never without a token
    if use_token and token is None:
        token = secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    config = WorkspaceConfig(folder.resolve(), host, token, lang, catalogue_dir.resolve() if catalogue_dir else None)
    run_workspace(config, state.session, port, lambda: note(state, text("ws.listening", lang, url=url)))
