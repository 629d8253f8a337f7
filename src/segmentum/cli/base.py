"""The Click classes ``segmentum`` is built with: help in the user's language, global options anywhere.

* Help texts come from ``src/segmentum/i18n/help_texts.py`` when help is shown, in the language of the
  invocation, and so do Click's own words (usage line, section titles, usage errors): Click asks
  ``gettext`` for them, and ``install_click_translations`` gives Click's modules a ``gettext`` that
  answers from that table. Click has no Russian catalogue of its own, and binding the process-wide
  gettext domain Click uses would change every other gettext user.
* The language is known before Click parses anything, since usage errors are worded while parsing:
  ``language_of`` takes the last ``--lang`` of the arguments (before or after the command), else
  the ``SEGMENTUM_LANG`` environment variable, else Russian — the same choice the root option makes
  for labels and messages.
* That language is the one value kept in a ``ContextVar`` (``_INVOCATION_LANG``) rather than passed:
  Click calls ``gettext(message)`` with the message alone, from inside its parser, before any
  context object or command exists, so the patched ``gettext`` has nowhere else to read it from.
  A ``ContextVar`` and not a module global, because two invocations may run at once in one process
  (tests, a program embedding the command in threads) and each must keep its own language;
  ``RootGroup.main`` sets it and resets it when the invocation ends. Everything else gets the
  language as an argument.
* Options made with ``global_option`` belong to the root group, and every command and sub-group
  accepts them too: they are copied once into each command. Values written after the command
  reach the root's context object through its ``override(values)`` and win over those before it.
"""

from __future__ import annotations

import copy
import gettext
import importlib
import os
from collections.abc import Sequence
from contextvars import ContextVar
from functools import partial
from typing import Any

import click
from click.core import ParameterSource

from segmentum.i18n.help_texts import click_metavar, click_plural, click_text, command_help, label, parameter_help
from segmentum.i18n.messages import Lang

LANG_ENV = "SEGMENTUM_LANG"
LANGS = [lang.value for lang in Lang]

#: the running invocation's language, for Click's gettext only (see the module's docstring for why it is not passed)
_INVOCATION_LANG: ContextVar[str | None] = ContextVar("segmentum_cli_lang", default=None)
_GIVEN = "segmentum.global_options"  # ctx.meta key: global options written after a command


# ---------------------------------------------------------------- language

def env_language() -> str:
    """The language set by SEGMENTUM_LANG, Russian if it is unset or not a known language."""
    value = os.environ.get(LANG_ENV, "")
    return value if value in LANGS else Lang.RU.value


def language_of(args: Sequence[str]) -> str:
    """The language an invocation asks for: its last valid ``--lang`` (before ``--``), else SEGMENTUM_LANG."""
    found = None
    items = iter(args)
    for arg in items:
        if arg == "--":
            break
        value = next(items, None) if arg == "--lang" else arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value in LANGS:
            found = value
    return found or env_language()


def current_lang() -> Lang:
    """The language of the running invocation (or of SEGMENTUM_LANG outside one).

    Click words its usage errors while parsing, before any command runs, and asks ``gettext``
    without a context: this is the one place the language is looked up rather than passed.
    """
    return Lang(_INVOCATION_LANG.get() or env_language())


def _click_lang() -> str | None:
    """The language for Click's own words, or None when Click works for another program in this process."""
    lang = _INVOCATION_LANG.get()
    if lang is not None:
        return lang
    ctx = click.get_current_context(silent=True)
    if ctx is not None and isinstance(ctx.find_root().command, HelpGroup):
        return env_language()
    return None


def _gettext(message: str) -> str:
    lang = _click_lang()
    return message if lang is None else click_text(message, lang)


def _ngettext(singular: str, plural: str, n: int) -> str:
    lang = _click_lang()
    if lang is None:
        return singular if n == 1 else plural
    return click_plural(singular, plural, n, lang)


_CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser", "click.types")


def install_click_translations() -> None:
    """Give Click's modules our ``gettext`` and ``ngettext`` (they import the stdlib ones as ``_`` and ``ngettext``)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _gettext
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _ngettext


# ---------------------------------------------------------------- parameters

def _parameter_key(param: click.Parameter) -> str:
    """How the help table names a parameter: its long option, or the argument's name in capitals."""
    if isinstance(param, click.Argument):
        return (param.name or "").upper()
    longs = [o for o in param.opts if o.startswith("--")]
    return max(longs, key=len) if longs else param.opts[0]


class _TableHelp:
    """``help`` read from the table in the current language; ``owner`` is the command's path, set when it is registered."""

    owner: str | None = None

    @property
    def help(self) -> str:
        if self.owner is None:
            raise LookupError(f"{_parameter_key(self)} is not registered with a segmentum command")
        return parameter_help(self.owner, _parameter_key(self), current_lang())

    @help.setter
    def help(self, value: str | None) -> None:
        if value:
            raise TypeError("help texts live in src/segmentum/i18n/help_texts.py, not in the option")

    def make_metavar(self, ctx: click.Context) -> str:
        """Click's name of a value's type (TEXT, FILE, INTEGER …) in the language of the invocation; a
        metavar of our own (URL, SEC) and an argument's name stay as written."""
        metavar = super().make_metavar(ctx)
        if self.metavar is not None or isinstance(self, click.Argument):
            return metavar
        name, dots, _ = metavar.partition("...")
        return click_metavar(name, current_lang()) + dots


class HelpOption(_TableHelp, click.Option):
    pass


class HelpArgument(_TableHelp, click.Argument):
    pass


