"""Utility payment clicked through in the real window (offscreen): the bill held up to the camera from the
simulator panel (the preview shows the camera while it reads), and the number typed instead."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kiosk.engine.screens import ScreenKind

PIN = "147258"
BARCODE = "11010102345678"  # 张伟's electricity bill, 286.50 yuan


def start(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-utility_payment")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("scan")
    assert ui.model.kind is ScreenKind.SCAN


def pay_and_finish(ui: Any, amount: str) -> None:
    ui.wait_step("confirm")
    assert amount in " ".join(r.value for r in ui.model.rows)
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.enter_pin(PIN)
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"


def test_the_bill_held_up_to_the_camera_from_the_panel(ui: Any) -> None:
    start(ui)
    screen = ui.window.screen(ScreenKind.SCAN)
    ui.wait_until(lambda: screen.view.isVisible() and screen.view.image is not None)  # the live preview
    panel = ui.panel
    ui.qtbot.keyClicks(panel.code, BARCODE)
    panel.damaged.setChecked(True)
    ui.qtbot.mouseClick(ui.button("sim-camera-hold-up", panel), Qt.MouseButton.LeftButton)
    ui.wait_until(lambda: ui.model.error is not None)  # stained: seen, not read; said on screen
    assert ui.model.step == "scan"
    panel.code.setText(BARCODE)
    panel.damaged.setChecked(False)
    ui.qtbot.mouseClick(ui.button("sim-camera-hold-up", panel), Qt.MouseButton.LeftButton)
    pay_and_finish(ui, "286.50")
    assert ui.qa.host_state()["postings"][0]["amount_fen"] == 28650


def test_the_number_typed_instead(ui: Any) -> None:
    start(ui)
    ui.choose("water")
    ui.wait_step("customer_no")
    ui.type_on_keypad("3300012345")
    ui.click("btn-submit")
    pay_and_finish(ui, "98.00")
