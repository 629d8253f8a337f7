"""Bad input: one clear line with file, line, column and a suggestion; exit 2; nothing written."""

from __future__ import annotations

import pytest

from segmentum.cli.main import main
from segmentum.errors import CatalogueError, ProfileError
from segmentum.i18n.messages import Lang
from segmentum.namespaces import CATALOGUE_GRAPH
from segmentum.profiles.reader import load_profiles
from segmentum.store.embedded import OxigraphStore

from .conftest import DATA, load, write

CAR_BUYER = "status: Гражданин\nlife_situation: Покупка автомобиля\nstage: {stage}\nattributes:\n  пол: мужской\n"

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
    ("status: internal\nstage: I\nattributes:\n  возраст: двадцать\n", 4, 12, "«двадцать»", "22-25"),
    ("status: citizen\nstage: I\nattributes:\n  пенсионер: может быть\n", 4, 14, "«может быть»", None),
    ("- just\n- a list\n", 1, 1, None, None),
]


@pytest.mark.parametrize("text, line, column, message, hint", CASES)
def test_profile_errors_point_at_file_line_and_column(shared, tmp_path, text, line, column, message, hint):
    p = write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load(p, shared)
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
        f"{p}:4:3: ошибка: «регион прожевания» нет в каталоге (признак); "
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
        load(p, shared)
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


# ------------------------------------------------------------ what people get wrong in a profile, and what to do

