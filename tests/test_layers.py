"""The structure: imports flow one way between layers and between modules, modules stay readable."""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "segmentum"
#: tables of words may be long; code may not
WORDING = {"i18n/messages.py", "i18n/help_texts.py"}
MAX_LINES = 700


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("segmentum", cache_dir=None)  # imports inside functions count too


def test_the_layers_contract_in_pyproject_is_kept(capsys):
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0, capsys.readouterr().out


def _cycle(graph: grimp.ImportGraph) -> list[str]:
    """A chain of modules that import each other in a circle, or [] (``graphlib`` finds it)."""
    sorter = graphlib.TopologicalSorter({m: graph.find_modules_directly_imported_by(m) for m in graph.modules})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        return exc.args[1]
    return []


def test_no_module_imports_itself_through_others(graph):
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    g = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        g.add_module(m)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.a")
    g.add_import(importer="p.c", imported="p.a")
    assert set(_cycle(g)) == {"p.a", "p.b"}


def test_modules_stay_under_700_lines_except_wording_tables():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES and str(p.relative_to(PACKAGE)) not in WORDING}
    assert long == {}


def test_each_subpackage_says_its_job_and_what_it_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = init.read_text(encoding="utf-8")
        assert doc.startswith('"""') and "May import" in doc, init


def test_the_rule_cache_key_covers_every_module_the_rule_compiler_imports(graph):
    from segmentum.inference.rule_cache import COMPILER_MODULES

    imported = graph.find_upstream_modules("segmentum.inference.rule_cache") | {"segmentum.inference.rule_cache"}
    packages = {m for m in imported if graph.find_children(m)}  # a package's __init__ holds no code
    assert sorted(imported - packages - set(COMPILER_MODULES) - {"segmentum"}) == []


@pytest.mark.parametrize("kept, modules", [("segmentum.catalogue.cached", "VIEW_MODULES"),
                                            ("segmentum.validation.compiler", "COMPILER_MODULES")])
def test_the_key_of_each_cache_covers_every_module_its_code_imports(graph, kept, modules):
    import importlib

    listed = getattr(importlib.import_module("segmentum.validation.runner" if modules == "COMPILER_MODULES" else kept), modules)
    imported = graph.find_upstream_modules(kept) | {kept}
    packages = {m for m in imported if graph.find_children(m)}
    assert sorted(imported - packages - set(listed) - {"segmentum"}) == []


def test_the_tree_passes_the_linter_with_lines_of_at_most_160_characters():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "bench", "tools"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


#: modules that may hold SPARQL text: the store's internals (update builders, the meta hash, dumps) and the
#: compilers that generate SPARQL from shapes and rules; every other query is a .rq file beside its module
SPARQL_WRITERS = {
    "store/embedded.py", "store/remote.py", "store/quads.py", "store/sparql_text.py",
    "validation/compiler.py", "validation/runner.py",
    "inference/rules.py", "inference/rule_files.py", "inference/entailment.py",
    "i18n/messages.py",  # a message quoting the syntax a rule must have («WHERE { … }»)
    "server/workers.py",  # parses the empty query «ASK {}» once to build the grammar before the first request
}
_SPARQL = re.compile(r"\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{}]*\{|\b(?:INSERT|DELETE)(?:\s+DATA)?\s*\{|\bWHERE\s*\{|\bGRAPH\s*[<?$]|\bVALUES\s*[?$(]")


def sparql_literals(source: str) -> list[int]:
    """The lines of the string literals (f-strings included, docstrings and other bare strings not) that hold SPARQL."""
    tree = ast.parse(source)
    bare = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    bare |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in bare:
            continue
        if isinstance(node, ast.JoinedStr):
            value = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "X" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
        else:
            continue
        if _SPARQL.search(value):
            found.append(node.lineno)
    return sorted(found)


def test_sparql_lives_in_rq_files_outside_the_store_and_the_compilers():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        lines = sparql_literals(path.read_text(encoding="utf-8"))
        if lines and name not in SPARQL_WRITERS:
            found[name] = lines
    assert found == {}, "move these queries to .rq files beside their modules (read with segmentum.resources.sparql)"
    assert all((PACKAGE / name).is_file() for name in SPARQL_WRITERS)


def test_the_sparql_finder_finds_queries_and_not_prose():
    assert sparql_literals('q = f"SELECT ?a WHERE {{ <{x}> ?p ?a }}"') == [1]
    assert sparql_literals('q = ("ASK " "{ ?s ?p ?o }")\nr = "INSERT DATA { <a> <b> <c> }"') == [1, 2]
    assert sparql_literals('"""SELECT ?a WHERE { ?a ?b ?c } in a docstring"""\nm = "select {name} where you like"') == []
