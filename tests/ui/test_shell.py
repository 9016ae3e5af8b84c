"""The app shell: pages, language switch at run time, sign-in, settings per user, operations."""

from __future__ import annotations

import pytest

from tracer.ledger import masterdata
from tracer.ui.main_window import PAGES
from tracer.ui.operations import Cancelled, Operation, OperationRunner, Progress, SyncPool
from tracer.ui.signin import SignInError, check_pin, hash_pin, sign_in


def test_every_page_opens(window) -> None:  # type: ignore[no-untyped-def]
    for key, _target, _icon in PAGES:
        screen = window.show_page(key)
        assert window.stack.currentWidget().layout().itemAt(0).widget() is screen
        assert screen.isVisible()


def test_language_switch_at_run_time(window) -> None:  # type: ignore[no-untyped-def]
    assert window.sidebar.item(0).text() == "Scan station"
    window.set_language("zh_CN")
    assert window.sidebar.item(0).text() == "扫码工位"
    assert window.file_menu.title() == "文件(&F)"
    assert window.session.user_get("language") == "zh_CN"
    window.set_language("en")
    assert window.sidebar.item(0).text() == "Scan station"


def test_pin_is_hashed_and_checked(ui_ledger) -> None:  # type: ignore[no-untyped-def]
    op = sign_in(ui_ledger, "李娜", "4321")
    assert op.pin_hash and "4321" not in op.pin_hash and check_pin(op.pin_hash, "4321")
    stored = {o.name: o for o in masterdata.operators(ui_ledger)}["李娜"]
    assert stored.pin_hash == op.pin_hash
    assert sign_in(ui_ledger, "李娜", "4321").name == "李娜"
    with pytest.raises(SignInError):
        sign_in(ui_ledger, "李娜", "0000")
    with pytest.raises(SignInError):
        sign_in(ui_ledger, "  ", "")
    assert not check_pin(hash_pin("1"), "2")


def test_settings_are_per_user(window) -> None:  # type: ignore[no-untyped-def]
    session = window.session
    session.user_set("columns", "narrow")
    session.sign_in("Other Clerk")
    assert session.user_get("columns") is None
    session.sign_in("Test Clerk")
    assert session.user_get("columns") == "narrow"


def test_operation_progress_result_and_cancel(qapp) -> None:  # type: ignore[no-untyped-def]
    runner = OperationRunner(SyncPool())
    seen: list[tuple[int, int]] = []
    runner.progressed.connect(lambda _op, d, t, _s: seen.append((d, t)))

    def work(p: Progress) -> int:
        p.report(0, 3)
        for _ in range(3):
            p.advance(1)
        return 42

    op = runner.run(Operation("count", work))
    assert op.result == 42 and seen[-1] == (3, 3)

    cancelled: list[Operation] = []
    runner.cancelled.connect(cancelled.append)

    def stops(p: Progress) -> None:
        p.cancel()  # as if the Cancel button was pressed between steps
        p.advance(1)
        raise AssertionError("not reached")

    op2 = runner.run(Operation("stop", stops))
    assert cancelled == [op2] and op2.result is None
    with pytest.raises(Cancelled):
        Progress(lambda *_: None).__class__  # noqa: B018
        p = Progress(lambda *_: None)
        p.cancel()
        p.check()


def test_failed_operation_reports_plain_message(qapp) -> None:  # type: ignore[no-untyped-def]
    from tracer.errors import TracerError

    runner = OperationRunner(SyncPool())
    messages: list[str] = []
    runner.failed.connect(lambda _op, m: messages.append(m))

    def boom(_p: Progress) -> None:
        raise TracerError("disk full")

    runner.run(Operation("x", boom))
    assert messages == ["disk full"]


