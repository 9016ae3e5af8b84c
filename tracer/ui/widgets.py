"""Small widgets every screen uses: the screen base, headings, empty states, status lights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracer.ui.qt import (
    QColor,
    QEvent,
    QFont,
    QFontDatabase,
    QFrame,
    QLabel,
    QPainter,
    QSize,
    Qt,
    QWidget,
)

if TYPE_CHECKING:  # a type only: the session sits above the widgets it is shown in
    from tracer.ui.session import Session

GREEN = "#1b8a3a"
RED = "#c62828"
AMBER = "#d98200"
GREY = "#8a8f98"
BLUE = "#1f5fa8"


class Screen(QWidget):
    """A page of the main window. Subclasses build widgets, then set texts in `retranslate`."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def retranslate(self) -> None:
        """Set every visible text (called at build time and on each language switch)."""

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def activated(self) -> None:
        """The screen became visible: refresh what may be stale."""


def heading(size: int = 15, bold: bool = True) -> QLabel:
    label = QLabel()
    f = label.font()
    f.setPointSize(size)
    f.setBold(bold)
    label.setFont(f)
    return label


def data_label(text: str = "", size: int | None = None, bold: bool = False) -> QLabel:
    """A label that shows data (not chrome): the translation check skips it."""
    label = QLabel(text)
    label.setProperty("data", True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if size or bold:
        f = label.font()
        if size:
            f.setPointSize(size)
        f.setBold(bold)
        label.setFont(f)
    return label


def empty_state() -> QLabel:
    """A grey, centred hint shown where a list or view has nothing yet."""
    label = QLabel()
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {GREY}; padding: 24px;")
    f = label.font()
    f.setPointSize(f.pointSize() + 1)
    label.setFont(f)
    return label


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class StatusLight(QWidget):
    """A round lamp: green connected, amber retrying, red unusable, grey stopped."""

    def __init__(self, color: str = GREY, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = QColor(color)
        self.setFixedSize(QSize(16, 16))

    @property
    def color(self) -> str:
        return str(self._color.name())

    def set_color(self, color: str) -> None:
        self._color = QColor(color)
        self.update()

    def paintEvent(self, _event: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(self._color)
        p.setPen(self._color.darker(140))
        p.drawEllipse(2, 2, 12, 12)
        p.end()


def bold(font: QFont) -> QFont:
    font.setBold(True)
    return font


def mono_font() -> QFont:
    f = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    f.setFamilies([f.family(), "Noto Sans Mono CJK SC", "Noto Sans CJK SC"])
    return f
