"""The GS1 mod-10 check digit shared by every GS1 key (GTIN, GLN, SSCC, GSIN, GSRN, ...).

It sits at the bottom layer because the ledger (master-data import) needs it as
much as the codes, EPCIS and recall layers do; one copy means one behaviour on
odd input. The event hash and RFID tag decoding call it per identifier, so it
sums bytes instead of converting digit by digit.
"""

from __future__ import annotations

_DIGITS = "0123456789"


def check_digit(body: str) -> str:
    """Check digit of a key body without its check digit: weights 3, 1, 3, … from the right.

    Raises ValueError unless `body` is one or more ASCII digits (a silent wrong
    digit would be worse than an error).
    """
    b = body[::-1].encode("ascii")  # UnicodeEncodeError is a ValueError
    if not b.isdigit():
        raise ValueError(f"a GS1 key body is ASCII digits, not {body!r}")
    odd, even = b[0::2], b[1::2]
    return _DIGITS[(48 * (3 * len(odd) + len(even)) - 3 * sum(odd) - sum(even)) % 10]


def has_valid_check_digit(key: str) -> bool:
    """True when `key` is at least two ASCII digits and its last digit is its check digit."""
    if len(key) < 2 or not (key.isascii() and key.isdigit()):
        return False
    return check_digit(key[:-1]) == key[-1]
