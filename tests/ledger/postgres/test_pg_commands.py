"""The existing commands and `tracer serve`, pointed at a postgresql:// ledger."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from cli_run import run
from starlette.testclient import TestClient

from tracer.ledger.postgres import PgLedger
from tracer.server import create_app
from tracer.server.tokens import add_token


def test_demo_stats_verify_events_on_postgres(
    capsys: pytest.CaptureFixture[str], pg_url: str
) -> None:
    code, out, err = run(capsys, "demo", "--ledger", pg_url, "--events", "600", "--json")
    assert code == 0, err
    stats = json.loads(out)
    assert stats["events"] >= 600 and stats["locations"] >= 48
    assert stats["ledger"].startswith("postgresql://") and "tracer_test:" not in stats["ledger"]
    code, out, _ = run(capsys, "stats", "--ledger", pg_url)
    assert code == 0 and "ObjectEvent" in out
    code, out, _ = run(capsys, "verify", "--ledger", pg_url)
    assert code == 0 and "intact" in out
    code, out, _ = run(
        capsys, "events", "--ledger", pg_url, "--biz-step", "shipping", "--limit", "3", "--json"
    )
    lines = [json.loads(x) for x in out.splitlines()]
    assert len(lines) == 3 and all(e["bizStep"] == "shipping" for e in lines)
    code, _, err = run(capsys, "demo", "--ledger", pg_url)
    assert code == 1 and "already holds" in err
    # a row changed behind tracer's back: verify exits 3 naming it
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE events DISABLE TRIGGER USER")
        conn.execute("UPDATE events SET biz_step = 'x' WHERE seq = 7")
    code, _, err = run(capsys, "verify", "--ledger", pg_url)
    assert code == 3 and "row 7" in err


def test_serve_over_postgres(pg_url: str, shared_data: Any) -> None:
    with PgLedger.open(pg_url) as ledger:
        capture, _ = add_token(ledger, "capture")
    doc = json.loads(
        (shared_data / "epcis" / "JSON" / "Example_9.6.1-ObjectEvent.jsonld").read_text()
    )
    with TestClient(create_app(pg_url)) as client:
        h = {"Authorization": f"Bearer {capture}"}
        r = client.post("/capture", json=doc, headers=h)
        assert r.status_code == 202 and r.json()["tracer:added"] == 2
        assert client.post("/capture", json=doc, headers=h).json()["tracer:skipped"] == 2
        job = client.get(r.headers["Location"], headers=h).json()
        assert job["success"] is True
        r = client.get(
            "/events",
            params={"MATCH_epc": "urn:epc:id:sgtin:0614141.107346.*".replace("id:", "idpat:")},
            headers=h,
        )
        got = r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        assert len(got) == 2
        r = client.get("/events", params={"perPage": "1", "EQ_bizStep": "receiving"}, headers=h)
        assert len(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 1
        assert "Link" not in r.headers
    with PgLedger.open(pg_url, readonly=True) as ledger:
        assert ledger.count() == 2 and ledger.verify().ok


@pytest.mark.slow
def test_import_export_merge_on_postgres(
    capsys: pytest.CaptureFixture[str], pg_url: str, demo_ledger_path: Any, tmp_path: Any
) -> None:
    """A laptop's SQLite ledger merged into the server, exported, re-imported elsewhere."""
    code, out, err = run(capsys, "merge", str(demo_ledger_path), "--ledger", pg_url, "--json")
    assert code == 0, err
    merged = json.loads(out)
    with PgLedger.open(pg_url, readonly=True) as ledger:
        n = ledger.count()
        assert n >= 3000 and ledger.stats()["locations"] >= 48 and ledger.verify().ok
    assert run(capsys, "merge", str(demo_ledger_path), "--ledger", pg_url)[0] == 0
    with PgLedger.open(pg_url, readonly=True) as ledger:
        assert ledger.count() == n  # idempotent
    out_file = tmp_path / "all.jsonld"
    code, _, err = run(capsys, "export", "--ledger", pg_url, "--out", str(out_file))
    assert code == 0, err
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert len(doc["epcisBody"]["eventList"]) == n
    assert doc["epcisHeader"]["epcisMasterData"]["vocabularyList"]  # master data from the server
    # and an EPCIS document imports into the PostgreSQL ledger
    example = tmp_path / "example.jsonld"
    example.write_text(
        json.dumps(
            {
                "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-01-01T00:00:00Z",
                "epcisBody": {"eventList": doc["epcisBody"]["eventList"][:1]},
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", str(example), "--ledger", pg_url, "--json")
    assert code == 0, err
    assert '"skipped": 1' in out  # already there: same event hash
    assert merged


def test_listen_records_scans_into_postgres(pg_url: str, tmp_path: Any) -> None:
    """A station's reader writing straight into the shared ledger; each line is durable."""
    import os
    import signal
    import subprocess
    import sys

    from tracer.devices.rdm6300 import encode_frame
    from tracer.devices.sim.pty_port import PtyPort

    cards = ["0A1B2C3D4E", "C37311D8A3"]
    with PtyPort(tmp_path) as port:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracer", "listen", f"rdm6300://{port.path}?retry=0.05",
             "--ledger", pg_url, "--station", "gate-1", "--biz-step", "receiving"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        lines = []
        try:
            assert proc.stderr is not None and proc.stdout is not None
            for line in proc.stderr:
                if "connected" in line:
                    break
            for card in cards:
                port.write(encode_frame(card) * 2)
                lines.append(json.loads(proc.stdout.readline()))
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    with PgLedger.open(pg_url, readonly=True) as ledger:
        stored = [ledger.get(int(line["seq"])) for line in lines]
        assert [s.event.event_id for s in stored if s] == [line["event_id"] for line in lines]
        assert ledger.verify().ok


def test_trace_on_postgres_matches_sqlite(
    capsys: pytest.CaptureFixture[str], pg_url: str, tmp_path: Any
) -> None:
    """The same demo on both backends: `tracer trace` and GET /trace give the same graph."""
    lite = str(tmp_path / "demo.sqlite")
    for where in (lite, pg_url):
        assert run(capsys, "demo", "--ledger", where, "--events", "800", "--seed", "4")[0] == 0
    from tracer.ledger import Ledger

    with Ledger.open(lite, readonly=True) as ledger:
        starts = [
            f"{g}/{lot}"
            for g, lot in ledger.connection.execute(
                "SELECT gtin, lot FROM lots ORDER BY lot LIMIT 3"
            ).fetchall()
        ]
    graphs = []
    for where in (lite, pg_url):
        args = ["trace", "--ledger", where, "--format", "json"]
        for s in starts:
            args += ["--lot", s]
        code, out, err = run(capsys, *args)
        assert code == 0, err
        graphs.append(json.loads(out))
    for key in ("lots", "locations", "edges"):
        assert graphs[0][key] == graphs[1][key], key
    assert graphs[0]["locations"]
    with PgLedger.open(pg_url) as ledger:
        token, _ = add_token(ledger, "read")
    with TestClient(create_app(pg_url)) as client:
        r = client.get(
            "/trace", params={"start": starts[0]}, headers={"Authorization": f"Bearer {token}"}
        )
        assert r.status_code == 200, r.text
        assert r.json()["lots"] and r.json()["locations"]


def test_recall_campaign_on_postgres(capsys: pytest.CaptureFixture[str], pg_url: str) -> None:
    assert run(capsys, "demo", "--ledger", pg_url, "--events", "600", "--seed", "4")[0] == 0
    with PgLedger.open(pg_url, readonly=True) as ledger:
        g, lot = ledger.connection.execute(
            "SELECT gtin, lot FROM lots ORDER BY lot LIMIT 1 OFFSET 2"
        ).fetchone()
    code, out, err = run(
        capsys, "recall", "open", "--ledger", pg_url, "--lot", f"{g}/{lot}",
        "--reason", "sharp edge", "--hazard", "high", "--action", "return", "--json",
    )  # fmt: skip
    assert code == 0, err
    campaign = json.loads(out)
    assert campaign["targets"]
    code, out, err = run(capsys, "recall", "mock", "--ledger", pg_url, "--lot", f"{g}/{lot}")
    assert code == 0, err
    with PgLedger.open(pg_url, readonly=True) as ledger:
        assert ledger.verify().ok
        assert ledger.event_count() > 600  # the campaign's own EPCIS events
