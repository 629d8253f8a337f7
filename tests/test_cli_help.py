"""Help follows the language (Russian by default), and global options may follow the command."""

from __future__ import annotations

import ast
import importlib
import inspect
import re

import click
import pytest

from segmentum.cli.base import GlobalOption, HelpArgument, HelpOption, _parameter_key, language_of
from segmentum.cli.main import main
from segmentum.i18n.help_texts import CLICK, COMMANDS, PARAMETERS, command_help, parameter_help

from .conftest import EXAMPLES, ROOT

CYRILLIC = re.compile("[а-яё]", re.I)


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    yield prefix, group
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            yield from commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


ALL = list(commands(main))
IDS = [" ".join(path) or "segmentum" for path, _ in ALL]


def params_of(cmd: click.Command) -> list[click.Parameter]:
    """A command's parameters as its help shows them: its own, the root's global options, -h/--help."""
    with click.Context(main, info_name="segmentum") as root:
        ctx = root if cmd is main else click.Context(cmd, parent=root, info_name=cmd.name)
        return cmd.get_params(ctx)


def help_of(runner, args: list[str], **env) -> str:
    result = runner.invoke(main, args, terminal_width=80, env=env or None)
    assert result.exit_code == 0, result.output
    return result.stdout


# ---------------------------------------------------------------- every text in both languages

@pytest.mark.parametrize("path, cmd", ALL, ids=IDS)
def test_every_command_argument_and_option_has_help_in_both_languages(path, cmd):
    key = " ".join(path)
    assert cmd.help_key == key
    for lang in ("ru", "en"):
        text, examples = command_help(key, lang)
        assert text.strip() and examples
        assert all(e.startswith(f"segmentum {key}".rstrip()) or e.startswith("segmentum --") for e in examples)
    ru, en = command_help(key, "ru")[0], command_help(key, "en")[0]
    assert CYRILLIC.search(ru) and ru != en
    for param in params_of(cmd):
        assert isinstance(param, (HelpOption, HelpArgument)), f"{key}: {param.name} is not made with cli_base.option/argument"
        texts = {lang: parameter_help(key, _parameter_key(param), lang) for lang in ("ru", "en")}
        assert CYRILLIC.search(texts["ru"]), f"{key} {_parameter_key(param)} has no Russian help"
        assert texts["en"] and texts["en"] != texts["ru"]


def test_the_tables_have_no_texts_of_commands_or_options_that_do_not_exist():
    assert set(COMMANDS) == {" ".join(path) for path, _ in ALL}
    used = set()
    for path, cmd in ALL:
        for param in params_of(cmd):
            name = _parameter_key(param)
            own = f"{' '.join(path)} {name}".strip()
            used.add(own if own in PARAMETERS else name)
    assert set(PARAMETERS) - used == set()


@pytest.mark.parametrize("path, cmd", ALL, ids=IDS)
def test_no_command_has_an_option_twice(path, cmd):
    opts = [o for p in params_of(cmd) for o in (*p.opts, *p.secondary_opts) if isinstance(p, click.Option)]
    assert len(opts) == len(set(opts))


def test_an_option_cannot_carry_its_own_help_text():
    with pytest.raises(TypeError, match="help_texts.py"):
        HelpOption(["--new"], help="Some text.")


def _click_message_ids() -> set[str]:
    """The texts Click passes to gettext/ngettext, read from Click's source."""
    found = set()
    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types"):
        tree = ast.parse(inspect.getsource(importlib.import_module(f"click.{name}")))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                found.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return found


def test_every_translation_of_click_is_a_text_click_still_uses():
    assert set(CLICK) - _click_message_ids() - {"required"} == set()  # «required» reaches gettext through a variable


# ---------------------------------------------------------------- golden help pages

@pytest.mark.parametrize("args, name", [
    ([], "help-segmentum.ru.txt"),
    (["--lang", "en"], "help-segmentum.en.txt"),
    (["validate"], "help-validate.ru.txt"),
    (["validate", "--lang", "en"], "help-validate.en.txt"),
])
def test_help_golden(runner, golden, args, name):
    golden(name, help_of(runner, [*args, "--help"]))


def test_help_language_follows_every_way_of_choosing_it(runner):
    russian = help_of(runner, ["validate", "--help"])
    english = help_of(runner, ["--lang", "en", "validate", "--help"])
    assert russian.startswith("Использование: segmentum validate") and "Показать эту справку и выйти." in russian
    assert english.startswith("Usage: segmentum validate") and "Show this message and exit." in english
    assert help_of(runner, ["validate", "--help", "--lang", "en"]) == english  # after --help too
    assert help_of(runner, ["validate", "-h", "--lang=en"]) == english
    assert help_of(runner, ["validate", "--help"], SEGMENTUM_LANG="en") == english
    assert help_of(runner, ["--lang", "ru", "validate", "--help"], SEGMENTUM_LANG="en") == russian
    assert help_of(runner, ["--lang", "en", "validate", "--help", "--lang", "ru"]) == russian  # the last one wins


