"""`tracer simulate`: one simulated device on a pty until stopped or `count` reads are sent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tracer.devices import chafon_protocol as proto
from tracer.devices.sim.codes import demo_codes
from tracer.devices.sim.pty_port import PtyPort
from tracer.devices.sim.streams import Log, StreamSimulator
from tracer.devices.sim.uhf import ChafonSimulator

KINDS = ("scanner", "rdm6300", "uhf-chafon")
SCHEMES = {"scanner": "serial", "rdm6300": "rdm6300", "uhf-chafon": "uhf-chafon"}


def run_simulator(
    kind: str,
    stop: threading.Event,
    *,
    on_ready: Callable[[Path, str], None],
    rate: float | None = None,
    faults: tuple[str, ...] = (),
    count: int | None = None,
    tags: int = 20,
    seed: int = 1,
    model: str = "288",
    directory: Path | None = None,
    log: Log | None = None,
) -> None:
    """Create the pty, tell `on_ready(path, device_uri)`, talk until `stop` or `count`."""
    if kind not in KINDS:
        raise ValueError(f"no simulator for {kind!r}; choose {', '.join(KINDS)}")
    codes = demo_codes(seed, tags=tags)
    with PtyPort(directory) as port:
        uri = f"{SCHEMES[kind]}://{port.path}" + (f"?model={model}" if kind == "uhf-chafon" else "")
        on_ready(port.path, uri)
        if kind == "uhf-chafon":
            field = [
                proto.TagRead(epc, 1 + i % 2, 70 + (i * 7) % 40) for i, epc in enumerate(codes.epcs)
            ]
            ChafonSimulator(
                port,
                model=model,
                field=field,
                max_rounds_per_second=rate or 20.0,
                faults=faults,
                seed=seed,
                log=log,
            ).run(stop, count)
        else:
            StreamSimulator(
                kind, port, codes, rate=rate or 2.0, faults=faults, seed=seed, log=log
            ).run(stop, count)
