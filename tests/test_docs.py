"""The documentation stays honest: every YAML example in docs/profile-format.md loads."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT, load

DOC = ROOT / "docs" / "profile-format.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_format_document_has_examples():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_yaml_example_loads(shared, tmp_path, index):
    p = tmp_path / f"example-{index}.yaml"
    p.write_text(BLOCKS[index], encoding="utf-8")
    prof = load(p, shared)
    assert prof.status is not None
