"""The recorder's template rows for one-EPC scans equal the general path's, byte for byte.

General path: `prepare_event(recorder.event_for(scan))` (the typed event, its
hash, its JSON document, its row texts). Template path:
`recorder.prepared_for(scan)`, cut once from a probe scan per device and zone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tracer.demo.chain import build_chain
from tracer.devices.base import EpcDecoder, Scan, barcode_scan
from tracer.devices.observation_rows import ObservationTemplate
from tracer.devices.recorder import RECORDED, Recorder
from tracer.devices.sim.codes import demo_codes
from tracer.epcis.event_hash import event_hash
from tracer.ledger import Ledger
from tracer.ledger.rows import prepare_event
from tracer.ledger.verify import verify
from tracer.model import Station

ZONES = (UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30)))
DATAMATRIX = "]d2010692345601001721L26010500000069\x1d10L260105000"


def _scans(tags: int = 40) -> list[Scan]:
    decoder = EpcDecoder()
    epcs = demo_codes(1, tags=tags).epcs
    micros = [0, 1, 499, 500, 999, 1000, 123_456, 999_499, 999_500, 999_999]
    out = []
    for z, zone in enumerate(ZONES):
        base = datetime(2026, 3, 2, 23, 59, 58, tzinfo=zone)
        for i, epc in enumerate(epcs):
            t = base + timedelta(seconds=i // 7, microseconds=micros[i % len(micros)])
            device = ("uhf-chafon:///dev/ttyUSB0", 'llrp://10.0.0.7?"x"')[(i + z) % 2]
            out.append(decoder.scan(epc, device, t, antenna=1, rssi=60.0))
        out.append(barcode_scan(DATAMATRIX, "hid:wedge", time=base))  # SGTIN with a lot
    return out


PORTAL = Station("portal-1", build_chain(1).factories[0].gln, "shipping", "in_transit")


def test_template_rows_equal_the_general_rows(
    chain_ledger: Ledger, chain_stations: list[Station]
) -> None:
    ledger = chain_ledger
    scans = _scans()
    for station in [PORTAL, *chain_stations]:
        for operator in (None, '王芳 "QC"\\1'):
            recorder = Recorder(ledger, station, operator=operator)
            for scan in scans:
                assert recorder.prepared_for(scan) == prepare_event(recorder.event_for(scan))
            templates = recorder._templates or {}
            made = [t for t in templates.values() if t is not None]
            # every (device, zone) of EPC scans got one; the commissioning DataMatrix
            # scan carries its lot as ILMD and never asks for a template
            wedge = 0 if station.biz_step == "commissioning" else len(ZONES)
            assert len(made) == 2 * len(ZONES) + wedge


def test_template_is_refused_where_it_cannot_be_cut() -> None:
    station = Station("portal-1", "6923456000017", "shipping", "in_transit")
    recorder = Recorder(_NoMasterData(), station)  # type: ignore[arg-type]
    epc = demo_codes(1, tags=1).epcs[0]
    decoder = EpcDecoder()
    zoned = decoder.scan(epc, "d", datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    event = recorder.event_for(zoned)
    assert ObservationTemplate.from_probe(event, str(zoned.identity)) is None
    fixed = decoder.scan(epc, "d", datetime(2026, 3, 2, 9, 30, 0, 1234, tzinfo=UTC))
    event = recorder.event_for(fixed)
    assert ObservationTemplate.from_probe(event, "urn:epc:id:sgtin:other") is None
    template = ObservationTemplate.from_probe(event, str(fixed.identity))
    assert template is not None and template.prepared("", event.event_time) is None


def test_portal_burst_through_templates_is_stored_hashable_and_chained(
    chain_ledger: Ledger,
) -> None:
    ledger = chain_ledger
    scans = _scans(tags=120)
    per_zone = len(scans) // len(ZONES)
    batches = [scans[i : i + per_zone] for i in range(0, len(scans), per_zone)]
    recorder = Recorder(ledger, PORTAL, window=0)
    recorded = [o for batch in batches for o in recorder.record(batch).of(RECORDED)]
    assert len(recorded) == len(scans) == ledger.count()
    rows = dict(ledger.connection.execute("SELECT event_id, doc FROM events").fetchall())
    for o in recorded:
        assert o.event_id is not None and event_hash(json.loads(rows[o.event_id])) == o.event_id
    again = Recorder(ledger, PORTAL, window=0)
    skipped = [again.record(batch).append for batch in batches]
    assert [(a.count, a.skipped) for a in skipped] == [(0, per_zone)] * len(ZONES)
    assert verify(ledger.connection).ok


class _NoMasterData:
    """A stand-in ledger for a station without a destination (no master-data lookups)."""


def test_epc_decoder_loads_its_decoder_before_the_first_tag() -> None:
    from tracer.codes.epc import decode_epc, decode_epc_hex

    decoder = EpcDecoder()
    assert decoder.load() is decode_epc_hex and decoder.load() is decode_epc_hex
    scan = decoder.scan(demo_codes(1, tags=1).epcs[0], "d", datetime(2026, 3, 2, tzinfo=UTC))
    assert scan.identity == decode_epc(scan.text).uri
