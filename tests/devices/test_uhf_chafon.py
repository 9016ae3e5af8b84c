"""Chafon / CF-RU5xxx protocol (vectors captured from real readers) and the driver on a pty."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer.devices import chafon_protocol as proto
from tracer.devices.base import DeviceError, DeviceState, ScanKind
from tracer.devices.framing import FrameFault
from tracer.devices.registry import open_reader
from tracer.devices.sim.codes import demo_codes
from tracer.devices.sim.collector import Collector
from tracer.devices.sim.pty_port import PtyPort
from tracer.devices.sim.uhf import ChafonSimulator
from tracer.devices.uhf_chafon import ChafonReader

# Reader answers quoted in the chafon-rfid tests (github.com/wabson/chafon-rfid, MIT)
R18_ONE_TAG = "13000103010c0000000000000000000003133f39"
R288_ONE_TAG_ANT3 = "1500010304010c49440000000000000a0003346425c0"
R288_TWO_TAGS = "2300010301020c0000000000000000000003136b0c0000000000000000000003146c70f2"
R288_NO_TAG = "0700010101001e4b"


def test_crc16_matches_published_frames() -> None:
    assert proto.command(proto.CMD_READER_INFO) == bytes.fromhex(
        "04ff211995"
    )  # sudonull.com CF-RU5109
    for frame in (R18_ONE_TAG, R288_ONE_TAG_ANT3, R288_TWO_TAGS, R288_NO_TAG):
        raw = bytes.fromhex(frame)
        assert proto.crc16(raw[:-2]) == raw[-2] | raw[-1] << 8


def _crc16_bitwise(data: bytes) -> int:
    """The manual's algorithm, bit by bit: the reference for the fast one."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


@given(st.binary(max_size=300))
def test_crc16_agrees_with_the_manuals_bitwise_algorithm(data: bytes) -> None:
    assert proto.crc16(data) == _crc16_bitwise(data)
    assert proto.crc16(bytearray(data)) == _crc16_bitwise(data)


def test_inventory_command_288_layout() -> None:
    frame = proto.inventory_command("288", antenna=1, scan_time=0x14, q=15)
    assert frame[:3] == bytes((13, 0xFF, 0x01)) and frame[3:-2] == bytes.fromhex(
        "0f0001000000008014"
    )
    assert proto.inventory_command("18") == proto.command(0x01)


def parse(hex_frames: str) -> list[proto.Response | FrameFault]:
    return proto.ResponseParser().feed(bytes.fromhex(hex_frames), 0.0)


def test_parse_reader_answers() -> None:
    (r18,) = parse(R18_ONE_TAG)
    assert isinstance(r18, proto.Response) and r18.status == proto.STATUS_MORE
    assert r18.tags("18") == [proto.TagRead(bytes.fromhex("000000000000000000000313"), 1, None)]
    (ant3,) = parse(R288_ONE_TAG_ANT3)
    assert isinstance(ant3, proto.Response)
    assert ant3.tags("288") == [proto.TagRead(bytes.fromhex("49440000000000000a000334"), 3, 0x64)]
    (two,) = parse(R288_TWO_TAGS)
    assert isinstance(two, proto.Response)
    assert [(t.epc[-1], t.rssi) for t in two.tags("288")] == [(0x13, 0x6B), (0x14, 0x6C)]
    (none,) = parse(R288_NO_TAG)
    assert isinstance(none, proto.Response) and none.last and none.tags("288") == []


def test_answer_builder_round_trips() -> None:
    tags = [proto.TagRead(bytes([i]) * 12, 2, 100 + i) for i in range(40)]
    frames = proto.ResponseParser().feed(proto.inventory_answer("288", tags, per_frame=16), 0.0)
    assert [f.status for f in frames if isinstance(f, proto.Response)] == [3, 3, 1]
    got = [t for f in frames if isinstance(f, proto.Response) for t in f.tags("288")]
    assert got == tags


def test_parser_resyncs_after_garbage_and_bad_checksum() -> None:
    good = bytes.fromhex(R288_ONE_TAG_ANT3)
    bad = bytearray(good)
    bad[-1] ^= 0xFF
    parser = proto.ResponseParser()
    out = parser.feed(b"\x00\x99\xf1\x03" + bytes(bad) + good[:7], 0.0) + parser.feed(
        good[7:] + good, 0.01
    )
    responses = [o for o in out if isinstance(o, proto.Response)]
    faults = [o.message for o in out if isinstance(o, FrameFault)]
    assert len(responses) == 2
    assert any("garbage" in m for m in faults) and any("bad checksum" in m for m in faults)