def test_unknown_value_of_a_short_scheme_lists_the_allowed_values(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  пол: средний\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert str(info.value) == f"{p}:4:8: error: «средний» нет в каталоге (значение признака «пол»); допустимые значения: «женский», «мужской»"


def test_unknown_value_of_a_long_scheme_names_the_command_for_that_attribute(shared):
    with pytest.raises(ProfileError) as info:
        load("status: Гражданин\nstage: I\nattributes:\n  гражданство: Марс\n", shared)
    assert "ATTRIBUTE" not in str(info.value)


def test_unknown_attribute_offers_only_attributes_of_the_status(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  количество детей: 2\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    # not «среднесписочная численность работников», an attribute of business
    assert str(info.value) == f"{p}:4:3: error: «количество детей» нет в каталоге (признак); список: segmentum catalogue list --status citizen"


def test_an_unknown_status_lists_the_three_instead_of_a_look_alike(runner, tmp_path):
    p = write(tmp_path, "status: учитель\nstage: I\nlife_situation: МСЭ\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«учитель» нет в каталоге (статус); допустимые значения: «Гражданин», «Представитель бизнеса», «Внутренний клиент»" in result.stderr
    p = write(tmp_path, "status: Гражданен\nstage: I\nlife_situation: МСЭ\n")
    assert "возможно, имелось в виду «Гражданин»?" in runner.invoke(main, ["validate", str(p)]).stderr


def test_a_service_written_as_a_life_situation_is_named_with_its_field(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nlife_situation: замена паспорта\nstage: I\nattributes:\n  пол: мужской\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert str(info.value) == (f"{p}:2:17: error: «замена паспорта» нет в каталоге (жизненная ситуация); это услуга "
                               "«Выдача (замена) паспорта гражданина Российской Федерации»: запишите её в «service:»")


def test_a_value_under_the_wrong_attribute_names_its_attribute(tmp_path, runner):
    p = write(tmp_path, "status: business\nlife_situation: госзакупки\nstage: I\nattributes:\n  регион места нахождения: ПФО\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "«ПФО» — значение признака «федеральный округ»: запишите его под этим признаком" in result.stderr


def test_a_field_given_twice_is_an_error_naming_the_first(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nстатус: business\nattributes:\n  пол: мужской\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert str(info.value).startswith(f"{p}:3:1: error: «статус» указано дважды (первый раз — в строке 1)")


def test_an_unknown_key_inside_a_field_is_named_as_such(tmp_path, shared):
    p = write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  пол: мужской\nchannels:\n  informing:\n    - channel: ЕПГУ\n      stat: open\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert str(info.value) == f"{p}:8:7: error: неизвестный ключ «stat» в «informing»; возможно, имелось в виду «state»?"


def test_an_unknown_profile_field_lists_the_known_ones(tmp_path, shared):
    p = write(tmp_path, "lang: en\nstatus: Citizen\nstage: I\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert str(info.value).startswith(f"{p}:1:1: error: неизвестное поле профиля «lang»; известные ключи: id, title, status,")


def test_channels_written_as_a_plain_list_name_informing_and_service(tmp_path, runner):
    p = write(tmp_path, CAR_BUYER.format(stage="III") + "channels:\n  - Госуслуги\n  - МФЦ\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert f"{p}:7:3: ошибка: поле «channels» должно быть словарём" in result.stderr
    assert "«informing:» (информирование) и «service:» (получение услуг)" in result.stderr


def test_criteria_written_as_a_list_say_to_drop_the_dash(tmp_path, runner):
    p = write(tmp_path, CAR_BUYER.format(stage="II") + "приоритет:\n  - ёмкость: 100\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "без «-» перед ними" in result.stderr


def test_a_segments_file_given_as_a_profile_says_what_it_is(runner):
    result = runner.invoke(main, ["validate", str(DATA / "profiles-with-segments" / "сегменты.yaml")])
    assert result.exit_code == 2
    assert "это файл сегментов (ключ «сегменты»), а не профиль" in result.stderr
    assert "segmentum prioritise" in result.stderr


def test_a_misspelt_channel_is_kept_and_its_note_names_the_channel_meant(shared):
    prof = load("status: citizen\nstage: I\nchannels:\n  informing:\n    - Госуслги\n", shared)
    ((where, note),) = prof.reading_notes
    assert (where.line, where.column) == (5, 7)
    assert "«Госуслги»" in note and "«Единый портал" in note


FOUR_UNKNOWN_NAMES = """status: Представитель бизнеса
stage: I
life_situation: Участие в госзакупкахх
attributes:
  регион места нахождения: Мосвка
  цвет глаз: карие
journey_features:
  - text: Работает через дилера
    state: непонятно
"""


def test_every_unknown_name_of_a_file_is_reported_in_one_run(tmp_path, shared, runner):
    p = write(tmp_path, FOUR_UNKNOWN_NAMES)
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert [(e.location.line, e.location.column) for e in info.value.errors] == [(3, 17), (5, 28), (6, 3), (9, 12)]
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 4
    assert lines[0] == f"{p}:3:17: ошибка: «Участие в госзакупкахх» нет в каталоге (жизненная ситуация); возможно, имелось в виду «Участие в госзакупках»?"
    assert lines[3].startswith(f"{p}:9:12: ошибка: «непонятно» нет в каталоге (состояние гипотезы)")


def test_a_file_s_errors_are_reported_up_to_a_cap(tmp_path, shared):
    body = "status: citizen\nstage: I\nattributes:\n" + "".join(f"  признак номер {n}: да\n" for n in range(30))
    with pytest.raises(ProfileError) as info:
        load(write(tmp_path, body), shared)
    errors = info.value.errors
    assert len(errors) == 21 and errors[19].location.line == 23  # the first twenty, then what to do
    assert "первые 20 ошибок" in errors[20].message


def test_a_folder_with_several_wrong_files_names_each_of_them(tmp_path, shared, runner):
    write(tmp_path, "", "a-empty.yaml")
    write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  возрас: 20\n", "b-typo.yaml")
    write(tmp_path, "status: Гражданин\nstage: I\nattributes:\n  пол: мужской\n", "c-good.yaml")
    with pytest.raises(ProfileError):
        load_profiles([tmp_path], shared.catalogue)
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ошибка: ")[0] for line in lines] == [f"{tmp_path}/a-empty.yaml:1:1", f"{tmp_path}/b-typo.yaml:4:3"]


# ------------------------------------------------------------ YAML and file errors

def test_an_empty_file_says_so_with_a_place(tmp_path, shared):
    p = write(tmp_path, "# только комментарий\n")
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert str(info.value).startswith(f"{p}:1:1: error: файл профиля пуст; ")


@pytest.mark.parametrize(
    "body, message",
    [
        ("status: Гражданин\n  stage: I\n", "здесь не может начаться пара «ключ: значение»"),
        ('title: "Студент\nstatus: citizen\n', "кавычка не закрыта до конца файла"),
        ("attributes:\n\t- пол: мужской\n", "табуляция: в YAML отступы делаются только пробелами"),
        ("service: [ЕПГУ, МФЦ\n", "список или словарь в скобках не закрыт: нет «]»"),
    ],
)
def test_yaml_syntax_errors_read_in_russian(shared, body, message):
    with pytest.raises(ProfileError) as info:
        load(body, shared)
    assert message in str(info.value)


def test_a_windows_1251_file_is_named_so_with_its_line_and_column(tmp_path, shared):
    p = tmp_path / "p.yaml"
    p.write_bytes("status: citizen\nstage: I\nattributes:\n  пол: мужской\n".encode("cp1251"))
    with pytest.raises(ProfileError) as info:
        load(p, shared)
    assert "Windows-1251" in info.value.message
    assert (info.value.location.line, info.value.location.column) == (4, 3)


def test_yaml_off_is_quoted_as_written(runner, tmp_path):
    p = write(tmp_path, "status: citizen\nstage: I\nlife_situation: Поступление в вуз\nattributes:\n  пол: off\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "p.yaml:5:8: ошибка: «off» нет в каталоге" in result.stderr and "False" not in result.stderr


def test_every_file_with_a_yaml_quirk_names_its_line(runner):
    result = runner.invoke(main, ["validate", str(DATA / "yaml-quirks")])
    assert result.exit_code == 2
    for line in (
        "tab-indent.yaml:6:1: ошибка: ошибка синтаксиса YAML: табуляция",
        "duplicate-top-key.yaml:5:1: ошибка: «stage» указано дважды (первый раз — в строке 4)",
        "list-for-scalar.yaml:2:3: ошибка: поле «title» должно быть текстом; здесь одно значение: запишите его одной строкой",
        "stage-number-range.yaml:6:12: ошибка: «2024-05-31» — не число и не интервал",
        "anchor-key.yaml:1:1: ошибка: «base» — не поле профиля: здесь только якорь YAML «&moscow»; назовите ключ с «x-»",
        "yes-for-scale.yaml:8:34: ошибка: «да» нет в каталоге (значение признака «обращение через представителя»)",
        "yaml-off.yaml:6:8: ошибка: «off» нет в каталоге (значение признака «пол»)",
    ):
        assert line in result.stderr, result.stderr


def test_an_anchor_in_an_unknown_nested_key_says_the_same(shared):
    with pytest.raises(ProfileError) as e:
        load("status: citizen\nstage: I\npains:\n  - text: Долго ждёт\n    шаблон: &t {state: open}\n", shared)
    assert "«шаблон» — не поле профиля: здесь только якорь YAML «&t»" in str(e.value) and e.value.location.line == 5


def test_a_merge_key_of_a_list_is_a_yaml_error_in_russian(runner, tmp_path):
    p = write(tmp_path, "x-a: &a [1, 2]\nstatus: citizen\nstage: I\npains:\n  - <<: *a\n")
    result = runner.invoke(main, ["validate", str(p)])
    assert result.exit_code == 2
    assert "ключ слияния «<<:» вставляет только словарь" in result.stderr


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


def test_an_internal_error_speaks_the_users_language(runner, monkeypatch):
    from segmentum.catalogue.view import Catalogue

    def broken(*args, **kwargs):
        raise RuntimeError("сбой")

    monkeypatch.setattr(Catalogue, "attributes_for", broken)
    for lang, start in (("ru", "внутренняя ошибка: RuntimeError: сбой"), ("en", "internal error: RuntimeError: сбой")):
        result = runner.invoke(main, ["--lang", lang, "catalogue", "list"])
        assert result.exit_code == 4
        assert result.stderr.startswith(start)
