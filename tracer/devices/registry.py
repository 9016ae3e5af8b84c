"""Devices are named by URI; the scheme picks the driver.

    wedge:                                   keyboard-wedge scanner (fed by the UI)
    serial:///dev/ttyACM0?baud=9600&suffix=CR
    rdm6300:///dev/ttyUSB0                   125 kHz EM4100 card reader
    uhf-chafon:///dev/ttyUSB0?power=26&antenna=1
    llrp://192.168.1.50[:5084]               network UHF reader (LLRP, via sllurp)
    camera://0?backend=zxing                 a camera by index, or camera:///path/video.mp4
    /path/video.mp4                          a video file, as a camera

Drivers are imported only when used, so opening a serial scanner never
loads OpenCV or sllurp.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from tracer.devices.base import DeviceError, Reader
from tracer.devices.runtime import Backoff
from tracer.devices.serial_link import SerialSettings

# scheme → "module:factory"; every factory takes a DeviceUri and returns a Reader.
DRIVERS: dict[str, str] = {
    "wedge": "tracer.devices.wedge:from_uri",
    "serial": "tracer.devices.registry:serial_scanner",
    "rdm6300": "tracer.devices.registry:rdm6300",
    "uhf-chafon": "tracer.devices.uhf_chafon:from_uri",
    "llrp": "tracer.devices.llrp:from_uri",
    "camera": "tracer.devices.camera:from_uri",
}
VIDEO_SUFFIXES = {".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mjpeg"}


@dataclass
class DeviceUri:
    uri: str
    scheme: str
    path: str = ""
    host: str | None = None
    port: int | None = None
    params: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set, repr=False, compare=False)

    def take(self, name: str, default: str | None = None) -> str | None:
        """A parameter, marked as understood (see `check_used`)."""
        self.used.add(name)
        return self.params.get(name, default)

    def number(
        self, name: str, default: float, *, low: float | None = None, high: float | None = None
    ) -> float:
        value = self.take(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            raise DeviceError(f"{self.uri}: {name}={value!r} is not a number") from None
        if (low is not None and number < low) or (high is not None and number > high):
            raise DeviceError(f"{self.uri}: {name}={value} is outside {low}…{high}")
        return number

    def integer(
        self, name: str, default: int, *, low: int | None = None, high: int | None = None
    ) -> int:
        number = self.number(name, default, low=low, high=high)
        if not float(number).is_integer():
            raise DeviceError(f"{self.uri}: {name} must be a whole number")
        return int(number)

    def check_used(self) -> None:
        """Refuse parameters no driver read: a typo must not be silently ignored."""
        unknown = sorted(set(self.params) - self.used)
        if unknown:
            raise DeviceError(f"{self.uri}: unknown parameter(s) {', '.join(unknown)}")


def parse_uri(uri: str) -> DeviceUri:
    text = uri.strip()
    if not text:
        raise DeviceError("empty device URI")
    if ":" not in text.split("/", 1)[0] or _windows_path(text):
        if Path(text).suffix.lower() in VIDEO_SUFFIXES:
            return DeviceUri(text, "camera", path=text)
        raise DeviceError(
            f"{uri!r} is not a device URI; try {', '.join(f'{s}:…' for s in DRIVERS)}"
        )
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DRIVERS:
        raise DeviceError(f"unknown device type {scheme!r}; known: {', '.join(sorted(DRIVERS))}")
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    path = parts.path
    if parts.netloc and scheme in ("serial", "rdm6300", "uhf-chafon", "camera"):
        path = parts.netloc + path  # serial://COM3, camera://0
    if len(path) > 2 and path[0] == "/" and path[2:3] == ":":  # serial:///C:/… is not a port
        path = path[1:]
    if path.startswith("/") and path[1:].upper().startswith("COM") and path[4:].isdigit():
        path = path[1:]  # serial:///COM3
    try:
        port = parts.port
    except ValueError:
        raise DeviceError(f"{uri}: the port is not a number") from None
    return DeviceUri(text, scheme, path=path, host=parts.hostname, port=port, params=params)


def _windows_path(text: str) -> bool:
    return len(text) > 2 and text[1] == ":" and text[2] in "\\/"


def open_reader(uri: str) -> Reader:
    """The driver for a device URI, configured and not yet started."""
    parsed = parse_uri(uri)
    module_name, attr = DRIVERS[parsed.scheme].split(":")
    factory: Callable[[DeviceUri], Reader] = getattr(importlib.import_module(module_name), attr)
    reader = factory(parsed)
    parsed.check_used()
    return reader


# -- the small serial drivers are configured here ------------------------------------


def serial_settings(uri: DeviceUri, *, baud: int) -> SerialSettings:
    if not uri.path:
        raise DeviceError(f"{uri.uri}: no serial port; e.g. {uri.scheme}:///dev/ttyUSB0")
    return SerialSettings(
        port=uri.path,
        baudrate=uri.integer("baud", baud, low=50),
        parity=(uri.take("parity", "N") or "N").upper(),
        bytesize=uri.integer("databits", 8, low=5, high=8),
        stopbits=uri.number("stopbits", 1, low=1, high=2),
        frame_timeout=uri.number("timeout", 0.2, low=0.001),
    )


def backoff(uri: DeviceUri) -> Backoff:
    """?retry=SECONDS caps the wait between reconnection attempts."""
    limit = uri.number("retry", 5.0, low=0.01)
    return Backoff(first=min(0.1, limit), limit=limit)


def serial_scanner(uri: DeviceUri) -> Reader:
    from tracer.devices.framing import suffix_bytes
    from tracer.devices.serial_scanner import SerialScanner

    prefix = uri.take("prefix", "") or ""
    prefix_bytes = {"STX": b"\x02", "": b""}.get(prefix.upper(), prefix.encode())
    return SerialScanner(
        uri.uri,
        serial_settings(uri, baud=9600),
        suffix=suffix_bytes(uri.take("suffix", "CR") or "CR"),
        prefix=prefix_bytes,
        backoff=backoff(uri),
    )


def rdm6300(uri: DeviceUri) -> Reader:
    from tracer.devices.rdm6300 import Rdm6300Reader

    return Rdm6300Reader(uri.uri, serial_settings(uri, baud=9600), backoff=backoff(uri))
