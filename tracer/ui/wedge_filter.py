"""Keyboard-wedge scanners anywhere in the window: an application-level key filter.

A USB scanner in keyboard mode types a code in a few milliseconds and ends it
with Enter. Every key press in the window goes to the devices' burst detector
(`WedgeReader.feed_key`) instead of the focused widget; what the detector
decides was a person typing is replayed to the widget that had the focus, a
few tens of milliseconds late; a fast burst becomes a Scan on the bridge.
"""

from __future__ import annotations

import time
from typing import Any

from tracer.devices.wedge import WedgeReader
from tracer.ui.qt import QApplication, QEvent, QKeyEvent, QObject, Qt, QTimer, QWidget

_NAMED = {
    Qt.Key.Key_Return: "Enter",
    Qt.Key.Key_Enter: "Enter",
    Qt.Key.Key_Tab: "Tab",
}
_REPLAY_KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}


class WedgeFilter(QObject):
    """Install on the QApplication; active while `window` is the active window."""

    def __init__(self, reader: WedgeReader, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.window = window
        self.enabled = True
        self._replaying = False
        self._target: QWidget | None = None
        self._idle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(max(10, int(reader.detector.max_gap * 1000)))
        self._timer.timeout.connect(self._poll)

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if (
            self._replaying
            or not self.enabled
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(obj, QWidget)
            or obj.window() is not self.window
        ):
            return False
        key = self._key_of(event)
        if key is None:
            self._poll(force=True)  # a shortcut or arrow: release held typing first
            return False
        self._target = QApplication.focusWidget() or obj
        typed = self.reader.feed_key(key, time.monotonic())
        self._replay(typed)
        self._idle = 0
        self._timer.start()
        return True

    @staticmethod
    def _key_of(event: QKeyEvent) -> str | None:
        mods = (
            event.modifiers()
            & ~Qt.KeyboardModifier.ShiftModifier
            & ~Qt.KeyboardModifier.KeypadModifier
        )
        named = _NAMED.get(Qt.Key(event.key()))
        if named and not mods:
            return named
        text = event.text()
        if text == "\x1d":  # GS / FNC1 as Ctrl+]
            return text
        if mods or len(text) != 1 or not text.isprintable():
            return None
        return text

    def _poll(self, force: bool = False) -> None:
        t = time.monotonic() + (10.0 if force else 0.0)
        typed = self.reader.poll(t)
        self._replay(typed)
        self._idle = 0 if typed else self._idle + 1
        if self._idle > 5:  # held keys are released within a gap or two
            self._timer.stop()

    def _replay(self, text: str) -> None:
        """Give typed keys back to the widget that had the focus."""
        target = self._target
        if not text or target is None:
            return
        self._replaying = True
        try:
            for ch in text:
                key = _REPLAY_KEYS.get(ch, Qt.Key.Key_unknown)
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    ev = QKeyEvent(
                        kind, key, Qt.KeyboardModifier.NoModifier, "" if ch in _REPLAY_KEYS else ch
                    )
                    QApplication.sendEvent(target, ev)
        finally:
            self._replaying = False
