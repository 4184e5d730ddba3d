"""定期支取 clicked through in the real window (offscreen): an early partial withdrawal, the interest lost on
the confirmation, the receipt; then the same deposit again, whose partial withdrawal is used up."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from kiosk.core.masking import mask_pan
from kiosk.engine.screens import ScreenKind

PAN = "6228480402564890018"


def card_and_pin(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-time_deposit_withdraw")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("pin")
    ui.qa.press_keys("147258E")
    ui.wait_step("deposit")


def balance(ui: Any) -> int:
    account = next(a for a in ui.qa.host_state()["accounts"] if mask_pan(PAN) in a["card_pans_masked"])
    return int(account["balance_fen"])


def test_an_early_partial_withdrawal_shows_the_interest_lost_and_credits_the_card(ui: Any) -> None:
    before = balance(ui)
    card_and_pin(ui)
    assert ui.model.kind is ScreenKind.CHOICE
    ui.choose("CD0000000002")
    ui.wait_step("mode")
    ui.choose("partial")
    ui.wait_step("amount")
    ui.type_on_keypad("5000")
    ui.click("btn-submit")
    ui.wait_step("confirm")
    shown = {r.label: r.value for r in ui.model.rows}
    assert shown["支取本金"] == "5,000.00 元（部分提前支取）"
    assert shown["利息"] == "1.39 元（活期0.05%，200天）"
    assert shown["损失利息"] == "33.33 元（按定期利率应得34.72 元）"
    assert shown["到账金额"] == "5,001.39 元，转入955880*********0001"
    assert shown["剩余本金"].startswith("15,000.00 元")
    pages = [b for b in ui.window.current_screen().findChildren(QPushButton, "btn-page-next") if b.isVisible()]
    assert pages == []  # every row on one page: nothing to page to before confirming
    ui.choose("confirm")
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    assert ("存单号", "CD0000**0002") in ui.model.data["receipt_lines"]
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"
    assert balance(ui) == before + 500000 + 139
    assert [p["op"] for p in ui.qa.host_state()["postings"]] == ["time_deposits.withdraw"]

    card_and_pin(ui)  # the same deposit again: its one partial withdrawal is used
    ui.choose("CD0000000002")
    ui.wait_step("mode")
    assert not ui.button("choice-partial").isEnabled()
    ui.choose("full")
    ui.wait_step("confirm")
    assert {r.label: r.value for r in ui.model.rows}["支取本金"] == "15,000.00 元（全部提前支取）"


def test_when_the_day_turns_before_confirm_the_new_figures_are_shown_and_confirmed_again(ui: Any) -> None:
    card_and_pin(ui)
    ui.choose("CD0000000002")
    ui.wait_step("mode")
    ui.choose("full")
    ui.wait_step("confirm")
    first = {r.label: r.value for r in ui.model.rows}
    ui.qa.host_advance(86400)
    ui.choose("confirm")  # the host refuses yesterday's figures and answers with today's
    ui.wait_until(lambda: ui.model.step == "confirm" and ui.model.error is not None and not ui.model.busy)
    assert "重新计算" in ui.model.error
    again = {r.label: r.value for r in ui.model.rows}
    assert again["利息"] != first["利息"]
    assert "201天" in again["利息"]
    assert [p["status"] for p in ui.qa.host_state()["postings"]] == ["rejected"]  # nothing withdrawn
    ui.choose("confirm")
    ui.wait_step("result")
    assert sorted(p["status"] for p in ui.qa.host_state()["postings"]) == ["committed", "rejected"]
