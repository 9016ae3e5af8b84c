"""Properties of the ledger that must hold for any events and any tampering."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.demo.build import canonical_stamp
from tracer.ledger import Ledger, verify
from tracer.ledger.rows import EVENT_COLUMNS
from tracer.model import Action, Event, EventType, QuantityElement

stamp = canonical_stamp()
CST = timezone(timedelta(hours=8))

serial = st.text(alphabet="0123456789ABCDEFGHJK", min_size=1, max_size=8)
steps = st.sampled_from(["receiving", "shipping", "inspecting", "packing", None])


@st.composite
def events(draw: st.DrawFn) -> Event:
    n = draw(st.integers(0, 3))
    q = draw(st.lists(st.floats(0.5, 1e5, allow_nan=False), max_size=2))
    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=datetime(2026, 1, 1, tzinfo=CST)
            + timedelta(seconds=draw(st.integers(0, 10**8))),
            action=draw(st.sampled_from([Action.ADD, Action.OBSERVE, Action.DELETE])),
            epc_list=tuple(f"urn:epc:id:sgtin:6923456.001003.{draw(serial)}" for _ in range(n)),
            quantity_list=tuple(
                QuantityElement(f"urn:epc:class:lgtin:6923456.001001.L{i}", v, "KGM")
                for i, v in enumerate(q)
            ),
            biz_step=draw(steps),
            operator=draw(st.one_of(st.none(), st.text(min_size=1, max_size=6))),
        )
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(events(), min_size=1, max_size=5), min_size=1, max_size=4))
def test_appends_keep_every_event_once_in_order(tmp_path: Path, batches: list[list[Event]]) -> None:
    path = tmp_path / f"p{abs(hash(str(batches))) % 10**9}.sqlite"
    seen: list[str] = []
    with Ledger.open(path) as ledger:
        for batch in batches:
            ledger.append(batch)
            for e in batch:
                if e.event_id not in seen:
                    seen.append(str(e.event_id))
        stored = [s.event for s in ledger.events()]
        assert [e.event_id for e in stored] == seen
        originals = {e.event_id: e for b in batches for e in b}
        for e in stored:
            o = originals[e.event_id]
            assert (e.epc_list, e.quantity_list, e.biz_step, e.operator) == (
                o.epc_list,
                o.quantity_list,
                o.biz_step,
                o.operator,
            )
        assert verify(ledger.connection).ok
    path.unlink()


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tracer.demo.build import build_demo

    path = tmp_path_factory.mktemp("prop") / "small.sqlite"
    with Ledger.open(path) as ledger:
        build_demo(ledger, seed=11, events=300)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _unguard(conn: sqlite3.Connection) -> None:
    """Edit the file as someone outside tracer could: no update trigger, and no unique
    indexes either (e.g. a second error declaration of the same eventID), which verify
    must not need."""
    conn.execute("DROP TRIGGER events_no_update")
    for (index,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"
        " AND sql IS NOT NULL"
    ).fetchall():
        conn.execute(f"DROP INDEX {index}")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_changed_byte_in_any_event_row_is_found(
    small_ledger: Path, tmp_path: Path, data: st.DataObject
) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    src = sqlite3.connect(small_ledger)
    src.backup(conn)
    src.close()
    rows = conn.execute("SELECT max(seq) FROM events").fetchone()[0]
    seq = data.draw(st.integers(1, rows), label="seq")
    column = data.draw(st.sampled_from([c for c in EVENT_COLUMNS if c != "seq"]), label="col")
    value = conn.execute(f"SELECT {column} FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    text = "" if value is None else str(value)
    if text:
        pos = data.draw(st.integers(0, len(text) - 1), label="pos")
        new = text[:pos] + chr((ord(text[pos]) + 1) % 0x10FFFF or 1) + text[pos + 1 :]
    else:
        new = "x"
    _unguard(conn)
    conn.execute(f"UPDATE events SET {column} = ? WHERE seq = ?", (new, seq))
    report = verify(conn)
    assert not report.ok
    assert report.seq == seq


def test_a_second_error_declaration_forged_outside_tracer_is_found(small_ledger: Path) -> None:
    """The case hypothesis found: flagging a declared-wrong event's own row as a declaration."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    src = sqlite3.connect(small_ledger)
    src.backup(conn)
    src.close()
    seq = conn.execute(
        "SELECT e.seq FROM events e JOIN events d ON d.event_id = e.event_id"
        " AND d.declares_error = 1 WHERE e.declares_error = 0 LIMIT 1"
    ).fetchone()[0]
    _unguard(conn)
    conn.execute("UPDATE events SET declares_error = 1 WHERE seq = ?", (seq,))
    report = verify(conn)
    assert not report.ok
    assert report.seq == seq
