"""Write the countries of the world as values of citizenship (``catalogues/countries.ttl``) from ISO 3166-1.

Usage (from the repository root)::

    pip download --no-deps -d build/pycountry pycountry==26.2.16 && unzip -q -d build/pycountry build/pycountry/pycountry-26.2.16-py3-none-any.whl
    python tools/import_countries.py build/pycountry/pycountry src/segmentum/catalogues/countries.ttl

The input is the data of the PyPI package pycountry (LGPL-2.1, the data of the iso-codes project
of Debian): ``databases/iso3166-1.json``, the ISO 3166-1 list of countries and territories with
their codes and English names, and ``locales/ru/LC_MESSAGES/iso3166-1.mo``, their Russian names
(the iso-codes translation). ОКСМ, the Russian classifier of the countries of the world (ОК
025-2001), takes its numeric and letter codes from ISO 3166-1, so the numeric code is written as
the ОКСМ code (``skos:notation "398"``); the Russian names are the iso-codes translation, not the
wording of the ОКСМ edition, and ОКСМ's entries that are not in ISO 3166-1 are not here.

Each entry but Russia (which is ``val:citizenship-rf``) becomes ``val:citizenship-<alpha-2>``
in the scheme of citizenship, narrower than «иностранный гражданин» (``skos:broader
val:citizenship-foreign``): «гражданство: Казахстан» is a foreign citizen of Kazakhstan. Its
Russian and English names are its labels (``skos:prefLabel`` the short name, ``skos:altLabel``
the official and the common name); the letter codes are not («NO», «IN», «AND» are words). The file's header names
the package, its version and the SHA-256 of both inputs; the file is written whole, in
canonical Turtle, so a re-import of the same data gives the same bytes.
"""

from __future__ import annotations

import argparse
import gettext
import hashlib
import json
import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from segmentum.namespaces import SGM, VAL, VS
from segmentum.output import write_atomic
from segmentum.store.turtle import canonical_turtle

#: the country whose citizens are «гражданин Российской Федерации», not a foreign country
RUSSIA = "RU"
ISO_JSON = Path("databases") / "iso3166-1.json"
RU_MO = Path("locales") / "ru" / "LC_MESSAGES" / "iso3166-1.mo"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_countries(data: Path) -> tuple[list[dict[str, str]], gettext.GNUTranslations]:
    """The ISO 3166-1 entries and their Russian names, from pycountry's data folder ``data``."""
    try:
        entries = json.loads((data / ISO_JSON).read_text(encoding="utf-8"))["3166-1"]
        with (data / RU_MO).open("rb") as fh:
            russian = gettext.GNUTranslations(fh)
    except (OSError, ValueError, KeyError) as exc:
        raise SystemExit(f"{data}: error: not pycountry's data folder ({ISO_JSON}, {RU_MO}): {exc}") from None
    for n, entry in enumerate(entries):
        missing = {"alpha_2", "alpha_3", "numeric", "name"} - entry.keys()
        if missing:
            raise SystemExit(f"{data / ISO_JSON}: error: entry {n + 1} has no {', '.join(sorted(missing))}")
    return entries, russian


def russian_name(russian: gettext.GNUTranslations, english: str, data: Path) -> str:
    name = russian.gettext(english)
    if name == english:
        raise SystemExit(f"{data / RU_MO}: error: no Russian name for «{english}»")
    return name


def countries_graph(entries: list[dict[str, str]], russian: gettext.GNUTranslations, data: Path) -> Graph:
    """The values of citizenship, one per country but Russia."""
    g = Graph()
    for entry in sorted(entries, key=lambda e: e["alpha_2"]):
        if entry["alpha_2"] == RUSSIA:
            continue
        value = VAL[f"citizenship-{entry['alpha_2'].lower()}"]
        g.add((value, RDF.type, SGM.AttributeValue))
        g.add((value, SKOS.inScheme, VS.citizenship))
        g.add((value, SKOS.broader, VAL["citizenship-foreign"]))
        g.add((value, SKOS.notation, Literal(entry["numeric"])))
        g.add((value, SKOS.prefLabel, Literal(russian_name(russian, entry["name"], data), lang="ru")))
        g.add((value, SKOS.prefLabel, Literal(entry["name"], lang="en")))
        for key in ("official_name", "common_name"):
            if key in entry:
                for label in (Literal(russian_name(russian, entry[key], data), lang="ru"), Literal(entry[key], lang="en")):
                    if (value, SKOS.prefLabel, label) not in g:
                        g.add((value, SKOS.altLabel, label))
    return g


def header(data: Path, version: str, count: int) -> str:
    lines = [
        "# Страны мира как значения признака «гражданство» (иностранный гражданин такой-то страны): "
        f"{count} стран и территорий ISO 3166-1, кроме России.",
        "# Countries of the world as values of citizenship (a foreign citizen of that country), from ISO 3166-1.",
        "# Код (skos:notation) — цифровой код ОКСМ (ОК 025-2001), он же ISO 3166-1 numeric; названия — перевод",
        "# проекта iso-codes, а не формулировки редакции ОКСМ. Файл пишется скриптом tools/import_countries.py.",
        f"# Источник / source: PyPI pycountry {version} (LGPL-2.1; данные проекта iso-codes Debian)",
        f"#   {ISO_JSON.as_posix()} sha256 {sha256(data / ISO_JSON)}",
        f"#   {RU_MO.as_posix()} sha256 {sha256(data / RU_MO)}",
    ]
    return "\n".join(lines) + "\n"


def package_version(data: Path) -> str:
    """The version of pycountry whose data folder is ``data``, from its dist-info beside it."""
    for meta in sorted(data.parent.glob("pycountry-*.dist-info/METADATA")):
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("Version: "):
                return line.removeprefix("Version: ").strip()
    raise SystemExit(f"{data.parent}: error: no pycountry-*.dist-info beside the data folder: give --version")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pycountry", type=Path, help="the folder of the pycountry package (with databases/ and locales/)")
    parser.add_argument("countries", type=Path, help="the catalogue's countries.ttl, written whole")
    parser.add_argument("--version", help="the pycountry version, if no dist-info lies beside the folder")
    args = parser.parse_args(argv)
    entries, russian = read_countries(args.pycountry)
    version = args.version or package_version(args.pycountry)
    graph = countries_graph(entries, russian, args.pycountry)
    count = len(set(graph.subjects(RDF.type, SGM.AttributeValue)))
    write_atomic(args.countries, canonical_turtle(graph, header(args.pycountry, version, count)))
    print(f"{args.countries}: {count} countries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
