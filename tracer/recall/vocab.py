"""Identifier and vocabulary helpers the trace needs, without the codes layer.

Events imported from partners spell CBV values three ways (bare ``shipping``,
``urn:epcglobal:cbv:bizstep:shipping``, ``https://ref.gs1.org/cbv/BizStep-shipping``);
the trace compares bare names, so everything is reduced to that first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracer.gs1_check import check_digit

LGTIN = "urn:epc:class:lgtin:"
SGTIN = "urn:epc:id:sgtin:"
SSCC = "urn:epc:id:sscc:"
SGLN = "urn:epc:id:sgln:"

_WEB = re.compile(r"^https?://ref\.gs1\.org/cbv/[A-Za-z]+-")


def bare(value: str | None) -> str:
    """``urn:epcglobal:cbv:bizstep:shipping`` / web URI / bare → ``shipping``."""
    if not value:
        return ""
    if value.startswith("urn:epcglobal:cbv:"):
        return value.rsplit(":", 1)[-1]
    m = _WEB.match(value)
    if m:
        return value[m.end() :]
    return value


@dataclass(frozen=True, slots=True)
class LotKey:
    """A lot as people write it: GTIN-14 and lot number."""

    gtin: str
    lot: str

    def __str__(self) -> str:
        return f"{self.gtin}/{self.lot}"


def lot_of_class(lot_class: str) -> LotKey | None:
    """``urn:epc:class:lgtin:CP.IR.LOT`` → GTIN-14 + lot (None for other ids)."""
    if not lot_class.startswith(LGTIN):
        return None
    try:
        cp, ir, lot = lot_class[len(LGTIN) :].split(".", 2)
    except ValueError:
        return None
    body = ir[:1] + cp + ir[1:]
    if len(body) != 13 or not (body.isascii() and body.isdigit()):
        return None
    return LotKey(body + check_digit(body), lot)


def gtin_of_epc(epc: str) -> str | None:
    """GTIN-14 of an SGTIN or LGTIN URI."""
    for prefix in (SGTIN, LGTIN):
        if epc.startswith(prefix):
            parts = epc[len(prefix) :].split(".")
            if len(parts) < 2:
                return None
            body = parts[1][:1] + parts[0] + parts[1][1:]
            if len(body) == 13 and body.isascii() and body.isdigit():
                return body + check_digit(body)
    return None


def sscc_candidates(code: str) -> list[str]:
    """Every SSCC EPC URI an 18-digit SSCC can be written as (prefix length unknown)."""
    digits = code.strip()
    if digits.startswith("(00)"):
        digits = digits[4:]
    if digits.startswith(SSCC):
        return [digits]
    if len(digits) == 20 and digits.startswith("00"):
        digits = digits[2:]
    if len(digits) != 18 or not digits.isdigit():
        return []
    ext, body = digits[0], digits[1:17]
    return [f"{SSCC}{body[:n]}.{ext}{body[n:]}" for n in range(6, 13)]


def sscc_digits(uri: str) -> str | None:
    """``urn:epc:id:sscc:CP.SERIAL`` → the 18-digit SSCC printed on labels."""
    if not uri.startswith(SSCC):
        return None
    cp, serial = uri[len(SSCC) :].split(".", 1)
    body = serial[:1] + cp + serial[1:]
    return body + check_digit(body) if len(body) == 17 else None


def short_id(epc: str) -> str:
    """A readable form for tables: SSCC digits, GTIN/serial, GTIN/lot."""
    digits = sscc_digits(epc)
    if digits:
        return f"SSCC {digits}"
    if epc.startswith(SGTIN):
        gtin = gtin_of_epc(epc)
        return f"{gtin}/{epc.rsplit('.', 1)[-1]}" if gtin else epc
    key = lot_of_class(epc)
    return str(key) if key else epc
