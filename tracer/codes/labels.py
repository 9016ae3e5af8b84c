"""Printable lot and carton labels: GS1-128, EAN-13, GS1 DataMatrix, GS1 Digital Link QR.

Encoding is left to the libraries (python-barcode for the linear codes,
zxing-cpp's writer for Data Matrix and QR); tracer draws the modules itself
at a whole number of printer dots per module — a bar that is 2.5 dots wide
prints as 2 or 3 and scans badly — with the quiet zones the GS1 General
Specifications ask for, and the human-readable text under or beside it.
A label is a PIL image at the requested size and resolution; PDF output
(reportlab) places it at its exact physical size, one label per page or
tiled on sheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tracer.codes.gs1 import GS1Code, parse_code
from tracer.errors import CodeError

SYMBOLOGIES = ("gs1-128", "ean13", "datamatrix", "qr")
MM_PER_INCH = 25.4
# Quiet zones in modules (GS1 General Specifications §5): left, right.
_QUIET = {"gs1-128": (10, 10), "ean13": (11, 7), "datamatrix": (1, 1), "qr": (4, 4)}
_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass(frozen=True)
class LabelSize:
    width_mm: float = 100.0
    height_mm: float = 50.0
    dpi: int = 300

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)


def render_label(
    code: str | GS1Code,
    symbology: str = "gs1-128",
    size: LabelSize | None = None,
    *,
    title: str | None = None,
    digital_link_base: str = "https://id.gs1.org",
) -> Image.Image:
    """One label as a grayscale PIL image of `size` (its DPI is stored in image.info)."""
    size = size or LabelSize()
    gs1 = code if isinstance(code, GS1Code) else parse_code(code)
    if symbology not in SYMBOLOGIES:
        raise CodeError(f"unknown label symbology {symbology!r}; choose {', '.join(SYMBOLOGIES)}")
    modules = _modules(gs1, symbology, digital_link_base)
    lines = _text_lines(gs1, symbology, digital_link_base)

    width, height = size.px(size.width_mm), size.px(size.height_mm)
    margin = size.px(2.0)
    label = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(label)
    font_px = max(10, size.px(2.8))
    font = _font(font_px)
    line_h = int(font_px * 1.25)
    y = margin
    if title:
        draw.text((margin, y), title, fill=0, font=_font(max(12, size.px(3.6))))
        y += int(size.px(3.6) * 1.4)

    left_q, right_q = _QUIET[symbology]
    inner_w = width - 2 * margin
    if symbology in ("gs1-128", "ean13"):
        text_h = line_h * len(lines)
        bar_h = height - y - margin - text_h
        x_dim = inner_w // (modules.shape[1] + left_q + right_q)
        _check_fit(x_dim, bar_h, symbology, size)
        symbol = _draw_modules(modules, x_dim, bar_h)
        x0 = margin + (inner_w - symbol.width) // 2
        label.paste(symbol, (x0, y))
        y_text = y + bar_h + line_h // 5
        for line in lines:
            text_w = draw.textlength(line, font=font)
            draw.text((max(margin, (width - text_w) / 2), y_text), line, fill=0, font=font)
            y_text += line_h
    else:
        side = min(height - y - margin, inner_w // 2)
        x_dim = side // (modules.shape[1] + left_q + right_q)
        _check_fit(x_dim, side, symbology, size)
        symbol = _draw_modules(modules, x_dim, None)
        label.paste(symbol, (margin + left_q * x_dim, y + left_q * x_dim))
        x_text = margin + (modules.shape[1] + left_q + right_q) * x_dim + margin
        for line in lines:
            draw.text((x_text, y), line, fill=0, font=font)
            y += line_h
    label.info["dpi"] = (size.dpi, size.dpi)
    return label


def save_label(label: Image.Image, path: str | Path) -> Path:
    """PNG (with its DPI) or a one-page PDF at the label's physical size."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        save_sheet([label], path)
    elif path.suffix.lower() == ".png":
        label.save(path, dpi=label.info.get("dpi", (300, 300)))
    else:
        raise CodeError(f"{path.name}: a label is written as .png or .pdf")
    return path


