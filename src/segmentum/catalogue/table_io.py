"""Read and write the expert attribute table as an XLSX workbook (openpyxl) or as CSV files.

XLSX: one worksheet per sheet of ``catalogue_table.SHEETS``, a bold frozen header row, filters,
column widths that fit the text, long cells wrapped, deprecated values greyed out.
CSV: a folder with one file per sheet (``attributes.csv`` …), UTF-8 with a byte order mark so
spreadsheet programs read Cyrillic correctly, RFC 4180 quoting (the ``csv`` module); a single CSV
file may be imported on its own and replaces that sheet only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import zipfile
from pathlib import Path
from xml.parsers import expat

from segmentum.catalogue.table import SHEET_BY_KEY, SHEETS, Cell, Table, is_deprecated_row
from segmentum.catalogue.table_import import TableError, TableErrors
from segmentum.errors import BadInputError, Location
from segmentum.i18n.messages import Lang, quoted_list, text
from segmentum.output import InputRefused, read_bounded, write_atomic

_MAX_WIDTH = 60
_CSV_ENCODING = "utf-8-sig"
#: the most a workbook may hold unpacked (its members together), and a CSV file, in bytes; the whole
#: shipped catalogue is about 1.5 MB (docs/catalogue-table.md, «Пределы»)
MAX_UNPACKED = 25_000_000
#: the longest text of a cell, in characters: a spreadsheet's own limit
MAX_CELL = 32_767
#: rows × columns a sheet may span (a single cell at XFD1048576 would make a grid of 17 billion)
MAX_GRID = 500_000


# ---------------------------------------------------------------- writing

def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_bytes(table: Table, lang: Lang) -> bytes:
    """The table as an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE5F0")
    old_font = Font(color="808080", italic=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    yes_no = [text("yes", lang), text("no", lang)]
    for sheet in SHEETS:
        ws = wb.create_sheet(table.titles[sheet.key])
        ws.append(table.headers[sheet.key])
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
        widths = [len(h) + 2 for h in table.headers[sheet.key]]
        rows = table.rows[sheet.key]
        for r, (_row, cells) in enumerate(rows, start=2):
            old = is_deprecated_row(sheet, cells)
            for c, value in enumerate(cells, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
                if isinstance(value, dt.date):
                    cell.number_format = "YYYY-MM-DD"
                lines = _cell_text(value).split("\n")
                longest = max(len(line) for line in lines)
                widths[c - 1] = max(widths[c - 1], min(longest + 2, _MAX_WIDTH))
                cell.alignment = wrap if len(lines) > 1 or longest > _MAX_WIDTH else top
                if old:
                    cell.font = old_font
        for c, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = widths[c - 1]
            choices = {
                "bool": yes_no,
                "type": [en if lang is Lang.EN else ru for _cls, ru, en in sheet.type_names],
                "file": table.file_choices.get(sheet.key),
            }.get(column.kind)
            if choices:  # a drop-down list of the allowed words; typing another word is refused by the spreadsheet
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
                dv.add(f"{letter}2:{letter}{len(rows) + 1000}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(len(rows) + 1, 2)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_text(table: Table, key: str) -> str:
    """One sheet as CSV text (RFC 4180: CRLF line ends, quoted fields where needed)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(table.headers[key])
    for _row, cells in table.rows[key]:
        writer.writerow([_cell_text(v) for v in cells])
    return buf.getvalue()


def save_table(table: Table, fmt: str, output: Path, lang: Lang) -> list[Path]:
    """Write the table: ``xlsx`` to the file ``output``; ``csv`` to the folder ``output``, one file a sheet."""
    output = Path(output)
    try:
        if fmt == "xlsx":
            write_atomic(output, xlsx_bytes(table, lang))
            return [output]
        if output.exists() and not output.is_dir():
            raise BadInputError(text("table.csv_needs_dir", lang), location=Location(str(output)))
        if not output.parent.is_dir():
            raise FileNotFoundError(2, "No such file or directory", str(output.parent))
        output.mkdir(exist_ok=True)
        paths = []
        for sheet in SHEETS:
            path = output / f"{sheet.key}.csv"
            write_atomic(path, csv_text(table, sheet.key).encode(_CSV_ENCODING))
            paths.append(path)
        return paths
    except OSError as exc:
        raise BadInputError(text("out.cannot_write", lang, problem=exc.strerror or str(exc)), location=Location(str(output)),
                            hint=text("out.hint", lang)) from exc


# ---------------------------------------------------------------- reading

def read_table(path: Path, lang: Lang) -> Table:
    """Read a workbook, a folder of CSV files or one CSV file into a ``Table``."""
    path = Path(path)
    if not path.exists():
        raise BadInputError(text("not_found", lang, path=path), location=Location(str(path)))
    if path.is_dir():
        return _read_csv_folder(path, lang)
    if path.suffix.casefold() == ".csv":
        key = _csv_sheet_key(path, lang)
        table = Table(origin=str(path))
        _read_csv_file(path, key, table, lang)
        return table
    return _read_xlsx(path, lang)


class _CellTooLong(Exception):
    pass


def _scan_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read an XML member of a workbook as a stream and raise ``_CellTooLong`` (with the cell, if known) at a
    text longer than ``MAX_CELL``, ``ValueError`` at a document type declaration (entities) or broken XML."""
    parser = expat.ParserCreate()
    state = {"cell": None, "length": 0}

    def start(name: str, attrs: dict) -> None:
        if name.rsplit(":", 1)[-1] == "c":
            state["cell"] = attrs.get("r")
        state["length"] = 0

    def end(name: str) -> None:
        state["length"] = 0

    def chars(data: str) -> None:
        state["length"] += len(data)
        if state["length"] > MAX_CELL:
            raise _CellTooLong(state["cell"])

    def doctype(*_args) -> None:  # a workbook has none; one may declare entities that expand without end
        raise ValueError("DOCTYPE")

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 16):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _sheet_titles(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member → the sheet's title, as the workbook names them (empty if it cannot tell)."""
    import xml.etree.ElementTree as ET

    try:
        rels = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels")).iter() if r.get("Id")}
        book = ET.fromstring(zf.read("xl/workbook.xml"))
    except (KeyError, ET.ParseError, zipfile.BadZipFile):
        return {}
    out = {}
    for sheet in book.iter():
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        if sheet.tag.endswith("}sheet") and rid in rels:
            target = rels[rid].lstrip("/")
            out[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name", "")
    return out


def _row(cell: str) -> int | None:
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ$").replace("$", "")
    return int(digits) if digits.isdigit() else None


def _check_xlsx(path: Path, lang: Lang) -> None:
    """Refuse, before openpyxl reads it, a workbook that is not an ordinary file, unpacks to more than
    ``MAX_UNPACKED`` bytes (a «zip bomb») or has a cell longer than ``MAX_CELL`` characters."""
    where = Location(str(path))
    not_xlsx = BadInputError(text("table.not_xlsx", lang), location=where, hint=text("table.not_xlsx_hint", lang))
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        kind = "pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
        raise BadInputError(text(f"input.not_file.{kind}", lang), location=where, hint=text("input.not_file_hint", lang))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED:
                raise BadInputError(text("table.too_large", lang, size=unpacked, limit=MAX_UNPACKED), location=where,
                                    hint=text("table.too_large_hint", lang))
            first = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")  # the sheets' titles, for a message
            for info in sorted(infos, key=lambda i: (i.filename not in first, i.filename)):
                if info.filename.startswith("xl/") and info.filename.endswith((".xml", ".rels")):
                    try:
                        _scan_cells(zf, info)
                    except _CellTooLong as exc:
                        title = _sheet_titles(zf).get(info.filename)
                        raise BadInputError(text("table.cell_too_long", lang, limit=MAX_CELL),
                                            location=Location(f"{path}:{title}" if title else str(path), exc.args[0] and _row(exc.args[0])),
                                            hint=text("table.cell_too_long_hint", lang, cell=exc.args[0], limit=MAX_CELL) if exc.args[0]
                                            else text("table.text_too_long_hint", lang, limit=MAX_CELL)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, expat.ExpatError) as exc:
        raise not_xlsx from exc


def _read_xlsx(path: Path, lang: Lang) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        _check_xlsx(path, lang)
        wb = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, EOFError) as exc:
        raise BadInputError(text("table.not_xlsx", lang), location=Location(str(path)), hint=text("table.not_xlsx_hint", lang)) from exc
    except OSError as exc:
        raise BadInputError(text("table.cannot_read", lang, problem=exc.strerror or str(exc)), location=Location(str(path))) from exc
    table = Table(origin=str(path))
    errors: list[TableError] = []
    by_title = {ws.title.strip().casefold(): ws for ws in wb.worksheets}
    for sheet in SHEETS:
        ws = by_title.get(sheet.ru.casefold()) or by_title.get(sheet.en.casefold())
        if ws is None:
            errors.append(TableError(Location(str(path)), text("table.missing_sheet", lang, sheet=sheet.title(lang)),
                                     text("table.sheets_hint", lang, sheets=quoted_list([s.title(lang) for s in SHEETS], lang))))
            continue
        table.titles[sheet.key] = ws.title
        if ws.max_row * ws.max_column > MAX_GRID:
            last = f"{get_column_letter(ws.max_column)}{ws.max_row}"
            errors.append(TableError(Location(f"{path}:{ws.title}"), text("table.too_wide", lang, cell=last, limit=MAX_GRID),
                                     text("table.too_wide_hint", lang, cell=last)))
            continue
        rows = list(ws.iter_rows())
        table.headers[sheet.key] = [c.value for c in rows[0]] if rows else []
        data = []
        for r, row in enumerate(rows[1:], start=2):
            cells = []
            for c, cell in enumerate(row, start=1):
                if cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula"):
                    errors.append(TableError(Location(f"{path}:{ws.title}", r), text("table.formula", lang, cell=f"{get_column_letter(c)}{r}"),
                                             text("table.formula_hint", lang)))
                    cells.append(None)
                elif cell.data_type == "e":
                    message = text("table.cell_error", lang, cell=f"{get_column_letter(c)}{r}", value=cell.value)
                    errors.append(TableError(Location(f"{path}:{ws.title}", r), message))
                    cells.append(None)
                else:
                    cells.append(cell.value)
            data.append((r, cells))
        table.rows[sheet.key] = data
    if errors:
        raise TableErrors(errors)
    return table


def _csv_sheet_key(path: Path, lang: Lang) -> str:
    stem = path.stem.strip().casefold()
    for sheet in SHEETS:
        if stem in (sheet.key, sheet.ru.casefold(), sheet.en.casefold()):
            return sheet.key
    names = quoted_list([f"{s.key}.csv" for s in SHEETS], lang)
    raise BadInputError(text("table.csv_name", lang, name=path.name), location=Location(str(path)), hint=text("table.one_of", lang, options=names))


def _read_csv_folder(folder: Path, lang: Lang) -> Table:
    table = Table(origin=str(folder))
    found = {}
    for f in sorted(folder.glob("*.csv")):
        try:
            found.setdefault(_csv_sheet_key(f, lang), f)
        except BadInputError:
            continue
    missing = [s for s in SHEETS if s.key not in found]
    if missing:
        raise TableErrors([TableError(Location(str(folder)), text("table.missing_sheet", lang, sheet=f"{s.key}.csv"),
                                      text("table.sheets_hint", lang, sheets=quoted_list([f"{x.key}.csv" for x in SHEETS], lang)))
                           for s in missing])
    for key, f in found.items():
        sub = Table(origin=str(f))
        _read_csv_file(f, key, sub, lang)
        table.headers[key], table.rows[key], table.titles[key] = sub.headers[key], sub.rows[key], sub.titles[key]
        table.paths[key] = str(f)
    return table


def _read_csv_file(path: Path, key: str, table: Table, lang: Lang) -> None:
    try:
        data = read_bounded(path, MAX_UNPACKED).decode(_CSV_ENCODING)
    except UnicodeDecodeError as exc:
        raise BadInputError(text("not_utf8", lang), location=Location(str(path)), hint=text("utf8_hint", lang)) from exc
    except InputRefused as exc:
        if exc.kind == "too_large":
            raise BadInputError(text("input.too_large", lang, size=exc.size, limit=exc.limit), location=Location(str(path)),
                                hint=text("table.too_large_hint", lang)) from None
        raise BadInputError(text(f"input.not_file.{exc.kind}", lang), location=Location(str(path)), hint=text("input.not_file_hint", lang)) from None
    except OSError as exc:
        raise BadInputError(text("table.cannot_read", lang, problem=exc.strerror or str(exc)), location=Location(str(path))) from exc
    try:
        rows = list(csv.reader(io.StringIO(data, newline=""), strict=True))
    except csv.Error as exc:
        raise BadInputError(text("table.csv_syntax", lang, problem=str(exc)), location=Location(str(path))) from exc
    table.titles[key] = SHEET_BY_KEY[key].title(lang)
    table.headers[key] = rows[0] if rows else []
    table.rows[key] = [(r, [v if v != "" else None for v in row]) for r, row in enumerate(rows[1:], start=2)]
    table.paths[key] = str(path)
