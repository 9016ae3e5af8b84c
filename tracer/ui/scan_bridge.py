"""The one bridge from devices to the window: device threads → ScanQueue → Qt signals.

Every reader (serial scanner, RFID reader, camera, and the keyboard wedge fed
by `WedgeFilter`) puts its scans and statuses on one `ScanQueue`. One writer
thread drains it: while the scan station records, scans go through the
station's `CheckedRecorder` (durable before they are acknowledged); while a
screen such as Inspection or Trace wants scans for itself, they are handed to
it instead and nothing is recorded. Results cross to the UI thread as
signals, here and nowhere else.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from tracer.devices import DeviceStatus, Reader, Scan
from tracer.devices.camera import CameraReader
from tracer.devices.recorder import ScanWriter
from tracer.devices.registry import parse_uri
from tracer.devices.scan_queue import ScanQueue
from tracer.devices.wedge import WedgeReader, from_uri
from tracer.quality.scan_checks import CheckedRecorder, CheckedResult
from tracer.ui.preview_frame import preview_frame
from tracer.ui.qt import QObject, Signal, Slot

WEDGE_URI = "wedge:"


class _Route:
    """What the writer thread does with a batch: record it, or hand it to a screen."""

    def __init__(self, bridge: ScanBridge) -> None:
        self.bridge = bridge
        self.ledger = None
        self.station = None

    def record(self, scans: Sequence[Scan]) -> CheckedResult:
        bridge = self.bridge
        for scan in scans:
            bridge.scanned.emit(scan)
        if bridge.capturing or bridge.recorder is None:
            if bridge.capturing:
                for scan in scans:
                    bridge.captured.emit(scan)
            return CheckedResult(None, ())
        return bridge.recorder.record(scans)


class ScanBridge(QObject):
    scanned = Signal(object)  # every Scan, as consumed (device screen's "last frame")
    captured = Signal(object)  # a Scan for the screen that asked for scans
    result = Signal(object)  # CheckedResult of a recorded batch (durable)
    status = Signal(object)  # DeviceStatus
    error = Signal(str)  # a batch could not be written
    frame = Signal(object)  # PreviewFrame from a camera's decode worker (one in flight at most)
    readers_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.readers: dict[str, Reader] = {}
        self.recorder: CheckedRecorder | None = None
        self._capture = threading.Event()
        self._frame_pending = threading.Event()
        self.frames_skipped = 0
        self.frame.connect(self._frame_drawn)  # queued to the UI thread: one frame waits there
        self._queue = ScanQueue()
        self._writer = self._start_writer(self._queue)

    # -- the writer -------------------------------------------------------------

    def _start_writer(self, queue: ScanQueue) -> ScanWriter:
        writer = ScanWriter(
            _Route(self),  # type: ignore[arg-type]
            queue,
            on_result=self._on_result,
            on_status=self.status.emit,
            on_error=lambda scans, exc: self.error.emit(str(exc)),
        )
        writer.start()
        return writer

    def _on_result(self, result: Any) -> None:
        if isinstance(result, CheckedResult) and (result.recorded is not None or result.flagged):
            self.result.emit(result)

    @property
    def capturing(self) -> bool:
        return self._capture.is_set()

    def set_capture(self, on: bool) -> None:
        """On: scans go to `captured` (a screen uses them), nothing is recorded."""
        if on:
            self._capture.set()
        else:
            self._capture.clear()

    def set_recorder(self, recorder: CheckedRecorder | None) -> None:
        """Record with this station from now on (None: record nothing)."""
        self.recorder = recorder

    def put(self, item: Scan | DeviceStatus) -> None:
        """Thread-safe: what every reader's callbacks are."""
        self._queue.put(item)

    # -- readers ----------------------------------------------------------------

    def attach(self, reader: Reader) -> None:
        self.readers[reader.uri] = reader
        if isinstance(reader, CameraReader):
            reader.set_frame_hook(partial(self._on_frame, reader.uri))
        reader.start(self.put, self.put)
        self.readers_changed.emit()

    def detach(self, uri: str) -> None:
        reader = self.readers.pop(uri, None)
        if reader is not None:
            reader.stop()
            self.put(reader.status())
            self.readers_changed.emit()

    def cameras(self) -> list[str]:
        return [uri for uri, r in self.readers.items() if isinstance(r, CameraReader)]

    @Slot(object)
    def _frame_drawn(self, _frame: Any) -> None:
        self._frame_pending.clear()

    def _on_frame(self, uri: str, frame: Any, symbols: list[Any], at: datetime) -> None:
        """On a camera's decode worker: skip while the last frame is not drawn yet."""
        if self._frame_pending.is_set():
            self.frames_skipped += 1
            return
        self._frame_pending.set()
        self.frame.emit(preview_frame(frame, symbols, at, uri))

    def wedge(self) -> WedgeReader:
        reader = self.readers.get(WEDGE_URI)
        if not isinstance(reader, WedgeReader):
            reader = from_uri(parse_uri(WEDGE_URI))  # type: ignore[assignment]
            self.attach(reader)  # type: ignore[arg-type]
        return reader  # type: ignore[return-value]

    def shutdown(self) -> None:
        for uri in list(self.readers):
            reader = self.readers.pop(uri)
            reader.stop()
        self._writer.stop()
