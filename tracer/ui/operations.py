"""Long work off the UI thread: small operation objects, a runner, and a progress strip.

An `Operation` wraps one core call (build a demo ledger, import a sheet, write
a report, merge a ledger). It runs on a QThreadPool, reports progress through
a `Progress` it is handed, checks `progress.cancelled` between steps, and
returns a value saying what changed; the window updates from that value, on
the UI thread, and never freezes. Tests swap the pool for `SyncPool`, which
runs the work at once on the calling thread (the Picard pattern), so a test
drives an import end to end without sleeping.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tracer.errors import TracerError
from tracer.ui.qt import (
    QHBoxLayout,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    QRunnable,
    QThreadPool,
    QWidget,
    Signal,
)


class Cancelled(Exception):
    """Raised inside an operation when the user pressed Cancel."""


class Progress:
    """What an operation sees: report how far it is, learn whether to stop."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        """Stop here if the user cancelled (call between steps)."""
        if self._cancel.is_set():
            raise Cancelled

    def report(self, done: int, total: int | None = None, text: str = "") -> None:
        self.done = done
        if total is not None:
            self.total = total
        self._emit(self.done, self.total, text)

    def advance(self, n: int) -> None:
        self.report(self.done + n)
        self.check()


@dataclass
class Operation:
    """One piece of long work: a title for the strip, and the function that does it."""

    title: str
    work: Callable[[Progress], Any]
    on_done: Callable[[Any], Any] | None = None
    on_error: Callable[[str], None] | None = None
    result: Any = field(default=None, init=False)


class Pool(Protocol):
    def start(self, runnable: QRunnable) -> None: ...


class SyncPool:
    """Runs each runnable immediately on the caller's thread: deterministic tests."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Job(QRunnable):
    def __init__(self, op: Operation, signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.op = op
        self.signals = signals
        self.progress = progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.op.work(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except TracerError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: show it, keep the window alive
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(result)


class OperationRunner(QObject):
    """Starts operations on a pool and relays their progress to the UI thread."""

    started = Signal(object)  # Operation
    progressed = Signal(object, int, int, str)
    finished = Signal(object)  # Operation (with .result)
    failed = Signal(object, str)
    cancelled = Signal(object)

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool: Pool = pool or QThreadPool.globalInstance()
        self._running: dict[int, tuple[Operation, Progress, _Signals]] = {}

    @property
    def running(self) -> list[Operation]:
        return [op for op, _, _ in self._running.values()]

    def run(self, op: Operation) -> Operation:
        signals = _Signals()
        progress = Progress(signals.progress.emit)
        key = id(op)
        self._running[key] = (op, progress, signals)
        signals.progress.connect(lambda d, t, s: self.progressed.emit(op, d, t, s))
        signals.finished.connect(lambda r: self._finish(key, op, r))
        signals.failed.connect(lambda m: self._fail(key, op, m))
        signals.cancelled.connect(lambda: self._cancelled(key, op))
        self.started.emit(op)
        self.pool.start(_Job(op, signals, progress))
        return op

    def cancel(self, op: Operation) -> None:
        entry = self._running.get(id(op))
        if entry:
            entry[1].cancel()

    def cancel_all(self) -> None:
        for _, progress, _ in self._running.values():
            progress.cancel()

    def _finish(self, key: int, op: Operation, result: Any) -> None:
        self._running.pop(key, None)
        op.result = result
        if op.on_done:
            op.on_done(result)
        self.finished.emit(op)

    def _fail(self, key: int, op: Operation, message: str) -> None:
        self._running.pop(key, None)
        if op.on_error:
            op.on_error(message)
        self.failed.emit(op, message)

    def _cancelled(self, key: int, op: Operation) -> None:
        self._running.pop(key, None)
        self.cancelled.emit(op)


class OperationStrip(QWidget):
    """Status-bar strip: what is running, a progress bar and a Cancel button."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._current: Operation | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        runner.started.connect(self._started)
        runner.progressed.connect(self._progressed)
        for sig in (runner.finished, runner.cancelled):
            sig.connect(self._ended)
        runner.failed.connect(lambda op, _msg: self._ended(op))
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: Any) -> None:
        from tracer.ui.qt import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _started(self, op: Operation) -> None:
        self._current = op
        self.label.setText(op.title)
        self.bar.setRange(0, 0)  # busy until the first report
        self.show()

    def _progressed(self, op: Operation, done: int, total: int, text: str) -> None:
        if op is not self._current:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if text:
            self.label.setText(f"{op.title} — {text}")

    def _ended(self, op: Operation) -> None:
        if op is self._current:
            self._current = None
            running = self.runner.running
            if running:
                self._started(running[-1])
            else:
                self.hide()

    def _cancel(self) -> None:
        if self._current is not None:
            self.runner.cancel(self._current)
