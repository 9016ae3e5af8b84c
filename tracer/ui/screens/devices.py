"""Devices: what is plugged in, connect / disconnect, live status lights, last frame, test read.

Drivers, URIs, listing and fault messages (with the fix) are the devices
package's; this screen opens readers by URI and attaches them to the one
ScanBridge, then draws the statuses and frames the bridge relays.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tracer.devices import DeviceState, DeviceStatus, Scan, open_reader
from tracer.errors import TracerError
from tracer.ui.operations import Operation, Progress
from tracer.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.scan_bridge import WEDGE_URI
from tracer.ui.session import Session
from tracer.ui.widgets import AMBER, GREEN, GREY, RED, Screen, StatusLight, data_label, heading

LIGHTS = {
    DeviceState.CONNECTED: GREEN,
    DeviceState.CONNECTING: AMBER,
    DeviceState.RECONNECTING: AMBER,
    DeviceState.UNUSABLE: RED,
    DeviceState.STOPPED: GREY,
}


@dataclass(frozen=True)
class Param:
    name: str
    choices: tuple[str, ...]  # first is the driver's default


# the settings each driver takes (docs/devices.md), offered as choices
DRIVER_PARAMS: dict[str, tuple[Param, ...]] = {
    "serial": (Param("baud", ("9600", "19200", "38400", "57600", "115200")),
               Param("suffix", ("CR", "LF", "CRLF", "TAB", "ETX")), Param("parity", ("N", "E", "O"))),
    "rdm6300": (Param("baud", ("9600",)),),
    "uhf-chafon": (Param("model", ("288", "18")), Param("power", ("26", "20", "30", "10")),
                   Param("antenna", ("1", "2", "3", "4")), Param("baud", ("57600", "115200"))),
    "llrp": (Param("power", ("", "20", "25", "30")), Param("antennas", ("1", "1,2", "1,2,3,4"))),
    "camera": (Param("backend", ("zxing", "zbar")), Param("width", ("", "1280", "1920"))),
}  # fmt: skip


class DevicesScreen(Screen):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.bridge = session.bridge()
        self.rows: dict[str, int] = {}
        self.last_status: dict[str, DeviceStatus] = {}
        self.testing: str | None = None
        self.title = heading()

        # found
        self.found_box = QGroupBox()
        self.found = QListWidget()
        self.found.currentItemChanged.connect(self._found_picked)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh_found)
        fb = QVBoxLayout(self.found_box)
        fb.addWidget(self.found, 1)
        fb.addWidget(self.refresh_button)

        # add a device
        self.add_box = QGroupBox()
        self.scheme = QComboBox()
        for scheme in DRIVER_PARAMS:
            self.scheme.addItem(scheme, scheme)
        self.scheme.currentIndexChanged.connect(self._build_params)
        self.path = QLineEdit()
        self.params_form = QFormLayout()
        self.param_combos: dict[str, QComboBox] = {}
        self.uri = QLineEdit()
        self.connect_button = QPushButton()
        self.connect_button.clicked.connect(lambda: self.connect_uri(self.uri.text().strip()))
        self.add_message = QLabel()
        self.add_message.setWordWrap(True)
        self.add_message.setStyleSheet(f"color: {RED}")
        self.add_labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        form.addRow(self.add_labels[0], self.scheme)
        form.addRow(self.add_labels[1], self.path)
        ab = QVBoxLayout(self.add_box)
        ab.addLayout(form)
        ab.addLayout(self.params_form)
        uri_row = QHBoxLayout()
        uri_row.addWidget(self.add_labels[2])
        uri_row.addWidget(self.uri, 1)
        ab.addLayout(uri_row)
        ab.addWidget(self.connect_button)
        ab.addWidget(self.add_message)
        ab.addStretch(1)
        self.path.textChanged.connect(self._update_uri)

        # connected
        self.table = QTableWidget(0, 6)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.disconnect_button = QPushButton()
        self.disconnect_button.clicked.connect(self.disconnect_selected)
        self.test_button = QPushButton()
        self.test_button.clicked.connect(self.test_read)
        self.test_label = data_label()
        self.test_label.setWordWrap(True)
        self.connected_title = heading(12)
        actions = QHBoxLayout()
        actions.addWidget(self.disconnect_button)
        actions.addWidget(self.test_button)
        actions.addWidget(self.test_label, 1)

        top = QHBoxLayout()
        top.addWidget(self.found_box, 1)
        top.addWidget(self.add_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.connected_title)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.bridge.status.connect(self.show_status)
        self.bridge.scanned.connect(self.show_frame)
        self.bridge.captured.connect(self._test_captured)
        self._build_params()
        self.retranslate()
        for uri, reader in self.bridge.readers.items():
            self._row(uri)
            self.show_status(reader.status())

    # -- found ---------------------------------------------------------------------

    def refresh_found(self) -> Operation:
        """List serial ports (and cameras) off the UI thread: opening cameras takes a moment."""

        def work(_p: Progress) -> list[tuple[str, str]]:
            from tracer.devices import listing

            found = [(p.uri_hint(), f"{p.port} · {p.description}" + (f" · {p.guess}" if p.guess else ""))
                     for p in listing.serial_ports()]  # fmt: skip
            with contextlib.suppress(Exception):  # no OpenCV camera support on this machine
                found += [
                    (c.uri, f"camera {c.index} · {c.width}×{c.height}") for c in listing.cameras()
                ]
            return found

        return self.session.runner.run(
            Operation(self.tr("Looking for devices"), work, on_done=self._show_found)
        )

    def _show_found(self, found: list[tuple[str, str]]) -> None:
        self.found.clear()
        for uri, text in found:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, uri)
            self.found.addItem(item)
        if not found:
            item = QListWidgetItem(
                self.tr("No serial port or camera found. Plug the device in, then press Refresh.")
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.found.addItem(item)

    def _found_picked(self, item: Any, _prev: Any) -> None:
        uri = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not uri:
            return
        scheme, _, rest = uri.partition("://")
        if scheme in DRIVER_PARAMS:
            self.scheme.setCurrentIndex(self.scheme.findData(scheme))
        self.path.setText(rest)

    # -- settings per driver -------------------------------------------------------

    def _build_params(self) -> None:
        while self.params_form.rowCount():
            self.params_form.removeRow(0)
        self.param_combos = {}
        for p in DRIVER_PARAMS[self.scheme.currentData()]:
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(list(p.choices))
            combo.currentTextChanged.connect(self._update_uri)
            self.params_form.addRow(f"{self.param_title(p.name)} ({p.name})", combo)
            self.param_combos[p.name] = combo
        self.path.setPlaceholderText(
            "192.168.1.50" if self.scheme.currentData() == "llrp" else "/dev/ttyUSB0"
        )
        self._update_uri()

    def param_title(self, name: str) -> str:
        titles = {
            "baud": self.tr("Baud rate"), "suffix": self.tr("Line ending"), "parity": self.tr("Parity"),
            "model": self.tr("Model"), "power": self.tr("Power, dBm"), "antenna": self.tr("Antenna"),
            "antennas": self.tr("Antennas"), "backend": self.tr("Decoder"), "width": self.tr("Width"),
        }  # fmt: skip
        return titles.get(name, name)

    def _update_uri(self) -> None:
        scheme = self.scheme.currentData()
        path = self.path.text().strip()
        defaults = {p.name: p.choices[0] for p in DRIVER_PARAMS[scheme]}
        params = {k: c.currentText().strip() for k, c in self.param_combos.items()
                  if c.currentText().strip() and c.currentText().strip() != defaults[k]}  # fmt: skip
        if scheme == "llrp":
            base = f"llrp://{path}"
        elif scheme == "camera":
            base = f"camera://{path or '0'}"
        else:
            base = f"{scheme}://{path}" if path.startswith("/") else f"{scheme}:///{path}"
        self.uri.setText(base + ("?" + urlencode(params) if params else ""))

    # -- connect -------------------------------------------------------------------

    def connect_uri(self, uri: str) -> bool:
        if not uri or uri in self.bridge.readers:
            return False
        try:
            reader = open_reader(uri)
        except TracerError as exc:
            self.add_message.setText(str(exc))
            return False
        self.add_message.setText("")
        self._row(reader.uri)
        self.bridge.attach(reader)
        self._save()
        return True

    def disconnect_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        uri = self.table.item(row, 1).text()
        if uri == WEDGE_URI:
            return  # the keyboard is always listened to
        self.bridge.detach(uri)
        self.table.removeRow(row)
        self.rows = {self.table.item(r, 1).text(): r for r in range(self.table.rowCount())}
        self._save()

    def _save(self) -> None:
        self.session.user_set("devices", [u for u in self.bridge.readers if u != WEDGE_URI])

    def _row(self, uri: str) -> int:
        if uri in self.rows:
            return self.rows[uri]
        r = self.table.rowCount()
        self.table.insertRow(r)
        light = StatusLight(GREY)
        holder = QWidget()
        hl = QHBoxLayout(holder)
        hl.setContentsMargins(6, 0, 6, 0)
        hl.addWidget(light)
        self.table.setCellWidget(r, 0, holder)
        holder.setProperty("light", light)
        for c, text in enumerate((uri, "", "", "", ""), start=1):
            self.table.setItem(r, c, QTableWidgetItem(text))
        self.rows[uri] = r
        return r

    def light(self, uri: str) -> StatusLight | None:
        r = self.rows.get(uri)
        if r is None:
            return None
        holder = self.table.cellWidget(r, 0)
        return holder.property("light") if holder is not None else None  # type: ignore[no-any-return]

    def show_status(self, status: DeviceStatus) -> None:
        self.last_status[status.device] = status
        r = self.rows.get(status.device)
        if r is None:
            return
        light = self.light(status.device)
        if light is not None:
            light.set_color(LIGHTS.get(status.state, GREY))
        text = f"{self.state_name(status.state)}: {status.message}" + (
            f"\n→ {status.fix}" if status.fix else ""
        )
        self.table.item(r, 2).setText(text)
        self.table.item(r, 2).setToolTip(text)
        self.table.item(r, 3).setText(f"{status.frames} / {status.faults}")
        self.table.resizeRowToContents(r)

    def state_name(self, state: DeviceState) -> str:
        names = {
            DeviceState.CONNECTED: self.tr("connected"),
            DeviceState.CONNECTING: self.tr("connecting"),
            DeviceState.RECONNECTING: self.tr("reconnecting"),
            DeviceState.UNUSABLE: self.tr("cannot be used"),
            DeviceState.STOPPED: self.tr("stopped"),
        }
        return names.get(state, str(state))

    def show_frame(self, scan: Scan) -> None:
        r = self.rows.get(scan.device)
        if r is None:
            return
        self.table.item(r, 4).setText(scan.text.replace("\x1d", "<GS>"))
        self.table.item(r, 5).setText(scan.time.strftime("%H:%M:%S"))

    def test_read(self) -> None:
        """The next scan from any device is only shown here, not recorded."""
        self.testing = "waiting"
        self.bridge.set_capture(True)
        self.test_label.setText(self.tr("Scan a code with the device to test…"))

    def _test_captured(self, scan: Scan) -> None:
        if self.testing is None:
            return
        self.testing = None
        self.bridge.set_capture(getattr(self, "captures_scans", False))
        verdict = scan.identity or scan.error or ""
        self.test_label.setText(self.tr("Read from {device}: {text} → {verdict}").format(
            device=scan.device, text=scan.text.replace("\x1d", "<GS>"), verdict=verdict))  # fmt: skip

    def activated(self) -> None:
        for uri in self.bridge.readers:
            self._row(uri)
            self.show_status(self.bridge.readers[uri].status())

    # -- chrome --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Devices"))
        self.found_box.setTitle(self.tr("Found on this computer"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.add_box.setTitle(self.tr("Connect a device"))
        for label, text in zip(
            self.add_labels,
            (self.tr("Driver"), self.tr("Port or address"), self.tr("URI")),
            strict=True,
        ):
            label.setText(text)
        self.connect_button.setText(self.tr("Connect"))
        for r in range(self.params_form.rowCount()):
            label = self.params_form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget()
            name = label.text().rsplit("(", 1)[-1].rstrip(")")
            label.setText(f"{self.param_title(name)} ({name})")
        self.connected_title.setText(self.tr("Connected devices"))
        self.table.setHorizontalHeaderLabels([self.tr("Status"), self.tr("Device"), self.tr("Message"),
                                              self.tr("Frames / faults"), self.tr("Last frame"), self.tr("At")])  # fmt: skip
        self.disconnect_button.setText(self.tr("Disconnect"))
        self.test_button.setText(self.tr("Test read"))
        if self.found.count() == 0:
            self._show_found([])
        for uri in self.rows:
            if uri in self.last_status:
                self.show_status(self.last_status[uri])
