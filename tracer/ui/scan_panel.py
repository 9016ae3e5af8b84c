"""The scan station's big last-scan panel: a coloured verdict, the product, GTIN, lot,
serial or SSCC and expiry, large enough to read from a step away."""

from __future__ import annotations

from typing import Any

from tracer.devices.base import Scan
from tracer.ui.names import NameBook
from tracer.ui.qt import QEvent, QFormLayout, QFrame, QLabel, QPushButton, Qt, QVBoxLayout, QWidget
from tracer.ui.widgets import GREY, data_label


class LastScanPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lastScan")
        self.setMinimumHeight(300)
        self.banner = QLabel()
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        bf = self.banner.font()
        bf.setPointSize(20)
        bf.setBold(True)
        self.banner.setFont(bf)
        self.banner.setMinimumHeight(64)
        self.product_label = data_label(size=26, bold=True)
        self.product_label.setWordWrap(True)
        self.field_labels = [QLabel() for _ in range(4)]
        self.gtin_value = data_label(size=18)
        self.lot_value = data_label(size=18)
        self.serial_value = data_label(size=18)
        self.expiry_value = data_label(size=18)
        self.values = (self.gtin_value, self.lot_value, self.serial_value, self.expiry_value)
        self.detail_label = data_label()
        self.detail_label.setWordWrap(True)
        self.anyway_button = QPushButton()
        self.anyway_button.hide()
        fields = QFormLayout()
        fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for label, value in zip(self.field_labels, self.values, strict=True):
            lf = label.font()
            lf.setPointSize(14)
            label.setFont(lf)
            label.setStyleSheet(f"color: {GREY}")
            fields.addRow(label, value)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.product_label)
        layout.addLayout(fields)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.anyway_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.retranslate()
        self.set_idle()

    @property
    def state(self) -> str | None:
        return self.property("state")  # type: ignore[no-any-return]

    def show_banner(self, color: str, text: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(
            f"background: {color}; color: white; border-radius: 6px; padding: 8px;"
        )
        self.setStyleSheet(f"QFrame#lastScan {{ border: 3px solid {color}; border-radius: 8px; }}")
        self.setProperty("state", color)

    def show_code(self, scan: Scan, names: NameBook, expiry: str | None = None) -> None:
        """What the code says; `expiry` from master data when the label has none."""
        code = scan.gs1
        if code is None:
            self.product_label.setText(scan.identity or scan.text)
            for v in self.values:
                v.setText("—")
            if scan.epc is not None:
                self.serial_value.setText(scan.identity or "")
            return
        name = names.product(code.gtin) if code.gtin else ""
        self.product_label.setText(
            name or (self.tr("Logistic unit (SSCC)") if code.sscc else self.tr("Unknown product"))
        )
        self.gtin_value.setText(code.gtin or "—")
        self.lot_value.setText(code.lot or "—")
        self.serial_value.setText(code.serial or code.sscc or "—")
        label_expiry = code.expiry_date.isoformat() if code.expiry_date else None
        self.expiry_value.setText(label_expiry or expiry or "—")

    def set_idle(self) -> None:
        self.show_banner(GREY, self.tr("Ready: scan a code"))
        self.product_label.setText(
            self.tr("Scan with any scanner, wherever the cursor is, or type a code below.")
        )
        for v in self.values:
            v.setText("—")
        self.detail_label.setText("")
        self.anyway_button.hide()

    def retranslate(self) -> None:
        titles = (self.tr("GTIN"), self.tr("Lot"), self.tr("Serial / SSCC"), self.tr("Expiry"))
        for label, text in zip(self.field_labels, titles, strict=True):
            label.setText(text)
        self.anyway_button.setText(self.tr("Record anyway"))
        if self.state in (GREY, None):
            self.set_idle()

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
