from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tracer.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracer", *args], capture_output=True, text=True, timeout=120
    )


def test_demo_stats_verify_events(tmp_path: Path) -> None:
    ledger = str(tmp_path / "demo.sqlite")
    r = run("demo", "--ledger", ledger, "--events", "1500", "--json")
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert stats["events"] >= 1500 and stats["locations"] >= 48
    again = run("demo", "--ledger", ledger, "--if-missing")
    assert again.returncode == 0 and "already" in again.stdout
    refused = run("demo", "--ledger", ledger)
    assert refused.returncode == 1 and "already holds" in refused.stderr
    assert "Traceback" not in refused.stderr
    r = run("stats", "--ledger", ledger)
    assert r.returncode == 0 and "ObjectEvent" in r.stdout
    r = run("verify", "--ledger", ledger)
    assert r.returncode == 0 and "intact" in r.stdout
    r = run("events", "--ledger", ledger, "--biz-step", "shipping", "--limit", "3", "--json")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 3 and all(e["bizStep"] == "shipping" for e in lines)
    assert all(e["eventID"].startswith("ni:///sha-256;") for e in lines)


def test_same_seed_same_ledger(tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite"
        assert run("demo", "--ledger", str(path), "--events", "600", "--seed", "3").returncode == 0
        conn = sqlite3.connect(path)
        ids.append([r[0] for r in conn.execute("SELECT event_id FROM events ORDER BY seq")])
        conn.close()
    assert ids[0] == ids[1] and len(ids[0]) >= 600


def test_verify_reports_tampering(tmp_path: Path) -> None:
    ledger = tmp_path / "demo.sqlite"
    assert run("demo", "--ledger", str(ledger), "--events", "500").returncode == 0
    conn = sqlite3.connect(ledger)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET biz_step = 'receiving' WHERE seq = 77")
    conn.commit()
    conn.close()
    r = run("verify", "--ledger", str(ledger))
    assert r.returncode == 3
    assert "row 77" in r.stderr and "Traceback" not in r.stderr


def test_bad_ledger_file_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all" * 50)
    r = run("stats", "--ledger", str(junk))
    assert r.returncode == 1
    assert "not a tracer ledger" in r.stderr and "Traceback" not in r.stderr


def test_env_var_selects_ledger(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("TRACER_LEDGER", str(path))
    try:
        main(["demo", "--events", "300", "--json"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    assert path.exists()


def test_first_demo_on_a_fresh_machine_creates_the_data_folder(tmp_path: Path) -> None:
    """What `make demo` runs first: no --ledger, no user data folder yet."""
    import os

    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "nothing" / "here"))
    env.pop("TRACER_LEDGER", None)
    r = subprocess.run(
        [sys.executable, "-m", "tracer", "demo", "--if-missing", "--events", "800", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    ledger = tmp_path / "nothing" / "here" / "tracer" / "ledger.sqlite"
    assert ledger.is_file() and json.loads(r.stdout)["events"] >= 800
    r = subprocess.run(
        [sys.executable, "-m", "tracer", "verify"], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0 and "intact" in r.stdout
