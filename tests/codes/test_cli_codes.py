"""`tracer parse` and `tracer epc` as a user runs them: output, JSON, one-line errors."""

from __future__ import annotations

import json

import pytest
from cli_run import run


def test_parse_human_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", "(01)06901234567892(10)L1(17)261231(21)42")
    assert code == 0
    assert "urn:epc:id:sgtin:6901234.056789.42" in out
    assert "2026-12-31" in out
    code, out, _ = run(capsys, "parse", "--json", "]d2010690123456789210L1\x1d17261231")
    data = json.loads(out)
    assert data["lot"] == "L1" and data["expiry_date"] == "2026-12-31"
    assert data["epc_class"] == "urn:epc:class:lgtin:6901234.056789.L1"


def test_parse_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "parse", "0106901234567893")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        "Error: AI (01) GTIN 06901234567893: check digit (digit 14) is 3, expected 2 "
        "— a digit was misread or mistyped"
    ]


def test_epc_decode_encode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "epc", "3074257BF7194E4000001A85")
    assert code == 0 and "urn:epc:tag:sgtin-96:3.0614141.812345.6789" in out
    code, out, _ = run(capsys, "epc", "--json", "E2801160600002088AB4C123")
    assert json.loads(out)["scheme"] == "raw"
    code, out, _ = run(
        capsys,
        "epc",
        "--encode",
        "auto",
        "--filter",
        "3",
        "--json",
        "urn:epc:id:sgtin:0614141.812345.6789",
    )
    assert json.loads(out)["hex"] == "3074257BF7194E4000001A85"
    code, out, _ = run(capsys, "epc", "--encode", "auto", "--json", "(01)06901234567892(21)A1")
    assert json.loads(out)["scheme"] == "sgtin-198"


def test_epc_garbage_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "epc", "not-hex!")
    assert code == 1 and "not hexadecimal" in err and "Traceback" not in err


def test_decode_files_json_lines(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    import cv2

    from tracer.codes.synthetic import Distortion, frame_with_code

    frame, _ = frame_with_code(
        "GS1 DataMatrix", "(01)06901234567892(10)L1(21)7", (640, 480), Distortion(angle=40)
    )
    image = tmp_path / "carton.png"
    cv2.imwrite(str(image), frame)
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), frame[:40, :40] * 0 + 255)
    code, out, err = run(capsys, "decode", "--json", str(image), str(blank))
    assert code == 2 and "blank.png: no code found" in err
    (line,) = out.strip().splitlines()
    data = json.loads(line)
    assert data["file"] == str(image)
    assert data["symbology"] == "GS1 DataMatrix"
    assert data["text"] == "]d2010690123456789210L1\x1d217"
    assert data["gs1"]["epc_uri"] == "urn:epc:id:sgtin:6901234.056789.7"
    assert len(data["position"]) == 4
    code, out, _ = run(capsys, "decode", str(image))
    assert code == 0 and "GS1 DataMatrix" in out and "<GS>" in out


def test_label_png_and_serialised_pdf(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from pypdf import PdfReader

    from tracer.codes import decode_image

    png = tmp_path / "lot.png"
    code, out, _ = run(
        capsys,
        "label",
        "(01)06901234567892(10)L24A(17)261231",
        "--symbology",
        "qr",
        "--out",
        str(png),
    )
    assert code == 0 and "1 label" in out
    (symbol,) = decode_image(png)
    assert symbol.text == "https://id.gs1.org/01/06901234567892/10/L24A?17=261231"
    pdf = tmp_path / "run.pdf"
    code, out, _ = run(
        capsys,
        "label",
        "(01)06901234567892(10)L24A",
        "--symbology",
        "datamatrix",
        "--width-mm",
        "50",
        "--height-mm",
        "25",
        "--serials",
        "098-102",
        "--out",
        str(pdf),
    )
    assert code == 0 and "5 labels, serials 098–102" in out
    assert len(PdfReader(pdf).pages) == 5
    code, _, err = run(capsys, "label", "(01)06901234567892", "--count", "3", "--out", str(png))
    assert code == 1 and "use --out FILE.pdf" in err
