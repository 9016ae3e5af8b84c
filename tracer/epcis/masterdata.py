"""EPCIS master data (VocabularyList) ↔ the ledger's master-data tables.

Locations come from ``BusinessLocation`` / ``ReadPoint`` vocabularies (SGLN,
GLN or Digital Link ids), products from ``EPCClass`` (GTIN patterns, GTIN
Digital Links) and lots from LGTIN classes. CBV master-data attributes map to
the typed columns (name, address, city, region, ...); every other attribute is
kept verbatim in the row's ``attributes`` JSON, so an export writes it back.
Sub-locations (SGLN extension ≠ 0) are kept in their site's attributes.

Nothing already in the ledger is overwritten: a value that differs from the
stored one is a *conflict* (reported, stored row kept); missing values are
filled in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracer.gs1_check import check_digit
from tracer.model import TRACER_NS

VTYPE_LOCATION = "urn:epcglobal:epcis:vtype:BusinessLocation"
VTYPE_READPOINT = "urn:epcglobal:epcis:vtype:ReadPoint"
VTYPE_EPCCLASS = "urn:epcglobal:epcis:vtype:EPCClass"

MDA = "urn:epcglobal:cbv:mda:"
_ATTR_PREFIXES = (MDA, "urn:epcglobal:cbv:mda#", "cbvmda:", "https://gs1.org/voc/", "gs1:")
_TRACER_PREFIXES = (TRACER_NS, "tracer:")

_LOCATION_COLUMNS = (
    "gln", "sgln", "name", "name_zh", "kind", "address", "region", "city", "contact",
    "phone", "email", "party_gln",
)  # fmt: skip
_PRODUCT_COLUMNS = (
    "gtin", "name", "name_zh", "spec", "standard", "brand", "producer_gln", "unit",
)  # fmt: skip
_LOT_COLUMNS = ("gtin", "lot", "production_date", "expiry_date", "quantity", "location_gln")

# CBV attribute (local name) -> column
_LOCATION_CBV = {"name": "name", "city": "city", "state": "region"}
_ADDRESS = ("streetAddressOne", "streetAddressTwo", "streetAddressThree")
# tracer attribute (local name) -> column
_LOCATION_TRACER = {
    "nameZh": "name_zh", "kind": "kind", "contact": "contact", "phone": "phone",
    "email": "email", "partyGLN": "party_gln", "address": "address",
}  # fmt: skip
_PRODUCT_CBV = {
    "descriptionShort": "name", "regulatedProductName": "name", "name": "name",
    "netContentDescription": "spec", "brandName": "brand",
}  # fmt: skip
_PRODUCT_TRACER = {
    "nameZh": "name_zh", "spec": "spec", "standard": "standard", "brand": "brand",
    "producerGLN": "producer_gln", "unit": "unit",
}  # fmt: skip
_LOT_CBV = {"itemExpirationDate": "expiry_date", "productionDate": "production_date"}
_LOT_TRACER = {"quantity": "quantity", "locationGLN": "location_gln",
               "productionDate": "production_date"}  # fmt: skip

_SGLN = re.compile(r"^urn:epc:id:sgln:(\d{6,12})\.(\d{0,6})\.(.+)$")
_DL_GLN = re.compile(r"^https?://[^/]+/414/(\d{13})(?:/254/([^/?#]+))?")
_IDPAT_SGTIN = re.compile(r"^urn:epc:idpat:sgtin:(\d{6,12})\.(\d{1,7})\.\*$")
_LGTIN = re.compile(r"^urn:epc:class:lgtin:(\d{6,12})\.(\d{1,7})\.(.+)$")
_DL_GTIN = re.compile(r"^https?://[^/]+/01/(\d{14})(?:/10/([^/?#]+))?")


@dataclass
class MasterDataReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0  # vocabulary elements of kinds tracer does not keep
    conflicts: list[str] = field(default_factory=list)

    def add(self, other: MasterDataReport) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.ignored += other.ignored
        self.conflicts.extend(other.conflicts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored": self.ignored,
            "conflicts": list(self.conflicts),
        }


# ---------------------------------------------------------------------------
# identifiers


def gln_of(location_id: str) -> tuple[str, str, str] | None:
    """(GLN-13, extension, SGLN URI) of a location id (SGLN URN, GLN DL URI or GLN)."""
    m = _SGLN.match(location_id)
    if m:
        cp, ref, ext = m.groups()
        body = cp + ref
        if len(body) != 12:
            return None
        return body + check_digit(body), ext, f"urn:epc:id:sgln:{cp}.{ref}.0"
    m = _DL_GLN.match(location_id)
    if m:
        gln, ext = m.group(1), m.group(2) or "0"
        return gln, ext, f"urn:epc:id:sgln:{gln[:7]}.{gln[7:12]}.0"
    if re.fullmatch(r"\d{13}", location_id):
        return location_id, "0", f"urn:epc:id:sgln:{location_id[:7]}.{location_id[7:12]}.0"
    return None


def _gtin14(cp: str, ref: str) -> str:
    body = ref[:1] + cp + ref[1:]
    return body + check_digit(body)


def product_gtin(gtin14: str) -> str:
    """The products table keys GTIN-13s as 13 digits (as the demo writes them)."""
    return gtin14[1:] if len(gtin14) == 14 and gtin14.startswith("0") else gtin14


def class_of(class_id: str) -> tuple[str, str | None] | None:
    """(GTIN-14, lot or None) of an EPC class id."""
    m = _IDPAT_SGTIN.match(class_id)
    if m and len(m.group(1) + m.group(2)) == 13:
        return _gtin14(m.group(1), m.group(2)), None
    m = _LGTIN.match(class_id)
    if m and len(m.group(1) + m.group(2)) == 13:
        return _gtin14(m.group(1), m.group(2)), m.group(3)
    m = _DL_GTIN.match(class_id)
    if m:
        return m.group(1), m.group(2)
    return None


# ---------------------------------------------------------------------------
# attributes


def _local(attr_id: str) -> tuple[str, str]:
    """('cbv' | 'tracer' | 'other', local name or the whole id)."""
    for p in _ATTR_PREFIXES:
        if attr_id.startswith(p):
            return "cbv", attr_id[len(p) :]
    for p in _TRACER_PREFIXES:
        if attr_id.startswith(p):
            return "tracer", attr_id[len(p) :]
    return "other", attr_id


def _attributes(element: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for a in element.get("attributes") or ():
        if isinstance(a, Mapping) and "id" in a:
            yield str(a["id"]), a.get("attribute")


def _scalar(v: Any) -> Any:
    if isinstance(v, str):
        return v.strip()
    return v


@dataclass
class _Row:
    table: str
    key: tuple[str, ...]
    values: dict[str, Any]
    attributes: dict[str, Any]


def _location_row(element: Mapping[str, Any]) -> tuple[_Row | None, str | None]:
    ident = gln_of(str(element["id"]))
    if ident is None:
        return None, None
    gln, ext, sgln = ident
    values: dict[str, Any] = {"gln": gln, "sgln": sgln}
    extra: dict[str, Any] = {}
    address: list[str] = []
    for attr_id, value in _attributes(element):
        kind, local = _local(attr_id)
        value = _scalar(value)
        if kind == "cbv" and local in _LOCATION_CBV:
            values[_LOCATION_CBV[local]] = value
        elif kind == "cbv" and local in _ADDRESS:
            address.append(str(value))
        elif kind == "tracer" and local in _LOCATION_TRACER:
            values[_LOCATION_TRACER[local]] = value
        else:
            extra[attr_id] = value
    if address and "address" not in values:
        values["address"] = ", ".join(address)
    if element.get("children"):
        extra["children"] = list(element["children"])
    if ext != "0":
        # a sub-location: kept in its site's attributes
        sub = {"id": element["id"], "attributes": {**extra, **values}}
        del sub["attributes"]["gln"], sub["attributes"]["sgln"]
        return _Row("locations", (gln,), {"gln": gln, "sgln": sgln}, {"sublocations": [sub]}), ext
    return _Row("locations", (gln,), values, extra), None


def _class_row(element: Mapping[str, Any]) -> _Row | None:
    ident = class_of(str(element["id"]))
    if ident is None:
        return None
    gtin14, lot = ident
    values: dict[str, Any]
    extra: dict[str, Any] = {}
    key: tuple[str, ...]
    if lot is None:
        values = {"gtin": product_gtin(gtin14)}
        cbv_map, tracer_map, table, key = (
            _PRODUCT_CBV,
            _PRODUCT_TRACER,
            "products",
            (values["gtin"],),
        )
    else:
        values = {"gtin": gtin14, "lot": lot}
        cbv_map, tracer_map, table, key = _LOT_CBV, _LOT_TRACER, "lots", (gtin14, lot)
    for attr_id, value in _attributes(element):
        kind, local = _local(attr_id)
        value = _scalar(value)
        if kind == "cbv" and local in cbv_map and cbv_map[local] not in values:
            values[cbv_map[local]] = value
        elif kind == "tracer" and local in tracer_map:
            values[tracer_map[local]] = value
        else:
            extra[attr_id] = value
    if table == "lots":
        q = values.get("quantity")
        if q is not None:
            try:
                values["quantity"] = float(q)
            except (TypeError, ValueError):
                extra[TRACER_NS + "quantity"] = values.pop("quantity")
        return _Row(table, key, values, {})  # lots have no attributes column
    return _Row(table, key, values, extra)


def rows_from_vocabularies(
    vocabularies: Iterable[Mapping[str, Any]], report: MasterDataReport
) -> list[_Row]:
    rows: list[_Row] = []
    for vocab in vocabularies:
        vtype = str(vocab.get("type", ""))
        for element in vocab.get("vocabularyElementList") or ():
            if not isinstance(element, Mapping) or "id" not in element:
                continue
            row: _Row | None = None
            if vtype in (VTYPE_LOCATION, VTYPE_READPOINT) or vtype.endswith(
                ("BusinessLocation", "ReadPoint")
            ):
                row, _ = _location_row(element)
            elif vtype == VTYPE_EPCCLASS or vtype.endswith("EPCClass"):
                row = _class_row(element)
            if row is None:
                report.ignored += 1
            else:
                rows.append(row)
    return rows


# ---------------------------------------------------------------------------
# writing


_PK = {"locations": ("gln",), "products": ("gtin",), "lots": ("gtin", "lot")}
_COLUMNS = {"locations": _LOCATION_COLUMNS, "products": _PRODUCT_COLUMNS, "lots": _LOT_COLUMNS}
_REQUIRED_DEFAULTS = {"locations": {"kind": "warehouse"}}


def _select(conn: Any, table: str, key: tuple[str, ...]) -> dict[str, Any] | None:
    cols = _COLUMNS[table] + (("attributes",) if table != "lots" else ())
    where = " AND ".join(f"{k} = ?" for k in _PK[table])
    row = conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", key).fetchone()
    if row is None:
        return None
    return dict(zip(cols, row, strict=True))


def _merge_attributes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for k, v in new.items():
        if k == "sublocations":
            subs = {s["id"]: s for s in out.get("sublocations", [])}
            for s in v:
                subs.setdefault(s["id"], s)
            out["sublocations"] = list(subs.values())
        else:
            out.setdefault(k, v)
    return out


def apply_rows(ledger: Any, rows: list[_Row], report: MasterDataReport, source: str = "") -> None:
    """Add or complete master-data rows; differing values are conflicts, not overwrites."""
    if not rows:
        return
    import sqlite_utils

    upsert_rows = getattr(ledger, "upsert_rows", None)
    conn = ledger.connection
    pending: dict[str, list[dict[str, Any]]] = {}
    with ledger._lock:
        for row in rows:
            old = _select(conn, row.table, row.key)
            new = dict(row.values)
            if old is None:
                for k, v in _REQUIRED_DEFAULTS.get(row.table, {}).items():
                    new.setdefault(k, v)
                if row.table in ("locations", "products"):
                    new.setdefault("name", row.key[0])
                    new["attributes"] = (
                        json.dumps(row.attributes, ensure_ascii=False, sort_keys=True)
                        if row.attributes
                        else None
                    )
                report.added += 1
                pending.setdefault(row.table, []).append(new)
                continue
            merged = dict(old)
            changed = False
            for k, v in new.items():
                if v is None or v == "":
                    continue
                ov = old.get(k)
                if ov is None or ov == "":
                    merged[k] = v
                    changed = True
                elif str(ov) != str(v) and not (k == "quantity" and _num_equal(ov, v)):
                    what = "/".join(row.key)
                    report.conflicts.append(
                        f"{row.table[:-1]} {what}: {k} is {ov!r} here, {v!r}"
                        + (f" in {source}" if source else "")
                    )
            if row.table != "lots" and row.attributes:
                old_attrs = json.loads(old["attributes"]) if old.get("attributes") else {}
                new_attrs = _merge_attributes(old_attrs, row.attributes)
                if new_attrs != old_attrs:
                    merged["attributes"] = json.dumps(new_attrs, ensure_ascii=False, sort_keys=True)
                    changed = True
            if changed:
                report.updated += 1
                pending.setdefault(row.table, []).append(merged)
            else:
                report.unchanged += 1
        if not pending:
            return
        if upsert_rows is not None:  # a server backend
            for table, table_rows in pending.items():
                upsert_rows(table, _PK[table], table_rows)
            return
        db = sqlite_utils.Database(conn)
        # inside an import's transaction (tracer.ledger.transaction): a savepoint,
        # so the master data lands (or not) together with the document's events
        nested = conn.in_transaction
        conn.execute("SAVEPOINT tracer_md" if nested else "BEGIN IMMEDIATE")
        try:
            for table, table_rows in pending.items():
                db[table].upsert_all(table_rows, pk=_PK[table])  # type: ignore[union-attr]
            conn.execute("RELEASE tracer_md" if nested else "COMMIT")
        except BaseException:
            conn.execute("ROLLBACK TO tracer_md" if nested else "ROLLBACK")
            if nested:
                conn.execute("RELEASE tracer_md")
            raise


def _num_equal(a: Any, b: Any) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def import_vocabularies(
    ledger: Any, vocabularies: Iterable[Mapping[str, Any]], source: str = ""
) -> MasterDataReport:
    report = MasterDataReport()
    apply_rows(ledger, rows_from_vocabularies(vocabularies, report), report, source)
    return report


# ---------------------------------------------------------------------------
# reading back, for export


def _attr(attr_id: str, value: Any) -> dict[str, Any]:
    return {"id": attr_id, "attribute": value}


def location_vocabulary(conn: Any, sglns: Iterable[str]) -> list[dict[str, Any]]:
    """BusinessLocation vocabulary elements for the locations with these ids."""
    elements: list[dict[str, Any]] = []
    seen: set[str] = set()
    for sgln in sorted(set(sglns)):
        ident = gln_of(sgln)
        if ident is None or ident[0] in seen:
            continue
        seen.add(ident[0])
        row = _select(conn, "locations", (ident[0],))
        if row is None:
            continue
        attrs = []
        if row.get("name"):
            attrs.append(_attr(MDA + "name", row["name"]))
        if row.get("address"):
            attrs.append(_attr(MDA + "streetAddressOne", row["address"]))
        if row.get("city"):
            attrs.append(_attr(MDA + "city", row["city"]))
        if row.get("region"):
            attrs.append(_attr(MDA + "state", row["region"]))
        for col, local in (
            ("name_zh", "nameZh"), ("kind", "kind"), ("contact", "contact"),
            ("phone", "phone"), ("email", "email"), ("party_gln", "partyGLN"),
        ):  # fmt: skip
            if row.get(col):
                attrs.append(_attr(TRACER_NS + local, row[col]))
        extra = json.loads(row["attributes"]) if row.get("attributes") else {}
        subs = extra.pop("sublocations", [])
        children = extra.pop("children", None)
        for k, v in sorted(extra.items()):
            attrs.append(_attr(k, v))
        el: dict[str, Any] = {"id": row["sgln"], "attributes": attrs}
        if children:
            el["children"] = children
        elements.append(el)
        for s in subs:
            sub_attrs = [
                _attr(k, v) for k, v in sorted(s.get("attributes", {}).items()) if v is not None
            ]
            elements.append({"id": s["id"], "attributes": sub_attrs})
    return elements


def class_vocabulary(conn: Any, class_ids: Iterable[str]) -> list[dict[str, Any]]:
    """EPCClass vocabulary elements for the products and lots these ids name."""
    elements: list[dict[str, Any]] = []
    seen: set[str] = set()
    for cid in sorted(set(class_ids)):
        ident = class_of(cid)
        if ident is None:
            continue
        gtin14, lot = ident
        if lot is not None and cid not in seen:
            seen.add(cid)
            row = _select(conn, "lots", (gtin14, lot))
            if row is not None:
                attrs = []
                if row.get("expiry_date"):
                    attrs.append(_attr(MDA + "itemExpirationDate", row["expiry_date"]))
                if row.get("production_date"):
                    attrs.append(_attr(TRACER_NS + "productionDate", row["production_date"]))
                if row.get("quantity") is not None:
                    attrs.append(_attr(TRACER_NS + "quantity", row["quantity"]))
                if row.get("location_gln"):
                    attrs.append(_attr(TRACER_NS + "locationGLN", row["location_gln"]))
                elements.append({"id": cid, "attributes": attrs})
        pid = f"https://id.gs1.org/01/{gtin14}"
        if pid in seen:
            continue
        seen.add(pid)
        row = _select(conn, "products", (product_gtin(gtin14),))
        if row is None:
            continue
        attrs = [_attr(MDA + "descriptionShort", row["name"])]
        for col, local in (
            ("name_zh", "nameZh"), ("spec", "spec"), ("standard", "standard"),
            ("brand", "brand"), ("producer_gln", "producerGLN"), ("unit", "unit"),
        ):  # fmt: skip
            if row.get(col):
                attrs.append(_attr(TRACER_NS + local, row[col]))
        extra = json.loads(row["attributes"]) if row.get("attributes") else {}
        for k, v in sorted(extra.items()):
            attrs.append(_attr(k, v))
        elements.append({"id": pid, "attributes": attrs})
    return elements


def vocabulary_list(conn: Any, sglns: Iterable[str], class_ids: Iterable[str]) -> list[Any]:
    out: list[dict[str, Any]] = []
    locs = location_vocabulary(conn, sglns)
    if locs:
        out.append({"type": VTYPE_LOCATION, "vocabularyElementList": locs})
    classes = class_vocabulary(conn, class_ids)
    if classes:
        out.append({"type": VTYPE_EPCCLASS, "vocabularyElementList": classes})
    return out
