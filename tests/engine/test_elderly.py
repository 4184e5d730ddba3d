"""Elderly mode in the engine: offered (never forced) from 60, doubled timeouts, the fraud warning's pause."""

from __future__ import annotations

from kiosk.engine.screens import Input, InputKind


def start(driver, person: str, flow: str = "si_payment") -> None:
    driver.qa.place_id_card(person)
    driver.qa.insert_bank_card("li_xiuying_1" if person == "li_xiuying" else "zhang_wei_1")
    driver.qa.take_bank_card()
    driver.engine.send(Input(InputKind.START, flow))
    driver.wait_for_screen("consent")
    driver.engine.send(Input(InputKind.CHOOSE, "agree"))


def test_elderly_mode_is_offered_from_sixty_until_answered(kiosk, driver) -> None:
    start(driver, "li_xiuying")
    driver.wait_for_screen("bill")
    engine = kiosk.engine
    assert "offer_elderly" in engine.screen.data
    assert not engine.screen.elderly
    assert engine.screen.timeout_s == 60
    engine.send(Input(InputKind.ELDERLY, "on"))
    assert engine.screen.elderly
    assert "offer_elderly" not in engine.screen.data
    assert engine.screen.timeout_s == 120


def test_no_offer_under_sixty(kiosk, driver) -> None:
    start(driver, "zhang_wei")
    driver.wait_for_screen("bill")
    assert "offer_elderly" not in kiosk.engine.screen.data


def go_to_fraud_warning(driver) -> None:
    driver.wait_for_screen("bill")
    driver.engine.send(Input(InputKind.CHOOSE, "all"))
    driver.wait_for_screen("fraud_warning")


def test_fraud_warning_waits_in_elderly_mode(kiosk, driver) -> None:
    kiosk.engine.send(Input(InputKind.ELDERLY, "on"))
    start(driver, "zhang_wei")
    go_to_fraud_warning(driver)
    engine = kiosk.engine
    (choice,) = engine.screen.choices
    assert not choice.enabled
    assert engine.screen.data["wait_s"] == 6
    engine.send(Input(InputKind.CONTINUE))
    assert engine.screen.step == "fraud_warning"  # too early: nothing happens
    driver.advance(3)
    assert engine.screen.data["wait_s"] == 3
    driver.advance(3)
    assert engine.screen.choices[0].enabled
    assert engine.screen.data["wait_s"] == 0
    engine.send(Input(InputKind.CONTINUE))
    driver.wait_for_screen("confirm")


def test_fraud_warning_does_not_wait_in_standard_mode(kiosk, driver) -> None:
    start(driver, "zhang_wei")
    go_to_fraud_warning(driver)
    assert kiosk.engine.screen.choices[0].enabled
    kiosk.engine.send(Input(InputKind.CONTINUE))
    driver.wait_for_screen("confirm")
