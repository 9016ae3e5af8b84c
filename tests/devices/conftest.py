"""Fixtures for driver tests: a pty that plays the device, a collector that waits (bounded),
and for recorder tests a ledger with the demo chain's locations and stations of each kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracer.demo.chain import build_chain
from tracer.devices.sim.collector import Collector
from tracer.devices.sim.pty_port import PtyPort
from tracer.devices.stations import resolve_station
from tracer.ledger import Ledger, masterdata
from tracer.model import Station


@pytest.fixture()
def collector() -> Collector:
    return Collector()


@pytest.fixture()
def pty_port(tmp_path: Path) -> Iterator[PtyPort]:
    port = PtyPort(tmp_path)
    yield port
    port.close()


@pytest.fixture()
def chain_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A new ledger holding the demo chain's locations (stations resolve against them)."""
    with Ledger.open(tmp_path / "stations.sqlite") as ledger:
        masterdata.upsert(ledger, build_chain(1).locations())
        yield ledger


@pytest.fixture()
def chain_stations(chain_ledger: Ledger) -> list[Station]:
    """A station of each kind an event shape depends on: commissioning (ADD),
    inspecting with a disposition, shipping with source/destination links."""
    chain = build_chain(1)
    factory, dc = chain.factories[0].gln, chain.warehouses[0].gln
    return [
        resolve_station(chain_ledger, "line-1", location=factory, biz_step="commissioning"),
        resolve_station(
            chain_ledger, "qc-1", location=factory, biz_step="inspecting", disposition="conformant"
        ),
        Station("dock-1", factory, "shipping", "in_transit", dc),
    ]
