"""Any sequence of transfers and reversals (hypothesis) keeps every account at its seeded balance plus the credits
less the debits of the postings that stand: a reversal undoes its posting once, a replay changes nothing, and a
credit that has been spent is not taken back."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from kiosk.host.api import OPERATIONS
from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger, Origin
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store

KEY_ID = "TPK-DEMO-01"
KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
# (pan, PIN, holder): this bank's cards that can pay; and a payee at another bank
CARDS = (("6228480402564890018", "147258", "张伟"), ("6228480402564890026", "147258", "张伟"),
         ("6228480402564890034", "258036", "李秀英"), ("6228480413130000057", "582946", "周杰"))
OTHER_BANK = {"bank_code": "ICBC", "account_no": "6222021001122334455", "name": "王芳"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bank") / "host.db"  # the bank's books (the privacy sweep leaves them)
    ledger = Ledger(Store(path), SimulatorClock(), {KEY_ID: KEY})
    ledger.seed(load_seed())
    ledger.store.close()
    return path


@dataclass
class Bank:
    ledger: Ledger
    postings: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # key, the money it moved per card
    reversed: set[str] = field(default_factory=set)
    payer: dict[str, str] = field(default_factory=dict)  # key: the paying card

    def run(self, op: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        operation = OPERATIONS[op]
        return self.ledger.execute(operation, operation.request.model_validate(body), key, Origin("K1", "S1")).body

    def balance(self, pan: str) -> int:
        with self.ledger.store.transaction() as conn:
            row = conn.execute("SELECT a.balance_fen FROM accounts a JOIN cards c ON c.account_no = a.account_no "
                               "WHERE c.pan = ?", (pan,)).fetchone()
        return int(row[0])


@pytest.fixture
def bank_factory(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    opened: list[Store] = []

    def fresh() -> Bank:
        path = tmp_path_factory.mktemp("run") / "host.db"
        shutil.copy(seeded, path)
        store = Store(path)
        opened.append(store)
        return Bank(Ledger(store, SimulatorClock(), {KEY_ID: KEY}))

    yield fresh
    for store in opened:
        store.close()


transfer = st.tuples(st.just("transfer"), st.integers(0, len(CARDS) - 1), st.integers(0, len(CARDS)),
                     st.integers(1, 400_000))
reversal = st.tuples(st.just("reverse"), st.integers(0, 30), st.booleans(), st.just(0))
steps = st.lists(st.one_of(transfer, reversal), min_size=1, max_size=12)


def _send(bank: Bank, payer: int, payee: int, amount: int) -> None:
    pan, pin, _ = CARDS[payer]
    to = OTHER_BANK if payee == len(CARDS) else {"bank_code": "DEMO", "account_no": CARDS[payee][0],
                                                  "name": CARDS[payee][2]}
    fee = 0 if payee < len(CARDS) else None
    if fee is None:  # the interbank fee, as the host's check says
        checked = bank.run("transfer.check", {"pan": pan, "payee": to, "amount_fen": amount}, str(uuid.uuid4()))
        fee = checked["result"]["fee_fen"] if checked["ok"] else 0
    key = str(uuid.uuid4())
    reply = bank.run("transfer.send", {"pan": pan, "pin_block": encrypt_pin(pin, pan, KEY).hex().upper(),
                                       "key_id": KEY_ID, "payee": to, "amount_fen": amount, "fee_fen": fee,
                                       "purpose": "family", "daily_limit_fen": 10**12}, key)
    if reply["ok"]:
        moved = {pan: -(amount + fee)}
        if payee < len(CARDS):
            moved[CARDS[payee][0]] = moved.get(CARDS[payee][0], 0) + amount
        bank.postings.append((key, moved))
        bank.payer[key] = pan


def _reverse(bank: Bank, which: int, unknown: bool) -> None:
    if unknown or not bank.postings:
        reply = bank.run("postings.reverse", {"original_key": str(uuid.uuid4()), "reason": "test"}, str(uuid.uuid4()))
        assert reply["error"]["code"] == "not_posted"
        return
    key, moved = bank.postings[which % len(bank.postings)]
    reply = bank.run("postings.reverse", {"original_key": key, "reason": "test"}, str(uuid.uuid4()))
    event("replayed" if key in bank.reversed else "reversed" if reply["ok"] else reply["error"]["code"])
    if key in bank.reversed:
        assert reply["result"]["replayed"] is True
    elif reply["ok"]:
        assert reply["result"]["replayed"] is False
        assert reply["result"]["reversed_fen"] == -moved[bank.payer[key]]  # the debit given back
        bank.reversed.add(key)
    else:  # only a credit that has been spent is not taken back
        assert reply["error"]["code"] == "insufficient_funds"
        assert any(bank.balance(pan) < delta for pan, delta in moved.items() if delta > 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
@example([("transfer", 0, 2, 300_000), ("transfer", 2, 3, 380_000), ("reverse", 0, False, 0),  # spent: refused
          ("transfer", 3, 2, 300_000), ("reverse", 0, False, 0), ("reverse", 0, False, 0)])  # back: reversed once
def test_balances_are_the_seeded_ones_plus_the_postings_that_stand(bank_factory: Any, actions: list[Any]) -> None:
    bank: Bank = bank_factory()
    seeded = {pan: bank.balance(pan) for pan, _, _ in CARDS}
    for kind, a, b, amount in actions:
        if kind == "transfer":
            _send(bank, a, b, amount)
        else:
            _reverse(bank, a, bool(b))
        expected = dict(seeded)
        for key, moved in bank.postings:
            if key not in bank.reversed:
                for pan, delta in moved.items():
                    expected[pan] += delta
        assert {pan: bank.balance(pan) for pan in seeded} == expected
        assert sum(expected.values()) == sum(seeded.values()) + sum(
            delta for key, moved in bank.postings if key not in bank.reversed for delta in moved.values())
