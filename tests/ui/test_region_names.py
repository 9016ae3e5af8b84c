"""Province names follow the UI language on the trace and campaign screens (GB/T 2260 table)."""

from __future__ import annotations

from shipped_lots import shipped_lot

from tracer.ledger.regions import find_region
from tracer.recall import open_campaign


def _column(table, header: str) -> list[str]:  # type: ignore[no-untyped-def]
    col = next(
        c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == header
    )
    return [table.item(r, col).text() for r in range(table.rowCount())]


def _zh(regions: list[str]) -> list[str]:
    out = []
    for r in regions:
        hit = find_region(r)
        assert hit is not None, r  # every demo region is a province or municipality
        out.append(hit.zh_short)
    return out


def test_regions_in_chinese_and_back(window) -> None:  # type: ignore[no-untyped-def]
    ledger = window.session.ledger
    lot, graph = shipped_lot(ledger)
    trace = window.show_page("trace")
    trace.start_edit.setText(f"{lot.gtin}/{lot.lot}")
    trace.run_trace()
    english = _column(trace.retailers, "Region")
    stored = {t.location.region for t in graph.retail_locations() if t.location}
    assert stored <= set(english)
    window.set_language("zh_CN")
    assert sorted(_column(trace.retailers, "地区")) == sorted(_zh(english))  # rows re-sort

    open_campaign(
        ledger, [(lot.gtin, lot.lot)], reason="test", hazard="high", action="return",
        instructions="Return it.", opened_by="Test Clerk",
    )  # fmt: skip
    screen = window.show_page("campaigns")
    chinese = _column(screen.targets, "地区")
    grid = screen.regions_grid
    labels = {
        grid.itemAtPosition(r, c).widget().text()
        for r in range(grid.rowCount())
        for c in (0, 3)
        if grid.itemAtPosition(r, c) is not None
    }
    assert labels and labels <= set(chinese)
    window.set_language("en")
    assert sorted(_zh(_column(screen.targets, "Region"))) == sorted(chinese)


def test_master_data_regions_follow_the_language(window) -> None:  # type: ignore[no-untyped-def]
    from tracer.ui.qt import Qt

    screen = window.show_page("masterdata")
    screen.tabs.setCurrentIndex(list(screen.views).index("locations"))
    model = screen.views["locations"].model()
    col = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal, 0) == "Region"
    )
    rows = range(model.rowCount())
    english = [model.index(r, col).data() for r in rows]
    stored = [model.index(r, col).data(Qt.ItemDataRole.ToolTipRole) for r in rows]
    assert any(english) and english == stored
    window.set_language("zh_CN")
    screen.activated()
    model = screen.views["locations"].model()
    chinese = [model.index(r, col).data() for r in range(model.rowCount())]
    tips = [model.index(r, col).data(Qt.ItemDataRole.ToolTipRole) for r in range(model.rowCount())]
    assert sorted(c for c in chinese if c) == sorted(_zh([s for s in tips if s]))
    window.set_language("en")
