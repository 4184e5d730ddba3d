"""Buying foreign currency clicked through in the real window (offscreen), the tester's hands on the simulators:
the quota and rates, the declaration, the quote counted down on the confirmation, refreshed after 60 s, bought."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import ScreenKind

PIN = "147258"


def rows(ui: Any) -> str:
    return " ".join(f"{r.label} {r.value}" for r in ui.model.rows)


def test_buying_us_dollars_refreshing_the_quote_once_its_hold_is_over(ui: Any) -> None:
    clock = ui.kiosk.services.clock
    ui.wait_step("home")
    ui.click("flow-fx_purchase")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("pin")
    ui.enter_pin(PIN)
    ui.wait_step("purpose")
    ui.choose("travel")
    ui.wait_step("currency")
    assert "38,000 美元" in ui.button("choice-USD").accessibleName()  # what the quota left allows
    ui.choose("USD")
    ui.wait_step("amount")
    assert ui.model.kind is ScreenKind.FORM
    ui.type_on_keypad("500")
    ui.click("btn-submit")
    ui.wait_step("confirm")
    assert "3,592.60 元" in rows(ui)
    assert "718.52 元/100美元" in rows(ui)
    assert ui.button("choice-confirm").text() == "确认办理（60秒）"
    clock.advance(30)
    ui.wait_until(lambda: ui.button("choice-confirm").text() == "确认办理（30秒）")  # counted down on screen
    clock.advance(15)
    ui.wait_until(lambda: ui.model.warning_s_left is not None)  # the inactivity warning: more time
    ui.click("btn-extend")
    clock.advance(16)
    ui.wait_until(lambda: ui.model.data.get("expired") is True)
    assert not ui.button("choice-confirm").isEnabled()
    assert "刷新报价" in ui.model.error
    ui.check_words()
    ui.choose("refresh")
    ui.wait_step("confirm")
    ui.wait_until(lambda: ui.button("choice-confirm").text() == "确认办理（60秒）")  # the new quote, held again
    assert ui.model.error is None
    ui.choose("confirm")
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    assert "620.00 美元" in rows(ui)  # the card's USD savings: 120.00 + 500.00
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"
    postings = [p for p in ui.qa.host_state()["postings"] if p["status"] == "committed"]
    assert [(p["op"], p["amount_fen"]) for p in postings] == [("fx.purchase", 359260)]
