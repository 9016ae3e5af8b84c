"""The ledger browser's table model: lazy, so it stays instant on millions of events."""

from __future__ import annotations

from typing import Any

from tracer.ledger.backend import LedgerBackend
from tracer.model import Event
from tracer.ui.event_source import AllEvents, Filter, FilteredEvents, Row
from tracer.ui.names import NameBook
from tracer.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
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


class EventTableModel(QAbstractTableModel):
    COLUMNS = ("seq", "time", "type", "step", "disposition", "where", "what", "operator", "station")

    def __init__(self, ledger: LedgerBackend, names: NameBook, flt: Filter | None = None) -> None:
        super().__init__()
        self.ledger = ledger
        self.names = names
        self.filter = flt or Filter()
        self.source: AllEvents | FilteredEvents = self._source(self.filter)

    def _source(self, flt: Filter) -> AllEvents | FilteredEvents:
        if flt.empty:
            return AllEvents(self.ledger)
        src = FilteredEvents(self.ledger, flt)
        src.fetch()
        return src

    def set_filter(self, flt: Filter) -> None:
        self.beginResetModel()
        self.filter = flt
        self.source = self._source(flt)
        self.endResetModel()

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
        return isinstance(self.source, FilteredEvents) and not self.source.exhausted

    def fetchMore(self, parent: Index) -> None:
        src = self.source
        if not isinstance(src, FilteredEvents):
            return
        before = len(src)
        # ask first, then announce exactly what arrived
        added = src.fetch()
        if added:
            self.beginInsertRows(QModelIndex(), before, before + added - 1)
            self.endInsertRows()

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
