"""Card first in the window (issue 13): a bank card inserted on the home screen shows its services only."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from kiosk.engine.home import card_flows


def test_card_on_home_in_window(ui: Any) -> None:
    ui.wait_step("home")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("home_card")
    assert ui.window.current_screen().title.text() == "已插入银行卡"
    tiles = {b.objectName() for b in ui.window.findChildren(QPushButton) if b.isVisible()}
    assert "btn-take-card" in tiles
    assert {f"flow-{fid}" for fid in card_flows(ui.engine.flows)} == {n for n in tiles if n.startswith("flow-")}
    ui.click("btn-take-card")
    ui.qa.take_bank_card()
    ui.wait_step("home")
    ui.button("flow-account_opening")  # the full menu is back
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("home_card")
    ui.click("flow-balance_inquiry")
    ui.wait_step("pin")  # the card already in the reader was read: no second ask
    ui.click("btn-cancel")
    ui.qa.take_bank_card()
    ui.wait_step("home")
