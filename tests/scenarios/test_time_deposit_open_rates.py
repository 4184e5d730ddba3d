"""time_deposit_open headless, where a scenario file cannot reach: the bank changes a rate between the
table the customer saw and the posting. The host refuses the old rate (``rate_changed``), nothing is
debited, and the customer is back at the amount with the new table; the deposit is opened at the new rate
with the interest shown for it."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from flows.time_deposit_open import term_interest_fen
from kiosk.app.scenario import Action, Setup
from kiosk.app.scenario_driver import Driver
from kiosk.core.money import format_fen
from kiosk.engine.screens import Outcome


def act(driver: Driver, **action: Any) -> None:
    driver.perform(0, Action.model_validate(action))


def rows(driver: Driver) -> dict[str, str]:
    return {r.label: r.value for r in driver.engine.screen.rows}


def shown(interest: int, principal: int = 300000) -> str:
    """The interest row: the interest and the total at maturity."""
    return f"{format_fen(interest)} 元（到期本息 {format_fen(principal + interest)} 元）"


def change_rate(driver: Driver, term: str, rate: str) -> None:
    process = driver.kiosk.host_process
    assert process is not None
    conn = sqlite3.connect(process.db_path, timeout=10)
    try:
        with conn:
            conn.execute("UPDATE m14_deposit_rates SET rate = ? WHERE term = ?", (rate, term))
    finally:
        conn.close()


def choose_term_and_confirm(driver: Driver, amount: str) -> None:
    act(driver, expect="amount", submit={"deposit_yuan": amount})
    act(driver, expect="term", choose="1y")
    act(driver, expect="rollover", choose="auto")
    act(driver, expect="confirm")


def test_a_rate_changed_before_the_posting_is_refused_and_quoted_again(driver: Driver) -> None:
    driver.setup(Setup(bank_card="zhang_wei_1"), "time_deposit_open")
    choose_term_and_confirm(driver, "3000")
    value_date = driver.engine.session.flow_data.table.value_date  # type: ignore[union-attr]
    assert rows(driver)["年利率"] == "0.95%"
    assert rows(driver)["预计到期利息"] == shown(term_interest_fen(300000, Decimal("0.0095"), value_date, 12))
    change_rate(driver, "1y", "0.0110")  # the bank's new rate, published while the customer reads
    act(driver, expect="confirm", choose="confirm")
    act(driver, expect="pin", pinpad="147258#")
    act(driver, expect="amount", expect_error=True)
    assert "利率已调整" in str(driver.engine.screen.error)
    act(driver, expect="amount", submit={"deposit_yuan": "3000"})
    act(driver, expect="term")
    one_year = next(c for c in driver.engine.screen.choices if c.id == "1y")
    assert "1.10%" in one_year.detail
    act(driver, expect="term", choose="1y")
    act(driver, expect="rollover", choose="auto")
    act(driver, expect="confirm")
    interest = term_interest_fen(300000, Decimal("0.0110"), value_date, 12)
    assert rows(driver)["年利率"] == "1.10%"
    assert rows(driver)["预计到期利息"] == shown(interest)
    act(driver, expect="confirm", choose="confirm")
    act(driver, expect="pin", pinpad="147258#")
    act(driver, expect="result")
    opened = driver.engine.session.flow_data.opened  # type: ignore[union-attr]
    assert (opened.rate, opened.interest_fen, opened.principal_fen) == (Decimal("0.0110"), interest, 300000)
    act(driver, expect="result", **{"continue": True})
    act(driver, expect="receipt", take_receipt=True, **{"continue": True})
    report = driver.finish()
    assert report.outcome == Outcome.COMPLETED
    postings = [p for p in driver.qa.host_state()["postings"] if p["op"] == "time_deposits.open"]
    assert sorted((p["http_status"], p["amount_fen"] or 0) for p in postings) == [(200, 300000), (422, 0)]
