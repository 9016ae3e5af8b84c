"""A Chinese-capable TrueType font for reportlab, embedded in every PDF.

reportlab embeds TrueType outlines only: Noto Sans CJK (.ttc with CFF outlines)
cannot be used, and its built-in STSong-Light CID font is not embedded (a
reader without Adobe's Asian font pack shows boxes). WenQuanYi Micro Hei
(Debian ``fonts-wqy-microhei``) is TrueType with Latin and CJK glyphs in one
face, so one font prints a bilingual letter. ``$TRACER_CJK_FONT`` may name
another TrueType .ttf/.ttc file.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from tracer.recall.start import TraceError

FONT_NAME = "TracerCJK"
DEBIAN_PACKAGE = "fonts-wqy-microhei"

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",  # Fedora / Arch
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)


def _usable(path: Path) -> bool:
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        face = TTFont("probe", str(path), subfontIndex=0).face
    except Exception:  # CFF outlines, broken file: try the next one
        return False
    return all(ord(c) in face.charToGlyph for c in "Aa1召回")


def find_cjk_font() -> Path:
    """The first usable font file, or a TraceError naming the package to install."""
    override = os.environ.get("TRACER_CJK_FONT")
    paths = [Path(override)] if override else []
    paths += [Path(p) for p in CANDIDATES]
    for p in paths:
        if p.is_file() and _usable(p):
            return p
    raise TraceError(
        "no TrueType font with Chinese glyphs found for PDF output: install the Debian/Ubuntu "
        f"package {DEBIAN_PACKAGE} (sudo apt-get install {DEBIAN_PACKAGE}) or set "
        "TRACER_CJK_FONT to a TrueType .ttf/.ttc file"
    )


@cache
def register_cjk_font() -> str:
    """Register the font with reportlab once; return its name for styles."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_cjk_font()), subfontIndex=0))
    return FONT_NAME
