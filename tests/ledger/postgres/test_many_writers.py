"""Many stations on one PostgreSQL ledger: concurrent writers, a killed writer, an outage."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tracer.demo.build import canonical_stamp
from tracer.errors import LedgerError
from tracer.ledger import Ledger
from tracer.ledger.postgres import PgLedger
from tracer.ledger.postgres.sync import sync
from tracer.model import Action, Event, EventType

WRITER = Path(__file__).with_name("pg_writer.py")
WRITERS = 8
BATCHES = 5
SIZE = 30
VICTIM = 3  # this writer is killed with SIGKILL mid-stream


def _start(url: str, writer: int, batches: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, str(writer), str(batches), str(SIZE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_eight_writers_one_killed_every_acknowledged_event_once(pg_url: str) -> None:
    PgLedger.open(pg_url).close()
    acks: dict[int, list[int]] = {w: [] for w in range(WRITERS)}
    victim_acked = threading.Event()

    def read_acks(w: int, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.fullmatch(r"ack (\d+) (\d+)\s*", line)
            if m:
                acks[w].append(int(m[2]))
                if w == VICTIM and len(acks[w]) >= 3:
                    victim_acked.set()

    procs = {w: _start(pg_url, w, 10_000 if w == VICTIM else BATCHES) for w in range(WRITERS)}
    readers = [threading.Thread(target=read_acks, args=(w, p)) for w, p in procs.items()]
    for t in readers:
        t.start()
    assert victim_acked.wait(120), procs[VICTIM].stderr.read() if procs[VICTIM].stderr else ""
    procs[VICTIM].send_signal(signal.SIGKILL)  # mid-stream: it is appending in a loop
    for w, p in procs.items():
        p.wait(timeout=120)
        if w != VICTIM:
            assert p.returncode == 0, p.stderr.read() if p.stderr else ""
    for t in readers:
        t.join(timeout=30)
    assert procs[VICTIM].returncode == -signal.SIGKILL
    with PgLedger.open(pg_url, readonly=True) as ledger:
        report = ledger.verify()
        assert report.ok, report.problem
        rows = ledger.connection.execute("SELECT station, doc FROM events ORDER BY seq").fetchall()
        seqs = [r[0] for r in ledger.connection.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))  # one chain, no gaps
    batches = Counter(
        (int(st.split("-")[1]), int(re.search(r"W\d+B(\d+)N", doc)[1]))  # type: ignore[index]
        for st, doc in rows
    )
    assert all(n == SIZE for n in batches.values())  # whole batches only, nothing twice
    for w in range(WRITERS):
        present = {b for (writer, b) in batches if writer == w}
        assert set(acks[w]) <= present, w  # every acknowledged batch is there
        if w != VICTIM:
            assert present == set(range(BATCHES))
        else:  # at most the one batch in flight at the kill was committed unacknowledged
            assert len(present - set(acks[w])) <= 1
    assert len(rows) == sum(batches.values())


def _scan(n: int) -> Event:
    return canonical_stamp()(
        Event(
            event_type=EventType.OBJECT,
            event_time=datetime(2026, 7, 1, tzinfo=UTC) + timedelta(seconds=n),
            action=Action.OBSERVE,
            epc_list=(f"urn:epc:id:sgtin:6923456.001003.O{n:05d}",),
            biz_step="receiving",
            station="dock-1",
        )
    )


def test_sync_after_an_outage_sends_everything_exactly_once(
    pg_url: str, pg_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracer.cli import main

    PgLedger.open(pg_url).close()
    local_path = tmp_path / "station.sqlite"
    with Ledger.open(local_path) as local:
        local.append([_scan(i) for i in range(1, 21)])
        with PgLedger.open(pg_url) as shared:
            first = sync(local, shared)
        assert (first.sent, first.present) == (20, 0)
        kept = PgLedger.open(pg_url)  # a long-running station's connection
        # the server goes away; the station keeps recording
        outage_url = pg_url
        if pg_server.cluster_dir is not None:
            pg_server.halt()
        else:  # a server we may not stop: point at a port where nothing listens
            outage_url = re.sub(r":\d+/", ":1/", pg_url)
        try:
            for i in range(21, 61, 10):
                local.append([_scan(j) for j in range(i, i + 10)])  # scans never wait
            with pytest.raises(LedgerError, match="cannot reach the PostgreSQL server"):
                PgLedger.open(outage_url)
            if pg_server.cluster_dir is not None:
                with pytest.raises(LedgerError, match=r"cannot reach|PostgreSQL ledger"):
                    kept.append([_scan(999)])
            main_args = ["sync", "--ledger", str(local_path), "--to", outage_url]
            with pytest.raises(SystemExit) as failed:
                main(main_args)
            assert failed.value.code == 1
            assert "cannot reach" in capsys.readouterr().err
        finally:
            if pg_server.cluster_dir is not None:
                pg_server.resume()
        assert local.count() == 60
        # the open connection comes back by itself once the server is up
        assert kept.append([_scan(61)]).count == 1
        kept.close()
        local.append([_scan(61)])  # the station had it too: sync will find it there
    # back: sync sends exactly the 40 it lacks, then nothing
    main(["sync", "--ledger", str(local_path), "--to", pg_url, "--json"])
    out = capsys.readouterr().out
    assert '"sent": 40' in out and '"checked": 41' in out and '"present": 1' in out
    main(["sync", "--ledger", str(local_path), "--to", pg_url, "--full", "--json"])
    out = capsys.readouterr().out
    assert '"sent": 0' in out and '"present": 61' in out
    with psycopg.connect(pg_url) as conn:
        ids = [r[0] for r in conn.execute("SELECT event_id FROM events")]
    assert len(ids) == len(set(ids)) == 61
    with Ledger.open(local_path, readonly=True) as local:
        assert sorted(ids) == sorted(str(s.event.event_id) for s in local.events())
    with PgLedger.open(pg_url, readonly=True) as shared:
        assert shared.verify().ok


def test_sync_is_idempotent_across_stations(pg_url: str, tmp_path: Path) -> None:
    """Two laptops holding overlapping events: the server ends with each once."""
    with Ledger.open(tmp_path / "a.sqlite") as a, Ledger.open(tmp_path / "b.sqlite") as b:
        a.append([_scan(i) for i in range(1, 31)])
        b.append([_scan(i) for i in range(20, 51)])
        with PgLedger.open(pg_url) as shared:
            ra, rb = sync(a, shared), sync(b, shared)
            assert (ra.sent, rb.sent, rb.present) == (30, 20, 11)
            assert shared.count() == 50 and shared.verify().ok
