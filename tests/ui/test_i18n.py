"""Every visible string is translated: the .ts is complete, current, compiled, and used."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tracer.ui.main_window import PAGES

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "i18n" / "tracer_zh_CN.ts"
BIN = Path(sys.executable).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _unfinished(ts: Path) -> list[str]:
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        for msg in ctx.iter("message"):
            t = msg.find("translation")
            if (
                t is None
                or t.get("type") in ("unfinished", "vanished", "obsolete")
                or not (t.text or "").strip()
            ):
                out.append(f"{ctx.findtext('name')}: {msg.findtext('source')!r}")
    return out


def test_ts_has_no_untranslated_entry() -> None:
    assert not _unfinished(TS)


def test_ts_contains_every_string_in_the_sources(tmp_path: Path) -> None:
    """lupdate over tracer/ui finds nothing the .ts lacks (new strings come in unfinished)."""
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-extensions", "py", "-no-obsolete", "-locations", "none",
         str(REPO / "tracer" / "ui"), "-ts", str(ts)],
        check=True, capture_output=True,
    )  # fmt: skip
    missing = _unfinished(ts)
    assert not missing, f"run resources/i18n/update.py and translate: {missing[:10]}"


def test_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    qm = tmp_path / "out.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True
    )
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run resources/i18n/update.py"


def _chrome_texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts the user reads on widgets (labels, buttons, titles, headers, placeholders)."""
    from tracer.ui.qt import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        Qt,
        QTableView,
        QTabWidget,
        QTreeWidget,
    )

    texts: list[str] = []
    for w in [widget, *widget.findChildren(object)]:
        if not hasattr(w, "isVisibleTo") or w.property("data"):
            continue
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox) and not w.isEditable() and w.property("vocab"):
            texts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QTableView) and w.model() is not None:
            m = w.model()
            texts += [
                str(m.headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(m.columnCount())
            ]
        elif isinstance(w, QTreeWidget):
            h = w.headerItem()
            texts += [h.text(c) for c in range(h.columnCount())]
    return [t for t in texts if t]


def _untranslated(texts: list[str]) -> list[str]:
    # English words of 4+ lowercase letters and no Chinese: chrome left in English
    return [t for t in texts if not CJK.search(t) and re.search(r"\b[A-Za-z][a-z]{3,}\b", t)]


def test_every_screen_is_chinese_after_switching(window) -> None:  # type: ignore[no-untyped-def]
    window.set_language("zh_CN")
    offenders: dict[str, list[str]] = {}
    for key, _t, _i in PAGES:
        screen = window.show_page(key)
        bad = _untranslated(_chrome_texts(screen))
        if bad:
            offenders[key] = bad
    assert not offenders
    bad_window = _untranslated(
        [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
        + [
            a.text()
            for m in (window.file_menu, window.operator_menu, window.help_menu)
            for a in m.actions()
        ]
    )
    assert not bad_window


def test_check_catches_english(window) -> None:  # type: ignore[no-untyped-def]
    """The check above can fail: English chrome is reported."""
    assert _untranslated(["Scan station", "扫码工位", "GTIN", "AQL 1.0"]) == ["Scan station"]
