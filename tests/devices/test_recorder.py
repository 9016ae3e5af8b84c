"""Scan → event → ledger: station settings, batching, de-duplication, rejects, acknowledgement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracer.demo.build import canonical_stamp
from tracer.demo.chain import build_chain
from tracer.devices.base import EpcDecoder, Scan, barcode_scan
from tracer.devices.recorder import (
    DUPLICATE,
    RECORDED,
    REJECTED,
    Recorder,
    RecordResult,
    ScanWriter,
)
from tracer.devices.scan_queue import ScanQueue
from tracer.devices.sim.codes import demo_codes
from tracer.devices.stations import resolve_station
from tracer.errors import TracerError
from tracer.ledger import EventQuery, Ledger, masterdata
from tracer.model import Action, Link

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CST)
GS1_128 = "]C101069234560100171736010310L260105000"
DATAMATRIX = "]d2010692345601001721L26010500000069\x1d10L260105000"


@pytest.fixture()
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    chain = build_chain(1)
    with Ledger.open(tmp_path / "station.sqlite") as ledger:
        masterdata.upsert(ledger, chain.locations())
        yield ledger


@pytest.fixture()
def factory() -> str:
    return build_chain(1).factories[0].gln


def scan_at(text: str, seconds: float, device: str = "serial:///dev/ttyACM0") -> Scan:
    return barcode_scan(text, device, time=T0 + timedelta(seconds=seconds))


def test_observe_event_carries_station_operator_device_and_read_time(
    ledger: Ledger, factory: str
) -> None:
    station = resolve_station(
        ledger, "qc-1", location=factory, biz_step="inspecting", disposition="conformant"
    )
    result = Recorder(ledger, station, operator="王芳").record([scan_at(GS1_128, 0)])
    (outcome,) = result.outcomes
    assert outcome.status == RECORDED and result.append.added == (outcome.seq,)
    stored = ledger.get(outcome.seq or 0)
    assert stored is not None
    e = stored.event
    assert (e.action, e.biz_step, e.disposition) == (Action.OBSERVE, "inspecting", "conformant")
    assert e.read_point == e.biz_location == f"urn:epc:id:sgln:{factory[:7]}.{factory[7:12]}.0"
    assert (
        e.epc_list == ()
        and e.quantity_list[0].epc_class == "urn:epc:class:lgtin:69234560.01001.L260105000"
    )
    assert e.quantity_list[0].quantity == 1
    assert (e.operator, e.station, e.device) == ("王芳", "qc-1", "serial:///dev/ttyACM0")
    assert e.event_time == T0 and e.event_time_zone_offset == "+08:00"
    assert e.event_id == outcome.event_id and ledger.has_event(outcome.event_id or "")
    assert e.event_id == canonical_stamp()(replace(e, event_id=None)).event_id


def test_commissioning_station_adds_with_lot_ilmd(ledger: Ledger, factory: str) -> None:
    station = resolve_station(
        ledger, "line-1", location=factory, biz_step="commissioning", disposition="active"
    )
    result = Recorder(ledger, station).record([scan_at(DATAMATRIX, 0)])
    e = ledger.get(result.outcomes[0].seq or 0).event  # type: ignore[union-attr]
    assert e.action is Action.ADD and e.epc_list == (
        "urn:epc:id:sgtin:69234560.01001.L26010500000069",
    )
    assert e.lot_number == "L260105000"
    rows = ledger.connection.execute("SELECT epc, lot_class FROM item_lots").fetchall()
    assert rows == [
        (
            "urn:epc:id:sgtin:69234560.01001.L26010500000069",
            "urn:epc:class:lgtin:69234560.01001.L260105000",
        )
    ]


def test_shipping_station_names_source_and_destination(ledger: Ledger) -> None:
    chain = build_chain(1)
    factory, dc = chain.factories[0], chain.warehouses[0]
    station = resolve_station(
        ledger,
        "dock-1",
        location=factory.gln,
        biz_step="shipping",
        disposition="in_transit",
        destination=dc.gln,
    )
    result = Recorder(ledger, station).record([scan_at("]C100069234560005195016", 0)])
    e = ledger.get(result.outcomes[0].seq or 0).event  # type: ignore[union-attr]
    assert e.biz_location is None and e.epc_list == ("urn:epc:id:sscc:69234560.000519501",)
    assert (
        Link("location", dc.sgln) in e.destinations
        and Link("owning_party", dc.party_gln or "") in e.destinations
    )
    assert Link("location", factory.sgln) in e.sources
    found = list(ledger.events(EventQuery(epc="urn:epc:id:sscc:69234560.000519501")))
    assert [s.seq for s in found] == [result.outcomes[0].seq]


def test_malformed_code_is_rejected_with_its_reason_and_not_written(ledger: Ledger) -> None:
    recorder = Recorder(ledger, resolve_station(ledger, "qc-2"))
    result = recorder.record([scan_at("]E06923456010018", 0), scan_at("]E06923456010017", 0.1)])
    assert [o.status for o in result.outcomes] == [REJECTED, RECORDED]
    assert "check digit (digit 13) is 8, expected 7" in (result.outcomes[0].reason or "")
    assert ledger.count() == 1


def test_repeats_within_the_window_are_counted_not_recorded(ledger: Ledger) -> None:
    recorder = Recorder(ledger, resolve_station(ledger, "portal"), window=2.0)
    epc = demo_codes(1, tags=1).epcs[0]
    decoder = EpcDecoder()

    def read(seconds: float, rssi: int) -> Scan:
        return decoder.scan(
            epc, "uhf-chafon:///dev/ttyUSB0", T0 + timedelta(seconds=seconds), antenna=1, rssi=rssi
        )

    first = recorder.record([read(0, 90), read(0.05, 97), read(0.1, 93)])
    assert [o.status for o in first.outcomes] == [RECORDED, DUPLICATE, DUPLICATE]
    assert first.outcomes[-1].read_count == 3 and first.outcomes[-1].best_rssi == 97
    later = recorder.record([read(1.9, 80)])
    assert later.outcomes[0].status == DUPLICATE and later.outcomes[0].read_count == 4
    again = recorder.record([read(2.0, 85)])
    assert again.outcomes[0].status == RECORDED and again.outcomes[0].read_count == 1
    times = [s.event.event_time for s in ledger.events()]
    assert times == [T0, T0 + timedelta(seconds=2)]


def test_a_burst_is_one_transaction_with_per_scan_times(ledger: Ledger) -> None:
    recorder = Recorder(ledger, resolve_station(ledger, "portal"))
    decoder = EpcDecoder()
    epcs = demo_codes(1, tags=300).epcs
    scans = [
        decoder.scan(epc, "llrp://reader", T0 + timedelta(milliseconds=i))
        for i, epc in enumerate(epcs)
    ]
    result = recorder.record(scans)
    assert result.append.count == 300 and list(result.append.added) == list(range(1, 301))
    assert [s.event.event_time for s in ledger.events()] == [s.time for s in scans]
    assert {o.durable_at for o in result.outcomes} and all(
        o.status == RECORDED for o in result.outcomes
    )


def test_same_event_already_in_ledger_is_reported_not_doubled(ledger: Ledger) -> None:
    station = resolve_station(ledger, "qc-1")
    Recorder(ledger, station).record([scan_at(GS1_128, 0)])
    result = Recorder(ledger, station).record(
        [scan_at(GS1_128, 0)]
    )  # a second station process, same read
    assert (
        result.outcomes[0].status == DUPLICATE
        and result.outcomes[0].reason == "already in the ledger"
    )
    assert ledger.count() == 1


def test_failed_write_is_reported_and_the_scan_can_be_retried(
    ledger: Ledger, tmp_path: Path
) -> None:
    station = resolve_station(ledger, "qc-1")
    readonly = Ledger.open(ledger.path, readonly=True)
    queue = ScanQueue()
    errors: list[str] = []
    results: list[RecordResult] = []
    writer = ScanWriter(Recorder(readonly, station), queue, on_result=results.append,
                        on_error=lambda scans, exc: errors.append(f"{len(scans)}: {exc}"))  # fmt: skip
    writer.start()
    queue.put(scan_at(GS1_128, 0))
    writer.stop()
    readonly.close()
    assert results == [] and errors and "read-only" in errors[0]
    assert writer.recorder.dedup.seen(scan_at(GS1_128, 0).key) is None
    assert ledger.count() == 0


def test_station_settings_are_stored_and_reused_by_name(ledger: Ledger, factory: str) -> None:
    first = resolve_station(
        ledger, "dock-9", location=factory, biz_step="urn:epcglobal:cbv:bizstep:shipping"
    )
    assert first.biz_step == "shipping"
    again = resolve_station(ledger, "dock-9", disposition="in_transit")
    assert again == replace(first, disposition="in_transit")
    assert masterdata.station(ledger, "dock-9") == again
    with pytest.raises(TracerError, match=r"not a CBV bizStep; e\.g\. shipping"):
        resolve_station(ledger, "dock-9", biz_step="shiping")
    with pytest.raises(TracerError, match="not a GLN"):
        resolve_station(ledger, "dock-9", location=factory[:-1] + str((int(factory[-1]) + 1) % 10))


def test_writer_cuts_a_burst_after_its_first_slice_of_new_codes(ledger: Ledger) -> None:
    recorder = Recorder(ledger, resolve_station(ledger, "portal"), window=5)
    decoder = EpcDecoder()
    epcs = demo_codes(1, tags=10).epcs
    scans = [decoder.scan(epc, "u", T0 + timedelta(milliseconds=i)) for i, epc in enumerate(epcs)]
    repeats = [decoder.scan(epc, "u", T0 + timedelta(seconds=1)) for epc in epcs]
    writer = ScanWriter(recorder, ScanQueue(), on_result=lambda r: None, slice_size=4)
    parts = writer._slices(scans + repeats)
    assert [len(p) for p in parts] == [4, 16]  # 4 new; the 6 other new + the 10 repeats
    results: list[RecordResult] = []
    writer = ScanWriter(recorder, ScanQueue(), on_result=results.append, slice_size=4)
    for part in writer._slices(scans + repeats):
        writer._write(part)
    assert [r.append.count for r in results] == [4, 6] and ledger.count() == 10
    few = ScanWriter(recorder, ScanQueue(), on_result=lambda r: None, slice_size=10)
    assert few._slices(scans + repeats) == [scans + repeats]  # no more new codes than a slice
