"""定期存款 clicked through in the real window (offscreen): the amount on the keypad, each term with its rate
and interest, the rollover, the interest and maturity on the confirmation, the PIN on the PIN pad, and the
certificate of deposit number on the result and the receipt."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind


def test_time_deposit_opened_for_one_year(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-time_deposit_open")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("amount")
    assert ui.model.kind is ScreenKind.FORM
    ui.type_on_keypad("30")
    ui.click("btn-submit")
    ui.wait_until(lambda: ui.model.error == "定期存款50元起存，请重新输入。")
    ui.click("key-clear")  # "clear all", beside the field
    ui.type_on_keypad("3000")
    ui.click("btn-submit")
    ui.wait_step("term")
    one_year = next(c for c in ui.model.choices if c.id == "1y")
    assert one_year.detail.startswith("年利率 0.95%，到期利息约 ")
    assert ui.button("choice-1y").isVisible()
    ui.choose("1y")
    ui.wait_step("rollover")
    ui.choose("auto")
    ui.wait_step("confirm")
    shown = {r.label: r.value for r in ui.model.rows}
    assert shown["存入金额"] == "3,000.00 元"
    assert shown["年利率"] == "0.95%"
    assert shown["到期处理"] == "到期自动转存"
    assert shown["存期"].startswith("1年（")
    assert "（到期本息 3,0" in shown["预计到期利息"]
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.enter_pin("147258")
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    result = {r.label: r.value for r in ui.model.rows}
    assert result["存单号"].startswith("CD")
    assert result["预计到期利息"] == shown["预计到期利息"]
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    assert ("存单号", result["存单号"]) in ui.model.data["receipt_lines"]
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"
    postings = ui.qa.host_state()["postings"]
    assert [(p["op"], p["amount_fen"]) for p in postings] == [("time_deposits.open", 300000)]
