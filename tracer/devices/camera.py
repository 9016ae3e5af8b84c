"""Cameras (and video files) through OpenCV: capture on one thread, decode on another.

`camera://0?backend=zxing&width=1280&height=720`, `camera:///data/line.mp4`,
or just `/data/line.mp4`.

The capture thread only grabs frames and stamps their time; the decode
worker always takes the newest frame and the ones it had no time for are
dropped, never queued, so the picture the operator aims with and the scans
stay current. A video file is read as fast as the decoder goes (no frame is
dropped) unless `realtime=1`, which plays it at its own frame rate like a
camera. A camera that stops delivering frames is reported after `stall`
seconds and reopened with back-off; the end of a video file stops the device.

An optional frame hook (`set_frame_hook`) sees decoded frames with their
symbols for a preview, at most `preview_rate` per second from the decode
worker: frames in between are skipped, never queued for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from tracer.devices.base import (
    DeviceError,
    DeviceState,
    Reader,
    Scan,
    ScanKind,
    barcode_scan,
    now,
)
from tracer.devices.registry import DeviceUri, backoff
from tracer.devices.runtime import Backoff, DeviceThread

if TYPE_CHECKING:  # numpy (~0.25 s) loads with OpenCV when a camera opens, not at start-up
    import numpy as np

FrameHook = Callable[["np.ndarray", list[Any], datetime], None]
"""on_frame(frame BGR, symbols decoded in it (tracer.codes.decode.Symbol), capture time)."""


class Capture(Protocol):
    """The part of cv2.VideoCapture the driver uses (tests pass their own)."""

    def isOpened(self) -> bool: ...
    def read(self) -> tuple[bool, Any]: ...
    def release(self) -> None: ...
    def get(self, prop: int) -> float: ...


class _LatestFrame:
    """A one-frame mailbox: a new frame replaces an undecoded one (counted as dropped)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: tuple[np.ndarray, datetime] | None = None
        self.dropped = 0
        self.last_put = time.monotonic()

    def put(self, frame: np.ndarray, at: datetime, *, wait: bool, stop: threading.Event) -> None:
        with self._cond:
            if wait:
                while self._frame is not None and not stop.is_set():
                    self._cond.wait(0.05)
            elif self._frame is not None:
                self.dropped += 1
            self._frame = (frame, at)
            self.last_put = time.monotonic()
            self._cond.notify_all()

    def take(self, timeout: float) -> tuple[np.ndarray, datetime] | None:
        with self._cond:
            if self._frame is None:
                self._cond.wait(timeout)
            item, self._frame = self._frame, None
            self._cond.notify_all()
            return item

    def empty(self) -> bool:
        with self._cond:
            return self._frame is None


