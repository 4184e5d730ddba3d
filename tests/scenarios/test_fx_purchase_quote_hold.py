"""fx_purchase's rate quote on the two clocks: the kiosk holds it 60 s on its injected clock (the confirmation
re-renders its countdown each second, then asks for a refresh), and the host refuses an expired quote on its
own clock (``quote_expired``): the kiosk then quotes again and the customer confirms the new figures."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import Input, InputKind


def to_confirm(driver: Any, amount: str = "500") -> None:
    driver.qa.place_id_card("zhang_wei")
    driver.qa.insert_bank_card("zhang_wei_1")
    driver.engine.send(Input(InputKind.START, "fx_purchase"))
    driver.wait_for_screen("consent")
    driver.engine.send(Input(InputKind.CHOOSE, "agree"))
    driver.wait_for_screen("pin")
    driver.qa.press_keys("147258#")
    for step, choice in (("purpose", "travel"), ("currency", "USD")):
        driver.wait_for_screen(step)
        driver.engine.send(Input(InputKind.CHOOSE, choice))
    driver.wait_for_screen("amount")
    driver.engine.send(Input(InputKind.SUBMIT, values={"fx_amount": amount}))
    driver.wait_for_screen("confirm")


def test_the_confirmation_counts_the_hold_down_and_asks_for_a_refresh(kiosk: Any, driver: Any) -> None:
    to_confirm(driver)
    engine = kiosk.engine
    assert engine.screen.data["held_s"] == 60
    driver.advance(20)
    assert engine.screen.data["held_s"] == 40  # re-rendered on the clock, no touch needed
    assert engine.screen.choices[0].label == "确认办理（40秒）"
    engine.send(Input(InputKind.EXTEND))  # the inactivity warning: "I need more time"
    driver.advance(40)
    assert engine.screen.data == {"held_s": 0, "expired": True}
    assert [(c.id, c.enabled) for c in engine.screen.choices] == [("refresh", True), ("confirm", False)]
    assert "刷新报价" in (engine.screen.error or "")


def test_the_host_refuses_an_expired_quote_and_the_kiosk_quotes_again(kiosk: Any, driver: Any) -> None:
    to_confirm(driver)
    first = kiosk.engine.session.flow_data.quote
    driver.qa.host_advance(61)  # the host's clock only
    kiosk.engine.send(Input(InputKind.CHOOSE, "confirm"))  # still held on the kiosk's clock: sent
    driver.settle(lambda: kiosk.engine.screen.step == "confirm" and kiosk.engine.screen.error is not None)
    data = kiosk.engine.session.flow_data
    assert data.quote.quote_id != first.quote_id
    assert kiosk.engine.screen.error == "报价已更新，请核对新的汇率和扣款金额后再确认。"
    assert kiosk.engine.screen.data["held_s"] == 60
    kiosk.engine.send(Input(InputKind.CHOOSE, "confirm"))
    driver.wait_for_screen("result")
    postings = [p for p in driver.qa.host_state()["postings"] if p["op"] == "fx.purchase"]
    assert sorted((p["status"], p["error_code"] or "", p["amount_fen"]) for p in postings) == [
        ("committed", "", 359260), ("rejected", "quote_expired", None)]  # refused, then bought once


def gao_yan_to_purpose(driver: Any, again: bool = False) -> None:
    if not again:
        driver.qa.place_id_card("gao_yan")
    driver.qa.insert_bank_card("gao_yan_1")
    driver.engine.send(Input(InputKind.START, "fx_purchase"))
    driver.wait_for_screen("consent")
    driver.engine.send(Input(InputKind.CHOOSE, "agree"))
    if again:  # the ID card is read once until it leaves the reader: taken off and put back
        driver.wait_for_screen("read_id")
        driver._remove_id_card(then_place=True)
        driver.qa.place_id_card("gao_yan")
    driver.wait_for_screen("pin")
    driver.qa.press_keys("369258#")


def test_a_customer_whose_quota_is_used_up_is_told_so_before_choosing(kiosk: Any, driver: Any) -> None:
    gao_yan_to_purpose(driver)
    for step, choice in (("purpose", "study"), ("currency", "USD")):
        driver.wait_for_screen(step)
        driver.engine.send(Input(InputKind.CHOOSE, choice))
    driver.wait_for_screen("amount")
    driver.engine.send(Input(InputKind.SUBMIT, values={"fx_amount": "800"}))  # the whole USD 800 left
    driver.wait_for_screen("confirm")
    driver.engine.send(Input(InputKind.CHOOSE, "confirm"))
    for step in ("result", "receipt"):
        driver.wait_for_screen(step)
        driver.engine.send(Input(InputKind.CONTINUE))
    driver.qa.take_bank_card()
    assert driver.finish().outcome == "completed"
    gao_yan_to_purpose(driver, again=True)
    driver.wait_for_screen("failed")
    assert "已经用完" in kiosk.engine.screen.prompt
    driver.engine.send(Input(InputKind.CONTINUE))
    driver.qa.take_bank_card()
    assert driver.finish().reason == "flow.fx_purchase.quota_used_up_year"
