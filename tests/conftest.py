"""Shared fixtures: the shipped catalogue in a real store, a CLI runner, golden files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from segmentum.engine.messages import Lang
from segmentum.engine.session import Session, open_session

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from the current output.")


@pytest.fixture(scope="session")
def shared() -> Session:
    """A session over the shipped ontology and catalogue; tests must not add profiles to it."""
    return open_session(lang=Lang.RU)


@pytest.fixture()
def fresh() -> Session:
    """A new in-memory session a test may change."""
    return open_session(lang=Lang.RU)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME; ``--update-golden`` rewrites the file instead."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected

    return check
