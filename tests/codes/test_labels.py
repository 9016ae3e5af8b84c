"""Every label tracer renders reads back, with both decoders where they support it,
to exactly the data it was made from."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.codes import CodeError, decode_image, parse_code
from tracer.codes.labels import LabelSize, render_label, save_label, save_sheet, with_serial

CODES = [
    "(01)06901234567892(10)L24A(17)261231(21)S1",
    "(01)06901234567892(10)批号-7/B",  # lot outside the GS1 set is refused below
    "(00)106141411234567897(02)06901234567892(37)24",
    "(01)04006381333931(11)240101(3103)001250(10)ABC",
]
SIZES = {
    "gs1-128": LabelSize(100, 40, 300),
    "ean13": LabelSize(50, 30, 300),
    "datamatrix": LabelSize(60, 30, 203),
    "qr": LabelSize(80, 40, 300),
}
BACKENDS = {
    "gs1-128": ("zxing", "zbar"),
    "ean13": ("zxing", "zbar"),
    "datamatrix": ("zxing",),
    "qr": ("zxing", "zbar"),
}


def _read_back(image: np.ndarray, symbology: str, backend: str) -> dict[str, str]:
    symbols = decode_image(image, backend, try_harder=False)
    assert len(symbols) == 1, (symbology, backend, symbols)
    (symbol,) = symbols
    assert symbol.gs1 is not None and symbol.error is None
    return symbol.gs1.ais


@pytest.mark.parametrize("symbology", list(SIZES))
@pytest.mark.parametrize("text", [c for c in CODES if "批" not in c])
def test_label_round_trip(symbology: str, text: str) -> None:
    code = parse_code(text)
    if symbology == "ean13" and not (code.gtin or "").startswith("0"):
        with pytest.raises(CodeError, match="EAN-13 carries only a GTIN-13"):
            render_label(code, symbology, SIZES[symbology])
        return
    image = render_label(code, symbology, SIZES[symbology], title="Flour 面粉 1 kg")
    size = SIZES[symbology]
    assert image.size == (size.px(size.width_mm), size.px(size.height_mm))
    expected = {"01": code.gtin} if symbology == "ean13" else code.ais
    for backend in BACKENDS[symbology]:
        assert _read_back(np.array(image), symbology, backend) == expected


def test_png_and_pdf_files(tmp_path: Path) -> None:
    from pypdf import PdfReader

    image = render_label(CODES[0], "datamatrix", LabelSize(50, 25, 300))
    png = save_label(image, tmp_path / "lot.png")
    assert decode_image(png)[0].gs1.ais == parse_code(CODES[0]).ais  # type: ignore[union-attr]
    pdf = save_label(image, tmp_path / "lot.pdf")
    page = PdfReader(pdf).pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert width_mm == pytest.approx(50, abs=0.1)
    with pytest.raises(CodeError, match=r"\.png or \.pdf"):
        save_label(image, tmp_path / "lot.jpg")


def test_serialised_sheet_pdf_reads_back_in_order(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    base = parse_code("(01)06901234567892(10)L24A(17)261231")
    serials = [f"{n:04d}" for n in range(1, 8)]
    labels = (
        render_label(with_serial(base, s), "gs1-128", LabelSize(80, 30, 300)) for s in serials
    )
    out = tmp_path / "run.pdf"
    assert save_sheet(labels, out, page_mm=(210, 297)) == 7
    reader = PdfReader(out)
    assert len(reader.pages) == 1  # 2 columns × 9 rows fit on A4
    read = []
    for picture in reader.pages[0].images:
        image = np.array(Image.open(io.BytesIO(picture.data)).convert("L"))
        (symbol,) = decode_image(image, "zbar", try_harder=False)
        assert symbol.gs1 is not None
        read.append(symbol.gs1.serial)
        assert symbol.gs1.lot == "L24A"
    assert sorted(read) == serials  # pypdf lists images by resource name, not position


def test_refusals() -> None:
    with pytest.raises(CodeError, match="too small"):
        render_label(CODES[0], "gs1-128", LabelSize(20, 10, 200))
    with pytest.raises(CodeError, match="unknown label symbology"):
        render_label(CODES[0], "pdf417")
    with pytest.raises(CodeError, match="primary key"):
        render_label("(10)LOT", "qr")
    with pytest.raises(CodeError):  # lot characters outside the GS1 character set
        render_label(CODES[1], "gs1-128")


def test_custom_digital_link_domain() -> None:
    image = render_label(CODES[0], "qr", SIZES["qr"], digital_link_base="https://d.example.cn/")
    (symbol,) = decode_image(np.array(image))
    assert symbol.text.startswith("https://d.example.cn/01/06901234567892/10/L24A/21/S1")
    assert symbol.gs1 is not None and symbol.gs1.ais == parse_code(CODES[0]).ais


GS1_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789-./_"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lot=st.text(alphabet=GS1_CHARS, min_size=1, max_size=20),
    serial=st.text(alphabet=GS1_CHARS, min_size=1, max_size=20),
    symbology=st.sampled_from(["gs1-128", "datamatrix", "qr"]),
)
def test_any_lot_and_serial_round_trip(lot: str, serial: str, symbology: str) -> None:
    code = parse_code(f"(01)06901234567892(10){lot}(21){serial}")
    size = LabelSize(150, 50, 300) if symbology == "gs1-128" else SIZES[symbology]
    image = np.array(render_label(code, symbology, size))
    assert _read_back(image, symbology, "zxing") == code.ais
