"""Bad input: one clear line with file, line, column and a suggestion; exit 2; nothing written."""

from __future__ import annotations

import pytest

from segmentum.cli.main import main
from segmentum.errors import CatalogueError, ProfileError
from segmentum.i18n.messages import Lang
from segmentum.namespaces import CATALOGUE_GRAPH
from segmentum.profiles.reader import load_profile
from segmentum.store.embedded import OxigraphStore

from .conftest import write

CASES = [
    # (profile text, line, column, substring of the message, substring of the hint)
    ("status: citizen\nstage: I\nattributes:\n  пол: мужской\n   возраст: 20\n", 5, 11, "YAML", None),
    ("status: citizen\nstage: I\nattributes:\n  регион прожевания: Москва\n", 4, 3, "«регион прожевания»", "«регион проживания»"),
    ("status: citizen\nstage: I\nattributes:\n  пол: мужкой\n", 4, 8, "«мужкой»", "«мужской»"),
    ("status: гражданен\nstage: I\n", 1, 9, "«гражданен»", "«Гражданин»"),
    ("status: citizen\nlife_situation: Поступление в вус\nstage: I\n", 2, 17, "«Поступление в вус»", "«Поступление в вуз»"),
    ("status: citizen\nstage: V\n", 2, 8, "«V»", None),
    # nothing close: the hint names the command that lists the names
    ("status: citizen\nlife_situation: Выход на пенсию\nstage: I\n", 2, 17, "«Выход на пенсию»", "segmentum catalogue terms life-situations"),
    ("status: citizen\nстатс: I\n", 2, 1, "«статс»", "«статус»"),
    ("status: citizen\nstage: I\nchannels:\n  informing:\n    - Госуслги\n", 5, 7, "«Госуслги»", "«Единый портал"),
    ("status: internal\nstage: I\nattributes:\n  возраст: двадцать\n", 4, 12, "«двадцать»", "22-25"),
    ("status: citizen\nstage: I\nattributes:\n  пенсионер: может быть\n", 4, 14, "«может быть»", None),
    ("- just\n- a list\n", 1, 1, None, None),
]


@pytest.mark.parametrize("text, line, column, message, hint", CASES)
def test_profile_errors_point_at_file_line_and_column(shared, tmp_path, text, line, column, message, hint):
    p = write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    err = info.value
    assert (err.location.path, err.location.line, err.location.column) == (str(p), line, column)
    rendered = str(err)
    assert rendered.startswith(f"{p}:{line}:{column}: error: ")
    assert "\n" not in rendered
    if message:
        assert message in rendered
    if hint:
        assert hint in rendered


