"""The corporate account pre-check clicked through in the real window (offscreen): the legal representative's
ID card and face, the business licence laid under the document camera from the simulator panel (the scan screen
previews the document camera, unmirrored), the signing appointment chosen and booked, the slip printed; and the
code typed on the code keyboard instead, a wrong check character named under the field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kiosk.engine.screens import ScreenKind


def to_licence(ui: Any) -> None:
    ui.wait_step("home")
    ui.qa.show_camera("person:zhang_wei")
    ui.click("flow-corporate_account_precheck")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("licence")
    assert ui.model.kind is ScreenKind.SCAN
    assert ui.model.data["device_hint"] == "doccamera"


def book_and_finish(ui: Any) -> None:
    ui.wait_step("slot")
    ui.choose("slot_1")
    ui.wait_step("confirm")
    shown = {r.label: r.value for r in ui.model.rows}
    assert shown["企业名称"] == "深圳市示范云科技有限公司"
    assert shown["签约窗口"] == "对公业务5号窗口"
    assert shown["需携带原件"].startswith("营业执照正本、法定代表人身份证、公章")
    ui.choose("confirm")
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    assert {r.label: r.value for r in ui.model.rows}["预约号"].startswith("CA")
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session() == "completed"
    postings = [p for p in ui.qa.host_state()["postings"] if p["op"] == "corporate.book_signing"]
    assert [p["status"] for p in postings] == ["committed"]


def test_the_licence_laid_under_the_document_camera_from_the_panel(ui: Any) -> None:
    to_licence(ui)
    screen = ui.window.screen(ScreenKind.SCAN)
    assert screen.art.device == "document"
    doccamera = ui.kiosk.devices.doccamera
    ui.wait_until(lambda: doccamera.peek_frame() is not None)  # the code reader looks at the platen
    panel = ui.panel
    index = panel.licence.findData("corp_tech")
    assert index >= 0
    panel.licence.setCurrentIndex(index)
    ui.wait_until(lambda: screen.view.isVisible() and screen.view.image is not None)  # the preview: the platen
    assert screen.view.mirror is False  # a document is shown as it lies
    ui.qtbot.mouseClick(ui.button("sim-doccamera-lay", panel), Qt.MouseButton.LeftButton)
    book_and_finish(ui)


def test_the_code_typed_on_the_code_keyboard(ui: Any) -> None:
    to_licence(ui)
    ui.choose("type")
    ui.wait_step("credit_code")
    form = ui.window.current_screen()
    assert form.codes.isVisible()
    assert not form.keypad.isVisible()
    for char in "91440300MA5G8K2P18":  # the check character is 7
        ui.click(f"code-{char}")
    ui.click("btn-submit")
    ui.wait_until(lambda: ui.model.error is not None)
    assert ui.model.error == "第18位校验码与前17位不符，请逐位核对。"
    ui.click("code-delete")
    ui.click("code-7")
    assert form.values["credit_code"] == "91440300MA5G8K2P17"
    ui.click("btn-submit")
    book_and_finish(ui)
