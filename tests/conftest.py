"""Shared fixtures: small realistic ledgers built by the demo generator."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.fail(f"reference data missing: expected ../shared/data beside the repo at {path}")
    return path


@pytest.fixture(scope="session")
def demo_ledger_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-event demo ledger built once per session (copy it before writing)."""
    from tracer.demo.build import build_demo
    from tracer.ledger import Ledger

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Ledger.open(path) as ledger:
        build_demo(ledger, seed=7, events=3000)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture()
def demo_ledger_path(demo_ledger_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo ledger, safe to write to."""
    path = tmp_path / "ledger.sqlite"
    shutil.copy(demo_ledger_template, path)
    return path


@pytest.fixture()
def demo_ledger(demo_ledger_path: Path) -> Iterator[object]:
    from tracer.ledger import Ledger

    with Ledger.open(demo_ledger_path) as ledger:
        yield ledger
