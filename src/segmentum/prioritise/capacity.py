"""Estimate a segment's capacity (how many people or businesses it holds) from open statistics.

The statistics ship in ``stats/`` (see ``stats/README.md``): Rosstat's population by region, sex and
single year of age on 1 January 2024, and the FNS register of small and medium businesses by region.
An estimate is given only when a table counts the segment's status and reflects every attribute that
defines the segment (``COVERAGE``): a table that reflects some of them gives an upper bound, and an
upper bound shown as a capacity ranks a broad segment first. Otherwise ``CapacityGap`` says what no
open statistics cover. A town written for the region («Сочи») counts the whole region, as the tables
are by region; ``CapacityEstimate`` says so, and from which table and source the number comes.
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
SERVANTS_TABLE = "civil_servants_2021.csv"

REGION_ATTRIBUTES = {str(ATTR["region-of-residence"]), str(ATTR["region-of-location"])}
_SEX_COLUMNS = {str(VAL["sex-male"]): "male", str(VAL["sex-female"]): "female"}
_SME_SIZES = {str(VAL["business-size-micro"]), str(VAL["business-size-small"]), str(VAL["business-size-medium"])}
_CIVIL, _MUNICIPAL = str(VAL["service-kind-civil"]), str(VAL["service-kind-municipal"])


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
    used: list[str] = field(default_factory=list)  # attribute IRIs taken into account: every attribute of the segment
    region: str | None = None  # region IRI, None for the whole of Russia
    ages: tuple[int, int] | None = None
    sex: str | None = None  # value IRI
    town: str | None = None  # the town the profile named the region by («Сочи»): the estimate is still the region's
    regions: list[str] = field(default_factory=list)  # every region counted (one or more)


@dataclass
class CapacityGap:
    """Why no table can estimate the capacity: ``reason`` is ``status``, ``no_attributes``, ``business_size``,
    ``attributes`` (listed in ``attributes``: no open statistics reflect them) or ``region`` (the table has
    no row for the regions in ``regions``)."""

    reason: str
    status: str | None = None
    attributes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


#: status IRI → the attributes its table reflects (the values must also be ones the table has:
#: regions with a row, male or female, ages as numbers or bands, micro/small/medium businesses)
COVERAGE: dict[str, frozenset[str]] = {
    str(ST.citizen): frozenset(REGION_ATTRIBUTES | {str(ATTR.sex), str(ATTR.age)}),
    str(ST.business): frozenset(REGION_ATTRIBUTES | {str(ATTR["business-size"])}),
    # civil and municipal servants, counted by the region of their body: no attribute of the catalogue says that region
    str(ST.internal): frozenset({str(ATTR["service-kind"])}),
}


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
def servants() -> dict[str, tuple[int, int, str]]:
    """Region code → (civil and municipal servants, municipal servants, source id); code «00» holds the
    servants Rosstat shows «на федеральном уровне», in no region."""
    return {r["code"]: (int(r["civil_municipal_total"]), int(r["municipal_total"]), r["source_id"]) for r in _read(SERVANTS_TABLE)}


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


def _regions(cat: Catalogue, values: list[AttributeValue]) -> tuple[list[str], str | None] | None:
    """The regions written and the town a single region was named by («Сочи»), or None if a value is no region."""
    regions = [av.value for av in values if av.value and cat.notation.get(av.value)]
    if len(regions) != len(values):
        return None
    town = None
    if len(values) == 1 and values[0].written and cat.named_by_town(regions[0], values[0].written):
        town = values[0].written
    return list(dict.fromkeys(regions)), town


def _ages(cat: Catalogue, values: list[AttributeValue]) -> set[int] | None:
    """Every single year of age the values cover (100 stands for «100 and older»), or None if one cannot say."""
    years: set[int] = set()
    for av in values:
        span = _age_range(cat, av)
        if span is None:
            return None
        years.update(range(max(span[0], 0), min(span[1], 100) + 1))
    return years


def estimate_capacity(cat: Catalogue, status: str | None, attributes: list[AttributeValue]) -> CapacityEstimate | CapacityGap:
    """The capacity of a segment with this status and these attributes, or why the tables cannot give it.

    An estimate is given only when a table counts the status and reflects every attribute that defines
    the segment (``COVERAGE``); a partial match would be an upper bound shown as if it were the capacity.
    Several values of one attribute add up (two regions, two age bands).
    """
    if status not in COVERAGE:
        return CapacityGap("status", status=status)
    coverage = COVERAGE[status]
    if not attributes:
        return CapacityGap("no_attributes", status=status)
    by_attribute: dict[str, list[AttributeValue]] = {}
    for av in attributes:
        by_attribute.setdefault(av.attribute, []).append(av)
    uncovered = [a for a in by_attribute if a not in coverage]
    regions: list[str] = []
    town = None
    sexes: set[str] = set()
    ages: set[int] | None = None
    sizes: set[str] = set()
    kinds: set[str] = set()
    for attribute, values in by_attribute.items():
        if attribute not in coverage:
            continue
        if attribute in REGION_ATTRIBUTES:
            found = _regions(cat, values)
            if found is None:
                uncovered.append(attribute)
            else:
                regions, town = found
        elif attribute == str(ATTR.sex):
            sexes = {av.value or "" for av in values}
            if not sexes <= set(_SEX_COLUMNS):
                uncovered.append(attribute)
        elif attribute == str(ATTR.age):
            ages = _ages(cat, values)
            if ages is None:
                uncovered.append(attribute)
        elif attribute == str(ATTR["service-kind"]):
            kinds = {av.value or "" for av in values}
            if not kinds <= {_CIVIL, _MUNICIPAL}:
                uncovered.append(attribute)  # military, law enforcement …: the table counts civil and municipal servants only
        elif attribute == str(ATTR["business-size"]):
            sizes = {av.value or "" for av in values}
            if sizes != _SME_SIZES:
                uncovered.append(attribute)  # the register has no count by size: only «micro, small and medium» together
    if uncovered:
        return CapacityGap("attributes", status=status, attributes=_sorted(cat, uncovered))
    if status == str(ST.business) and not sizes:
        return CapacityGap("business_size", status=status)  # the register counts no large businesses
    if status == str(ST.business):
        return _sme(cat, regions, town, list(by_attribute))
    if status == str(ST.internal):
        if not kinds:
            return CapacityGap("service_kind", status=status)  # internal clients are also soldiers, police officers, teachers …
        return _servants(cat, kinds, list(by_attribute))
    return _population(cat, regions, sexes, ages, town, list(by_attribute))


def _sorted(cat: Catalogue, attributes: list[str]) -> list[str]:
    return sorted(set(attributes), key=lambda a: cat.label(a).casefold())


def _sme(cat: Catalogue, regions: list[str], town: str | None, used: list[str]) -> CapacityEstimate | CapacityGap:
    table = sme_register()
    codes = [cat.notation[r] for r in regions] or sorted(table)
    missing = [r for r in regions if cat.notation[r] not in table]
    if missing:
        return CapacityGap("region", status=str(ST.business), regions=missing)
    rows = [table[c] for c in codes]
    return CapacityEstimate(sum(n for n, _ in rows), SME_TABLE, sources()[rows[0][1]], _sorted(cat, used), regions[0] if len(regions) == 1 else None,
                            town=town, regions=regions)


def _population(cat: Catalogue, regions: list[str], sexes: set[str], ages: set[int] | None, town: str | None,
                used: list[str]) -> CapacityEstimate | CapacityGap:
    pop = population()
    codes = {c for c, _ in pop}
    missing = [r for r in regions if cat.notation[r] not in codes]
    if missing:
        return CapacityGap("region", status=str(ST.citizen), regions=missing)
    years = sorted(ages) if ages is not None else list(range(0, 101))
    column = _SEX_COLUMNS[next(iter(sexes))] if len(sexes) == 1 else "total"
    total = 0
    source_id = None
    for c in [cat.notation[r] for r in regions] or sorted(codes):
        for age in years:
            row = pop.get((c, age))
            if row:
                total += row[column]
                source_id = row["source"]
    if source_id is None:
        return CapacityGap("region", status=str(ST.citizen), regions=regions)
    span = (years[0], years[-1]) if ages is not None else None
    sex = next(iter(sexes)) if len(sexes) == 1 else None
    return CapacityEstimate(total, POPULATION_TABLE, sources()[source_id], _sorted(cat, used), regions[0] if len(regions) == 1 else None,
                            span, sex, town, regions)


def _servants(cat: Catalogue, kinds: set[str], used: list[str]) -> CapacityEstimate:
    """Civil servants (state civil service), municipal servants or both, in the whole of Russia."""
    rows = servants().values()
    municipal = sum(m for _, m, _ in rows)
    civil = sum(t for t, _, _ in rows) - municipal  # every servant minus the municipal ones; «00» adds the federal level
    value = (civil if _CIVIL in kinds else 0) + (municipal if _MUNICIPAL in kinds else 0)
    source = sources()[next(iter(rows))[2]]
    return CapacityEstimate(value, SERVANTS_TABLE, source, _sorted(cat, used))
