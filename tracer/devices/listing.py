"""What is plugged in: serial ports (with a guess of the driver) and cameras.

The guess comes from the USB vendor:product id. Most cheap readers sit
behind a generic USB-serial bridge (CH340, CP210x, FTDI, PL2303), which
says nothing about what is wired to it, so the guess lists the candidates;
scanner makers' own ids point to the serial scanner driver.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import asdict, dataclass
from typing import Any

BRIDGES = "rdm6300, uhf-chafon or serial (a USB-serial bridge: check what is wired to it)"
# (vid, pid or None for any product of the vendor) → (chip / maker, driver guess)
KNOWN_USB: dict[tuple[str, str | None], tuple[str, str]] = {
    ("1a86", "7523"): ("CH340", BRIDGES),
    ("1a86", "55d4"): ("CH9102", BRIDGES),
    ("10c4", "ea60"): ("CP210x", BRIDGES),
    ("0403", "6001"): ("FTDI FT232R", BRIDGES),
    ("0403", "6015"): ("FTDI FT231X", BRIDGES),
    ("067b", "2303"): ("PL2303", BRIDGES),
    ("0c2e", None): ("Honeywell / Metrologic scanner", "serial"),
    ("05e0", None): ("Zebra / Symbol scanner", "serial"),
    ("05f9", None): ("Datalogic scanner", "serial"),
    ("1eab", None): ("Newland scanner", "serial"),
    ("2dd6", None): ("Sunmi / Zebex scanner", "serial"),
}


@dataclass(frozen=True)
class SerialPortInfo:
    port: str
    description: str
    vid_pid: str | None
    manufacturer: str | None
    serial_number: str | None
    chip: str | None
    guess: str | None

    def uri_hint(self) -> str:
        scheme = (self.guess or "serial").split(",")[0].split(" ")[0]
        return (
            f"{scheme}://{self.port}" if self.port.startswith("/") else f"{scheme}:///{self.port}"
        )

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "uri": self.uri_hint()}


@dataclass(frozen=True)
class CameraInfo:
    index: int
    width: int
    height: int

    @property
    def uri(self) -> str:
        return f"camera://{self.index}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "uri": self.uri}


def guess(vid: int | None, pid: int | None) -> tuple[str | None, str | None]:
    if vid is None:
        return None, None
    v, p = f"{vid:04x}", f"{pid or 0:04x}"
    return KNOWN_USB.get((v, p)) or KNOWN_USB.get((v, None)) or (None, None)


def serial_ports() -> list[SerialPortInfo]:
    from serial.tools import list_ports

    out = []
    for info in sorted(list_ports.comports(), key=lambda i: i.device):
        chip, driver = guess(info.vid, info.pid)
        vid_pid = (
            f"{info.vid:04x}:{info.pid:04x}"
            if info.vid is not None and info.pid is not None
            else None
        )
        out.append(
            SerialPortInfo(
                port=info.device,
                description=info.description or "",
                vid_pid=vid_pid,
                manufacturer=info.manufacturer,
                serial_number=info.serial_number,
                chip=chip,
                guess=driver,
            )
        )
    return out


def cameras(indexes: range = range(4)) -> list[CameraInfo]:
    """Cameras that open and deliver a frame; on Linux only existing /dev/videoN are tried."""
    import cv2

    with contextlib.suppress(Exception):
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    found = []
    for index in indexes:
        if sys.platform.startswith("linux") and not os.path.exists(f"/dev/video{index}"):
            continue
        capture = cv2.VideoCapture(index)
        try:
            ok, frame = capture.read() if capture.isOpened() else (False, None)
            if ok and frame is not None:
                found.append(CameraInfo(index, int(frame.shape[1]), int(frame.shape[0])))
        finally:
            capture.release()
    return found