def test_russian_help_has_no_english_words_of_click(runner):
    for path, _ in ALL:
        page = help_of(runner, [*path, "--help"])
        for english in ("Usage:", "Options:", "Commands:", "Arguments:", "Show this message", "default:", "required"):
            assert english not in page, (path, english)


#: Click's words outside gettext: the usage line's placeholders and the names of value types
CLICK_PLACEHOLDERS = re.compile(r"\[OPTIONS\]|\bCOMMAND\b|\[ARGS\]|-[\w-]+ (?:TEXT|INTEGER|FLOAT|BOOLEAN|FILE|DIRECTORY|PATH|FILENAME)\b")


def test_russian_help_and_usage_errors_have_no_placeholders_of_click_and_english_keeps_them(runner):
    for path, _ in ALL:
        page = help_of(runner, [*path, "--help"])
        assert not CLICK_PLACEHOLDERS.search(page), (path, CLICK_PLACEHOLDERS.search(page))
    assert help_of(runner, ["--help"]).startswith("Использование: segmentum [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]...\n")
    assert "--user ТЕКСТ" in help_of(runner, ["validate", "--help"])
    error = runner.invoke(main, ["catalogue", "list", "--bogus"]).stderr
    assert "Использование: segmentum catalogue list [ПАРАМЕТРЫ]" in error and not CLICK_PLACEHOLDERS.search(error)
    english = help_of(runner, ["--lang", "en", "--help"])
    assert english.startswith("Usage: segmentum [OPTIONS] COMMAND [ARGS]...\n") and "--user TEXT" in english
    assert "[OPTIONS]" in runner.invoke(main, ["--lang", "en", "catalogue", "list", "--bogus"]).stderr


def test_command_lists_show_the_first_paragraph(runner):
    page = help_of(runner, ["--lang", "en", "catalogue", "--help"])
    assert "  check          Check the catalogue itself with shapes/catalogue.ttl.\n" in page
    assert "Exit code 1" not in page


def test_version_follows_the_language(runner):
    assert re.fullmatch(r"segmentum, версия \S+\n", runner.invoke(main, ["--version"]).stdout)
    assert re.fullmatch(r"segmentum, version \S+\n", runner.invoke(main, ["--version", "--lang", "en"]).stdout)


# ---------------------------------------------------------------- Click's usage errors

@pytest.mark.parametrize("args, russian, english", [
    (["validate"], "Ошибка: Не указан аргумент 'PATHS...'.", "Error: Missing argument 'PATHS...'."),
    (["validat"], "Ошибка: Нет команды «validat».", "Error: No such command 'validat'."),
    (["show", "x.yaml"], "Ошибка: Нет команды «show». Возможно, имелось в виду «catalogue show» или «profile show»?",
     "Error: No such command 'show'. Did you mean 'catalogue show' or 'profile show'?"),
    (["catalogue", "list", "--format", "xml"], "«xml» — не одно из: 'table', 'csv', 'json'.", "'xml' is not one of 'table', 'csv', 'json'."),
    (["validate", "nowhere.yaml"], "нет такого файла или папки: «nowhere.yaml»", "Path 'nowhere.yaml' does not exist."),
    (["serve", "--port", "70000"], "Недопустимое значение для '--port': 70000 — вне диапазона 0<=x<=65535.",
     "Invalid value for '--port': 70000 is not in the range 0<=x<=65535."),
    (["catalogue", "list", "--statuss", "x"], "Ошибка: Нет параметра «--statuss». Возможно, имелось в виду '--status'?",
     "Error: No such option '--statuss'. Did you mean '--status'?"),
    (["profile", "new"], "Ошибка: Не указан параметр '--status'.", "Error: Missing option '--status'."),
    (["catalogue", "show", "a", "b"], "Ошибка: Лишний аргумент (b)", "Error: Got unexpected extra argument (b)"),
])
def test_usage_errors_follow_the_language(runner, args, russian, english):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert russian in result.stderr
    assert "Справка: «segmentum" in result.stderr and "Использование: segmentum" in result.stderr
    result = runner.invoke(main, [*args, "--lang", "en"])
    assert result.exit_code == 2
    assert english in result.stderr and not CYRILLIC.search(result.stderr.replace("«", "").replace("»", ""))


