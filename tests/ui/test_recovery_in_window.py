"""Recovery before service on screen: 暂停服务 with the recovery's words while the last run's leftovers are
resolved, then the home screen (kiosk/engine/recovery.py, Engine.start_recovery)."""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.core.i18n import text
from kiosk.engine.screens import ScreenKind
from kiosk.journal.records import TxnState


def test_the_window_shows_out_of_service_while_recovery_resolves_then_home(ui: Any) -> None:
    journal = ui.kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex  # the kiosk "died" after sending: recovery must ask the host
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=150800, reversible=True)
    journal.txn_move(key, TxnState.SENT)
    ui.qa.host_fault("operations.status", "delay", times=1, delay_s=1.5)

    assert ui.engine.start_recovery()

    ui.wait_until(lambda: ui.model.kind is ScreenKind.OUT_OF_SERVICE)
    assert ui.model.title == text("zh_CN", "home.out_of_service.title")
    assert ui.model.prompt == text("zh_CN", "recovery.prompt")
    ui.check_words()
    assert not any(b.isVisible() for b in ui.visible_choices())  # nothing to start while it recovers
    ui.wait_until(lambda: ui.model.kind is ScreenKind.HOME, timeout_ms=20_000)
    assert journal.transaction(key).state is TxnState.DECLINED  # the host never posted it
    assert journal.session(session).outcome == "abandoned"
    assert [e.name for e in journal.entries_on(ui.kiosk.services.clock.now().date(), "system")].count("recovery") >= 1


def test_nothing_left_means_no_out_of_service_screen(ui: Any) -> None:
    assert not ui.engine.start_recovery()
    assert ui.model.kind is ScreenKind.HOME
