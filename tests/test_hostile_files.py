"""Hostile or mistaken files: a YAML bomb, a device, a huge workbook, an output that cannot be written.

Each is bad input (exit 2) with the file, the line where there is one, and what to do; none costs
more than a moment or a few megabytes. What could hang or exhaust memory if the bound were lost
runs in a child process with a time and memory limit, so a regression fails instead of stalling.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from segmentum.catalogue.table import SHEETS
from segmentum.catalogue.view import LookupFailure
from segmentum.cli.main import main
from segmentum.errors import BadInputError, ExitCode, ProfileError
from segmentum.i18n.messages import Lang
from segmentum.output import temp_file, write_atomic
from segmentum.prioritise.segments import read_segments_file
from segmentum.profiles.reader import load_profile
from segmentum.profiles.yamlfile import read_yaml

from .conftest import EXAMPLES, write

ROOT = Path(__file__).resolve().parents[1]
PROFILE = EXAMPLES / "student-neighbour-region.yaml"

#: runs in a child: calls one reader on a path, prints exit code, seconds and message as JSON
_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
from pathlib import Path
from segmentum.errors import SegmentumError
from segmentum.i18n.messages import Lang
reader, path = sys.argv[1], Path(sys.argv[2])
if reader.startswith("yaml"):
    from segmentum.profiles import yamlfile
    if reader == "yaml-pure":  # as without libyaml: PyYAML's own parser counts
        yamlfile.CParser = None
    read = yamlfile.read_yaml
else:
    from segmentum.catalogue.table_io import read_table as read
start = time.perf_counter()
try:
    read(path, Lang.EN)
    code, message = 0, ""
except SegmentumError as exc:
    code, message = int(exc.exit_code), str(exc)
print(json.dumps({"code": code, "seconds": time.perf_counter() - start, "message": message}))
"""


def read_in_child(reader: str, path: Path, env: dict | None = None) -> dict:
    """Read ``path`` with the YAML or table reader in a child limited to 1.5 GB and 20 s."""
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, reader, str(path)], capture_output=True, text=True, timeout=20,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path.name} did not end in 20 s")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def refused(result: dict, where: str, *words: str) -> None:
    assert result["code"] == ExitCode.BAD_INPUT, result
    assert result["seconds"] < 1, result
    assert result["message"].startswith(where), result["message"]
    for word in words:
        assert word in result["message"]


# ---------------------------------------------------------------- YAML: bombs, sizes, devices

