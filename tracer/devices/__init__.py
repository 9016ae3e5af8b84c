"""Scanners, card and tag readers, cameras: each a driver thread that hands `Scan`s to a callback.

No Qt here: the UI bridges a `ScanQueue` to a signal. Open a device by URI
with `open_reader("serial:///dev/ttyUSB0?suffix=CR")`; see `registry` for
the schemes and docs/devices.md for the whole picture.
"""

from tracer.devices.base import (
    DeviceError,
    DeviceState,
    DeviceStatus,
    Reader,
    Scan,
    ScanKind,
)
from tracer.devices.registry import DRIVERS, open_reader, parse_uri

__all__ = [
    "DRIVERS",
    "DeviceError",
    "DeviceState",
    "DeviceStatus",
    "Reader",
    "Scan",
    "ScanKind",
    "open_reader",
    "parse_uri",
]
