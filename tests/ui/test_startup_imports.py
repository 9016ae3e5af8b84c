"""Start-up stays quick: the scan-ready window must not pull in the heavy libraries.

numpy (~0.25 s) is for cameras and biip (~0.15 s) for parsing a scan; both
load later (a camera opening, the warm-up thread, the first scan). A new
top-level import anywhere on the station's path would silently undo that.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "biip", "cv2", "zxingcpp", "sqlite_utils", "reportlab", "openpyxl")


def test_scan_station_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "import tracer.ui.app, tracer.ui.main_window, tracer.ui.screens.scan_station\n"
        "import tracer.ui.scan_bridge\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"loaded at start-up: {out}"


def test_warm_up_loads_modules_in_background_and_ignores_missing() -> None:
    code = (
        "import sys\n"
        "from tracer.ui.app import warm_up\n"
        "warm_up(('tracer.codes.gs1', 'no_such_module_here')).join(30)\n"
        "print('biip' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "True"