def save_sheet(
    labels: Iterable[Image.Image], path: str | Path, page_mm: tuple[float, float] | None = None
) -> int:
    """Many labels in one PDF: one per page (label printers), or tiled on `page_mm` sheets."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf: canvas.Canvas | None = None
    count = 0
    slot = 0
    for label in labels:
        dpi = label.info.get("dpi", (300, 300))[0]
        w_mm, h_mm = label.width * MM_PER_INCH / dpi, label.height * MM_PER_INCH / dpi
        page_w, page_h = page_mm or (w_mm, h_mm)
        cols = max(1, int(page_w // w_mm))
        rows = max(1, int(page_h // h_mm))
        if pdf is None:
            pdf = canvas.Canvas(str(path), pagesize=(page_w * mm, page_h * mm))
        elif slot == cols * rows:
            pdf.showPage()
            slot = 0
        col, row = slot % cols, slot // cols
        x0 = (page_w - cols * w_mm) / 2 + col * w_mm
        y0 = page_h - (page_h - rows * h_mm) / 2 - (row + 1) * h_mm
        pdf.drawImage(ImageReader(label), x0 * mm, y0 * mm, w_mm * mm, h_mm * mm)
        slot += 1
        count += 1
    if pdf is None:
        raise CodeError("no labels to write")
    pdf.save()
    return count


def with_serial(code: str | GS1Code, serial: str) -> GS1Code:
    """The same item code with AI (21) set to `serial` (for serialised label runs)."""
    gs1 = code if isinstance(code, GS1Code) else parse_code(code)
    ais = {ai: value for ai, value in gs1.ais.items() if ai != "21"}
    ais["21"] = serial
    return parse_code("".join(f"({ai}){value}" for ai, value in ais.items()))


# --- symbols ------------------------------------------------------------------------


def _modules(gs1: GS1Code, symbology: str, base: str) -> np.ndarray:
    """The symbol as a 0/1 module matrix (1 = dark), without quiet zones."""
    if symbology == "gs1-128":
        from barcode.codex import Gs1_128

        return _row(Gs1_128(_fnc1_string(gs1)).build()[0])
    if symbology == "ean13":
        from barcode.ean import EAN13

        gtin = gs1.gtin or ""
        if not gtin.startswith("0"):
            raise CodeError(
                f"EAN-13 carries only a GTIN-13; {gtin or 'this code has no GTIN'}: "
                "use gs1-128 or datamatrix"
            )
        return _row(EAN13(gtin[1:13]).build()[0])
    import zxingcpp

    if symbology == "datamatrix":
        barcode = zxingcpp.create_barcode(_hri(gs1), zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
    else:
        barcode = zxingcpp.create_barcode(
            _digital_link(gs1, base), zxingcpp.BarcodeFormat.QRCode, ec_level="M"
        )
    image = np.array(zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=False))
    return (image < 128).astype(np.uint8)


def _row(pattern: str) -> np.ndarray:
    return np.array([[1 if c == "1" else 0 for c in pattern]], dtype=np.uint8)


def _draw_modules(modules: np.ndarray, x_dim: int, bar_height: int | None) -> Image.Image:
    block = np.kron(modules, np.ones((x_dim, x_dim), dtype=np.uint8))
    if bar_height is not None:  # a linear code: one row stretched to the bar height
        block = np.repeat(block[:1], bar_height, axis=0)
    return Image.fromarray(((1 - block) * 255).astype(np.uint8), mode="L")


def _check_fit(x_dim: int, height: int, symbology: str, size: LabelSize) -> None:
    if x_dim < 2 or height < 8 * x_dim:
        raise CodeError(
            f"a {size.width_mm:g}×{size.height_mm:g} mm label at {size.dpi} dpi is too small "
            f"for this {symbology} symbol: use a larger label, a higher --dpi or less data"
        )


def _fnc1_string(gs1: GS1Code) -> str:
    """AIs with FNC1 after every variable-length field that is not last."""
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier

    parts = []
    items = list(gs1.ais.items())
    for index, (ai, value) in enumerate(items):
        parts.append(ai + value)
        variable = GS1ApplicationIdentifier.extract(ai).separator_required
        if variable and index < len(items) - 1:
            parts.append("\xf1")
    return "".join(parts)


def _hri(gs1: GS1Code) -> str:
    return "".join(f"({ai}){value}" for ai, value in gs1.ais.items())


def _digital_link(gs1: GS1Code, base: str) -> str:
    if gs1.digital_link is None:
        raise CodeError("a GS1 Digital Link needs a primary key such as (01) GTIN or (00) SSCC")
    return base.rstrip("/") + gs1.digital_link.removeprefix("https://id.gs1.org")


def _text_lines(gs1: GS1Code, symbology: str, base: str) -> list[str]:
    if symbology == "ean13":
        return [(gs1.gtin or "")[1:]]
    lines = [f"({ai}) {value}" for ai, value in gs1.ais.items()]
    if symbology == "gs1-128":
        return [" ".join(lines)]
    if symbology == "qr":
        lines.append(_digital_link(gs1, base).split("://", 1)[-1].split("/", 1)[0])
    return lines


def _font(pixels: int) -> ImageFont.FreeTypeFont:
    for candidate in _FONTS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, pixels)
    font = ImageFont.load_default(size=pixels)
    assert isinstance(font, ImageFont.FreeTypeFont)  # Pillow >= 10.1 ships a scalable default
    return font
