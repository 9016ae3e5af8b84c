"""Master data from a spreadsheet: products, lots, locations, stations or operators.

Companies keep these lists in Excel. A sheet (CSV in UTF-8 / UTF-8 with BOM /
GB18030, or the first worksheet of an XLSX) has one header row; headers are
matched to the record's fields by their English field name or a common
Chinese header (名称, 地址, 联系人 …). Every row is checked (GTIN and GLN
check digits, the location kind) and the report names each bad row; nothing
is written unless `write=True`, and then all good rows in one transaction.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracer.errors import TracerError
from tracer.gs1_check import has_valid_check_digit
from tracer.ledger import masterdata
from tracer.ledger.ledger import Ledger
from tracer.model import Location, LocationKind, Lot, Operator, Product, Station

KINDS: dict[str, type[Any]] = {
    "products": Product,
    "lots": Lot,
    "locations": Location,
    "stations": Station,
    "operators": Operator,
}

# Chinese (and a few English) headers people use, per field
ALIASES: dict[str, tuple[str, ...]] = {
    "gtin": ("商品条码", "条码", "gtin", "ean", "barcode"),
    "name": ("名称", "产品名称", "商品名称", "地点名称", "门店名称", "英文名称", "name"),
    "name_zh": ("中文名称", "中文名", "namezh"),
    "spec": ("规格", "规格型号", "spec"),
    "standard": ("执行标准", "标准", "standard"),
    "brand": ("品牌", "商标", "brand"),
    "producer_gln": ("生产商gln", "producergln"),
    "unit": ("单位", "计量单位", "unit"),
    "lot": ("批号", "生产批号", "批次", "lot", "batch"),
    "production_date": ("生产日期", "productiondate"),
    "expiry_date": ("有效期至", "失效日期", "保质期至", "expirydate", "expiry"),
    "quantity": ("数量", "批量", "quantity", "qty"),
    "location_gln": ("地点gln", "locationgln"),
    "gln": ("gln", "全球位置码", "位置码"),
    "kind": ("类型", "地点类型", "kind", "type"),
    "address": ("地址", "address"),
    "region": ("省份", "地区", "region", "province"),
    "city": ("城市", "city"),
    "contact": ("联系人", "contact"),
    "phone": ("电话", "联系电话", "手机", "phone", "tel"),
    "email": ("邮箱", "电子邮件", "email", "e-mail"),
    "party_gln": ("所属企业gln", "partygln"),
    "biz_step": ("业务步骤", "bizstep"),
    "disposition": ("状态", "disposition"),
    "destination_gln": ("目的地gln", "destinationgln"),
    "device": ("设备", "device"),
    "role": ("角色", "岗位", "role"),
}
_KIND_WORDS = {
    "供应商": "supplier", "工厂": "factory", "仓库": "warehouse", "配送中心": "warehouse",
    "经销商": "distributor", "零售商": "retailer", "门店": "retailer", "超市": "retailer",
    "电商": "e-commerce", "网店": "e-commerce",
}  # fmt: skip


class SheetError(TracerError):
    """The file cannot be read as a master-data sheet."""


@dataclass
class ImportReport:
    kind: str
    columns: dict[str, str]  # field -> header it was read from
    records: list[Any] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, why)
    written: int = 0


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-/()（）:：.#*]", "", str(text)).lower()


def read_rows(path: str | Path) -> list[list[str]]:
    p = Path(path)
    data = p.read_bytes()
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise SheetError(f"{p.name} is not a readable Excel file: {exc}") from exc
        ws = wb.worksheets[0]
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in ws.iter_rows(values_only=True)
        ]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(f"{p.name}: not UTF-8 or GB18030 text")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # the header row decides
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def map_columns(kind: str, headers: list[str]) -> dict[str, int]:
    fields = [f.name for f in dataclasses.fields(KINDS[kind]) if f.name != "pin_hash"]
    normed = [_norm(h) for h in headers]
    found: dict[str, int] = {}
    for name in fields:
        for alias in (name, *ALIASES.get(name, ())):
            a = _norm(alias)
            if a in normed and normed.index(a) not in found.values():
                found[name] = normed.index(a)
                break
    return found


def _check_digit_ok(digits: str) -> bool:
    return len(digits) >= 8 and has_valid_check_digit(digits)


def _record(kind: str, values: dict[str, str]) -> Any:
    cls = KINDS[kind]
    for key in ("gtin", "gln", "location_gln", "producer_gln", "party_gln", "destination_gln"):
        v = values.get(key)
        if v and not _check_digit_ok(v):
            raise ValueError(f"{key} {v}: wrong length or check digit")
    if kind == "locations":
        raw = values.get("kind", "")
        word = _KIND_WORDS.get(raw, raw.lower())
        try:
            values["kind"] = LocationKind(word)  # type: ignore[assignment]
        except ValueError:
            raise ValueError(
                f"kind {raw!r}: use one of {', '.join(k.value for k in LocationKind)}"
            ) from None
    if kind == "lots":
        values["gtin"] = values["gtin"].zfill(14)
        if values.get("quantity"):
            values["quantity"] = float(values["quantity"])  # type: ignore[assignment]
    required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    missing = [r for r in required if not values.get(r)]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    return cls(**{k: (v if v != "" else None) for k, v in values.items()})


def read_sheet(kind: str, path: str | Path) -> ImportReport:
    """Check a sheet and build the records; nothing is written."""
    if kind not in KINDS:
        raise SheetError(f"unknown master-data kind {kind!r}; use {', '.join(KINDS)}")
    rows = read_rows(path)
    if not rows:
        raise SheetError(f"{Path(path).name} is empty")
    headers = rows[0]
    mapping = map_columns(kind, headers)
    required = [f.name for f in dataclasses.fields(KINDS[kind]) if f.default is dataclasses.MISSING]
    lacking = [r for r in required if r not in mapping]
    if lacking:
        raise SheetError(
            f"{Path(path).name}: no column for {', '.join(lacking)} (headers: {', '.join(headers[:12])})"
        )
    report = ImportReport(kind, {f: headers[i] for f, i in mapping.items()})
    for n, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values = {f: (row[i] if i < len(row) else "") for f, i in mapping.items()}
        try:
            report.records.append(_record(kind, values))
        except (ValueError, TypeError) as exc:
            report.errors.append((n, str(exc)))
    return report


def import_sheet(
    ledger: Ledger, kind: str, path: str | Path, *, write: bool = True
) -> ImportReport:
    """Read, check and (unless there are bad rows) upsert every record in one transaction."""
    report = read_sheet(kind, path)
    if write and report.records and not report.errors:
        report.written = masterdata.upsert(ledger, report.records)
    return report
