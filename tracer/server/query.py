"""EPCIS 2.0 query parameters (REST query string) → portable SQL over the ledger.

Values may be pipe-delimited (`eventType=ObjectEvent|AggregationEvent`) or
repeated. A parameter the repository does not implement is refused with 400
(QueryParameterException), as the standard asks, never silently ignored.

Pages are cut by keyset (the last row's sort key), so a page costs the same
at the end of a 10M-event ledger as at its start; the nextPageToken carries
that key and a fingerprint of the query it belongs to.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracer.ledger.rows import utc_text
from tracer.model import parse_time
from tracer.server.problems import HttpProblem, bad_query

PER_PAGE_DEFAULT = 30
PER_PAGE_MAX = 1000

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)

# EPC matching parameters -> the identifier roles they look at
_MATCH_ROLES: dict[str, tuple[str, ...]] = {
    "MATCH_epc": ("epc", "child"),
    "MATCH_parentID": ("parent",),
    "MATCH_inputEPC": ("input",),
    "MATCH_outputEPC": ("output",),
    "MATCH_anyEPC": ("epc", "child", "parent", "input", "output"),
    "MATCH_epcClass": ("epc", "child"),
    "MATCH_inputEPCClass": ("input",),
    "MATCH_outputEPCClass": ("output",),
    "MATCH_anyEPCClass": ("epc", "child", "input", "output"),
}
_EQ_COLUMNS = {
    "EQ_action": "action",
    "EQ_bizStep": "biz_step",
    "EQ_disposition": "disposition",
    "EQ_readPoint": "read_point",
    "EQ_bizLocation": "biz_location",
}
_TIME_COLUMNS = {
    "GE_eventTime": ("event_time", ">="),
    "LT_eventTime": ("event_time", "<"),
    "GE_recordTime": ("record_time", ">="),
    "LT_recordTime": ("record_time", "<"),
}
_CBV_PREFIXES = {
    "biz_step": ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"),
    "disposition": ("https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"),
}
_PAGING = {"perPage", "nextPageToken"}
_OTHER = {"eventType", "EXISTS_errorDeclaration", "orderBy", "orderDirection"}
_OTHER |= {"eventCountLimit", "maxEventCount", "EQ_eventID"}
KNOWN = set(_MATCH_ROLES) | set(_EQ_COLUMNS) | set(_TIME_COLUMNS) | _PAGING | _OTHER


@dataclass
class EventsQuery:
    """A parsed query: WHERE conditions with `?` parameters, order, limits."""

    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order: str = "seq"  # seq | event_time | record_time
    descending: bool = False
    count_limit: int | None = None  # eventCountLimit: at most this many in all pages
    max_count: int | None = None  # maxEventCount: refuse the query above this many
    fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    events: list[dict[str, Any]]
    next_token: str | None


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    out: list[str] = []
    for raw in params.get(name, ()):
        out.extend(v for v in raw.split("|") if v != "")
    return out


def _time(name: str, value: str) -> str:
    try:
        return utc_text(parse_time(value))
    except (ValueError, TypeError) as exc:
        raise bad_query(f"{name}: {value!r} is not an ISO 8601 date-time") from exc


def _int(name: str, value: str, low: int = 0) -> int:
    try:
        n = int(value)
    except ValueError as exc:
        raise bad_query(f"{name}: {value!r} is not a whole number") from exc
    if n < low:
        raise bad_query(f"{name} must be at least {low}")
    return n


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _epc_patterns(name: str, value: str) -> tuple[list[str], list[str]]:
    """(exact ids, LIKE patterns) a MATCH_ value stands for."""
    if not value.startswith("urn:epc:idpat:"):
        return [value], []
    scheme, _, fields = value[len("urn:epc:idpat:") :].partition(":")
    if not scheme or not fields:
        raise bad_query(f"{name}: {value!r} is not an EPC pattern")
    like = ".".join("%" if f == "*" else _like(f) for f in fields.split("."))
    if "Class" not in name:
        return [], [f"urn:epc:id:{_like(scheme)}:{like}"]
    # a class pattern: the quantity elements of that product, whatever the lot
    return [value], [f"urn:epc:class:lgtin:{like}"] if scheme == "sgtin" else []


def _cbv(column: str, value: str) -> list[str]:
    """A CBV value as the ledger stores it (bare), plus the value as given."""
    for prefix in _CBV_PREFIXES.get(column, ()):
        if value.startswith(prefix):
            return [value[len(prefix) :], value]
    return [value]


def parse_query(params: Mapping[str, Sequence[str]]) -> EventsQuery:
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise bad_query(
            f"parameter {unknown[0]} is not supported by this repository (supported: "
            f"{', '.join(sorted(KNOWN - _PAGING))})"
        )
    q = EventsQuery()
    types = _values(params, "eventType")
    if types:
        bad = [t for t in types if t not in EVENT_TYPES]
        if bad:
            raise bad_query(f"eventType: {bad[0]!r} is not an EPCIS event type")
        q.where.append(f"e.event_type IN ({','.join('?' * len(types))})")
        q.params += types
    for name, (column, op) in _TIME_COLUMNS.items():
        for value in _values(params, name):
            q.where.append(f"e.{column} {op} ?")
            q.params.append(_time(name, value))
    for name, column in _EQ_COLUMNS.items():
        values = [v for raw in _values(params, name) for v in _cbv(column, raw)]
        if values:
            q.where.append(f"e.{column} IN ({','.join('?' * len(values))})")
            q.params += values
    ids = _values(params, "EQ_eventID")
    if ids:  # the ledger's eventID (the hash) or the one the event came with
        marks = ",".join("?" * len(ids))
        q.where.append(
            f"(e.event_id IN ({marks}) OR EXISTS (SELECT 1 FROM epcis_ids x WHERE "
            f"x.source_event_id IN ({marks}) AND x.event_id = e.event_id "
            "AND x.declares_error = e.declares_error))"
        )
        q.params += [*ids, *ids]
    for name, roles in _MATCH_ROLES.items():
        exact: list[str] = []
        likes: list[str] = []
        for value in _values(params, name):
            e, p = _epc_patterns(name, value)
            exact += e
            likes += p
        if not exact and not likes:
            continue
        tests = []
        if exact:
            tests.append(f"i.id IN ({','.join('?' * len(exact))})")
        tests += ["i.id LIKE ? ESCAPE '\\'"] * len(likes)
        q.where.append(
            f"e.seq IN (SELECT i.seq FROM identifiers i WHERE i.role IN "
            f"({','.join('?' * len(roles))}) AND ({' OR '.join(tests)}))"
        )
        q.params += [*roles, *exact, *likes]
    if "EXISTS_errorDeclaration" in params:
        q.where.append("e.declares_error = 1")
    order = (_values(params, "orderBy") or [""])[0]
    if order:
        columns = {"eventTime": "event_time", "recordTime": "record_time"}
        if order not in columns:
            raise bad_query("orderBy: this repository orders by eventTime or recordTime")
        q.order = columns[order]
        q.descending = True  # the standard's default direction once orderBy is given
    direction = (_values(params, "orderDirection") or [""])[0]
    if direction:
        if direction not in ("ASC", "DESC"):
            raise bad_query("orderDirection must be ASC or DESC")
        q.descending = direction == "DESC"
    if params.get("eventCountLimit"):
        q.count_limit = _int("eventCountLimit", _values(params, "eventCountLimit")[0], 1)
    if params.get("maxEventCount"):
        q.max_count = _int("maxEventCount", _values(params, "maxEventCount")[0], 1)
    if q.count_limit is not None and q.max_count is not None:
        raise bad_query("eventCountLimit and maxEventCount cannot be used together")
    canon = sorted((k, sorted(_values(params, k))) for k in params if k not in _PAGING)
    q.fingerprint = hashlib.sha256(json.dumps(canon).encode()).hexdigest()[:16]
    return q


# -- pages ------------------------------------------------------------------


def encode_token(key: list[Any], served: int, fingerprint: str) -> str:
    raw = json.dumps({"k": key, "n": served, "q": fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str, fingerprint: str) -> tuple[list[Any], int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        key, served, fp = list(data["k"]), int(data["n"]), str(data["q"])
    except (ValueError, KeyError, TypeError) as exc:
        raise bad_query("nextPageToken is not one this repository issued") from exc
    if fp != fingerprint:
        raise bad_query("nextPageToken belongs to another query (the parameters changed)")
    return key, served


def run_query(ledger: Any, q: EventsQuery, per_page: int, token: str | None) -> Page:
    """One page of events as stored EPCIS JSON, and the token of the next page."""
    where = list(q.where)
    params = list(q.params)
    served = 0
    cmp = "<" if q.descending else ">"
    if token:
        key, served = decode_token(token, q.fingerprint)
        if q.order == "seq":
            where.append(f"e.seq {cmp} ?")
            params.append(int(key[0]))
        else:
            where.append(f"(e.{q.order} {cmp} ? OR (e.{q.order} = ? AND e.seq {cmp} ?))")
            params += [key[0], key[0], int(key[1])]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    if q.max_count is not None and not token:
        with ledger._lock:
            n = int(
                ledger.connection.execute(
                    f"SELECT count(*) FROM events e{clause}", params
                ).fetchone()[0]
            )
        if n > q.max_count:
            raise HttpProblem(
                413,
                "QueryTooLargeException",
                "Query result too large",
                f"{n} events match, more than maxEventCount={q.max_count}",
            )
    limit = per_page
    if q.count_limit is not None:
        limit = min(limit, q.count_limit - served)
    if limit <= 0:
        return Page([], None)
    direction = "DESC" if q.descending else "ASC"
    order = (
        f"e.seq {direction}" if q.order == "seq" else f"e.{q.order} {direction}, e.seq {direction}"
    )
    sql = (
        f"SELECT e.seq, e.{q.order if q.order != 'seq' else 'seq'}, e.doc FROM events e"
        f"{clause} ORDER BY {order} LIMIT ?"
    )
    with ledger._lock:
        rows = ledger.connection.execute(sql, [*params, limit + 1]).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    events = [json.loads(r[2]) for r in rows]
    served += len(rows)
    if q.count_limit is not None and served >= q.count_limit:
        more = False
    next_token = None
    if more and rows:
        last = rows[-1]
        key = [int(last[0])] if q.order == "seq" else [last[1], int(last[0])]
        next_token = encode_token(key, served, q.fingerprint)
    return Page(events, next_token)


def per_page_of(params: Mapping[str, Sequence[str]]) -> int:
    values = _values(params, "perPage")
    if not values:
        return PER_PAGE_DEFAULT
    return min(_int("perPage", values[0], 1), PER_PAGE_MAX)
