"""Refresh the translation sources and compile them: `python resources/i18n/update.py`.

1. `pyside6-lupdate` collects every `tr()` / `QCoreApplication.translate()`
   string of `tracer/ui` into `tracer_zh_CN.ts` (new ones marked unfinished);
2. translate them in Qt Linguist (`pyside6-linguist resources/i18n/tracer_zh_CN.ts`)
   or by editing the XML;
3. `pyside6-lrelease` compiles the `.qm` the app loads.
tests/ui/test_i18n.py fails while any entry is unfinished or missing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent
LANGUAGES = ("zh_CN",)


def ts_path(language: str) -> Path:
    return HERE / f"tracer_{language}.ts"


def lupdate(ts: Path) -> str:
    result = subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-extensions", "py", "-no-obsolete", "-locations", "none",
         str(REPO / "tracer" / "ui"), "-ts", str(ts)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def lrelease(ts: Path) -> str:
    result = subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def main() -> None:
    for language in LANGUAGES:
        ts = ts_path(language)
        print(lupdate(ts).strip())
        print(lrelease(ts).strip())


if __name__ == "__main__":
    main()
