"""parse_code: every way a GS1 code reaches tracer, and the errors an operator sees."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.codes import CodeError, GS1Code, parse_code

GS = "\x1d"


@pytest.mark.parametrize(
    "text",
    [
        "(01)07032069804988(10)ABC123(17)250630(21)SN1",
        "(01) 07032069804988 (10) ABC123 (17) 250630 (21) SN1",
        f"010703206980498810ABC123{GS}1725063021SN1",
        f"]C1010703206980498810ABC123{GS}1725063021SN1",
        f"]d2010703206980498810ABC123{GS}1725063021SN1",
        f"]Q3010703206980498810ABC123{GS}1725063021SN1",
        f"]e0010703206980498810ABC123{GS}1725063021SN1",
        f"{GS}010703206980498810ABC123{GS}1725063021SN1",
        "https://id.gs1.org/01/07032069804988/10/ABC123/21/SN1?17=250630",
        "https://brand.example.cn/p/01/07032069804988/10/ABC123/21/SN1?17=250630",
    ],
)
def test_same_item_in_every_notation(text: str) -> None:
    code = parse_code(text)
    assert code.raw == text
    assert code.gtin == "07032069804988"
    assert code.lot == "ABC123"
    assert code.serial == "SN1"
    assert code.expiry_date == date(2025, 6, 30)
    assert code.ais == {"01": "07032069804988", "10": "ABC123", "17": "250630", "21": "SN1"}
    # biip's GS1 prefix table says Norway's 7032069… has a 6-digit company prefix
    assert code.epc_uri == "urn:epc:id:sgtin:703206.0980498.SN1"
    assert code.epc_class == "urn:epc:class:lgtin:703206.0980498.ABC123"
    assert code.identity() == code.epc_uri


def test_tds_sgtin_example_and_uri_escaping() -> None:
    code = parse_code("(01)80614141123458(21)6789")
    assert code.epc_uri == "urn:epc:id:sgtin:0614141.812345.6789"
    assert code.epc_class == "urn:epc:idpat:sgtin:0614141.812345.*"
    assert parse_code("(01)80614141123458(21)32a/b").epc_uri == (
        "urn:epc:id:sgtin:0614141.812345.32a%2Fb"
    )
    assert parse_code("(01)80614141123458(10)L%1").epc_class == (
        "urn:epc:class:lgtin:0614141.812345.L%251"
    )


@pytest.mark.parametrize(
    ("text", "gtin", "epc_class"),
    [
        ("4006381333931", "04006381333931", "urn:epc:idpat:sgtin:4006381.033393.*"),  # EAN-13
        ("96385074", "00000096385074", "urn:epc:idpat:sgtin:000009638507.0.*"),  # EAN-8
        ("036000291452", "00036000291452", "urn:epc:idpat:sgtin:0036000.029145.*"),  # UPC-A
        ("10036000291459", "10036000291459", "urn:epc:idpat:sgtin:0036000.129145.*"),  # ITF-14
        ("]E06901234567892", "06901234567892", "urn:epc:idpat:sgtin:6901234.056789.*"),
    ],
)
def test_plain_gtins(text: str, gtin: str, epc_class: str) -> None:
    code = parse_code(text)
    assert code.kind == "gtin"
    assert code.gtin == gtin
    assert code.epc_class == epc_class
    assert code.epc_uri is None
    assert code.identity() == epc_class


def test_chinese_company_prefix_lengths_follow_gs1_table() -> None:
    assert parse_code("06901234567892").epc_class == "urn:epc:idpat:sgtin:6901234.056789.*"
    assert parse_code("06921234567890").epc_class == "urn:epc:idpat:sgtin:69212345.06789.*"
    assert parse_code("06971234567895").epc_class == "urn:epc:idpat:sgtin:697123456.0789.*"


def test_sscc_gln_giai_grai_and_measures() -> None:
    sscc = parse_code("(00)106141411234567897(02)06901234567892(37)24")
    assert sscc.sscc == "106141411234567897"
    assert sscc.epc_uri == "urn:epc:id:sscc:0614141.1123456789"
    assert sscc.count == 24
    assert sscc.gtin is None and sscc.ais["02"] == "06901234567892"
    assert parse_code("106141411234567897").epc_uri == sscc.epc_uri  # bare 18 digits

    gln = parse_code("(414)0614141123452(254)5678")
    assert gln.gln == "0614141123452"
    assert gln.epc_uri == "urn:epc:id:sgln:0614141.12345.5678"
    assert parse_code("(414)0614141123452").epc_uri == "urn:epc:id:sgln:0614141.12345.0"

    assert parse_code("(8004)0614141ABC/1").epc_uri == "urn:epc:id:giai:0614141.ABC%2F1"
    assert parse_code("(8003)006141411234525678").epc_uri == "urn:epc:id:grai:0614141.12345.5678"

    lot = parse_code(f"]C1010690123456789210L1{GS}112401013712{GS}3103001250400PO-7")
    assert lot.production_date == date(2024, 1, 1)
    assert lot.count == 12
    assert lot.measures == {"NET WEIGHT (kg)": "1.250"}
    assert lot.ais["400"] == "PO-7"
    assert lot.hri == "(01)06901234567892(10)L1(11)240101(37)12(3103)001250(400)PO-7"


def test_digital_link_of_an_element_string() -> None:
    code = parse_code("(01)06901234567892(10)L 1(17)261231")
    assert code.digital_link == "https://id.gs1.org/01/06901234567892/10/L1?17=261231"
    assert parse_code(code.digital_link).ais == code.ais


def test_to_json_is_plain_data() -> None:
    data = parse_code("(01)07032069804988(10)A(17)250600").to_json()
    assert data["expiry_date"] == "2025-06-30"  # day 00 = last day of the month
    assert data["gtin"] == "07032069804988"
    assert data["ais"] == {"01": "07032069804988", "10": "A", "17": "250600"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "0107032069804989",
            "AI (01) GTIN 07032069804989: check digit (digit 14) is 9, expected 8",
        ),
        ("4006381333932", "GTIN 4006381333932: check digit (digit 13) is 2, expected 1"),
        ("106141411234567890", "SSCC 106141411234567890: check digit (digit 18) is 0, expected 7"),
        ("(414)0614141123453", "AI (414) LOC No. 0614141123453: check digit (digit 13) is 3"),
        ("(01)07032069804988(17)251301", "AI (17) USE BY or EXPIRY '251301': month 13"),
        ("(01)07032069804988(11)250230", "AI (11) PROD DATE '250230': day 30 does not exist"),
        ("(01)07032069804988(17)250632", "day 32 (digits 5–6) is not 00–31"),
        ("(01)123", "AI (01) GTIN '123' does not fit its format N14 (14 digits)"),
        ("(01)07032069804988(10)", "AI (10) BATCH/LOT has no data"),
        ("(01)07032069804988(10)AB(10)CD", "AI (10) BATCH/LOT appears twice"),
        ("(0)1", "expected '(AI)data(AI)data…'"),
        ("(23)1", "(23) is not a GS1 Application Identifier"),
        ("https://id.gs1.org/01/07032069804989", "check digit (digit 14) is 9, expected 8"),
        ("https://id.gs1.org/01/07032069804988?17=251399", "AI (17) USE BY or EXPIRY"),
        ("https://example.com/about", "not a GS1 Digital Link URI"),
        ("hello", "'hello' is not a GS1 code"),
        ("", "empty code"),
        ("]C1", "no data after the symbology identifier ]C1"),
        ("]C10107032069804988" + "23X", "no GS1 Application Identifier at position 17"),
    ],
)
def test_clear_errors(text: str, message: str) -> None:
    with pytest.raises(CodeError) as info:
        parse_code(text)
    assert message in str(info.value)


def test_code_error_is_a_tracer_error() -> None:
    from tracer.errors import TracerError

    assert issubclass(CodeError, TracerError)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789()]CdQe1\x1dAb/ %:hts"), max_size=60))
def test_fuzz_never_crashes(text: str) -> None:
    try:
        result = parse_code(text)
    except CodeError as exc:
        assert str(exc)
    else:
        assert isinstance(result, GS1Code)
        assert result.raw == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_any_unicode_never_crashes(text: str) -> None:
    with contextlib.suppress(CodeError):
        parse_code(text)


@settings(max_examples=150, deadline=None)
@given(
    item=st.integers(min_value=0, max_value=99999),
    lot=st.text(alphabet="ABCXYZ0123456789-./", min_size=1, max_size=20),
    serial=st.text(alphabet="abcXYZ0123456789", min_size=1, max_size=20),
)
def test_round_trip_generated_codes(item: int, lot: str, serial: str) -> None:
    from biip.checksums import gs1_standard_check_digit

    body = f"06901234{item:05d}"
    gtin = body + str(gs1_standard_check_digit(body))
    bracketed = parse_code(f"(01){gtin}(10){lot}(21){serial}")
    scanned = parse_code(f"]d201{gtin}10{lot}{GS}21{serial}")
    linked = parse_code(bracketed.digital_link or "")
    for code in (bracketed, scanned, linked):
        assert (code.gtin, code.lot, code.serial) == (gtin, lot, serial)
        assert code.epc_uri == bracketed.epc_uri
