"""Camera preview on the scan station: the picture the clerk aims with, decoded codes outlined.

Frames come from the camera driver's frame hook on its decode worker;
`ScanBridge` turns each into a `PreviewFrame` there (one copy of the pixels,
into a QImage that owns them) and queues it to the UI thread as a signal.
While one frame waits to be drawn, newer ones are skipped, so a busy window
never builds a backlog of pictures.
"""

from __future__ import annotations

from typing import Any

from tracer.ui.preview_frame import Polygon, PreviewFrame
from tracer.ui.qt import (
    QColor,
    QEvent,
    QLabel,
    QPainter,
    QPen,
    QPointF,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from tracer.ui.widgets import GREEN, heading


class _Canvas(QWidget):
    """Draws the frame scaled to fit (aspect kept) and the code outlines on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frame: PreviewFrame | None = None
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def image_rect(self) -> QRectF:
        """Where the frame is drawn: scaled to fit, centred."""
        if self.frame is None:
            return QRectF()
        iw, ih = self.frame.image.width(), self.frame.image.height()
        scale = min(self.width() / max(iw, 1), self.height() / max(ih, 1))
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202124"))
        frame = self.frame
        if frame is None:
            painter.end()
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = self.image_rect()
        painter.drawImage(target, frame.image)
        scale = target.width() / max(frame.image.width(), 1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(GREEN))
        pen.setWidthF(3.0)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        for polygon, text in zip(frame.polygons, frame.texts, strict=True):
            points = [QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in polygon]
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(points)
            if points:
                top = min(points, key=lambda p: (p.y(), p.x()))
                box = painter.fontMetrics().boundingRect(text)
                w, h = box.width() + 8, box.height() + 4
                x = max(0.0, min(top.x(), self.width() - w))
                label = QRectF(x, max(0.0, top.y() - h - 2), w, h)
                painter.fillRect(label, QColor(GREEN))
                painter.setPen(QColor("white"))
                painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


class CameraPreview(QWidget):
    """Shown while a camera is attached to the bridge; outlines the codes in the last frame."""

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.title = heading(12)
        self.canvas = _Canvas()
        self.caption = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption)
        bridge.frame.connect(self.show_frame)
        bridge.readers_changed.connect(self.update_visibility)
        self.retranslate()
        self.update_visibility()

    @property
    def polygons(self) -> tuple[Polygon, ...]:
        """The outlines of the last frame, in image pixels (what is drawn)."""
        return self.canvas.frame.polygons if self.canvas.frame is not None else ()

    @property
    def texts(self) -> tuple[str, ...]:
        return self.canvas.frame.texts if self.canvas.frame is not None else ()

    def show_frame(self, frame: PreviewFrame) -> None:
        self.canvas.frame = frame
        self.caption.setText(f"{frame.uri} · {frame.time.strftime('%H:%M:%S')}")
        self.canvas.update()

    def update_visibility(self) -> None:
        cameras = self.bridge.cameras()
        if not cameras:
            self.canvas.frame = None
            self.caption.setText("")
        self.setVisible(bool(cameras))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Camera"))

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
