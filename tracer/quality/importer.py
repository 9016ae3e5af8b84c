"""Bulk import of signals from a sheet: plan (preview + link report), then one write.

`plan_import` reads the sheet, maps columns, turns each row into a signal
event and says, row by row, how it links to the ledger: to a lot, only to
the product (lot missing or unknown; plausible lots from the shop), or not
at all (not our product, bad GTIN, no date...). Nothing is written until
`commit_import`, which appends every recordable row in one transaction — or,
in strict mode, nothing at all if any row failed to link to a lot.
Each event carries the sheet's digest and row number, so importing the same
sheet twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracer.ledger import Ledger
from tracer.model import Event
from tracer.quality.identify import from_code
from tracer.quality.linking import (
    lot_known,
    normalize_gtin,
    product_by_name,
    product_known,
)
from tracer.quality.sheet import (
    FIELDS,
    Sheet,
    apply_overrides,
    guess_mapping,
    parse_day,
    parse_result,
    read_sheet,
)
from tracer.quality.signal_model import (
    KINDS,
    SEVERITIES,
    SPOT_CHECKS,
    ProductRef,
    SignalError,
    SignalReport,
)
from tracer.quality.signals import Lookups, prepare_event, record_signals

LOT, PRODUCT, NONE = "lot", "product", "none"


@dataclass(frozen=True, slots=True)
class PlannedRow:
    row: int  # as the spreadsheet numbers it (header = 1)
    values: dict[str, str]
    link: str  # lot | product | none
    reason: str = ""  # why not linked to a lot
    report: SignalReport | None = None
    event: Event | None = None


@dataclass
class ImportPlan:
    sheet: Sheet
    mapping: dict[str, int]
    kind: str
    rows: list[PlannedRow] = field(default_factory=list)

    @property
    def linked(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.link == LOT]

    @property
    def product_only(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.link == PRODUCT]

    @property
    def unlinked(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.link == NONE]

    def columns(self) -> dict[str, str]:
        return {f: self.sheet.headers[i] for f, i in sorted(self.mapping.items())}

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.sheet.path),
            "sheet": self.sheet.sheet,
            "columns": self.columns(),
            "unmapped_headers": [
                h for i, h in enumerate(self.sheet.headers) if i not in self.mapping.values()
            ],
            "rows": len(self.rows),
            "linked_to_lot": len(self.linked),
            "linked_to_product_only": [
                {"row": r.row, "reason": r.reason} for r in self.product_only
            ],
            "not_linked": [{"row": r.row, "reason": r.reason} for r in self.unlinked],
        }


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    already_there: int
    plan: ImportPlan


def plan_import(
    ledger: Ledger,
    path: str | Path,
    *,
    kind: str = "ecommerce_spot_check",
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    recorded_by: str | None = None,
) -> ImportPlan:
    """Read, map and link every row; write nothing."""
    if kind not in KINDS:
        raise SignalError(f"kind must be one of {', '.join(KINDS)}, not '{kind}'")
    data = read_sheet(path, sheet)
    mapping = apply_overrides(data.headers, guess_mapping(data.headers), columns or {})
    if not {"gtin", "code", "product_name"} & set(mapping):
        raise SignalError(
            "no column identifies the product (GTIN, code or product name): map one, e.g. "
            f"--column gtin=<header>; headers: {', '.join(data.headers)}"
        )
    if "date" not in mapping:
        raise SignalError("no date column: map one with --column date=<header>")
    plan = ImportPlan(data, mapping, kind)
    lookups = Lookups(ledger.connection)
    for number, cells in data.rows:
        values = {f: cells[i] for f, i in mapping.items()}
        plan.rows.append(_plan_row(ledger, data, number, values, kind, recorded_by, lookups))
    return plan


def _plan_row(
    ledger: Ledger,
    data: Sheet,
    number: int,
    v: dict[str, str],
    default_kind: str,
    recorded_by: str | None,
    lookups: Lookups,
) -> PlannedRow:
    def refuse(reason: str) -> PlannedRow:
        return PlannedRow(number, v, NONE, reason)

    day = parse_day(v.get("date", ""))
    if day is None:
        return refuse(f"date {v.get('date', '')!r} is not a date (e.g. 2026-03-01)")
    kind = v.get("kind") or default_kind
    if kind not in KINDS:
        return refuse(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    result = None
    if kind in SPOT_CHECKS:
        result = parse_result(v.get("result", ""))
        if result is None:
            return refuse(f"result {v.get('result', '')!r} is neither 合格/pass nor 不合格/fail")
    severity = v.get("severity") or ("high" if result == "fail" else "low" if result else "medium")
    if severity not in SEVERITIES:
        return refuse(f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    try:
        product = _product(ledger, v)
    except SignalError as exc:
        return refuse(str(exc))
    conn = ledger.connection
    assert product.gtin is not None
    link, reason = LOT, ""
    with ledger._lock:
        if lookups.gcp(product.gtin) is None and not product_known(conn, product.gtin):
            return refuse(f"GTIN {product.gtin} is not a product in this ledger")
        if product.lot and not lookups.lot(product.gtin, product.lot):
            product = _lot_in_parts(conn, product)
        if product.lot is None:
            link, reason = PRODUCT, "no lot given"
        elif not lookups.lot(product.gtin or "", product.lot):
            link, reason = PRODUCT, f"lot {product.lot} of {product.gtin} is not in the ledger"
        if link == PRODUCT:
            place_sgln = lookups.place(v.get("place"))
            reason += (
                "; linked to the product and the lots that reached the shop"
                if place_sgln
                else "; linked to the product only (shop not known)"
            )
    report = SignalReport(
        kind=kind,
        date=day,
        product=product,
        severity=severity,
        place=v.get("place") or None,
        reporter=v.get("reporter") or None,
        description=v.get("description", ""),
        result=result,
        source={"file": data.path.name, "sha256": data.sha256, "sheet": data.sheet, "row": number},
        recorded_by=recorded_by,
    )
    event = prepare_event(ledger, report, recorded_at=datetime.now(UTC), lookups=lookups)
    return PlannedRow(number, v, link, reason, report, event)


def _lot_in_parts(conn: Any, product: ProductRef) -> ProductRef:
    """A 生产日期/批号 cell often holds "2026-02-01/L123" or "L123 2026-02-01": try each part."""
    import re

    assert product.gtin and product.lot
    for part in re.split(r"[/\s,;，；]+", product.lot):
        if part and part != product.lot and lot_known(conn, product.gtin, part):
            return replace(product, lot=part)
    return product


def _product(ledger: Ledger, v: dict[str, str]) -> ProductRef:
    name = v.get("product_name") or None
    lot = v.get("lot") or None
    if v.get("code"):
        ref = from_code(v["code"], how="sheet")
        return ProductRef(ref.gtin, ref.lot or lot, ref.serial, ref.code, "sheet", name)
    if v.get("gtin"):
        g = normalize_gtin(v["gtin"].replace(" ", ""))
        if g is None:
            raise SignalError(f"GTIN {v['gtin']!r} is not valid (digits or check digit)")
        return ProductRef(g, lot, None, None, "sheet", name)
    if name:
        with ledger._lock:
            g = product_by_name(ledger.connection, name)
        if g is None:
            raise SignalError(f"no GTIN, and product name {name!r} matches no one product")
        return ProductRef(g, lot, None, None, "sheet", name)
    raise SignalError("no GTIN, code or product name")


def commit_import(ledger: Ledger, plan: ImportPlan, *, strict: bool = False) -> ImportResult:
    """Write the plan's recordable rows in one transaction (strict: only if all link to lots)."""
    if strict and (plan.unlinked or plan.product_only):
        bad = plan.unlinked + plan.product_only
        listed = "; ".join(f"row {r.row}: {r.reason}" for r in bad[:10])
        more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
        raise SignalError(f"nothing imported: {len(bad)} rows not linked to a lot: {listed}{more}")
    events = [r.event for r in plan.rows if r.event is not None]
    added = record_signals(ledger, events) if events else 0
    return ImportResult(added=added, already_there=len(events) - added, plan=plan)


def preview_rows(plan: ImportPlan, limit: int = 10) -> list[dict[str, str]]:
    """The first rows as mapped, with their link, for a person to check the mapping."""
    out = []
    for r in plan.rows[:limit]:
        row = {"row": str(r.row), **{f: r.values.get(f, "") for f in FIELDS if f in plan.mapping}}
        row["link"] = r.link
        row["reason"] = r.reason
        out.append(row)
    return out