LAUGHS = "".join(f"x-{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
BOMB = 'x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + LAUGHS + "id: bomb\n"


@pytest.mark.parametrize("reader", ["yaml", "yaml-pure"])
def test_a_billion_laughs_in_an_ignored_key_is_refused_at_once(tmp_path, reader):
    p = write(tmp_path, BOMB)
    assert len(BOMB.encode()) < 500
    refused(read_in_child(reader, p), f"{p}:5:", "10000", "SEGMENTUM_MAX_YAML_SIZE")


def test_a_five_megabyte_list_is_refused_by_its_size(tmp_path):
    p = write(tmp_path, "id: x\nx-list:\n" + "- a\n" * 1_300_000)
    refused(read_in_child("yaml", p), f"{p}: error:", "1000000", "SEGMENTUM_MAX_YAML_SIZE")


def test_many_nodes_under_the_size_limit_stop_at_the_node_limit(tmp_path):
    p = write(tmp_path, "id: x\nx-list: [" + "a," * 200_000 + "a]\n")
    refused(read_in_child("yaml", p), f"{p}:2:", "10000")


def test_the_size_limit_is_raised_by_the_environment(tmp_path, monkeypatch):
    p = write(tmp_path, "id: x\nnotes: " + "a" * 1_200_000 + "\n")
    with pytest.raises(ProfileError, match="1000000"):
        read_yaml(p, Lang.EN)
    monkeypatch.setenv("SEGMENTUM_MAX_YAML_SIZE", "2MB")
    doc = {str(k): v for k, v in read_yaml(p, Lang.EN).items()}
    assert len(doc["notes"].value) == 1_200_000


def test_a_wrong_size_in_the_environment_is_bad_input(tmp_path, monkeypatch):
    monkeypatch.setenv("SEGMENTUM_MAX_YAML_SIZE", "much")
    with pytest.raises(BadInputError, match="SEGMENTUM_MAX_YAML_SIZE=much is not a size"):
        read_yaml(write(tmp_path, "id: x\n"), Lang.EN)


def test_a_link_to_dev_zero_is_refused_at_once(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    refused(read_in_child("yaml", link), f"{link}: error:", "device")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    refused(read_in_child("yaml", fifo), f"{fifo}: error:", "pipe")


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(ProfileError, match="socket"):
            read_yaml(path, Lang.EN)


@pytest.mark.parametrize("body, line", [
    ("id: x\nx-deep: " + "[" * 2000 + "]" * 2000 + "\n", 2),
    ("id: x\nx-deep:\n" + "".join(" " * i + "-\n" for i in range(1, 400)), 52),
    # nesting made by aliases: ten levels, used in each other six times
    ("x-a: &a [[[[[[[[[[1]]]]]]]]]]\n" + "".join(f"x-{n}: &{n} [[[[[[[[[*{p}]]]]]]]]]\n" for p, n in zip("abcde", "bcdef")), 6),
])
def test_deep_nesting_is_bad_input(tmp_path, body, line):
    p = write(tmp_path, body)
    refused(read_in_child("yaml", p), f"{p}:{line}:", "50")


@pytest.mark.parametrize("reader", ["yaml", "yaml-pure"])
def test_an_alias_inside_its_own_anchor_is_bad_input(tmp_path, reader):
    p = write(tmp_path, "id: x\nx-loop: &loop [1, *loop]\n")
    refused(read_in_child(reader, p), f"{p}:2:", "«*loop»")


def test_a_merge_of_a_merge_of_a_merge_stops_at_the_depth_limit(tmp_path):
    body = "x-m0: &m0 {a: 1}\n" + "".join(f"x-m{n}: &m{n} {{<<: *m{n - 1}, k{n}: 1}}\n" for n in range(1, 200))
    p = write(tmp_path, body)
    refused(read_in_child("yaml", p), f"{p}:", "50")


# ---------------------------------------------------------------- YAML: what crashed the reader

@pytest.mark.parametrize("body, line, column, words", [
    ("id: x\nnotes: 2024-13-45\n", 2, 8, ["«2024-13-45»", "YYYY-MM-DD"]),
    ("id: x\nnotes: 2024-01-01 10:00:00+30:00\n", 2, 8, ["date"]),
    ("id: x\nnotes: " + "9" * 5000 + "\n", 2, 8, ["5000 digits", "quotes"]),
    ("id: x\n? [a, b]\n: c\n", 2, 3, ["key must be a word"]),
    ("id: x\n{a: b}: c\n", 2, 1, ["key must be a word"]),
    ("id: x\ntitle: !!binary aGVsbG8=\n", 2, 8, ["«!!binary»"]),
    ("id: x\nnotes: a\x01b\n", 2, 9, ["U+0001"]),
])
def test_values_the_yaml_types_cannot_hold_are_bad_input(shared, tmp_path, body, line, column, words):
    p = write(tmp_path, body)
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue, lang=Lang.EN)
    assert str(info.value).startswith(f"{p}:{line}:{column}: error: ")
    for word in words:
        assert word in str(info.value)


def test_deep_nesting_through_the_cli_is_exit_2_not_an_internal_error(runner, tmp_path):
    p = write(tmp_path, "id: x\nx-deep: " + "[" * 1500 + "]" * 1500 + "\n")
    result = runner.invoke(main, ["--lang", "en", "profile", "show", str(p)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{p}:2:") and "internal error" not in result.stderr


def test_a_criterion_given_twice_under_priority_is_an_error(shared, tmp_path):
    p = write(tmp_path, "id: x\nstatus: гражданин\npriority:\n  ёмкость: 100\n  capacity: 200\n")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue, lang=Lang.EN)
    assert str(info.value).startswith(f"{p}:5:3: error: «capacity» is given twice (first on line 4)")


def test_a_criterion_given_twice_in_a_segments_file_is_an_error(shared, tmp_path):
    p = write(tmp_path, "segments:\n  - profile: a.yaml\n    priority:\n      ёмкость: 1\n      ёмкость: 2\n", "segments.yaml")
    write(tmp_path, PROFILE.read_text(encoding="utf-8"), "a.yaml")
    with pytest.raises(ProfileError) as info:
        read_segments_file(p, shared.catalogue, Lang.EN)
    assert str(info.value).startswith(f"{p}:5:7: error: «ёмкость» is given twice")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_as_utf16(shared, tmp_path, encoding):
    p = tmp_path / "p.yaml"
    p.write_bytes("id: x\ntitle: Студент\n".encode(encoding))
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue, lang=Lang.EN)
    assert str(info.value).startswith(f"{p}:1:1: error: the file is in UTF-16")


def test_a_binary_file_is_not_text_and_is_not_quoted(shared, tmp_path):
    p = tmp_path / "p.yaml"
    p.write_bytes(b"id: secret-value\n\x00\x01\x02\x03binary")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue, lang=Lang.EN)
    assert str(info.value).startswith(f"{p}:2:1: error: the file holds zero bytes")
    assert "secret" not in str(info.value)


