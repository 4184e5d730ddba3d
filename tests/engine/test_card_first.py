"""Card first (issue 13): a bank card inserted on the home screen offers the services that start from it."""

from __future__ import annotations

from kiosk.engine.home import TAKE_CARD, card_flows
from kiosk.engine.screens import Input, InputKind


def test_card_on_home_offers_card_flows_then_take_back(driver) -> None:
    engine = driver.engine
    everything = [c.id for c in engine.screen.choices]
    driver.qa.insert_bank_card("zhang_wei_1")
    assert driver.settle(lambda: engine.screen.step == "home_card")
    shown = [c.id for c in engine.screen.choices]
    assert set(shown) == set(card_flows(engine.flows))
    assert len(shown) < len(everything)
    assert {"balance_inquiry", "pin_change", "statement_print"} <= set(shown)
    assert engine.screen.title == "已插入银行卡"
    engine.send(Input(InputKind.CHOOSE, TAKE_CARD))
    assert engine.screen.busy
    driver.qa.take_bank_card()
    assert driver.settle(lambda: engine.screen.step == "home")
    assert [c.id for c in engine.screen.choices] == everything
    assert not engine.services.devices.smartcard.has_card()


def test_service_chosen_with_the_card_reads_it_at_once(driver) -> None:
    engine = driver.engine
    driver.qa.insert_bank_card("zhang_wei_1")
    assert driver.settle(lambda: engine.screen.step == "home_card")
    engine.send(Input(InputKind.START, "balance_inquiry"))
    assert engine.session is not None
    driver.wait_for_screen("pin")  # the card step read the card already in the reader: no second ask
    assert engine.session.slots.bank_card is not None
    engine.send(Input(InputKind.CANCEL))
    driver.qa.take_bank_card()
    assert driver.settle(lambda: engine.session is None)
    assert engine.screen.step == "home"


def test_card_menu_times_out_and_ejects(driver) -> None:
    engine = driver.engine
    driver.qa.insert_bank_card("zhang_wei_1")
    assert driver.settle(lambda: engine.screen.step == "home_card")
    driver.qa.take_bank_card()  # taken as soon as it is ejected
    engine.services.clock.advance(engine.services.settings.timeouts.screen_s + 1)  # type: ignore[attr-defined]
    assert driver.settle(lambda: engine.screen.step == "home")
    assert not engine.services.devices.smartcard.has_card()
