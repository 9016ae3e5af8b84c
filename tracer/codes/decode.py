"""Find and read every barcode in an image or camera frame, with zxing-cpp or zbar.

Both backends give the same `Symbol`: a normalised symbology name, the data
(GS1 data carries its symbology identifier, e.g. "]d2010690…", and FNC1 as
GS so that parse_code reads it exactly as from a hand scanner), the corner
points, and the parsed GS1 code.

Photographs: both libraries search rows and columns, so a 1D code tilted by
an odd angle can be missed. With `try_harder` (the default) a frame where
nothing was found is searched again rotated by 45° and with its contrast
stretched; a live camera that sees no code most of the time should pass
`try_harder=False` and rely on the next frame instead.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from tracer.codes.gs1 import GS1Code, parse_code
from tracer.errors import CodeError

BACKENDS = ("zxing", "zbar")
Point = tuple[int, int]

# Symbologies whose data is a GS1 key even without a GS1 flag from the decoder.
_GTIN_SYMBOLOGIES = {"EAN13", "EAN8", "UPCA", "UPCE", "ITF"}


@dataclass(frozen=True)
class Symbol:
    """One code found in an image."""

    symbology: str  # EAN13, EAN8, UPCA, UPCE, ITF, Code128, GS1-128, QRCode, GS1 QRCode, …
    text: str
    position: tuple[Point, ...]  # corner points, clockwise from top-left of the symbol
    gs1: GS1Code | None = None
    symbology_id: str | None = None  # AIM identifier the decoder reported (]E0, ]C1, ]d2 …)
    error: str | None = None  # why data that should be GS1 did not parse

    def to_json(self) -> dict[str, Any]:
        return {
            "symbology": self.symbology,
            "text": self.text,
            "symbology_id": self.symbology_id,
            "position": [list(p) for p in self.position],
            "gs1": self.gs1.to_json() if self.gs1 is not None else None,
            "error": self.error,
        }


def decode_image(
    image: np.ndarray | str | Path,
    backend: str = "zxing",
    *,
    try_harder: bool = True,
) -> list[Symbol]:
    """All codes in `image` (a file, or a BGR / BGRA / grayscale numpy frame)."""
    return Decoder(backend, try_harder=try_harder).decode(image)


class Decoder:
    """A reusable decoder: the camera loop keeps one and feeds it every frame."""

    def __init__(self, backend: str = "zxing", *, try_harder: bool = True) -> None:
        if backend not in BACKENDS:
            raise CodeError(f"unknown decoder backend {backend!r}; choose zxing or zbar")
        self.backend = backend
        self.try_harder = try_harder
        camera = not try_harder
        self._read: Callable[[np.ndarray], list[Symbol]] = (
            _ZxingReader(camera) if backend == "zxing" else _ZbarReader(camera)
        )

    def decode(self, image: np.ndarray | str | Path) -> list[Symbol]:
        gray = to_gray(load_image(image) if isinstance(image, str | Path) else image)
        found = self._read(gray)
        if found or not self.try_harder:
            return found
        for variant, back in _harder_variants(gray):
            found = self._read(variant)
            if found:
                return [_map_back(s, back) for s in found]
        return []


# --- images -------------------------------------------------------------------------


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file (any path, also non-ASCII ones) as it is stored."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise CodeError(f"cannot read image {path}: {exc.strerror or exc}") from None
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None:
        raise CodeError(f"{path} is not an image OpenCV can read")
    if image.dtype != np.uint8:  # 16-bit PNG / TIFF
        image = cv2.convertScaleAbs(image, alpha=255.0 / max(int(image.max()), 1))
    return image


def to_gray(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or image.size == 0:
        raise CodeError("expected an image: a 2-D grayscale or 3-D BGR numpy array")
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return image
    channels = image.shape[2]
    if channels == 1:
        return image[:, :, 0]
    code = cv2.COLOR_BGRA2GRAY if channels == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(image, code)


def _harder_variants(gray: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(image, affine map back to the original) pairs tried when a plain read finds nothing.

    Row/column scanners miss a long 1D code tilted by more than a few degrees, so
    the image is turned to the dominant bar angles first; then a sharpened, a
    contrast-stretched and (for small images) an enlarged copy.
    """
    variants = [_rotated(gray, angle) for angle in dominant_angles(gray)]
    identity = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    variants.append((cv2.addWeighted(gray, 2.0, soft, -1.0, 0), identity))
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray)
    variants.append((clahe, identity))
    if max(gray.shape) < 1000:  # small codes: give the finder more pixels per module
        up = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        variants.append((up, np.array([[0.5, 0, 0], [0, 0.5, 0]])))
    return variants


