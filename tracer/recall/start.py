"""Where a trace starts: a lot (GTIN + lot), a serial (SGTIN) or a logistic unit (SSCC).

People type lots as ``GTIN/LOT`` and SSCCs as the 18 digits on the label;
the ledger stores EPC URIs whose split of company prefix and reference is not
in the digits, so a start expands to every spelling and the ledger says which
one it knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracer.errors import TracerError
from tracer.gs1_check import check_digit
from tracer.ledger.query import lot_classes
from tracer.recall.vocab import LGTIN, SGTIN, SSCC, lot_of_class, sscc_candidates


class TraceError(TracerError):
    """A trace or recall cannot run as asked (unknown lot, bad code, bad campaign)."""


@dataclass(frozen=True, slots=True)
class TraceStart:
    """One starting point. `kind` is lot, sgtin or sscc; `candidates` its URI spellings."""

    kind: str
    text: str
    candidates: tuple[str, ...]

    @classmethod
    def lot(cls, gtin: str, lot: str) -> TraceStart:
        g = gtin.strip()
        if not (g.isascii() and g.isdigit()) or len(g) not in (8, 12, 13, 14):
            raise TraceError(f"'{gtin}' is not a GTIN (8, 12, 13 or 14 digits)")
        if not lot.strip():
            raise TraceError("a lot number is needed after the GTIN (GTIN/LOT)")
        g14 = g.zfill(14)
        expected = check_digit(g14[:13])
        if g14[13] != expected:
            raise TraceError(
                f"'{gtin}' is not a valid GTIN: its check digit is {g14[13]}, expected "
                f"{expected} (a digit may be mistyped)"
            )
        return cls("lot", f"{g14}/{lot.strip()}", tuple(lot_classes(g14, lot.strip())))

    @classmethod
    def sgtin(cls, uri: str) -> TraceStart:
        u = uri.strip()
        if not u.startswith(SGTIN):
            raise TraceError(f"'{uri}' is not an SGTIN EPC URI (urn:epc:id:sgtin:…)")
        return cls("sgtin", u, (u,))

    @classmethod
    def serial(cls, gtin: str, serial: str) -> TraceStart:
        """An SGTIN from its GS1 keys (AI 01 + AI 21): every company-prefix split."""
        g = gtin.strip().zfill(14)
        if not (g.isascii() and g.isdigit()) or len(g) != 14:
            raise TraceError(f"'{gtin}' is not a GTIN")
        body = g[1:13]
        uris = tuple(f"{SGTIN}{body[:n]}.{g[0]}{body[n:]}.{serial}" for n in range(6, 13))
        return cls("sgtin", f"{g}/{serial}", uris)

    @classmethod
    def sscc(cls, code: str) -> TraceStart:
        found = sscc_candidates(code)
        if not found:
            raise TraceError(
                f"'{code}' is not an SSCC (18 digits, (00)+18 digits or urn:epc:id:sscc:…)"
            )
        return cls("sscc", code.strip(), tuple(found))

    @property
    def is_lot(self) -> bool:
        return self.kind == "lot"


def parse_start(value: str | tuple[str, str] | TraceStart) -> TraceStart:
    """Guess the kind from the text: GTIN/LOT, LGTIN, SGTIN or SSCC."""
    if isinstance(value, TraceStart):
        return value
    if isinstance(value, tuple):
        return TraceStart.lot(*value)
    text = value.strip()
    if text.startswith(LGTIN):
        key = lot_of_class(text)
        if key is None:
            raise TraceError(f"'{value}' is not a valid LGTIN class URI")
        return TraceStart.lot(key.gtin, key.lot)
    if text.startswith(SGTIN):
        return TraceStart.sgtin(text)
    if text.startswith(SSCC) or text.startswith("(00)") or (text.isdigit() and len(text) == 18):
        return TraceStart.sscc(text)
    if "/" in text:
        gtin, lot = text.split("/", 1)
        return TraceStart.lot(gtin, lot)
    raise TraceError(
        f"cannot tell what '{value}' is: give GTIN/LOT, an SGTIN URI or an SSCC (18 digits)"
    )


def parse_lot(text: str) -> tuple[str, str]:
    """``GTIN/LOT`` → (GTIN-14, lot), for the CLI's --lot options."""
    start = parse_start(text)
    if not start.is_lot:
        raise TraceError(f"'{text}' is not a lot: write it as GTIN/LOT")
    gtin, lot = start.text.split("/", 1)
    return gtin, lot
