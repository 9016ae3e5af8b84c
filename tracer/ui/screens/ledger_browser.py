"""Ledger browser: every event, filtered by lot, product, place, step, time or operator.

The table is a lazy model (see `tracer.ui.event_source`) whose filtered pages
are read off the UI thread, with "Loading…" and Cancel under the filters
while a page is read (see `tracer.ui.event_model`); the detail pane
shows the event as its EPCIS 2.0 JSON; "Correct this event…" writes an
errorDeclaration and the corrective event through `tracer.ledger.corrections`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tracer.epcis.source_ids import source_id
from tracer.errors import TracerError
from tracer.ledger import masterdata
from tracer.ledger.codec import event_to_epcis
from tracer.ui.busy_bar import BusyBar
from tracer.ui.event_model import EventTableModel
from tracer.ui.event_source import Filter, Row, stop_when
from tracer.ui.names import NameBook, localized
from tracer.ui.operations import Cancelled, Operation, Progress
from tracer.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.vocab_names import BIZ_STEPS_COMMON, biz_step_name, error_reason_name
from tracer.ui.widgets import Screen, data_label, empty_state, heading, mono_font


def parse_lot(text: str) -> tuple[str, str] | None:
    """'GTIN/LOT', or any GS1 code carrying (01) and (10)."""
    text = text.strip()
    if not text:
        return None
    if "/" in text and not text.startswith(("http", "(")):
        gtin, lot = text.split("/", 1)
        if gtin.strip().isdigit():
            return gtin.strip().zfill(14), lot.strip()
    from tracer.codes import parse_code

    code = parse_code(text)
    if code.gtin and code.lot:
        return code.gtin, code.lot
    raise TracerError("the code has no lot (AI 10): type GTIN/LOT or scan the lot label")


class LedgerBrowserScreen(Screen):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        ledger = session.ledger
        self.names = NameBook(ledger)
        self.title = heading()
        self.count_label = data_label()

        # filters
        self.lot_edit = QLineEdit()
        self.lot_edit.returnPressed.connect(self.apply_filter)
        self.product_combo = QComboBox()
        self.location_combo = QComboBox()
        self.location_combo.setMinimumContentsLength(18)
        self.step_combo = QComboBox()
        self.operator_combo = QComboBox()
        self.since_check = QCheckBox()
        self.since_edit = QDateTimeEdit()
        self.until_check = QCheckBox()
        self.until_edit = QDateTimeEdit()
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        now = QDateTime.currentDateTime()
        self.since_edit.setDateTime(now.addDays(-30))
        self.until_edit.setDateTime(now.addDays(1))
        self.apply_button = QPushButton()
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply_filter)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_filter)
        self.filter_message = QLabel()
        self.filter_message.setStyleSheet("color: #b00020")
        self._fill_combos()

        grid = QGridLayout()
        self.filter_labels = [QLabel() for _ in range(7)]
        row1 = [
            (self.filter_labels[0], self.lot_edit),
            (self.filter_labels[1], self.product_combo),
            (self.filter_labels[2], self.location_combo),
        ]
        row2 = [
            (self.filter_labels[3], self.step_combo),
            (self.filter_labels[4], self.operator_combo),
        ]
        for c, (label, w) in enumerate(row1):
            grid.addWidget(label, 0, 2 * c)
            grid.addWidget(w, 0, 2 * c + 1)
        for c, (label, w) in enumerate(row2):
            grid.addWidget(label, 1, 2 * c)
            grid.addWidget(w, 1, 2 * c + 1)
        times = QHBoxLayout()
        times.addWidget(self.since_check)
        times.addWidget(self.since_edit)
        times.addWidget(self.until_check)
        times.addWidget(self.until_edit)
        grid.addLayout(times, 1, 5)
        for c in (1, 3, 5):
            grid.setColumnStretch(c, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.filter_message, 1)
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.apply_button)

        # table
        self.model: EventTableModel | None = None
        self._count_op: Operation | None = None
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.empty = empty_state()
        # the busy state: a page of a slow filter is being read off the UI thread
        self.busy = BusyBar()
        self.busy_label, self.busy_cancel = self.busy.label, self.busy.cancel
        self.busy_cancel.clicked.connect(self.cancel_loading)

        # detail
        self.detail_title = data_label(bold=True)
        self.detail_status = QLabel()
        self.detail_status.setWordWrap(True)
        self.detail_source = data_label()  # a partner's own eventID, when it had one
        self.detail_source.setWordWrap(True)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setFont(mono_font())
        self.correct_button = QPushButton()
        self.correct_button.setEnabled(False)
        self.correct_button.clicked.connect(self.correct_selected)
        detail_box = QWidget()
        dl = QVBoxLayout(detail_box)
        dl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.detail_title, 1)
        top.addWidget(self.correct_button)
        dl.addLayout(top)
        dl.addWidget(self.detail_status)
        dl.addWidget(self.detail_source)
        dl.addWidget(self.detail, 1)

        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.busy)
        tl.addWidget(self.table)
        tl.addWidget(self.empty)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(table_box)
        split.addWidget(detail_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 330])

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        if ledger is not None:
            self.model = EventTableModel(
                ledger, self.names, runner=session.runner, reading=session.reading
            )
            self.model.loading_changed.connect(self._loading_changed)
            self.model.failed.connect(self._page_failed)
            self.table.setModel(self.model)
            self.table.selectionModel().currentRowChanged.connect(self._current_changed)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            fm = self.table.fontMetrics()
            samples = ("2000000", "2026-01-05 00:00:00", "Aggregation · observe", "commissioning",
                       "in progress", "Ningbo Starlight Toys Co.", "lgtin:6923456.001001.L260101", "Operator", "Station")  # fmt: skip
            for col, sample in enumerate(samples):
                self.table.setColumnWidth(col, fm.horizontalAdvance(sample) + 24)
            header.setStretchLastSection(True)
        session.events_added.connect(lambda _r: self.refresh())
        self.retranslate()
        self._update_empty()

    # -- filters -------------------------------------------------------------

    def _fill_combos(self) -> None:
        ledger = self.session.ledger
        for combo in (
            self.product_combo,
            self.location_combo,
            self.step_combo,
            self.operator_combo,
        ):
            combo.clear()
            combo.addItem("", None)  # "any", set in retranslate
        if ledger is None:
            return
        for p in masterdata.products(ledger):
            self.product_combo.addItem(f"{localized(p.name, p.name_zh)} · {p.gtin}", p.gtin)
        for loc in sorted(masterdata.locations(ledger), key=lambda x: (x.kind.value, x.name)):
            self.location_combo.addItem(localized(loc.name, loc.name_zh), loc.gln)
        for step in BIZ_STEPS_COMMON:
            self.step_combo.addItem(biz_step_name(step), step)
        for op in masterdata.operators(ledger):
            self.operator_combo.addItem(op.name, op.name)
        self.operator_combo.setEditable(True)

    def current_filter(self) -> Filter:
        lot = parse_lot(self.lot_edit.text())
        gtin = self.product_combo.currentData()
        text = self.operator_combo.currentText().strip()
        operator = None if (not text or text == self.operator_combo.itemText(0)) else text
        return Filter(
            lot=lot,
            gtin=gtin,
            location=self.location_combo.currentData(),
            biz_step=self.step_combo.currentData(),
            operator=operator or None,
            since=_py(self.since_edit) if self.since_check.isChecked() else None,
            until=_py(self.until_edit) if self.until_check.isChecked() else None,
        )

    def apply_filter(self) -> None:
        if self.model is None:
            return
        try:
            flt = self.current_filter()
        except TracerError as exc:
            self.filter_message.setText(str(exc))
            return
        self.filter_message.setText("")
        self._show_row(None)
        self.model.set_filter(flt)
        self._update_count()
        self._update_empty()

    def cancel_loading(self) -> None:
        """Stop reading the filter's page: the rows already read stay."""
        if self.model is not None:
            self.model.cancel_loading()

    def _loading_changed(self, _loading: bool) -> None:
        self._update_busy()
        self._update_empty()

    def _page_failed(self, message: str) -> None:
        self.filter_message.setText(
            self.tr("Could not read the ledger: {error}").format(error=message)
        )
        self._update_busy()

    def _update_busy(self) -> None:
        model = self.model
        loading = model is not None and model.loading
        stopped = model is not None and model.stopped and not self.filter_message.text()
        self.busy.show_state(loading, stopped)

    def clear_filter(self) -> None:
        self.lot_edit.clear()
        for combo in (
            self.product_combo,
            self.location_combo,
            self.step_combo,
            self.operator_combo,
        ):
            combo.setCurrentIndex(0)
        self.since_check.setChecked(False)
        self.until_check.setChecked(False)
        self.apply_filter()

    def set_lot(self, gtin: str, lot: str) -> None:
        self.lot_edit.setText(f"{gtin}/{lot}")
        self.apply_filter()

    def refresh(self) -> None:
        if self.model is not None:
            self.model.refresh()
            self._update_count()
            self._update_empty()

    def _update_count(self) -> None:
        model = self.model
        if model is None:
            self.count_label.setText("")
            return
        if self._count_op is not None:  # an older filter's count: stop it, free the pool
            self.session.runner.cancel(self._count_op)
            self._count_op = None
        if not model.filtered:
            self.count_label.setText(self.tr("{n} events").format(n=f"{len(model.source):,}"))
            return
        src = model.source
        self.count_label.setText(self.tr("counting…"))

        def work(p: Progress) -> int:
            with self.session.reading() as reader:
                stop_when(reader, lambda: p.cancelled)
                try:
                    return reader.event_count(src.filter.query())  # type: ignore[union-attr]
                except Exception:
                    if p.cancelled:
                        raise Cancelled from None
                    raise

        def done(n: int) -> None:
            if self.model is model and model.source is src:
                self.count_label.setText(self.tr("{n} events").format(n=f"{n:,}"))

        self._count_op = Operation(self.tr("Counting events"), work, on_done=done)
        self.session.runner.run(self._count_op)

    def _update_empty(self) -> None:
        model = self.model
        none = model is None or (model.rowCount() == 0 and not model.loading and not model.stopped)
        self.table.setVisible(not none)
        self.empty.setVisible(none)

    # -- detail --------------------------------------------------------------

    def _current_changed(self, current: Any, _previous: Any) -> None:
        self._show_row(
            self.model.row(current.row()) if (self.model and current.isValid()) else None
        )

    def selected_row(self) -> Row | None:
        if self.model is None:
            return None
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def _show_row(self, row: Row | None) -> None:
        if row is None:
            self.detail_title.setText("")
            self.detail_status.setText("")
            self.detail_source.setText("")
            self.detail.setPlainText("")
            self.correct_button.setEnabled(False)
            return
        e = row.stored.event
        self.detail_title.setText(
            self.tr("Event {seq} · recorded {time}").format(
                seq=row.seq, time=row.stored.record_time
            )
        )
        doc = event_to_epcis(e)
        self.detail.setPlainText(json.dumps(doc, ensure_ascii=False, indent=2))
        partner = source_id(self.session.ledger, e) if self.session.ledger else None
        self.detail_source.setText(
            self.tr("Sent with its own eventID: {id}").format(id=partner) if partner else ""
        )
        self.detail_source.setVisible(bool(partner))
        if e.error_declaration is not None:
            status = self.tr(
                "This is an error declaration ({reason}): the event it repeats is cancelled."
            ).format(reason=error_reason_name(e.error_declaration.reason or ""))
        elif row.declared:
            status = self.tr("Declared wrong: left out of traces and reports.")
        else:
            status = ""
        self.detail_status.setText(status)
        self.detail_status.setStyleSheet("color: #b00020" if status else "")
        self.detail_status.setVisible(bool(status))  # no blank line above the detail
        can = (
            not row.declared
            and e.error_declaration is None
            and self.session.ledger is not None
            and not self.session.ledger.readonly
        )
        self.correct_button.setEnabled(can)

    def correct_selected(self) -> None:
        row = self.selected_row()
        if row is None or self.session.ledger is None:
            return
        from tracer.ui.correction_dialog import CorrectionDialog

        dialog = CorrectionDialog(self.session, row, self)
        if dialog.exec():
            self.session.events_added.emit(dialog.result_)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Ledger"))
        labels = (self.tr("Lot"), self.tr("Product"), self.tr("Location"), self.tr("Step"),
                  self.tr("Operator"), "", "")  # fmt: skip
        for label, text in zip(self.filter_labels, labels, strict=True):
            label.setText(text)
        self.lot_edit.setPlaceholderText(self.tr("GTIN/LOT, or scan a lot label"))
        for combo in (
            self.product_combo,
            self.location_combo,
            self.step_combo,
            self.operator_combo,
        ):
            combo.setItemText(0, self.tr("any"))
        self.since_check.setText(self.tr("From"))
        self.until_check.setText(self.tr("to"))
        self.apply_button.setText(self.tr("Filter"))
        self.clear_button.setText(self.tr("Clear"))
        self.correct_button.setText(self.tr("Correct this event…"))
        self._update_busy()
        self.empty.setText(
            self.tr("No events match. Clear the filter, or record events at the scan station.")
            if self.session.ledger is not None
            else self.tr("No ledger is open. Use File → Open ledger.")
        )
        self._update_count()
        row = self.selected_row()
        if row is not None:
            self._show_row(row)
        if self.model is not None:
            self.model.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
            )

    def activated(self) -> None:
        ledger = self.session.ledger
        model = self.model
        stale = model is not None and ledger is not None and not model.filtered
        if stale and len(model.source) != ledger.count():  # type: ignore[union-attr]
            self.refresh()


def _py(edit: QDateTimeEdit) -> datetime:
    return datetime.fromisoformat(edit.dateTime().toString("yyyy-MM-ddTHH:mm:ss")).astimezone()
