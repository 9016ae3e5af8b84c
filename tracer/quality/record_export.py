"""A quality record as a dated document: XLSX (summary + history sheets) or PDF.

The PDF uses the recall package's embedded CJK font and table style
(`tracer.recall.pdfkit`), so Chinese names print on any reader. Heavy
libraries load only here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracer.quality.records import QualityRecord, Rate
from tracer.quality.signal_model import SignalError

SCOPE_ZH = {"producer": "生产企业", "product": "产品", "supplier": "供应商"}


def _pct(r: Rate) -> str:
    return "—" if r.rate is None else f"{100 * r.rate:.1f} %"


def _verdict(r: Rate, target: float) -> str:
    if r.rate is None:
        return "no data / 无数据"
    return "meets target / 达标" if r.rate >= target else "below target / 未达标"


def summary_rows(rec: QualityRecord) -> list[tuple[str, str]]:
    """(label, value) lines shared by both formats."""
    period = f"{rec.since or '…'} – {rec.until or '…'}"
    target = f"{100 * rec.target:g} %"
    rows = [
        ("Scope / 对象", f"{rec.scope} / {SCOPE_ZH[rec.scope]}"),
        ("Name / 名称", f"{rec.name}" + (f" / {rec.name_zh}" if rec.name_zh else "")),
        ("Key (GLN / GTIN)", rec.key),
        ("Period / 期间", period),
        ("Products / 产品", "; ".join(f"{z or n} ({g})" for g, n, z in rec.products)),
        ("Lots / 批次", str(len(rec.lots))),
        (
            "Inspection pass rate / 出厂检验合格率",
            f"{_pct(rec.inspections)} ({rec.inspections.passed}/{rec.inspections.done}); "
            f"target {target}: {_verdict(rec.inspections, rec.target)}",
        ),
        (
            "Spot-check pass rate / 抽检合格率",
            f"{_pct(rec.spot_checks)} ({rec.spot_checks.passed}/{rec.spot_checks.done}); "
            f"target {target}: {_verdict(rec.spot_checks, rec.target)}",
        ),
        (
            "Signals / 质量信号",
            f"{len(rec.signals)}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(rec.signals_by("kind").items())),
        ),
        (
            "Signal status / 处理状态",
            ", ".join(f"{k} {v}" for k, v in sorted(rec.signals_by("status").items())) or "—",
        ),
        (
            "Flagged input lots / 问题原料批次",
            "; ".join(f"{f.lot[1]} ({f.supplier_name})" for f in rec.flagged_inputs) or "—",
        ),
        (
            "Recalls / 召回",
            "; ".join(f"{r.campaign_id} {r.status} {r.percent_accounted:g} %" for r in rec.recalls)
            or "—",
        ),
        (
            "On-time acknowledgements / 按时确认",
            f"{_pct(rec.acknowledgements)} ({rec.acknowledgements.passed}/"
            f"{rec.acknowledgements.done}, within {rec.rules.ack_days} days)",
        ),
    ]
    return rows


HISTORY_HEADER = ("Date / 日期", "Kind / 类别", "Subject / 对象", "What / 内容", "Outcome / 结果")


def history_rows(rec: QualityRecord) -> list[tuple[str, str, str, str, str]]:
    return [(h.day, h.kind, h.subject, h.text, h.outcome) for h in rec.history]


def write_record(rec: QualityRecord, path: str | Path) -> Path:
    """Write `.xlsx` or `.pdf` (by suffix)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return write_record_xlsx(rec, p)
    if suffix == ".pdf":
        return write_record_pdf(rec, p)
    raise SignalError(f"{p.name}: a quality record is written as .xlsx or .pdf")


