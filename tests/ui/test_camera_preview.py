"""Camera preview on the scan station: a frame through the camera hook shows its code outlined."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from tracer.codes.synthetic import Distortion, frame_with_code
from tracer.devices.camera import CameraReader
from tracer.ui.qt import QColor
from tracer.ui.widgets import GREEN

CODE = "(01)06923456010024(10)L260112001"


class _StillCamera:
    """A camera that holds the same labelled frame in view."""

    def __init__(self, frame: np.ndarray) -> None:
        self.frame = frame

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray]:
        import time

        time.sleep(0.02)
        return True, self.frame

    def release(self) -> None:
        pass

    def get(self, prop: int) -> float:
        return 0.0


def test_preview_outlines_the_decoded_code(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("scan")
    bridge = window.session.bridge()
    preview = screen.preview
    assert preview.isHidden()  # no camera yet
    frame, corners = frame_with_code("GS1-128", CODE, (640, 480), Distortion(module_px=2.0))
    reader = CameraReader("camera://7", 7, capture_factory=lambda: _StillCamera(frame))
    with qtbot.waitSignal(bridge.frame, timeout=10000):
        bridge.attach(reader)
    try:
        qtbot.waitUntil(lambda: bool(preview.polygons), timeout=10000)
        assert preview.isVisible()
        (polygon,) = preview.polygons
        assert preview.texts == (CODE,)  # the human-readable form, not the raw data
        xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
        # the outline sits on the label the generator placed
        assert abs(min(xs) - corners[:, 0].min()) < 40 and abs(max(xs) - corners[:, 0].max()) < 40
        assert min(ys) >= corners[:, 1].min() - 10 and max(ys) <= corners[:, 1].max() + 10
        # the outline is drawn in green where the polygon's left edge is on screen
        canvas = preview.canvas
        image = canvas.grab().toImage()
        rect = canvas.image_rect()
        scale = rect.width() / 640
        x = round(rect.x() + min(xs) * scale)
        y = round(rect.y() + (min(ys) + max(ys)) / 2 * scale)
        green = QColor(GREEN)
        ratio = image.devicePixelRatio()
        near = [image.pixelColor(round((x + dx) * ratio), round(y * ratio)) for dx in range(-3, 4)]
        assert any(
            abs(c.red() - green.red())
            + abs(c.green() - green.green())
            + abs(c.blue() - green.blue())
            < 40
            for c in near
        )
        assert bridge.cameras() == ["camera://7"]
    finally:
        bridge.detach("camera://7")
    assert preview.isHidden() and preview.polygons == ()


def test_preview_frame_copies_pixels_once() -> None:
    from tracer.ui.preview_frame import preview_frame

    frame = np.zeros((4, 6, 3), np.uint8)
    frame[1, 2] = (255, 0, 0)  # blue in BGR
    shown = preview_frame(frame, [], datetime.now(UTC), "camera://0")
    frame[1, 2] = (0, 0, 255)  # the camera reuses its buffer: the preview keeps its own copy
    assert (shown.image.width(), shown.image.height()) == (6, 4)
    assert shown.image.pixelColor(2, 1) == QColor(0, 0, 255)
