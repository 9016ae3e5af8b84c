"""Master data: products, lots, locations (retailers with contacts), stations, operators;
CSV / XLSX import through `tracer.ledger.masterdata_import`."""

from __future__ import annotations

import dataclasses
from enum import Enum
from pathlib import Path
from typing import Any

from tracer.ledger import masterdata
from tracer.ledger.masterdata_import import ImportReport, import_sheet
from tracer.ui.names import region
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCoreApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import RED, Screen, heading

KIND_LOADERS = {
    "products": masterdata.products,
    "lots": masterdata.lots,
    "locations": masterdata.locations,
    "stations": masterdata.stations,
    "operators": masterdata.operators,
}


def field_title(name: str) -> str:
    titles = {
        "gtin": QCoreApplication.translate("MasterData", "GTIN"), "name": QCoreApplication.translate("MasterData", "Name"), "name_zh": QCoreApplication.translate("MasterData", "Chinese name"),
        "spec": QCoreApplication.translate("MasterData", "Specification"), "standard": QCoreApplication.translate("MasterData", "Standard"),
        "brand": QCoreApplication.translate("MasterData", "Brand"), "producer_gln": QCoreApplication.translate("MasterData", "Producer GLN"),
        "unit": QCoreApplication.translate("MasterData", "Unit"), "lot": QCoreApplication.translate("MasterData", "Lot"),
        "production_date": QCoreApplication.translate("MasterData", "Made on"), "expiry_date": QCoreApplication.translate("MasterData", "Expires"),
        "quantity": QCoreApplication.translate("MasterData", "Quantity"), "location_gln": QCoreApplication.translate("MasterData", "Location GLN"),
        "gln": QCoreApplication.translate("MasterData", "GLN"), "kind": QCoreApplication.translate("MasterData", "Kind"), "address": QCoreApplication.translate("MasterData", "Address"),
        "region": QCoreApplication.translate("MasterData", "Region"), "city": QCoreApplication.translate("MasterData", "City"),
        "contact": QCoreApplication.translate("MasterData", "Contact"), "phone": QCoreApplication.translate("MasterData", "Phone"),
        "email": QCoreApplication.translate("MasterData", "E-mail"), "party_gln": QCoreApplication.translate("MasterData", "Company GLN"),
        "biz_step": QCoreApplication.translate("MasterData", "Step"), "disposition": QCoreApplication.translate("MasterData", "Disposition"),
        "destination_gln": QCoreApplication.translate("MasterData", "Ships to GLN"), "device": QCoreApplication.translate("MasterData", "Device"),
        "pin_hash": QCoreApplication.translate("MasterData", "PIN set"), "role": QCoreApplication.translate("MasterData", "Role"),
    }  # fmt: skip
    return titles.get(name, name)


class RecordModel(QAbstractTableModel):
    """A read-only table over a list of master-data dataclasses."""

    def __init__(self, records: list[Any], cls: type[Any]) -> None:
        super().__init__()
        self.records = records
        self.fields = [f.name for f in dataclasses.fields(cls)]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return field_title(self.fields[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if (
            role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            or not index.isValid()
        ):
            return None
        name = self.fields[index.column()]
        value = getattr(self.records[index.row()], name)
        if name == "pin_hash":
            return "✔" if value else ""
        if name == "region" and value and role == Qt.ItemDataRole.DisplayRole:
            return region(value)  # shown in the UI language; the tooltip keeps what is stored
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, float):
            return f"{value:g}"
        return "" if value is None else str(value)


class MasterDataScreen(Screen):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.title = heading()
        self.search = QLineEdit()
        self.search.textChanged.connect(self._filter)
        self.tabs = QTabWidget()
        self.views: dict[str, QTableView] = {}
        self.proxies: dict[str, QSortFilterProxyModel] = {}
        for kind in KIND_LOADERS:
            view = QTableView()
            view.setSortingEnabled(True)
            view.setAlternatingRowColors(True)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.horizontalHeader().setStretchLastSection(True)
            self.views[kind] = view
            self.tabs.addTab(view, "")
        self.tabs.currentChanged.connect(lambda _i: self._load(self.current_kind()))
        self.import_button = QPushButton()
        self.import_button.clicked.connect(lambda: self.import_file())
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.report)
        layout.addWidget(self.hint)
        session.masterdata_changed.connect(self.reload)
        self.retranslate()
        self._load(self.current_kind())

    def current_kind(self) -> str:
        return list(KIND_LOADERS)[self.tabs.currentIndex()]

    def _load(self, kind: str, force: bool = False) -> None:
        if kind in self.proxies and not force:
            return
        ledger = self.session.ledger
        records = KIND_LOADERS[kind](ledger) if ledger is not None else []  # type: ignore[operator]
        from tracer.ledger.masterdata_import import KINDS

        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(RecordModel(list(records), KINDS[kind]))
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        proxy.setFilterFixedString(self.search.text())
        self.proxies[kind] = proxy
        view = self.views[kind]
        view.setModel(proxy)
        for c in range(proxy.columnCount()):
            view.setColumnWidth(c, 150)
        self._update_count()

    def reload(self) -> None:
        self.proxies.clear()
        self._load(self.current_kind())

    def _filter(self, text: str) -> None:
        for proxy in self.proxies.values():
            proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self) -> None:
        proxy = self.proxies.get(self.current_kind())
        if proxy is not None:
            self.hint.setText(
                self.tr("{shown} of {total} shown. Import a CSV or Excel sheet whose first row names the columns (English field names or Chinese headers such as 名称, 地址, 联系人).").format(
                    shown=proxy.rowCount(), total=proxy.sourceModel().rowCount()
                )
            )  # fmt: skip

    def import_file(self, path: str | None = None) -> Operation | None:
        kind = self.current_kind()
        ledger = self.session.ledger
        if ledger is None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import {kind}").format(kind=self.tabs.tabText(self.tabs.currentIndex())),
                                                  "", self.tr("Sheets (*.csv *.xlsx)"))  # fmt: skip
            if not path:
                return None

        def work(_p: Progress) -> ImportReport:
            return import_sheet(ledger, kind, Path(path))

        def done(report: ImportReport) -> None:
            if report.errors:
                lines = [
                    self.tr("Nothing imported: {n} rows need fixing.").format(n=len(report.errors))
                ]
                lines += [
                    self.tr("row {row}: {why}").format(row=r, why=why)
                    for r, why in report.errors[:8]
                ]
                self.report.setText("\n".join(lines))
                self.report.setStyleSheet(f"color: {RED}")
            else:
                self.report.setStyleSheet("")
                self.report.setText(self.tr("Imported {n} records.").format(n=report.written))
                self.session.masterdata_changed.emit()

        def failed(message: str) -> None:
            self.report.setStyleSheet(f"color: {RED}")
            self.report.setText(message)

        op = Operation(
            self.tr("Importing {file}").format(file=Path(path).name),
            work,
            on_done=done,
            on_error=failed,
        )
        return self.session.runner.run(op)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Master data"))
        self.search.setPlaceholderText(self.tr("Search all columns"))
        names = (
            self.tr("Products"),
            self.tr("Lots"),
            self.tr("Locations"),
            self.tr("Stations"),
            self.tr("Operators"),
        )
        for i, text in enumerate(names):
            self.tabs.setTabText(i, text)
        self.import_button.setText(self.tr("Import CSV / Excel…"))
        for proxy in self.proxies.values():
            model = proxy.sourceModel()
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)
        self._update_count()
