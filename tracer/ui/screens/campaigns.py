"""Recall campaigns: affected retailers with contacts, notices, acknowledgements, returns,
progress per region, and every report of the recall as an export.

State and numbers come from `tracer.recall` (get_campaign, campaign_progress,
record_*); each button writes one EPCIS event through those functions and the
screen re-reads the campaign. Files are written as operations off the UI thread.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracer.errors import TracerError
from tracer.recall import (
    campaign_progress,
    close_campaign,
    get_campaign,
    list_campaigns,
    record_ack,
    record_destroy,
    record_notified,
    record_return,
)
from tracer.ui.names import localized
from tracer.ui.names import region as region_label
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import RED, Screen, data_label, empty_state, heading

# export key -> (module, function, suffix); the function takes (ledger, campaign_id, path)
REPORTS: dict[str, tuple[str, str, str]] = {
    "plan": ("tracer.recall.reports", "write_recall_plan", "pdf"),
    "progress": ("tracer.recall.reports", "write_progress_report", "pdf"),
    "summary": ("tracer.recall.reports", "write_closing_summary", "pdf"),
}


def report_writer(key: str) -> Callable[..., Any] | None:
    module, name, _suffix = REPORTS[key]
    try:
        return getattr(importlib.import_module(module), name, None)  # type: ignore[no-any-return]
    except ImportError:
        return None


class CampaignScreen(Screen):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.campaign: Any = None
        self.title = heading()
        self.list = QListWidget()
        self.list.setMinimumWidth(200)
        self.list.currentItemChanged.connect(self._picked)
        self.empty = empty_state()

        self.header = data_label(size=13, bold=True)
        self.header.setWordWrap(True)
        self.details = data_label()
        self.details.setWordWrap(True)
        self.overall = QProgressBar()
        self.overall.setFormat("%p%")
        self.overall_label = QLabel()
        self.regions_box = QGroupBox()
        self.regions_grid = QGridLayout(self.regions_box)
        self.targets = QTableWidget(0, 10)
        self.targets.verticalHeader().setVisible(False)
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.targets.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.targets.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.notify_button = QPushButton()
        self.notify_button.clicked.connect(self.mark_notified)
        self.ack_button = QPushButton()
        self.ack_button.clicked.connect(self.record_ack)
        self.return_button = QPushButton()
        self.return_button.clicked.connect(lambda: self.record_units("return"))
        self.destroy_button = QPushButton()
        self.destroy_button.clicked.connect(lambda: self.record_units("destroy"))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close_campaign)
        actions = QHBoxLayout()
        for b in (self.notify_button, self.ack_button, self.return_button, self.destroy_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.close_button)

        self.export_label = QLabel()
        self.export_combo = QComboBox()
        for key in ("notices", "list_csv", "list_xlsx", "list_pdf", "plan", "progress", "summary"):
            self.export_combo.addItem("", key)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.export())
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.export_label)
        exports.addWidget(self.export_combo)
        exports.addWidget(self.export_button)

        self.detail = QWidget()
        dl = QVBoxLayout(self.detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.header)
        dl.addWidget(self.details)
        overall = QHBoxLayout()
        overall.addWidget(self.overall_label)
        overall.addWidget(self.overall, 1)
        dl.addLayout(overall)
        dl.addWidget(self.regions_box)
        dl.addWidget(self.targets, 1)
        dl.addLayout(actions)
        dl.addWidget(self.message)
        dl.addLayout(exports)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.detail)
        rl.addWidget(self.empty)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([210, 950])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        self.retranslate()
        self.reload()

    # -- data ----------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        ledger = self.session.ledger
        current = select or (self.campaign.campaign_id if self.campaign else None)
        self.list.blockSignals(True)
        self.list.clear()
        campaigns = list_campaigns(ledger) if ledger is not None else []
        for c in sorted(campaigns, key=lambda c: c.opened_at, reverse=True):
            item = QListWidgetItem(f"{c.campaign_id}\n{c.reason}")
            item.setData(Qt.ItemDataRole.UserRole, c.campaign_id)
            if c.status == "closed":
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
            if c.campaign_id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._picked(self.list.currentItem(), None)

    def show_campaign(self, campaign_id: str) -> None:
        self.reload(select=campaign_id)

    def _picked(self, item: Any, _previous: Any) -> None:
        ledger = self.session.ledger
        self.campaign = None
        if item is not None and ledger is not None:
            self.campaign = get_campaign(ledger, item.data(Qt.ItemDataRole.UserRole))
        self._show()

    def _show(self) -> None:
        c = self.campaign
        self.detail.setVisible(c is not None)
        self.empty.setVisible(c is None)
        if c is None:
            return
        ledger = self.session.ledger
        progress = campaign_progress(ledger, c.campaign_id)  # type: ignore[arg-type]
        hazard = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}.get(
            c.hazard, c.hazard
        )
        remedy = {
            "return": self.tr("return"),
            "destroy": self.tr("destroy"),
            "repair": self.tr("repair"),
        }.get(c.remedy, c.remedy)
        status = self.tr("closed") if c.status == "closed" else self.tr("open")
        self.header.setText(f"{c.campaign_id} · {status} · {c.reason}")
        self.details.setText(
            self.tr("Hazard {hazard} · remedy: {remedy} · opened {when} by {who} · lots: {lots}").format(
                hazard=hazard, remedy=remedy, when=c.opened_at[:16].replace("T", " "),
                who=c.opened_by or "—", lots=len(c.affected_lots),
            )
        )  # fmt: skip
        self.overall.setValue(round(progress.percent_of_shipped))
        self.overall_label.setText(
            self.tr("{acc} of {shipped} units accounted for (returned, destroyed or sold) · {notified}/{targets} notified · {acked} acknowledged").format(
                acc=_n(progress.units_accounted + progress.units_sold), shipped=_n(progress.units_shipped),
                notified=progress.notified, targets=progress.targets, acked=progress.acknowledged,
            )
        )  # fmt: skip
        self._fill_regions(progress)
        self._fill_targets(c)
        open_ = c.status != "closed" and not ledger.readonly  # type: ignore[union-attr]
        for b in (
            self.notify_button,
            self.ack_button,
            self.return_button,
            self.destroy_button,
            self.close_button,
        ):
            b.setEnabled(open_)

    def _fill_regions(self, progress: Any) -> None:
        while self.regions_grid.count():
            w = self.regions_grid.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.setParent(None)
                w.deleteLater()
        for col in (1, 4):
            self.regions_grid.setColumnStretch(col, 1)
        for r, region in enumerate(progress.regions):
            name = data_label(region_label(region.region) or "—")
            bar = QProgressBar()
            on_hand = region.units_on_hand or 0.0
            pct = (
                100 if not on_hand else round(100 * min(region.units_accounted, on_hand) / on_hand)
            )
            bar.setValue(pct)
            bar.setFormat(f"%p% · {_n(region.units_accounted)}/{_n(on_hand)}")
            bar.setProperty("region", region.region)
            info = data_label(
                self.tr("{acked}/{targets} acknowledged").format(
                    acked=region.acknowledged, targets=region.targets
                )
            )
            self.regions_grid.addWidget(name, r // 2, (r % 2) * 3)
            self.regions_grid.addWidget(bar, r // 2, (r % 2) * 3 + 1)
            self.regions_grid.addWidget(info, r // 2, (r % 2) * 3 + 2)

    def _fill_targets(self, c: Any) -> None:
        self.targets.setRowCount(len(c.targets))
        for r, t in enumerate(c.targets):
            cells = [
                localized(t.name or t.sgln, t.name_zh), region_label(t.region), t.contact or "", t.phone or "",
                _n(t.units_shipped), _n(t.units_on_hand),
                (t.notified_at or "")[:10], (t.acknowledged_at or "")[:10],
                _n(t.units_returned), _n(t.units_destroyed),
            ]  # fmt: skip
            for col, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, t.gln or t.sgln)
                if col in (4, 5, 8, 9):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.targets.setItem(r, col, item)

    def selected_targets(self) -> list[str]:
        rows = sorted({i.row() for i in self.targets.selectedIndexes()})
        return [self.targets.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    # -- actions -------------------------------------------------------------------

    def _write(self, what: Callable[[], Any]) -> bool:
        try:
            what()
        except TracerError as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet(f"color: {RED}")
            return False
        self.message.setText("")
        self.session.events_added.emit(None)
        self.reload()
        return True

    def mark_notified(self) -> None:
        glns = self.selected_targets() or [
            t.gln or t.sgln for t in self.campaign.targets if not t.notified_at
        ]
        if glns:
            self._write(
                lambda: record_notified(
                    self.session.ledger, self.campaign.campaign_id, glns, by=self.session.operator
                )
            )

    def record_ack(self) -> None:
        glns = self.selected_targets()
        if not glns:
            self.message.setText(self.tr("Select the retailers that acknowledged."))
            return
        cid = self.campaign.campaign_id

        def write() -> None:
            for g in glns:
                record_ack(self.session.ledger, cid, g, by=self.session.operator)

        self._write(write)

    def record_units(self, what: str, quantity: float | None = None) -> None:
        glns = self.selected_targets()
        if len(glns) != 1:
            self.message.setText(self.tr("Select one retailer."))
            return
        if quantity is None:
            label = (
                self.tr("Units returned")
                if what == "return"
                else self.tr("Units destroyed on site")
            )
            value, ok = QInputDialog.getDouble(self, label, label, 1.0, 0.0, 1e9, 0)
            if not ok:
                return
            quantity = value
        fn = record_return if what == "return" else record_destroy
        cid = self.campaign.campaign_id
        self._write(lambda: fn(self.session.ledger, cid, glns[0], quantity))

    def close_campaign(self) -> None:
        cid = self.campaign.campaign_id
        self._write(lambda: close_campaign(self.session.ledger, cid, by=self.session.operator))

    def export(self, path: str | None = None) -> Operation | None:
        """Write the chosen document(s) off the UI thread; notices go into a folder."""
        c = self.campaign
        ledger = self.session.ledger
        if c is None or ledger is None:
            return None
        key = self.export_combo.currentData()
        if path is None:
            if key == "notices":
                path = QFileDialog.getExistingDirectory(self, self.tr("Folder for the notices"))
            else:
                suffix = {"list_csv": "csv", "list_xlsx": "xlsx"}.get(key, "pdf")
                path, _ = QFileDialog.getSaveFileName(
                    self, self.tr("Export"), f"{c.campaign_id}_{key}.{suffix}"
                )
            if not path:
                return None
        target = Path(path)
        cid = c.campaign_id

        def work(_p: Progress) -> list[Path]:
            from tracer.recall import forward_trace, retailer_list
            from tracer.recall.notices import write_notices

            if key == "notices":
                return write_notices(ledger, cid, target)
            if key.startswith("list_"):
                from tracer.recall import listfiles

                with self.session.reading() as reader:
                    rl = retailer_list(forward_trace(reader, list(c.lots)), title=cid)
                writer = getattr(listfiles, f"write_retailer_list_{key[5:]}")
                return [writer(rl, target)]
            fn = report_writer(key)
            if fn is None:
                raise TracerError(self.tr("This report is not available in this version."))
            return [fn(ledger, cid, target)]

        def done(paths: list[Path]) -> None:
            self.message.setStyleSheet("")
            self.message.setText(
                self.tr("Wrote {n} file(s) to {where}").format(n=len(paths), where=target)
            )

        return self.session.runner.run(
            Operation(
                self.tr("Writing {what}").format(what=self.export_combo.currentText()),
                work,
                on_done=done,
            )
        )

    def activated(self) -> None:
        self.reload()

    # -- chrome --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Recall campaigns"))
        self.empty.setText(
            self.tr(
                "No recall campaign yet. Trace a lot on Trace & recall, then open a campaign from it."
            )
        )
        self.regions_box.setTitle(self.tr("Progress by region"))
        self.targets.setHorizontalHeaderLabels([
            self.tr("Retailer"), self.tr("Region"), self.tr("Contact"), self.tr("Phone"), self.tr("Received"),
            self.tr("On hand"), self.tr("Notified"), self.tr("Acknowledged"), self.tr("Returned"), self.tr("Destroyed"),
        ])  # fmt: skip
        self.notify_button.setText(self.tr("Mark notified"))
        self.ack_button.setText(self.tr("Record acknowledgement"))
        self.return_button.setText(self.tr("Record return…"))
        self.destroy_button.setText(self.tr("Record destroyed…"))
        self.close_button.setText(self.tr("Close campaign"))
        self.export_label.setText(self.tr("Export"))
        names = {
            "notices": self.tr("Notices to retailers (PDF + e-mail)"),
            "list_csv": self.tr("Retailer list (CSV)"),
            "list_xlsx": self.tr("Retailer list (Excel)"),
            "list_pdf": self.tr("Retailer list (PDF)"),
            "plan": self.tr("Recall plan (PDF)"),
            "progress": self.tr("Progress report (PDF)"),
            "summary": self.tr("Closing summary (PDF)"),
        }
        for i in range(self.export_combo.count()):
            self.export_combo.setItemText(i, names[self.export_combo.itemData(i)])
        self.export_button.setText(self.tr("Export…"))
        self._show()


def _n(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"
