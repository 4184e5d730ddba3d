"""Withdrawing time deposits on the host simulator: the card holder's deposits, quotes, withdrawals posted
once with the figures shown, and every refusal (card, PIN, deposit, partial rules, changed figures)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from kiosk.core.rates import add_months, interest_fen
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected

from .helpers import (
    KEY_ID,
    LI_PAN,
    LI_PIN,
    ZHANG_PAN,
    ZHANG_PAN_2,
    ZHANG_PIN,
    SimControl,
    call,
    new_key,
    pin_block,
)

MATURED, EARLY, PARTIAL_USED, ROLLOVER = "CD0000000001", "CD0000000002", "CD7000000001", "CD7000000002"
LOST_PAN = "6228480413130000016"  # sun_li's card under a verbal loss


def card(pan: str = ZHANG_PAN, pin: str = ZHANG_PIN) -> dict[str, str]:
    return {"pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID}


def holdings(client: HostClient, pan: str = ZHANG_PAN, pin: str = ZHANG_PIN) -> dict[str, Any]:
    return call(client, "time_deposits.holdings", card(pan, pin))


def quote(client: HostClient, cd_no: str, amount_fen: int | None = None, pan: str = ZHANG_PAN) -> dict[str, Any]:
    return call(client, "time_deposits.withdraw_quote", {"pan": pan, "cd_no": cd_no,
                                                         "kind": "full" if amount_fen is None else "partial",
                                                         "amount_fen": amount_fen})


def withdrawal(q: dict[str, Any], amount_fen: int | None = None, **overrides: Any) -> dict[str, Any]:
    body = {**card(), "cd_no": q["cd_no"], "kind": "full" if amount_fen is None else "partial",
            "amount_fen": amount_fen, "principal_fen": q["principal_fen"], "interest_fen": q["interest_fen"],
            "interest_lost_fen": q["interest_lost_fen"]}
    return {**body, **overrides}


def refusal(client: HostClient, op: str, body: dict[str, Any]) -> HostRejected:
    with pytest.raises(HostRejected) as refused:
        call(client, op, body)
    return refused.value


def test_the_card_holders_deposits_are_listed_soonest_maturity_first(client: HostClient, sim: SimControl) -> None:
    reply = holdings(client)
    deposits = {d["cd_no"]: d for d in reply["deposits"]}
    assert set(deposits) == {MATURED, EARLY, PARTIAL_USED, ROLLOVER}
    assert [d["maturity_on"] for d in reply["deposits"]] == sorted(d["maturity_on"] for d in reply["deposits"])
    assert deposits[MATURED]["matured"]
    assert not deposits[EARLY]["matured"]
    assert deposits[PARTIAL_USED]["partial_done"]
    assert deposits[EARLY]["cd_masked"] == "CD0000**0002"
    assert Decimal(reply["demand_rate"]) == Decimal("0.0005")
    assert reply["min_remainder_fen"] == 5000
    # the 3-month auto-rollover deposit opened 200 days ago is in its third term, its interest added twice
    rolled, today = deposits[ROLLOVER], date.fromisoformat(sim.state()["now"][:10])
    opened, rate = today - timedelta(days=200), Decimal("0.0065")
    ends = [add_months(opened, 3 * n) for n in (1, 2, 3)]
    first = 500000 + interest_fen(500000, rate, (ends[0] - opened).days)
    assert rolled["principal_fen"] == first + interest_fen(first, rate, (ends[1] - ends[0]).days)
    assert (rolled["opened_on"], rolled["maturity_on"]) == (ends[1].isoformat(), ends[2].isoformat())
    assert rolled["auto_rollover"]
    assert not rolled["matured"]


def test_the_same_list_from_the_holders_other_card(client: HostClient) -> None:
    assert len(holdings(client, ZHANG_PAN_2)["deposits"]) == 4
    assert holdings(client, LI_PAN, LI_PIN)["deposits"] == []


def test_a_wrong_pin_and_a_lost_card_are_refused(client: HostClient) -> None:
    wrong = refusal(client, "time_deposits.holdings", card(pin="000000"))
    assert (wrong.code, wrong.details) == ("pin_wrong", {"tries_left": 2})
    assert refusal(client, "time_deposits.holdings", card(LOST_PAN, "369258")).code == "card_lost"


def test_at_maturity_principal_and_term_interest_with_the_days_after_at_the_demand_rate(
        client: HostClient, sim: SimControl) -> None:
    q = quote(client, MATURED)
    assert q["withdrawal"] == "at_maturity"
    assert q["interest_lost_fen"] == 0
    assert q["remainder_fen"] == 0
    expected = (interest_fen(1000000, Decimal("0.0095"), q["days_held"])
                + interest_fen(1000000, Decimal("0.0005"), q["overdue_days"]))
    assert q["days_held"] in (365, 366)
    assert q["overdue_days"] == 400 - q["days_held"]
    assert q["interest_fen"] == expected
    assert q["credited_fen"] == 1000000 + expected
    before, key = sim.balance(ZHANG_PAN), new_key()
    done = call(client, "time_deposits.withdraw", withdrawal(q), key)
    assert call(client, "time_deposits.withdraw", withdrawal(q), key) == done  # a retry replays: once
    assert done["credited_fen"] == q["credited_fen"]
    assert sim.balance(ZHANG_PAN) == before + q["credited_fen"]
    assert [p["op"] for p in sim.state()["postings"]] == ["time_deposits.withdraw"]
    assert MATURED not in {d["cd_no"] for d in holdings(client)["deposits"]}
    assert refusal(client, "time_deposits.withdraw_quote",
                   {"pan": ZHANG_PAN, "cd_no": MATURED, "kind": "full"}).code == "deposit_withdrawn"
    lines = call(client, "accounts.balances", card())["transactions"][:2]
    assert sorted((t["kind"], t["amount_fen"]) for t in lines) == sorted(
        [("deposit_withdrawal", 1000000), ("interest", expected)])


def test_early_in_part_the_rest_keeps_its_term_and_rate_and_one_partial_only(
        client: HostClient, sim: SimControl) -> None:
    q = quote(client, EARLY, 500000)
    assert q["withdrawal"] == "early_partial"
    assert q["days_held"] == 200
    assert q["interest_fen"] == interest_fen(500000, Decimal("0.0005"), 200)
    assert q["interest_fen"] + q["interest_lost_fen"] == interest_fen(500000, Decimal("0.0125"), 200)
    assert q["remainder_fen"] == 1500000
    before = sim.balance(ZHANG_PAN)
    done = call(client, "time_deposits.withdraw", withdrawal(q, 500000))
    assert (done["remainder_fen"], done["maturity_on"]) == (1500000, q["maturity_on"])
    assert sim.balance(ZHANG_PAN) == before + 500000 + q["interest_fen"]
    left = next(d for d in holdings(client)["deposits"] if d["cd_no"] == EARLY)
    assert (left["principal_fen"], left["rate"], left["maturity_on"], left["partial_done"]) == (
        1500000, "0.0125", q["maturity_on"], True)
    assert refusal(client, "time_deposits.withdraw_quote",
                   {"pan": ZHANG_PAN, "cd_no": EARLY, "kind": "partial", "amount_fen": 10000}).code == (
        "partial_already_done")
    assert quote(client, EARLY)["principal_fen"] == 1500000  # still withdrawn in full


def test_a_partial_withdrawal_leaves_at_least_50_yuan(client: HostClient) -> None:
    refused = refusal(client, "time_deposits.withdraw_quote",
                      {"pan": ZHANG_PAN, "cd_no": EARLY, "kind": "partial", "amount_fen": 1995100})
    assert (refused.code, refused.details) == ("remainder_below_minimum",
                                               {"min_remainder_fen": 5000, "max_amount_fen": 1995000})
    assert quote(client, EARLY, 1995000)["remainder_fen"] == 5000
    assert refusal(client, "time_deposits.withdraw_quote",
                   {"pan": ZHANG_PAN, "cd_no": EARLY, "kind": "partial", "amount_fen": 2000000}).code == (
        "remainder_below_minimum")


def test_a_matured_deposit_is_withdrawn_in_full(client: HostClient) -> None:
    refused = refusal(client, "time_deposits.withdraw_quote",
                      {"pan": ZHANG_PAN, "cd_no": MATURED, "kind": "partial", "amount_fen": 10000})
    assert refused.code == "partial_at_maturity"


def test_other_figures_than_the_quote_are_refused_with_the_new_quote(client: HostClient, sim: SimControl) -> None:
    q = quote(client, EARLY)
    before = sim.balance(ZHANG_PAN)
    refused = refusal(client, "time_deposits.withdraw", withdrawal(q, interest_fen=q["interest_fen"] + 1))
    assert refused.code == "quote_changed"
    assert refused.details["quote"]["interest_fen"] == q["interest_fen"]
    assert refusal(client, "time_deposits.withdraw", withdrawal(q, interest_lost_fen=0)).code == "quote_changed"
    assert sim.balance(ZHANG_PAN) == before
    assert EARLY in {d["cd_no"] for d in holdings(client)["deposits"]}


def test_another_customers_or_an_unknown_deposit_is_refused(client: HostClient) -> None:
    assert refusal(client, "time_deposits.withdraw_quote",
                   {"pan": LI_PAN, "cd_no": EARLY, "kind": "full"}).code == "deposit_not_yours"
    assert refusal(client, "time_deposits.withdraw_quote",
                   {"pan": ZHANG_PAN, "cd_no": "CD9999999999", "kind": "full"}).code == "deposit_not_found"
    q = quote(client, EARLY)
    body = withdrawal(q, **card(LI_PAN, LI_PIN))
    assert refusal(client, "time_deposits.withdraw", body).code == "deposit_not_yours"


def test_the_withdrawal_checks_the_pin(client: HostClient, sim: SimControl) -> None:
    q = quote(client, MATURED)
    before = sim.balance(ZHANG_PAN)
    wrong = refusal(client, "time_deposits.withdraw", withdrawal(q, pin_block=pin_block("000000", ZHANG_PAN)))
    assert wrong.code == "pin_wrong"
    assert sim.balance(ZHANG_PAN) == before


def test_an_auto_rollover_deposit_is_withdrawn_from_its_current_term(client: HostClient, sim: SimControl) -> None:
    listed = next(d for d in holdings(client)["deposits"] if d["cd_no"] == ROLLOVER)
    q = quote(client, ROLLOVER, 100000)
    assert q["opened_on"] == listed["opened_on"]
    assert q["remainder_fen"] == listed["principal_fen"] - 100000
    call(client, "time_deposits.withdraw", withdrawal(q, 100000))
    left = next(d for d in holdings(client)["deposits"] if d["cd_no"] == ROLLOVER)
    assert (left["principal_fen"], left["opened_on"], left["maturity_on"]) == (
        q["remainder_fen"], listed["opened_on"], listed["maturity_on"])
