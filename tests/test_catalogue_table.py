"""The expert attribute table (XLSX/CSV) and catalogue curation, on a copy of the real catalogue."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, SKOS

from segmentum.catalogue.curation import check_files
from segmentum.catalogue.files import CatalogueFiles, default_catalogue_dir
from segmentum.catalogue.table import catalogue_table
from segmentum.catalogue.table_import import apply_table
from segmentum.cli.main import main
from segmentum.errors import BadInputError
from segmentum.i18n.messages import Lang
from segmentum.namespaces import ATTR, SGM, SRC, VAL, VS
from segmentum.resources import catalogue_files

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "src" / "segmentum" / "catalogues"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.glob("*.ttl"))}


@pytest.fixture()
def cat(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue that a test may change."""
    folder = tmp_path / "catalogues"
    folder.mkdir()
    for f in CATALOGUE.glob("*.ttl"):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The catalogue exported once as XLSX (Russian) and as CSV."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("table")
    runner = CliRunner()
    for args in (["-o", str(out / "catalogue.xlsx")], ["--format", "csv", "-o", str(out / "csv")]):
        result = runner.invoke(main, ["catalogue", "export", *args])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--lang", "en", "catalogue", "export", "-o", str(out / "catalogue-en.xlsx")])
    assert result.exit_code == 0, result.output
    return out


def run(runner, *args: str, lang: str = "ru"):
    return runner.invoke(main, ["--lang", lang, *args])


