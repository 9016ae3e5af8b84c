"""What every driver shares: the `Scan` it produces, the status it reports, its interface.

A driver runs its own thread and hands each `Scan` to a callback the moment
the bytes are complete, stamping the read time there (not when the ledger
gets round to it). A device that is present but cannot be used (no
permission, wrong baud rate, unplugged) is not an exception: it is a
`DeviceStatus` the station shows, with the reason and what to do about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tracer.errors import CodeError, TracerError

if TYPE_CHECKING:  # tracer.codes loads biip (~0.15 s): a station imports it on its first scan
    from tracer.codes import EpcTag, GS1Code

UDEV_RULES = "packaging/linux/99-tracer-readers.rules"


class DeviceError(TracerError):
    """A device URI or setting that cannot work as given (unknown scheme, bad parameter)."""


class ScanKind(StrEnum):
    BARCODE = "barcode"  # a 1D/2D symbol from a scanner or a camera
    EPC = "epc"  # the EPC bank of a UHF Gen2 tag
    EM4100 = "em4100"  # a 125 kHz read-only card or fob


def now() -> datetime:
    """Local, timezone-aware wall time: events keep the station's UTC offset."""
    return datetime.now().astimezone()


@dataclass(frozen=True, slots=True)
class Scan:
    """One decoded code from one device at one instant."""

    raw: bytes  # the frame payload exactly as the device sent it
    text: str  # the data as text: barcode data, EPC hex, card hex
    kind: ScanKind
    device: str  # the device URI
    time: datetime  # aware; when the last byte of the frame arrived
    symbology: str | None = None  # EAN13, GS1-128, ]C1 …, or the tag type
    identity: str | None = None  # EPC URI or EPC class URI; None when rejected
    error: str | None = None  # why the code cannot be recorded (malformed, bad check digit …)
    gs1: GS1Code | None = field(default=None, repr=False)
    epc: EpcTag | None = field(default=None, repr=False)
    antenna: int | None = None
    rssi: float | None = None
    read_count: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None and self.identity is not None

    @property
    def key(self) -> str:
        """What de-duplication compares: the identity, else the raw text."""
        return self.identity or self.text

    def merged(self, other: Scan) -> Scan:
        """This scan having also been seen as `other`: counts add up, best RSSI kept."""
        rssi = self.rssi
        if other.rssi is not None and (rssi is None or other.rssi > rssi):
            rssi = other.rssi
        return replace(self, read_count=self.read_count + other.read_count, rssi=rssi)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "symbology": self.symbology,
            "identity": self.identity,
            "error": self.error,
            "device": self.device,
            "time": self.time.isoformat(timespec="milliseconds"),
            "antenna": self.antenna,
            "rssi": self.rssi,
            "read_count": self.read_count,
        }


def barcode_scan(
    text: str,
    device: str,
    *,
    raw: bytes | None = None,
    symbology: str | None = None,
    time: datetime | None = None,
) -> Scan:
    """A barcode scan with its GS1 identity, or with the reason it has none."""
    from tracer.codes import CodeError, parse_code

    raw_bytes = raw if raw is not None else text.encode("latin-1", "replace")
    try:
        code = parse_code(text)
    except CodeError as exc:
        return Scan(
            raw_bytes, text, ScanKind.BARCODE, device, time or now(), symbology, error=str(exc)
        )
    return Scan(
        raw_bytes,
        text,
        ScanKind.BARCODE,
        device,
        time or now(),
        symbology or code.symbology_id,
        identity=code.identity(),
        gs1=code,
    )


class EpcDecoder:
    """decode_epc with a memory: a portal reads the same few hundred tags thousands of times."""

    def __init__(self, size: int = 8192) -> None:
        self._cache: dict[str, EpcTag | str] = {}
        self._size = size
        self._decode_epc: Callable[[str], EpcTag] | None = None

    def load(self) -> Callable[[str], EpcTag]:
        """Import the EPC decoder (epcpy: ~0.25 s) now, e.g. on a reader's thread before it polls.

        Looked up once: through the package's lazy __getattr__ it cost ~25 µs
        per new tag of a portal's first burst, and the import itself would
        otherwise land on the first tag read.
        """
        if self._decode_epc is None:
            from tracer.codes.epc import decode_epc_hex

            self._decode_epc = decode_epc_hex
        return self._decode_epc

    def decode(self, hex_value: str) -> EpcTag | str:
        """The tag, or the reason the bytes are not an EPC (`hex_value`: `bytes.hex().upper()`)."""
        found = self._cache.get(hex_value)
        if found is None:
            decode_epc = self._decode_epc or self.load()
            try:
                found = decode_epc(hex_value)
            except CodeError as exc:
                found = str(exc)
            if len(self._cache) >= self._size:
                self._cache.clear()
            self._cache[hex_value] = found
        return found

    def scan(
        self,
        epc: bytes,
        device: str,
        time: datetime,
        *,
        antenna: int | None = None,
        rssi: float | None = None,
        read_count: int = 1,
    ) -> Scan:
        hex_value = epc.hex().upper()
        if not epc:
            decoded: EpcTag | str = "the tag answered with an empty EPC bank"
        else:
            decoded = self.decode(hex_value)
        if isinstance(decoded, str):
            return Scan(epc, hex_value, ScanKind.EPC, device, time, "EPC Gen2", error=decoded,
                        antenna=antenna, rssi=rssi, read_count=read_count)  # fmt: skip
        return Scan(
            epc,
            hex_value,
            ScanKind.EPC,
            device,
            time,
            decoded.scheme,
            identity=decoded.uri,
            epc=decoded,
            antenna=antenna,
            rssi=rssi,
            read_count=read_count,
        )


class DeviceState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # was there, is gone or failing; retrying with back-off
    UNUSABLE = "unusable"  # found but cannot be used as configured; still retrying
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """What a station shows next to a device: state, why, and what the user can do."""

    device: str
    state: DeviceState
    message: str = ""
    fix: str = ""
    time: datetime = field(default_factory=now)
    frames: int = 0  # good frames since start
    faults: int = 0  # garbage runs, half frames, bad checksums since start
    reconnects: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "state": self.state.value,
            "message": self.message,
            "fix": self.fix,
            "time": self.time.isoformat(timespec="milliseconds"),
            "frames": self.frames,
            "faults": self.faults,
            "reconnects": self.reconnects,
        }


ScanCallback = Callable[[Scan], None]
StatusCallback = Callable[[DeviceStatus], None]


@runtime_checkable
class Reader(Protocol):
    """The one driver interface: the UI, `tracer listen` and the tests use only this."""

    uri: str

    def open(self) -> DeviceStatus:
        """Try the device now, without reading from it: found, missing, or unusable and why.

        Never raises for a device problem (that is the status); `start` opens
        it again on the device thread and keeps it open."""

    def start(self, on_scan: ScanCallback, on_status: StatusCallback | None = None) -> None:
        """Start the device thread; scans and status changes arrive on that thread."""

    def stop(self, timeout: float = 2.0) -> None:
        """Stop reading and release the device; safe to call twice."""

    def status(self) -> DeviceStatus: ...
