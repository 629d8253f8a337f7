"""The ``segmentum`` root group: global options, and the commands loaded when they are called.

Each command lives in the module of its job (``cli/catalogue.py``, ``cli/profile.py`` …); the
root group imports a module only when its command runs or its help is shown, so ``--help`` and
simple commands stay fast. Help texts of every command, argument and option are in
``segmentum/i18n/help_texts.py``; ``cli/base.py`` has the Click classes that show them in the chosen
language and accept the global options after the command too.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from segmentum.cli.base import LANG_ENV, LANGS, HelpGroup, RootGroup, current_lang, global_option, option, show_version
from segmentum.cli.common import Invocation
from segmentum.i18n.help_texts import click_text, command_help
from segmentum.i18n.messages import quoted_list, text
from segmentum.store import CONNECT_TIMEOUT, READ_TIMEOUT

#: command name → "module:attribute" under segmentum.cli
COMMANDS = {
    "catalogue": "catalogue:catalogue",
    "export": "store:export",
    "infer": "inference:infer_command",
    "load": "store:load",
    "prioritise": "prioritise:prioritise",
    "profile": "profile:profile",
    "query": "query:query",
    "report": "report:report",
    "serve": "serve:serve",
    "suggest": "inference:suggest",
    "validate": "validate:validate",
    "workspace": "workspace:workspace",
}


class LazyRoot(RootGroup):
    """The top-level group: commands are imported when used; a sub-group's command typed without
    its group («segmentum show») names the full command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, attr = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(f"segmentum.cli.{module}"), attr), name)
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the help table, without importing the commands."""
        lang = current_lang()
        rows = [(name, command_help(name, lang)[0].partition("\n\n")[0]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section(click_text("Commands", lang)):
                formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            name = args[0] if args else ""
            owners = [g for g in self.list_commands(ctx) if isinstance(cmd := self.get_command(ctx, g), click.Group) and name in cmd.commands]
            if owners:
                lang = current_lang()
                options = quoted_list([f"{g} {name}" for g in owners], lang) if lang == "ru" else " or ".join(f"'{g} {name}'" for g in owners)
                raise click.UsageError(text("cli.no_command_in_group", lang, name=name, options=options), ctx) from None
            raise


def all_commands() -> dict[str, click.Command]:
    """Every command and sub-group of the root, loaded (for tests and documentation)."""
    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}


@click.group(name="segmentum", cls=LazyRoot)
@global_option("--lang", type=click.Choice(LANGS), default="ru", envvar=LANG_ENV, show_default=True)
@global_option("--store", type=click.Path(file_okay=False, path_type=Path), default=None)
@global_option("--endpoint", envvar="SEGMENTUM_ENDPOINT", metavar="URL")
@global_option("--update-endpoint", envvar="SEGMENTUM_UPDATE_ENDPOINT", metavar="URL")
@global_option("--graph-store", envvar="SEGMENTUM_GRAPH_STORE", metavar="URL")
@global_option("--user", envvar="SEGMENTUM_ENDPOINT_USER")
@global_option("--password", envvar="SEGMENTUM_ENDPOINT_PASSWORD")
@global_option("--connect-timeout", envvar="SEGMENTUM_ENDPOINT_CONNECT_TIMEOUT", type=click.FloatRange(0, min_open=True),
               default=CONNECT_TIMEOUT, show_default=True, metavar="SEC")
@global_option("--read-timeout", envvar="SEGMENTUM_ENDPOINT_READ_TIMEOUT", type=click.FloatRange(0, min_open=True),
               default=READ_TIMEOUT, show_default=True, metavar="SEC")
@global_option("-v", "--verbose", count=True)
@global_option("-q", "--quiet", is_flag=True)
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show_version)
@click.pass_context
def main(ctx: click.Context, **options) -> None:
    ctx.obj = Invocation(options)
    ctx.call_on_close(ctx.obj.close)


__all__ = ["COMMANDS", "HelpGroup", "all_commands", "main"]

if __name__ == "__main__":  # pragma: no cover
    main()