def edited(exported: Path, tmp_path: Path, edit) -> Path:
    """A copy of the exported workbook changed by ``edit(workbook)``."""
    wb = load_workbook(exported / "catalogue.xlsx")
    edit(wb)
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def column_of(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def row_of(ws, ident: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == ident)


# ---------------------------------------------------------------- round trip

@pytest.mark.parametrize("name", ["catalogue.xlsx", "catalogue-en.xlsx", "csv", "csv/values.csv"])
def test_export_then_import_changes_nothing(runner, exported, cat, name):
    """Byte for byte: importing what was exported writes no file."""
    before = snapshot(cat)
    result = run(runner, "catalogue", "import", str(exported / name), "--catalogue", str(cat), "--apply")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout == "Изменений нет.\n"
    assert snapshot(cat) == before


def test_workbook_has_the_sheets_frozen_headers_filters_and_fitting_widths(exported):
    wb = load_workbook(exported / "catalogue.xlsx")
    assert wb.sheetnames == ["Признаки", "Шкалы", "Значения", "Статусы", "Источники", "НПА"]
    ws = wb["Признаки"]
    assert [c.value for c in ws[1]][:3] == ["Идентификатор", "Название", "Название (англ.)"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws[1][0].font.b
    assert 10 < ws.column_dimensions["A"].width <= 62
    attributes = set()
    for f in CATALOGUE.glob("attributes-*.ttl"):
        attributes |= set(Graph().parse(f).subjects(None, SGM.Attribute))
    assert ws.max_row - 1 == len(attributes) >= 80
    age = row_of(ws, "age")
    assert ws.cell(age, column_of(ws, "Статусы")).value == "citizen\ninternal"
    assert ws.cell(age, column_of(ws, "Тип значения")).value == "integer"
    assert ws.cell(age, column_of(ws, "Максимум")).value == 120
    lists = {str(d.sqref).split(":")[0][:-1]: d.formula1 for d in wb["Значения"].data_validations.dataValidation}
    assert lists["C"] == '"значение,интервал,регион,федеральный округ"'  # drop-down lists for fixed words
    assert '"да,нет"' in lists.values()
    en = load_workbook(exported / "catalogue-en.xlsx")
    assert en.sheetnames[0] == "Attributes" and en["Attributes"]["B1"].value == "Label (ru)"


def test_deprecated_values_are_marked_with_their_replacement(exported):
    ws = load_workbook(exported / "catalogue.xlsx")["Значения"]
    r = row_of(ws, "okopf-oao")
    assert ws.cell(r, column_of(ws, "Устарело")).value == "да"
    assert ws.cell(r, column_of(ws, "Заменено на")).value == "okopf-12247\nokopf-12267"
    assert ws.cell(r, 1).font.i and ws.cell(r, 1).font.color.rgb.endswith("808080")
    current = row_of(ws, "okopf-12247")
    assert not ws.cell(current, 1).font.i


def test_csv_is_utf8_rfc4180_one_file_per_sheet(exported):
    folder = exported / "csv"
    assert (folder / "values.csv").stat().st_mode & 0o777 == 0o666 & ~_umask()  # not owner-only like a temporary file
    assert sorted(f.name for f in folder.iterdir()) == ["acts.csv", "attributes.csv", "schemes.csv", "sources.csv", "statuses.csv", "values.csv"]
    raw = (folder / "attributes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader((folder / "attributes.csv").open(encoding="utf-8-sig", newline="")))
    assert rows[0][:2] == ["Идентификатор", "Название"]
    age = next(r for r in rows if r[0] == "age")
    assert age[rows[0].index("Статусы")] == "citizen\ninternal"


# ---------------------------------------------------------------- an edited table

def test_import_shows_changes_and_writes_only_with_apply(runner, exported, cat, tmp_path):
    def edit(wb):
        ws = wb["Значения"]
        r = row_of(ws, "okopf-12247")
        ws.cell(r, column_of(ws, "Название (англ.)")).value = "Public joint-stock companies (PAO)"
        new = ws.max_row + 1
        for header, value in {"Идентификатор": "okopf-12310", "Шкала": "okopf", "Код": "12310",
                              "Название": "Хозяйственные партнерства", "Название (англ.)": "Business partnerships",
                              "Источники": "art-gk-1-50"}.items():
            ws.cell(new, column_of(ws, header)).value = value

    path = edited(exported, tmp_path, edit)
    before = snapshot(cat)
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat))
    assert result.exit_code == 0, result.output
    assert "Значения: добавлено 1, изменено 1, удалено 0" in result.stdout
    assert "+ okopf-12310 «Хозяйственные партнерства»" in result.stdout
    assert "~ okopf-12247 «Публичные акционерные общества»: Название (англ.)" in result.stdout
    assert "--apply" in result.stderr
    assert snapshot(cat) == before

    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), "--apply", "--diff")
    assert result.exit_code == 0, result.output
    after = snapshot(cat)
    assert [n for n in after if after[n] != before[n]] == ["okopf.ttl"]
    assert '+    skos:prefLabel "Публичные акционерные общества"@ru , "Public joint-stock companies (PAO)"@en ;' in result.stdout
    g = Graph().parse(cat / "okopf.ttl")
    assert (VAL["okopf-12310"], SKOS.notation, Literal("12310")) in g
    assert (VAL["okopf-12310"], SGM.hasSource, SRC["art-gk-1-50"]) in g
    # importing the same table again changes nothing more
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), "--apply")
    assert result.stdout == "Изменений нет.\n"


def test_a_removed_row_still_referred_to_is_refused(runner, exported, cat, tmp_path):
    path = edited(exported, tmp_path, lambda wb: wb["Значения"].delete_rows(row_of(wb["Значения"], "okopf-12247")))
    before = snapshot(cat)
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), "--apply")
    assert result.exit_code == 2
    assert ":Значения: ошибка: строки «okopf-12247» нет в таблице, но на этот элемент ссылаются: «okopf-oao»" in result.stderr
    assert snapshot(cat) == before


def _add_column_cell(sheet: str, ident: str, header: str, value):
    def edit(wb):
        ws = wb[sheet]
        ws.cell(row_of(ws, ident), column_of(ws, header)).value = value
    return edit


def _duplicate_row(wb):
    ws = wb["Признаки"]
    r = row_of(ws, "age")
    ws.append([c.value for c in ws[r]])


def _new_value_without_source(wb):
    ws = wb["Значения"]
    ws.append(["okopf-12310", "okopf", "значение", "12310", "Хозяйственные партнерства", "Business partnerships"])


def _drop_column(wb):
    ws = wb["Признаки"]
    ws.delete_cols(column_of(ws, "Статусы"))


