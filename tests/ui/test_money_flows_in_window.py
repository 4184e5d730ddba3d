"""The money flows clicked through in the real window (offscreen), the tester's hands on the simulators."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind

PIN = "147258"


def start(ui: Any, flow: str) -> None:
    ui.wait_step("home")
    ui.click(f"flow-{flow}")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")


def finish_with_receipt(ui: Any) -> None:
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"


def test_transfer_to_a_past_payee(ui: Any) -> None:
    start(ui, "transfer")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("payee")
    ui.choose("PY00000001")
    ui.wait_step("amount")
    ui.type_on_keypad("1000")
    ui.click("btn-submit")
    ui.wait_step("purpose")
    ui.choose("family")
    ui.wait_step("fraud_warning")
    ui.choose("continue")
    ui.wait_step("confirm")
    assert "1,000.00" in " ".join(r.value for r in ui.model.rows)
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.enter_pin(PIN)
    finish_with_receipt(ui)
    assert ui.qa.host_state()["postings"][0]["amount_fen"] == 100000


def test_transfer_to_a_new_payee_types_the_name(ui: Any) -> None:
    start(ui, "transfer")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("payee")
    ui.choose("new")
    ui.wait_step("bank")
    ui.choose("CCB")
    ui.wait_step("payee_account")
    assert ui.model.kind is ScreenKind.FORM
    ui.type_on_keypad("6217000010012345678")
    ui.click("field-payee_name")  # the name is typed on the pinyin keyboard, which shows for it
    keyboard = ui.window.current_screen().keyboard
    for letters, word in (("sun", "孙"), ("li", "丽")):
        for letter in letters:
            ui.click(f"kbd-{letter}")
        ui.wait_until(lambda: bool(keyboard.candidates()))
        while word not in keyboard.candidates():  # 丽 is on a later page of "li": turn to it
            ui.click("cand-next")
        ui.click(f"cand-{keyboard.candidates().index(word)}")
    ui.click("btn-submit")
    ui.wait_step("amount")
    ui.type_on_keypad("2000")
    ui.click("btn-submit")
    ui.wait_step("purpose")
    ui.choose("goods")
    ui.wait_step("fraud_warning")
    assert not ui.button("choice-continue").isEnabled()  # a first transfer to this payee: the warning pauses
    ui.kiosk.services.clock.advance(6)
    ui.wait_until(lambda: ui.button("choice-continue").isEnabled())
    ui.choose("continue")
    ui.wait_step("confirm")
    assert "2.00" in " ".join(r.value for r in ui.model.rows)
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.enter_pin(PIN)
    finish_with_receipt(ui)
