"""The ledger browser's table model: lazy, so it stays instant on millions of events.

Filtered pages are read on the session's thread pool (an `Operation` with a
read-only connection opened in the worker, as every long read of the UI), so
a filter that walks much of the ledger never freezes the window. Each filter
change bumps a generation number: a page that arrives for an older filter is
dropped, and the older read is cancelled (SQLite stops it mid-query).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from tracer.errors import TracerError
from tracer.ledger import EventQuery
from tracer.ledger.backend import LedgerBackend
from tracer.model import Event
from tracer.ui.event_source import (
    PAGE,
    AllEvents,
    Filter,
    FilteredEvents,
    Row,
    read_page,
    stop_when,
)
from tracer.ui.names import NameBook
from tracer.ui.operations import Cancelled, Operation, OperationRunner, Progress
from tracer.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from tracer.ui.vocab_names import (
    action_name,
    biz_step_name,
    disposition_name,
    event_type_name,
)

Index = QModelIndex | QPersistentModelIndex


def short_id(identifier: str) -> str:
    for prefix in ("urn:epc:id:", "urn:epc:class:", "urn:epc:idpat:"):
        if identifier.startswith(prefix):
            return identifier[len(prefix) :]
    return identifier


def what(event: Event) -> str:
    """A one-line summary of what the event is about."""
    parts: list[str] = []
    if event.parent_id:
        parts.append(short_id(event.parent_id) + " ⊃")
    ids = [short_id(i.id) for i in event.identifiers() if i.role.value != "parent"]
    quantities = {
        short_id(q.epc_class): q.quantity
        for q in (
            *event.quantity_list,
            *event.child_quantity_list,
            *event.output_quantity_list,
        )
    }
    if ids:
        first = ids[0]
        q = quantities.get(first)
        text = f"{first} × {q:g}" if q is not None else first
        if len(ids) > 1:
            text += QCoreApplication.translate("EventModel", " (+{n} more)").format(n=len(ids) - 1)
        parts.append(text)
    return " ".join(parts)


PageReader = Callable[[LedgerBackend, EventQuery, "int | None", int], Sequence[Row]]


@dataclass(frozen=True, slots=True)
class _PageFailed:
    message: str


class EventTableModel(QAbstractTableModel):
    COLUMNS = ("seq", "time", "type", "step", "disposition", "where", "what", "operator", "station")

    loading_changed = Signal(bool)  # a page is being read (the table shows "Loading…")
    failed = Signal(str)  # a page could not be read: a plain message

    def __init__(
        self,
        ledger: LedgerBackend,
        names: NameBook,
        flt: Filter | None = None,
        *,
        runner: OperationRunner | None = None,
        reading: Callable[[], AbstractContextManager[LedgerBackend]] | None = None,
    ) -> None:
        """Without `runner` and `reading` pages are read at once on the caller's thread."""
        super().__init__()
        self.ledger = ledger
        self.names = names
        self.runner = runner
        self.reading = reading
        self.read_page: PageReader = read_page  # tests swap in a slow or failing one
        self.generation = 0
        self.stopped = False  # the user cancelled: no more pages until the next filter
        self._op: Operation | None = None
        self.filter = flt or Filter()
        self.source: AllEvents | FilteredEvents = self._source(self.filter)
        if runner is not None:
            runner.cancelled.connect(self._op_cancelled)
        self._request_page()

    def _source(self, flt: Filter) -> AllEvents | FilteredEvents:
        return AllEvents(self.ledger) if flt.empty else FilteredEvents(self.ledger, flt)

    @property
    def loading(self) -> bool:
        return self._op is not None

    def set_filter(self, flt: Filter) -> None:
        self._drop_running()
        self.beginResetModel()
        self.filter = flt
        self.source = self._source(flt)
        self.stopped = False
        self.endResetModel()
        self._request_page()

    def cancel_loading(self) -> None:
        """The user's Cancel: stop the read, keep the rows already shown."""
        if self._op is None:
            return
        self._drop_running()
        self.stopped = True
        self.loading_changed.emit(False)

    def _drop_running(self) -> None:
        """Whatever is being read belongs to an older filter now: cancel it, ignore it."""
        self.generation += 1
        op, self._op = self._op, None
        if op is not None and self.runner is not None:
            self.runner.cancel(op)

    def _request_page(self) -> None:
        src = self.source
        if not isinstance(src, FilteredEvents) or src.exhausted or self._op is not None:
            return
        if self.runner is None or self.reading is None:
            start = len(src)
            self._announce(start, src.fetch())
            return
        generation, query, before = self.generation, src.query, src.cursor
        reading, reader_fn = self.reading, self.read_page

        def work(progress: Progress) -> Sequence[Row] | _PageFailed:
            return _read(progress, reading, reader_fn, query, before)

        def done(result: Sequence[Row] | _PageFailed) -> None:
            if generation != self.generation or self.source is not src:
                return  # a page of an older filter: dropped
            self._op = None
            if isinstance(result, _PageFailed):
                self.stopped = True  # no retry loop through fetchMore
                self.loading_changed.emit(False)
                self.failed.emit(result.message)
                return
            start = len(src)
            self._announce(start, src.add(result, PAGE))
            self.loading_changed.emit(False)

        op = Operation(QCoreApplication.translate("EventModel", "Loading events"), work, done)
        self._op = op
        self.loading_changed.emit(True)
        self.runner.run(op)

    def _announce(self, start: int, n: int) -> None:
        """Tell the view that `n` rows arrived at `start` (read first, then announced)."""
        if n:
            self.beginInsertRows(QModelIndex(), start, start + n - 1)
            self.endInsertRows()

    def _op_cancelled(self, op: Operation) -> None:
        """Cancel pressed on the status bar's strip while this model's page was read."""
        if op is self._op:
            self._op = None
            self.generation += 1
            self.stopped = True
            self.loading_changed.emit(False)

    def refresh(self) -> None:
        """New events were appended: show them (newest on top when unfiltered)."""
        if isinstance(self.source, AllEvents):
            self.beginResetModel()
            self.source.refresh()
            self.endResetModel()
        else:
            self.set_filter(self.filter)

    @property
    def filtered(self) -> bool:
        return isinstance(self.source, FilteredEvents)

    # -- Qt model --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.source)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        src = self.source
        return (
            isinstance(src, FilteredEvents)
            and not src.exhausted
            and not self.stopped
            and self._op is None
        )

    def fetchMore(self, parent: Index) -> None:
        # read first (on the pool), then announce exactly what arrived
        self._request_page()

    def row(self, r: int) -> Row:
        return self.source.row(r)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        labels = (
            QCoreApplication.translate("EventModel", "#"),
            QCoreApplication.translate("EventModel", "Event time"),
            QCoreApplication.translate("EventModel", "Type"),
            QCoreApplication.translate("EventModel", "Step"),
            QCoreApplication.translate("EventModel", "Disposition"),
            QCoreApplication.translate("EventModel", "Where"),
            QCoreApplication.translate("EventModel", "What"),
            QCoreApplication.translate("EventModel", "Operator"),
            QCoreApplication.translate("EventModel", "Station"),
        )
        return labels[section]

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.source.row(index.row())
        e = row.stored.event
        col = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, e, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.declared:
                return QBrush(QColor("#9e9e9e"))
            if e.error_declaration is not None:
                return QBrush(QColor("#b00020"))
            return None
        if role == Qt.ItemDataRole.FontRole and row.declared:
            f = QFont()
            f.setStrikeOut(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole and col in ("where", "what"):
            return self._text(row, e, col)
        return None

    def _text(self, row: Row, e: Event, col: str) -> str:
        if col == "seq":
            return str(row.seq)
        if col == "time":
            local = e.event_time.astimezone()
            return local.strftime("%Y-%m-%d %H:%M:%S")
        if col == "type":
            kind = event_type_name(e.event_type.value)
            if e.error_declaration is not None:
                return QCoreApplication.translate("EventModel", "Error declaration")
            action = action_name(e.action.value if e.action else None)
            return f"{kind} · {action}" if action else kind
        if col == "step":
            return biz_step_name(e.biz_step)
        if col == "disposition":
            return disposition_name(e.disposition)
        if col == "where":
            where = e.biz_location or e.read_point
            if e.destinations and e.biz_step == "shipping":
                dest = next(
                    (d.id for d in e.destinations if d.id.startswith("urn:epc:id:sgln")), None
                )
                if dest:
                    return f"{self.names.location(where)} → {self.names.location(dest)}"
            return self.names.location(where)
        if col == "what":
            return what(e)
        if col == "operator":
            return e.operator or ""
        if col == "station":
            return e.station or ""
        return ""


def _read(
    progress: Progress,
    reading: Callable[[], AbstractContextManager[LedgerBackend]],
    reader_fn: PageReader,
    query: EventQuery,
    before: int | None,
) -> Sequence[Row] | _PageFailed:
    """The worker's part: a page through a reader of its own, which Cancel stops.

    A failure comes back as a value, shown under the table in plain words,
    not as a dialog per page or a traceback.
    """
    try:
        with reading() as reader:
            stop_when(reader, lambda: progress.cancelled)
            page = reader_fn(reader, query, before, PAGE)
    except Exception as exc:
        if progress.cancelled:
            raise Cancelled from exc
        if not isinstance(exc, TracerError):
            traceback.print_exc()  # a bug or a broken file: the details go to the log
        return _PageFailed(str(exc) or type(exc).__name__)
    progress.check()
    return page
