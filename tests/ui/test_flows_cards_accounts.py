"""Issue 13's flows clicked through in the real window (offscreen): loss release, card replacement, account
closing, the tester's hands on the simulators and a supervisor at the staff desk."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind
from tests.ui.test_flows_in_window import identify_with_face, start
from tests.ui.test_staff_mode import customer_on, mode, open_staff_mode, sign_in

SUN_LI_PIN = "369258"
ZHOU_JIE_PIN = "582946"
NEW_PIN = "135792"


def finish_receipt(ui: Any) -> None:
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")


def test_loss_release_of_a_verbal_loss_with_the_card_and_pin(ui: Any) -> None:
    ui.qa.show_camera("person:sun_li")
    start(ui, "loss_release")
    identify_with_face(ui, "sun_li")
    ui.wait_step("lost_card")
    enabled = [b.objectName() for b in ui.visible_choices() if b.isEnabled()]
    assert enabled == ["choice-K00000004", "choice-K00000005"], "only the lost cards can be chosen"
    ui.choose("K00000004")
    ui.wait_step("card")
    ui.qa.insert_bank_card("sun_li_1")
    ui.wait_step("confirm")
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.qa.press_keys(SUN_LI_PIN + "E")
    finish_receipt(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"
    cards = {c["card_ref"]: c["status"] for c in ui.qa.host_state()["cards"]}
    assert cards["K00000004"] == "active"


def test_card_replace_of_a_formally_lost_card(ui: Any) -> None:
    ui.qa.show_camera("person:sun_li")
    start(ui, "card_replace")
    identify_with_face(ui, "sun_li")
    ui.wait_step("old_card")
    ui.choose("K00000005")
    ui.wait_step("new_pin")
    ui.qa.press_keys(NEW_PIN + "E")
    ui.wait_step("confirm_pin")
    ui.qa.press_keys(NEW_PIN + "E")
    ui.wait_step("confirm")
    assert "10.00 元" in [r.value for r in ui.model.rows], "the fee is shown before confirming"
    ui.choose("confirm")
    ui.wait_until(lambda: ui.model.step == "deliver_card" and ui.model.data.get("at_gate") is True)
    ui.qa.take_new_card()
    finish_receipt(ui)
    assert ui.finish_session() == "completed"
    state = ui.qa.host_state()
    assert [p["amount_fen"] for p in state["postings"] if p["op"] == "cards.replace"] == [1000]
    assert {c["card_ref"]: c["status"] for c in state["cards"]}["K00000005"] == "replaced"


def test_account_close_of_an_empty_account_approved_at_the_staff_desk(ui: Any) -> None:
    ui.qa.show_camera("person:zhou_jie")
    start(ui, "account_close")
    identify_with_face(ui, "zhou_jie")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhou_jie_1")
    ui.wait_step("close_approval")
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    ui.click("staff-tile-approval", mode(ui))
    ui.click("staff-reason-checked", mode(ui))
    ui.click("staff-approve", mode(ui))
    customer_on(ui, "confirm")
    ui.click("staff-close", mode(ui))
    ui.wait_step("confirm")
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.qa.press_keys(ZHOU_JIE_PIN + "E")
    finish_receipt(ui)
    assert ui.finish_session() == "completed"
    assert ui.window.current_screen().kind is ScreenKind.HOME
    assert len(ui.kiosk.devices.smartcard.retained()) == 1, "the closed account's card is kept"
