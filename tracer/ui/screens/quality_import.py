"""Import a spot-check result sheet (CSV/XLSX): preview, column mapping, row-link report.

Reading and linking (`quality.importer.plan_import`) writes nothing, so the
person sees how each row links (to a lot, to the product only, not at all)
and fixes the column mapping before `commit_import` writes the signals. Both
run as operations with progress.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer.quality.importer import ImportPlan, ImportResult, commit_import, plan_import
from tracer.quality.sheet import FIELDS
from tracer.quality.signal_model import KINDS
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QColor,
    QComboBox,
    QEvent,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tracer.ui.session import Session
from tracer.ui.signal_form import kind_names
from tracer.ui.widgets import GREEN, RED, data_label

LINK_COLORS = {"lot": GREEN, "product": "#d98200", "none": RED}


class ImportPanel(QWidget):
    imported = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.path = QLineEdit()
        self.path.setProperty("data", True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(lambda: self.choose())
        self.kind = QComboBox()
        self.kind.setProperty("vocab", True)
        for k in KINDS:
            self.kind.addItem("", k)
        self.kind.setCurrentIndex(KINDS.index("ecommerce_spot_check"))
        self.read_button = QPushButton()
        self.read_button.clicked.connect(lambda: self.read())
        self.import_button = QPushButton()
        self.import_button.clicked.connect(lambda: self.commit())
        top = QHBoxLayout()
        top.addWidget(self.path, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.kind)
        top.addWidget(self.read_button)
        top.addWidget(self.import_button)

        self.mapping_label = QLabel()
        self.mapping = QTableWidget(len(FIELDS), 1)
        self.mapping.setVerticalHeaderLabels(list(FIELDS))
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.combos: dict[str, QComboBox] = {}
        for r, f in enumerate(FIELDS):
            combo = QComboBox()
            self.combos[f] = combo
            self.mapping.setCellWidget(r, 0, combo)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.mapping_label)
        lv.addWidget(self.mapping, 1)

        self.report = data_label(bold=True)
        self.report.setWordWrap(True)
        self.preview = QTableWidget(0, 0)
        self.preview.verticalHeader().setVisible(False)
        self.preview.horizontalHeader().setStretchLastSection(True)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.report)
        rv.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([300, 800])
        self.message = QLabel()
        self.message.setProperty("data", True)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.choose_button.setText(self.tr("Choose sheet…"))
        self.path.setPlaceholderText(self.tr("a CSV or XLSX result sheet"))
        self.read_button.setText(self.tr("Read and link"))
        self.import_button.setText(self.tr("Import signals"))
        self.mapping_label.setText(self.tr("Column for each field"))
        self.mapping.setHorizontalHeaderLabels([self.tr("Column")])
        self.mapping.setVerticalHeaderLabels([self.field_names()[f] for f in FIELDS])
        kinds = kind_names()
        for i in range(self.kind.count()):
            self.kind.setItemText(i, kinds[self.kind.itemData(i)])
        for combo in self.combos.values():
            if combo.count():
                combo.setItemText(0, self.tr("(none)"))
        self._show_plan()

    def field_names(self) -> dict[str, str]:
        names = {
            "product_name": self.tr("Product name"), "gtin": self.tr("GTIN"),
            "code": self.tr("Code"), "lot": self.tr("Lot"), "result": self.tr("Result"),
            "date": self.tr("Date"), "reporter": self.tr("Reporter"), "place": self.tr("Shop"),
            "description": self.tr("Description"), "severity": self.tr("Severity"),
            "kind": self.tr("Kind"),
        }  # fmt: skip
        return {f: names.get(f, f) for f in FIELDS}

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        self.import_button.setEnabled(self.plan is not None and bool(self.plan.rows))
        self.read_button.setEnabled(bool(self.path.text().strip()))

    def choose(self, path: str | None = None) -> Operation | None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import a result sheet"), "", self.tr("Sheets (*.csv *.xlsx)")
            )
            if not path:
                return None
        self.path.setText(path)
        for combo in self.combos.values():
            combo.clear()
        return self.read()

    def columns(self) -> dict[str, str] | None:
        """The person's mapping as plan_import overrides (1-based column numbers), once known."""
        if self.plan is None or not any(c.count() for c in self.combos.values()):
            return None
        return {f: str(c.currentData()) if c.currentData() else "-" for f, c in self.combos.items()}

    def read(self) -> Operation | None:
        ledger = self.session.ledger
        text = self.path.text().strip()
        if ledger is None or not text:
            return None
        source, kind, columns = Path(text), self.kind.currentData(), self.columns()
        by = self.session.operator

        reading = self.tr("reading")

        def work(progress: Progress) -> ImportPlan:
            progress.report(0, 2, reading)
            plan = plan_import(ledger, source, kind=kind, columns=columns, recorded_by=by)
            progress.report(2, 2)
            return plan

        def failed(message: str) -> None:
            self.message.setText(message)

        self.message.setText("")
        self.result = None
        op = Operation(
            self.tr("Reading {file}").format(file=source.name), work,
            on_done=self._planned, on_error=failed,
        )  # fmt: skip
        return self.session.runner.run(op)

    def _planned(self, plan: ImportPlan) -> None:
        self.plan = plan
        for f, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for i, h in enumerate(plan.sheet.headers):
                combo.addItem(h, i + 1)
            idx = plan.mapping.get(f)
            combo.setCurrentIndex(0 if idx is None else idx + 1)
            combo.blockSignals(False)
        self._show_plan()
        self._update()

    def _show_plan(self) -> None:
        plan = self.plan
        if plan is None:
            self.report.setText("")
            self.preview.setRowCount(0)
            return
        text = self.tr(
            "{rows} rows: {lot} linked to a lot, {product} to the product only, {none} not linked"
        ).format(
            rows=len(plan.rows), lot=len(plan.linked), product=len(plan.product_only),
            none=len(plan.unlinked),
        )  # fmt: skip
        if self.result is not None:
            text += " · " + self.tr("{added} signals added, {already} already there").format(
                added=self.result.added, already=self.result.already_there
            )
        self.report.setText(text)
        fields = [f for f in FIELDS if f in plan.mapping]
        links = {"lot": self.tr("lot"), "product": self.tr("product only"), "none": self.tr("not linked")}  # fmt: skip
        names = self.field_names()
        headers = [self.tr("Row"), *(names[f] for f in fields), self.tr("Link"), self.tr("Why")]
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setRowCount(len(plan.rows))
        for r, row in enumerate(plan.rows):
            values = [str(row.row), *(row.values.get(f, "") for f in fields)]
            values += [links.get(row.link, row.link), row.reason]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if c == len(fields) + 1:
                    item.setForeground(QColor(LINK_COLORS.get(row.link, RED)))
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()

    def commit(self) -> Operation | None:
        ledger, plan = self.session.ledger, self.plan
        if ledger is None or plan is None:
            return None

        writing = self.tr("writing")

        def work(progress: Progress) -> ImportResult:
            progress.report(0, 1, writing)
            return commit_import(ledger, plan)

        def done(result: ImportResult) -> None:
            self.result = result
            self._show_plan()
            self.session.events_added.emit(None)
            self.imported.emit()

        return self.session.runner.run(Operation(self.tr("Importing signals"), work, on_done=done))