BAD_TABLES = {
    "missing column": (_drop_column, ":Признаки:1: ошибка: нет столбца «Статусы»"),
    "unknown status": (_add_column_cell("Признаки", "age", "Статусы", "citizen\nпенсионер"),
                       ":Признаки:{age}: ошибка: неизвестный статус «пенсионер» в столбце «Статусы»"),
    "duplicate attribute": (_duplicate_row, ":Признаки:{last}: ошибка: идентификатор «age» уже встречается в строке {age}"),
    "value without a source": (_new_value_without_source, ":Значения:{last_value}: ошибка: у нового значения «okopf-12310» не указан источник"),
    "formula": (_add_column_cell("Признаки", "age", "Максимум", "=100+20"), ":Признаки:{age}: ошибка: в ячейке {max_cell} формула, а нужно значение"),
    "unknown attribute to derive from": (_add_column_cell("Признаки", "age", "Выводится из", "birth-date, regon-of-residence"),
                                         ":Признаки:{age}: ошибка: неизвестный идентификатор признака «regon-of-residence» в столбце «Выводится из»"),
    "unknown kind of service": (_add_column_cell("Признаки", "age", "Виды службы", "service-kind-navy"),
                                ":Признаки:{age}: ошибка: неизвестный идентификатор значения «service-kind-navy» в столбце «Виды службы»"),
    "bad boolean": (_add_column_cell("Признаки", "age", "Несколько значений", "может быть"),
                    ":Признаки:{age}: ошибка: «может быть» в столбце «Несколько значений» — не «да» и не «нет»"),
}


@pytest.mark.parametrize("case", list(BAD_TABLES))
def test_bad_spreadsheet_is_refused_with_sheet_and_row(runner, exported, cat, tmp_path, case):
    edit, expected = BAD_TABLES[case]
    wb = load_workbook(exported / "catalogue.xlsx")
    ws = wb["Признаки"]
    age = row_of(ws, "age")
    places = {"age": age, "last": ws.max_row + 1, "max_cell": f"{chr(64 + column_of(ws, 'Максимум'))}{age}",
              "last_value": wb["Значения"].max_row + 1}
    edit(wb)
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    before = snapshot(cat)
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), "--apply")
    assert result.exit_code == 2, result.output
    assert str(path) + expected.format(**places) in result.stderr
    assert snapshot(cat) == before


def test_every_problem_is_reported_not_only_the_first(runner, exported, cat, tmp_path):
    def edit(wb):
        _add_column_cell("Признаки", "age", "Статусы", "пенсионер")(wb)
        _add_column_cell("Признаки", "sex", "Источники", "no-such-source")(wb)

    result = run(runner, "catalogue", "import", str(edited(exported, tmp_path, edit)), "--catalogue", str(cat))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "неизвестный статус «пенсионер»" in lines[0] and "неизвестный идентификатор источника «no-such-source»" in lines[1]


@pytest.mark.parametrize("damage", ["truncated", "not xlsx"])
def test_truncated_or_foreign_file_is_refused(runner, exported, cat, tmp_path, damage):
    path = tmp_path / "broken.xlsx"
    data = (exported / "catalogue.xlsx").read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else "id;label\nage;возраст\n".encode())
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), "--apply")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: ошибка: файл не читается как таблица XLSX")


def test_english_messages(runner, exported, cat, tmp_path):
    path = edited(exported, tmp_path, _add_column_cell("Признаки", "age", "Статусы", "pensioner"))
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), lang="en")
    assert result.exit_code == 2
    assert "error: unknown status «pensioner» in the column «Statuses»" in result.stderr


def test_export_to_a_missing_folder_or_unwritable_place_leaves_nothing(runner, tmp_path):
    result = run(runner, "catalogue", "export", "-o", str(tmp_path / "missing" / "t.xlsx"))
    assert result.exit_code == 2
    assert "не удаётся записать файл" in result.stderr
    assert not (tmp_path / "missing").exists()
    result = run(runner, "catalogue", "export", "--format", "csv", "-o", str(tmp_path / "missing" / "csv"))
    assert result.exit_code == 2 and not (tmp_path / "missing").exists()
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            result = run(runner, "catalogue", "export", "-o", str(locked / "t.xlsx"))
            assert result.exit_code == 2
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o700)


