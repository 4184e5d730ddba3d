"""Staff mode in the kiosk window: the maintenance screen's "transactions needing staff" panel (a suspect settled
by a supervisor, the reversals retried now) and a receipt reprinted (补打) from the records screen."""

from __future__ import annotations

import uuid
from typing import Any

from devices.printer.api import Receipt, ReceiptLine
from kiosk.engine.steps.receipt import receipt_record
from kiosk.journal import Journal

from .test_staff_mode import mode, open_staff_mode, sign_in, staff


def _undelivered(journal: Journal, session: str, flow: str, op: str, amount: int | None, reversible: bool) -> str:
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, flow, op, amount_fen=amount, parties={"account_no": "6222020200112233445"},
                       delivery="card", reversible=reversible)
    for state in ("sent", "approved", "device_failed"):
        journal.txn_move(key, state)
    return key


def _leftovers(journal: Journal) -> tuple[str, str]:
    """An account opened whose card never came out (suspect), a payment's reversal waiting (not yet due)."""
    session = journal.open_session("account_opening", "K0001", "B0101", "zh_CN", False)
    suspect = _undelivered(journal, session, "account_opening", "accounts.open", None, reversible=False)
    journal.txn_move(suspect, "suspect", {"reason": "card jammed", "staff": "called"})
    waiting = _undelivered(journal, session, "si_payment", "si.pay", 38000, reversible=True)
    journal.queue_reversal(waiting, uuid.uuid4().hex, "document not printed")
    journal.reversal_failed(waiting, "HostUnavailable", "2026-11-28T11:00:00.000")
    journal.close_session(session, "device_fault")
    return suspect, waiting


def staff_names(ui: Any) -> list[str]:
    return [e.name for e in ui.kiosk.services.journal.entries_on(ui.kiosk.services.clock.now().date(), "staff")]


def test_a_supervisor_settles_a_suspect_and_retries_the_reversals(ui: Any) -> None:
    ui.wait_step("home")
    journal = ui.kiosk.services.journal
    suspect, waiting = _leftovers(journal)
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    tile = ui.button("staff-tile-maintenance", mode(ui))
    assert "1笔可疑交易待处理，1笔等待冲正" in tile.text()
    assert tile.property("alert") == "true"
    ui.click("staff-tile-maintenance", mode(ui))
    panel = mode(ui).screens["maintenance"].attention
    assert [panel.suspects.cell(0, c) for c in (1, 2, 3, 5, 6)] == [
        "个人开户并领卡", "accounts.open", "622202*********3445", "不可冲正", "待处理"]
    assert [panel.reversals.cell(0, c) for c in (1, 4, 5, 6)] == ["社保缴费", "380.00", "1", "11-28 11:00:00"]
    assert panel.recovery_title.text() == "上次启动恢复（2026-11-28 10:00:00）"
    ui.click("staff-settle_reason-confirmed_with_customer", mode(ui))
    ui.click(f"staff-settled-{suspect[:8]}", mode(ui))
    entry = journal.entries_on(ui.kiosk.services.clock.now().date(), "staff")[-1]
    assert (entry.name, entry.detail["staff"], entry.detail["key"], entry.detail["reason"]) == (
        "txn_settled", "S1001", suspect, "confirmed_with_customer")
    ui.wait_until(lambda: panel.suspects.cell(0, 6).startswith("已由S1001于11-28 10:00处理"))
    assert journal.transaction(suspect).state == "suspect"
    assert not panel.reason_row.isVisible()  # the reasons are offered while a suspect is open
    ui.click("staff-retry-reversals", mode(ui))
    ui.wait_until(lambda: "reversals_retried" in staff_names(ui))
    ui.wait_until(lambda: not staff(ui).desk.attention.retrying)
    record = journal.reversal(waiting)
    assert record.attempts == 2 or record.state != "pending"  # sent now, whatever the host answered
    ui.click("staff-close", mode(ui))


def test_maintenance_staff_see_the_panel_without_its_buttons(ui: Any) -> None:
    ui.wait_step("home")
    _leftovers(ui.kiosk.services.journal)
    open_staff_mode(ui)
    sign_in(ui, "M2001")
    ui.click("staff-tile-maintenance", mode(ui))
    panel = mode(ui).screens["maintenance"].attention
    assert panel.suspects.cell(0, 5) == "不可冲正"
    assert not panel.retry.isVisible()
    assert not panel.reason_row.isVisible()
    assert panel.supervisors_only.isVisible()
    ui.click("staff-close", mode(ui))


def test_a_receipt_is_reprinted_from_the_records_screen(ui: Any) -> None:
    ui.wait_step("home")
    journal = ui.kiosk.services.journal
    session = journal.open_session("loss_report", "K0001", "B0101", "zh_CN", False)
    receipt = Receipt(title="银行卡挂失回单", lines=[ReceiptLine("卡号", "622848*********0018")], reference="LOSS-1",
                      header=["示范银行"], footer=["请妥善保管"])
    seq = journal.record(session, "receipt", "issued", receipt_record(receipt))
    journal.close_session(session, "completed")
    spool = ui.kiosk.data_dir / "spool"
    before = len(list(spool.rglob("*.png")))
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    ui.click("staff-tile-journal", mode(ui))
    ui.click(f"staff-reprint-{session[:8]}", mode(ui))
    ui.wait_until(lambda: "receipt_reprinted" in staff_names(ui))
    ui.wait_until(lambda: len(list(spool.rglob("*.png"))) == before + 1)
    entry = journal.entries(session)[-1]
    assert (entry.name, entry.detail["entry"], entry.detail["staff"]) == ("receipt_reprinted", seq, "S1001")
    ui.wait_until(lambda: mode(ui).notice_text.text() == "凭条已补打（LOSS-1）。")
    ui.click("staff-close", mode(ui))


def test_staff_check_the_journal_chain_from_the_panel(ui: Any) -> None:
    ui.wait_step("home")
    open_staff_mode(ui)
    sign_in(ui, "M2001")  # maintenance staff read the journal: they may check its chain
    ui.click("staff-tile-maintenance", mode(ui))
    panel = mode(ui).screens["maintenance"].attention
    assert panel.verify.isVisible()
    assert panel.verification.text() == "日志链尚未校验"
    ui.click("staff-verify-journal", mode(ui))
    assert not panel.verify.isEnabled()  # checking: a second press cannot start another
    ui.wait_until(lambda: not staff(ui).desk.attention.verifying)
    entry = ui.kiosk.services.journal.entries_named("staff", "journal_verified")[-1]
    checked, head = entry.detail["entries_checked"], entry.detail["head"]
    ui.wait_until(lambda: panel.verification.text()
                  == f"上次校验日志链：2026-11-28 10:00:00，M2001，完好（{checked} 条，链头 {head}）")
    assert panel.verification.property("state") == "ok"
    assert panel.verify.isEnabled()
    assert mode(ui).notice_text.text() == f"日志链完好：共 {checked} 条，链头 {head}"
    ui.click("staff-close", mode(ui))
