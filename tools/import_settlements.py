"""Write the towns of each region (``sgm:settlement``) into ``catalogues/regions.ttl`` from the hflabs/city table.

Usage (from the repository root, with a copy of the table's repository at the cited commit)::

    git clone https://github.com/hflabs/city && git -C city checkout ae661bf
    python tools/import_settlements.py city/city.csv src/segmentum/catalogues/regions.ttl

Every row of ``city.csv`` is a town (1117 rows, the towns of Wikipedia's list, data from DaData).
Its name is the ``city`` column; a town inside another town's district is the ``settlement``
(«Алупка» in Yalta); in Moscow Oblast a town that is its own urban district has the name in
``area`` («Воскресенск»). The region is the first two digits of the KLADR code, which are the
region codes of the catalogue (``val:region-NN``). The three cities of federal significance are
regions themselves and are left out. The region's old towns are replaced, everything else in the
file is kept (its header cites the table), and the file is written in canonical Turtle, so a
re-import of the same table gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal

from segmentum.namespaces import SGM, VAL
from segmentum.output import write_atomic
from segmentum.store.turtle import canonical_turtle, read_header

SOURCE_COMMIT = "ae661bf"


def town_name(row: dict[str, str]) -> str | None:
    """The name of the town of a row, or None for a city of federal significance (a region itself)."""
    if row["settlement_type"] == "г" and row["settlement"]:
        return row["settlement"]
    if row["city"]:
        return row["city"]
    if row["area_type"] == "г" and row["area"]:
        return row["area"]
    return None


def read_towns(path: Path) -> dict[str, set[str]]:
    """Region code → the names of its towns."""
    towns: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            name = town_name(row)
            if name is None:
                if row["region_type"] != "г":
                    raise SystemExit(f"{path}:{n}: error: no town name in «{row['address']}»")
                continue
            code = row["kladr_id"][:2]
            if not code.isdigit():
                raise SystemExit(f"{path}:{n}: error: no KLADR code in «{row['address']}»")
            towns[code].add(name.strip())
    return towns


def add_settlements(regions: Graph, towns: dict[str, set[str]]) -> Graph:
    """``regions`` with ``val:region-NN sgm:settlement "town"@ru`` for every town instead of the old ones."""
    known = set(regions.subjects(SGM.federalDistrict, None))
    regions.remove((None, SGM.settlement, None))
    for code, names in sorted(towns.items()):
        region = VAL[f"region-{code}"]
        if region not in known:
            raise SystemExit(f"error: region code {code} is not in the catalogue (towns: {', '.join(sorted(names))})")
        for name in names:
            regions.add((region, SGM.settlement, Literal(name, lang="ru")))
    return regions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("city_csv", type=Path, help="city.csv of hflabs/city")
    parser.add_argument("regions", type=Path, help="the catalogue's regions.ttl, rewritten in place")
    args = parser.parse_args(argv)
    text = args.regions.read_text(encoding="utf-8")
    graph = add_settlements(Graph().parse(data=text, format="turtle"), read_towns(args.city_csv))
    write_atomic(args.regions, canonical_turtle(graph, header=read_header(text)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
