"""Catalogue 1 of 3 (cards and accounts) clicked through in the real window (offscreen): branch identity check,
e-banking on/off, SMS alerts, and a customer details change with the address typed on the pinyin keyboard."""

from __future__ import annotations

from typing import Any

from flows.ebanking_signup import EbankingSignup
from kiosk.engine.screens import ScreenKind

from .test_flows_in_window import identify_with_face, start

LI_PIN = "258036"


def finish(ui: Any, *, take_bank_card: bool = False) -> None:
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=take_bank_card) == "completed"


def card_and_pin(ui: Any, person: str, card: str, pin: str) -> None:
    ui.qa.place_id_card(person)
    ui.wait_step("card")
    ui.qa.insert_bank_card(card)
    ui.wait_step("pin")
    ui.qa.press_keys(pin + "E")


def test_branch_identity_check_lifts_a_restriction(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    start(ui, "branch_identity_check")
    identify_with_face(ui, "zhang_wei")
    ui.wait_step("account")
    ui.choose("EA00000001")
    ui.wait_step("confirm")
    ui.choose("confirm")
    ui.wait_step("result")
    assert "Ⅲ类户 → Ⅱ类户" in [r.value for r in ui.model.rows]
    finish(ui)


def test_ebanking_signup_with_the_code_sent_to_the_mobile_on_file(ui: Any) -> None:
    start(ui, "ebanking_signup")
    card_and_pin(ui, "li_xiuying", "li_xiuying_1", LI_PIN)
    ui.wait_step("service")
    ui.choose("mobile_banking")
    ui.wait_step("sms_code")
    ui.type_on_keypad(ui.qa.sms_code(ui.engine.session.data_as(EbankingSignup).sms.sms_ref))
    ui.click("btn-submit")
    ui.wait_step("confirm")
    ui.choose("confirm")
    finish(ui, take_bank_card=True)


def test_sms_alerts_subscribe_with_a_typed_threshold(ui: Any) -> None:
    start(ui, "sms_alerts")
    card_and_pin(ui, "li_xiuying", "li_xiuying_1", LI_PIN)
    ui.wait_step("action")
    ui.choose("subscribe")
    ui.wait_step("threshold")
    ui.choose("other")
    ui.wait_step("threshold_amount")
    ui.type_on_keypad("300")
    ui.click("btn-submit")
    ui.wait_step("confirm")
    rows = " ".join(r.value for r in ui.model.rows)
    assert "300.00" in rows
    assert "2.00" in rows  # the monthly fee, before the customer confirms
    ui.choose("confirm")
    finish(ui, take_bank_card=True)


def type_pinyin(ui: Any, letters: str, word: str) -> None:
    keyboard = ui.window.current_screen().keyboard
    for letter in letters:
        ui.click(f"kbd-{letter}")
    ui.wait_until(lambda: word in keyboard.candidates())
    ui.click(f"cand-{keyboard.candidates().index(word)}")


def test_profile_update_address_typed_on_the_pinyin_keyboard(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    start(ui, "profile_update")
    identify_with_face(ui, "zhang_wei")
    ui.wait_step("item")
    ui.choose("address")
    ui.wait_step("address")
    screen = ui.window.current_screen()
    assert screen.keyboard.isVisible()
    assert not screen.keypad.isVisible()
    type_pinyin(ui, "beijingshi", "北京市")
    type_pinyin(ui, "chaoyangqu", "朝阳区")
    type_pinyin(ui, "jianguolu", "建国路")
    ui.click("kbd-mode")
    for key in "99":
        ui.click(f"kbd-{key}")
    ui.click("kbd-mode")
    type_pinyin(ui, "hao", "号")
    assert ui.button("field-address").text() == "北京市朝阳区建国路99号"
    ui.click("btn-submit")
    ui.wait_step("confirm")
    assert "北京市朝阳区建国路99号" in [r.value for r in ui.model.rows]
    ui.choose("confirm")
    finish(ui)
    assert ui.window.screen(ScreenKind.FORM).values == {}, "the address outlived the session"
