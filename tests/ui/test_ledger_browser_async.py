"""Ledger browser pages are read off the UI thread: busy state, stale pages dropped, Cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tracer.errors import LedgerError
from tracer.ledger import EventQuery
from tracer.ui.event_source import read_page
from tracer.ui.qt import QModelIndex, Qt, QThreadPool, QTimer

WAIT_MS = 10_000


@pytest.fixture()
def pool(window) -> Iterator[QThreadPool]:  # type: ignore[no-untyped-def]
    """A real thread pool for the window's operations (the fixture's default runs inline)."""
    pool = QThreadPool()
    window.session.runner.pool = pool
    yield pool
    pool.waitForDone(WAIT_MS)


def _step(screen, step: str) -> None:  # type: ignore[no-untyped-def]
    screen.step_combo.setCurrentIndex(screen.step_combo.findData(step))
    screen.apply_filter()


def _held_on_shipping(window):  # type: ignore[no-untyped-def]
    """The browser filtered to shipping, its page read stuck in a worker until released."""
    screen = window.show_page("ledger")
    model = screen.model
    gate = Gate(hold_step="shipping")
    model.read_page = gate
    _step(screen, "shipping")
    assert gate.entered.wait(WAIT_MS / 1000)
    return screen, model, gate


def _seqs(model) -> list[int]:  # type: ignore[no-untyped-def]
    return [model.row(r).seq for r in range(model.rowCount())]


def _expected(ledger, step: str) -> list[int]:  # type: ignore[no-untyped-def]
    page = ledger.events(EventQuery(biz_step=step, newest_first=True, limit=200))
    return [s.seq for s in page]


class Gate:
    """A page reader that records its thread and, for one step, waits until released."""

    def __init__(self, hold_step: str | None = None) -> None:
        self.hold_step = hold_step
        self.release = threading.Event()
        self.entered = threading.Event()
        self.threads: list[str] = []
        self.returned: list[str] = []

    def __call__(self, ledger, query, before, n):  # type: ignore[no-untyped-def]
        self.threads.append(threading.current_thread().name)
        if query.biz_step == self.hold_step:
            self.entered.set()
            assert self.release.wait(WAIT_MS / 1000)
        rows = read_page(ledger, query, before, n)
        self.returned.append(str(query.biz_step))
        return rows


def test_filter_change_shows_the_workers_rows(window, qtbot, pool) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("ledger")
    model = screen.model
    gate = Gate()
    model.read_page = gate
    _step(screen, "shipping")
    assert model.loading and screen.busy.isVisibleTo(screen)
    assert screen.busy_label.text() == "Loading events…" and screen.busy_cancel.isVisibleTo(screen)
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert gate.threads and threading.main_thread().name not in gate.threads
    assert _seqs(model) == _expected(window.session.ledger, "shipping")
    assert not screen.busy.isVisibleTo(screen) and screen.table.isVisibleTo(screen)
    # the next page on scroll goes through the worker too, and continues below the first
    assert model.canFetchMore(QModelIndex())
    first = _seqs(model)
    model.fetchMore(QModelIndex())
    assert model.loading and not model.canFetchMore(QModelIndex())
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert len(gate.threads) == 2 and _seqs(model)[: len(first)] == first
    assert len(model.source) > len(first) and _seqs(model)[len(first)] < first[-1]


def test_slow_page_does_not_block_and_only_the_last_filter_shows(  # type: ignore[no-untyped-def]
    window, qtbot, pool
) -> None:
    screen, model, gate = _held_on_shipping(window)
    # the worker is stuck in its read; the UI thread keeps turning its event loop
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.wait(200)
    timer.stop()
    assert len(ticks) >= 5 and model.loading and gate.returned == []
    # a second filter while the first is still reading: only its rows are shown
    _step(screen, "receiving")
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    receiving = _expected(window.session.ledger, "receiving")
    assert _seqs(model) == receiving
    gate.release.set()
    pool.waitForDone(WAIT_MS)
    qtbot.wait(50)  # let the old page's signal arrive, and be dropped
    assert _seqs(model) == receiving and not model.loading
    assert all(model.row(r).stored.event.biz_step == "receiving" for r in range(model.rowCount()))


def test_cancel_stops_the_read_and_keeps_the_table_usable(window, qtbot, pool) -> None:  # type: ignore[no-untyped-def]
    screen, model, gate = _held_on_shipping(window)
    qtbot.mouseClick(screen.busy_cancel, Qt.MouseButton.LeftButton)
    assert not model.loading and model.stopped and not model.canFetchMore(QModelIndex())
    assert screen.busy_label.text().startswith("Stopped") and not screen.busy_cancel.isVisibleTo(
        screen
    )
    assert not screen.empty.isVisibleTo(screen)  # "no events match" would be a lie
    gate.release.set()
    pool.waitForDone(WAIT_MS)
    qtbot.wait(50)
    assert model.rowCount() == 0  # the cancelled page never lands
    _step(screen, "shipping")  # Filter again: reads afresh
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert _seqs(model) == _expected(window.session.ledger, "shipping")
    assert not screen.busy.isVisibleTo(screen)


def test_a_failing_read_is_a_plain_message(window, qtbot, pool) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("ledger")
    model = screen.model

    def broken(ledger, query, before, n):  # type: ignore[no-untyped-def]
        raise LedgerError("the ledger file went away")

    model.read_page = broken
    _step(screen, "shipping")
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    text = screen.filter_message.text()
    assert text == "Could not read the ledger: the ledger file went away"
    assert "Traceback" not in text and not screen.busy.isVisibleTo(screen)
    assert not model.canFetchMore(QModelIndex())  # no retry loop on every scroll


def test_cancel_stops_a_running_sqlite_query(window, qtbot, pool) -> None:  # type: ignore[no-untyped-def]
    """Cancel reaches the worker's own connection: SQLite stops the query mid-way."""
    screen = window.show_page("ledger")
    model = screen.model
    started = threading.Event()
    outcome: list[str] = []

    def endless(ledger, query, before, n):  # type: ignore[no-untyped-def]
        started.set()
        try:  # a query that never ends on its own
            ledger.connection.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT count(*) FROM c"
            ).fetchone()
        except Exception as exc:
            outcome.append(type(exc).__name__)
            raise
        return []

    model.read_page = endless
    _step(screen, "shipping")
    assert started.wait(WAIT_MS / 1000)
    model.cancel_loading()
    assert pool.waitForDone(WAIT_MS)
    assert outcome == ["OperationalError"]  # sqlite3: "interrupted" by the progress handler
    qtbot.wait(50)
    assert screen.filter_message.text() == "" and model.rowCount() == 0


