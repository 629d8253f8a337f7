"""Nothing a crash (kill -9 at any moment), a full disk or a second writer can lose: the store and the catalogue folder.

The processes here are real and are really killed with SIGKILL; the disk is really full (a small
tmpfs in a user and mount namespace of its own, where the system allows one).
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from segmentum.catalogue.curation import check_files
from segmentum.catalogue.files import CatalogueFiles
from segmentum.catalogue.folder import JOURNAL, LOCK, WAIT_ENV, locked
from segmentum.cli.main import main
from segmentum.errors import StoreError
from segmentum.i18n.messages import Lang, text
from segmentum.namespaces import profile_graph, provenance_graph
from segmentum.profiles.reader import load_profiles
from segmentum.session import Session
from segmentum.store.embedded import OxigraphStore

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "src" / "segmentum" / "catalogues"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, hidden ones (lock, journal, temporary files) included."""
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir()) if f.is_file()}


def turtle(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items() if name.endswith(".ttl") and not name.startswith(".")}


def copy_catalogue(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for f in CATALOGUE.glob("*.ttl"):
        shutil.copy(f, folder / f.name)
    return folder


# ---------------------------------------------------------------- the store: a killed reload

#: a process that imports once, then for each line on stdin forks a child that reloads the two
#: versions of the profiles into the disk store, in turn, until the test kills it
RELOADER = textwrap.dedent("""
    import os, pickle, sys
    from pathlib import Path
    from segmentum.session import Session
    from segmentum.store.embedded import OxigraphStore

    store_dir, versions = Path(sys.argv[1]), pickle.loads(Path(sys.argv[2]).read_bytes())
    for _ in sys.stdin:
        pid = os.fork()
        if pid == 0:
            session = Session(OxigraphStore(store_dir))
            print(f"ready {os.getpid()}", flush=True)
            n = 0
            while True:
                session.write_profiles(versions[n % 2])
                n += 1
        _, status = os.waitpid(pid, 0)
        print(f"ended {os.waitstatus_to_exitcode(status)}", flush=True)
""")


def graph_lines(store, graph) -> frozenset[bytes]:
    return frozenset(store.dump(graphs=[graph], fmt="nt").splitlines())


def versions_of(loaded: list) -> dict[str, tuple[frozenset, frozenset]]:
    """Each profile's graph and provenance graph as written by ``Session.write_profiles``."""
    store = OxigraphStore()
    Session(store).write_profiles(loaded)
    return {p.id: (graph_lines(store, p.graph), graph_lines(store, provenance_graph(p.id))) for p in loaded}


def second_version(tmp_path: Path) -> Path:
    """The example profiles changed: a comment line first (every provenance line moves) and a new title."""
    folder = tmp_path / "v2"
    folder.mkdir()
    for f in sorted(EXAMPLES.glob("*.yaml")):
        body = f.read_text(encoding="utf-8")
        lines = [line + " (v2)" if line.startswith("title:") else line for line in body.split("\n")]
        (folder / f.name).write_text("# v2\n" + "\n".join(lines), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_a_reload_killed_at_any_moment_leaves_every_profile_wholly_old_or_wholly_new(shared, tmp_path):
    """20 reloads into a disk store killed with SIGKILL after random delays: every profile has its graph
    and its provenance graph, both of one version (before: 15 of 20 killed reloads, 32 of 50 in a
    longer run, left a profile without its graph or with the other version's provenance)."""
    old = load_profiles([EXAMPLES], shared.catalogue)
    new = load_profiles([second_version(tmp_path)], shared.catalogue)
    expected = [versions_of(old), versions_of(new)]
    assert all(expected[0][pid] != expected[1][pid] for pid in expected[0])
    store_dir, data = tmp_path / "store", tmp_path / "versions.pickle"
    data.write_bytes(pickle.dumps([old, new]))
    first = OxigraphStore(store_dir)
    Session(first).write_profiles(old)
    first.close()

    helper = subprocess.Popen([sys.executable, "-c", RELOADER, str(store_dir), str(data)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    rng = random.Random(20)
    broken, seen = [], set()
    try:
        for trial in range(20):
            helper.stdin.write("go\n")
            helper.stdin.flush()
            line = helper.stdout.readline()
            assert line.startswith("ready"), line
            time.sleep(rng.uniform(0.0, 0.25))
            os.kill(int(line.split()[1]), signal.SIGKILL)
            assert helper.stdout.readline().strip() == f"ended {-signal.SIGKILL}"
            store = OxigraphStore(store_dir)
            try:
                for pid in expected[0]:
                    found = (graph_lines(store, profile_graph(pid)), graph_lines(store, provenance_graph(pid)))
                    version = next((v for v in (0, 1) if found == expected[v][pid]), None)
                    if version is None:
                        broken.append((trial, pid, len(found[0]), len(found[1])))
                    seen.add(version)
            finally:
                store.close()
    finally:
        helper.stdin.close()
        helper.wait(30)
    assert broken == []
    assert seen == {0, 1}  # the kills did fall in the middle of reloads


# ---------------------------------------------------------------- the store: a full disk

def namespace_tmpfs() -> list[str]:
    """A command prefix giving the rest of the command a tmpfs of its own (``$0`` is its folder), or skip."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--user", "--map-root-user", "--mount", "true"], capture_output=True).returncode:
        pytest.skip("no user and mount namespaces here: the full disk cannot be made")
    return [unshare, "--user", "--map-root-user", "--mount", "sh", "-c"]


@pytest.mark.parametrize("size", ["2m", "5m"])
def test_a_full_disk_during_load_is_one_store_error_with_exit_3(tmp_path, size):
    """``--store DIR load`` on a disk that fills up while the catalogue (2 MB) or the profiles (5 MB) are
    written: one line naming the store and the full disk, exit 3 (before: an internal error, then two
    tracebacks from closing the store, exit 1)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    script = f'mount -t tmpfs -o size={size} tmpfs "$0" && exec "$@"'
    done = subprocess.run([*namespace_tmpfs(), script, str(mount), sys.executable, "-m", "segmentum.cli.main",
                           "--store", str(mount / "store"), "load", str(EXAMPLES)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{mount / 'store'}: ошибка: ")
    assert "No space left on device" in lines[0] and text("store.disk_full", Lang.RU) in lines[0]


# ---------------------------------------------------------------- the catalogue folder: one writer at a time

SMALL = ("statuses.ttl", "authorities.ttl")  # two small catalogue files: a folder that is quick to read and write


def small_catalogue(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in SMALL:
        shutil.copy(CATALOGUE / name, folder / name)
    return folder


def add_note(files: CatalogueFiles, name: str, note: str) -> None:
    """A note on the first subject written in the file ``name``: an edit that changes that file only."""
    from rdflib import Literal
    from rdflib.namespace import SKOS

    subject = min((s for s, home in files.home.items() if home == name), key=str)
    files.graph.add((subject, SKOS.note, Literal(note, lang="ru")))


#: a process that holds the writer lock of a folder until its stdin closes
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from segmentum.catalogue.folder import locked

    with locked(Path(sys.argv[1])):
        print("held", flush=True)
        sys.stdin.read()
""")


def test_a_second_writer_waits_then_gives_up_naming_the_process_that_holds_the_folder(runner, tmp_path):
    """``catalogue add-value`` while another process holds the folder: it waits, then exit 3 with the
    holder's process, and nothing changes (before: it wrote at once, whatever the other was doing)."""
    cat = copy_catalogue(tmp_path / "catalogues")
    before = turtle(cat)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(cat)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        result = runner.invoke(main, ["--lang", "en", "catalogue", "add-value", "oms-policy-kind", "oms-test-a", "--label", "тест",
                                      "--label-en", "test", "--source", "art-fz-326-oms-16", "--catalogue", str(cat)],
                               env={WAIT_ENV: "0.5"})
        waited = time.monotonic() - start
    finally:
        holder.stdin.close()
        holder.wait(30)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"{cat}: error: another process is changing the catalogue folder: process {holder.pid} (user ")
    assert "nothing was changed; run the command again when it has finished (waited 0.5 s" in result.stderr
    assert waited >= 0.5
    assert turtle(cat) == before


def test_a_write_over_files_another_writer_changed_meanwhile_is_refused(tmp_path):
    """Two writers read the same files; the second to write is refused (exit 3) and the first one's
    change stays (before: the second silently wrote over it)."""
    folder = small_catalogue(tmp_path / "catalogues")
    first, second = CatalogueFiles.read(folder), CatalogueFiles.read(folder)
    add_note(first, SMALL[0], "первая правка")
    add_note(second, SMALL[1], "вторая правка")
    assert first.write() == [folder / SMALL[0]]
    with pytest.raises(StoreError) as info:
        second.write()
    assert info.value.message == text("cat.changed_meanwhile", Lang.RU, files=SMALL[0])
    assert "первая правка" in (folder / SMALL[0]).read_text(encoding="utf-8")
    assert "вторая правка" not in (folder / SMALL[1]).read_text(encoding="utf-8")


@pytest.mark.slow
def test_two_writers_at_once_both_succeed_and_both_changes_are_kept(tmp_path):
    """Two ``catalogue add-value`` processes on one folder at once: the second waits for the first, and
    both values are in the folder (before: both said they wrote, and one value was lost in 4 of 4 runs)."""
    cat = copy_catalogue(tmp_path / "catalogues")
    commands = [[sys.executable, "-m", "segmentum.cli.main", "catalogue", "add-value", "oms-policy-kind", ident, "--label", label,
                 "--label-en", ident, "--source", "art-fz-326-oms-16", "--catalogue", str(cat)]
                for ident, label in (("oms-test-a", "тестовый полис А"), ("oms-test-b", "тестовый полис Б"))]
    writers = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    results = [(w.wait(120), w.stderr.read()) for w in writers]
    assert [code for code, _ in results] == [0, 0], results
    citizen = (cat / "attributes-citizen.ttl").read_text(encoding="utf-8")
    assert "val:oms-test-a" in citizen and "val:oms-test-b" in citizen
    assert check_files(CatalogueFiles.read(cat), Lang.RU).conforms


def test_a_thread_waits_for_the_lock_another_thread_holds(tmp_path):
    """The lock is the operating system's, per open file: a second writer in the same process waits too."""
    folder = small_catalogue(tmp_path / "catalogues")
    order = []

    def writer():
        with locked(folder):
            order.append("second")

    with locked(folder):
        other = threading.Thread(target=writer)
        other.start()
        time.sleep(0.3)
        order.append("first")
    other.join(10)
    assert order == ["first", "second"]


# ---------------------------------------------------------------- the catalogue folder: a killed write

#: installs an audit hook that kills this process with SIGKILL at the N-th rename or removal of a
#: file in FOLDER (0: never), then runs PROGRAM (Python source) with the remaining arguments as sys.argv[1:]
KILLER = textwrap.dedent("""
    import os, signal, sys
    target, folder, program = int(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
    seen = 0

    def hook(event, args):
        global seen
        if event in ("os.rename", "os.remove") and os.path.realpath(os.fsdecode(args[0])).startswith(folder + os.sep):
            seen += 1
            if seen == target:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)
    sys.argv = ["segmentum", *sys.argv[4:]]
    exec(compile(program, "<program>", "exec"))
""")
#: a note added to the first subject of each of the two small files, written with ``CatalogueFiles.write``
EDIT_BOTH = textwrap.dedent("""
    from pathlib import Path
    from rdflib import Literal
    from rdflib.namespace import SKOS
    from segmentum.catalogue.files import CatalogueFiles

    files = CatalogueFiles.read(Path(sys.argv[1]))
    for name in sorted(set(files.home.values())):
        subject = min((s for s, home in files.home.items() if home == name), key=str)
        files.graph.add((subject, SKOS.note, Literal("правка", lang="ru")))
    files.write()
""")
CLI = "from segmentum.cli.main import main\nmain()\n"


def killed_at(n: int, folder: Path, program: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", KILLER, str(n), str(folder), program, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def settled(folder: Path) -> dict[str, bytes]:
    """The folder as the next command reads it: a write cut short after its journal was in place is
    finished, and no journal is left; the next writer also removes the temporary files of one cut
    short before."""
    CatalogueFiles.read(folder)
    assert JOURNAL not in snapshot(folder)
    state = turtle(folder)
    with locked(folder):
        pass
    assert sorted(name for name in snapshot(folder) if name.startswith(".")) == [LOCK]
    return state


def test_a_write_killed_at_any_rename_leaves_the_folder_wholly_old_or_wholly_new(tmp_path):
    """``CatalogueFiles.write`` of two files killed with SIGKILL at each of its renames and removals in
    turn: the next reader finds both files old or both new (before: killed between its two renames,
    one file was new and the other old)."""
    base = small_catalogue(tmp_path / "base")
    old = turtle(base)
    outcomes = []
    for n in range(1, 20):
        folder = tmp_path / f"killed-at-{n}"
        shutil.copytree(base, folder)
        process = killed_at(n, folder, EDIT_BOTH, str(folder))
        _out, err = process.communicate(timeout=60)
        if process.returncode == 0:  # the write got past its last rename: this is the new folder
            new = turtle(folder)
            break
        assert process.returncode == -signal.SIGKILL, err
        outcomes.append(folder)
    assert len(outcomes) >= 2 and all(new[name] != old[name] for name in SMALL)
    states = [settled(folder) for folder in outcomes]
    assert [state in (old, new) for state in states] == [True] * len(states)
    assert states[0] == old and states[-1] == new  # killed before anything was decided, and after


@pytest.mark.slow
def test_catalogue_add_value_killed_between_renames_leaves_the_folder_wholly_old_or_wholly_new(tmp_path):
    """``catalogue add-value`` of a new value with a new source (two files) killed with SIGKILL at its second
    and at its third rename or removal: afterwards each folder has both files new and passes the
    catalogue check (before: killed between its two renames, the value was written and its source not)."""
    args = ["catalogue", "add-value", "oms-policy-kind", "oms-test-a", "--label", "тестовый полис А", "--label-en", "test policy A",
            "--act", "326-ФЗ", "--article", "ст. 99"]
    folders = {n: copy_catalogue(tmp_path / f"killed-at-{n}") for n in (2, 3)}
    old = turtle(folders[2])
    processes = {n: killed_at(n, folder, CLI, *args, "--catalogue", str(folder)) for n, folder in folders.items()}
    codes = {n: (p.wait(300), p.stderr.read()) for n, p in processes.items()}
    for n, folder in folders.items():
        state = settled(folder)
        changed = sorted(name for name in state if state[name] != old[name])
        assert changed == ["attributes-citizen.ttl", "sources.ttl"], (n, changed)
        assert "val:oms-test-a" in state["attributes-citizen.ttl"].decode() and "ст. 99" in state["sources.ttl"].decode()
    assert {n: code for n, (code, _) in codes.items()} == {2: -signal.SIGKILL, 3: -signal.SIGKILL}, codes
    assert turtle(folders[2]) == turtle(folders[3])
    assert check_files(CatalogueFiles.read(folders[2]), Lang.RU).conforms
