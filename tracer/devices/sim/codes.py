"""Codes a simulated device reads: drawn from the demo chain, so they parse and mean something."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from tracer.codes import encode_epc
from tracer.demo.chain import build_chain, check_digit
from tracer.demo.events import START

GS = "\x1d"


@dataclass(frozen=True)
class DemoCodes:
    barcodes: tuple[str, ...]  # what a scanner sends, symbology identifier included
    bad_barcodes: tuple[str, ...]  # the same kind of labels with one digit wrong
    epcs: tuple[bytes, ...]  # SGTIN-96 / SSCC-96 EPC banks of tagged items and cases
    cards: tuple[str, ...]  # EM4100 badge / tote card numbers (10 hex digits)


def demo_codes(seed: int = 1, *, tags: int = 50, cards: int = 8) -> DemoCodes:
    chain = build_chain(seed)
    rng = random.Random(seed)
    finished = [p for p in chain.products if p.kind == "finished"]
    barcodes: list[str] = []
    for index, dp in enumerate(finished):
        gtin14 = "0" + dp.product.gtin
        made = START + timedelta(days=7 * index)
        lot = f"L{made:%y%m%d}{index:03d}"
        expiry = made + timedelta(days=dp.shelf_life_days)
        serial = f"{lot}{rng.randrange(1, 400):05d}"
        barcodes += [
            f"]E0{dp.product.gtin}",  # EAN-13 on the retail pack
            f"]C101{gtin14}17{expiry:%y%m%d}10{lot}",  # GS1-128 carton label
            f"]d201{gtin14}21{serial}{GS}10{lot}",  # GS1 DataMatrix on the item
            f"https://id.gs1.org/01/{gtin14}/10/{lot}",  # GS1 Digital Link QR
        ]
    cp = finished[0].company_prefix
    barcodes.append(f"]C100{_sscc(cp, rng.randrange(10**6))}")  # a case label
    bad = tuple(_wrong_digit(code) for code in barcodes if code.startswith(("]E0", "]C1")))
    epcs = tuple(_sgtin96(finished[i % len(finished)], 100_000 + i) for i in range(tags))
    card_numbers = tuple(
        f"{rng.randrange(1, 256):02X}{rng.randrange(2**32):08X}" for _ in range(cards)
    )
    return DemoCodes(tuple(barcodes), bad, epcs, card_numbers)


def _sscc(cp: str, n: int) -> str:
    body = "0" + cp + f"{n:0{16 - len(cp)}d}"
    return body + check_digit(body)


def _wrong_digit(code: str) -> str:
    """The code with its GTIN/SSCC check digit off by one: a misread label."""
    prefix, rest = code[:3], code[3:]
    if prefix == "]E0":
        return prefix + rest[:12] + str((int(rest[12]) + 1) % 10) + rest[13:]
    key_end = 2 + (18 if rest.startswith("00") else 14)
    return prefix + rest[: key_end - 1] + str((int(rest[key_end - 1]) + 1) % 10) + rest[key_end:]


def _sgtin96(dp: object, serial: int) -> bytes:
    gtin13: str = dp.product.gtin  # type: ignore[attr-defined]
    cp: str = dp.company_prefix  # type: ignore[attr-defined]
    body = ("0" + gtin13)[:13]
    uri = f"urn:epc:id:sgtin:{cp}.{body[0]}{body[1 + len(cp) :]}.{serial}"
    return bytes.fromhex(encode_epc(uri, "sgtin-96"))
