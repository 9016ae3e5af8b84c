"""Paging events out of the ledger for the browser, without ever loading them all.

Two shapes:
* no filter: every seq from 1 to max(seq) exists (append-only, no gaps), so
  row r of a newest-first view is seq max-r; pages are fetched on demand
  around whatever the user scrolls to — instant on any ledger size;
* a filter: pages newest first through `EventQuery(before_seq=…, limit=…)`,
  fetched as the view scrolls (Qt's fetchMore); the core plans each page so
  it usually comes back at once on a 10M-event ledger (`tracer.ledger.query`),
  but two broad filters that rarely meet (a step at one place) can walk much
  of the ledger for seconds, so the table model (`tracer.ui.event_model`)
  reads these pages on a worker thread, through a reader connection of its own.
Qt-free, so it is tested directly.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tracer.ledger import EventQuery, StoredEvent
from tracer.ledger.backend import LedgerBackend
from tracer.ledger.corrections import declared_ids

PAGE = 200


@dataclass(frozen=True, slots=True)
class Filter:
    lot: tuple[str, str] | None = None
    gtin: str | None = None  # product without a lot
    location: str | None = None
    biz_step: str | None = None
    operator: str | None = None
    since: object = None  # datetime | None
    until: object = None

    @property
    def empty(self) -> bool:
        return self == Filter()

    def query(self) -> EventQuery:
        return EventQuery(
            lot=self.lot,
            product=self.gtin if self.lot is None else None,  # a lot names its product
            location=self.location,
            biz_step=self.biz_step,
            operator=self.operator,
            since=self.since,  # type: ignore[arg-type]
            until=self.until,  # type: ignore[arg-type]
            newest_first=True,
        )


@dataclass(frozen=True, slots=True)
class Row:
    stored: StoredEvent
    declared: bool  # this event was declared wrong (cancelled)

    @property
    def seq(self) -> int:
        return self.stored.seq


class AllEvents:
    """Random access, newest first, over the whole ledger."""

    def __init__(self, ledger: LedgerBackend, cache_pages: int = 64) -> None:
        self.ledger = ledger
        self.total = ledger.count()
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._cache_pages = cache_pages

    def __len__(self) -> int:
        return self.total

    def row(self, r: int) -> Row:
        seq = self.total - r
        page = (seq - 1) // PAGE
        rows = self._pages.get(page)
        if rows is None:
            stored = list(self.ledger.events(EventQuery(after_seq=page * PAGE, limit=PAGE)))
            rows = _rows(self.ledger, stored)
            self._pages[page] = rows
            if len(self._pages) > self._cache_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[(seq - 1) - page * PAGE]

    def refresh(self) -> int:
        """Take in events appended since; returns how many new rows."""
        new_total = self.ledger.count()
        added = new_total - self.total
        self.total = new_total
        self._pages.clear()
        return added


class FilteredEvents:
    """Rows of a filter, newest first, fetched a page at a time.

    Reading a page (`read_page`) and taking it in (`add`) are separate, so the
    browser reads on a worker thread and adds on the UI thread; `fetch` does
    both at once (scripts, tests).
    """

    def __init__(self, ledger: LedgerBackend, flt: Filter) -> None:
        self.ledger = ledger
        self.filter = flt
        self.rows: list[Row] = []
        self.query = flt.query()
        self.exhausted = False

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, r: int) -> Row:
        return self.rows[r]

    @property
    def cursor(self) -> int | None:
        """The `before_seq` of the next page (None: from the newest event)."""
        return self.rows[-1].seq if self.rows else None

    def add(self, page: Sequence[Row], asked: int) -> int:
        """Take in a page read for `asked` rows; a short page is the last one."""
        if len(page) < asked:
            self.exhausted = True
        self.rows.extend(page)
        return len(page)

    def fetch(self, n: int = PAGE) -> int:
        """Load up to `n` more rows; returns how many were added."""
        if self.exhausted:
            return 0
        return self.add(read_page(self.ledger, self.query, self.cursor, n), n)

    def count(self) -> int:
        """Exact number of matching events (may take a moment on a broad filter)."""
        return self.ledger.event_count(self.query)


def read_page(
    ledger: LedgerBackend, query: EventQuery, before: int | None, n: int = PAGE
) -> list[Row]:
    """One newest-first page of a filter below seq `before`: safe on any thread
    that owns `ledger` (the browser hands it a reader opened in the worker)."""
    q = dataclasses.replace(query, before_seq=before, limit=n)
    return _rows(ledger, list(ledger.events(q)))


def _rows(ledger: LedgerBackend, stored: Sequence[StoredEvent]) -> list[Row]:
    ids = [str(s.event.event_id) for s in stored if s.event.error_declaration is None]
    declared = declared_ids(ledger, ids) if ids else set()
    return [
        Row(s, s.event.error_declaration is None and str(s.event.event_id) in declared)
        for s in stored
    ]


def stop_when(ledger: LedgerBackend, cancelled: Callable[[], bool]) -> None:
    """Let Cancel stop a read running on this ledger's connection mid-query.

    SQLite calls the progress handler every few thousand VM steps of a query
    and aborts it when the handler says so (no race with the query's start,
    unlike `interrupt()`). PostgreSQL has no such hook: a small watcher
    thread asks the server to cancel the running statement once Cancel is
    pressed, and ends when the reader (opened for this one read) is closed.
    """
    hook = getattr(ledger.connection, "set_progress_handler", None)
    if callable(hook):
        hook(lambda: 1 if cancelled() else 0, 10_000)
        return
    cancel = getattr(ledger, "cancel_query", None)
    if callable(cancel):
        threading.Thread(
            target=_watch, args=(ledger, cancelled, cancel), name="tracer cancel", daemon=True
        ).start()


def _watch(ledger: Any, cancelled: Callable[[], bool], cancel: Callable[[], None]) -> None:
    while not ledger.closed:
        if cancelled():
            cancel()
            return
        time.sleep(0.05)
