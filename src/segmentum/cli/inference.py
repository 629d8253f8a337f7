"""``segmentum suggest`` and ``segmentum infer``: the inference rules over profiles."""

from __future__ import annotations

from pathlib import Path

from segmentum.cli.base import command, option
from segmentum.cli.common import (
    Invocation,
    emit,
    format_option,
    handle_errors,
    note,
    optional_paths_argument,
    output_option,
    pass_state,
    paths_argument,
    rules_option,
)
from segmentum.i18n.messages import text
from segmentum.inference.suggest import SuggestFormat
from segmentum.tasks import inference as inference_tasks


@command("suggest")
@paths_argument
@format_option(SuggestFormat, "text")
@option("--explain", is_flag=True)
@rules_option
@output_option
@pass_state
@handle_errors
def suggest(state: Invocation, paths: tuple[Path, ...], fmt: str, explain: bool, rule_files: tuple[Path, ...], output: Path | None) -> None:
    emit(inference_tasks.suggest_for(state.session, list(paths), list(rule_files), SuggestFormat(fmt), explain=explain), output)


@command("infer")
@optional_paths_argument
@rules_option
@pass_state
@handle_errors
def infer_command(state: Invocation, paths: tuple[Path, ...], rule_files: tuple[Path, ...]) -> None:
    run, profiles = inference_tasks.infer_all(state.session, list(paths), list(rule_files))
    note(state, text("infer.done", state.lang, n=run.derivations, rules=len(run.fired), rounds=run.rounds, profiles=profiles, seconds=run.seconds))
    if state.in_memory:  # nothing of this outlives the command
        note(state, text("infer.not_kept", state.lang))