def test_usage_errors_of_our_own_follow_the_language(runner, tmp_path):
    args = ["--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1/query", "catalogue", "list"]
    assert "--store и --endpoint исключают друг друга" in runner.invoke(main, args).stderr
    assert "--store and --endpoint exclude each other" in runner.invoke(main, ["--lang", "en", *args]).stderr
    result = runner.invoke(main, ["query"])
    assert result.exit_code == 2 and "укажите имя запроса, файл .rq или текст SPARQL, или --list" in result.stderr


def test_language_of_the_arguments():
    assert language_of([]) == "ru"
    assert language_of(["--lang", "en", "validate"]) == "en"
    assert language_of(["validate", "x", "--lang=en"]) == "en"
    assert language_of(["--lang", "en", "validate", "--lang", "ru"]) == "ru"
    assert language_of(["--lang", "de"]) == "ru"  # Click reports the bad value, in Russian
    assert language_of(["query", "--", "--lang", "en"]) == "ru"


def test_language_of_the_environment(monkeypatch):
    monkeypatch.setenv("SEGMENTUM_LANG", "en")
    assert language_of(["validate"]) == "en"
    assert language_of(["--lang", "ru"]) == "ru"
    monkeypatch.setenv("SEGMENTUM_LANG", "fr")
    assert language_of(["validate"]) == "ru"


def test_a_bad_language_in_the_environment_is_a_usage_error(runner):
    result = runner.invoke(main, ["catalogue", "terms", "stages"], env={"SEGMENTUM_LANG": "fr"})
    assert result.exit_code == 2 and "«fr» — не одно из: 'ru', 'en'" in result.stderr


# ---------------------------------------------------------------- global options after the command

PROFILE = str(EXAMPLES / "young-soldier.yaml")


def test_global_options_after_the_command_mean_the_same(runner):
    before = runner.invoke(main, ["--lang", "en", "validate", PROFILE])
    after = runner.invoke(main, ["validate", PROFILE, "--lang", "en"])
    assert before.exit_code == after.exit_code == 0
    assert after.stdout == before.stdout and "Summary:" in after.stdout
    assert runner.invoke(main, ["catalogue", "--lang", "en", "terms", "stages"]).stdout == \
        runner.invoke(main, ["--lang", "en", "catalogue", "terms", "stages"]).stdout


def test_the_option_after_the_command_wins(runner):
    result = runner.invoke(main, ["--lang", "ru", "validate", PROFILE, "--lang", "en"])
    assert "Summary:" in result.stdout
    result = runner.invoke(main, ["--lang", "en", "validate", PROFILE, "--lang", "ru"])
    assert "Итого:" in result.stdout
    result = runner.invoke(main, ["validate", PROFILE, "--lang", "ru"], env={"SEGMENTUM_LANG": "en"})
    assert "Итого:" in result.stdout


def test_quiet_and_store_after_the_command(runner, tmp_path):
    store = tmp_path / "store"
    loud = runner.invoke(main, ["load", PROFILE, "--store", str(store)])
    assert loud.exit_code == 0 and "загружено профилей: 1" in loud.stderr
    quiet = runner.invoke(main, ["load", PROFILE, "--store", str(store), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    listed = runner.invoke(main, ["query", "profiles-by-stage", "-f", "csv", "--store", str(store)])
    assert listed.exit_code == 0 and "young-soldier" in listed.stdout


def test_store_and_endpoint_still_exclude_each_other_across_places(runner, tmp_path):
    result = runner.invoke(main, ["--store", str(tmp_path), "catalogue", "list", "--endpoint", "http://127.0.0.1:1/query"])
    assert result.exit_code == 2 and "--store и --endpoint" in result.stderr


def test_verbose_after_the_command_shows_tracebacks(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("status: [\n", encoding="utf-8")
    assert "Traceback" not in runner.invoke(main, ["validate", str(bad)]).stderr
    assert "Traceback" in runner.invoke(main, ["validate", str(bad), "-vv"]).stderr


@pytest.mark.parametrize("path, cmd", ALL[1:], ids=IDS[1:])
def test_every_command_accepts_the_global_options_declared_once(path, cmd):
    own = {o for p in cmd.params for o in p.opts}  # a command's own option of the same name wins (serve --read-timeout)
    root = [p.opts for p in main.params if isinstance(p, GlobalOption) and not own & set(p.opts)]
    assert [p.opts for p in params_of(cmd) if isinstance(p, GlobalOption)] == root
    source = (ROOT / "src" / "segmentum" / "cli" / "main.py").read_text(encoding="utf-8")
    assert all(source.count(f'"{opts[-1]}"') == 1 for opts in root)
