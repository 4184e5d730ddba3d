"""PIN change, PIN reset, card activation and social-security card activation clicked through in the real
window (offscreen), the tester's hands on the simulators."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind

NEW_PIN = "582936"


def start(ui: Any, flow: str, first_step: str = "consent") -> None:
    ui.wait_step("home")
    ui.click(f"flow-{flow}")
    ui.wait_step(first_step)


def identify_with_face(ui: Any, person: str) -> None:
    ui.qa.show_camera(f"person:{person}")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card(person)
    ui.wait_step("face_consent")
    ui.choose("agree")


def new_pin_twice(ui: Any) -> None:
    ui.wait_step("new_pin")
    dots = ui.window.current_screen().dots
    for typed, key in enumerate(NEW_PIN, 1):
        ui.qa.press_keys(key)
        ui.wait_until(lambda n=typed: dots.digits() == n)
    ui.qa.press_keys("E")
    ui.wait_step("confirm_pin")
    ui.qa.press_keys(NEW_PIN + "E")


def result_then_receipt(ui: Any) -> None:
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")


def test_pin_change_with_the_card_and_the_old_pin(ui: Any) -> None:
    start(ui, "pin_change", "card")
    assert ui.model.kind is ScreenKind.BANK_CARD
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("old_pin")
    assert ui.model.title == "请输入原密码"
    ui.qa.press_keys("147258E")
    new_pin_twice(ui)
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"
    assert [p["op"] for p in ui.qa.host_state()["postings"]] == ["pins.change"]


def test_pin_reset_with_face_and_a_supervisor(ui: Any) -> None:
    start(ui, "pin_reset")
    identify_with_face(ui, "zhang_wei")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_2")
    ui.wait_step("reset_approval")
    assert ui.model.kind is ScreenKind.WAITING_STAFF
    ui.click("sim-approve", ui.panel)
    new_pin_twice(ui)
    result_then_receipt(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"
    assert "pins.reset" in [p["op"] for p in ui.qa.host_state()["postings"]]


def test_card_activate_a_mailed_card(ui: Any) -> None:
    start(ui, "card_activate")
    identify_with_face(ui, "he_min")
    ui.wait_step("card")
    assert ui.model.title == "请插入要激活的新卡"
    ui.qa.insert_bank_card("he_min_1")
    new_pin_twice(ui)
    result_then_receipt(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"
    cards = {c["pan_masked"]: c["status"] for c in ui.qa.host_state()["cards"]}
    assert cards["622848*********1073"] == "active"


def test_ss_card_activate_sets_the_medical_pin(ui: Any) -> None:
    start(ui, "ss_card_activate")
    identify_with_face(ui, "zhou_jun")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhou_jun_1")
    ui.wait_step("new_pin")
    assert "123456" in ui.model.prompt
    new_pin_twice(ui)
    ui.wait_step("result")
    assert any(r.value == "A0*****67" for r in ui.model.rows)
    result_then_receipt(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"
