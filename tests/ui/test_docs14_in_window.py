"""The balance and document flows clicked through in the real window (offscreen): the tester's hands on the
simulators, the A4 document taken from the document printer's tray."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind


def type_pin(ui: Any, pin: str) -> None:
    ui.wait_step("pin")
    ui.qa.press_keys(pin + "E")


def take_document(ui: Any) -> None:
    ui.wait_until(lambda: ui.model.step == "document" and ui.model.data.get("printed") is True)
    assert ui.window.current_screen().status.text() in ("文件已打印，请取走", "Printed: please take your document")
    ui.qa.take_document()


def test_balance_inquiry_pages_through_and_prints_on_a4(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-balance_inquiry")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    type_pin(ui, "147258")
    ui.wait_step("statement")
    assert ui.model.kind is ScreenKind.CONFIRM
    assert "5,000.00" in " ".join(r.value for r in ui.model.rows)
    assert not ui.button("choice-previous").isEnabled()
    ui.choose("next")
    ui.wait_until(lambda: ui.model.data.get("page") == 2)
    ui.choose("print_a4")
    take_document(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"


def test_statement_print_shows_pages_and_fee_before_confirm(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-statement_print")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    type_pin(ui, "147258")
    ui.wait_step("period")
    ui.choose("3")
    ui.wait_step("confirm")
    shown = {r.label: r.value for r in ui.model.rows}
    assert shown["手续费"] == "免费"
    assert "页" in shown["页数"]
    ui.choose("confirm")
    ui.wait_step("result")
    ui.choose("continue")
    take_document(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"
    assert [p["op"] for p in ui.qa.host_state()["postings"]] == ["statements.issue"]


def test_deposit_certificate_with_a_supervisor(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-deposit_certificate")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    type_pin(ui, "147258")
    ui.wait_step("amount")
    ui.type_on_keypad("3000")
    ui.click("btn-submit")
    ui.wait_step("term")
    ui.choose("6")
    ui.wait_step("approval")
    assert ui.model.kind is ScreenKind.WAITING_STAFF
    ui.click("sim-approve", ui.panel)  # a supervisor at the simulate-mode panel
    ui.wait_step("confirm", timeout_ms=20_000)
    assert "20.00" in " ".join(r.value for r in ui.model.rows)
    ui.choose("confirm")
    ui.wait_step("result")
    ui.choose("continue")
    take_document(ui)
    assert ui.finish_session(take_bank_card=True) == "completed"
    posting = [p for p in ui.qa.host_state()["postings"] if p["op"] == "deposits.certify"]
    assert [p["amount_fen"] for p in posting] == [2000]


def test_credit_report_with_the_face(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    ui.wait_step("home")
    ui.click("flow-credit_report")
    for agreement in ("consent", "authorize"):
        ui.wait_step(agreement)
        ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("confirm", timeout_ms=20_000)
    ui.choose("confirm")
    ui.wait_step("result")
    ui.choose("continue")
    assert ui.button("sim-take-document", ui.panel).isEnabled()
    ui.wait_until(lambda: ui.model.step == "document" and ui.model.data.get("printed") is True)
    ui.click("sim-take-document", ui.panel)  # the tester's hand at the panel
    assert ui.finish_session() == "completed"
