"""The three flows clicked through in the real window (offscreen), the tester's hands on the simulators."""

from __future__ import annotations

from typing import Any

from flows.account_opening import AccountOpening
from kiosk.engine.screens import ScreenKind

PIN = "147258"
NEW_PIN = "135792"
MOBILE = "13912345678"


def start(ui: Any, flow: str) -> None:
    ui.wait_step("home")
    ui.click(f"flow-{flow}")
    ui.wait_step("consent")
    assert ui.model.kind is ScreenKind.AGREEMENT
    ui.choose("agree")
    ui.wait_step("read_id")


def identify_with_face(ui: Any, person: str) -> None:
    ui.qa.place_id_card(person)
    ui.wait_step("face_consent")
    ui.choose("agree")


def test_si_payment_pays_all_bills_from_a_debit_card(ui: Any) -> None:
    start(ui, "si_payment")
    assert ui.window.header.progress.text().startswith("第2步，共")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("bill")
    assert [b.objectName() for b in ui.visible_choices()][-1] == "choice-all"
    ui.choose("all")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("fraud_warning")
    ui.choose("continue")
    ui.wait_step("confirm")
    assert "1,508.00" in " ".join(r.value for r in ui.model.rows)
    ui.choose("confirm")
    ui.wait_step("pin")
    dots = ui.window.current_screen().dots
    for typed, key in enumerate(PIN, 1):
        ui.qa.press_keys(key)
        ui.wait_until(lambda n=typed: dots.digits() == n)
    ui.qa.press_keys("E")
    ui.wait_step("result")
    screen = ui.window.current_screen()
    assert screen.icon.kind() == "success"
    assert screen.words.text() == "办理成功"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"
    assert ui.qa.host_state()["postings"][0]["amount_fen"] == 150800


def test_loss_report_verbal_for_an_existing_customer(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    start(ui, "loss_report")
    identify_with_face(ui, "zhang_wei")
    ui.wait_step("card")
    enabled = [b for b in ui.visible_choices() if b.isEnabled()]
    assert enabled, "no card to report"
    ui.click(enabled[0].objectName())
    ui.wait_step("kind")
    assert ui.button("btn-back").isVisible()
    ui.choose("verbal")
    ui.wait_step("confirm")
    ui.choose("confirm")
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session() == "completed"


def test_account_opening_for_a_new_customer(ui: Any) -> None:
    ui.qa.show_camera("person:chen_jing")
    start(ui, "account_opening")
    identify_with_face(ui, "chen_jing")
    ui.wait_step("mobile")
    ui.type_on_keypad(MOBILE + "9")  # one digit too many: the field stops at 11
    ui.click("key-delete")
    ui.type_on_keypad("8")
    assert ui.button("field-mobile").text() == "139 1234 5678"
    ui.click("btn-submit")
    ui.wait_step("sms_code")
    code = ui.qa.sms_code(ui.engine.session.data_as(AccountOpening).sms.sms_ref)
    assert not ui.button("btn-submit").isEnabled()
    ui.type_on_keypad(code)
    ui.click("btn-submit")
    ui.wait_step("agreement")
    ui.choose("agree")
    ui.wait_step("new_pin")
    ui.qa.press_keys(NEW_PIN + "E")
    ui.wait_step("confirm_pin")
    ui.qa.press_keys(NEW_PIN + "E")
    ui.wait_step("confirm")
    ui.choose("confirm")
    ui.wait_until(lambda: ui.model.data.get("device_hint") == "dispenser" and ui.model.step == "deliver_card")
    ui.qa.take_new_card()
    ui.wait_step("result")
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session() == "completed"
    assert ui.window.current_screen().kind is ScreenKind.HOME
    assert ui.window.screen(ScreenKind.FORM).values == {}, "the mobile number and code outlived the session"