SHADOW = "root:$6$SeCrEtHaSh$abcdef:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def test_a_file_that_is_not_a_profile_is_not_quoted(shared, tmp_path):
    p = write(tmp_path, SHADOW, "shadow")
    with pytest.raises(ProfileError) as info:
        load_profile(p, shared.catalogue, lang=Lang.EN)
    assert str(info.value).startswith(f"{p}:1:1: error: this is not a profile")
    said = str(info.value).split(": error: ", 1)[1]
    assert "SeCrEt" not in said and "root" not in said
    # a profile with a misspelt key is still told which key it meant
    with pytest.raises(ProfileError, match="«statsu».*«status»"):
        load_profile(write(tmp_path, "statsu: citizen\n"), shared.catalogue, lang=Lang.EN)


def test_a_file_that_is_not_a_segments_file_is_not_quoted(shared, tmp_path):
    p = write(tmp_path, SHADOW, "shadow")
    with pytest.raises(ProfileError) as info:
        read_segments_file(p, shared.catalogue, Lang.EN)
    assert str(info.value).startswith(f"{p}:1:1: error: this is not a segments file")
    said = str(info.value).split(": error: ", 1)[1]
    assert "SeCrEt" not in said and "root" not in said




def test_a_name_too_long_for_the_catalogue_is_not_looked_up(shared):
    written = "гражданин " * 30_000
    start = time.perf_counter()
    with pytest.raises(LookupFailure) as info:
        shared.catalogue.resolve("status", written)
    assert time.perf_counter() - start < 0.5
    assert len(info.value.text) < 100  # quoted shortened in the message


# ---------------------------------------------------------------- tables

def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(tmp_path):
    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c><is><t>" + b"a" * 30_000_000 + b"</t></is></c></row></sheetData></worksheet>")
    assert book.stat().st_size < 100_000
    refused(read_in_child("table", book), f"{book}: error:", "unpacks to")


