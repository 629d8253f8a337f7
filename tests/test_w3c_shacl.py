"""The W3C SHACL test suite (core and sparql) through the compiled engine.

The suite ships in pySHACL's source distribution; ``.ci/run`` downloads it
(``pip download --no-binary :all: --no-deps pyshacl==0.40.1``) and points
``SEGMENTUM_SHACL_SUITE`` at its ``test/resources/sht_tests`` folder. Entries that use a construct
the compiled engine refuses are skipped with the engine's own message; every other entry must
give exactly the expected results.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from segmentum.store.embedded import OxigraphStore
from segmentum.validation.compiler import Compiler
from segmentum.validation.runner import run_queries, share_focus
from segmentum.validation.shapes import SH, ShapesGraph, UnsupportedShapeError
from segmentum.validation.validate import path_text

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SUITE = os.environ.get("SEGMENTUM_SHACL_SUITE")

#: entries whose expected results rest on behaviour we deliberately do not share, with the reason
KNOWN_DIFFERENCES: dict[str, str] = {
    "core/property/datatype-ill-formed.ttl": (
        "Oxigraph stores the ill-formed literal \"300\"^^xsd:byte as xsd:integer, so the result's value differs "
        "from the expected one (the violation itself is found)"
    ),
    "core/property/uniqueLang-002.ttl": (
        "rdflib normalises \"1\"^^xsd:boolean to \"true\" when it reads the shapes graph, so the constraint is "
        "active where the test expects it to be ignored"
    ),
}


def _entries() -> list[tuple[str, Path]]:
    if not SUITE:
        return []
    out = []
    for folder in ("core", "sparql"):
        for path in sorted((Path(SUITE) / folder).rglob("*.ttl")):
            if path.name != "manifest.ttl":
                out.append((str(path.relative_to(SUITE)), path))
    return out


ENTRIES = _entries()


def test_the_suite_is_there_in_ci():
    if not SUITE:
        if os.environ.get("CI"):
            pytest.fail("SEGMENTUM_SHACL_SUITE is not set: .ci/run downloads the W3C SHACL tests")
        pytest.skip("SEGMENTUM_SHACL_SUITE not set (run .ci/run to fetch the W3C SHACL tests)")
    assert len(ENTRIES) > 100


def anon(node):
    """Blank nodes compare as one; literals by value (the store writes canonical lexical forms)."""
    if isinstance(node, BNode):
        return "_:"
    if isinstance(node, Literal) and node.datatype is not None and isinstance(node.value, (int, float, Decimal, bool)):
        return ("literal", node.datatype, node.value)
    return node


def _key(graph: Graph, r) -> tuple:
    return (
        anon(graph.value(r, SH.focusNode)),
        path_text(graph, graph.value(r, SH.resultPath)),
        anon(graph.value(r, SH.value)),
        graph.value(r, SH.sourceConstraintComponent),
        graph.value(r, SH.resultSeverity),
        anon(graph.value(r, SH.sourceShape)),
    )


@pytest.mark.parametrize("name, path", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_w3c_entry(name: str, path: Path):
    if name in KNOWN_DIFFERENCES:
        pytest.skip(KNOWN_DIFFERENCES[name])
    manifest = Graph().parse(path, format="turtle", publicID=path.as_uri())
    for entry_list in manifest.objects(None, MF.entries):
        for entry in Collection(manifest, entry_list):
            if (entry, RDF.type, SHT.Validate) not in manifest:
                pytest.skip("not a validation entry")
            action = manifest.value(entry, MF.action)
            data_ref, shapes_ref = manifest.value(action, SHT.dataGraph), manifest.value(action, SHT.shapesGraph)
            data = manifest if str(data_ref) == path.as_uri() else Graph().parse(_file(data_ref), format="turtle")
            shapes = manifest if str(shapes_ref) == path.as_uri() else Graph().parse(_file(shapes_ref), format="turtle")
            expected_report = manifest.value(entry, MF.result)
            if expected_report == SHT.Failure:
                pytest.skip("expects a failure to validate")
            store = OxigraphStore()
            store.replace_graph(URIRef("urn:data"), data)
            try:
                queries = Compiler(ShapesGraph(shapes), store).compile()
            except UnsupportedShapeError as exc:
                pytest.skip(f"compiled engine: {exc.message}")
            expected = {_key(manifest, r) for r in manifest.objects(expected_report, SH.result)}
            # each query on its own (any SPARQL 1.1 store), and queries with one focus pattern shared (LATERAL)
            for plan in (queries, share_focus(queries)):
                got = {r.key() for r in run_queries(store, plan)}
                assert {tuple(anon(x) for x in k) for k in got} == expected


def _file(ref: URIRef) -> str:
    return str(ref).removeprefix("file://")
