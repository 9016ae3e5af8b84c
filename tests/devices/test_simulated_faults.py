"""Every fault from the simulators, through the real drivers: no good frame lost, nothing crashes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import serial

from tracer.devices.base import DeviceState
from tracer.devices.registry import open_reader
from tracer.devices.scan_queue import ScanQueue
from tracer.devices.serial_link import SerialSettings
from tracer.devices.serial_scanner import SerialScanner
from tracer.devices.sim.codes import demo_codes
from tracer.devices.sim.collector import Collector
from tracer.devices.sim.pty_port import PtyPort
from tracer.devices.sim.streams import StreamSimulator


@pytest.mark.parametrize("kind,scheme", [("rdm6300", "rdm6300"), ("scanner", "serial")])
def test_every_good_frame_survives_all_faults(tmp_path: Path, kind: str, scheme: str) -> None:
    collector = Collector()
    with PtyPort(tmp_path) as port:
        reader = open_reader(f"{scheme}://{port.path}?retry=0.02&timeout=0.1")
        reconnects = iter(range(1, 100))

        def wait_reconnected() -> None:
            n = next(reconnects)
            collector.wait(
                lambda: (
                    reader.status().reconnects >= n
                    and reader.status().state is DeviceState.CONNECTED
                )
            )

        sim = StreamSimulator(
            kind, port, demo_codes(3), rate=200, faults=("garbage", "half", "badsum", "unplug"),
            half_pause=0.15, unplug_time=0.05, after_replug=wait_reconnected,
        )  # fmt: skip
        reader.start(collector.scan, collector.status)
        try:
            collector.wait_state(DeviceState.CONNECTED)
            report = sim.run(threading.Event(), count=34)
            collector.wait(lambda: len([s for s in collector.scans if s.ok]) >= len(report.sent))
        finally:
            reader.stop()
    good = [s.text for s in collector.scans if s.ok]
    assert good == report.sent and len(good) == 34
    assert {"garbage", "half", "badsum", "unplug", "replug"} <= set(report.faults)
    messages = " | ".join(collector.messages())
    assert "garbage" in messages and "half a" in messages and "unplugged" in messages
    if kind == "rdm6300":
        assert "bad checksum on card" in messages
    else:  # a scanner has no checksum: a misread check digit is a rejected scan with its reason
        assert any(s.error and "check digit" in s.error for s in collector.scans)
    assert reader.status().reconnects == 3


def test_many_devices_meet_in_one_queue(tmp_path: Path) -> None:
    queue = ScanQueue()
    with PtyPort(tmp_path, "ttyA") as a, PtyPort(tmp_path, "ttyB") as b:
        readers = [
            open_reader(f"serial://{a.path}?retry=0.02"),
            open_reader(f"rdm6300://{b.path}?retry=0.02"),
        ]
        for reader in readers:
            reader.start(queue.put, queue.put)
        got = Collector()
        try:
            got.wait(lambda: all(r.status().state is DeviceState.CONNECTED for r in readers))
            a.write(b"]E06923456010017\r")
            b.write(StreamSimulator("rdm6300", b, demo_codes(1)).frame("0A1B2C3D4E"))

            def drained() -> bool:
                for item in queue.get_batch(timeout=0.01):
                    (got.scan if hasattr(item, "kind") else got.status)(item)  # type: ignore[arg-type]
                return len(got.scans) == 2

            got.wait(drained)
        finally:
            for reader in readers:
                reader.stop()
    assert sorted(s.text for s in got.scans) == ["0A1B2C3D4E", "]E06923456010017"]
    assert {s.device for s in got.statuses} == {r.uri for r in readers}
    left = queue.get_batch(timeout=0.01)  # what stop() reported
    assert left and all(getattr(i, "state", None) is DeviceState.STOPPED for i in left)
    queue.close()
    assert queue.get_batch(timeout=0.01) == [] and queue.closed


def test_open_probes_without_reading(tmp_path: Path) -> None:
    with PtyPort(tmp_path) as port:
        status = open_reader(f"serial://{port.path}").open()
        assert status.state is DeviceState.CONNECTED and "can be opened" in status.message
    missing = open_reader(f"rdm6300://{tmp_path / 'gone'}").open()
    assert missing.state is DeviceState.RECONNECTING and "is not there" in missing.message

    def denied() -> serial.SerialBase:
        raise serial.SerialException(
            13, "could not open port /dev/ttyUSB0: [Errno 13] Permission denied"
        )

    status = SerialScanner(
        "serial:///dev/ttyUSB0", SerialSettings("/dev/ttyUSB0"), opener=denied
    ).open()
    assert status.state is DeviceState.UNUSABLE and "dialout" in status.fix
    assert open_reader("wedge:").open().state is DeviceState.CONNECTED
    assert open_reader("llrp://127.0.0.1:1").open().state is DeviceState.RECONNECTING
