"""Fixtures for driver tests: a pty that plays the device, a collector that waits (bounded)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracer.devices.sim.collector import Collector
from tracer.devices.sim.pty_port import PtyPort


@pytest.fixture()
def collector() -> Collector:
    return Collector()


@pytest.fixture()
def pty_port(tmp_path: Path) -> Iterator[PtyPort]:
    port = PtyPort(tmp_path)
    yield port
    port.close()
