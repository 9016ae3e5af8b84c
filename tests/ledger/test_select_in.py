"""A long IN list asked in chunks gives each row once, whatever the chunk size."""

from __future__ import annotations

from tracer.ledger import Ledger
from tracer.ledger.select_in import select_in


def test_chunks_cover_every_value_once(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    first = conn.execute("SELECT seq, event_id FROM events ORDER BY seq LIMIT 1001").fetchall()
    ids = [r[1] for r in first]
    # an event and its error declaration share an eventID: both rows come back
    expected = sorted(
        conn.execute(
            "SELECT seq FROM events WHERE event_id IN (SELECT event_id FROM events "
            "ORDER BY seq LIMIT 1001)"
        ).fetchall()
    )
    sql = "SELECT seq FROM events WHERE event_id IN ({marks})"
    for chunk in (1, 400, 1000, 5000):
        rows = list(select_in(conn, sql, ids + ids[:50], chunk=chunk))
        assert sorted(rows) == expected and len(expected) >= 1001
    assert list(select_in(conn, sql, [])) == []
