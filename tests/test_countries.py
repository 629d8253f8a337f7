"""Countries of the world as values of citizenship: «гражданство: Казахстан» is a foreign citizen of Kazakhstan.

The values are catalogues/countries.ttl, written by tools/import_countries.py from the ISO 3166-1 data
of the PyPI package pycountry (its numeric codes are the ОКСМ codes).
"""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from segmentum.cli.main import main
from segmentum.namespaces import SGM, VAL, VS
from segmentum.resources import catalogue_files
from segmentum.store.turtle import read_header

from .conftest import write

ROOT = Path(__file__).resolve().parent.parent


def test_a_country_is_a_foreign_citizenship(shared):
    cat = shared.catalogue
    citizenship = cat.resolve("attribute", "гражданство")
    for written in ("Казахстан", "Республика Казахстан", "Kazakhstan", "398", "Казахстана"):
        assert cat.resolve_value(citizenship, written) == str(VAL["citizenship-kz"]), written
    assert cat.resolve_value(citizenship, "Молдавия") == str(VAL["citizenship-md"])  # the common name
    for written, value in (("Россия", "citizenship-rf"), ("иностранный", "citizenship-foreign"), ("иностранец", "citizenship-foreign"),
                           ("лицо без гражданства", "citizenship-stateless")):
        assert cat.resolve_value(citizenship, written) == str(VAL[value]), written


def test_a_profile_with_a_citizenship_by_country_loads_and_shows_it(tmp_path, runner):
    p = write(tmp_path, "status: гражданин\nlife_situation: Поступление в вуз\nstage: I\nattributes:\n  возраст: 18-25\n  гражданство: Казахстан\n")
    checked = runner.invoke(main, ["validate", str(p)])
    assert checked.exit_code == 0, checked.output
    assert "  гражданство – Казахстан\n" in runner.invoke(main, ["profile", "show", str(p)]).stdout
    assert "  citizenship – Kazakhstan\n" in runner.invoke(main, ["--lang", "en", "profile", "show", str(p)]).stdout


def test_the_shipped_countries_cite_their_source():
    (path,) = [f for f in catalogue_files() if f.name == "countries.ttl"]
    text = path.read_text(encoding="utf-8")
    assert "# Источник / source: PyPI pycountry 26.2.16" in text
    assert "#   databases/iso3166-1.json sha256 f01b812b57fba9f31ff621bf33e7c7570a01964dbeb5be2167e94decf538c89f" in text
    graph = Graph().parse(data=text, format="turtle")
    values = set(graph.subjects(RDF.type, SGM.AttributeValue))
    assert len(values) == 248  # ISO 3166-1 but Russia
    assert all(graph.value(v, SKOS.broader) == VAL["citizenship-foreign"] and graph.value(v, SKOS.inScheme) == VS.citizenship for v in values)
    assert all({lab.language for lab in graph.objects(v, SKOS.prefLabel)} == {"ru", "en"} for v in values)
    assert graph.value(VAL["citizenship-kz"], SKOS.notation) == Literal("398")


def _write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU gettext catalogue (.mo) of ``messages``, in UTF-8."""
    messages = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(messages)
    ids, strs = [k.encode() for k in keys], [messages[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)
    table, data = [], b""
    for s in ids + strs:
        table.append((len(s), start + len(data)))
        data += s + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + b"".join(struct.pack("<2I", *t) for t in table) + data)


def test_the_importer_writes_a_value_per_country_but_russia(tmp_path):
    data = tmp_path / "pycountry"
    (data / "databases").mkdir(parents=True)
    entries = [
        {"alpha_2": "KZ", "alpha_3": "KAZ", "numeric": "398", "name": "Kazakhstan", "official_name": "Republic of Kazakhstan"},
        {"alpha_2": "MD", "alpha_3": "MDA", "numeric": "498", "name": "Moldova, Republic of", "official_name": "Republic of Moldova",
         "common_name": "Moldova"},
        {"alpha_2": "RU", "alpha_3": "RUS", "numeric": "643", "name": "Russian Federation"},
    ]
    (data / "databases" / "iso3166-1.json").write_text(json.dumps({"3166-1": entries}), encoding="utf-8")
    _write_mo(data / "locales" / "ru" / "LC_MESSAGES" / "iso3166-1.mo", {
        "Kazakhstan": "Казахстан", "Republic of Kazakhstan": "Республика Казахстан", "Moldova, Republic of": "Республика Молдова",
        "Republic of Moldova": "Республика Молдова", "Moldova": "Молдавия", "Russian Federation": "Российская Федерация"})
    (tmp_path / "pycountry-1.2.3.dist-info").mkdir()
    (tmp_path / "pycountry-1.2.3.dist-info" / "METADATA").write_text("Name: pycountry\nVersion: 1.2.3\n", encoding="utf-8")
    out = tmp_path / "countries.ttl"
    run = [sys.executable, str(ROOT / "tools" / "import_countries.py"), str(data), str(out)]
    done = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = out.read_text(encoding="utf-8")
    header = read_header(written)
    assert "# Источник / source: PyPI pycountry 1.2.3 " in header
    assert f"databases/iso3166-1.json sha256 {hashlib.sha256((data / 'databases' / 'iso3166-1.json').read_bytes()).hexdigest()}" in header
    graph = Graph().parse(data=written, format="turtle")
    assert set(graph.subjects(RDF.type, SGM.AttributeValue)) == {VAL["citizenship-kz"], VAL["citizenship-md"]}
    md = VAL["citizenship-md"]
    assert set(graph.objects(md, SKOS.prefLabel)) == {Literal("Республика Молдова", lang="ru"), Literal("Moldova, Republic of", lang="en")}
    assert set(graph.objects(md, SKOS.altLabel)) == {Literal("Молдавия", lang="ru"), Literal("Moldova", lang="en"), Literal("Republic of Moldova", lang="en")}
    assert graph.value(md, SKOS.notation) == Literal("498") and graph.value(md, SKOS.broader) == VAL["citizenship-foreign"]
    assert subprocess.run(run, capture_output=True, cwd=tmp_path).returncode == 0 and out.read_text(encoding="utf-8") == written  # the same bytes
    (data / "locales" / "ru" / "LC_MESSAGES" / "iso3166-1.mo").unlink()
    failed = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode != 0 and "not pycountry's data folder" in failed.stderr
