"""Utility bills (生活缴费) on the host simulator: the bill by barcode or by kind and customer number, its real
refusals, a payment posted once for exactly the amount shown, and (hypothesis) that paying never loses or
invents a fen."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.host.api_utility import UtilityBillRequest, UtilityPayRequest
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.ops_utility import pay_utility_bill
from kiosk.host.sim.seed import load_seed, seed_database
from kiosk.host.sim.store import Store

from .helpers import (
    KEY_ID,
    WORKING_KEY,
    ZHANG_PAN,
    ZHANG_PAN_2,
    ZHANG_PIN,
    SimControl,
    call,
    new_key,
    pin_block,
)

ELECTRICITY_BARCODE = "11010102345678"  # 张伟's electricity bill: 286.50 yuan for 2026-11
GAS_BARCODE = "11038800123456"  # 李秀英's gas bill: 135.90 yuan, re-read to 142.60 once looked up
NOW = datetime(2026, 12, 5, 10, 0).astimezone()
SUN_LOST_PAN, SUN_EXPIRED_PAN, SUN_PIN = "6228480413130000016", "6228480413130000032", "369258"


def bill(client: HostClient, **request: Any) -> dict[str, Any]:
    return call(client, "utility.bill", request)


def pay(client: HostClient, found: dict[str, Any], pan: str = ZHANG_PAN, pin: str = ZHANG_PIN,
        key: str | None = None, **changes: Any) -> dict[str, Any]:
    payload = {"company_code": found["company_code"], "customer_no": found["customer_no"],
               "periods": found["periods"], "amount_fen": found["amount_fen"], "pan": pan,
               "pin_block": pin_block(pin, pan), "key_id": KEY_ID, **changes}
    return call(client, "utility.pay", payload, key)


def refused(call_it: Any) -> HostRejected:
    with pytest.raises(HostRejected) as refusal:
        call_it()
    return refusal.value


def test_a_barcode_names_the_company_and_the_customer_number(client: HostClient) -> None:
    found = bill(client, barcode=ELECTRICITY_BARCODE)
    assert found == {"kind": "electricity", "company_code": "1101", "company_name": "国网北京市电力公司",
                     "customer_no": "0102345678", "holder_masked": "张*", "periods": ["2026-11"], "amount_fen": 28650}


def test_a_typed_number_finds_every_month_due_oldest_first(client: HostClient) -> None:
    found = bill(client, kind="water", customer_no="3300012345")
    assert (found["periods"], found["amount_fen"], found["company_name"]) == (["2026-10", "2026-11"], 9800,
                                                                               "北京市自来水集团")


@pytest.mark.parametrize(("request_", "code"), [
    ({"kind": "electricity", "customer_no": "0100000000"}, "account_unknown"),
    ({"kind": "gas", "customer_no": "0102345678"}, "account_unknown"),  # an electricity number, not gas
    ({"barcode": "11019999999999"}, "account_unknown"),
    ({"barcode": "99990102345678"}, "barcode_unknown"),  # no company the bank collects for
    ({"barcode": "https://pay.example.com/qr/8f3a2c"}, "barcode_unknown"),
    ({"barcode": "1101123"}, "barcode_unknown"),  # too short for a customer number
    ({"barcode": "11010109876543"}, "no_bill_due"),  # paid already
])
def test_lookup_refusals(client: HostClient, request_: dict[str, str], code: str) -> None:
    assert refused(lambda: bill(client, **request_)).code == code


def test_the_request_is_either_typed_or_scanned() -> None:
    for wrong in ({}, {"kind": "water"}, {"barcode": "1", "kind": "water", "customer_no": "123456"}):
        with pytest.raises(ValidationError):
            UtilityBillRequest(**wrong)


def test_a_payment_debits_the_amount_once_and_the_bill_is_paid(client: HostClient, sim: SimControl) -> None:
    before = sim.balance(ZHANG_PAN)
    found = bill(client, barcode=ELECTRICITY_BARCODE)
    key = new_key()
    paid = pay(client, found, key=key)
    again = pay(client, found, key=key)  # the same key: the stored reply, nothing paid twice
    assert again == paid
    assert (paid["amount_fen"], paid["debited_fen"], paid["periods"]) == (28650, 28650, ["2026-11"])
    assert paid["payment_ref"].startswith("UP")
    assert paid["holder_masked"] == "张*"
    assert sim.balance(ZHANG_PAN) == before - 28650
    assert refused(lambda: bill(client, barcode=ELECTRICITY_BARCODE)).code == "no_bill_due"
    assert refused(lambda: pay(client, found)).code == "no_bill_due"  # a new key: nothing due any more


def test_the_balance_enquiry_shows_the_payment(client: HostClient) -> None:
    paid = pay(client, bill(client, barcode=ELECTRICITY_BARCODE))
    latest = call(client, "accounts.balances", {"pan": ZHANG_PAN, "pin_block": pin_block(ZHANG_PIN, ZHANG_PAN),
                                                "key_id": KEY_ID})["transactions"][0]
    assert (latest["kind"], latest["amount_fen"]) == ("utility", -paid["amount_fen"])


def test_another_figure_than_the_bill_is_refused_with_the_amount_due(client: HostClient, sim: SimControl) -> None:
    before = sim.balance(ZHANG_PAN)
    found = bill(client, barcode=ELECTRICITY_BARCODE)
    refusal = refused(lambda: pay(client, found, amount_fen=28600))
    assert (refusal.code, refusal.details["amount_fen"], refusal.details["periods"]) == ("amount_changed", 28650,
                                                                                        ["2026-11"])
    refusal = refused(lambda: pay(client, bill(client, kind="water", customer_no="3300012345"), periods=["2026-11"]))
    assert refusal.code == "amount_changed"  # one month of two: not the bill
    assert sim.balance(ZHANG_PAN) == before


def test_a_meter_reread_after_the_lookup_changes_the_bill(client: HostClient, sim: SimControl) -> None:
    found = bill(client, barcode=GAS_BARCODE)
    assert found["amount_fen"] == 13590
    refusal = refused(lambda: pay(client, found))
    assert (refusal.code, refusal.details["amount_fen"]) == ("amount_changed", 14260)
    assert bill(client, barcode=GAS_BARCODE)["amount_fen"] == 14260
    before = sim.balance(ZHANG_PAN)
    assert pay(client, found, amount_fen=14260)["debited_fen"] == 14260
    assert sim.balance(ZHANG_PAN) == before - 14260


@pytest.mark.parametrize(("pan", "pin", "code"), [
    (ZHANG_PAN, "000000", "pin_wrong"),
    (ZHANG_PAN_2, ZHANG_PIN, "insufficient_funds"),  # 23.50 yuan for a 286.50 yuan bill
    (SUN_LOST_PAN, SUN_PIN, "card_lost"),
    (SUN_EXPIRED_PAN, SUN_PIN, "card_expired"),  # expired 05/26
    ("6228480499999999999", ZHANG_PIN, "card_not_found"),
])
def test_card_and_money_refusals_pay_nothing(client: HostClient, sim: SimControl, pan: str, pin: str,
                                             code: str) -> None:
    found = bill(client, barcode=ELECTRICITY_BARCODE)
    refusal = refused(lambda: pay(client, found, pan=pan, pin=pin))
    assert refusal.code == code
    if code == "pin_wrong":
        assert refusal.details["tries_left"] == 2
    assert bill(client, barcode=ELECTRICITY_BARCODE)["amount_fen"] == 28650  # still due


# -- money, over random bills (in process, on a seeded copy of the bank) -------------------------------------

class RolledBack(Exception):
    """Ends an example's transaction: nothing it wrote stays."""


