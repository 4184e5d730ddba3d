"""Consumer loans on the host simulator (over HTTP): the decision recorded once with its reasons and factors,
the credit bureau queried once, each refusal with nothing recorded, and the pay-out: once, at the figures
approved, into the card's account, with its schedule, the account held and the loan reported."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.annuity import repayment_schedule
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import KEY_ID, LI_ID, LI_PAN, ZHANG_ID, ZHANG_PAN, ZHANG_PIN, SimControl, new_key, pin_block

GAO_ID, GAO_PAN, GAO_PIN = "320106198811230024", "6228480402564890042", "369258"
TANG_ID, TANG_PAN = "43010219960412002X", "6228480415010000016"  # no credit record: 6 months' income
SUN_ID, SUN_LOST_PAN = "110102198804172028", "6228480413130000016"  # a card under a verbal loss


def application(**overrides: Any) -> dict[str, Any]:
    body = {"id_number": ZHANG_ID, "pan": ZHANG_PAN, "amount_fen": 5_000_000, "term_months": 12,
            "purpose": "home_furnishing", "monthly_income_fen": 4_000_000, "consent_credit_bureau": True,
            "consent_social_insurance": True}
    return {**body, **overrides}


def decide(client: HostClient, key: str | None = None, **overrides: Any) -> dict[str, Any]:
    return client.call("loans.decide", application(**overrides), key or new_key(), "s1")


def contract(decision: dict[str, Any], pin: str = ZHANG_PIN, **overrides: Any) -> dict[str, Any]:
    body = {"application_ref": decision["application_ref"], "id_number": ZHANG_ID, "pan": ZHANG_PAN,
            "pin_block": pin_block(pin, ZHANG_PAN), "key_id": KEY_ID, "amount_fen": decision["amount_fen"],
            "term_months": decision["term_months"], "apr": decision["apr"],
            "instalment_fen": decision["instalment_fen"], "last_instalment_fen": decision["last_instalment_fen"],
            "total_interest_fen": decision["total_interest_fen"], "value_date": decision["value_date"]}
    return {**body, **overrides}


def refused(client: HostClient, op: str, body: dict[str, Any]) -> HostRejected:
    with pytest.raises(HostRejected) as caught:
        client.call(op, body, new_key(), "s1")
    return caught.value


def rows(simulator: HostSimulatorProcess, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{Path(simulator.db_path)}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_an_approval_gives_the_limit_the_apr_and_the_instalments(client: HostClient) -> None:
    reply = decide(client)
    assert (reply["decision"], reply["score"], reply["reasons"]) == ("approved", 89, [])
    assert (reply["limit_fen"], reply["apr"]) == (20_000_000, "0.0360")
    schedule = repayment_schedule(5_000_000, Decimal("0.036"), 12, date.fromisoformat(reply["value_date"]))
    assert (reply["instalment_fen"], reply["last_instalment_fen"], reply["total_interest_fen"]) == (
        schedule.regular_fen, schedule.last_fen, schedule.total_interest_fen)
    assert [(f["factor"], f["points"]) for f in reply["factors"]] == [
        ("credit_record", 35), ("social_insurance", 25), ("debt_to_income", 18), ("existing_loans", 6), ("age", 5)]
    expires = datetime.fromisoformat(reply["offer_expires_at"])
    assert timedelta(minutes=29) < expires - datetime.now().astimezone() <= timedelta(minutes=30)
    assert reply["application_ref"].startswith("LA")
    assert reply["callback_by"] is None


def test_the_application_and_the_bureau_query_are_recorded_once_per_request(
        client: HostClient, simulator: HostSimulatorProcess) -> None:
    key = new_key()
    first = decide(client, key)
    assert decide(client, key) == first  # a retry of the same request answers the same decision
    recorded = rows(simulator, "SELECT * FROM loan_applications")
    assert [(r["application_ref"], r["decision"], r["score"], r["idempotency_key"]) for r in recorded] == [
        (first["application_ref"], "approved", 89, key)]
    queries = rows(simulator, "SELECT queried_by, reason, self FROM credit_queries WHERE id_number = ? AND self = 0 "
                              "AND reason = '贷款审批'", ZHANG_ID)
    assert [tuple(q) for q in queries] == [("示范银行", "贷款审批", 0)]


def test_a_referral_says_when_staff_call_and_on_which_number(client: HostClient) -> None:
    reply = decide(client, id_number=GAO_ID, pan=GAO_PAN, amount_fen=3_000_000, term_months=24, purpose="travel",
                   monthly_income_fen=1_500_000)
    assert (reply["decision"], reply["score"], reply["reasons"]) == ("referred", 61, ["credit_overdue"])
    assert reply["mobile_masked"] == "133****6666"
    callback = datetime.fromisoformat(reply["callback_by"])
    assert (callback.hour, callback.minute) == (17, 30)
    assert callback.weekday() < 5
    assert callback.date() > date.today()
    assert reply["apr"] is reply["instalment_fen"] is reply["offer_expires_at"] is None


def test_a_decline_gives_its_reasons_and_no_offer(client: HostClient) -> None:
    reply = decide(client, id_number=LI_ID, pan=LI_PAN, amount_fen=2_000_000, purpose="medical",
                   monthly_income_fen=600_000)
    assert (reply["decision"], reply["reasons"]) == ("declined", ["age"])
    assert reply["limit_fen"] is reply["apr"] is reply["instalment_fen"] is None


def test_above_the_limit_the_decline_says_the_limit(client: HostClient) -> None:
    reply = decide(client, id_number=TANG_ID, pan=TANG_PAN, amount_fen=12_000_000, term_months=36,
                   monthly_income_fen=1_200_000)
    assert (reply["decision"], reply["reasons"], reply["limit_fen"]) == ("declined", ["amount_over_limit"], 7_200_000)


@pytest.mark.parametrize(("overrides", "code"), [
    ({"pan": GAO_PAN}, "card_not_yours"),
    ({"id_number": SUN_ID, "pan": SUN_LOST_PAN}, "card_lost"),
    ({"pan": "6228480499999999999"}, "card_not_found"),
    ({"consent_credit_bureau": False}, "consent_required"),
    ({"consent_social_insurance": False}, "consent_required"),
    ({"purpose": "securities"}, "purpose_prohibited"),
    ({"purpose": "property"}, "purpose_prohibited"),
    ({"purpose": "gambling"}, "purpose_unknown"),
    ({"term_months": 18}, "term_unknown"),
    ({"amount_fen": 99_999}, "amount_out_of_range"),
    ({"amount_fen": 20_000_100}, "amount_out_of_range"),
])
def test_refusals_record_nothing(client: HostClient, simulator: HostSimulatorProcess, overrides: dict[str, Any],
                                 code: str) -> None:
    assert refused(client, "loans.decide", application(**overrides)).code == code
    assert rows(simulator, "SELECT * FROM loan_applications") == []
    assert rows(simulator, "SELECT * FROM credit_queries WHERE reason = '贷款审批'") == []


def test_the_loan_is_paid_out_once_into_the_cards_account(
        client: HostClient, sim: SimControl, simulator: HostSimulatorProcess) -> None:
    before = sim.balance(ZHANG_PAN)
    decision = decide(client)
    key = new_key()
    loan = client.call("loans.disburse", contract(decision), key, "s1")
    assert client.call("loans.disburse", contract(decision), key, "s1") == loan  # a retry replays
    assert sim.balance(ZHANG_PAN) == before + 5_000_000
    assert (loan["principal_fen"], loan["credited_fen"], loan["apr"], loan["term_months"]) == (
        5_000_000, 5_000_000, "0.0360", 12)
    start = date.fromisoformat(loan["disbursed_on"])
    assert date.fromisoformat(loan["cooling_off_until"]) == start + timedelta(days=7)
    assert date.fromisoformat(loan["first_due_on"]) == repayment_schedule(
        5_000_000, Decimal("0.036"), 12, start).first_due_on
    postings = [p for p in sim.state()["postings"] if p["op"] == "loans.disburse"]
    assert [(p["idempotency_key"], p["amount_fen"]) for p in postings] == [(key, None)]  # nothing debited
    schedule = rows(simulator, "SELECT principal_fen, payment_fen FROM loan_schedule WHERE loan_no = ?",
                    loan["loan_no"])
    assert len(schedule) == 12
    assert sum(r["principal_fen"] for r in schedule) == 5_000_000
    assert sum(r["payment_fen"] for r in schedule) == 5_000_000 + loan["total_interest_fen"]


def test_the_pay_out_has_its_line_holds_the_account_and_is_reported(
        client: HostClient, simulator: HostSimulatorProcess) -> None:
    loan = client.call("loans.disburse", contract(decide(client)), new_key(), "s1")
    latest = client.call("accounts.balances", {"pan": ZHANG_PAN, "pin_block": pin_block(ZHANG_PIN, ZHANG_PAN),
                                               "key_id": KEY_ID}, new_key(), "s1")["transactions"][0]
    assert (latest["kind"], latest["amount_fen"]) == ("loan_disbursement", 5_000_000)
    holds = rows(simulator, "SELECT h.kind FROM account_holds h JOIN cards c ON c.account_no = h.account_no "
                            "WHERE c.pan = ?", ZHANG_PAN)
    assert [h["kind"] for h in holds] == ["loan"]
    bureau = rows(simulator, "SELECT lender, product, balance_fen FROM credit_records WHERE id_number = ? "
                             "AND product = '个人消费贷款'", ZHANG_ID)
    assert [tuple(b) for b in bureau] == [("示范银行", "个人消费贷款", loan["principal_fen"])]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"instalment_fen": 1}, "terms_changed"),
    ({"apr": "0.0480"}, "terms_changed"),
    ({"amount_fen": 4_000_000}, "terms_changed"),
    ({"value_date": "2020-01-01"}, "terms_changed"),
    ({"application_ref": "LA9999999999"}, "application_unknown"),
    ({"pan": "6228480402564890026", "pin_block": pin_block(ZHANG_PIN, "6228480402564890026")},
     "application_unknown"),  # his other card: the application was made with the first
])
def test_a_contract_other_than_the_approval_is_refused(client: HostClient, sim: SimControl,
                                                       overrides: dict[str, Any], code: str) -> None:
    before = sim.balance(ZHANG_PAN)
    assert refused(client, "loans.disburse", contract(decide(client), **overrides)).code == code
    assert sim.balance(ZHANG_PAN) == before


def test_a_wrong_pin_counts_and_pays_nothing(client: HostClient, sim: SimControl) -> None:
    before = sim.balance(ZHANG_PAN)
    error = refused(client, "loans.disburse", contract(decide(client), pin="000000"))
    assert (error.code, error.details["tries_left"]) == ("pin_wrong", 2)
    assert sim.balance(ZHANG_PAN) == before


def test_an_approval_is_signed_within_30_minutes(client: HostClient, sim: SimControl) -> None:
    decision = decide(client)
    sim.advance(30 * 60)
    assert refused(client, "loans.disburse", contract(decision)).code == "offer_expired"


def test_a_loan_is_paid_out_once_and_only_an_approval_is(client: HostClient) -> None:
    decision = decide(client)
    client.call("loans.disburse", contract(decision), new_key(), "s1")
    assert refused(client, "loans.disburse", contract(decision)).code == "already_disbursed"  # another key
    declined = decide(client, amount_fen=20_000_000, term_months=6)
    assert refused(client, "loans.disburse", contract({**declined, "apr": "0.0480", "instalment_fen": 1,
                                                       "last_instalment_fen": 1, "total_interest_fen": 1})
                   ).code == "not_approved"
