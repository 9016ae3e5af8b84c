"""`tracer devices list`, `tracer listen`, `tracer simulate`: scanners and readers from the shell."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import click

from tracer.cli.options import echo_json, json_option, ledger_option


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """Ctrl-C and SIGTERM set the event instead of killing the process mid-write."""
    stop = threading.Event()
    handlers = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(ValueError):  # not the main thread (e.g. under a test runner thread)
            handlers[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        yield stop
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _line(obj: dict[str, Any]) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))
    sys.stdout.flush()


@click.group("devices")
def devices() -> None:
    """Scanners, card and tag readers and cameras attached to this computer."""


@devices.command("list")
@json_option
def list_devices(as_json: bool) -> None:
    """Serial ports (with USB VID:PID and a guess of the driver) and cameras found.

    Use the URI shown with `tracer listen`; a USB-serial bridge (CH340,
    CP210x, FTDI, PL2303) can carry any reader, so check what is wired to it.
    """
    from tracer.devices.listing import cameras, serial_ports

    ports, cams = serial_ports(), cameras()
    if as_json:
        echo_json({"serial": [p.to_json() for p in ports], "cameras": [c.to_json() for c in cams]})
        return
    click.echo("Serial ports:" if ports else "Serial ports: none found")
    for p in ports:
        extra = ", ".join(x for x in (p.vid_pid, p.chip, p.manufacturer) if x)
        click.echo(f"  {p.port}  {p.description}" + (f"  [{extra}]" if extra else ""))
        if p.guess:
            click.echo(f"      likely: {p.guess}   e.g. tracer listen {p.uri_hint()}")
    click.echo("Cameras:" if cams else "Cameras: none found")
    for c in cams:
        click.echo(f"  {c.uri}  {c.width}×{c.height}")


@click.command("listen")
@click.argument("device_uri")
@ledger_option
@click.option("--station", required=True, help="Station name; its stored settings are reused.")
@click.option("--biz-step", help="CBV bizStep of the station (commissioning records ADD).")
@click.option("--disposition", help="CBV disposition, e.g. in_progress, in_transit.")
@click.option("--location", help="GLN of the station's location (readPoint / bizLocation).")
@click.option("--destination", help="GLN the goods are shipped to (destinationList).")
@click.option("--operator", help="Who is scanning; recorded on every event.")
@click.option(
    "--window",
    default=2.0,
    show_default=True,
    help="Seconds in which a repeat of a code is one scan.",
)
@click.option("--count", type=int, help="Stop after this many recorded scans.")
def listen(
    device_uri: str,
    ledger_path: str,
    station: str,
    biz_step: str | None,
    disposition: str | None,
    location: str | None,
    destination: str | None,
    operator: str | None,
    window: float,
    count: int | None,
) -> None:
    """Record every scan from DEVICE_URI as an EPCIS event, one JSON line per durable scan.

    DEVICE_URI: serial:///dev/ttyACM0?suffix=CR, rdm6300:///dev/ttyUSB0,
    uhf-chafon:///dev/ttyUSB0?power=26, llrp://HOST, camera://0 or a video
    file. A line is printed only after its event is committed to the ledger.
    Rejected codes, repeats and device problems go to stderr. Ctrl-C or
    SIGTERM stops cleanly: what was read is written, then the ledger closes.
    """
    from tracer.devices.recorder import Recorder, RecordResult, ScanWriter
    from tracer.devices.registry import open_reader
    from tracer.devices.scan_queue import ScanQueue
    from tracer.devices.stations import resolve_station
    from tracer.devices.wedge import WedgeReader
    from tracer.errors import TracerError
    from tracer.ledger.backend import open_ledger

    reader = open_reader(device_uri)
    if isinstance(reader, WedgeReader):
        raise TracerError(
            "a keyboard-wedge scanner types into the tracer window; use the app for it"
        )
    totals = {"recorded": 0, "duplicate": 0, "rejected": 0, "failed": 0}
    with _stop_on_signals() as stop, open_ledger(ledger_path) as ledger:
        settings = resolve_station(
            ledger, station, location=location, biz_step=biz_step, disposition=disposition,
            destination=destination, device=device_uri,
        )  # fmt: skip
        queue = ScanQueue()

        def on_result(result: RecordResult) -> None:
            for outcome in result.outcomes:
                totals[outcome.status] += 1
                if outcome.status == "recorded":
                    _line(outcome.to_json())
                elif outcome.status == "rejected":
                    click.echo(f"rejected {outcome.scan.text!r}: {outcome.reason}", err=True)
            if count is not None and totals["recorded"] >= count:
                stop.set()

        def on_error(scans: list[Any], exc: Exception) -> None:
            totals["failed"] += len(scans)
            click.echo(f"NOT recorded ({len(scans)} scans): {exc}", err=True)

        def on_status(status: Any) -> None:
            fix = f" — {status.fix}" if status.fix else ""
            click.echo(f"{status.device}: {status.state.value}: {status.message}{fix}", err=True)

        writer = ScanWriter(
            Recorder(ledger, settings, operator=operator, window=window),
            queue, on_result=on_result, on_status=on_status, on_error=on_error,
        )  # fmt: skip
        writer.start()
        reader.start(queue.put, queue.put)
        try:
            while not stop.wait(0.2):
                pass
        finally:
            reader.stop()
            writer.stop()
    click.echo(
        f"{totals['recorded']} recorded, {totals['duplicate']} repeats, {totals['rejected']} rejected"
        + (f", {totals['failed']} NOT recorded" if totals["failed"] else ""),
        err=True,
    )
    if totals["failed"]:
        sys.exit(1)


@click.command("simulate")
@click.argument("kind", type=click.Choice(["scanner", "rdm6300", "uhf-chafon"]))
@click.option(
    "--rate",
    type=float,
    help="Codes per second (scanner, rdm6300; default 2) or inventory rounds per second (uhf-chafon; default 20).",
)
@click.option("--faults", default="", help="Comma-separated: garbage, half, badsum, unplug.")
@click.option("--count", type=int, help="Stop after this many codes (or inventory rounds).")
@click.option("--tags", default=20, show_default=True, help="Tags in the UHF reader's field.")
@click.option(
    "--model",
    type=click.Choice(["18", "288"]),
    default="288",
    show_default=True,
    help="UHF reader protocol variant.",
)
@click.option("--seed", default=1, show_default=True, help="Seed for the codes and the garbage.")
@click.option("--quiet", is_flag=True, help="Print only the device path and URI.")
def simulate(
    kind: str,
    rate: float | None,
    faults: str,
    count: int | None,
    tags: int,
    model: str,
    seed: int,
    quiet: bool,
) -> None:
    """Play a scanner, an RDM6300 card reader or a Chafon UHF reader on a pseudo-terminal.

    Prints the device path (a stable symlink that survives the simulated
    unplug) and a device URI for `tracer listen`, then one JSON line per
    code sent or fault injected. Codes come from the demo supply chain, so
    they parse. Stops after --count, on Ctrl-C or SIGTERM.
    """
    from tracer.devices.sim.runner import run_simulator
    from tracer.devices.sim.streams import check_faults
    from tracer.errors import TracerError

    try:
        fault_names = check_faults(tuple(f.strip() for f in faults.split(",") if f.strip()))
    except ValueError as exc:
        raise TracerError(str(exc)) from None

    def ready(path: Path, uri: str) -> None:
        _line({"path": str(path), "uri": uri})

    with _stop_on_signals() as stop:
        run_simulator(
            kind, stop, on_ready=ready, rate=rate, faults=fault_names, count=count, tags=tags,
            seed=seed, model=model, log=None if quiet else _line,
        )  # fmt: skip
