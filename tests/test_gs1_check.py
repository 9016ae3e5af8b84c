"""The one GS1 mod-10 check digit every layer uses."""

from __future__ import annotations

import pytest
from biip.checksums import gs1_standard_check_digit
from hypothesis import given
from hypothesis import strategies as st

from tracer.gs1_check import check_digit, has_valid_check_digit

# Keys printed in GS1 documents and on real packs: the last digit is the check digit.
KNOWN = [
    "95012346",  # GTIN-8
    "614141000036",  # GTIN-12 (UPC-A)
    "6291041500213",  # GTIN-13, GS1 General Specifications worked example
    "4006381333931",  # GTIN-13
    "5901234123457",  # GTIN-13
    "10614141000019",  # GTIN-14
    "10012345678902",  # GTIN-14
    "00012345600012",  # GTIN-14 of a GTIN-12
    "106141411234567897",  # SSCC
    "376104250021234569",  # SSCC
    "0614141000005",  # GLN
    "5412345000013",  # GLN
]

bodies = st.text(alphabet="0123456789", min_size=1, max_size=17)


@pytest.mark.parametrize("key", KNOWN)
def test_known_keys(key: str) -> None:
    assert check_digit(key[:-1]) == key[-1]
    assert has_valid_check_digit(key)


@pytest.mark.parametrize("bad", ["", "12a4", "１２３", "٣٣٣", "12 3", "-123"])
def test_body_that_is_not_ascii_digits_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)
    assert not has_valid_check_digit(bad + "0")


@pytest.mark.parametrize("short", ["", "7"])
def test_key_without_a_body_is_not_valid(short: str) -> None:
    assert not has_valid_check_digit(short)


@given(bodies)
def test_appending_the_digit_validates_and_agrees_with_biip(body: str) -> None:
    digit = check_digit(body)
    assert digit == str(gs1_standard_check_digit(body))
    assert has_valid_check_digit(body + digit)


@given(bodies, st.data())
def test_changing_any_one_digit_fails(body: str, data: st.DataObject) -> None:
    key = body + check_digit(body)
    at = data.draw(st.integers(0, len(key) - 1), label="position")
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != key[at]]), label="digit")
    assert not has_valid_check_digit(key[:at] + new + key[at + 1 :])
