"""The ledger browser on a postgresql:// ledger reads its filtered pages on the thread pool,
through a read-only server connection opened in the worker, like on an SQLite file."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from test_pg_gui import pg_demo, pg_window  # noqa: F401  (fixtures)

from tracer.ledger import EventQuery
from tracer.ui.event_source import read_page

pytest.importorskip("pytestqt")


def test_browser_pages_come_from_a_worker_on_postgres(pg_window: Any, qtbot: Any) -> None:  # noqa: F811
    from tracer.ui.qt import QModelIndex, QThreadPool

    pool = QThreadPool()
    pg_window.session.runner.pool = pool
    browser = pg_window.show_page("ledger")
    model = browser.model
    seen: list[tuple[str, str]] = []

    def reader(ledger, query, before, n):  # type: ignore[no-untyped-def]
        seen.append((threading.current_thread().name, type(ledger).__name__))
        return read_page(ledger, query, before, n)

    model.read_page = reader
    try:
        browser.step_combo.setCurrentIndex(browser.step_combo.findData("shipping"))
        browser.apply_filter()
        assert model.loading
        qtbot.waitUntil(lambda: not model.loading, timeout=20_000)
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.loading, timeout=20_000)
    finally:
        pool.waitForDone(20_000)
    ledger = pg_window.session.ledger
    expected = [
        s.seq for s in ledger.events(EventQuery(biz_step="shipping", newest_first=True, limit=400))
    ]
    assert [model.row(r).seq for r in range(model.rowCount())] == expected
    main = threading.main_thread().name
    assert len(seen) == 2 and all(t != main and kind == "PgLedger" for t, kind in seen)
    assert browser.filter_message.text() == ""


def test_cancel_stops_a_running_query_on_the_server(pg_url: str) -> None:
    """Cancel in the browser asks PostgreSQL to stop the statement, not only drop its page."""
    import time

    import psycopg

    from tracer.ledger.postgres import PgLedger
    from tracer.ui.event_source import stop_when

    PgLedger.open(pg_url).close()
    pressed = threading.Event()
    with PgLedger.open(pg_url, readonly=True) as reader:
        stop_when(reader, pressed.is_set)
        threading.Timer(0.3, pressed.set).start()
        t = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled):
            reader.connection.execute("SELECT pg_sleep(20)").fetchall()
        assert time.monotonic() - t < 10  # stopped, not run to its end
