"""Icons from `resources/icons/*.svg` (drawn for tracer; a missing file gives an empty icon)."""

from __future__ import annotations

from tracer.ui.i18n import resources_dir
from tracer.ui.qt import QIcon


def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
