"""A writer killed with SIGKILL loses none of the batches it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tracer.ledger import Ledger, verify

WRITER = r"""
import sys
from datetime import datetime, timedelta, timezone
from tracer.demo.build import canonical_stamp
from tracer.ledger import Ledger
from tracer.model import Action, Event, EventType

stamp = canonical_stamp()
t0 = datetime(2026, 5, 1, tzinfo=timezone(timedelta(hours=8)))
with Ledger.open(sys.argv[1]) as ledger:
    for b in range(100000):
        batch = [stamp(Event(event_type=EventType.OBJECT, event_time=t0 + timedelta(seconds=b),
                             action=Action.OBSERVE, biz_step="receiving",
                             epc_list=(f"urn:epc:id:sgtin:6923456.001003.B{b}N{i}",)))
                 for i in range(50)]
        ledger.append(batch)
        print(f"ack {b} {len(batch)}", flush=True)
"""


def test_sigkill_mid_stream_keeps_acknowledged_batches(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    acked: list[int] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(acked) < 15 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("ack"):
            acked.append(int(line.split()[1]))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # read whatever the pipe still held: those were acknowledged too
    acked += [int(x.split()[1]) for x in proc.stdout.read().splitlines() if x.startswith("ack")]
    assert len(acked) >= 15
    with Ledger.open(path) as ledger:
        epcs = {e.event.epc_list[0] for e in ledger.events()}
        for b in acked:
            for i in range(50):
                assert f"urn:epc:id:sgtin:6923456.001003.B{b}N{i}" in epcs
        # whole batches only: a torn batch would leave a count that is not a multiple of 50
        assert ledger.count() % 50 == 0
        assert verify(ledger.connection).ok