def test_cli_bad_profile_gives_one_line_and_exit_status_2(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nattributes:\n  регион прожевания: Москва\n")
    result = runner.invoke(main, ["profile", "show", str(p)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{p}:4:3: error: «регион прожевания» нет в каталоге (признак); "
        "возможно, имелось в виду «регион проживания» или «место рождения»?\n"
    )


def test_cli_error_in_english(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nattributes:\n  регион прожевания: Москва\n")
    result = runner.invoke(main, ["--lang", "en", "profile", "show", str(p)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{p}:4:3: error: unknown attribute «регион прожевания»; did you mean «region of residence»")


def test_failed_export_leaves_the_output_file_untouched(runner, tmp_path):
    out = tmp_path / "out.ttl"
    out.write_text("old content\n", encoding="utf-8")
    bad = write(tmp_path, "status: citizen\nstage: I\nattributes:\n  пол: мужкой\n", "bad.yaml")
    result = runner.invoke(main, ["export", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["bad.yaml", "out.ttl"]  # no temp file left


def test_duplicate_profile_ids_are_refused(runner, tmp_path):
    write(tmp_path, "id: same\nstatus: citizen\nstage: I\n", "a.yaml")
    write(tmp_path, "id: same\nstatus: citizen\nstage: I\n", "b.yaml")
    result = runner.invoke(main, ["profile", "show", str(tmp_path)])
    assert result.exit_code == 2
    assert "«same»" in result.stderr and "a.yaml" in result.stderr


def test_not_utf8_names_the_line(shared, tmp_path):
    p = tmp_path / "p.yaml"
    p.write_bytes(b"status: citizen\nstage: I\ntitle: " + "Студент".encode("cp1251") + b"\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue)
    assert info.value.location.line == 3


@pytest.mark.parametrize("lang, message, hint", [
    (Lang.RU, "ошибка синтаксиса Turtle", "исправьте синтаксис Turtle в этом месте"),
    (Lang.EN, "Turtle syntax error", "fix the Turtle syntax at this place"),
])
def test_malformed_turtle_names_file_line_and_column(tmp_path, lang, message, hint):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix a: <http://a/> .\na:x a:y a:z .\na:x a:y "unterminated .\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        OxigraphStore(lang=lang).load_file(bad, graph=CATALOGUE_GRAPH)
    assert (info.value.location.path, info.value.location.line, info.value.location.column) == (str(bad), 3, 9)
    assert str(info.value).startswith(f"{bad}:3:9: error: {message}: ")
    assert str(info.value).endswith(f"; {hint}")


# ------------------------------------------------------------ messages in the user's language

#: errors raised with English text on purpose: they report a bug in segmentum (exit status 4),
#: not something the user can fix; (file, the message's first words)
INTERNAL_ERRORS = {
    ("files.py", "{s} belongs to no catalogue file"),
    ("remote.py", "the store {url} is used after close()"),
    ("remote.py", "unknown format {fmt}"),
    ("embedded.py", "unknown format {fmt}"),
}


def _literal_texts(source: str, filename: str, names: dict) -> list[str]:
    """The calls ``SomeError("literal")`` in ``source`` whose class (looked up in ``names``) is a
    user-facing SegmentumError: its message or hint is a string literal, not a ``messages.text`` call."""
    import ast

    from segmentum.errors import ExitCode, SegmentumError
    from segmentum.i18n.messages import MESSAGES

    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        cls = names.get(node.func.id)
        if not (isinstance(cls, type) and issubclass(cls, SegmentumError)):
            continue
        literals = [a for a in node.args[:1] if isinstance(a, ast.Constant | ast.JoinedStr)]
        literals += [k.value for k in node.keywords if k.arg == "hint" and isinstance(k.value, ast.Constant | ast.JoinedStr)]
        for lit in literals:
            if hasattr(cls, "keys") and isinstance(lit, ast.Constant) and cls.keys + lit.value in MESSAGES:
                continue  # the class takes a message key and formats it in the user's language
            shown = ast.unparse(lit)[2:-1] if isinstance(lit, ast.JoinedStr) else str(lit.value)
            if cls.exit_code is ExitCode.INTERNAL and (filename, shown) in INTERNAL_ERRORS:
                continue
            found.append(f"{filename}:{node.lineno}: {cls.__name__}({ast.unparse(lit)[:70]})")
    return found


def test_user_facing_errors_take_their_text_from_messages():
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "src"
    found = []
    for path in sorted((root / "segmentum").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
        found += _literal_texts(path.read_text(encoding="utf-8"), path.name, vars(module))
    assert found == []


def test_the_check_finds_literal_texts():
    from segmentum.catalogue import files as catalogue_files
    from segmentum.validation import compiler as shacl_sparql

    names = {**vars(catalogue_files), **vars(shacl_sparql)}
    source = """
raise CatalogueError(f"{s} belongs to no catalogue file")
raise SegmentumError(f"{s} belongs to no catalogue file")
raise BadInputError(text("cat.no_files", lang, folder=f), hint="check the folder")
raise UnsupportedShapeError("no_this", lang)
raise UnsupportedShapeError("no such key", lang)
raise ValueError("not a user error")
"""
    assert [f.split(": ", 1)[1] for f in _literal_texts(source, "files.py", names)] == [
        "CatalogueError(f'{s} belongs to no catalogue file')",
        "BadInputError('check the folder')",
        "UnsupportedShapeError('no such key')",
    ]
