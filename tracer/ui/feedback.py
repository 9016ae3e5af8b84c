"""The sound of a scan: a short high beep when recorded, a low double beep when refused.

Sounds are small generated WAVs in `resources/sounds/` played with
QSoundEffect (Qt Multimedia, loaded on the first beep). Where Qt Multimedia or
an audio backend is missing, the system bell (`QApplication.beep`) is used.
"""

from __future__ import annotations

from typing import Any

from tracer.ui.i18n import resources_dir
from tracer.ui.qt import QApplication, QObject, QUrl, sound_effect_class

OK, WARN, ERROR = "ok", "warn", "error"


class Beeper(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        self.played: list[str] = []  # what was asked for, newest last (tests, diagnostics)
        self._effects: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._effects is None:
            self._effects = {}
            cls = sound_effect_class()
            if cls is not None:
                for name in (OK, WARN, ERROR):
                    effect = cls(self)
                    effect.setSource(
                        QUrl.fromLocalFile(str(resources_dir() / "sounds" / f"{name}.wav"))
                    )
                    effect.setVolume(0.6)
                    self._effects[name] = effect
        return self._effects

    def play(self, name: str) -> None:
        self.played.append(name)
        del self.played[:-20]
        if not self.enabled:
            return
        effect = self._load().get(name)
        if effect is not None:
            effect.play()
        else:
            QApplication.beep()
