"""The Qt binding itself: PySide6 6.12.0 drops a reference to True on every slot call,
and the interpreter aborts (bool_dealloc) once True's count reaches zero. pyproject
excludes that release; this test catches a binding with the same bug."""

from __future__ import annotations

import gc
import sys


def test_signal_emits_do_not_eat_references_to_true(qapp) -> None:  # type: ignore[no-untyped-def]
    from tracer.ui.qt import QObject, Signal

    class Emitter(QObject):
        fired = Signal(object)

    e = Emitter()
    got: list[object] = []
    e.fired.connect(got.append)
    gc.collect()
    before = sys.getrefcount(True)
    for i in range(200):
        e.fired.emit(i)
    gc.collect()
    assert len(got) == 200
    assert sys.getrefcount(True) - before > -50, (
        "this PySide6 release corrupts refcounts: use another"
    )
