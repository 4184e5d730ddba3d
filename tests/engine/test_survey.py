"""Satisfaction after a completed session (issue 15): one touch, a reason after "dissatisfied", skippable, gone by
itself after ``timeouts.satisfaction_s``; journaled on the session it rates; never after a cancelled one."""

from __future__ import annotations

from pathlib import Path

from kiosk.app.scenario import load_scenario
from kiosk.engine.screens import Input, InputKind, ScreenKind

ROOT = Path(__file__).resolve().parents[2]


def complete_pin_change(driver, back: bool = False) -> str:
    """The shipped happy path (147258 -> 582936), or with ``back`` the same change the other way."""
    scenario = load_scenario(ROOT / "tests/scenarios/pin_change/happy_path.toml")
    driver.setup(scenario.setup, scenario.flow)
    swap = {"147258#": "582936#", "582936#": "147258#"}
    for number, action in enumerate(scenario.step, 1):
        if back and action.pinpad:
            action = action.model_copy(update={"pinpad": swap[action.pinpad]})
        driver.perform(number, action)
    report = driver.finish()
    assert report.outcome == "completed"
    return report.session_id


def answers(engine, session_id: str) -> list[dict]:
    rows = engine.services.journal.entries(session_id)
    return [e.detail for e in rows if e.kind == "survey" and e.name == "satisfaction"]


def test_after_a_completed_session_one_touch_rates_it(driver) -> None:
    engine = driver.engine
    session_id = complete_pin_change(driver)
    screen = engine.screen
    assert (screen.kind, screen.step) == (ScreenKind.CHOICE, "satisfaction")
    assert [c.id for c in screen.choices] == ["satisfied", "neutral", "dissatisfied", "skip"]
    assert screen.title == "您对本次服务满意吗？"
    assert not screen.can_cancel
    engine.send(Input(InputKind.CHOOSE, "satisfied"))
    assert engine.screen.step == "home"
    assert answers(engine, session_id) == [{"flow": "pin_change", "rating": "satisfied"}]


def test_dissatisfied_asks_why(driver) -> None:
    engine = driver.engine
    session_id = complete_pin_change(driver)
    engine.send(Input(InputKind.CHOOSE, "dissatisfied"))
    assert engine.screen.step == "satisfaction_reason"
    assert "waiting" in [c.id for c in engine.screen.choices]
    engine.send(Input(InputKind.CHOOSE, "waiting"))
    assert engine.screen.step == "home"
    assert answers(engine, session_id) == [{"flow": "pin_change", "rating": "dissatisfied", "reason": "waiting"}]


def test_skipped_or_left_alone_it_goes_away_and_says_so_in_the_journal(driver) -> None:
    engine = driver.engine
    first = complete_pin_change(driver)
    engine.send(Input(InputKind.CHOOSE, "skip"))
    assert engine.screen.step == "home"
    second = complete_pin_change(driver, back=True)
    assert engine.screen.step == "satisfaction"
    up = engine.services.settings.timeouts.satisfaction_s
    engine.services.clock.advance(up - 1)
    engine.tick()
    assert engine.screen.step == "satisfaction"
    engine.services.clock.advance(2)
    engine.tick()
    assert engine.screen.step == "home"
    assert answers(engine, first) == [{"flow": "pin_change", "rating": "skipped"}]
    assert answers(engine, second) == [{"flow": "pin_change", "rating": "timeout"}]


def test_not_asked_after_a_cancelled_session(driver) -> None:
    engine = driver.engine
    driver.qa.insert_bank_card("zhang_wei_1")
    engine.send(Input(InputKind.START, "pin_change"))
    driver.wait_for_screen("old_pin")
    engine.send(Input(InputKind.CANCEL))
    driver.qa.take_bank_card()
    driver.finish()
    assert engine.screen.step in ("home", "home_card")


def test_the_next_customer_starting_a_service_skips_it(driver) -> None:
    engine = driver.engine
    session_id = complete_pin_change(driver)
    engine.send(Input(InputKind.START, "balance_inquiry"))
    assert engine.session is not None
    assert answers(engine, session_id) == [{"flow": "pin_change", "rating": "skipped", "why": "next_session"}]
