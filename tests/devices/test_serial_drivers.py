"""Serial scanner and RDM6300 drivers against a pty playing the device, faults included."""

from __future__ import annotations

import errno

import pytest
import serial

from tracer.devices.base import DeviceError, DeviceState, ScanKind
from tracer.devices.rdm6300 import encode_frame
from tracer.devices.registry import open_reader, parse_uri
from tracer.devices.runtime import Backoff
from tracer.devices.serial_link import SerialSettings
from tracer.devices.serial_scanner import SerialScanner
from tracer.devices.sim.collector import Collector
from tracer.devices.sim.pty_port import PtyPort

FAST = "retry=0.05&timeout=0.1"
EAN = "]E06923456010017"
GS1_128 = "]C101069234560100171736010310L260105000"


def test_scanner_reads_gs1_codes_from_a_pty(pty_port: PtyPort, collector: Collector) -> None:
    reader = open_reader(f"serial://{pty_port.path}?suffix=CR&{FAST}")
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.CONNECTED)
        pty_port.write(f"{EAN}\r{GS1_128}\r".encode())
        collector.wait(lambda: len(collector.scans) == 2)
    finally:
        reader.stop()
    first, second = collector.scans
    assert first.identity == "urn:epc:idpat:sgtin:69234560.01001.*" and first.symbology == "EAN13"
    assert second.identity == "urn:epc:class:lgtin:69234560.01001.L260105000"
    assert second.kind is ScanKind.BARCODE and second.time.tzinfo is not None
    assert second.device.startswith("serial://")
    assert reader.status().state is DeviceState.STOPPED


def test_scanner_rejects_misread_code_with_reason(pty_port: PtyPort, collector: Collector) -> None:
    reader = open_reader(f"serial://{pty_port.path}?{FAST}")
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.CONNECTED)
        pty_port.write(b"]E06923456010018\r")
        collector.wait(lambda: len(collector.scans) == 1)
    finally:
        reader.stop()
    scan = collector.scans[0]
    assert not scan.ok and scan.identity is None
    assert "check digit (digit 13) is 8, expected 7" in (scan.error or "")


def test_unplug_and_replug_loses_no_frame_before_or_after(
    pty_port: PtyPort, collector: Collector
) -> None:
    reader = open_reader(f"serial://{pty_port.path}?{FAST}")
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.CONNECTED)
        pty_port.write(f"{EAN}\r".encode())
        collector.wait(lambda: collector.texts() == [EAN])
        mark = len(collector.statuses)
        pty_port.unplug()
        collector.wait_state(DeviceState.RECONNECTING, after=mark)
        pty_port.plug()
        collector.wait(
            lambda: (
                reader.status().reconnects == 1 and reader.status().state is DeviceState.CONNECTED
            )
        )
        pty_port.write(f"{GS1_128}\r".encode())
        collector.wait(lambda: collector.texts() == [EAN, GS1_128])
    finally:
        reader.stop()
    lost = [s for s in collector.statuses if s.state is DeviceState.RECONNECTING]
    assert "unplugged" in lost[0].message and "reconnects by itself" in lost[0].fix
    assert any(m.startswith("reconnected to") for m in collector.messages())


def test_half_frame_at_unplug_is_not_glued_to_the_next_code(
    pty_port: PtyPort, collector: Collector
) -> None:
    reader = open_reader(f"serial://{pty_port.path}?{FAST}")
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.CONNECTED)
        pty_port.write(b"]C1010692")
        collector.wait(lambda: True)
        pty_port.unplug()
        collector.wait_state(DeviceState.RECONNECTING)
        pty_port.plug()
        collector.wait(lambda: reader.status().reconnects == 1)
        pty_port.write(f"{EAN}\r".encode())
        collector.wait(lambda: len(collector.scans) == 1)
    finally:
        reader.stop()
    assert collector.texts() == [EAN]


def test_port_missing_at_start_then_appears(tmp_path, collector: Collector) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ttyLATE"
    reader = open_reader(f"serial://{path}?{FAST}")
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.RECONNECTING)
        assert "is not there (unplugged?)" in reader.status().message
        with PtyPort(tmp_path, name="ttyLATE") as port:
            collector.wait_state(DeviceState.CONNECTED)
            assert reader.status().reconnects == 0  # never lost, only late
            port.write(f"{EAN}\r".encode())
            collector.wait(lambda: collector.texts() == [EAN])
    finally:
        reader.stop()


