"""个人消费贷申请 clicked through in the real window (offscreen): the forbidden purposes greyed with the reason, the
amount and income on the keypad, each term with its estimated instalment, the credit authorisation, the
approval's contract paged to its end (signing is offered on the last page only), the PIN that signs it, and the
loan paid out with the cooling-off notice on the result and the receipt."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind


def identify(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    ui.wait_step("home")
    ui.click("flow-consumer_loan_apply")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("card", timeout_ms=20_000)
    ui.qa.insert_bank_card("zhang_wei_1")


def test_a_loan_approved_read_signed_and_paid_out(ui: Any) -> None:
    identify(ui)
    ui.wait_step("purpose")
    forbidden = next(c for c in ui.model.choices if c.id == "prohibited")
    assert (forbidden.enabled, forbidden.detail) == (False, "按监管规定不得使用消费贷款")
    assert not ui.button("choice-prohibited").isEnabled()
    ui.choose("home_furnishing")
    ui.wait_step("application")
    assert ui.model.kind is ScreenKind.FORM
    ui.type_on_keypad("50000")
    ui.click("field-loan_income_yuan")
    ui.type_on_keypad("40000")
    ui.click("btn-submit")
    ui.wait_step("term")
    twelve = next(c for c in ui.model.choices if c.id == "12")
    assert twelve.label == "12个月"
    assert twelve.detail.startswith("按年化4.80%估算，每月约还4,2")
    ui.choose("12")
    ui.wait_step("authorize")
    ui.choose("agree")
    ui.wait_step("contract")
    first = {r.label: r.value for r in ui.model.rows}
    assert first["审批结果"] == "已批准，授信额度 200,000.00 元"
    assert first["借款金额"] == "50,000.00 元"
    assert first["年化利率（单利）"] == "3.60%"
    assert not ui.button("choice-sign").isEnabled()  # not before the last page
    pages = ui.model.data["pages"]
    for page in range(2, pages + 1):
        ui.choose("next")
        ui.wait_until(lambda p=page: ui.model.data["page"] == p)
    last = {r.label: r.value for r in ui.model.rows}
    assert last["冷静期"].startswith("放款后7天内")
    ui.choose("sign")
    ui.wait_step("pin")
    ui.enter_pin("147258")
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    result = {r.label: r.value for r in ui.model.rows}
    assert result["合同编号"].startswith("HT")
    assert result["放款"].startswith("50,000.00 元 已存入 955880")
    assert result["冷静期"].endswith("前全额归还50,000.00 元，免收利息")
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    assert ("冷静期", result["冷静期"]) in ui.model.data["receipt_lines"]
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"
    postings = ui.qa.host_state()["postings"]
    assert [(p["op"], p["amount_fen"]) for p in postings] == [("loans.disburse", None)]
