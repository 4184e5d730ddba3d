"""Reversals (冲正) on the host simulator: every operation declared reversible comes back to the fen and to its
business rows; reverse once, refuse what was never posted or is not reversible, replay the first answer, refuse
to undo a credit that has been spent."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.host.api import OPERATIONS
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import (
    KEY_ID,
    LI_ID,
    LI_PAN,
    LI_PIN,
    ZHANG_ID,
    ZHANG_PAN,
    ZHANG_PIN,
    SimControl,
    approval,
    call,
    new_key,
    pay_payload,
    pin_block,
    zhang_bills,
)
from .test_docs14 import SUN_PAN, SUN_PIN
from .test_fx_purchase import purchase_body, quote
from .test_loan import contract, decide
from .test_td_open import open_body
from .test_wealth import purchase as wealth_purchase

ELECTRICITY_BARCODE = "11010102345678"  # 张伟's electricity bill: 286.50 yuan

# What a reversal must give back: balances, and what the posting made besides (read straight from the host's db).
BOOKS = {
    "balances": "SELECT account_no, balance_fen FROM accounts ORDER BY account_no",
    "fx_holdings": "SELECT account_no, currency, balance_minor FROM fx_holdings ORDER BY 1, 2",
    "fx_quota_used": "SELECT id_number, SUM(usd_cents) FROM fx_purchases WHERE reversed_at IS NULL GROUP BY 1 ORDER BY 1",
    "wealth_quota": "SELECT code, quota_left_fen FROM wealth_products ORDER BY 1",
    "wealth_held": "SELECT holding_ref FROM wealth_holdings WHERE status = 'held' ORDER BY 1",
    "freezes": "SELECT certificate_ref, account_no, amount_fen FROM freezes ORDER BY 1",
    "si_bills": "SELECT bill_id, status, payment_ref FROM bills ORDER BY 1",
    "utility_bills": "SELECT id, status, payment_ref FROM utility_bills ORDER BY 1",
    "deposits_open": "SELECT cd_no, principal_fen FROM m14_deposits WHERE status = 'open' ORDER BY 1",
    "transfers_counted": "SELECT card_ref, SUM(amount_fen) FROM m14_transfers WHERE reversed_at IS NULL GROUP BY 1",
    "loans": "SELECT loan_no FROM loan_loans ORDER BY 1",
    "loan_schedule": "SELECT COUNT(*) FROM loan_schedule",
    "applications": "SELECT application_ref, status FROM loan_applications ORDER BY 1",
    "holds": "SELECT hold_ref, account_no, kind, settled FROM account_holds ORDER BY 1",
    "credit_records": "SELECT id FROM credit_records ORDER BY 1",
    "credit_queries": "SELECT id FROM credit_queries ORDER BY 1",
}


def books(simulator: HostSimulatorProcess) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(f"file:{Path(simulator.db_path)}?mode=ro", uri=True)
    try:
        return {name: [tuple(row) for row in conn.execute(sql)] for name, sql in BOOKS.items()}
    finally:
        conn.close()


def reverse(client: HostClient, original_key: str, key: str | None = None, reason: str = "dispenser_jam") -> dict[str, Any]:
    return call(client, "postings.reverse", {"original_key": original_key, "reason": reason}, key)


def refusal(client: HostClient, original_key: str) -> str:
    with pytest.raises(HostRejected) as refused:
        reverse(client, original_key)
    return refused.value.code


def _card(pan: str = ZHANG_PAN, pin: str = ZHANG_PIN) -> dict[str, str]:
    return {"pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID}


def to_li(amount_fen: int) -> dict[str, Any]:
    return {**_card(), "payee": {"bank_code": "DEMO", "account_no": LI_PAN, "name": "李秀英"},
            "amount_fen": amount_fen, "fee_fen": 0, "purpose": "family", "daily_limit_fen": 50_000_000}


# -- one posting per reversible operation: (prepare, post) -- prepare runs before the books are read -----------

Post = Callable[[HostClient], dict[str, Any]]


def _si_pay(client: HostClient) -> Post:
    first = zhang_bills(client)[0]
    return lambda c: pay_payload([first["bill_id"]], first["amount_fen"])


def _utility_pay(client: HostClient) -> Post:
    found = call(client, "utility.bill", {"barcode": ELECTRICITY_BARCODE})
    return lambda c: {"company_code": found["company_code"], "customer_no": found["customer_no"],
                      "periods": found["periods"], "amount_fen": found["amount_fen"], **_card()}


def _transfer_send(client: HostClient) -> Post:
    return lambda c: to_li(120_000)


def _fx_purchase(client: HostClient) -> Post:
    quoted = quote(client, 50_000)
    return lambda c: purchase_body(quoted)


def _wealth_purchase(client: HostClient) -> Post:
    return lambda c: wealth_purchase()


def _time_deposit_open(client: HostClient) -> Post:
    body = open_body(client, "1y", 300_000)
    return lambda c: body


def _statement_issue(client: HostClient) -> Post:
    preview = call(client, "statements.preview", {**_card(SUN_PAN, SUN_PIN), "months": 12})
    return lambda c: {**_card(SUN_PAN, SUN_PIN), "date_from": preview["date_from"], "date_to": preview["date_to"],
                      "pages": preview["pages"], "fee_fen": 150, "lang": "zh_CN"}


def _deposit_certify(client: HostClient) -> Post:
    ref = approval(client, "deposit_certificate")
    return lambda c: {"id_number": ZHANG_ID, **_card(), "amount_fen": 300_000, "months": 6, "fee_fen": 2000,
                      "approval_ref": ref, "lang": "zh_CN"}


def _credit_report(client: HostClient) -> Post:
    for _ in range(2):  # the two free reports of the year: the third has a fee
        call(client, "credit.report", {"id_number": LI_ID, "name": "李秀英", "fee_fen": 0, "lang": "zh_CN"})
    return lambda c: {"id_number": LI_ID, "name": "李秀英", "fee_fen": 1000, "lang": "zh_CN", **_card(LI_PAN, LI_PIN)}


def _loan_disburse(client: HostClient) -> Post:
    decision = decide(client)
    return lambda c: contract(decision)


PREPARE: dict[str, Callable[[HostClient], Post]] = {
    "si.pay": _si_pay, "utility.pay": _utility_pay, "transfer.send": _transfer_send, "fx.purchase": _fx_purchase,
    "wealth.purchase": _wealth_purchase, "time_deposits.open": _time_deposit_open,
    "statements.issue": _statement_issue, "deposits.certify": _deposit_certify, "credit.report": _credit_report,
    "loans.disburse": _loan_disburse,
}
AMOUNT = {"si.pay": "debited_fen", "loans.disburse": "credited_fen"}


def test_every_reversible_operation_is_tested_here() -> None:
    assert set(PREPARE) == {name for name, op in OPERATIONS.items() if op.reversible}
    assert all(OPERATIONS[name].posting for name in PREPARE)
    assert not OPERATIONS["postings.reverse"].reversible


@pytest.mark.parametrize("op", sorted(PREPARE))
def test_a_reversal_restores_the_books_exactly(op: str, client: HostClient, simulator: HostSimulatorProcess) -> None:
    body = PREPARE[op](client)(client)
    before = books(simulator)
    key = new_key()
    posted = call(client, op, body, key)
    assert books(simulator) != before
    reversed_ = reverse(client, key)
    assert books(simulator) == before
    amount = posted.get("debited_fen", posted.get("credited_fen"))
    assert reversed_ == {"reversal_ref": reversed_["reversal_ref"], "original_key": key, "reversed_fen": amount,
                         "replayed": False}
    assert reversed_["reversal_ref"].startswith("RV")


def test_a_bill_paid_is_due_again_and_can_be_paid_again(client: HostClient, sim: SimControl) -> None:
    first = zhang_bills(client)[0]
    key = new_key()
    call(client, "si.pay", pay_payload([first["bill_id"]], first["amount_fen"]), key)
    assert first["bill_id"] not in [b["bill_id"] for b in zhang_bills(client)]
    reverse(client, key)
    assert first in zhang_bills(client)
    before = sim.balance(ZHANG_PAN)
    call(client, "si.pay", pay_payload([first["bill_id"]], first["amount_fen"]))
    assert sim.balance(ZHANG_PAN) == before - first["amount_fen"]


def test_the_same_reversal_key_replays_and_changes_nothing(client: HostClient, sim: SimControl) -> None:
    key, reversal_key = new_key(), new_key()
    call(client, "transfer.send", to_li(10_000), key)
    first = reverse(client, key, reversal_key)
    balances = sim.balance(ZHANG_PAN), sim.balance(LI_PAN)
    assert reverse(client, key, reversal_key) == first
    assert (sim.balance(ZHANG_PAN), sim.balance(LI_PAN)) == balances


def test_another_key_for_the_same_original_answers_the_first_reversal(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    call(client, "transfer.send", to_li(10_000), key)
    first = reverse(client, key)
    balances = sim.balance(ZHANG_PAN), sim.balance(LI_PAN)
    second = reverse(client, key, reason="power_loss")
    assert second == {**first, "replayed": True}
    assert (sim.balance(ZHANG_PAN), sim.balance(LI_PAN)) == balances


def test_a_key_the_host_never_posted_is_refused(client: HostClient) -> None:
    assert refusal(client, new_key()) == "not_posted"
    first = zhang_bills(client)[0]
    key = new_key()
    with pytest.raises(HostRejected):  # refused: nothing posted under this key
        call(client, "si.pay", pay_payload([first["bill_id"]], first["amount_fen"] + 1), key)
    assert refusal(client, key) == "not_posted"


def test_an_operation_not_declared_reversible_is_refused(client: HostClient) -> None:
    key = new_key()
    call(client, "approvals.record", {"session_id": "S-TEST", "staff_token": _token(client), "decision": "approve",
                                      "reason": "checked", "subject": "formal loss"}, key)
    assert refusal(client, key) == "not_reversible"
    reversal_key = new_key()
    transfer = new_key()
    call(client, "transfer.send", to_li(1_000), transfer)
    reverse(client, transfer, reversal_key)
    assert refusal(client, reversal_key) == "not_reversible"  # a reversal is not reversed


def _token(client: HostClient) -> str:
    return str(call(client, "staff.sign_in", {"staff_number": "S1001", "password": "zhou1001"})["staff_token"])


def test_undoing_a_credit_that_was_spent_is_refused_until_the_money_is_back(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    call(client, "transfer.send", to_li(50_000), key)  # 李秀英: 860.00 + 500.00
    spend = {**_card(LI_PAN, LI_PIN), "payee": {"bank_code": "DEMO", "account_no": ZHANG_PAN, "name": "张伟"},
             "amount_fen": 130_000, "fee_fen": 0, "purpose": "family", "daily_limit_fen": 50_000_000}
    call(client, "transfer.send", spend)  # she sends 1,300.00 on: 60.00 left
    before = sim.balance(ZHANG_PAN), sim.balance(LI_PAN)
    assert refusal(client, key) == "insufficient_funds"
    assert (sim.balance(ZHANG_PAN), sim.balance(LI_PAN)) == before
    call(client, "transfer.send", to_li(50_000))  # the money is back: a later reversal goes through
    reversed_ = reverse(client, key)
    assert not reversed_["replayed"]
    assert (sim.balance(ZHANG_PAN), sim.balance(LI_PAN)) == before  # the second 500.00 sent, the first given back


def test_a_reversed_transfer_no_longer_counts_in_the_daily_total(client: HostClient) -> None:
    key = new_key()
    call(client, "transfer.send", to_li(30_000), key)
    payees = {"id_number": ZHANG_ID, "pan": ZHANG_PAN}
    assert call(client, "transfer.payees", payees)["sent_today_fen"] == 30_000
    reverse(client, key)
    assert call(client, "transfer.payees", payees)["sent_today_fen"] == 0


def test_a_deposit_withdrawn_since_is_not_reversed(client: HostClient, simulator: HostSimulatorProcess) -> None:
    key = new_key()
    opened = call(client, "time_deposits.open", open_body(client, "1y", 300_000), key)
    conn = sqlite3.connect(Path(simulator.db_path))
    try:  # withdrawn at the counter since
        with conn:
            conn.execute("UPDATE m14_deposits SET status = 'withdrawn' WHERE cd_no = ?", (opened["cd_no"],))
    finally:
        conn.close()
    assert refusal(client, key) == "original_used"
