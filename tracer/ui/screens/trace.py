"""Trace & recall: enter or scan a lot, see where it went (tree, graph, retailers), open a recall.

All answers come from `tracer.recall` (forward_trace / backward_trace,
retailer_list, exports, open_campaign); the trace runs as an operation off the
UI thread. Lots handed over by another screen (a failed inspection) arrive
through `Session.open_recall`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer.devices.base import Scan
from tracer.errors import TracerError
from tracer.recall import (
    TraceGraph,
    backward_trace,
    forward_trace,
    parse_start,
    retailer_list,
    write_retailer_list_csv,
    write_retailer_list_pdf,
    write_retailer_list_xlsx,
)
from tracer.ui.names import NameBook, localized
from tracer.ui.names import region as region_label
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.trace_view import TraceGraphView, units_text
from tracer.ui.widgets import RED, Screen, data_label, empty_state, heading

EXPORTS = ("csv", "xlsx", "pdf", "kde", "json", "dot")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TraceScreen(Screen):
    captures_scans = True  # a scanned lot label starts a trace

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.names = NameBook(session.ledger)
        self.graph: TraceGraph | None = None
        self.title = heading()
        self.start_edit = QLineEdit()
        self.start_edit.returnPressed.connect(self.run_trace)
        self.forward = QRadioButton()
        self.forward.setChecked(True)
        self.backward = QRadioButton()
        self.trace_button = QPushButton()
        self.trace_button.setDefault(True)
        self.trace_button.clicked.connect(self.run_trace)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {RED}")
        self.message.setWordWrap(True)
        self.summary = data_label(bold=True)
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.start_edit, 1)
        top.addWidget(self.forward)
        top.addWidget(self.backward)
        top.addWidget(self.trace_button)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(6)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.graph_view = TraceGraphView()
        self.retailers = QTableWidget(0, 8)
        self.retailers.verticalHeader().setVisible(False)
        self.retailers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.retailers.setSortingEnabled(True)
        self.retailers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tree, "")
        self.tabs.addTab(self.graph_view, "")
        self.tabs.addTab(self.retailers, "")
        self.tabs.currentChanged.connect(lambda i: self.graph_view.fit() if i == 1 else None)
        self.empty = empty_state()

        self.recall_button = QPushButton()
        self.recall_button.clicked.connect(self.open_recall_dialog)
        self.mock_button = QPushButton()
        self.mock_button.clicked.connect(self.run_mock_recall)
        self.export_label = QLabel()
        self.export_combo = QComboBox()
        for kind in EXPORTS:
            self.export_combo.addItem("", kind)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.recall_button)
        bottom.addWidget(self.mock_button)
        bottom.addStretch(1)
        bottom.addWidget(self.export_label)
        bottom.addWidget(self.export_combo)
        bottom.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(bottom)
        self.retranslate()
        self._update_state()

    # -- input -------------------------------------------------------------------

    def accept_scan(self, scan: Scan) -> None:
        code = scan.gs1
        if code is not None and code.gtin and code.lot and not code.serial:
            self.start_edit.setText(f"{code.gtin}/{code.lot}")
        elif scan.identity and scan.identity.startswith("urn:epc:id:"):
            self.start_edit.setText(scan.identity)
        else:
            self.message.setText(scan.error or self.tr("This code names no lot, item or case."))
            return
        self.run_trace()

    def trace_lot(self, lot: Any) -> None:
        """From another screen: trace this (gtin, lot) forward, ready to open a recall."""
        gtin, number = lot
        self.start_edit.setText(f"{gtin}/{number}")
        self.forward.setChecked(True)
        self.run_trace()

    def run_trace(self) -> None:
        ledger = self.session.ledger
        text = self.start_edit.text().strip()
        if ledger is None or not text:
            return
        try:
            start = parse_start(text)
        except TracerError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("")
        forward = self.forward.isChecked()

        def work(_p: Progress) -> TraceGraph:
            with self.session.reading() as reader:
                return (forward_trace if forward else backward_trace)(reader, start)

        op = Operation(self.tr("Tracing {start}").format(start=text), work, on_done=self.show_graph,
                       on_error=self.message.setText)  # fmt: skip
        self.session.runner.run(op)

    # -- output ------------------------------------------------------------------

    def label(self, node: str) -> tuple[str, str]:
        """(text, kind) for a node of the graph: a lot or a place."""
        graph = self.graph
        if graph is not None and node in graph.lots:
            info = graph.lots[node]
            name = localized(info.product or "", info.product_zh) or info.gtin or ""
            return f"{name} · {info.lot}", "lot"
        loc = self.names.locations.get(node)
        if loc is not None:
            return localized(loc.name, loc.name_zh), loc.kind.value
        return node, "other"

    def show_graph(self, graph: TraceGraph) -> None:
        self.graph = graph
        rl = retailer_list(graph)
        retail = [t for t in graph.locations.values() if t.is_retail]
        units = sum(t.units("received") or t.units("shipped_in") for t in retail)
        self.summary.setText(
            self.tr("Lots: {lots} · places: {places} · retailers: {shops} ({units} units) · traced in {ms} ms").format(
                lots=len(graph.lots), places=len(graph.locations), shops=len(retail),
                units=units_text(units), ms=f"{graph.elapsed_ms:.0f}",
            )
        )  # fmt: skip
        self._fill_tree(graph)
        self.graph_view.show_graph(graph, self.label)
        self._fill_retailers(rl)
        self._update_state()

    def _fill_tree(self, graph: TraceGraph) -> None:
        self.tree.clear()
        children: dict[str, list[Any]] = {}
        incoming: set[str] = set()
        for e in graph.edges:
            children.setdefault(e.source, []).append(e)
            incoming.add(e.target)
        roots = [n for n in dict.fromkeys([*graph.lots, *children]) if n not in incoming] or list(
            graph.lots
        )

        def add(parent: Any, node: str, edge: Any, path: frozenset[str]) -> None:
            text, _kind = self.label(node)
            tally = graph.locations.get(node)
            cells = [text, self._kind_name(edge.kind if edge else "start"),
                     units_text(edge.units) if edge else "",
                     units_text(tally.units("sold")) if tally else "",
                     units_text(tally.on_hand()) if tally else "",
                     region_label(tally.location.region) if tally and tally.location else ""]  # fmt: skip
            item = QTreeWidgetItem(cells)
            item.setToolTip(0, node)
            for c in (2, 3, 4):
                item.setTextAlignment(c, RIGHT)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            if node in path or len(path) > 12:
                return
            for child in sorted(children.get(node, []), key=lambda e: -e.units):
                add(item, child.target, child, path | {node})

        for root in roots:
            add(None, root, None, frozenset())
        self.tree.expandAll()

    def _kind_name(self, kind: str) -> str:
        names = {
            "start": self.tr("start"),
            "produced": self.tr("made at"),
            "shipped": self.tr("shipped to"),
            "returned": self.tr("returned to"),
            "input": self.tr("used in"),
        }
        return names.get(kind, kind)

    def _fill_retailers(self, rl: Any) -> None:
        self.retailers.setSortingEnabled(False)
        self.retailers.setRowCount(len(rl.rows))
        for r, row in enumerate(rl.rows):
            cells = [localized(row.name, row.name_zh), region_label(row.region), row.contact or "", row.phone or "",
                     row.units_received, row.units_sold, row.units_returned, row.units_on_hand]  # fmt: skip
            for c, value in enumerate(cells):
                item = QTableWidgetItem()
                if isinstance(value, float):
                    item.setData(0, int(value) if value.is_integer() else value)
                    item.setTextAlignment(RIGHT)
                else:
                    item.setText(value)
                self.retailers.setItem(r, c, item)
        self.retailers.setSortingEnabled(True)

    def _update_state(self) -> None:
        has = self.graph is not None
        self.tabs.setVisible(has)
        self.empty.setVisible(not has)
        can_recall = bool(has and self.graph and self.graph.direction == "forward" and self.session.ledger is not None
                          and not self.session.ledger.readonly)  # fmt: skip
        self.recall_button.setEnabled(can_recall)
        self.mock_button.setEnabled(bool(has and self.graph and self.graph.direction == "forward"))
        self.export_button.setEnabled(has)

    # -- actions -----------------------------------------------------------------

    def export(self, path: str | None = None) -> Path | None:
        """Write the trace (or its retailer list) in the chosen format."""
        graph = self.graph
        if graph is None:
            return None
        kind = self.export_combo.currentData()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export"), f"trace.{kind}", f"*.{kind}"
            )
            if not path:
                return None
        from tracer.recall import export as trace_export

        target = Path(path)
        if kind == "csv":
            write_retailer_list_csv(retailer_list(graph), target)
        elif kind == "xlsx":
            write_retailer_list_xlsx(retailer_list(graph), target)
        elif kind == "pdf":
            write_retailer_list_pdf(retailer_list(graph), target)
        elif kind == "kde":
            from tracer.recall.kde import write_kde_xlsx

            write_kde_xlsx(graph, target)
        elif kind == "json":
            target.write_text(trace_export.trace_to_json(graph), encoding="utf-8")
        else:
            target.write_text(trace_export.trace_to_dot(graph), encoding="utf-8")
        self.message.setText("")
        self.summary.setText(
            self.summary.text().split("\n")[0]
            + "\n"
            + self.tr("Exported to {path}").format(path=target)
        )
        return target

    def open_recall_dialog(self) -> None:
        from tracer.ui.recall_dialog import OpenRecallDialog

        if self.graph is None or self.session.ledger is None:
            return
        dialog = OpenRecallDialog(self.session, self.graph, self)
        if dialog.exec() and dialog.campaign is not None:
            self.session.campaign_opened.emit(dialog.campaign.campaign_id)

    def run_mock_recall(self) -> None:
        """Time the trace and reconcile each lot: produced = shipped + on hand + destroyed + …"""
        ledger = self.session.ledger
        if self.graph is None or ledger is None:
            return
        start = self.graph.start

        def work(_p: Progress) -> Any:
            from tracer.recall.mock import mock_recall

            with self.session.reading() as reader:
                return mock_recall(reader, start)

        def done(result: Any) -> None:
            lines = [
                self.tr("Mock recall of {start}: traced in {ms} ms; {pct} of the units accounted for; {shops} retailers.").format(
                    start=result.start, ms=f"{result.trace_ms:.0f}", pct=f"{result.percent_accounted:.1f}%",
                    shops=result.retail_locations,
                )
            ]  # fmt: skip
            problems = result.discrepancies
            if problems:
                lines.append(
                    self.tr("Discrepancies: {items}").format(items="; ".join(problems[:5]))
                )
            self.summary.setText("\n".join(lines))

        self.session.runner.run(
            Operation(self.tr("Mock recall"), work, on_done=done, on_error=self.message.setText)
        )

    # -- chrome ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Trace & recall"))
        self.start_edit.setPlaceholderText(
            self.tr("Scan a lot label, or type GTIN/LOT, an SGTIN or an SSCC")
        )
        self.forward.setText(self.tr("Forward (where did it go?)"))
        self.backward.setText(self.tr("Backward (where did it come from?)"))
        self.trace_button.setText(self.tr("Trace"))
        self.tabs.setTabText(0, self.tr("Tree"))
        self.tabs.setTabText(1, self.tr("Graph"))
        self.tabs.setTabText(2, self.tr("Retailers"))
        self.tree.setHeaderLabels([self.tr("Lot or place"), self.tr("How"), self.tr("Units"), self.tr("Sold"),
                                   self.tr("On hand"), self.tr("Region")])  # fmt: skip
        self.retailers.setHorizontalHeaderLabels([
            self.tr("Retailer"), self.tr("Region"), self.tr("Contact"), self.tr("Phone"),
            self.tr("Received"), self.tr("Sold"), self.tr("Returned"), self.tr("On hand"),
        ])  # fmt: skip
        self.empty.setText(
            self.tr("Scan or type a lot to see every place it went, with quantities.")
        )
        self.recall_button.setText(self.tr("Open recall campaign…"))
        self.mock_button.setText(self.tr("Mock recall"))
        self.export_label.setText(self.tr("Export"))
        names = {"csv": self.tr("Retailer list (CSV)"), "xlsx": self.tr("Retailer list (Excel)"),
                 "pdf": self.tr("Retailer list (PDF)"), "json": self.tr("Trace (JSON)"), "dot": self.tr("Trace graph (DOT)"),
                 "kde": self.tr("Key data elements, FSMA 204 (Excel)")}  # fmt: skip
        for i in range(self.export_combo.count()):
            self.export_combo.setItemText(i, names[self.export_combo.itemData(i)])
        self.export_button.setText(self.tr("Export…"))
        if self.graph is not None:
            self.show_graph(self.graph)
