"""What product a signal is about, from whatever the reporter has.

A code as scanned or typed (GS1 element string, plain GTIN, Digital Link,
EPC URI), a photo of the label (decoded with `tracer.codes.decode_image`),
or a GTIN and lot typed in. All three end as one `ProductRef`.
"""

from __future__ import annotations

from pathlib import Path

from tracer.codes import parse_code
from tracer.errors import CodeError
from tracer.quality.linking import normalize_gtin, split_class
from tracer.quality.signal_model import ProductRef, SignalError


def from_code(text: str, *, how: str = "scanned") -> ProductRef:
    """A scanned or typed code: GS1 element string, GTIN, Digital Link or EPC URI."""
    t = text.strip()
    if t.startswith("urn:epc:"):
        split = split_class(t)
        if split is None:
            raise SignalError(f"{t} names no product (expected an SGTIN or LGTIN URI)")
        gtin, lot = split
        serial = t.rsplit(".", 1)[1] if t.startswith("urn:epc:id:sgtin:") else None
        return ProductRef(gtin=gtin, lot=lot, serial=serial, code=t, how=how)
    try:
        code = parse_code(t)
    except CodeError as exc:
        raise SignalError(f"code {t!r}: {exc}") from None
    if not code.gtin:
        what = "an SSCC (a case or pallet)" if code.sscc else "no GTIN"
        raise SignalError(f"code {t!r} has {what}: scan or type the product's own code")
    return ProductRef(gtin=code.gtin, lot=code.lot, serial=code.serial, code=t, how=how)


def from_gtin_lot(gtin: str, lot: str | None = None) -> ProductRef:
    g = normalize_gtin(gtin)
    if g is None:
        raise SignalError(f"{gtin!r} is not a valid GTIN (8, 12, 13 or 14 digits, check digit)")
    return ProductRef(gtin=g, lot=(lot or "").strip() or None, how="gtin_lot")


def from_photo(path: str | Path) -> ProductRef:
    """Decode a photo of the label; prefer a code carrying the lot (GS1 DataMatrix,
    GS1-128, Digital Link QR) over a bare EAN-13."""
    from tracer.codes import decode_image

    p = Path(path)
    if not p.is_file():
        raise SignalError(f"photo {p} is not a readable file")
    symbols = [s for s in decode_image(p) if s.gs1 is not None and s.gs1.gtin]
    if not symbols:
        raise SignalError(f"no product code could be read in {p.name}: type the GTIN and lot")
    best = max(
        symbols, key=lambda s: (s.gs1 is not None and bool(s.gs1.lot), bool(s.gs1 and s.gs1.serial))
    )
    g = best.gs1
    assert g is not None
    return ProductRef(gtin=g.gtin, lot=g.lot, serial=g.serial, code=best.text, how="photo")
