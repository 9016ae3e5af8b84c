"""`tracer db`, plain errors, schema versions and the station role, on a real server."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cli_run import run

from tracer.demo.build import canonical_stamp
from tracer.errors import LedgerError, SchemaVersionError
from tracer.ledger.postgres import PgLedger
from tracer.ledger.postgres.admin import upgrade_database
from tracer.ledger.postgres.schema import PG_LEDGER_MIGRATIONS
from tracer.ledger.schema import Migration
from tracer.model import Action, Event, EventType

REPO = Path(__file__).resolve().parents[3]
stamp = canonical_stamp()


def scan(n: int) -> Event:
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(seconds=n),
            action=Action.OBSERVE,
            epc_list=(f"urn:epc:id:sgtin:6923456.001003.S{n:05d}",),
            biz_step="shipping",
        )
    )


def with_user(url: str, user: str, password: str) -> str:
    return re.sub(r"//[^@]*@", f"//{user}:{password}@", url, count=1)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_db_init_status_upgrade(capsys: pytest.CaptureFixture[str], pg_url: str) -> None:
    code, out, _ = run(capsys, "db", "status", pg_url)
    assert code == 0 and "No tracer ledger" in out
    code, out, _ = run(capsys, "db", "init", pg_url)
    assert code == 0 and "Created a tracer ledger (schema version 1)" in out
    assert "tracer_test:" not in out  # no password in messages
    code, out, _ = run(capsys, "db", "init", pg_url)
    assert code == 0 and "already holds a tracer ledger" in out
    code, out, _ = run(capsys, "db", "upgrade", pg_url, "--json")
    assert json.loads(out)["after"] == 1
    code, out, _ = run(capsys, "db", "status", pg_url, "--json")
    assert json.loads(out)["versions"] == {"ledger": 1}


def test_db_init_on_sqlite_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = str(tmp_path / "x.sqlite")
    assert "Created" in run(capsys, "db", "init", path)[1]
    assert "already holds" in run(capsys, "db", "init", path)[1]


def test_server_down_is_plain(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://tracer_test:secret@127.0.0.1:{closed_port()}/tracer_test"
    code, _, err = run(capsys, "db", "init", url)
    assert code == 1 and "cannot reach the PostgreSQL server at" in err
    assert "Traceback" not in err and "secret" not in err
    with pytest.raises(LedgerError, match="cannot reach"):
        PgLedger.open(url)


def test_bad_password_is_plain(capsys: pytest.CaptureFixture[str], pg_url: str) -> None:
    code, _, err = run(capsys, "db", "upgrade", with_user(pg_url, "tracer_test", "wrong"))
    assert code == 1 and "refused the login: wrong password" in err
    assert "wrong" not in err.replace("wrong password", "")


def test_missing_database_is_plain(pg_url: str) -> None:
    url = re.sub(r"/tracer_test\?", "/no_such_db?", pg_url)
    with pytest.raises(LedgerError, match="no database of that name"):
        PgLedger.open(url)


def test_missing_privilege_is_plain(
    capsys: pytest.CaptureFixture[str], pg_url: str, pg_server: Any
) -> None:
    """A role that may not create tables gets told so, not a traceback."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS tracer_nobody")
        conn.execute("CREATE ROLE tracer_nobody LOGIN PASSWORD 'nobody'")
    try:
        nobody = with_user(pg_url, "tracer_nobody", "nobody")
        code, _, err = run(capsys, "db", "init", nobody)  # a schema it may not use
        assert code == 1 and "lacks a right" in err and "USAGE" in err
        code, _, err = run(capsys, "db", "init", nobody.split("?")[0])  # public: no CREATE
        assert code == 1 and "lacks a right" in err and "permission denied" in err
        assert "Traceback" not in err
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP ROLE tracer_nobody")


def test_not_a_ledger(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id int)")
    with pytest.raises(LedgerError, match="no tracer ledger"):
        PgLedger.open(pg_url)


def test_readonly_open_of_empty_database(pg_url: str) -> None:
    with pytest.raises(LedgerError, match="tracer db init"):
        PgLedger.open(pg_url, readonly=True)


def test_older_schema_needs_upgrade_and_newer_is_refused(pg_url: str) -> None:
    PgLedger.open(pg_url).close()
    extra = (*PG_LEDGER_MIGRATIONS, Migration(2, "test", "CREATE TABLE t2 (x INTEGER);"))
    with pytest.raises(SchemaVersionError, match="tracer db upgrade"):
        PgLedger.open(pg_url, migrations=extra)
    change = upgrade_database(pg_url, extra)
    assert (change.before, change.after) == (1, 2)
    with PgLedger.open(pg_url, migrations=extra) as ledger:
        assert ledger.count() == 0
    with pytest.raises(SchemaVersionError, match=r"newer tracer.*version 2.*up to version 1"):
        PgLedger.open(pg_url)


def _station_sql() -> str:
    text = (REPO / "docs" / "server.md").read_text(encoding="utf-8")
    block = text.split("<!-- station-role-sql -->")[1].split("<!-- /station-role-sql -->")[0]
    return block.split("```sql")[1].split("```")[0]


def test_documented_station_role_can_append_but_not_change(pg_url: str) -> None:
    """The SQL in docs/server.md, run as written: stations read and insert, nothing else."""
    schema = re.search(r"search_path%3D(\w+)", pg_url)
    assert schema
    sql = _station_sql().replace("SCHEMA public", f"SCHEMA {schema[1]}")
    with PgLedger.open(pg_url) as owner:
        owner.append([scan(1)])
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS station_dock1")
        conn.execute("DROP ROLE IF EXISTS tracer_station")
        conn.execute(sql.encode())
    station_url = with_user(pg_url, "station_dock1", "change-me")
    try:
        with PgLedger.open(station_url) as station:
            assert station.append([scan(2), scan(3)]).added == (2, 3)
            assert station.append([scan(3)]).skipped == 1
            assert station.verify().ok
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                station.connection.execute("UPDATE stations SET biz_step = 'x'")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                station.connection.execute("CREATE TABLE mine (x int)")
            with pytest.raises(LedgerError, match="lacks a right"):
                station.migrate("probe", (Migration(1, "p", "CREATE TABLE p (x int);"),))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                station.connection.execute("DELETE FROM events")
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema[1]} FROM tracer_station")  # type: ignore[arg-type]
            conn.execute(f"REVOKE ALL ON SCHEMA {schema[1]} FROM tracer_station")  # type: ignore[arg-type]
            conn.execute("DROP ROLE station_dock1")
            conn.execute("DROP ROLE tracer_station")
