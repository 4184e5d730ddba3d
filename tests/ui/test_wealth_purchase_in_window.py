"""The wealth purchase clicked through in the real window (offscreen), the tester's hands on the simulators: a
product above the grade refused on the list, the key facts and cooling-off notice, the summary, PIN, receipt."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind

from .test_money_flows_in_window import finish_with_receipt


def test_wealth_purchase_with_a_valid_assessment(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    ui.wait_step("home")
    ui.click("flow-wealth_purchase")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("product", timeout_ms=20_000)
    assert ui.model.kind is ScreenKind.CHOICE
    ui.choose("WM4Y001")  # R4 for a C3 customer: refused, with the reason, on the list
    ui.wait_until(lambda: ui.model.step == "product" and bool(ui.model.error) and not ui.model.busy)
    assert "C3" in ui.model.error
    ui.choose("WM2D090")
    ui.wait_step("facts")
    facts = {r.label: r.value for r in ui.model.rows}
    assert facts["产品风险等级"] == "R2 中低风险"
    assert "24小时" in facts["冷静期"]
    assert "业绩比较基准（不保证）" in facts
    ui.choose("confirm")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("amount")
    ui.type_on_keypad("2000")
    ui.click("btn-submit")
    ui.wait_step("confirm")
    assert "2,000.00" in " ".join(r.value for r in ui.model.rows)
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.enter_pin("147258")
    finish_with_receipt(ui)
    postings = ui.qa.host_state()["postings"]
    assert [(p["op"], p["amount_fen"]) for p in postings] == [("wealth.purchase", 200000)]