def test_parser_drops_half_frame_after_silence() -> None:
    parser = proto.ResponseParser(frame_timeout=0.1)
    good = bytes.fromhex(R288_TWO_TAGS)
    assert parser.feed(good[:10], 0.0) == []
    assert "half a reader frame" in parser.idle(0.5)[0].message
    assert len(parser.feed(good, 0.6)) == 1


def test_settings_are_checked() -> None:
    with pytest.raises(DeviceError, match="outside 0…30"):
        open_reader("uhf-chafon:///dev/ttyUSB0?power=33")
    with pytest.raises(DeviceError, match="model"):
        open_reader("uhf-chafon:///dev/ttyUSB0?model=99")
    with pytest.raises(DeviceError, match="antenna"):
        open_reader("uhf-chafon:///dev/ttyUSB0?model=18&antenna=2")
    reader = open_reader("uhf-chafon:///dev/ttyUSB0?power=26&antenna=2&baud=115200")
    assert isinstance(reader, ChafonReader)
    assert (reader.power, reader.antenna, reader.settings.baudrate) == (26, 2, 115200)


@pytest.fixture()
def field() -> list[proto.TagRead]:
    epcs = demo_codes(1, tags=40).epcs
    return [proto.TagRead(epc, 1 + i % 2, 90 + i % 30) for i, epc in enumerate(epcs)]


def run_sim(sim: ChafonSimulator) -> Iterator[threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=sim.run, args=(stop,), daemon=True)
    thread.start()
    yield stop
    stop.set()
    thread.join(2)


@pytest.mark.parametrize("model", ["288", "18"])
def test_driver_reads_every_tag_in_the_field(
    pty_port: PtyPort, collector: Collector, field: list[proto.TagRead], model: str
) -> None:
    sim = ChafonSimulator(pty_port, model=model, field=field, max_rounds_per_second=50)
    reader = open_reader(
        f"uhf-chafon://{pty_port.path}?model={model}&retry=0.05"
        + ("&power=20" if model == "288" else "")
    )
    for _ in run_sim(sim):
        reader.start(collector.scan, collector.status)
        try:
            collector.wait(lambda: sim.rounds >= 3)
        finally:
            reader.stop()
    expected = {
        proto.TagRead(t.epc, t.antenna if model == "288" else 1, t.rssi if model == "288" else None)
        for t in field
    }
    got = {
        proto.TagRead(s.raw, s.antenna, None if s.rssi is None else int(s.rssi))
        for s in collector.scans
    }
    assert got == expected
    first = collector.scans[0]
    assert first.kind is ScanKind.EPC and first.identity == "urn:epc:id:sgtin:6923456.001001.100000"
    assert first.symbology == "sgtin-96"
    assert sim.power == (20 if model == "288" else None)


def test_driver_survives_every_fault(
    pty_port: PtyPort, collector: Collector, field: list[proto.TagRead]
) -> None:
    sim = ChafonSimulator(
        pty_port, field=field[:5], faults=("garbage", "badsum", "half", "unplug"), unplug_time=0.2,
        max_rounds_per_second=100,
    )  # fmt: skip
    reader = open_reader(f"uhf-chafon://{pty_port.path}?retry=0.05&timeout=0.1")
    for _ in run_sim(sim):
        reader.start(collector.scan, collector.status)
        try:
            collector.wait(lambda: sim.rounds >= 25, timeout=15)
        finally:
            reader.stop()
    # every round the simulator completed was read in full
    per_epc = {t.epc: 0 for t in field[:5]}
    for scan in collector.scans:
        per_epc[scan.raw] += 1
    assert set(per_epc.values()) and min(per_epc.values()) >= sim.rounds - 1
    messages = " | ".join(collector.messages())
    assert (
        "garbage" in messages and "bad checksum" in messages and "half a reader frame" in messages
    )
    assert "unplugged" in messages and reader.status().reconnects >= 2


def test_silent_reader_is_reported_unusable_then_recovers(
    pty_port: PtyPort, collector: Collector, field: list[proto.TagRead]
) -> None:
    sim = ChafonSimulator(pty_port, field=field[:2], max_rounds_per_second=100)
    sim.answer = False
    reader = ChafonReader(
        f"uhf-chafon://{pty_port.path}",
        open_reader(f"uhf-chafon://{pty_port.path}").settings,  # type: ignore[attr-defined]
        scan_time=1,
        answer_timeout=0.05,
    )
    for _ in run_sim(sim):
        reader.start(collector.scan, collector.status)
        try:
            collector.wait_state(DeviceState.UNUSABLE)
            assert "does not answer" in reader.status().message and "baud" in reader.status().fix
            sim.answer = True
            collector.wait(lambda: len(collector.scans) >= 2)
            collector.wait(lambda: reader.status().state is DeviceState.CONNECTED)
        finally:
            reader.stop()
