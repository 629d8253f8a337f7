"""Any bytes, and any YAML put together from the pieces profiles are made of (and hostile ones), read as a
profile or a SEGMENTS file give a result or bad input (exit 2) — never another exception — and quickly."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segmentum.errors import ExitCode, SegmentumError
from segmentum.i18n.messages import Lang
from segmentum.prioritise.segments import read_segments_file
from segmentum.profiles.model import LoadedProfile
from segmentum.profiles.reader import load_profile

#: lines of profiles, of YAML at large, and of files made to break a reader
FRAGMENTS = [
    "id: x", "id: 'a b'", "title: Студент", "status: гражданин", "status: citizen", "статус: Представитель бизнеса",
    "stage: I", "stage: III", "life_situation: Поступление в вуз", "service: [a, b]", "service_region: Москва",
    "attributes:", "  возраст: 20", "  возраст: 18-25", "  пол: мужской", "  пол: off", "  - пол: женский", "  регион проживания: 50",
    "journey_features:", "  - text: Пытается минимизировать визиты", "    state: confirmed", "    evidence: [a, b]",
    "channels:", "  informing:", "    - Госуслуги", "  service:", "    - channel: лично",
    "priority:", "  ёмкость: 100", "  capacity: оценка", "  удовлетворённость: 64 %",
    "segments:", "  - profile: p.yaml", "  - status: citizen", "weights:", "  ёмкость: 2",
    "notes: |", "  line", "notes: 2024-13-45", "notes: 2024-01-01 10:00:00+30:00", "notes: " + "9" * 5000, "notes: 1:2:3:4:5",
    "notes: !!binary aGVsbG8=", "notes: !!python/object/apply:os.system [ls]", "notes: !!set {a, b}", "notes: !custom x",
    "x-a: &a [1, 2, 3]", "x-b: &b [*a, *a, *a, *a]", "x-c: [*b, *b, *b, *b, *b]", "x-m: &m {k: v}", "<<: *m", "<<: [*m, *a]",
    "x-r: &r [*r]", "*undefined", "&anchor", "? [a, b]", ": c", "? {a: b}", "{a: b}: c", "[[[[[[[[", "]]]]", "{", "}",
    "- item", "  - nested", "-", "key:", "key: value", "key: 'unclosed", 'key: "esc \\x00 \\uD800"', "'", '"', "#", "%YAML 1.1",
    "---", "...", "\t", "key:\tvalue", "\x00", "\x01", "\ufeff", "\u00ad", "\u2028", "ключ: значение",
]
LINES = st.lists(st.tuples(st.sampled_from(["", "", " ", "  ", "    "]), st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))),
                 max_size=15).map(lambda lines: "\n".join(indent + line for indent, line in lines) + "\n")
FAST = settings(max_examples=200, deadline=timedelta(seconds=2), database=None, suppress_health_check=[HealthCheck.too_slow])


def _read(shared, data: bytes, reader) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.yaml"
        path.write_bytes(data)
        try:
            result = reader(path)
        except SegmentumError as exc:
            assert exc.exit_code == ExitCode.BAD_INPUT, exc
        else:
            assert result is not None


@FAST
@given(data=st.binary(max_size=1500))
def test_any_bytes_read_as_a_profile_are_a_profile_or_bad_input(shared, data):
    _read(shared, data, lambda p: load_profile(p, shared.catalogue, lang=Lang.EN))


@FAST
@given(body=LINES)
def test_any_yaml_of_profile_pieces_is_a_profile_or_bad_input(shared, body):
    def read(path):
        result = load_profile(path, shared.catalogue, lang=Lang.EN)
        assert isinstance(result, LoadedProfile)
        return result

    _read(shared, body.encode("utf-8", "surrogatepass"), read)


@settings(FAST, max_examples=100)
@given(body=LINES)
def test_any_yaml_of_pieces_read_as_a_segments_file_is_a_result_or_bad_input(shared, body):
    _read(shared, body.encode("utf-8", "surrogatepass"), lambda p: read_segments_file(p, shared.catalogue, Lang.EN))
