"""Run-time language switch: English (the source strings) and 简体中文.

Qt's own mechanism: a QTranslator per language loaded from the compiled
`.qm` files in `resources/i18n/`, plus Qt's own `qtbase_*.qm` for standard
dialogs. Installing or removing a translator makes Qt send every widget a
LanguageChange event; each screen re-sets its texts in `retranslate()`.
"""

from __future__ import annotations

from pathlib import Path

from tracer.ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
DEFAULT_LANGUAGE = "en"


def resources_dir() -> Path:
    """`resources/` beside the package (a source checkout or an editable install)."""
    return Path(__file__).resolve().parents[2] / "resources"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def system_language() -> str:
    name = QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else DEFAULT_LANGUAGE


class LanguageSwitch:
    """Owns the installed translators; `set_language` swaps them at run time."""

    def __init__(self, app: QCoreApplication, directory: Path | None = None) -> None:
        self.app = app
        self.directory = directory or i18n_dir()
        self.language = DEFAULT_LANGUAGE
        self._installed: list[QTranslator] = []

    def set_language(self, language: str) -> bool:
        """Switch to `language`; False (and English) when its .qm is missing."""
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        for t in self._installed:
            self.app.removeTranslator(t)
        self._installed = []
        ok = True
        if language != DEFAULT_LANGUAGE:
            ours = QTranslator(self.app)
            ok = ours.load(f"tracer_{language}", str(self.directory))
            if ok:
                qt_base = QTranslator(self.app)
                qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
                if qt_base.load(f"qtbase_{language}", qt_dir):
                    self._installed.append(qt_base)
                self._installed.append(ours)
        for t in self._installed:
            self.app.installTranslator(t)
        self.language = language if ok else DEFAULT_LANGUAGE
        QLocale.setDefault(QLocale(self.language if ok else "en_US"))
        # deliver the LanguageChange events now: every widget is retranslated on return
        QCoreApplication.sendPostedEvents()
        return ok
