"""`tracer devices list`, `tracer listen`, `tracer simulate` as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from click.testing import CliRunner

from tracer.cli import cli
from tracer.devices.rdm6300 import encode_frame
from tracer.devices.sim.pty_port import PtyPort
from tracer.errors import TracerError
from tracer.ledger import Ledger, masterdata

TRACER = [sys.executable, "-m", "tracer"]


def test_devices_list_json_has_ports_and_cameras() -> None:
    result = CliRunner().invoke(cli, ["devices", "list", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"serial", "cameras"}
    for port in data["serial"]:
        assert port["port"] and port["uri"].endswith(port["port"])


def test_listen_refuses_bad_uris_with_a_plain_message(tmp_path: Path) -> None:
    for uri, message in (
        ("usb://x", "unknown device type"),
        ("wedge:", "types into the tracer window"),
    ):
        result = CliRunner().invoke(
            cli, ["listen", uri, "--ledger", str(tmp_path / "l.sqlite"), "--station", "s"]
        )
        assert isinstance(result.exception, TracerError) and message in str(result.exception)


def test_simulate_rejects_unknown_faults() -> None:
    result = CliRunner().invoke(cli, ["simulate", "scanner", "--faults", "fire"])
    assert result.exit_code != 0 and "unknown fault(s) fire" in str(
        result.exception or result.output
    )


def test_listen_prints_durable_scans_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    ledger_path = tmp_path / "station.sqlite"
    cards = ["0A1B2C3D4E", "C37311D8A3", "A735BF992D"]
    with PtyPort(tmp_path) as port:
        proc = subprocess.Popen(
            [*TRACER, "listen", f"rdm6300://{port.path}?retry=0.05", "--ledger", str(ledger_path),
             "--station", "gate-1", "--biz-step", "receiving", "--operator", "李娜"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        lines: list[dict[str, object]] = []
        try:
            connected = _wait_for_line(proc.stderr, "connected")  # type: ignore[arg-type]
            assert connected
            for card in cards:
                port.write(encode_frame(card) * 3)  # a card lying on the reader repeats
                lines.append(json.loads(proc.stdout.readline()))  # type: ignore[union-attr]
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert "3 recorded, 6 repeats, 0 rejected" in err
    assert [line["text"] for line in lines] == cards and all(
        line["status"] == "recorded" for line in lines
    )
    with Ledger.open(ledger_path, readonly=True) as ledger:
        stored = [ledger.get(int(line["seq"])) for line in lines]  # type: ignore[call-overload]
        assert [s.event.event_id for s in stored if s] == [line["event_id"] for line in lines]
        assert {s.event.operator for s in stored if s} == {"李娜"}
        station = masterdata.station(ledger, "gate-1")
        assert station is not None and station.biz_step == "receiving"


def _wait_for_line(stream: object, needle: str, timeout: float = 30.0) -> bool:
    found = threading.Event()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            if needle in line:
                found.set()
                return

    threading.Thread(target=pump, daemon=True).start()
    return found.wait(timeout)


def test_simulate_then_listen_with_faults(tmp_path: Path) -> None:
    """The simulator command and the listener command meet on the pty path it prints."""
    sim = subprocess.Popen(
        [*TRACER, "simulate", "scanner", "--rate", "20", "--faults", "garbage,badsum,half", "--quiet"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        ready = json.loads(sim.stdout.readline())  # type: ignore[union-attr]
        assert Path(ready["path"]).is_symlink() and ready["uri"].startswith("serial://")
        run = subprocess.run(
            [*TRACER, "listen", ready["uri"], "--ledger", str(tmp_path / "l.sqlite"), "--station", "qc-1",
             "--count", "4", "--window", "0.01"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(10)
    assert run.returncode == 0, run.stderr
    recorded = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(recorded) >= 4 and all(r["identity"] for r in recorded)
    assert sim.returncode == 0
    assert not Path(ready["path"]).exists()  # the simulator cleans up its pty and link


def test_usb_ids_guess_the_driver() -> None:
    from tracer.devices.listing import SerialPortInfo, guess

    assert guess(0x1A86, 0x7523)[0] == "CH340" and "rdm6300" in (guess(0x1A86, 0x7523)[1] or "")
    assert guess(0x10C4, 0xEA60)[0] == "CP210x"
    assert guess(0x0C2E, 0x1234) == ("Honeywell / Metrologic scanner", "serial")
    assert guess(0xFFFF, 0x0001) == (None, None) and guess(None, None) == (None, None)
    port = SerialPortInfo(
        "/dev/ttyUSB0", "USB Serial", "1a86:7523", None, None, "CH340", guess(0x1A86, 0x7523)[1]
    )
    assert port.uri_hint() == "rdm6300:///dev/ttyUSB0"
    assert SerialPortInfo("COM3", "", None, None, None, None, None).uri_hint() == "serial:///COM3"
