"""Read a result sheet (CSV or XLSX) and guess which column holds what.

Platforms and market regulators publish spot-check results as spreadsheets
with Chinese (or English) headers that vary from one sheet to the next:
产品名称 / 样品名称, 商品条码 / GTIN, 生产批号 / 批次, 抽检结果 合格 / 不合格,
抽检日期, 抽检机构 / 平台, 店铺 ... The guess matches known header words;
the user can override any column by header name, letter or number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracer.quality.signal_model import SignalError

# field -> header words, most specific first (compared after `_norm`)
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("追溯码", "扫码内容", "条码内容", "code", "scannedcode", "gs1code"),
    "gtin": ("商品条码", "条形码", "条码", "gtin", "ean", "barcode", "商品编码"),
    "lot": ("生产批号", "批号", "批次号", "批次", "lot", "lotnumber", "batch", "batchno"),
    "product_name": ("产品名称", "商品名称", "样品名称", "名称", "productname", "product", "name"),
    "result": ("抽检结果", "检验结果", "检测结果", "判定结果", "结论", "结果", "result", "verdict"),
    "date": ("抽检日期", "抽样日期", "检验日期", "日期", "samplingdate", "date"),
    "reporter": ("抽检机构", "检验机构", "抽检平台", "机构", "平台", "agency", "lab", "platform"),
    "place": ("店铺名称", "店铺", "被抽样单位", "经营者", "销售者", "shop", "store", "seller"),
    "description": ("不合格项目", "问题描述", "描述", "备注", "defect", "description", "remarks"),
    "severity": ("严重程度", "风险等级", "severity", "risk"),
    "kind": ("信号类型", "类型", "kind", "type"),
}
FIELDS = tuple(ALIASES)

PASS_WORDS = {"合格", "符合", "通过", "pass", "passed", "ok", "conformant", "conforming", "y"}
FAIL_WORDS = {"不合格", "不符合", "未通过", "fail", "failed", "nonconformant", "nonconforming", "n"}


@dataclass(frozen=True, slots=True)
class Sheet:
    path: Path
    sheet: str | None
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    sha256: str


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-/()（）:：.#*]", "", text).lower()


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """Header row and data rows of a CSV (UTF-8 or GB18030) or XLSX file."""
    import hashlib

    p = Path(path)
    if not p.is_file():
        raise SignalError(f"{p} is not a readable file")
    data = p.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table, sheet = _read_xlsx(data, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        table = _read_csv(data)
    else:
        raise SignalError(f"{p.name}: only .csv and .xlsx sheets can be imported")
    numbered = [(n + 1, row) for n, row in enumerate(table) if any(c for c in row)]
    if not numbered:
        raise SignalError(f"{p.name} has no rows")
    # the header row is the one (of the first few) whose cells name the most fields:
    # sheets often carry a title row or two above it
    head = max(
        range(min(10, len(numbered))), key=lambda i: (len(guess_mapping(numbered[i][1])), -i)
    )
    (_, headers), body = numbered[head], numbered[head + 1 :]
    width = len(headers)
    rows = [(n, (r + [""] * width)[:width]) for n, r in body]
    return Sheet(p, sheet, headers, rows, digest)


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SignalError("the CSV is neither UTF-8 nor GB18030 text")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes, sheet: str | None) -> tuple[list[list[str]], str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip or XML damage: say so plainly
        raise SignalError(f"cannot read the workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SignalError(f"no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)], ws.title
    finally:
        wb.close()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field → column index, from the header words; each column used once."""
    normed = [_norm(h) for h in headers]
    out: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for field, words in ALIASES.items():
            if field in out:
                continue
            for word in words:
                hits = [
                    i
                    for i, h in enumerate(normed)
                    if i not in used and h and (h == word if exact else word in h)
                ]
                if hits:
                    out[field] = hits[0]
                    used.add(hits[0])
                    break
    return out


def column_index(headers: list[str], ref: str) -> int:
    """A column by header text, spreadsheet letter (A, B, ... AA) or 1-based number."""
    r = ref.strip()
    if r in headers:
        return headers.index(r)
    normed = [_norm(h) for h in headers]
    if _norm(r) in normed:
        return normed.index(_norm(r))
    if r.isdigit() and 1 <= int(r) <= len(headers):
        return int(r) - 1
    if r.isalpha() and r.isupper() and len(r) <= 2:
        n = 0
        for ch in r:
            n = n * 26 + ord(ch) - 64
        if 1 <= n <= len(headers):
            return n - 1
    raise SignalError(f"no column {ref!r}; columns: {', '.join(headers)}")


def apply_overrides(
    headers: list[str], mapping: dict[str, int], overrides: dict[str, str]
) -> dict[str, int]:
    """Override the guess: field=column (column '' or '-' drops the field)."""
    out = dict(mapping)
    for field, ref in overrides.items():
        if field not in ALIASES:
            raise SignalError(f"unknown field {field!r}; fields: {', '.join(FIELDS)}")
        if ref.strip() in ("", "-"):
            out.pop(field, None)
            continue
        idx = column_index(headers, ref)
        for other, i in list(out.items()):
            if i == idx and other != field:
                del out[other]
        out[field] = idx
    return out


def parse_result(text: str) -> str | None:
    t = _norm(text)
    if t in PASS_WORDS:
        return "pass"
    if t in FAIL_WORDS:
        return "fail"
    return None


def parse_day(text: str) -> date | None:
    """2026-03-01, 2026/3/1, 2026.03.01, 2026年3月1日, 20260301 or an ISO date-time."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", t)
    if m is None:
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
