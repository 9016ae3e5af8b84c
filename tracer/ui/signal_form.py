"""Record a quality signal: kind, date, place, reporter, description, severity, files, product.

The product can be named three ways, whatever the reporter has: a code scanned
or typed, a photo of the label (decoded by `tracer.codes` through
`quality.identify.from_photo`), or a GTIN and lot typed in. The dialog only
gathers fields and calls `quality.signals.record_signal`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer.errors import TracerError
from tracer.ledger import masterdata
from tracer.quality import identify
from tracer.quality.attachments import store_attachment
from tracer.quality.signal_model import KINDS, SEVERITIES, ProductRef, SignalReport
from tracer.quality.signals import record_signal
from tracer.ui.names import localized
from tracer.ui.qt import (
    QComboBox,
    QCoreApplication,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import RED, data_label

HOWS = ("code", "photo", "gtin_lot")


def kind_names() -> dict[str, str]:
    """Signal kinds in the UI language (shared by the form, the list and the import)."""
    return {
        "consumer_complaint": QCoreApplication.translate("QualityVocab", "Consumer complaint"),
        "injury_report": QCoreApplication.translate("QualityVocab", "Injury report"),
        "ecommerce_spot_check": QCoreApplication.translate("QualityVocab", "E-commerce spot check"),
        "market_spot_check": QCoreApplication.translate("QualityVocab", "Market spot check"),
        "retailer_report": QCoreApplication.translate("QualityVocab", "Retailer report"),
        "export_return": QCoreApplication.translate("QualityVocab", "Export return"),
        "foreign_recall": QCoreApplication.translate("QualityVocab", "Foreign recall notice"),
    }


def severity_names() -> dict[str, str]:
    return {
        "low": QCoreApplication.translate("QualityVocab", "low"),
        "medium": QCoreApplication.translate("QualityVocab", "medium"),
        "high": QCoreApplication.translate("QualityVocab", "high"),
        "critical": QCoreApplication.translate("QualityVocab", "critical"),
    }


class SignalForm(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.signal: Any = None
        self.kind = QComboBox()
        self.kind.setProperty("vocab", True)
        for k in KINDS:
            self.kind.addItem("", k)
        self.day = QDateTimeEdit(QDateTime.currentDateTime())
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.place = QComboBox()  # known locations, or free text (a hospital, a shop)
        self.place.setEditable(True)
        self.place.addItem("", None)
        if session.ledger is not None:
            for loc in masterdata.locations(session.ledger):
                self.place.addItem(f"{localized(loc.name, loc.name_zh)} ({loc.gln})", loc.gln)
        self.reporter = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setMinimumHeight(70)
        self.severity = QComboBox()
        self.severity.setProperty("vocab", True)
        for s in SEVERITIES:
            self.severity.addItem("", s)
        self.severity.setCurrentIndex(1)
        self.files = QListWidget()
        self.files.setMaximumHeight(60)
        self.files.setProperty("data", True)
        self.add_file = QPushButton()
        self.add_file.clicked.connect(lambda: self.choose_files())
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addWidget(self.add_file)

        self.how = QComboBox()
        self.how.setProperty("vocab", True)
        for h in HOWS:
            self.how.addItem("", h)
        self.code = QLineEdit()
        self.photo = QLineEdit()
        self.photo_button = QPushButton()
        self.photo_button.clicked.connect(lambda: self.choose_photo())
        self.gtin = QLineEdit()
        self.lot = QLineEdit()
        self.ways = QStackedWidget()
        self.ways.addWidget(self.code)
        photo_page = QWidget()
        pr = QHBoxLayout(photo_page)
        pr.setContentsMargins(0, 0, 0, 0)
        pr.addWidget(self.photo, 1)
        pr.addWidget(self.photo_button)
        self.ways.addWidget(photo_page)
        gl_page = QWidget()
        gl = QHBoxLayout(gl_page)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addWidget(self.gtin, 2)
        gl.addWidget(self.lot, 1)
        self.ways.addWidget(gl_page)
        self.how.currentIndexChanged.connect(self.ways.setCurrentIndex)
        self.identified = data_label()

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}")
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(9)]
        rows: list[Any] = [
            self.kind, self.day, self.place, self.reporter, self.description,
            self.severity, files_row, self.how, self.ways,
        ]  # fmt: skip
        for label, w in zip(self.labels, rows, strict=True):
            self.form.addRow(label, w)
        self.form.addRow("", self.identified)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Record a quality signal"))
        texts = (
            self.tr("Kind"), self.tr("Date"), self.tr("Place"), self.tr("Reporter"),
            self.tr("Description"), self.tr("Severity"), self.tr("Attachments"),
            self.tr("Product named by"), self.tr("Product"),
        )  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        kinds = kind_names()
        for i in range(self.kind.count()):
            self.kind.setItemText(i, kinds[self.kind.itemData(i)])
        sev = severity_names()
        for i in range(self.severity.count()):
            self.severity.setItemText(i, sev[self.severity.itemData(i)])
        hows = {
            "code": self.tr("code scanned or typed"),
            "photo": self.tr("photo of the label"),
            "gtin_lot": self.tr("GTIN and lot"),
        }
        for i in range(self.how.count()):
            self.how.setItemText(i, hows[self.how.itemData(i)])
        self.add_file.setText(self.tr("Add file…"))
        self.photo_button.setText(self.tr("Choose photo…"))
        self.code.setPlaceholderText(self.tr("scan the label or type the code"))
        self.photo.setPlaceholderText(self.tr("a photo of the label with its barcode"))
        self.gtin.setPlaceholderText(self.tr("GTIN (8 to 14 digits)"))
        self.lot.setPlaceholderText(self.tr("lot number"))
        self.reporter.setPlaceholderText(self.tr("who reported it (name, platform, agency)"))
        self.place.lineEdit().setPlaceholderText(self.tr("a known place, or type one"))

    # -- input -------------------------------------------------------------------

    def set_code(self, text: str) -> None:
        """A scanned label while the form is open names the product."""
        self.how.setCurrentIndex(HOWS.index("code"))
        self.code.setText(text)

    def choose_files(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        for p in paths:
            self.files.addItem(p)

    def choose_photo(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Photo of the label"), "", self.tr("Images (*.png *.jpg *.jpeg)")
            )
        if path:
            self.how.setCurrentIndex(HOWS.index("photo"))
            self.photo.setText(path)

    def product(self) -> ProductRef:
        how = self.how.currentData()
        if how == "photo":
            ref = identify.from_photo(self.photo.text().strip())
        elif how == "gtin_lot":
            ref = identify.from_gtin_lot(self.gtin.text(), self.lot.text())
        else:
            ref = identify.from_code(self.code.text())
        self.identified.setText(f"GTIN {ref.gtin} · {ref.lot or '—'}")
        return ref

    def place_value(self) -> str | None:
        text = self.place.currentText().strip()
        data = self.place.currentData()
        if data and text == self.place.itemText(self.place.currentIndex()):
            return str(data)
        return text or None

    def submit(self) -> None:
        ledger = self.session.ledger
        if ledger is None:
            return
        try:
            product = self.product()
            # the ledger itself: beside an SQLite file, or inside a PostgreSQL ledger
            attachments = tuple(
                store_attachment(ledger, Path(self.files.item(i).text()))
                for i in range(self.files.count())
            )
            report = SignalReport(
                kind=self.kind.currentData(),
                date=self.day.date().toPython(),
                product=product,
                severity=self.severity.currentData(),
                place=self.place_value(),
                reporter=self.reporter.text().strip() or None,
                description=self.description.toPlainText().strip(),
                attachments=attachments,
                recorded_by=self.session.operator,
            )
            self.signal = record_signal(ledger, report)
        except TracerError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
