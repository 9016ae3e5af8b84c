"""Operator sign-in: a name and an optional PIN, so every event says who recorded it.

A PIN is stored only as a salted scrypt hash in the ledger's operators table
(master data), never in settings; a name seen for the first time is
registered, with the PIN if one was typed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from tracer.ledger import masterdata
from tracer.ledger.backend import LedgerBackend
from tracer.model import Operator
from tracer.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """`scrypt$N$r$p$salt$hash`: slow enough that a stolen ledger does not give PINs away."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_pin(stored: str, pin: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    got = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(got.hex(), digest)


class SignInError(Exception):
    pass


def sign_in(ledger: LedgerBackend, name: str, pin: str) -> Operator:
    """The operator `name`, checking the PIN if one is set; a new name is registered."""
    name = name.strip()
    if not name:
        raise SignInError("name")
    known = {o.name: o for o in masterdata.operators(ledger)}
    op = known.get(name)
    if op is None:
        op = Operator(name, hash_pin(pin) if pin else None)
        if not ledger.readonly:
            masterdata.upsert(ledger, [op])
        return op
    if op.pin_hash and not check_pin(op.pin_hash, pin):
        raise SignInError("pin")
    return op


class SignInDialog(QDialog):
    """Name (picked or typed) and PIN; `operator` holds the result after accept."""

    def __init__(
        self, ledger: LedgerBackend, last: str | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ledger = ledger
        self.operator: Operator | None = None
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems([o.name for o in masterdata.operators(ledger)])
        if last:
            self.name.setCurrentText(last)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.name_label = QLabel()
        self.pin_label = QLabel()
        self.form = QFormLayout()
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.pin_label, self.pin)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.pin.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in"))
        self.hint.setText(
            self.tr(
                "Every event you record carries your name. A PIN is optional; "
                "once set, it is asked for each time."
            )
        )
        self.name_label.setText(self.tr("Operator"))
        self.pin_label.setText(self.tr("PIN"))
        self.pin.setPlaceholderText(self.tr("optional"))

    def _try(self) -> None:
        try:
            self.operator = sign_in(self.ledger, self.name.currentText(), self.pin.text())
        except SignInError as exc:
            self.message.setText(
                self.tr("Type your name.") if str(exc) == "name" else self.tr("Wrong PIN.")
            )
            self.pin.selectAll()
            return
        self.accept()