class GlobalOption(HelpOption):
    """An option of the root group that every command also accepts after its name."""


option = partial(click.option, cls=HelpOption)
argument = partial(click.argument, cls=HelpArgument)
global_option = partial(click.option, cls=GlobalOption)


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Callback of ``--version``: the installed version of segmentum."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    click.echo(label("version", current_lang()).format(prog=ctx.find_root().info_name, version=version("segmentum")), color=ctx.color)
    ctx.exit()


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Callback of a global option written after a command: keep the value if the user wrote it."""
    if ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
        ctx.meta.setdefault(_GIVEN, {})[param.name] = value
    return value


def _inherited(param: GlobalOption) -> GlobalOption:
    """The copy of a root option that a command accepts: no environment variable (the root reads it), no default."""
    twin = copy.copy(param)
    twin.envvar = None
    twin.show_default = False
    twin.show_envvar = False
    twin.expose_value = False
    twin.callback = _remember
    return twin


# ---------------------------------------------------------------- commands

class _HelpCommandMixin:
    """Help from the table, an ``-h/--help`` option of our own, and the root's global options."""

    help_key: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help_option"] = False  # ours reads its help from the table
        super().__init__(*args, **kwargs)
        self._help_option = HelpOption(["-h", "--help"], is_flag=True, expose_value=False, is_eager=True, callback=_show_help)
        self._globals: list[click.Parameter] | None = None
        self._set_owner(self.help_key)

    def _set_owner(self, key: str) -> None:
        self.help_key = key
        for param in [*self.params, self._help_option]:
            param.owner = key

    def global_params(self, ctx: click.Context) -> list[click.Parameter]:
        """Copies of the root group's global options (none for the root itself)."""
        root = ctx.find_root().command
        if root is self:
            return []
        if self._globals is None:
            # a command's own option of the same name wins (serve --read-timeout: the server's wait for a client)
            own = {o for p in self.params for o in (*p.opts, *p.secondary_opts)}
            self._globals = [_inherited(p) for p in root.params if isinstance(p, GlobalOption) and not own & {*p.opts, *p.secondary_opts}]
        return self._globals

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return [*self.params, *self.global_params(ctx), self._help_option]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return self._help_option

    def get_help_option_names(self, ctx: click.Context) -> list[str]:
        return list(self._help_option.opts)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """The usage line's pieces, Click's own ([OPTIONS], COMMAND [ARGS]...) in the invocation's language."""
        lang, own = current_lang(), {self.options_metavar, getattr(self, "subcommand_metavar", None)}
        return [click_metavar(piece, lang) if piece in own else piece for piece in super().collect_usage_pieces(ctx)]

    def get_short_help_str(self, limit: int = 45) -> str:
        return command_help(self.help_key, current_lang())[0].partition("\n\n")[0]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_arguments(ctx, formatter)
        self.format_options(ctx, formatter)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)
        self.format_global_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = current_lang()
        text, examples = command_help(self.help_key, lang)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)
        if examples:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(label("example" if len(examples) == 1 else "examples", lang))
                with formatter.indentation():
                    for line in "\n".join(examples).splitlines():  # as written: no wrapping of commands
                        formatter.write(f"{'':>{formatter.current_indent}}{line}\n")

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if args:
            with formatter.section(label("arguments", current_lang())):
                formatter.write_dl([(p.make_metavar(ctx), p.help) for p in args])

    def _option_records(self, ctx: click.Context, global_ones: bool) -> list[tuple[str, str]]:
        inherited = self.global_params(ctx)
        records = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Option) and (isinstance(param, GlobalOption) or param in inherited) == global_ones:
                record = param.get_help_record(ctx)
                if record is not None:
                    records.append(record)
        return records

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = self._option_records(ctx, global_ones=False)
        if records:
            with formatter.section(click_text("Options", current_lang())):
                formatter.write_dl(records)

    def format_global_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = self._option_records(ctx, global_ones=True)
        if records:
            with formatter.section(label("global_options", current_lang())):
                formatter.write_dl(records)


class HelpCommand(_HelpCommandMixin, click.Command):
    """A command: before its callback runs, global options written after it reach the root's context object."""

    def invoke(self, ctx: click.Context) -> Any:
        given = ctx.meta.pop(_GIVEN, None)
        if given:
            ctx.find_root().obj.override(given)
        return super().invoke(ctx)


class HelpGroup(_HelpCommandMixin, click.Group):
    """A group whose commands and sub-groups are ``HelpCommand`` and ``HelpGroup``, keyed by their path."""

    command_class = HelpCommand
    group_class = type  # sub-groups are of the same class

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(cmd, name)
        if isinstance(cmd, _HelpCommandMixin):
            cmd._set_owner(f"{self.help_key} {name or cmd.name}".strip())
            if isinstance(cmd, HelpGroup):  # a group filled before it was added: re-key its commands
                for sub_name, sub in cmd.commands.items():
                    cmd.add_command(sub, sub_name)


class RootGroup(HelpGroup):
    """The ``segmentum`` group: an invocation's language is set before parsing, for help and usage errors."""

    group_class = HelpGroup

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        import sys

        token = _INVOCATION_LANG.set(language_of(sys.argv[1:] if args is None else args))
        try:
            return super().main(args, *rest, **kwargs)
        finally:
            _INVOCATION_LANG.reset(token)


install_click_translations()

#: a command or group of ``segmentum`` defined in its own module, added to the root when first used
command = partial(click.command, cls=HelpCommand)
group = partial(click.group, cls=HelpGroup)
