"""decode_epc / encode_epc against the worked examples of the GS1 EPC Tag Data Standard."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.codes import CodeError, decode_epc, encode_epc, parse_code

# (pure identity URI, tag URI, EPC bank hex) — TDS worked examples (filter 3, 7-digit GCP).
# As in GS1's own TDT test suite, the SGTIN-198 example uses indicator 7 (the TDS text
# has a typo with 8) and the GIAI-202 example has no extra zero.
TDS_EXAMPLES = [
    (
        "urn:epc:id:sgtin:0614141.812345.6789",
        "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        "3074257BF7194E4000001A85",
    ),
    (
        "urn:epc:id:sgtin:0614141.712345.32a%2Fb",
        "urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb",
        "3674257BF6B7A659B2C2BF100000000000000000000000000000",
    ),
    (
        "urn:epc:id:sscc:0614141.1234567890",
        "urn:epc:tag:sscc-96:3.0614141.1234567890",
        "3174257BF4499602D2000000",
    ),
    (
        "urn:epc:id:sgln:0614141.12345.5678",
        "urn:epc:tag:sgln-96:3.0614141.12345.5678",
        "3274257BF46072000000162E",
    ),
    (
        "urn:epc:id:sgln:0614141.12345.32a%2Fb",
        "urn:epc:tag:sgln-195:3.0614141.12345.32a%2Fb",
        "3974257BF46072CD9615F8800000000000000000000000000000",
    ),
    (
        "urn:epc:id:grai:0614141.12345.5678",
        "urn:epc:tag:grai-96:3.0614141.12345.5678",
        "3374257BF40C0E400000162E",
    ),
    (
        "urn:epc:id:grai:0614141.12345.32a%2Fb",
        "urn:epc:tag:grai-170:3.0614141.12345.32a%2Fb",
        "3774257BF40C0E59B2C2BF1000000000000000000000",
    ),
    (
        "urn:epc:id:giai:0614141.5678",
        "urn:epc:tag:giai-96:3.0614141.5678",
        "3474257BF40000000000162E",
    ),
    (
        "urn:epc:id:giai:0614141.32a%2Fb",
        "urn:epc:tag:giai-202:3.0614141.32a%2Fb",
        "3874257BF59B2C2BF10000000000000000000000000000000000",
    ),
    (
        "urn:epc:id:gsrn:0614141.1234567890",
        "urn:epc:tag:gsrn-96:3.0614141.1234567890",
        "2D74257BF4499602D2000000",
    ),
    (
        "urn:epc:id:gdti:0614141.12345.5678",
        "urn:epc:tag:gdti-96:3.0614141.12345.5678",
        "2C74257BF46072000000162E",
    ),
    (
        "urn:epc:id:gid:31415.271828.1414",
        "urn:epc:tag:gid-96:31415.271828.1414",
        "350007AB70425D4000000586",
    ),
]


@pytest.mark.parametrize(("pure", "tag_uri", "hex_value"), TDS_EXAMPLES)
def test_tds_worked_examples_decode(pure: str, tag_uri: str, hex_value: str) -> None:
    tag = decode_epc(hex_value)
    assert tag.uri == pure
    assert tag.tag_uri == tag_uri
    assert tag.scheme == tag_uri.split(":")[3]
    assert tag.hex == hex_value
    assert decode_epc(tag_uri).hex == hex_value


@pytest.mark.parametrize(("pure", "tag_uri", "hex_value"), TDS_EXAMPLES)
def test_tds_worked_examples_encode(pure: str, tag_uri: str, hex_value: str) -> None:
    scheme = tag_uri.split(":")[3]
    assert encode_epc(pure, scheme=scheme, filter=3) == hex_value
    assert encode_epc(tag_uri) == hex_value


def test_gs1_keys_of_decoded_tags() -> None:
    sgtin = decode_epc("3074257BF7194E4000001A85")
    assert (sgtin.gtin, sgtin.serial, sgtin.filter) == ("80614141123458", "6789", 3)
    assert sgtin.element_string == "(01)80614141123458(21)6789"
    assert parse_code(sgtin.element_string).epc_uri == sgtin.uri
    assert decode_epc("3674257BF6B7A659B2C2BF100000000000000000000000000000").serial == "32a/b"
    assert decode_epc("3174257BF4499602D2000000").sscc == "106141412345678908"
    sgln = decode_epc("3274257BF46072000000162E")
    assert (sgln.gln, sgln.gln_extension) == ("0614141123452", "5678")
    assert decode_epc("3474257BF40000000000162E").giai == "06141415678"
    assert decode_epc("3374257BF40C0E400000162E").grai == "06141411234525678"


def test_reader_formatting_and_padding_words() -> None:
    assert decode_epc("30 74 25 7B F7 19 4E 40 00 00 1A 85").hex == "3074257BF7194E4000001A85"
    assert decode_epc("0x3074257bf7194e4000001a85").uri == "urn:epc:id:sgtin:0614141.812345.6789"
    # a reader that reports a trailing padding word
    assert decode_epc("3074257BF7194E4000001A850000").hex == "3074257BF7194E4000001A85"


@pytest.mark.parametrize(
    "hex_value",
    [
        "E2801160600002088AB4C123",  # a TID-like value in the EPC bank
        "000000000000000000000000",  # blank tag
        "30FFFFFFFFFFFFFFFFFFFFFF",  # SGTIN header, invalid partition
        "3074257BF7194E40",  # SGTIN header, too short
        "ABCD",
    ],
)
def test_non_gs1_tags_stay_raw(hex_value: str) -> None:
    tag = decode_epc(hex_value)
    assert tag.scheme == "raw"
    assert not tag.is_gs1
    assert tag.hex == hex_value
    assert tag.uri == f"urn:epc:raw:{len(hex_value) * 4}.x{hex_value}"
    assert decode_epc(tag.uri).hex == hex_value
    assert tag.to_json()["uri"] == tag.uri


def test_pure_identity_uri_gives_keys_without_hex() -> None:
    tag = decode_epc("urn:epc:id:sgtin:0614141.812345.6789")
    assert tag.hex is None and tag.scheme == "sgtin"
    assert tag.gtin == "80614141123458"


def test_encode_from_gs1_codes_and_scheme_choice() -> None:
    assert encode_epc("(01)80614141123458(21)6789") == "3034257BF7194E4000001A85"
    # an SSCC URI with the default (SGTIN) scheme picks sscc-96
    assert encode_epc("urn:epc:id:sscc:0614141.1234567890", filter=3) == (
        "3174257BF4499602D2000000"
    )
    hex_value = encode_epc("(01)80614141123458(21)A/B", scheme="sgtin-198", filter=1)
    assert decode_epc(hex_value).serial == "A/B"
    assert decode_epc(encode_epc("(414)0614141123452(254)5678")).gln_extension == "5678"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("(01)80614141123458(21)A/B", "sgtin-96"), "'A/B' cannot be stored in sgtin-96"),
        (("(01)80614141123458(21)007", "sgtin-96"), "use sgtin-198"),
        (("(01)80614141123458",), "has no instance-level EPC"),
        (("urn:epc:id:sgtin:0614141.812345.6789", "sgtin-96", 8), "filter value 8"),
        (("urn:epc:id:sgtin:0614141.812345.6789", "sgtin-64"), "unknown tag scheme"),
        (("urn:epc:id:sgtin:1.2.3",), "not a valid EPC pure-identity URI"),
    ],
)
def test_encode_errors(args: tuple, message: str) -> None:
    with pytest.raises(CodeError) as info:
        encode_epc(*args)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zz12", "character 'z' at position 1"),
        ("", "empty EPC"),
        ("urn:epc:tag:sgtin-96:9.1.2.3", "not a valid EPC tag URI"),
        ("urn:epc:raw:96", "not a raw EPC URI"),
        ("urn:epc:idpat:sgtin:0614141.812345.*", "is not an EPC of one tag"),
    ],
)
def test_decode_errors(text: str, message: str) -> None:
    with pytest.raises(CodeError) as info:
        decode_epc(text)
    assert message in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=32))
def test_fuzz_any_hex_decodes(data: bytes) -> None:
    tag = decode_epc(data.hex())
    assert tag.hex is not None
    assert tag.uri.startswith(("urn:epc:id:", "urn:epc:raw:"))


@settings(max_examples=200, deadline=None)
@given(
    gcp=st.sampled_from(["0614141", "6901234", "69212345", "400638"]),
    item=st.integers(min_value=0, max_value=9999),
    serial=st.integers(min_value=0, max_value=2**38 - 1),
    filter_value=st.integers(min_value=0, max_value=7),
)
def test_sgtin96_round_trip(gcp: str, item: int, serial: int, filter_value: int) -> None:
    item_ref = "1" + str(item).zfill(12 - len(gcp))
    uri = f"urn:epc:id:sgtin:{gcp}.{item_ref}.{serial}"
    tag = decode_epc(encode_epc(uri, "sgtin-96", filter_value))
    assert (tag.uri, tag.filter, tag.scheme) == (uri, filter_value, "sgtin-96")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_any_text_decodes_or_says_why(text: str) -> None:
    try:
        tag = decode_epc(text)
    except CodeError as exc:
        assert str(exc)
    else:
        assert tag.uri.startswith(("urn:epc:id:", "urn:epc:raw:"))
