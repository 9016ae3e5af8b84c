"""Camera-like frames with known codes in them: for tests, benchmarks and the camera simulator.

A symbol is drawn by zxing-cpp's writer, put on a white label, and the label is
placed on a cluttered background with the distortions a hand-held phone or a
line camera adds: rotation, perspective, blur, sensor noise, low contrast and
small scale. The true corner points come back with the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# kind -> (zxing-cpp format name, GS1 mode): content for GS1 kinds is in HRI '(01)…' form.
KINDS: dict[str, tuple[str, bool]] = {
    "EAN13": ("EAN13", False),
    "EAN8": ("EAN8", False),
    "UPCA": ("UPCA", False),
    "ITF": ("ITF", False),
    "Code128": ("Code128", False),
    "GS1-128": ("Code128", True),
    "QRCode": ("QRCode", False),
    "GS1 QRCode": ("QRCode", True),
    "DataMatrix": ("DataMatrix", False),
    "GS1 DataMatrix": ("DataMatrix", True),
}


@dataclass(frozen=True)
class Distortion:
    angle: float = 0.0  # degrees, counter-clockwise
    module_px: float = 3.0  # size of one bar / module in the frame
    blur: float = 0.0  # Gaussian sigma in pixels
    noise: float = 0.0  # sensor noise standard deviation (0–255 scale)
    contrast: float = 1.0  # 1 = black on white; 0.3 = grey on light grey
    perspective: float = 0.0  # 0 = flat; 0.2 = strong keystone
    seed: int = 0


def render_symbol(kind: str, content: str, module_px: int = 1) -> np.ndarray:
    """The bare symbol (with its quiet zone) as a grayscale image, `module_px` per module."""
    import zxingcpp

    fmt_name, gs1 = KINDS[kind]
    fmt = getattr(zxingcpp.BarcodeFormat, fmt_name)
    barcode = (
        zxingcpp.create_barcode(content, fmt, gs1=True)
        if gs1
        else (zxingcpp.create_barcode(content, fmt))
    )
    image = np.array(zxingcpp.write_barcode_to_image(barcode, scale=module_px))
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    return image


def frame_with_code(
    kind: str,
    content: str,
    size: tuple[int, int] = (640, 480),
    distortion: Distortion | None = None,
    background: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A BGR frame of `size` (width, height) and the symbol's 4 corners in it."""
    d = distortion or Distortion()
    rng = np.random.default_rng(d.seed)
    width, height = size
    frame = background.copy() if background is not None else _background(width, height, rng)
    symbol = render_symbol(kind, content)
    symbol = cv2.resize(
        symbol,
        None,
        fx=d.module_px,
        fy=d.module_px,
        interpolation=cv2.INTER_AREA if d.module_px < 1 else cv2.INTER_NEAREST,
    )
    sh, sw = symbol.shape
    pad = max(8, int(4 * d.module_px))  # label margin beyond the quiet zone
    label = np.full((sh + 2 * pad, sw + 2 * pad), 250, np.uint8)
    label[pad : pad + sh, pad : pad + sw] = symbol
    lh, lw = label.shape
    src = np.array([[0, 0], [lw, 0], [lw, lh], [0, lh]], dtype=np.float32)
    dst = _placement(lw, lh, width, height, d, rng)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(
        label, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=0
    )
    mask = cv2.warpPerspective(np.full_like(label, 255), matrix, (width, height), borderValue=0)
    frame = np.where(mask > 127, warped, frame).astype(np.float32)
    frame = 255 - (255 - frame) * d.contrast  # lighter ink, same paper
    if d.contrast < 1:
        frame = frame * (0.55 + 0.45 * d.contrast) + 60 * (1 - d.contrast)
    if d.blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), d.blur)
    if d.noise > 0:
        frame = frame + rng.normal(0, d.noise, frame.shape)
    gray = np.clip(frame, 0, 255).astype(np.uint8)
    corners = cv2.perspectiveTransform(
        np.array(
            [[pad, pad], [pad + sw, pad], [pad + sw, pad + sh], [pad, pad + sh]], dtype=np.float32
        ).reshape(-1, 1, 2),
        matrix,
    ).reshape(-1, 2)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), corners


def _placement(
    lw: int, lh: int, width: int, height: int, d: Distortion, rng: np.random.Generator
) -> np.ndarray:
    """Label corners in the frame: rotated about a centre that keeps it inside, then keystoned."""
    theta = np.deg2rad(d.angle)
    rot = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    corners = np.array([[-lw / 2, -lh / 2], [lw / 2, -lh / 2], [lw / 2, lh / 2], [-lw / 2, lh / 2]])
    if d.perspective:
        k = d.perspective
        corners = corners * np.array([[1 - k, 1], [1 + k, 1], [1 + k, 1], [1 - k, 1]])
    corners = corners @ rot.T
    extent = corners.max(axis=0) - corners.min(axis=0)
    room = np.maximum(np.array([width, height]) - extent, 0)
    center = np.array([width, height]) / 2 + (rng.random(2) - 0.5) * room * 0.8
    return (corners + center).astype(np.float32)


def _background(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Uneven light and a few dark shapes, like a desk or a conveyor."""
    yy, xx = np.mgrid[0:height, 0:width]
    light = 150 + 60 * np.sin(xx / (width / 2.5) + rng.random() * 6) * np.cos(yy / (height / 1.7))
    frame = light.astype(np.float32)
    for _ in range(12):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(10, width // 4)), int(rng.integers(3, height // 6))
        cv2.rectangle(frame, (x, y), (x + w, y + h), float(rng.integers(20, 120)), -1)
    return frame
