"""Checks a station makes before recording a scan: unknown product, expired lot, duplicate.

The devices' `Recorder` already rejects malformed codes and counts repeats
within its window. A station must also refuse to record, silently, a code
for a product the company does not know, a lot past its expiry date, or an
item or case already recorded at this station for this step. `CheckedRecorder`
wraps the recorder, flags such scans instead of writing them, and lets the
clerk record one anyway (`allow_once`), which then goes through the recorder
like any other scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from tracer.ledger import Ledger, masterdata

UNKNOWN_PRODUCT = "unknown_product"
EXPIRED = "expired"
ALREADY_RECORDED = "already_recorded"


@dataclass(frozen=True, slots=True)
class Flag:
    """Why a scan was held back; `detail` carries the values a message needs."""

    scan: Any  # tracer.devices.Scan
    kind: str
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckedResult:
    """The recorder's result for the scans that passed, plus the flagged ones."""

    recorded: Any  # tracer.devices.recorder.RecordResult | None
    flagged: tuple[Flag, ...] = ()

    @property
    def outcomes(self) -> tuple[Any, ...]:
        return tuple(self.recorded.outcomes) if self.recorded is not None else ()


class _Recorder(Protocol):
    ledger: Ledger
    station: Any

    def record(self, scans: Sequence[Any]) -> Any: ...


class CheckedRecorder:
    """A Recorder that holds back scans of unknown products, expired lots and repeats."""

    def __init__(self, recorder: _Recorder, *, today: date | None = None) -> None:
        self.recorder = recorder
        self.ledger = recorder.ledger
        self.today = today
        self._allowed: set[str] = set()
        self.reload()

    def reload(self) -> None:
        """Re-read products and forget cached lots (after a master-data import).

        Lots are looked up one by one as they are scanned (a big ledger has
        hundreds of thousands; a station sees a few), so opening is instant.
        """
        self._gtins = {p.gtin.zfill(14) for p in masterdata.products(self.ledger)}
        self._expiry: dict[tuple[str, str], str | None] = {}

    def _lot_expiry(self, gtin14: str, lot: str) -> str | None:
        key = (gtin14, lot)
        if key not in self._expiry:
            found = masterdata.lot(self.ledger, gtin14, lot)
            if len(self._expiry) > 10_000:
                self._expiry.clear()
            self._expiry[key] = found.expiry_date if found else None
        return self._expiry[key]

    def allow_once(self, key: str) -> None:
        """The clerk confirmed: record the next scan with this key despite its flag."""
        self._allowed.add(key)

    def _in_window(self, scan: Any) -> bool:
        """A repeat read the recorder will count (a held trigger, a portal): let it."""
        dedup = getattr(self.recorder, "dedup", None)
        if dedup is None:
            return False
        seen = dedup.seen(scan.key)
        return bool(seen and abs((scan.time - seen.first).total_seconds()) < dedup.window)

    def check(self, scan: Any) -> Flag | None:
        if not scan.ok or scan.key in self._allowed or self._in_window(scan):
            return None
        code = scan.gs1
        if code is not None and code.gtin and code.gtin.zfill(14) not in self._gtins:
            return Flag(scan, UNKNOWN_PRODUCT, {"gtin": code.gtin})
        if code is not None and code.gtin:
            expiry = code.expiry_date.isoformat() if code.expiry_date else None
            if expiry is None and code.lot:
                expiry = self._lot_expiry(code.gtin.zfill(14), code.lot)
            today = (self.today or date.today()).isoformat()
            if expiry and expiry < today:
                return Flag(scan, EXPIRED, {"lot": code.lot or "", "expiry": expiry})
        if scan.identity and scan.identity.startswith("urn:epc:id:"):
            seq = self._recorded_here(scan.identity)
            if seq is not None:
                return Flag(scan, ALREADY_RECORDED, {"seq": str(seq)})
        return None

    def _recorded_here(self, identity: str) -> int | None:
        station = self.recorder.station
        with self.ledger._lock:
            row = self.ledger.connection.execute(
                "SELECT e.seq FROM identifiers i JOIN events e ON e.seq = i.seq "
                "WHERE i.id = ? AND e.station = ? AND e.biz_step IS ? AND e.declares_error = 0 "
                "ORDER BY e.seq DESC LIMIT 1",
                (identity, station.name, station.biz_step),
            ).fetchone()
        return int(row[0]) if row else None

    def record(self, scans: Sequence[Any]) -> CheckedResult:
        flagged: list[Flag] = []
        passed: list[Any] = []
        for scan in scans:
            flag = self.check(scan)
            if flag is None:
                self._allowed.discard(scan.key)
                passed.append(scan)
            else:
                flagged.append(flag)
        recorded = self.recorder.record(passed) if passed else None
        return CheckedResult(recorded, tuple(flagged))