# ---------------------------------------------------------------- curation

def test_deprecate_dry_run_prints_the_diff_and_writes_nothing(runner, cat, golden):
    before = snapshot(cat)
    result = run(runner, "catalogue", "deprecate", "okopf-12247", "--replaced-by", "okopf-12267",
                 "--act", "99-ФЗ", "--article", "ст. 3", "--catalogue", str(cat), "--dry-run")
    assert result.exit_code == 0, result.output
    golden("catalogue-deprecate-dry-run.diff", result.stdout)
    assert snapshot(cat) == before


def test_deprecate_writes_value_replacement_and_source(runner, cat):
    (cat / "okopf.ttl").chmod(0o644)
    result = run(runner, "catalogue", "deprecate", "Непубличные акционерные общества", "--attribute", "ОПФ",
                  "--replaced-by", "okopf-12247", "--source", "art-fz-99-2014-1", "--catalogue", str(cat))
    assert result.exit_code == 0, result.output
    g = Graph().parse(cat / "okopf.ttl")
    v = VAL["okopf-12267"]
    assert (v, OWL.deprecated, Literal(True)) in g and (v, DCTERMS.isReplacedBy, VAL["okopf-12247"]) in g
    assert (cat / "okopf.ttl").stat().st_mode & 0o777 == 0o644  # a rewritten file keeps its permissions


def test_add_attribute_and_value_change_only_their_files(runner, cat):
    before = snapshot(cat)
    result = run(runner, "catalogue", "add-attribute", "pension-entitlement-basis", "--label", "основание назначения страховой пенсии",
                 "--label-en", "basis of the insurance pension", "--definition", "Условие, по которому клиенту назначена страховая пенсия.",
                 "--definition-en", "The condition on which the client's insurance pension is granted.",
                 "--status", "citizen", "--act", "400-ФЗ", "--article", "ст. 8", "--catalogue", str(cat))
    assert result.exit_code == 0, result.output
    result = run(runner, "catalogue", "add-value", "основание назначения страховой пенсии", "pension-basis-old-age",
                 "--label", "достижение пенсионного возраста", "--label-en", "reaching the pension age",
                 "--act", "400-ФЗ", "--article", "ст. 8", "--catalogue", str(cat))
    assert result.exit_code == 0, result.output
    after = snapshot(cat)
    assert sorted(n for n in after if after[n] != before[n]) == ["attributes-citizen.ttl"]  # ст. 8 of 400-ФЗ is already a source
    g = Graph().parse(cat / "attributes-citizen.ttl")
    attr, value = ATTR["pension-entitlement-basis"], VAL["pension-basis-old-age"]
    assert (attr, SGM.valueScheme, VS["pension-entitlement-basis"]) in g
    assert (value, SKOS.inScheme, VS["pension-entitlement-basis"]) in g
    source = g.value(attr, SGM.hasSource)
    assert g.value(value, SGM.hasSource) == source  # the provision made by the first edit is found, not made twice
    assert Graph().parse(cat / "sources.ttl").value(source, SGM.article) == Literal("ст. 8")
    assert check_files(CatalogueFiles.read(cat), Lang.RU).conforms