def test_sign_in_dialog(window) -> None:  # type: ignore[no-untyped-def]
    from tracer.ui.signin import SignInDialog

    ledger = window.session.ledger
    sign_in(ledger, "赵敏", "2468")
    dialog = SignInDialog(ledger, "赵敏")
    dialog.pin.setText("1111")
    dialog._try()
    assert dialog.operator is None and dialog.message.text() == "Wrong PIN."
    dialog.pin.setText("2468")
    dialog._try()
    assert dialog.operator is not None and dialog.operator.name == "赵敏" and dialog.result() == 1


def test_new_demo_ledger_is_built_as_an_operation_then_opened(window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new-demo.sqlite"
    seen: list[tuple[int, int]] = []
    window.session.runner.progressed.connect(lambda _op, d, t, _s: seen.append((d, t)))
    op = window.build_demo(path, 400)
    assert op.result == path and window.session.ledger_path == path
    assert window.session.ledger.count() >= 400 and seen[-1][0] >= 400
    assert "new-demo.sqlite" in window.ledger_label.text()
    screen = window.show_page("ledger")  # screens are rebuilt on the new ledger
    assert screen.model.rowCount() == window.session.ledger.count()


def test_import_epcis_document_and_merge_a_laptop_ledger(window, shared_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from tracer.demo.build import canonical_stamp
    from tracer.ledger import Ledger
    from tracer.quality.inspection import Inspection, record_inspection
    from tracer.quality.sampling import plan

    ledger = window.session.ledger
    before = ledger.count()
    op = window.import_epcis(
        str(shared_data / "epcis" / "JSON" / "Example_9.6.1-ObjectEvent.jsonld")
    )
    assert op.result.added > 0 and ledger.count() == before + op.result.added
    again = window.import_epcis(
        str(shared_data / "epcis" / "JSON" / "Example_9.6.1-ObjectEvent.jsonld")
    )
    assert again.result.added == 0

    laptop = tmp_path / "laptop.sqlite"
    ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(ledger.path, laptop)
    with Ledger.open(laptop) as lap:
        lot = masterdata.lots(lap)[0]
        record_inspection(
            lap,
            Inspection(lot.gtin, lot.lot, plan(200, 1.0), nonconforming=0, operator="inspector"),
            canonical_stamp(),
        )
    count = ledger.count()
    merged = window.merge_ledger(str(laptop))
    assert merged.result.added == 1 and ledger.count() == count + 1
    assert ledger.get(count + 1).event.operator == "inspector"


def test_every_page_without_a_ledger(qapp, qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    from tracer.ui.app import build_window
    from tracer.ui.operations import SyncPool

    w = build_window(qapp, None, settings, pool=SyncPool(), language="en")
    qtbot.addWidget(w)
    w.show()
    for key, _target, _icon in PAGES:
        assert w.show_page(key).isVisible()
    assert w.ledger_label.text() == "No ledger open"
    assert "No ledger is open" in w.screens["ledger"].empty.text()
    w.close()


def test_an_older_ledger_is_upgraded_off_the_ui_thread_then_opened(  # type: ignore[no-untyped-def]
    qapp, qtbot, settings, demo_ledger_path, tmp_path
) -> None:
    import sqlite3

    from tracer.ledger.upgrade import pending_upgrade
    from tracer.ui.app import build_window
    from tracer.ui.operations import SyncPool

    conn = sqlite3.connect(demo_ledger_path, isolation_level=None)
    conn.execute("DROP INDEX events_read_point")
    conn.execute("DROP INDEX events_operator")
    conn.execute("UPDATE schema_versions SET version = 1 WHERE component = 'ledger'")
    conn.close()
    w = build_window(qapp, None, settings, pool=SyncPool(), language="en")
    qtbot.addWidget(w)
    started: list[str] = []
    w.session.runner.started.connect(lambda op: started.append(op.title))
    assert w.open_ledger(demo_ledger_path) is False  # upgrading first
    assert started == ["Upgrading ledger (once)"]
    assert pending_upgrade(demo_ledger_path) == []
    assert w.session.ledger is not None and w.session.ledger.count() > 0
    assert w.ledger_label.text().startswith("Ledger ")
    w.close()
