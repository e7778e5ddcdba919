"""Fixtures for the builder tests: the real sources and seed, parsed once; a fresh build."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from janus_gui.dbbuild.build import build_database
from janus_gui.dbbuild.common import NameIndex
from janus_gui.dbbuild.seed import Seed, load_seed
from janus_gui.dbbuild.sources import SourceText, load_sources, source_by_doc

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def sources() -> dict[str, SourceText]:
    return load_sources(DATA / "sources")


@pytest.fixture(scope="session")
def seed(sources: dict[str, SourceText]) -> Seed:
    return load_seed(DATA / "seed", sources)


@pytest.fixture(scope="session")
def names(seed: Seed) -> NameIndex:
    return NameIndex(seed.portfolio_names)


@pytest.fixture(scope="session")
def source(sources: dict[str, SourceText]):
    return lambda doc: source_by_doc(sources, doc)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog built from the repository's data/ into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "janus.sqlite"
    build_database(out, DATA)
    return out


@pytest.fixture()
def db(built: Path):
    connection = sqlite3.connect(built)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/sources and data/seed, for builds from altered inputs."""
    target = tmp_path / "data"
    shutil.copytree(DATA / "sources", target / "sources")
    shutil.copytree(DATA / "seed", target / "seed")
    return target
