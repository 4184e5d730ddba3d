"""Opening a time deposit on the host simulator (over HTTP): the rate table, the deposit opened once at the
rate and interest shown, the principal debited exactly, and each refusal with nothing changed."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.rates import add_months
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import KEY_ID, ZHANG_PAN, ZHANG_PAN_2, ZHANG_PIN, SimControl, new_key, pin_block

LOST_PAN = "6228480413130000016"  # sun_li's card under a verbal loss
SUN_PIN = "369258"
TERMS = ["3m", "6m", "1y", "2y", "3y", "5y"]


def table(client: HostClient, pan: str = ZHANG_PAN) -> dict[str, Any]:
    return client.call("time_deposits.rate_table", {"pan": pan}, new_key(), "s1")


def expected_interest(principal: int, rate: str, start: date, months: int) -> int:
    days = (add_months(start, months) - start).days
    exact = Fraction(principal) * Fraction(Decimal(rate)) * days / 360
    return int((exact + Fraction(1, 2)).__floor__())


def open_body(client: HostClient, term: str = "1y", amount_fen: int = 300000, pan: str = ZHANG_PAN,
              pin: str = ZHANG_PIN, **overrides: Any) -> dict[str, Any]:
    quoted = table(client)  # the bank's table: the same for every card
    rate = next(r for r in quoted["rates"] if r["term"] == term)
    start = date.fromisoformat(quoted["value_date"])
    body = {"pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID, "term": term, "amount_fen": amount_fen,
            "rate": rate["rate"], "interest_fen": expected_interest(amount_fen, rate["rate"], start, rate["months"]),
            "auto_rollover": True}
    return {**body, **overrides}


def refused(client: HostClient, body: dict[str, Any]) -> HostRejected:
    with pytest.raises(HostRejected) as caught:
        client.call("time_deposits.open", body, new_key(), "s1")
    return caught.value


def deposits(simulator: HostSimulatorProcess) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{Path(simulator.db_path)}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM m14_deposits ORDER BY cd_no").fetchall()
    finally:
        conn.close()


def test_the_rate_table_lists_the_terms_shortest_first_with_decimal_rates(client: HostClient) -> None:
    reply = table(client)
    assert [r["term"] for r in reply["rates"]] == TERMS
    assert [r["months"] for r in reply["rates"]] == [3, 6, 12, 24, 36, 60]
    assert [r["rate"] for r in reply["rates"]] == ["0.0065", "0.0085", "0.0095", "0.0105", "0.0125", "0.0130"]
    assert reply["minimum_fen"] == 5000
    assert date.fromisoformat(reply["value_date"]) == date.today()
    assert reply["account_masked"].count("*") > 0


@pytest.mark.parametrize(("pan", "code"), [(LOST_PAN, "card_lost"), ("6228480499999999999", "card_not_found")])
def test_the_rate_table_refuses_a_card_that_cannot_pay(client: HostClient, pan: str, code: str) -> None:
    with pytest.raises(HostRejected) as caught:
        table(client, pan)
    assert caught.value.code == code


def test_a_deposit_is_opened_once_at_the_rate_and_interest_shown(
        client: HostClient, sim: SimControl, simulator: HostSimulatorProcess) -> None:
    before = sim.balance(ZHANG_PAN)
    body = open_body(client, "1y", 300000)
    key = new_key()
    opened = client.call("time_deposits.open", body, key, "s1")
    again = client.call("time_deposits.open", body, key, "s1")  # a retry under the same key replays
    assert again == opened
    assert sim.balance(ZHANG_PAN) == before - 300000
    assert opened["cd_no"].startswith("CD")
    assert len(opened["cd_no"]) == 12
    assert (opened["principal_fen"], opened["debited_fen"], opened["rate"]) == (300000, 300000, "0.0095")
    assert opened["interest_fen"] == body["interest_fen"]
    start = date.fromisoformat(opened["opened_on"])
    assert date.fromisoformat(opened["maturity_on"]) == add_months(start, 12)
    rows = [r for r in deposits(simulator) if r["cd_no"] == opened["cd_no"]]
    assert len(rows) == 1
    row = rows[0]
    assert (row["term"], row["principal_fen"], row["rate"], row["auto_rollover"], row["status"]) == (
        "1y", 300000, "0.0095", 1, "open")
    assert row["idempotency_key"] == key
    postings = [p for p in sim.state()["postings"] if p["op"] == "time_deposits.open"]
    assert len(postings) == 1
    assert postings[0]["amount_fen"] == 300000


def test_the_principal_has_its_line_in_the_account_transactions(client: HostClient) -> None:
    opened = client.call("time_deposits.open", open_body(client, "3m", 5000), new_key(), "s1")
    latest = client.call("accounts.balances", {"pan": ZHANG_PAN, "pin_block": pin_block(ZHANG_PIN, ZHANG_PAN),
                                               "key_id": KEY_ID}, new_key(), "s1")["transactions"][0]
    assert (latest["kind"], latest["amount_fen"]) == ("to_time_deposit", -5000)
    assert latest["posted_on"] == opened["opened_on"]


@pytest.mark.parametrize(("amount_fen", "overrides", "code", "details"), [
    (100000, {"rate": "0.0100"}, "rate_changed", {"rate": "0.0105"}),
    (100000, {"interest_fen": 1}, "interest_changed", None),
    (4999, {}, "below_minimum", {"minimum_fen": 5000}),
    (600000, {}, "insufficient_funds", {"available_fen": 500000}),
    (100000, {"pin_block": pin_block("000000", ZHANG_PAN)}, "pin_wrong", {"tries_left": 2}),
])
def test_refusals_change_nothing(client: HostClient, sim: SimControl, simulator: HostSimulatorProcess,
                                 amount_fen: int, overrides: dict[str, Any], code: str,
                                 details: dict[str, Any] | None) -> None:
    before, held = sim.balance(ZHANG_PAN), len(deposits(simulator))
    error = refused(client, open_body(client, "2y", amount_fen, **overrides))
    assert error.code == code
    if details is not None:
        assert error.details == details
    assert sim.balance(ZHANG_PAN) == before
    assert len(deposits(simulator)) == held


def test_a_card_with_little_money_is_refused_with_what_is_available(client: HostClient) -> None:
    error = refused(client, open_body(client, "6m", 10000, pan=ZHANG_PAN_2))
    assert (error.code, error.details) == ("insufficient_funds", {"available_fen": 2350})


def test_a_lost_card_cannot_open_a_deposit(client: HostClient) -> None:
    body = open_body(client, "1y", 10000, pan=LOST_PAN, pin=SUN_PIN)
    assert refused(client, body).code == "card_lost"


def test_a_rate_shown_as_another_decimal_spelling_is_the_same_rate(client: HostClient) -> None:
    body = open_body(client, "5y", 100000)
    opened = client.call("time_deposits.open", {**body, "rate": "0.013000"}, new_key(), "s1")
    assert opened["rate"] == "0.0130"
