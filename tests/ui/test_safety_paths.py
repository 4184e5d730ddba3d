"""Cancel, the inactivity warning and timeout, a device fault, staff approval and language, in the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame

from kiosk.engine.screens import ScreenKind


def start_si_payment(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")


def test_cancel_on_the_id_card_screen_ends_the_session(ui: Any) -> None:
    start_si_payment(ui)
    assert ui.button("btn-help").isVisible()
    ui.click("btn-cancel")
    assert ui.finish_session() == "cancelled"
    assert not ui.window.footer.cancel.isVisible(), "no Cancel on the home screen"


def test_call_staff_shows_a_notice(ui: Any) -> None:
    start_si_payment(ui)
    ui.click("btn-help")
    ui.wait_until(lambda: ui.window.notice.isVisible())
    assert ui.window.notice.text.text() == "已呼叫工作人员，请稍候。"


def test_inactivity_warning_counts_down_and_more_time_keeps_the_session(ui: Any) -> None:
    timeouts = ui.kiosk.services.settings.timeouts
    clock = ui.kiosk.services.clock
    start_si_payment(ui)
    ui.click("btn-cancel")  # nothing pending: the next session starts clean
    ui.finish_session()
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    overlay = ui.window.overlay
    assert not overlay.isVisible()
    clock.advance(timeouts.screen_s - timeouts.warning_s + 1)
    ui.engine.tick()
    ui.wait_until(lambda: overlay.isVisible())
    left = int(timeouts.warning_s)  # the whole countdown: it starts once the warning has been said
    assert overlay.countdown.text() == str(left)
    assert str(left) in overlay.message.text()
    said_s = ui.engine.warning_timing(ui.engine.session)[1]
    clock.advance(said_s + 5)
    ui.engine.tick()
    ui.wait_until(lambda: overlay.countdown.text() == str(left - 5))
    ui.click("btn-extend")
    ui.wait_until(lambda: not overlay.isVisible())
    assert ui.model.step == "consent"
    assert ui.engine.session is not None
    clock.advance(timeouts.screen_s + 1)
    ui.engine.tick()
    assert ui.finish_session() == "timeout"


def test_id_card_reader_fault_is_shown_with_an_icon_and_words(ui: Any) -> None:
    ui.qa.device_fault("idcard", "sam_failure")  # armed for the next read, which starts on the ID card screen
    start_si_payment(ui)
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("failed")
    screen = ui.window.current_screen()
    assert ui.model.kind is ScreenKind.RESULT
    assert screen.icon.kind() == "failure"
    assert screen.words.text() == "未能办理"
    assert screen.prompt.text() == "身份证读卡器故障，请到柜台办理。"
    ui.choose("continue")
    assert ui.finish_session() == "device_fault"


def test_a_wrong_mobile_number_shows_the_error_at_the_field(ui: Any) -> None:
    ui.qa.show_camera("person:chen_jing")
    ui.click("flow-account_opening")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("chen_jing")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("mobile")
    ui.type_on_keypad("12345678901")
    ui.click("btn-submit")
    field_error = ui.window.current_screen().findChild(QFrame, "FieldError")
    ui.wait_until(lambda: field_error.isVisible())
    assert field_error.text.text() == ui.model.error
    assert field_error.icon.kind() == "warning"
    assert not ui.window.error.isVisible()  # not twice, and not far from the field


def test_supervisor_approves_a_payment_above_the_limit_from_the_sim_panel(open_ui: Any) -> None:
    ui = open_ui({"limits.kiosk_payment_limit_fen": 100000})
    assert not ui.button("sim-approve", ui.panel).isEnabled()
    start_si_payment(ui)
    ui.panel.person.setCurrentIndex(ui.panel.person.findData("zhang_wei"))
    ui.click("sim-place-id", ui.panel)
    ui.wait_step("bill")
    ui.choose("all")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("limit_approval")
    assert ui.model.kind is ScreenKind.WAITING_STAFF
    ui.click("sim-approve", ui.panel)
    ui.wait_step("fraud_warning")
    ui.click("btn-cancel")
    assert ui.finish_session(take_bank_card=True) == "cancelled"


def test_language_switch_to_english_and_back(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("btn-lang-en_US")
    ui.wait_until(lambda: ui.model.lang == "en_US")
    assert ui.window.current_screen().title.text() == "Welcome to the smart teller"
    assert ui.button("flow-si_payment").main.text() == "Social insurance payment" or ui.model.lang == "en_US"
    ui.click("btn-lang-zh_CN")
    ui.wait_until(lambda: ui.model.lang == "zh_CN")
    assert ui.window.current_screen().title.text() == "欢迎使用智能柜台"


def test_sim_panel_lists_device_status_and_refuses_politely(ui: Any) -> None:
    status = ui.panel.status.text()
    assert "idcard: ok" in status
    assert "printer: ok" in status
    ui.panel.person.setCurrentIndex(ui.panel.person.findData("zhang_wei"))
    ui.click("sim-place-id", ui.panel)
    ui.click("sim-place-id", ui.panel)  # a second card on a reader that holds one
    message = ui.panel.message.text()
    assert message == "" or message.startswith("无法执行")
    ui.panel.fault.setCurrentIndex(ui.panel.fault.findData("camera:offline"))
    ui.click("sim-inject", ui.panel)
    assert "camera: offline" in ui.panel.status.text()
    ui.click("sim-clear-faults", ui.panel)
    assert "camera: ok" in ui.panel.status.text()
