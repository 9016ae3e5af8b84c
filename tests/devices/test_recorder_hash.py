"""The recorder's eventIDs through the fast hash path equal the reference ones.

Reference (before the fast path): the event with the scan's full read time,
hashed as the ledger's JSON of it (`tracer.ledger.codec.event_to_epcis`,
eventTime to the millisecond). Every stored document must hash to its eventID.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracer.demo.chain import build_chain
from tracer.devices.base import EpcDecoder, Scan, barcode_scan
from tracer.devices.recorder import RECORDED, Recorder
from tracer.devices.sim.codes import demo_codes
from tracer.devices.stations import resolve_station
from tracer.epcis.event_hash import event_hash
from tracer.ledger import Ledger, masterdata
from tracer.ledger.codec import event_to_epcis
from tracer.model import Station

CST = timezone(timedelta(hours=8))
GS1_128 = "]C101069234560100171736010310L260105000"
DATAMATRIX = "]d2010692345601001721L26010500000069\x1d10L260105000"


@pytest.fixture()
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "hash.sqlite") as ledger:
        masterdata.upsert(ledger, build_chain(1).locations())
        yield ledger


def _stations(ledger: Ledger) -> list[Station]:
    chain = build_chain(1)
    factory, dc = chain.factories[0].gln, chain.warehouses[0].gln
    return [
        resolve_station(ledger, "line-1", location=factory, biz_step="commissioning"),
        resolve_station(
            ledger, "qc-1", location=factory, biz_step="inspecting", disposition="conformant"
        ),
        Station("dock-1", factory, "shipping", "in_transit", dc),
    ]


def _scans() -> list[Scan]:
    out = []
    decoder = EpcDecoder()
    base = datetime(2026, 3, 2, 9, 30, tzinfo=CST)
    codes = demo_codes(1, tags=12)
    micros = [0, 1, 499, 500, 999, 1000, 123_456, 999_499, 999_500, 999_999]
    for i, us in enumerate(micros):
        t = base + timedelta(seconds=i, microseconds=us)
        out.append(barcode_scan(GS1_128, "serial:///dev/ttyACM0", time=t))
        out.append(barcode_scan(DATAMATRIX, "serial:///dev/ttyACM0", time=t))
        out.append(decoder.scan(codes.epcs[i], "uhf-chafon:///dev/ttyUSB0", t.astimezone(UTC)))
        out.append(barcode_scan(codes.barcodes[i], "hid:wedge", time=t))
    return out


def test_event_ids_equal_the_reference_and_stored_documents(ledger: Ledger) -> None:
    scans = _scans()
    for station in _stations(ledger):
        recorder = Recorder(ledger, station, operator="王芳")
        for scan in scans:
            assert scan.ok, scan.error
            e = recorder.event_for(scan)
            reference = replace(e, event_time=scan.time, event_id=None)
            assert e.event_id == event_hash(event_to_epcis(reference, with_id=False))
            assert e.event_time_zone_offset == reference.event_time_zone_offset
        result = Recorder(ledger, station, window=0).record(scans)
        recorded = [o for o in result.outcomes if o.status == RECORDED]
        assert recorded
        for o in recorded:
            stored = ledger.connection.execute(
                "SELECT event_id, doc FROM events WHERE seq = ?", (o.seq,)
            ).fetchone()
            assert stored[0] == o.event_id
            assert event_hash(json.loads(stored[1])) == o.event_id
