"""Inspection: scan a lot, get the GB/T 2828.1 plan, scan the samples, count defects, record.

The plan comes from `tracer.quality.sampling`, the verdict and the EPCIS
inspecting event from `tracer.quality.inspection`; this screen only collects
the inputs and shows the answers. A failed lot can be put on hold or taken
straight to Trace & recall.
"""

from __future__ import annotations

from tracer.codes import parse_code
from tracer.demo.build import canonical_stamp
from tracer.devices.base import Scan
from tracer.errors import TracerError
from tracer.ledger import masterdata
from tracer.quality.inspection import (
    Defects,
    Inspection,
    hold_event,
    record_inspection,
)
from tracer.quality.sampling import AQLS, LEVELS, SamplingPlan, Severity, plan
from tracer.ui.names import NameBook
from tracer.ui.pass_rates import PassRatesBox
from tracer.ui.qt import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.session import Session
from tracer.ui.widgets import GREEN, GREY, RED, Screen, data_label, heading

DEFAULT_AQL = 1.0


class InspectionScreen(Screen):
    captures_scans = True  # scans here pick the lot and count samples; nothing else is recorded

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.names = NameBook(session.ledger)
        self.lot_key: tuple[str, str] | None = None
        self.current_plan: SamplingPlan | None = None
        self.samples: list[str] = []
        self.last_result: Inspection | None = None
        self.title = heading()

        # lot
        self.lot_box = QGroupBox()
        self.lot_edit = QLineEdit()
        self.lot_edit.returnPressed.connect(self._lot_typed)
        self.lot_button = QPushButton()
        self.lot_button.clicked.connect(self._lot_typed)
        self.lot_info = data_label(size=13, bold=True)
        self.lot_info.setWordWrap(True)
        self.lot_message = QLabel()
        self.lot_message.setStyleSheet(f"color: {RED}")
        lb = QVBoxLayout(self.lot_box)
        row = QHBoxLayout()
        row.addWidget(self.lot_edit, 1)
        row.addWidget(self.lot_button)
        lb.addLayout(row)
        lb.addWidget(self.lot_info)
        lb.addWidget(self.lot_message)

        # plan
        self.plan_box = QGroupBox()
        self.lot_size = QSpinBox()
        self.lot_size.setRange(2, 10**9)
        self.lot_size.setValue(500)
        self.level = QComboBox()
        self.level.addItems(LEVELS)
        self.level.setCurrentText("II")
        self.aql = QComboBox()
        for a in AQLS:
            self.aql.addItem(f"{a:g}", a)
        self.aql.setCurrentIndex(AQLS.index(DEFAULT_AQL))
        self.severity = QComboBox()
        self.severity.setProperty("vocab", True)
        for s in Severity:
            self.severity.addItem("", s.value)
        self.plan_form = QFormLayout()
        self.plan_form.addRow(QLabel(), self.lot_size)
        self.plan_form.addRow(QLabel(), self.level)
        self.plan_form.addRow(QLabel(), self.aql)
        self.plan_form.addRow(QLabel(), self.severity)
        self.plan_label = data_label(size=15, bold=True)
        self.plan_label.setWordWrap(True)
        pb = QVBoxLayout(self.plan_box)
        pb.addLayout(self.plan_form)
        pb.addWidget(self.plan_label)
        for w in (self.level, self.aql, self.severity):
            w.currentIndexChanged.connect(self.update_plan)
        self.lot_size.valueChanged.connect(self.update_plan)

        # samples and defects
        self.samples_box = QGroupBox()
        self.samples_count = data_label(size=13, bold=True)
        self.samples_list = QListWidget()
        self.critical = QSpinBox()
        self.major = QSpinBox()
        self.minor = QSpinBox()
        self.nonconforming = QSpinBox()
        for spin in (self.critical, self.major, self.minor, self.nonconforming):
            spin.setRange(0, 100000)
            spin.valueChanged.connect(self.update_verdict)
        self.defect_form = QFormLayout()
        for spin in (self.critical, self.major, self.minor, self.nonconforming):
            self.defect_form.addRow(QLabel(), spin)
        sb = QVBoxLayout(self.samples_box)
        sb.addWidget(self.samples_count)
        sb.addWidget(self.samples_list, 1)
        sb.addLayout(self.defect_form)

        # verdict
        self.verdict = QLabel()
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        vf = self.verdict.font()
        vf.setPointSize(18)
        vf.setBold(True)
        self.verdict.setFont(vf)
        self.verdict.setMinimumHeight(56)
        self.record_button = QPushButton()
        self.record_button.clicked.connect(self.record)
        self.hold_button = QPushButton()
        self.hold_button.clicked.connect(self.hold)
        self.recall_button = QPushButton()
        self.recall_button.clicked.connect(self.open_recall)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.record_button)
        actions.addWidget(self.hold_button)
        actions.addWidget(self.recall_button)
        actions.addStretch(1)

        # pass rates
        self.rates_box = PassRatesBox(session, self.names)

        grid = QGridLayout()
        grid.addWidget(self.lot_box, 0, 0)
        grid.addWidget(self.plan_box, 1, 0)
        grid.addWidget(self.samples_box, 0, 1, 2, 1)
        grid.addWidget(self.rates_box, 0, 2, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid, 1)
        layout.addWidget(self.verdict)
        layout.addLayout(actions)
        layout.addWidget(self.result_label)
        self.retranslate()
        self.update_plan()

    # -- lot and samples ---------------------------------------------------------

    def accept_scan(self, scan: Scan) -> None:
        """A scan picks the lot first; then each scanned item counts as a sample."""
        code = scan.gs1
        if self.lot_key is None or (
            code is not None
            and code.lot
            and code.serial is None
            and (code.gtin, code.lot) != self.lot_key
        ):
            if code is None or not code.gtin or not code.lot:
                self.lot_message.setText(self.tr("Scan a label that carries the lot (AI 10)."))
                return
            self.set_lot(code.gtin, code.lot)
            return
        identity = scan.identity or scan.text
        if identity in self.samples:
            self.lot_message.setText(self.tr("This sample was already scanned."))
            return
        self.samples.append(identity)
        self.samples_list.insertItem(0, identity)
        self.lot_message.setText("")
        self._update_samples()

    def _lot_typed(self) -> None:
        text = self.lot_edit.text().strip()
        if not text:
            return
        try:
            if "/" in text and not text.startswith(("(", "http")):
                gtin, lot = text.split("/", 1)
                self.set_lot(gtin.strip().zfill(14), lot.strip())
                return
            code = parse_code(text)
        except TracerError as exc:
            self.lot_message.setText(str(exc))
            return
        if not code.gtin or not code.lot:
            self.lot_message.setText(self.tr("Scan a label that carries the lot (AI 10)."))
            return
        self.set_lot(code.gtin, code.lot)

    def set_lot(self, gtin: str, lot: str) -> None:
        ledger = self.session.ledger
        self.lot_key = (gtin.zfill(14), lot)
        self.samples = []
        self.samples_list.clear()
        self.lot_edit.setText(f"{self.lot_key[0]}/{lot}")
        self.lot_message.setText("")
        self.last_result = None
        known = masterdata.lot(ledger, self.lot_key[0], lot) if ledger is not None else None
        name = self.names.product(self.lot_key[0]) or self.tr("Unknown product")
        if known is not None and known.quantity:
            self.lot_size.setValue(max(2, int(known.quantity)))
        parts = [name, self.tr("Lot {lot}").format(lot=lot)]
        if known is not None and known.production_date:
            parts.append(self.tr("made {date}").format(date=known.production_date))
        if known is None:
            parts.append(self.tr("(not in master data)"))
        self.lot_info.setText(" · ".join(parts))
        self.update_plan()

    # -- plan and verdict --------------------------------------------------------

    def update_plan(self) -> None:
        try:
            self.current_plan = plan(
                self.lot_size.value(),
                self.aql.currentData(),
                self.level.currentText(),
                self.severity.currentData(),
            )
        except TracerError as exc:
            self.current_plan = None
            self.plan_label.setText(str(exc))
            return
        p = self.current_plan
        text = self.tr(
            "Code letter {letter} → sample {n} items · accept with ≤ {ac}, reject with ≥ {re} nonconforming"
        ).format(letter=p.letter, n=p.sample_size, ac=p.accept, re=p.reject)
        if p.plan_letter != p.letter:
            text += "\n" + self.tr(
                "(the table's arrow leads to the plan of letter {letter})"
            ).format(letter=p.plan_letter)
        if p.whole_lot:
            text += "\n" + self.tr("The sample is the whole lot: inspect every item.")
        self.plan_label.setText(text)
        self._update_samples()
        self.update_verdict()

    def _update_samples(self) -> None:
        n = self.current_plan.sample_size if self.current_plan else 0
        self.samples_count.setText(
            self.tr("Samples scanned: {got} of {n}").format(got=len(self.samples), n=n)
        )

    def current_inspection(self) -> Inspection | None:
        if self.lot_key is None or self.current_plan is None:
            return None
        station = self.session.user_get("station")
        location = None
        if station and self.session.ledger is not None:
            st = masterdata.station(self.session.ledger, str(station))
            location = st.location_gln if st else None
        return Inspection(
            gtin=self.lot_key[0],
            lot=self.lot_key[1],
            plan=self.current_plan,
            nonconforming=self.nonconforming.value(),
            defects=Defects(self.critical.value(), self.major.value(), self.minor.value()),
            samples=tuple(self.samples),
            location_gln=location,
            operator=self.session.operator,
            station=str(station) if station else None,
        )

    def update_verdict(self) -> None:
        if self.nonconforming.value() < max(self.major.value(), self.minor.value()):
            # an item with a defect is a nonconforming item: never fewer items than the largest class
            self.nonconforming.setValue(max(self.major.value(), self.minor.value()))
            return
        insp = self.current_inspection()
        if insp is None:
            self._verdict(GREY, self.tr("Scan or type a lot to start"))
        elif insp.accepted:
            self._verdict(
                GREEN,
                self.tr("PASS: {n} nonconforming ≤ Ac {ac}").format(
                    n=insp.nonconforming, ac=insp.plan.accept
                ),
            )
        elif insp.defects.critical:
            self._verdict(RED, self.tr("FAIL: critical defect found"))
        else:
            self._verdict(
                RED,
                self.tr("FAIL: {n} nonconforming ≥ Re {re}").format(
                    n=insp.nonconforming, re=insp.plan.reject
                ),
            )
        can_record = insp is not None and self.session.operator is not None
        self.record_button.setEnabled(bool(can_record))
        failed = self.last_result is not None and not self.last_result.accepted
        self.hold_button.setEnabled(failed)
        self.recall_button.setEnabled(failed)

    def _verdict(self, color: str, text: str) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(
            f"background: {color}; color: white; border-radius: 6px; padding: 6px;"
        )
        self.verdict.setProperty("state", color)

    # -- actions -----------------------------------------------------------------

    def record(self) -> None:
        insp = self.current_inspection()
        ledger = self.session.ledger
        if insp is None or ledger is None:
            return
        if len(self.samples) < insp.plan.sample_size and self.samples:
            self.result_label.setText(
                self.tr("Note: {got} of {n} samples were scanned.").format(
                    got=len(self.samples), n=insp.plan.sample_size
                )
            )
        try:
            result = record_inspection(ledger, insp, canonical_stamp())
        except TracerError as exc:
            self.result_label.setText(str(exc))
            return
        self.last_result = insp
        verdict = self.tr("conformant") if insp.accepted else self.tr("non-conformant")
        self.result_label.setText(
            self.tr("Recorded as event {seq}: lot {lot} is {verdict}.").format(
                seq=result.added[0], lot=insp.lot, verdict=verdict
            )
        )
        self.session.events_added.emit(result)
        self.update_verdict()
        self.refresh_rates()

    def hold(self) -> None:
        insp = self.last_result
        ledger = self.session.ledger
        if insp is None or ledger is None:
            return
        event = hold_event(
            insp.gtin, insp.lot, float(insp.plan.lot_size), stamp=canonical_stamp(),
            location_gln=insp.location_gln, operator=self.session.operator,
        )  # fmt: skip
        result = ledger.append([event])
        self.result_label.setText(
            self.tr("Lot {lot} is on hold (event {seq}).").format(lot=insp.lot, seq=result.added[0])
        )
        self.session.events_added.emit(result)
        self.hold_button.setEnabled(False)

    def open_recall(self) -> None:
        if self.last_result is not None:
            self.session.open_recall.emit((self.last_result.gtin, self.last_result.lot))

    def refresh_rates(self) -> None:
        self.rates_box.refresh()

    def activated(self) -> None:
        self.update_verdict()

    # -- chrome --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Inspection (GB/T 2828.1 / ISO 2859-1)"))
        self.lot_box.setTitle(self.tr("1. Lot"))
        self.lot_edit.setPlaceholderText(self.tr("Scan the lot label, or type GTIN/LOT"))
        self.lot_button.setText(self.tr("Use lot"))
        if self.lot_key is None:
            self.lot_info.setText(self.tr("No lot yet."))
        self.plan_box.setTitle(self.tr("2. Sampling plan"))
        for field, text in zip(
            (self.lot_size, self.level, self.aql, self.severity),
            (
                self.tr("Lot size"),
                self.tr("Inspection level"),
                self.tr("AQL"),
                self.tr("Inspection"),
            ),
            strict=True,
        ):
            self.plan_form.labelForField(field).setText(text)
        names = {
            "normal": self.tr("normal"),
            "tightened": self.tr("tightened"),
            "reduced": self.tr("reduced"),
        }
        for i in range(self.severity.count()):
            self.severity.setItemText(i, names[self.severity.itemData(i)])
        self.samples_box.setTitle(self.tr("3. Samples and defects"))
        for field, text in zip(
            (self.critical, self.major, self.minor, self.nonconforming),
            (self.tr("Critical defects"), self.tr("Major defects"), self.tr("Minor defects"),
             self.tr("Nonconforming items")),
            strict=True,
        ):  # fmt: skip
            self.defect_form.labelForField(field).setText(text)
        self.record_button.setText(self.tr("Record result"))
        self.hold_button.setText(self.tr("Put lot on hold"))
        self.recall_button.setText(self.tr("Trace and recall this lot…"))
        self.update_plan()
