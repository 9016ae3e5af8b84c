"""The recorder's eventIDs through the fast hash path equal the reference ones.

Reference (before the fast path): the event with the scan's full read time,
hashed as the ledger's JSON of it (`tracer.ledger.codec.event_to_epcis`,
eventTime to the millisecond). Every stored document must hash to its eventID.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from tracer.devices.base import EpcDecoder, Scan, barcode_scan
from tracer.devices.recorder import RECORDED, Recorder
from tracer.devices.sim.codes import demo_codes
from tracer.epcis.event_hash import event_hash
from tracer.ledger import Ledger
from tracer.ledger.codec import event_to_epcis
from tracer.model import Station

CST = timezone(timedelta(hours=8))
GS1_128 = "]C101069234560100171736010310L260105000"
DATAMATRIX = "]d2010692345601001721L26010500000069\x1d10L260105000"


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


def test_event_ids_equal_the_reference_and_stored_documents(
    chain_ledger: Ledger, chain_stations: list[Station]
) -> None:
    ledger = chain_ledger
    scans = _scans()
    for station in chain_stations:
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
