"""The few reportlab pieces every recall PDF shares: styles, tables, page footer.

All text goes through one embedded CJK TrueType font (see `fonts`), so a
letter in Chinese and English prints the same on any reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Styles:
    font: str
    title: Any
    h2: Any
    body: Any
    small: Any
    cell: Any
    cell_head: Any


def styles() -> Styles:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    from tracer.recall.fonts import register_cjk_font

    font = register_cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return Styles(
        font=font,
        title=ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=8),
        h2=ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4),
        body=ParagraphStyle("b", parent=base, spaceAfter=4),
        small=ParagraphStyle("s", parent=base, fontSize=8, leading=11, textColor=colors.grey),
        cell=ParagraphStyle("c", parent=base, fontSize=7.5, leading=9.5),
        cell_head=ParagraphStyle(
            "ch", parent=base, fontSize=7.5, leading=9.5, textColor=colors.white
        ),
    )


def para(text: Any, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


def table(
    st: Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
) -> Any:
    """A wrapped, zebra-striped table whose header repeats on every page."""
    from reportlab.lib import colors
    from reportlab.platypus import LongTable, TableStyle

    data = [[para(h, st.cell_head) for h in header]]
    data += [[para(c, st.cell) for c in row] for row in rows]
    t = LongTable(data, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#33475b")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef2f5")]),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def build(
    path: str | Path, story: list[Any], *, title: str, footer: str, landscape: bool = False
) -> Path:
    """Write the PDF with a footer line and page numbers on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as to_landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from tracer.recall.fonts import register_cjk_font

    font = register_cjk_font()
    size = to_landscape(A4) if landscape else A4
    p = Path(path)

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.drawString(15 * mm, 8 * mm, footer)
        canvas.drawRightString(size[0] - 15 * mm, 8 * mm, f"{doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(p),
        pagesize=size,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="tracer",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return p