@contextmanager
def rolled_back(store: Store) -> Iterator[sqlite3.Connection]:
    with contextlib.suppress(RolledBack), store.transaction() as conn:
        yield conn
        raise RolledBack


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(Path(tmp_path_factory.mktemp("utility")) / "host.db")  # the bank's side: not swept for privacy
    with store.transaction() as conn:
        seed_database(conn, load_seed(), NOW)
    yield store
    store.close()


def _balance(conn: sqlite3.Connection, pan: str) -> int:
    row = conn.execute("SELECT a.balance_fen FROM accounts a JOIN cards c ON c.account_no = a.account_no "
                       "WHERE c.pan = ?", (pan,)).fetchone()
    return int(row[0])


def _bills(conn: sqlite3.Connection, months: list[int], balance: int) -> UtilityPayRequest:
    """A customer number with ``months`` due, and the card's account holding ``balance``."""
    periods = [f"2025-{m:02d}" for m in range(1, 13)][:len(months)]
    conn.execute("UPDATE accounts SET balance_fen = ? WHERE account_no = (SELECT account_no FROM cards WHERE pan = ?)",
                 (balance, ZHANG_PAN))
    conn.execute("INSERT INTO utility_accounts(company_code, customer_no, holder) VALUES ('1102', '5550001', '赵六')")
    conn.executemany("INSERT INTO utility_bills(company_code, customer_no, period, amount_fen) "
                     "VALUES ('1102', '5550001', ?, ?)", list(zip(periods, months, strict=True)))
    return UtilityPayRequest(company_code="1102", customer_no="5550001", periods=periods, amount_fen=sum(months),
                             pan=ZHANG_PAN, pin_block=pin_block(ZHANG_PIN, ZHANG_PAN), key_id=KEY_ID)


@settings(max_examples=60, deadline=None)
@given(months=st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=12),
       balance=st.integers(min_value=0, max_value=20_000_000))
def test_paying_never_loses_or_invents_a_fen(bank: Store, months: list[int], balance: int) -> None:
    due = sum(months)
    with rolled_back(bank) as conn:
        request = _bills(conn, months, balance)
        ctx = OpContext(conn, NOW, {KEY_ID: WORKING_KEY}, new_key())
        if balance < due:
            with pytest.raises(Refusal, match="insufficient_funds"):
                pay_utility_bill(ctx, request)
            assert _balance(conn, ZHANG_PAN) == balance
            return
        paid = pay_utility_bill(ctx, request)
        assert paid.amount_fen == paid.debited_fen == due
        assert _balance(conn, ZHANG_PAN) == balance - due
        (line,) = conn.execute("SELECT amount_fen, balance_fen FROM transactions WHERE reference = ?",
                               (paid.payment_ref,)).fetchall()
        assert (line[0], line[1]) == (-due, balance - due)
        (kept,) = conn.execute("SELECT amount_fen FROM utility_payments WHERE payment_ref = ?",
                               (paid.payment_ref,)).fetchone()
        settled = conn.execute("SELECT SUM(amount_fen) FROM utility_bills WHERE payment_ref = ?",
                               (paid.payment_ref,)).fetchone()[0]
        assert kept == settled == due
