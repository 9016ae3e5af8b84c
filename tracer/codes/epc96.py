"""SGTIN-96 and SSCC-96 decoded straight from the bits.

Portals read these two schemes almost exclusively, and a burst of new tags is
decoded serially on the reader thread: epcpy's general path (bit strings,
regular expressions, URI round trips) costs ~50 µs a tag, this one a few. The
layouts and partition tables are those of the GS1 EPC Tag Data Standard
(SGTIN-96 and SSCC-96 binary encodings). Anything the least unusual (partition
7, a company prefix or reference with more digits than its partition allows,
non-zero unused SSCC bits, a short value) returns None so that the caller
falls back to epcpy: results are identical by construction and by test
(tests/codes/test_epc96.py compares both paths field by field).
"""

from __future__ import annotations

from typing import Any

from tracer.gs1_check import check_digit

# partition value -> (company prefix bits, company prefix digits); the rest of the
# partitioned field (44 bits for SGTIN-96, 58 for SSCC-96) holds the other digits.
_PARTITIONS = ((40, 12), (37, 11), (34, 10), (30, 9), (27, 8), (24, 7), (20, 6))
_SERIAL_MASK = (1 << 38) - 1
_UNUSED_SSCC_MASK = (1 << 24) - 1


def decode_gs1_96(hex_value: str) -> dict[str, Any] | None:
    """EpcTag fields of an SGTIN-96 / SSCC-96 EPC in upper-case hex, or None to let epcpy decide.

    Like epcpy, only the scheme's 96 bits count: words a reader appends are ignored.
    """
    header = hex_value[:2]
    if (header != "30" and header != "31") or len(hex_value) < 24:
        return None
    try:
        value = int(hex_value[:24], 16)
    except ValueError:
        return None
    filter_value = (value >> 85) & 7
    partition = (value >> 82) & 7
    if partition > 6:
        return None
    company_bits, company_digits = _PARTITIONS[partition]
    company = (value >> (82 - company_bits)) & ((1 << company_bits) - 1)
    if company >= 10**company_digits:
        return None
    gcp = f"{company:0{company_digits}d}"
    if header == "30":
        return _sgtin(hex_value[:24], value, filter_value, company_bits, company_digits, gcp)
    return _sscc(hex_value[:24], value, filter_value, company_bits, company_digits, gcp)


def _sgtin(
    hex_value: str, value: int, filter_value: int, company_bits: int, company_digits: int, gcp: str
) -> dict[str, Any] | None:
    item_digits = 13 - company_digits
    item = (value >> 38) & ((1 << (44 - company_bits)) - 1)
    if item >= 10**item_digits:
        return None
    item_ref = f"{item:0{item_digits}d}"
    serial = str(value & _SERIAL_MASK)  # an integer: never zero-padded in SGTIN-96
    body = item_ref[0] + gcp + item_ref[1:]
    gtin = body + check_digit(body)
    ids = f"{gcp}.{item_ref}.{serial}"
    return {
        "hex": hex_value,
        "scheme": "sgtin-96",
        "uri": f"urn:epc:id:sgtin:{ids}",
        "tag_uri": f"urn:epc:tag:sgtin-96:{filter_value}.{ids}",
        "filter": filter_value,
        "gtin": gtin,
        "serial": serial,
        "gs1_key": gtin,
        "element_string": f"(01){gtin}(21){serial}",
    }


def _sscc(
    hex_value: str, value: int, filter_value: int, company_bits: int, company_digits: int, gcp: str
) -> dict[str, Any] | None:
    if value & _UNUSED_SSCC_MASK:  # reserved bits: epcpy ignores them, we do not guess
        return None
    reference_digits = 17 - company_digits
    reference = (value >> 24) & ((1 << (58 - company_bits)) - 1)
    if reference >= 10**reference_digits:
        return None
    serial_ref = f"{reference:0{reference_digits}d}"
    body = serial_ref[0] + gcp + serial_ref[1:]
    sscc = body + check_digit(body)
    ids = f"{gcp}.{serial_ref}"
    return {
        "hex": hex_value,
        "scheme": "sscc-96",
        "uri": f"urn:epc:id:sscc:{ids}",
        "tag_uri": f"urn:epc:tag:sscc-96:{filter_value}.{ids}",
        "filter": filter_value,
        "sscc": sscc,
        "gs1_key": sscc,
        "element_string": f"(00){sscc}",
    }
