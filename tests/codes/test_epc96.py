"""The SGTIN-96 / SSCC-96 fast path gives exactly the EpcTag epcpy gives, or steps aside."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracer.codes import decode_epc
from tracer.codes.epc import EpcTag, _from_hex_epcpy
from tracer.codes.epc96 import decode_gs1_96

from .test_epc import TDS_EXAMPLES

COMPANY = [(40, 12), (37, 11), (34, 10), (30, 9), (27, 8), (24, 7), (20, 6)]


def _assemble(header: int, filter_value: int, partition: int, fields: list[tuple[int, int]]) -> str:
    value = header
    for bits, field in [(3, filter_value), (3, partition), *fields]:
        value = (value << bits) | field
    return f"{value:024X}"


@st.composite
def gs1_96(draw: st.DrawFn, in_range: bool) -> str:
    """Any 96-bit SGTIN/SSCC value; with in_range, digits fit their partition, unused bits 0."""
    header = draw(st.sampled_from([0x30, 0x31]))
    filter_value = draw(st.integers(0, 7))
    partition = draw(st.integers(0, 6 if in_range else 7))
    company_bits, company_digits = COMPANY[min(partition, 6)]
    rest_bits = (44 if header == 0x30 else 58) - company_bits
    rest_digits = (13 if header == 0x30 else 17) - company_digits

    def number(bits: int, digits: int) -> int:
        top = min(10**digits, 1 << bits) - 1 if in_range else (1 << bits) - 1
        return draw(st.one_of(st.integers(0, top), st.sampled_from([0, top])))

    fields = [(company_bits, number(company_bits, company_digits))]
    fields.append((rest_bits, number(rest_bits, rest_digits)))
    if header == 0x30:
        fields.append((38, draw(st.integers(0, (1 << 38) - 1))))
    else:
        unused = 0 if in_range else draw(st.sampled_from([0, 1, 1 << 23, (1 << 24) - 1]))
        fields.append((24, unused))
    hex_value = _assemble(header, filter_value, partition, fields)
    # readers may append words after the scheme's bits
    return hex_value + draw(st.sampled_from(["", "0000", "FFFF", "1A2B3C4D"]))


@settings(max_examples=800, deadline=None)
@given(gs1_96(in_range=True))
@example("3074257BF7194E4000001A85")
@example("3074257BF7194E4000001A850000")
@example("3174257BF4499602D2000000")
def test_fast_path_equals_epcpy_for_valid_values(hex_value: str) -> None:
    fields = decode_gs1_96(hex_value)
    assert fields is not None
    fast = EpcTag(**fields)
    assert fast == _from_hex_epcpy(hex_value)
    assert fast.scheme in ("sgtin-96", "sscc-96") and fast.note is None
    assert decode_epc(hex_value) == fast


@settings(max_examples=800, deadline=None)
@given(gs1_96(in_range=False))
@example("30FFFFFFFFFFFFFFFFFFFFFF")  # partition 7
@example("3174257BF4499602D2000001")  # unused SSCC bits set: epcpy's call
@example("3074257BF7194E40")  # too short
def test_any_value_decodes_as_epcpy_does(hex_value: str) -> None:
    """Out-of-range digits and partition 7 fall back: decode_epc never differs from epcpy."""
    fields = decode_gs1_96(hex_value)
    slow = _from_hex_epcpy(hex_value)
    if fields is not None:
        assert EpcTag(**fields) == slow
    assert decode_epc(hex_value) == slow


@pytest.mark.parametrize(
    "hex_value",
    [
        "30FFFFFFFFFFFFFFFFFFFFFF",  # partition 7
        "3074257BF7194E40",  # 64 bits only
        "3174257BF4499602D2000001",  # reserved bits not zero
        "3023A3529440000000000001",  # partition 0, company prefix 10^12: 13 digits
        "30200000000007C000000001",  # partition 0, item reference 15: 2 digits
        "31187890174876E800000000",  # partition 6, serial reference 10^11: 12 digits
        "3674257BF6B7A659B2C2BF100000000000000000000000000000",  # SGTIN-198
        "3274257BF46072000000162E",  # SGLN-96
    ],
)
def test_unusual_values_are_left_to_epcpy(hex_value: str) -> None:
    assert decode_gs1_96(hex_value) is None


@pytest.mark.parametrize(("pure", "tag_uri", "hex_value"), TDS_EXAMPLES)
def test_tds_worked_examples(pure: str, tag_uri: str, hex_value: str) -> None:
    fields = decode_gs1_96(hex_value)
    if tag_uri.split(":")[3] in ("sgtin-96", "sscc-96"):
        assert fields is not None
        assert EpcTag(**fields) == _from_hex_epcpy(hex_value)
        assert (fields["uri"], fields["tag_uri"]) == (pure, tag_uri)
    else:
        assert fields is None


@settings(max_examples=300)
@given(st.one_of(gs1_96(True), gs1_96(False), st.binary(min_size=1, max_size=32).map(bytes.hex)))
def test_reader_hex_path_equals_decode_epc(hex_value: str) -> None:
    """What a driver's bytes give (`decode_epc_hex`) is what `decode_epc` gives for the same hex."""
    from tracer.codes.epc import decode_epc_hex

    value = hex_value.upper()
    assert decode_epc_hex(value) == decode_epc(value)