def test_a_page_finished_before_the_filter_change_is_dropped(  # type: ignore[no-untyped-def]
    window, qtbot, pool
) -> None:
    """The old read already returned and its result waits in the event queue: the
    generation number, not the cancel flag, keeps it out of the new filter's rows."""
    screen, model, gate = _held_on_shipping(window)
    gate.release.set()
    assert pool.waitForDone(WAIT_MS)  # finished, its signal queued, not yet delivered
    assert gate.returned == ["shipping"] and model.loading
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    _step(screen, "receiving")
    qtbot.waitUntil(lambda: gate.returned == ["shipping", "receiving"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    qtbot.wait(50)
    receiving = _expected(window.session.ledger, "receiving")
    assert _seqs(model) == receiving and inserted == [(0, len(receiving) - 1)]


def test_a_new_filter_stops_the_older_count(window, qtbot, pool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The "n events" count of a broad filter can run for seconds; changing the filter
    stops it (SQLite progress handler), so old counts never pile up on the pool."""
    from tracer.ledger import Ledger

    started: list[str] = []
    stopped: list[str] = []

    def slow_count(self, query=None) -> int:  # type: ignore[no-untyped-def]
        started.append(str(query.biz_step))
        try:  # ~30 s unless stopped
            return int(
                self.connection.execute(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                    "WHERE x < 30000000) SELECT count(*) FROM c"
                ).fetchone()[0]
            )
        except Exception:
            stopped.append(str(query.biz_step))
            raise

    monkeypatch.setattr(Ledger, "event_count", slow_count)
    screen = window.show_page("ledger")
    _step(screen, "shipping")
    qtbot.waitUntil(lambda: started == ["shipping"], timeout=WAIT_MS)
    _step(screen, "receiving")
    qtbot.waitUntil(lambda: started == ["shipping", "receiving"], timeout=WAIT_MS)
    screen.clear_filter()  # unfiltered: no count to run, the last one stops too
    assert pool.waitForDone(5_000)
    assert stopped == ["shipping", "receiving"]
    qtbot.wait(50)
    assert screen.count_label.text() == f"{window.session.ledger.count():,} events"
