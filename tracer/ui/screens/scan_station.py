"""Scan station: the clerk's screen. Big last-scan panel, green/red with a sound, counts.

Every scan reaches this screen through the one `ScanBridge`: the keyboard
wedge wherever the focus is, serial and RFID readers, the camera, or a code
typed below. Recording is the devices' `Recorder` behind the quality checks
(`CheckedRecorder`): a scan is shown green only once its event is durable;
unknown products, expired lots, repeats and malformed codes are shown red
and not recorded (a flagged scan can be recorded anyway, on purpose).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tracer.devices.base import Scan, barcode_scan
from tracer.devices.recorder import DUPLICATE, FAILED, RECORDED, REJECTED, Recorder
from tracer.devices.stations import resolve_station
from tracer.errors import TracerError
from tracer.ledger import masterdata
from tracer.model import LocationKind, Station
from tracer.quality.scan_checks import (
    ALREADY_RECORDED,
    EXPIRED,
    UNKNOWN_PRODUCT,
    CheckedRecorder,
    CheckedResult,
    Flag,
)
from tracer.ui.camera_preview import CameraPreview
from tracer.ui.feedback import ERROR, OK, WARN, Beeper
from tracer.ui.names import NameBook, localized
from tracer.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.scan_panel import LastScanPanel
from tracer.ui.session import Session
from tracer.ui.vocab_names import DISPOSITIONS_COMMON, biz_step_name, disposition_name
from tracer.ui.widgets import AMBER, GREEN, RED, Screen, data_label, heading

MANUAL_DEVICE = "keyboard:manual"
STEPS = ("commissioning", "inspecting", "packing", "shipping", "receiving", "storing",
         "picking", "unpacking", "retail_selling", "holding")  # fmt: skip


class ScanStationScreen(Screen):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.names = NameBook(session.ledger)
        self.beeper = Beeper(self)
        self.lot_counts: Counter[tuple[str, str]] = Counter()
        self.case_counts: Counter[str] = Counter()
        self.last_flag: Flag | None = None
        self.title = heading()

        # station settings
        self.settings_box = QGroupBox()
        self.station_combo = QComboBox()
        self.station_combo.setEditable(True)
        self.location_combo = QComboBox()
        self.step_combo = QComboBox()
        self.step_combo.setProperty("vocab", True)
        self.disposition_combo = QComboBox()
        self.disposition_combo.setProperty("vocab", True)
        self.destination_combo = QComboBox()
        self.apply_button = QPushButton()
        self.apply_button.clicked.connect(self.apply_station)
        self.recording_label = QLabel()
        self.recording_label.setWordWrap(True)
        form = QGridLayout(self.settings_box)
        self.setting_labels = [QLabel() for _ in range(5)]
        cells = [self.station_combo, self.location_combo, self.step_combo,
                 self.disposition_combo, self.destination_combo]  # fmt: skip
        for i, (label, w) in enumerate(zip(self.setting_labels, cells, strict=True)):
            r, c = divmod(i, 3)
            form.addWidget(label, r, 2 * c)
            form.addWidget(w, r, 2 * c + 1)
            form.setColumnStretch(2 * c + 1, 1)
        form.addWidget(self.apply_button, 1, 5)
        form.addWidget(self.recording_label, 2, 0, 1, 6)

        # last scan panel
        self.panel = LastScanPanel()
        self.anyway_button = self.panel.anyway_button
        self.anyway_button.clicked.connect(self.record_anyway)
        self.detail_label = self.panel.detail_label
        self.product_label = self.panel.product_label
        self.lot_value = self.panel.lot_value

        # counts and recent scans
        self.counts_title = heading(12)
        self.counts = QTableWidget(0, 3)
        self.counts.verticalHeader().setVisible(False)
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.recent_title = heading(12)
        self.recent = QTableWidget(0, 3)
        self.recent.verticalHeader().setVisible(False)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.totals_label = data_label(bold=True)
        side = QVBoxLayout()
        side.addWidget(self.counts_title)
        side.addWidget(self.counts, 2)
        side.addWidget(self.totals_label)
        side.addWidget(self.recent_title)
        side.addWidget(self.recent, 3)

        # manual entry
        self.manual = QLineEdit()
        self.manual.returnPressed.connect(self.submit_manual)
        self.manual_button = QPushButton()
        self.manual_button.clicked.connect(self.submit_manual)
        self.devices_label = data_label()
        entry = QHBoxLayout()
        entry.addWidget(self.manual, 1)
        entry.addWidget(self.manual_button)

        middle = QHBoxLayout()
        self.preview = CameraPreview(session.bridge())  # hidden until a camera is attached
        middle.addWidget(self.panel, 3)
        middle.addWidget(self.preview, 3)
        middle.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.settings_box)
        layout.addLayout(middle, 1)
        layout.addLayout(entry)
        layout.addWidget(self.devices_label)

        self._fill_settings()
        self.bridge = session.bridge()
        self.bridge.result.connect(self.show_result)
        self.bridge.error.connect(self._write_failed)
        session.operator_changed.connect(lambda _n: self.apply_station(quiet=True))
        self.retranslate()
        self._set_idle()
        self.apply_station(quiet=True)

    # -- station ---------------------------------------------------------------

    def _fill_settings(self) -> None:
        ledger = self.session.ledger
        self.stations: dict[str, Station] = {}
        for combo in (self.location_combo, self.destination_combo):
            combo.clear()
            combo.addItem("", None)
        self.station_combo.clear()
        self.step_combo.clear()
        self.disposition_combo.clear()
        for step in STEPS:
            self.step_combo.addItem(biz_step_name(step), step)
        for disp in DISPOSITIONS_COMMON:
            self.disposition_combo.addItem(disposition_name(disp), disp)
        if ledger is None:
            return
        self.stations = {s.name: s for s in masterdata.stations(ledger)}
        self.station_combo.addItems(sorted(self.stations))
        own = (LocationKind.FACTORY, LocationKind.WAREHOUSE, LocationKind.SUPPLIER)
        for loc in sorted(masterdata.locations(ledger), key=lambda x: (x.kind.value, x.name)):
            label = localized(loc.name, loc.name_zh)
            if loc.kind in own:
                self.location_combo.addItem(label, loc.gln)
            self.destination_combo.addItem(label, loc.gln)
        last = self.session.user_get("station")
        if last and last in self.stations:
            self.station_combo.setCurrentText(str(last))
        self._station_picked()
        self.station_combo.currentTextChanged.connect(lambda _t: self._station_picked())

    def _station_picked(self) -> None:
        st = self.stations.get(self.station_combo.currentText())
        if st is None:
            return
        _select(self.location_combo, st.location_gln)
        _select(self.step_combo, st.biz_step)
        _select(self.disposition_combo, st.disposition)
        _select(self.destination_combo, st.destination_gln)

    def apply_station(self, quiet: bool = False) -> Station | None:
        """Save the settings as the station and record with it (needs a signed-in operator)."""
        ledger = self.session.ledger
        name = self.station_combo.currentText().strip()
        if ledger is None or not name:
            self.bridge.set_recorder(None)
            self._update_recording(None)
            return None
        try:
            station = (
                resolve_station(
                    ledger,
                    name,
                    location=self.location_combo.currentData(),
                    biz_step=self.step_combo.currentData(),
                    disposition=self.disposition_combo.currentData(),
                    destination=self.destination_combo.currentData(),
                )
                if not ledger.readonly
                else (masterdata.station(ledger, name) or Station(name))
            )
        except TracerError as exc:
            self._show_banner(RED, str(exc))
            return None
        self.stations[name] = station
        self.session.user_set("station", name)
        operator = self.session.operator
        if operator and not ledger.readonly:
            recorder = CheckedRecorder(Recorder(ledger, station, operator=operator))
            self.bridge.set_recorder(recorder)
        else:
            self.bridge.set_recorder(None)
        self._update_recording(station)
        if not quiet:
            self._set_idle()
        return station

    def _update_recording(self, station: Station | None) -> None:
        op = self.session.operator
        if station is None:
            text, color = self.tr("Choose or name a station to start recording."), AMBER
        elif not op:
            text, color = self.tr("Sign in (Operator menu) to record scans."), AMBER
        elif self.session.ledger is not None and self.session.ledger.readonly:
            text, color = self.tr("The ledger is open read-only: scans are not recorded."), AMBER
        else:
            text = self.tr(
                "Recording as {operator} at station {station}: {step}, {disposition}."
            ).format(
                operator=op,
                station=station.name,
                step=biz_step_name(station.biz_step) or "—",
                disposition=disposition_name(station.disposition) or "—",
            )
            color = GREEN
        self.recording_label.setText(text)
        self.recording_label.setStyleSheet(f"color: {color}; font-weight: bold;")

    # -- scans -----------------------------------------------------------------

    def submit_manual(self) -> None:
        text = self.manual.text().strip()
        if not text:
            return
        self.manual.clear()
        self.bridge.put(barcode_scan(text, MANUAL_DEVICE))

    def accept_scan(self, scan: Scan) -> None:
        """Unused: the scan station records through the bridge (capture stays off here)."""

    def record_anyway(self) -> None:
        flag = self.last_flag
        recorder = self.bridge.recorder
        if flag is None or recorder is None:
            return
        recorder.allow_once(flag.scan.key)
        self.bridge.put(flag.scan)
        self.anyway_button.hide()

    def show_result(self, result: CheckedResult) -> None:
        """A batch came back from the writer (recorded ones are durable now)."""
        for flag in result.flagged:
            self._show_flag(flag)
        for outcome in result.outcomes:
            self._show_outcome(outcome)
        if result.recorded is not None and result.recorded.append.count:
            self.session.events_added.emit(result.recorded.append)

    def _show_outcome(self, outcome: Any) -> None:
        scan: Scan = outcome.scan
        self._show_code(scan)
        if outcome.status == RECORDED:
            self._count(scan)
            self._show_banner(GREEN, self.tr("✔ Recorded"))
            self.detail_label.setText(
                self.tr("Event {seq} is in the ledger.").format(seq=outcome.seq)
            )
            self.beeper.play(OK)
            self._add_recent(scan, self.tr("recorded"), GREEN)
        elif outcome.status == DUPLICATE:
            self._show_banner(AMBER, self.tr("Already scanned: counted once"))
            self.detail_label.setText(
                self.tr("Read {n} times in a row; recorded once.").format(n=outcome.read_count)
            )
            self.beeper.play(WARN)
            self._add_recent(scan, self.tr("repeat"), AMBER)
        elif outcome.status in (REJECTED, FAILED):
            self._show_banner(RED, self.tr("✖ Not recorded: the code cannot be read as GS1"))
            self.detail_label.setText(outcome.reason or "")
            self.beeper.play(ERROR)
            self._add_recent(scan, self.tr("malformed"), RED)
        self.anyway_button.hide()

    def _show_flag(self, flag: Flag) -> None:
        self._show_code(flag.scan)
        d = flag.detail
        if flag.kind == UNKNOWN_PRODUCT:
            banner = self.tr("✖ Not recorded: unknown product")
            detail = self.tr(
                "GTIN {gtin} is not in the master data. Check the label, or add the product."
            ).format(gtin=d.get("gtin", ""))
            short = self.tr("unknown product")
        elif flag.kind == EXPIRED:
            banner = self.tr("✖ Not recorded: lot expired")
            detail = self.tr("Lot {lot} expired on {date}.").format(
                lot=d.get("lot", ""), date=d.get("expiry", "")
            )
            short = self.tr("expired")
        elif flag.kind == ALREADY_RECORDED:
            banner = self.tr("✖ Not recorded: already recorded here")
            detail = self.tr(
                "This item or case was recorded at this station for this step (event {seq})."
            ).format(seq=d.get("seq", ""))
            short = self.tr("duplicate")
        else:
            banner, detail, short = flag.kind, "", flag.kind
        self._show_banner(RED, banner)
        self.detail_label.setText(detail)
        self.beeper.play(ERROR)
        self._add_recent(flag.scan, short, RED)
        self.last_flag = flag
        self.anyway_button.show()

    def _write_failed(self, message: str) -> None:
        self._show_banner(RED, self.tr("✖ Not recorded: the ledger refused the write"))
        self.detail_label.setText(message)
        self.beeper.play(ERROR)

    def _show_code(self, scan: Scan) -> None:
        code = scan.gs1
        expiry = None
        if code is not None and code.gtin and code.lot and self.session.ledger is not None:
            lot = masterdata.lot(self.session.ledger, code.gtin.zfill(14), code.lot)
            expiry = lot.expiry_date if lot else None
        self.panel.show_code(scan, self.names, expiry)

    def _show_banner(self, color: str, text: str) -> None:
        self.panel.show_banner(color, text)

    def _set_idle(self) -> None:
        self.panel.set_idle()

    def _count(self, scan: Scan) -> None:
        code = scan.gs1
        if code is not None and code.sscc:
            self.case_counts[code.sscc] += 1
        elif code is not None and code.gtin:
            self.lot_counts[(code.gtin, code.lot or "")] += int(code.count or 1)
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        rows: list[tuple[str, str, int]] = []
        for (gtin, lot), n in self.lot_counts.most_common():
            rows.append((self.names.product(gtin) or gtin, lot or self.tr("(no lot)"), n))
        for sscc, n in self.case_counts.most_common():
            rows.append((self.tr("Case {sscc}").format(sscc=sscc), "", n))
        self.counts.setRowCount(len(rows))
        for r, (what, lot, n) in enumerate(rows):
            self.counts.setItem(r, 0, QTableWidgetItem(what))
            self.counts.setItem(r, 1, QTableWidgetItem(lot))
            item = QTableWidgetItem(str(n))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts.setItem(r, 2, item)
        self.totals_label.setText(
            self.tr("{units} units in {lots} lots, {cases} cases this session").format(
                units=sum(self.lot_counts.values()),
                lots=len(self.lot_counts),
                cases=len(self.case_counts),
            )
        )

    def _add_recent(self, scan: Scan, status: str, color: str) -> None:
        self.recent.insertRow(0)
        t = QTableWidgetItem(scan.time.strftime("%H:%M:%S"))
        code = QTableWidgetItem(scan.text.replace("\x1d", "<GS>"))
        st = QTableWidgetItem(status)
        st.setForeground(_qcolor(color))
        for c, item in enumerate((t, code, st)):
            self.recent.setItem(0, c, item)
        if self.recent.rowCount() > 200:
            self.recent.setRowCount(200)

    # -- chrome ----------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan station"))
        self.settings_box.setTitle(self.tr("Station settings"))
        for label, text in zip(
            self.setting_labels,
            (
                self.tr("Station"),
                self.tr("Location"),
                self.tr("Step"),
                self.tr("Disposition"),
                self.tr("Ship to"),
            ),
            strict=True,
        ):
            label.setText(text)
        for combo in (self.location_combo, self.destination_combo):
            if combo.count():
                combo.setItemText(0, self.tr("none"))
        for i, step in enumerate(STEPS):
            self.step_combo.setItemText(i, biz_step_name(step))
        for i, disp in enumerate(DISPOSITIONS_COMMON):
            self.disposition_combo.setItemText(i, disposition_name(disp))
        self.apply_button.setText(self.tr("Use these settings"))
        self.counts_title.setText(self.tr("Counts"))
        self.counts.setHorizontalHeaderLabels(
            [self.tr("Product / case"), self.tr("Lot"), self.tr("Count")]
        )
        self.recent_title.setText(self.tr("Recent scans"))
        self.recent.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Code"), self.tr("Result")])
        self.manual.setPlaceholderText(
            self.tr("Type or paste a code (GS1 element string, GTIN, SSCC or Digital Link)")
        )
        self.manual_button.setText(self.tr("Record"))
        self._refresh_counts()
        station = self.stations.get(self.station_combo.currentText())
        self._update_recording(station)

    def shutdown(self) -> None:
        self.bridge.set_recorder(None)


def _select(combo: QComboBox, value: str | None) -> None:
    i = combo.findData(value)
    combo.setCurrentIndex(max(i, 0))


def _qcolor(color: str) -> Any:
    from tracer.ui.qt import QBrush, QColor

    return QBrush(QColor(color))
