"""Estimate a segment's capacity (how many people or businesses it holds) from open statistics.

The statistics ship in ``stats/`` (see ``stats/README.md``): Rosstat's population by region, sex and
single year of age on 1 January 2024, and the FNS register of small and medium businesses by region.
Only the region, sex, age and business size of a segment are taken into account, so an estimate is
an upper bound; a town written for the region («Сочи») counts the whole region, as the tables are by
region. ``CapacityEstimate`` says which attributes were used, which were not, and from which table
and source the number comes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from segmentum.catalogue.view import Catalogue
from segmentum.namespaces import ATTR, ST, VAL
from segmentum.profiles.model import AttributeValue

POPULATION_TABLE = "population_age_sex_2024.csv"
SME_TABLE = "msp_register_2026-09-10.csv"

REGION_ATTRIBUTES = {str(ATTR["region-of-residence"]), str(ATTR["region-of-location"])}
_SEX_COLUMNS = {str(VAL["sex-male"]): "male", str(VAL["sex-female"]): "female"}
_SME_SIZES = {str(VAL["business-size-micro"]), str(VAL["business-size-small"]), str(VAL["business-size-medium"])}


@dataclass(frozen=True)
class StatSource:
    """One row of ``stats/sources.csv``."""

    id: str
    publisher: str
    title: str
    reference_date: str


@dataclass
class CapacityEstimate:
    """A capacity estimated from a statistics table, with what it rests on."""

    value: int
    table: str
    source: StatSource
    used: list[str] = field(default_factory=list)  # attribute IRIs taken into account
    unused: list[str] = field(default_factory=list)  # attribute IRIs the table cannot reflect
    region: str | None = None  # region IRI, None for the whole of Russia
    ages: tuple[int, int] | None = None
    sex: str | None = None  # value IRI
    town: str | None = None  # the town the profile named the region by («Сочи»): the estimate is still the region's


def _read(name: str) -> list[dict[str, str]]:
    with resources.files("segmentum").joinpath("stats", name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def sources() -> dict[str, StatSource]:
    """The sources of the shipped statistics, by ``source_id``."""
    return {r["id"]: StatSource(r["id"], r["publisher"], r["title"], r["reference_date"]) for r in _read("sources.csv")}


@lru_cache(maxsize=1)
def population() -> dict[tuple[str, int], dict[str, int]]:
    """(region code, age) → {"total", "male", "female"}; age 100 stands for «100 and older»."""
    out = {}
    for r in _read(POPULATION_TABLE):
        age = 100 if r["age"] == "100+" else int(r["age"])
        out[(r["code"], age)] = {"total": int(r["total"]), "male": int(r["male"]), "female": int(r["female"]), "source": r["source_id"]}
    return out


@lru_cache(maxsize=1)
def sme_register() -> dict[str, tuple[int, str]]:
    """Region code → (number of SMEs in the register, source id)."""
    return {r["code"]: (int(r["msp_total"]), r["source_id"]) for r in _read(SME_TABLE)}


def _age_range(cat: Catalogue, av: AttributeValue) -> tuple[int, int] | None:
    if av.range:
        info = cat.attributes.get(av.attribute)
        low = av.range[0] if av.range[0] is not None else Decimal(0)
        high = av.range[1] if av.range[1] is not None else (info.maximum if info and info.maximum is not None else None)
        return (int(low), int(high)) if high is not None else None
    if av.literal is not None:
        try:
            n = int(Decimal(str(av.literal)))
        except ArithmeticError:
            return None
        return n, n
    if av.value and av.value in cat.values and cat.values[av.value].band:
        lo, hi = cat.values[av.value].band
        return int(lo), int(hi)
    return None


def estimate_capacity(cat: Catalogue, status: str | None, attributes: list[AttributeValue]) -> CapacityEstimate | None:
    """The capacity of a segment with these attributes, or None if the tables cannot say.

    Citizens and internal clients are counted in the population table by region of residence,
    sex and age (at least one of them must be given); businesses in the SME register by region of
    location, when their size is micro, small or medium (the register gives no count by size, so the
    size is listed among the attributes not taken into account).
    """
    region = sex = town = None
    ages: tuple[int, int] | None = None
    used: list[str] = []
    size = None
    for av in attributes:
        if av.attribute in REGION_ATTRIBUTES and av.value and region is None:
            region = av.value
            town = av.written if av.written and cat.named_by_town(region, av.written) else None
            used.append(av.attribute)
        elif av.attribute == str(ATTR.sex) and av.value in _SEX_COLUMNS and sex is None:
            sex = av.value
            used.append(av.attribute)
        elif av.attribute == str(ATTR.age) and ages is None:
            ages = _age_range(cat, av)
            if ages:
                used.append(av.attribute)
        elif av.attribute == str(ATTR["business-size"]) and size is None:
            size = av.value  # a condition only: the register has no count by size, so it is not «used»
    unused = sorted({av.attribute for av in attributes} - set(used), key=lambda a: cat.label(a).casefold())
    code = cat.notation.get(region) if region else None
    if status == str(ST.business):
        if size not in _SME_SIZES:
            return None
        table = sme_register()
        if code is not None and code not in table:
            return None
        rows = [table[code]] if code else list(table.values())
        return CapacityEstimate(sum(n for n, _ in rows), SME_TABLE, sources()[rows[0][1]], used, unused, region, town=town)
    if not used:
        return None
    pop = population()
    codes = {c for c, _ in pop}
    if code is not None and code not in codes:
        return None
    lo, hi = ages or (0, 100)
    lo, hi = max(lo, 0), min(hi, 100)
    column = _SEX_COLUMNS.get(sex or "", "total")
    total = 0
    source_id = None
    for c in [code] if code else sorted(codes):
        for age in range(lo, hi + 1):
            row = pop.get((c, age))
            if row:
                total += row[column]
                source_id = row["source"]
    if source_id is None:
        return None
    return CapacityEstimate(total, POPULATION_TABLE, sources()[source_id], used, unused, region, (lo, hi), sex, town)
