"""PyInstaller runtime hook: point tracer's native-library and font look-ups into the bundle.

Runs before tracer starts. Why each part:
- pyzbar calls ctypes.util.find_library("zbar"), which on Linux asks ldconfig and
  never looks inside the bundle; the spec bundles libzbar.so.0 at the top of it.
- PDF notices need a TrueType CJK font; tracer.recall.fonts honours $TRACER_CJK_FONT,
  so a bundled font is used when the machine has none of its own.
"""

import ctypes.util
import os
import sys
from pathlib import Path

_BUNDLE = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
_BUNDLED_LIBS = ("zbar",)  # libraries the spec places at the top of the bundle


def _install_find_library() -> None:
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name in _BUNDLED_LIBS:
            for pattern in (f"lib{name}.so*", f"lib{name}*.dylib"):
                hits = sorted(_BUNDLE.glob(pattern))
                if hits:
                    return str(hits[0])
        return original(name)

    ctypes.util.find_library = find_library


if not sys.platform.startswith("win"):  # the pyzbar wheel loads its own DLLs on Windows
    _install_find_library()

_fonts = sorted((_BUNDLE / "fonts").glob("*.tt[cf]"))
if _fonts:
    os.environ.setdefault("TRACER_CJK_FONT", str(_fonts[0]))