def dominant_angles(gray: np.ndarray, count: int = 2) -> list[float]:
    """Angles (degrees) of the strongest gradient directions that are not already 0°/90°."""
    scale = min(1.0, 480 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = gx * gx + gy * gy
    angle = (np.degrees(np.arctan2(gy, gx)) + 180.0) % 180.0
    hist, _ = np.histogram(angle, bins=36, range=(0, 180), weights=magnitude)
    hist = hist + np.roll(hist, 1) * 0.5 + np.roll(hist, -1) * 0.5
    found: list[float] = []
    for index in np.argsort(hist)[::-1]:
        center = index * 5 + 2.5
        if min(center % 90, 90 - center % 90) < 4 or hist[index] <= 0:
            continue  # the plain read already scans rows and columns
        if all(min(abs(center - f), 180 - abs(center - f)) > 12 for f in found):
            found.append(float(center))
        if len(found) == count:
            break
    return found


def _rotated(gray: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    height, width = gray.shape
    center = (width / 2, height / 2)
    matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_w / 2 - center[0]
    matrix[1, 2] += new_h / 2 - center[1]
    rotated = cv2.warpAffine(gray, matrix, (new_w, new_h), borderValue=255)
    return rotated, cv2.invertAffineTransform(matrix)


def _map_back(symbol: Symbol, matrix: np.ndarray) -> Symbol:
    points = np.array(symbol.position, dtype=np.float64).reshape(-1, 1, 2)
    mapped = cv2.transform(points, matrix).reshape(-1, 2)
    position = tuple((round(x), round(y)) for x, y in mapped)
    return Symbol(
        symbol.symbology, symbol.text, position, symbol.gs1, symbol.symbology_id, symbol.error
    )


# --- results ------------------------------------------------------------------------


def _symbol(
    symbology: str, data: str, is_gs1: bool, sid: str | None, position: tuple[Point, ...]
) -> Symbol:
    """Normalise names and text across backends and parse GS1 content."""
    if symbology == "UPCE" and len(data) == 13:  # zxing reports UPC-E expanded to 13 digits
        data = _compress_upce(data)
    if symbology == "EAN13" and len(data) == 13 and data.startswith("0"):
        symbology, data = "UPCA", data[1:]  # a UPC-A is an EAN-13 with a leading 0
    if is_gs1:
        data = data.lstrip("\x1d")
        symbology = {
            "Code128": "GS1-128",
            "QRCode": "GS1 QRCode",
            "DataMatrix": "GS1 DataMatrix",
        }.get(symbology, symbology)
        sid = sid if sid and sid[:2] in ("]C", "]Q", "]d", "]e", "]J") else _GS1_SIDS.get(symbology)
        text = f"{sid}{data}" if sid else data
    else:
        text = data
    gs1, error = None, None
    if is_gs1 or symbology in _GTIN_SYMBOLOGIES or data.lower().startswith(("http://", "https://")):
        try:
            gs1 = parse_code(_expand_upce(data) if symbology == "UPCE" else text)
        except CodeError as exc:
            if is_gs1 or symbology in _GTIN_SYMBOLOGIES:
                error = str(exc)
    return Symbol(symbology, text, position, gs1, sid, error)


_GS1_SIDS = {"GS1-128": "]C1", "GS1 QRCode": "]Q3", "GS1 DataMatrix": "]d2", "GS1 DataBar": "]e0"}


def _compress_upce(data: str) -> str:
    from biip.upc import Upc

    try:
        return Upc.parse(data[1:]).as_upc_e()
    except Exception:
        return data


def _expand_upce(data: str) -> str:
    from biip.upc import Upc

    try:
        return Upc.parse(data).as_upc_a()
    except Exception:
        return data


def _corners(points: Sequence[Point]) -> tuple[Point, ...]:
    """Four corners, clockwise from the top-left, around a decoder's location points."""
    array = np.array(points, dtype=np.float32)
    box = array if len(points) == 4 else cv2.boxPoints(cv2.minAreaRect(array))
    center = box.mean(axis=0)
    box = box[np.argsort(np.arctan2(box[:, 1] - center[1], box[:, 0] - center[0]))]
    box = np.roll(box, -int(np.argmin(box[:, 0] + box[:, 1])), axis=0)
    return tuple((round(float(x)), round(float(y))) for x, y in box)


# --- zxing-cpp ----------------------------------------------------------------------

_ZXING_NAMES = {
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "ITF": "ITF",
    "ITF14": "ITF",
    "Code128": "Code128",
    "QRCode": "QRCode",
    "DataMatrix": "DataMatrix",
    "Code39": "Code39",
    "Code93": "Code93",
    "PDF417": "PDF417",
    "Aztec": "Aztec",
    "DataBar": "GS1 DataBar",
    "DataBarExpanded": "GS1 DataBar Expanded",
    "DataBarExp": "GS1 DataBar Expanded",
    "DataBarLtd": "GS1 DataBar Limited",
    "DataBarLimited": "GS1 DataBar Limited",
    "Codabar": "Codabar",
    "MicroQRCode": "MicroQRCode",
}


# The symbologies GS1 data travels in; a camera pass looks for these only (and not for
# light-on-dark codes), which makes a 720p frame about twice as fast to search.
CAMERA_SYMBOLOGIES = "EAN13,EAN8,UPCA,UPCE,ITF,Code128,DataBar,DataBarExpanded,QRCode,DataMatrix"


class _ZxingReader:
    def __init__(self, camera: bool) -> None:
        import zxingcpp

        self._zx = zxingcpp
        self._options: dict[str, Any] = {"text_mode": zxingcpp.TextMode.Plain}
        if camera:
            self._options["formats"] = zxingcpp.barcode_formats_from_str(CAMERA_SYMBOLOGIES)
            self._options["try_invert"] = False

    def __call__(self, gray: np.ndarray) -> list[Symbol]:
        zx = self._zx
        symbols = []
        for result in zx.read_barcodes(gray, **self._options):
            name = _ZXING_NAMES.get(result.format.name, result.format.name)
            pos = result.position
            corners = tuple(
                (int(p.x), int(p.y))
                for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            )
            is_gs1 = result.content_type == zx.ContentType.GS1
            symbols.append(_symbol(name, result.text, is_gs1, result.symbology_identifier, corners))
        return symbols


# --- zbar ---------------------------------------------------------------------------

_ZBAR_NAMES = {
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "I25": "ITF",
    "CODE128": "Code128",
    "QRCODE": "QRCode",
    "CODE39": "Code39",
    "CODE93": "Code93",
    "PDF417": "PDF417",
    "DATABAR": "GS1 DataBar",
    "DATABAR_EXP": "GS1 DataBar Expanded",
    "CODABAR": "Codabar",
    "ISBN13": "EAN13",
    "ISBN10": "ISBN10",
}
_ZBAR_MOD_GS1 = 1  # bit 0 of zbar_symbol_get_modifiers()
_ZBAR_CFG_MIN_LEN = 0x20
_ZBAR_CAMERA = (8, 9, 12, 13, 25, 34, 35, 64, 128)  # EAN8 UPCE UPCA EAN13 I25 DATABAR(_EXP) QR 128


class _ZbarReader:
    """pyzbar's low-level calls, plus the GS1 modifier flag that pyzbar.decode drops."""

    def __init__(self, camera: bool) -> None:
        from pyzbar import wrapper

        self._camera = camera
        self._w = wrapper
        self._modifiers = wrapper.zbar_function(
            "zbar_symbol_get_modifiers", ctypes.c_uint, ctypes.POINTER(wrapper.zbar_symbol)
        )

    def __call__(self, gray: np.ndarray) -> list[Symbol]:
        w = self._w
        pixels = np.ascontiguousarray(gray).tobytes()
        height, width = gray.shape
        symbols = []
        scanner = w.zbar_image_scanner_create()
        image = w.zbar_image_create()
        try:
            if self._camera:  # the GS1 carriers only, as for zxing-cpp
                w.zbar_image_scanner_set_config(scanner, 0, w.ZBarConfig.CFG_ENABLE, 0)
                for kind in _ZBAR_CAMERA:
                    w.zbar_image_scanner_set_config(scanner, kind, w.ZBarConfig.CFG_ENABLE, 1)
            else:
                w.zbar_image_scanner_set_config(scanner, 0, w.ZBarConfig.CFG_ENABLE, 1)
            # zbar accepts ITF fragments of 6 digits and up from tilted codes: GS1 uses ITF-14
            w.zbar_image_scanner_set_config(scanner, w.ZBarSymbol.I25, _ZBAR_CFG_MIN_LEN, 14)
            w.zbar_image_set_format(image, 808466521)  # 'Y800' grayscale
            w.zbar_image_set_size(image, width, height)
            w.zbar_image_set_data(image, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None)  # type: ignore[arg-type]
            if w.zbar_scan_image(scanner, image) > 0:
                symbol = w.zbar_image_first_symbol(image)
                while symbol:
                    symbols.append(self._convert(symbol))
                    symbol = w.zbar_symbol_next(symbol)
        finally:
            w.zbar_image_destroy(image)
            w.zbar_image_scanner_destroy(scanner)
        return symbols

    def _convert(self, symbol: Any) -> Symbol:
        w = self._w
        raw = ctypes.string_at(
            w.zbar_symbol_get_data(symbol), w.zbar_symbol_get_data_length(symbol)
        )
        try:
            kind = w.ZBarSymbol(symbol.contents.type).name
        except ValueError:
            kind = f"zbar-{symbol.contents.type}"
        points = [
            (w.zbar_symbol_get_loc_x(symbol, i), w.zbar_symbol_get_loc_y(symbol, i))
            for i in range(w.zbar_symbol_get_loc_size(symbol))
        ]
        is_gs1 = bool(self._modifiers(symbol) & _ZBAR_MOD_GS1)
        text = raw.decode("utf-8", errors="replace")
        return _symbol(_ZBAR_NAMES.get(kind, kind), text, is_gs1, None, _corners(points))
