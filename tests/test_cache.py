"""The cache folder: the catalogue view and the compiled shapes kept by one process and read by the next;
a damaged file is never read, but made again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from segmentum.cache import read_cache, write_cache
from segmentum.i18n.messages import Lang
from segmentum.session import open_session
from segmentum.validation.runner import ValidationPlan
from segmentum.validation.validate import load_shapes


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SEGMENTUM_CACHE", str(folder))
    return folder


def _damaged(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "cut short":
        path.write_bytes(data[: len(data) // 2])
    elif how == "a byte changed":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("how", ["cut short", "a byte changed", "empty"])
def test_a_damaged_cache_file_reads_as_none(cache, how):
    path = cache / "x.pickle"
    write_cache(path, {"kept": [1, 2, 3]})
    assert read_cache(path) == {"kept": [1, 2, 3]}
    _damaged(path, how)
    assert read_cache(path) is None


def test_a_file_written_by_another_program_is_not_unpickled(cache):
    import pickle

    path = cache / "x.pickle"
    path.parent.mkdir()
    path.write_bytes(pickle.dumps({"not": "ours"}))
    assert read_cache(path) is None


@pytest.mark.slow  # the view made twice: two seconds on an idle machine
def test_the_catalogue_view_is_kept_and_a_damaged_one_made_again(cache):
    first = open_session(lang=Lang.RU).catalogue
    [kept] = cache.glob("catalogue-*.pickle")
    _damaged(kept, "cut short")
    again = open_session(lang=Lang.RU).catalogue
    assert read_cache(kept) is not None  # made again, whole
    read = open_session(lang=Lang.RU).catalogue  # from the file
    assert read.stored_indexes and not first.stored_indexes
    for cat in (again, read):
        assert cat.labels == first.labels and _attributes(cat) == _attributes(first) and cat.values == first.values
        assert cat.resolve("status", "гражданин") == first.resolve("status", "гражданин")
        assert cat.resolve("attribute", "возраст", status=cat.resolve("status", "гражданин")) == \
            first.resolve("attribute", "возраст", status=first.resolve("status", "гражданин"))
        assert cat.named_by_town(cat.resolve("scheme:" + cat.attributes[_region(cat)].scheme, "Свердловская область"), "г. Екатеринбург") == \
            first.named_by_town(first.resolve("scheme:" + first.attributes[_region(first)].scheme, "Свердловская область"), "г. Екатеринбург")


def _attributes(cat) -> dict:
    """The attributes, the lists they derive from in one order (the store names each list by a new blank node)."""
    return {k: replace(v, derivable_from=sorted(v.derivable_from)) for k, v in cat.attributes.items()}


def _region(cat) -> str:
    return next(a.iri for a in cat.attributes.values() if a.scheme and a.scheme.endswith("/regions"))


def test_the_compiled_shapes_are_kept_and_a_damaged_file_compiled_again(cache):
    s = open_session(lang=Lang.RU)
    shapes = load_shapes("profile", Lang.RU)
    compiled = ValidationPlan(shapes, s.store, Lang.RU).queries
    [kept] = cache.glob("shapes-*.pickle")
    _damaged(kept, "cut short")
    assert [q.sparql for q in ValidationPlan(shapes, s.store, Lang.RU).queries] == [q.sparql for q in compiled]
    assert read_cache(kept) is not None
    assert [q.sparql for q in ValidationPlan(shapes, s.store, Lang.RU).queries] == [q.sparql for q in compiled]
