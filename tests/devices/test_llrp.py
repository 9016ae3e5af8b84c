"""LLRP readers through sllurp: tag reports to scans; an unreachable reader is a status."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from tracer.devices.base import DeviceError, DeviceState, EpcDecoder
from tracer.devices.llrp import LlrpReader, tag_scan
from tracer.devices.registry import open_reader
from tracer.devices.sim.codes import demo_codes
from tracer.devices.sim.collector import Collector


def test_tag_report_becomes_a_scan_with_reader_time_antenna_rssi_and_count() -> None:
    epc = demo_codes(1, tags=1).epcs[0]
    seen = datetime(2026, 3, 2, 1, 30, 0, 250000, tzinfo=UTC)
    report = {
        "EPC-96": epc.hex().encode(),
        "AntennaID": 2,
        "PeakRSSI": -52,
        "TagSeenCount": 7,
        "LastSeenTimestampUTC": int(seen.timestamp() * 1e6),
    }
    scan = tag_scan(report, "llrp://10.0.0.5", EpcDecoder())
    assert scan is not None
    assert scan.identity == "urn:epc:id:sgtin:6923456.001001.100000"
    assert (scan.antenna, scan.rssi, scan.read_count) == (2, -52.0, 7)
    assert scan.time == seen and scan.time.tzinfo is not None
    old_style = {"EPC": epc.hex().encode(), "AntennaID": (1,), "PeakRSSI": (-60,)}
    scan = tag_scan(old_style, "llrp://10.0.0.5", EpcDecoder())
    assert scan is not None and (scan.antenna, scan.rssi, scan.read_count) == (1, -60.0, 1)
    assert tag_scan({"AntennaID": 1}, "llrp://x", EpcDecoder()) is None


def test_reports_are_emitted_through_the_callback() -> None:
    reader = LlrpReader("llrp://10.0.0.5", "10.0.0.5")
    got = Collector()
    reader._on_scan = got.scan  # as start() would set it, without dialling
    epcs = demo_codes(1, tags=3).epcs
    reader.on_tags(None, [{"EPC-96": e.hex().encode(), "AntennaID": 1} for e in epcs])
    assert [s.raw for s in got.scans] == list(epcs) and reader.status().frames == 3


def test_unreachable_reader_is_reported_and_retried(collector: Collector) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    reader = open_reader(f"llrp://127.0.0.1:{port}?retry=0.05&antennas=1,2&power=25")
    assert isinstance(reader, LlrpReader) and reader.config()["tx_power_dbm"] == 25.0
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(lambda: collector.states().count(DeviceState.RECONNECTING) >= 1)
    finally:
        reader.stop()
    status = next(s for s in collector.statuses if s.state is DeviceState.RECONNECTING)
    assert f"cannot reach the LLRP reader at 127.0.0.1:{port}" in status.message
    assert "5084" in status.fix


def test_uri_checks() -> None:
    with pytest.raises(DeviceError, match="no reader address"):
        open_reader("llrp://")
    with pytest.raises(DeviceError, match="antennas"):
        open_reader("llrp://10.0.0.5?antennas=a,b")
