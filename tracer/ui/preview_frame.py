"""A camera frame made ready to draw: built on the decode worker, drawn on the UI thread.

Kept apart from the preview widget so the scan bridge (which builds these)
does not depend on widgets, and numpy loads only when a camera runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracer.ui.qt import QImage

if TYPE_CHECKING:
    import numpy as np

Polygon = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class PreviewFrame:
    """One decoded frame for the preview: the picture and where its codes are (image pixels)."""

    image: QImage
    polygons: tuple[Polygon, ...]
    texts: tuple[str, ...]
    time: datetime
    uri: str


def preview_frame(frame: np.ndarray, symbols: list[Any], at: datetime, uri: str) -> PreviewFrame:
    """BGR (or grey) numpy frame → a QImage owning a copy of the pixels (the only copy made)."""
    import numpy as np

    pixels = np.ascontiguousarray(frame)  # camera frames already are: no copy
    height, width = pixels.shape[:2]
    fmt = QImage.Format.Format_Grayscale8 if pixels.ndim == 2 else QImage.Format.Format_BGR888
    image = QImage(pixels.data, width, height, pixels.strides[0], fmt).copy()
    polygons = tuple(tuple((float(x), float(y)) for x, y in s.position) for s in symbols)
    texts = tuple(_label(s) for s in symbols)
    return PreviewFrame(image, polygons, texts, at, uri)


def _label(symbol: Any) -> str:
    """What the clerk reads on the outline: the GS1 human-readable form, else the data."""
    hri = symbol.gs1.hri if symbol.gs1 is not None else ""
    return str(hri or symbol.text.replace("\x1d", "<GS>"))


__all__ = ["Polygon", "PreviewFrame", "preview_frame"]