@pytest.mark.parametrize("args, code, message", [
    (["add-value", "возраст", "x", "--label", "x", "--label-en", "x", "--source", "art-fz-99-2014-1"], 2, "нет шкалы значений"),
    (["deprecate", "okopf-12247", "--replaced-by", "okopf-12267"], 2, "укажите источник"),
    (["deprecate", "okopf-12247", "--replaced-by", "male", "--source", "art-fz-99-2014-1"], 2, "из другой шкалы"),
    (["add-value", "ОПФ", "okopf-x", "--label", "x", "--label-en", "x", "--form", "088/у", "--field", "п. 999"], 2, "нет поля «п. 999»"),
    (["add-attribute", "age", "--label", "x", "--label-en", "x", "--definition", "x", "--definition-en", "x",
      "--status", "citizen", "--source", "art-fz-99-2014-1"], 2, "уже есть признак «age»"),
    (["add-attribute", "age-2", "--label", "возраст", "--label-en", "age 2", "--definition", "x", "--definition-en", "x",
      "--status", "citizen", "--datatype", "integer", "--source", "art-fz-99-2014-1"], 1,
     "Название «возраст» уже есть у признака"),  # the shape findings, then «изменение отклонено»
])
def test_bad_edits_are_refused_and_write_nothing(runner, cat, args, code, message):
    before = snapshot(cat)
    result = run(runner, "catalogue", *args, "--catalogue", str(cat))
    assert result.exit_code == code, result.output
    assert message in result.stderr
    if code == 1:
        assert result.stderr.rstrip().endswith("ошибка: изменение отклонено: каталог после него не проходит проверку формами shapes/catalogue.ttl; "
                                               "файлы не изменены")
    assert snapshot(cat) == before


def test_default_catalogue_is_the_checkout_and_never_an_installed_package():
    shipped = catalogue_files()[0].parent
    # an editable install runs from the checkout; `pip install .` runs from site-packages
    assert default_catalogue_dir() == (CATALOGUE if shipped.resolve() == CATALOGUE.resolve() else None)


def test_a_status_main_attributes_list_is_rewritten_in_its_new_order(cat):
    files = CatalogueFiles.read(cat)
    table = catalogue_table(files, Lang.RU)
    column = table.headers["statuses"].index("Основные признаки")
    row = next(cells for _r, cells in table.rows["statuses"] if cells[0] == "citizen")
    row[column] = "age\nsex\nregion-of-residence"
    changes = apply_table(files, table, Lang.RU)
    assert [(c.action, str(c.iri).rsplit("/", 1)[-1], c.columns) for c in changes] == [("changed", "citizen", ["Основные признаки"])]
    diff = files.diff()
    assert [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        "-    sgm:mainAttributes ( attr:sex attr:age attr:region-of-residence ) .",
        "+    sgm:mainAttributes ( attr:age attr:sex attr:region-of-residence ) .",
    ]


def test_csv_errors_name_the_csv_file_and_line(runner, exported, cat, tmp_path):
    rows = list(csv.reader((exported / "csv" / "values.csv").open(encoding="utf-8-sig", newline="")))
    line = next(i for i, r in enumerate(rows) if r[0] == "okopf-oao")
    rows[line][rows[0].index("Устарело")] = "пожалуй"
    path = tmp_path / "values.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:{line + 1}: ошибка: «пожалуй» в столбце «Устарело» — не «да» и не «нет»")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_export_where_the_rename_is_refused_leaves_nothing(runner, tmp_path, monkeypatch):
    """As root a read-only folder does not stop writes; refusing the final rename stands for it."""
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run(runner, "catalogue", "export", "-o", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2, result.output
    assert "Permission denied" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang, message, hint", [
    ("ru", "нет файлов каталога (*.ttl)", "--catalogue DIR"),
    ("en", "no catalogue files (*.ttl)", "--catalogue DIR"),
])
def test_a_folder_without_catalogue_files_is_named_in_the_users_language(runner, tmp_path, lang, message, hint):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["--lang", lang, "catalogue", "export", "--catalogue", str(empty), "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{empty}: ") and message in result.stderr and hint in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("lang, message", [("ru", "каталог не записан"), ("en", "cannot write the catalogue")])
def test_a_catalogue_that_cannot_be_written_says_so_in_the_users_language(cat, lang, message):
    files = CatalogueFiles.read(cat, Lang(lang))
    files.graph.add((ATTR["age"], SKOS.altLabel, Literal("годы", lang="ru")))
    shutil.rmtree(cat)  # the folder is gone: no temporary file can be made in it
    with pytest.raises(BadInputError) as info:
        files.write()
    assert info.value.message.startswith(message)