def _workbook(path: Path, cell: str, value: str) -> Path:
    """A workbook with the sheets of the table and ``value`` in ``cell`` of the first (written into its XML,
    as openpyxl itself cuts a text to what a cell holds)."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        wb.create_sheet(sheet.en).append(["id"])
    wb[SHEETS[0].en][cell] = "PLACE"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b"PLACE", value.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused(tmp_path):
    book = _workbook(tmp_path / "long.xlsx", "B3", "a" * 40_000)
    refused(read_in_child("table", book), f"{book}:{SHEETS[0].en}:3: error:", "32767", "B3")


def test_a_cell_far_away_does_not_make_a_grid_of_billions(tmp_path):
    book = _workbook(tmp_path / "far.xlsx", "XFD1048576", "x")
    result = read_in_child("table", book)
    refused(result, f"{book}:{SHEETS[0].en}: error:", "XFD1048576")


@pytest.mark.parametrize("make", ["fifo", "zero"])
def test_a_csv_sheet_that_is_a_fifo_or_a_device_is_refused(tmp_path, make):
    path = tmp_path / "attributes.csv"
    os.mkfifo(path) if make == "fifo" else path.symlink_to("/dev/zero")
    refused(read_in_child("table", path), f"{path}: error:", "not a file")


# ---------------------------------------------------------------- outputs

#: every command with -o; those that load profiles take seconds, and go through the same code as «export»
OUTPUT_COMMANDS = [
    ["catalogue", "list"],
    ["catalogue", "terms", "statuses"],
    ["profile", "new", "--status", "гражданин"],
    ["query", "--list"],
    ["export", str(PROFILE)],
    *(pytest.param(args, marks=pytest.mark.slow) for args in (
        ["query", "profiles-by-stage", str(PROFILE)],
        ["validate", str(PROFILE)],
        ["prioritise", str(EXAMPLES.parent / "segments.yaml")],
        ["suggest", str(PROFILE)],
        ["profile", "complete", str(PROFILE), "--accept", "all"],
    )),
]


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_output_in_a_missing_folder_is_bad_input_in_every_command(runner, tmp_path, args):
    out = tmp_path / "missing" / "out.txt"
    result = runner.invoke(main, ["--lang", "en", *args, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{out}: error: cannot write the file: No such file or directory; check that the folder exists")


def test_an_output_under_a_file_is_bad_input(runner, tmp_path):
    (tmp_path / "file").write_text("x")
    result = runner.invoke(main, ["--lang", "en", "query", "--list", "-o", str(tmp_path / "file" / "out.txt")])
    assert result.exit_code == 2 and "cannot write the file: Not a directory" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into a read-only folder")
def test_an_output_in_a_read_only_folder_is_bad_input(runner, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = runner.invoke(main, ["--lang", "en", "query", "--list", "-o", str(folder / "out.txt")])
    folder.chmod(0o755)
    assert result.exit_code == 2 and "Permission denied" in result.stderr


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A device node of our own (as root: /dev itself must never be at stake in a test), else the system's."""
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = tmp_path / name
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return node


def test_a_full_disk_is_bad_input(runner, tmp_path):
    full = _device(tmp_path, "full", 7)
    result = runner.invoke(main, ["--lang", "en", "query", "--list", "-o", str(full)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{full}: error: cannot write the file: No space left on device")
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_stdout_to_a_full_disk_is_bad_input():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", "from segmentum.cli.main import main; main()", "--lang", "en", "query", "--list"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ("error: cannot write the result to the standard output: No space left on device; "
                           "check where the output goes (free disk space), or write the result to a file: -o FILE\n")


def test_an_output_that_is_a_device_is_written_into_not_replaced(runner, tmp_path):
    null = _device(tmp_path, "null", 3)
    result = runner.invoke(main, ["query", "--list", "-o", str(null)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert [p.name for p in null.parent.iterdir() if p.name.startswith(".null.")] == []


def test_an_output_that_is_a_fifo_is_written_into_not_replaced(runner, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = runner.invoke(main, ["query", "--list", "-o", str(fifo)])
        assert result.exit_code == 0, result.output
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert b"profiles-by-stage" in reader.communicate(timeout=10)[0]
    finally:
        reader.kill()
        reader.wait()


def test_an_output_that_is_a_link_stays_a_link(runner, tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = runner.invoke(main, ["query", "--list", "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "profiles-by-stage" in target.read_text(encoding="utf-8")


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(tmp_path):
    target = tmp_path / "out.txt"
    child = subprocess.Popen([sys.executable, "-c", "import os, sys, time; from segmentum.output import temp_file; "
                              "print(temp_file(sys.argv[1])[1], flush=True); time.sleep(60)", str(target)],
                             stdout=subprocess.PIPE, text=True)
    left = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert left.exists() and left.parent == tmp_path
    alive, alive_path = temp_file(target)  # this process's own, still being written
    os.close(alive)
    other = tmp_path / ".out.txt.tmp"  # not named by segmentum: not ours to remove
    other.write_text("x")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".out.txt.tmp", "out.txt", Path(alive_path).name])