def test_permission_denied_names_dialout_and_udev_rule(collector: Collector) -> None:
    attempts = []

    def opener() -> serial.SerialBase:
        attempts.append(1)
        raise serial.SerialException(
            errno.EACCES, "could not open port /dev/ttyUSB0: [Errno 13] Permission denied"
        )

    reader = SerialScanner(
        "serial:///dev/ttyUSB0",
        SerialSettings("/dev/ttyUSB0"),
        backoff=Backoff(0.01, limit=0.02),
        opener=opener,
    )
    reader.start(collector.scan, collector.status)
    try:
        collector.wait(lambda: len(attempts) >= 3)  # keeps retrying: the user may fix it meanwhile
    finally:
        reader.stop()
    unusable = [s for s in collector.statuses if s.state is DeviceState.UNUSABLE]
    assert unusable and unusable[0].message == "permission denied on /dev/ttyUSB0"
    assert (
        "dialout" in unusable[0].fix
        and "packaging/linux/99-tracer-readers.rules" in unusable[0].fix
    )
    assert len(unusable) == 1  # reported once, not once per retry


def test_port_busy_is_unusable_with_a_fix(collector: Collector) -> None:
    def opener() -> serial.SerialBase:
        raise serial.SerialException(errno.EBUSY, "could not open port: busy")

    reader = SerialScanner(
        "serial:///dev/ttyACM0",
        SerialSettings("/dev/ttyACM0"),
        backoff=Backoff(0.01),
        opener=opener,
    )
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.UNUSABLE)
    finally:
        reader.stop()
    unusable = [s for s in collector.statuses if s.state is DeviceState.UNUSABLE]
    assert unusable[0].message == "/dev/ttyACM0 is in use by another program"
    assert "close the other program" in unusable[0].fix


def test_pyserial_loop_url_works_as_a_port(collector: Collector) -> None:
    """Any pyserial URL is a port: loop:// echoes what is written into it."""
    loop = serial.serial_for_url("loop://", timeout=0.05)
    reader = SerialScanner("serial:loop", SerialSettings("loop://"), opener=lambda: loop)
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.CONNECTED)
        loop.write(b"garbage\xff\xfe\r" + f"{EAN}\r".encode())
        collector.wait(lambda: collector.texts() == [EAN])
    finally:
        reader.stop()
    assert reader.status().faults == 1 and "garbage" in collector.messages()[-2]


def test_rdm6300_cards_and_faults_from_a_pty(pty_port: PtyPort, collector: Collector) -> None:
    reader = open_reader(f"rdm6300://{pty_port.path}?{FAST}")
    reader.start(collector.scan, collector.status)
    try:
        collector.wait_state(DeviceState.CONNECTED)
        good = encode_frame("0A1B2C3D4E")
        pty_port.write(
            good + encode_frame("C37311D8A3", bad_checksum=True) + b"\x80\xf0\x11" + good[:5]
        )
        pty_port.write(encode_frame("A735BF992D"))
        collector.wait(lambda: len(collector.scans) == 2)
        collector.wait(lambda: reader.status().faults >= 3)
    finally:
        reader.stop()
    assert collector.texts() == ["0A1B2C3D4E", "A735BF992D"]
    assert collector.scans[0].identity == "urn:epc:raw:40.x0A1B2C3D4E"
    assert collector.scans[0].kind is ScanKind.EM4100
    assert any("bad checksum on card C37311D8A3" in m for m in collector.messages())


def test_uri_parsing_and_errors() -> None:
    uri = parse_uri("serial:///dev/ttyUSB0?baud=115200&suffix=CRLF")
    assert (uri.scheme, uri.path, uri.params["baud"]) == ("serial", "/dev/ttyUSB0", "115200")
    assert parse_uri("serial:///COM3").path == "COM3"
    assert parse_uri("llrp://10.0.0.5:5085").host == "10.0.0.5"
    assert parse_uri("llrp://10.0.0.5:5085").port == 5085
    assert parse_uri("/tmp/line.mp4").scheme == "camera"
    assert parse_uri("camera://0").path == "0"
    with pytest.raises(DeviceError, match="unknown device type 'usb'"):
        parse_uri("usb://x")
    with pytest.raises(DeviceError, match="unknown parameter"):
        open_reader("serial:///dev/ttyUSB0?baudrate=9600")
    with pytest.raises(DeviceError, match="not a number"):
        open_reader("serial:///dev/ttyUSB0?baud=fast")
    with pytest.raises(DeviceError, match="parity"):
        open_reader("rdm6300:///dev/ttyUSB0?parity=X")
    with pytest.raises(DeviceError, match="no serial port"):
        open_reader("rdm6300:")