def test_what_an_attribute_is_derived_from_and_its_kinds_of_service_are_columns(exported, runner, cat, tmp_path):
    """sgm:derivableFrom (several lists: one a line) and sgm:appliesToServiceKind in the attribute sheet, both ways."""
    ws = load_workbook(exported / "catalogue.xlsx")["Признаки"]
    derivable, kinds = column_of(ws, "Выводится из"), column_of(ws, "Виды службы")
    assert ws.cell(row_of(ws, "business-size"), derivable).value == "average-headcount, annual-income"
    assert ws.cell(row_of(ws, "federal-district"), derivable).value == "region-of-location\nregion-of-residence"
    assert ws.cell(row_of(ws, "age"), derivable).value is None
    assert ws.cell(row_of(ws, "class-rank"), kinds).value == "service-kind-civil"
    english = load_workbook(exported / "catalogue-en.xlsx")["Attributes"]
    assert column_of(english, "Derivable from") and column_of(english, "Kinds of service")

    def edit(wb):
        ws = wb["Признаки"]
        ws.cell(row_of(ws, "business-size"), derivable).value = "average-headcount, annual-income\nannual-income; legal-form"
        ws.cell(row_of(ws, "class-rank"), kinds).value = "service-kind-civil\nservice-kind-military"
    result = run(runner, "catalogue", "import", str(edited(exported, tmp_path, edit)), "--catalogue", str(cat), "--diff")
    assert result.exit_code == 0, result.output + result.stderr
    assert "~ business-size «размер бизнеса»: Выводится из" in result.stdout
    assert "~ class-rank" in result.stdout and ": Виды службы" in result.stdout
    changed = [line for line in result.stdout.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert "-    sgm:derivableFrom ( attr:average-headcount attr:annual-income ) ;" in changed
    added = " ".join(line[1:].strip() for line in changed if line.startswith("+"))
    assert "sgm:derivableFrom ( attr:annual-income ) , ( attr:average-headcount attr:annual-income ) , ( attr:legal-form ) ;" in added
    assert "+    sgm:appliesToServiceKind val:service-kind-civil , val:service-kind-military ;" in changed


def test_double_spaces_in_a_label_are_one_space(runner, exported, cat, tmp_path):
    path = edited(exported, tmp_path, _add_column_cell("Признаки", "age", "Название", "  возраст\t клиента "))
    result = run(runner, "catalogue", "import", str(path), "--catalogue", str(cat), "--apply")
    assert result.exit_code == 0, result.output + result.stderr
    graph = Graph().parse(cat / "attributes-core.ttl")
    assert Literal("возраст клиента", lang="ru") in set(graph.objects(ATTR["age"], SKOS.prefLabel))


def test_export_of_a_package_without_catalogue_files_is_bad_input(runner, tmp_path, monkeypatch):
    empty = tmp_path / "catalogues"
    empty.mkdir()
    monkeypatch.setattr("segmentum.resources.catalogue_dir", lambda: empty)
    out = tmp_path / "catalogue.xlsx"
    result = runner.invoke(main, ["catalogue", "export", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"{empty}: ошибка: в папке {empty} нет файлов каталога (*.ttl); укажите папку с файлами каталога: --catalogue DIR" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [empty]
    english = runner.invoke(main, ["--lang", "en", "catalogue", "export", "-o", str(out)])
    assert english.exit_code == 2 and f"no catalogue files (*.ttl) in {empty}" in english.stderr


def test_the_add_value_example_of_the_help_names_its_act(runner, tmp_path):
    folder = tmp_path / "catalogues"  # an installed package's catalogue is not edited in place: a copy, as a user would
    folder.mkdir()
    for f in catalogue_files():
        shutil.copy(f, folder / Path(f).name)
    before = {f.name: f.read_bytes() for f in folder.glob("*.ttl")}
    result = runner.invoke(main, ["catalogue", "add-value", "организационно-правовая форма", "okopf-test", "--label", "тест",
                                  "--label-en", "test", "--act", "ГК РФ (часть первая)", "--article", "ст. 123.2", "--dry-run",
                                  "--catalogue", str(folder)])
    assert result.exit_code == 0, result.output
    assert "ГК РФ (часть первая)" in result.output or "okopf-test" in result.output
    assert {f.name: f.read_bytes() for f in folder.glob("*.ttl")} == before  # a dry run writes nothing