class CameraReader(DeviceThread):
    def __init__(
        self,
        uri: str,
        source: int | str,
        *,
        backend: str = "zxing",
        width: int | None = None,
        height: int | None = None,
        realtime: bool | None = None,
        stall: float = 2.0,
        backoff: Backoff | None = None,
        capture_factory: Callable[[], Capture] | None = None,
        on_frame: FrameHook | None = None,
        preview_rate: float = 10.0,
    ) -> None:
        super().__init__(uri, backoff=backoff)
        from tracer.codes.decode import BACKENDS, Decoder

        if backend not in BACKENDS:
            raise DeviceError(f"{uri}: backend={backend!r}; use {' or '.join(BACKENDS)}")
        self.source = source
        self.is_file = isinstance(source, str)
        self.realtime = (not self.is_file) if realtime is None else realtime
        self.stall = stall
        self.width, self.height = width, height
        self._decoder = Decoder(backend, try_harder=False)  # the next frame is the retry
        self._factory = capture_factory or self._open_cv
        self._slot = _LatestFrame()
        self._capturing = threading.Event()  # set while frames are expected
        self._eof = threading.Event()  # the file has no more frames: finish the last one
        self.frames_read = 0
        self.frames_decoded = 0
        self.frames_previewed = 0
        self._on_frame = on_frame
        self._preview_period = 1.0 / preview_rate if preview_rate > 0 else 0.0
        self._last_preview = -float("inf")

    def set_frame_hook(self, on_frame: FrameHook | None) -> None:
        """Preview hook, called on the decode worker; None removes it. Safe while running."""
        self._on_frame = on_frame

    @property
    def frames_dropped(self) -> int:
        return self._slot.dropped

    def _open_cv(self) -> Capture:
        import cv2

        capture = cv2.VideoCapture(self.source)
        if self.width:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        if self.height:
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        return capture  # type: ignore[no-any-return]

    def _probe(self) -> tuple[DeviceState, str, str]:
        capture = self._factory()
        try:
            ok = capture.isOpened() and capture.read()[0]
        finally:
            capture.release()
        what = f"video {self.source}" if self.is_file else f"camera {self.source}"
        if ok:
            return DeviceState.CONNECTED, f"{what} delivers frames", ""
        return (
            DeviceState.UNUSABLE,
            f"{what} cannot be opened or gives no frame",
            "check the cable or the path",
        )

    # -- the capture thread ----------------------------------------------------

    def _run(self) -> None:
        worker = threading.Thread(target=self._decode_loop, name=f"decode {self.uri}", daemon=True)
        worker.start()
        ended = False
        try:
            ended = self._capture_loop()
        finally:
            self._capturing.clear()
            self._eof.set()
            while worker.is_alive() and not self.stopping:
                worker.join(0.1)  # a file's last frames are decoded before the end is reported
            self._stop.set()
            worker.join(2.0)
        if ended:
            self._set_state(DeviceState.STOPPED, f"end of video {self.source}")

    def _capture_loop(self) -> bool:
        """Open, read, reopen; True when a video file came to its end."""
        lost = False
        what = f"video {self.source}" if self.is_file else f"camera {self.source}"
        while not self.stopping:
            capture = self._factory()
            if not capture.isOpened():
                capture.release()
                if self.is_file:
                    self._set_state(
                        DeviceState.UNUSABLE,
                        f"cannot read {what}",
                        "check the path and that it is a video file",
                    )
                    return False
                self._set_state(
                    DeviceState.RECONNECTING,
                    f"{what} cannot be opened (not connected, or used by another program)",
                    "plug the camera in or close the other program; on Linux the user needs the 'video' group",
                )
                if self._wait(self.backoff.next()):
                    return False
                continue
            self.backoff.reset()
            self._set_state(
                DeviceState.CONNECTED,
                f"{'frames again from' if lost else 'reading'} {what}",
                reconnected=lost,
            )
            try:
                ended = self._read_frames(capture)
            finally:
                capture.release()
            if ended or self.stopping:
                return ended
            lost = True
            self._set_state(
                DeviceState.RECONNECTING,
                f"{what} stopped delivering frames",
                "check the cable; tracer reopens the camera by itself",
            )
            if self._wait(self.backoff.next()):
                return False
        return False

    def _read_frames(self, capture: Capture) -> bool:
        """Read until stopped (False), a live camera fails (False) or a file ends (True)."""
        fps = capture.get(5) if self.is_file and self.realtime else 0.0  # 5 = CAP_PROP_FPS
        period = 1.0 / fps if fps and fps > 0 else 0.0
        next_due = time.monotonic()
        self._capturing.set()
        while not self.stopping:
            ok, frame = capture.read()
            at = now()
            if not ok or frame is None:
                self._capturing.clear()
                return self.is_file
            self.frames_read += 1
            self._slot.put(frame, at, wait=not self.realtime, stop=self._stop)
            if period:
                next_due += period
                delay = next_due - time.monotonic()
                if delay > 0 and self._wait(delay):
                    break
        return False

    # -- the decode worker -----------------------------------------------------

    def _decode_loop(self) -> None:
        stalled = False
        while not self.stopping:
            item = self._slot.take(0.1)
            if item is None:
                if self._eof.is_set():
                    return
                silent = time.monotonic() - self._slot.last_put
                if self._capturing.is_set() and not stalled and silent > self.stall:
                    stalled = True
                    self._set_state(
                        DeviceState.RECONNECTING,
                        f"no frame from the camera for {silent:.0f} s",
                        "check the cable and the light; tracer keeps waiting for frames",
                    )
                continue
            if stalled:
                stalled = False
                self._set_state(DeviceState.CONNECTED, "frames again")
            frame, at = item
            self.frames_decoded += 1
            try:
                symbols = self._decoder.decode(frame)
            except Exception as exc:  # a corrupt frame must not stop the camera
                self._fault(f"could not decode a frame: {exc}")
                continue
            for symbol in symbols:
                self._emit(self._scan(symbol, at))
            self._preview(frame, symbols, at)

    def _preview(self, frame: np.ndarray, symbols: list[Any], at: datetime) -> None:
        """Hand the frame to the hook unless one was handed less than a period ago."""
        hook = self._on_frame
        clock = time.monotonic()
        if hook is None or clock - self._last_preview < self._preview_period:
            return
        self._last_preview = clock
        self.frames_previewed += 1
        try:
            hook(frame, symbols, at)
        except Exception as exc:  # a broken preview must not stop the scans
            self._fault(f"camera preview failed: {exc}")

    def _scan(self, symbol: Any, at: datetime) -> Scan:
        if symbol.gs1 is not None:
            return Scan(
                symbol.text.encode("utf-8"),
                symbol.text,
                ScanKind.BARCODE,
                self.uri,
                at,
                symbol.symbology,
                identity=symbol.gs1.identity(),
                gs1=symbol.gs1,
            )
        return barcode_scan(symbol.text, self.uri, symbology=symbol.symbology, time=at)


def from_uri(uri: DeviceUri) -> Reader:
    path = uri.path
    if not path:
        raise DeviceError(f"{uri.uri}: which camera? e.g. camera://0 or camera:///path/video.mp4")
    source: int | str = int(path) if path.isdigit() else path
    realtime = uri.take("realtime")
    return CameraReader(
        uri.uri,
        source,
        backend=uri.take("backend", "zxing") or "zxing",
        width=uri.integer("width", 0, low=0) or None,
        height=uri.integer("height", 0, low=0) or None,
        realtime=None if realtime is None else realtime not in ("0", "false", "no"),
        stall=uri.number("stall", 2.0, low=0.05),
        backoff=backoff(uri),
    )