def write_record_xlsx(rec: QualityRecord, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from tracer.recall.safecsv import guard

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary 概要"
    ws.append(["Quality record / 质量档案", _stamp()])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in summary_rows(rec):
        ws.append([label, guard(value)])
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 90
    hist = wb.create_sheet("History 履历")
    hist.append(list(HISTORY_HEADER))
    for c in hist[1]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="33475B")
    for row in history_rows(rec):
        hist.append([guard(v) for v in row])
    for col, width in zip("ABCDE", (12, 14, 34, 70, 22), strict=True):
        hist.column_dimensions[col].width = width
    hist.freeze_panes = "A2"
    hist.auto_filter.ref = hist.dimensions
    sig = wb.create_sheet("Signals 信号")
    sig.append(["id", "date", "kind", "severity", "result", "status", "campaign", "gtin",
                "lots", "place", "reporter", "description"])  # fmt: skip
    for s in rec.signals:
        lots = ", ".join(f"{x.lot}{'?' if x.basis == 'plausible' else ''}" for x in s.lots)
        sig.append([guard(v) for v in (s.short_id, s.day, s.kind, s.severity, s.result or "",
                    s.status, s.campaign or "", s.product.gtin or "", lots, s.place or "",
                    s.reporter or "", s.description or "")])  # fmt: skip
    sig.freeze_panes = "A2"
    wb.save(path)
    return path


def _stamp() -> str:
    return datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def write_record_pdf(rec: QualityRecord, path: Path) -> Path:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from tracer.recall import pdfkit

    st = pdfkit.styles()
    title = f"质量档案 Quality record — {rec.name_zh or rec.name}"
    story: list[Any] = [
        pdfkit.para(title, st.title),
        pdfkit.para(f"{SCOPE_ZH[rec.scope]} / {rec.scope} {rec.key} · {_stamp()}", st.small),
        Spacer(1, 4 * mm),
        pdfkit.table(st, ("Item / 项目", "Value / 数值"), summary_rows(rec), (60 * mm, 120 * mm)),
        Spacer(1, 4 * mm),
        _rate_bars(rec),
        pdfkit.para("History / 履历", st.h2),
    ]
    rows = history_rows(rec)
    if rows:
        widths = (20 * mm, 18 * mm, 42 * mm, 76 * mm, 24 * mm)
        story.append(pdfkit.table(st, HISTORY_HEADER, rows, widths))
    else:
        story.append(pdfkit.para("— no events in this period / 本期间无记录 —", st.body))
    footer = f"tracer · {rec.scope} {rec.key} · {rec.since or '…'} – {rec.until or '…'}"
    return pdfkit.build(path, story, title=title, footer=footer)


def _rate_bars(rec: QualityRecord) -> Any:
    """Pass rates as bars with the target line, so a reader sees at once where it stands."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    from tracer.recall.fonts import register_cjk_font

    font = register_cjk_font()
    width, bar_w, left = 180 * mm, 110 * mm, 50 * mm
    d = Drawing(width, 24 * mm)
    items = (("出厂检验 Inspection", rec.inspections), ("抽检 Spot checks", rec.spot_checks))
    for i, (label, rate) in enumerate(items):
        y = 14 * mm - i * 9 * mm
        d.add(String(0, y + 1.5 * mm, label, fontName=font, fontSize=8))
        d.add(Rect(left, y, bar_w, 5 * mm, fillColor=colors.HexColor("#eef2f5"), strokeWidth=0))
        if rate.rate is not None:
            ok = rate.rate >= rec.target
            fill = colors.HexColor("#3a8f5c" if ok else "#c0392b")
            d.add(Rect(left, y, bar_w * rate.rate, 5 * mm, fillColor=fill, strokeWidth=0))
            d.add(
                String(left + bar_w + 2 * mm, y + 1.5 * mm, _pct(rate), fontName=font, fontSize=8)
            )
    x = left + bar_w * rec.target
    d.add(Line(x, 0, x, 21 * mm, strokeColor=colors.black, strokeDashArray=(2, 2)))
    d.add(
        String(
            x - 8 * mm, 21.5 * mm, f"目标 target {100 * rec.target:g} %", fontName=font, fontSize=7
        )
    )
    return d
