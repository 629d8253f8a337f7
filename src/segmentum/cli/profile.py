"""``segmentum profile …``: a new profile from the catalogue, a profile shown resolved, accepted suggestions added."""

from __future__ import annotations

from pathlib import Path

import click

from segmentum.cli.base import argument, group, option
from segmentum.cli.common import Invocation, emit, format_option, handle_errors, note, output_option, pass_state, paths_argument, rules_option
from segmentum.i18n.messages import text
from segmentum.reports.terminal import DocFormat
from segmentum.tasks import inference as inference_tasks
from segmentum.tasks import profiles as profiles_tasks


@group()
def profile() -> None:
    pass


@profile.command("new")
@option("--status", required=True)
@option("--life-situation", "life_situations", multiple=True)
@option("--service", "services", multiple=True)
@option("--id", "profile_id")
@output_option
@pass_state
@handle_errors
def profile_new(state: Invocation, status: str, life_situations: tuple[str, ...], services: tuple[str, ...], profile_id: str | None,
                output: Path | None) -> None:
    emit(profiles_tasks.new_profile(state.session, status, list(life_situations), list(services), profile_id), output)


@profile.command("show")
@paths_argument
@format_option(DocFormat, "text")
@pass_state
@handle_errors
def profile_show(state: Invocation, paths: tuple[Path, ...], fmt: str) -> None:
    emit(profiles_tasks.show_profiles(state.session, list(paths), DocFormat(fmt)), None)


@profile.command("complete")
@argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--accept", "accept", multiple=True, required=True)
@rules_option
@output_option
@pass_state
@handle_errors
def profile_complete(state: Invocation, path: Path, accept: tuple[str, ...], rule_files: tuple[Path, ...], output: Path | None) -> None:
    target, n = inference_tasks.complete_profile(state.session, path, list(accept), list(rule_files), output)
    note(state, text("complete.added", state.lang, path=target, n=n))
