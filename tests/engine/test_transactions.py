"""Transactions journaled ahead of every move, reversals (冲正) through the store-and-forward queue, and recovery
before service resolving what a stopped kiosk left (kiosk/engine/txn.py, reversals.py, recovery.py)."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing

import pytest

from devices.pinpad.pinblock import encrypt_pin
from kiosk.engine import reversals, txn
from kiosk.engine.recovery import recover
from kiosk.engine.reversals import ReversalPending
from kiosk.journal import JournalError
from kiosk.journal.records import TxnState

KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6228480402564890018"  # zhang_wei_1
AMOUNT = 38000


def pay(kiosk, session: str, key: str) -> dict:
    payload = {"id_number": "110105198503121234", "bill_ids": ["SI000002"], "amount_fen": AMOUNT, "pan": PAN,
               "pin_block": encrypt_pin("147258", PAN, KEY).hex().upper(), "key_id": "TPK-DEMO-01"}
    return kiosk.services.host.call("si.pay", payload, key, session)


def balance(kiosk, account_no: str) -> int:
    db = kiosk.data_dir / "host-simulator.sqlite"
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()[0])


def account_of(kiosk) -> str:
    assert kiosk.services.host.health()  # the simulator has seeded its books
    db = kiosk.data_dir / "host-simulator.sqlite"
    with closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("SELECT account_no FROM cards WHERE pan = ?", (PAN,)).fetchone()[0])


def approved_txn(kiosk, *, delivery: str | None = "document", post: bool = True, reversible: bool = True) -> str:
    journal = kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT, parties={"pan": PAN},
                       delivery=delivery, reversible=reversible)
    journal.txn_move(key, TxnState.SENT)
    if post:
        pay(kiosk, session, key)
    else:
        assert kiosk.services.host.health()  # the host is up; it just never hears of this one
    journal.txn_move(key, TxnState.APPROVED)
    return key


def test_states_only_move_forward(kiosk) -> None:
    journal = kiosk.services.journal
    key = approved_txn(kiosk, post=False)
    with pytest.raises(JournalError, match="cannot move"):
        journal.txn_move(key, TxnState.SENT)
    with closing(sqlite3.connect(kiosk.data_dir / "journal.sqlite")) as raw, pytest.raises(sqlite3.DatabaseError):
        raw.execute("UPDATE transactions SET state = 'intent' WHERE key = ?", (key,))
    assert [e.name for e in journal.entries(journal.transaction(key).session_id) if e.kind == "txn"] == \
        ["intent", "sent", "approved"]


def test_the_intent_masks_its_parties(kiosk) -> None:
    key = approved_txn(kiosk, post=False)
    assert PAN not in str(kiosk.services.journal.transaction(key).parties)


def test_an_undelivered_posting_is_reversed_and_the_money_comes_back(kiosk) -> None:
    account = account_of(kiosk)
    before = balance(kiosk, account)
    key = approved_txn(kiosk)
    assert balance(kiosk, account) == before - AMOUNT
    journal = kiosk.services.journal
    state = txn.undelivered(kiosk.services, journal.transaction(key), "the printer jammed")
    assert state is TxnState.REVERSAL_PENDING
    assert [r.txn_key for r in journal.reversals("pending")] == [key]

    report = reversals.drain(kiosk.services)

    assert (report.reversed, report.waiting) == (1, 0)
    assert journal.transaction(key).state is TxnState.REVERSED
    assert balance(kiosk, account) == before
    assert journal.reversal(key).state == "done"


def test_a_reversal_is_sent_once_even_if_sent_again(kiosk) -> None:
    account = account_of(kiosk)
    before = balance(kiosk, account)
    key = approved_txn(kiosk)
    journal = kiosk.services.journal
    txn.undelivered(kiosk.services, journal.transaction(key), "jam")
    record = journal.reversal(key)
    first = kiosk.services.host.call("postings.reverse", {"original_key": key, "reason": "jam"},
                                     record.reversal_key, "test")  # sent, then the kiosk died before it committed
    reversals.drain(kiosk.services)
    again = kiosk.services.host.call("postings.reverse", {"original_key": key, "reason": "jam"},
                                     uuid.uuid4().hex, "test")
    assert again["replayed"]
    assert again["reversal_ref"] == first["reversal_ref"]
    assert balance(kiosk, account) == before
    assert journal.transaction(key).state is TxnState.REVERSED


def test_a_reversal_of_what_the_host_never_posted_nets_to_zero(kiosk) -> None:
    key = approved_txn(kiosk, post=False)
    journal = kiosk.services.journal
    txn.undelivered(kiosk.services, journal.transaction(key), "jam")
    reversals.drain(kiosk.services)
    record = journal.transaction(key)
    assert record.state is TxnState.REVERSED
    assert record.detail["host"] == "not_posted"


def test_a_failing_reversal_backs_off_then_becomes_suspect_and_staff_are_called(kiosk) -> None:
    services = kiosk.services
    journal, clock = services.journal, services.clock
    key = approved_txn(kiosk)
    txn.undelivered(services, journal.transaction(key), "jam")
    kiosk.host_process.stop()
    attempts = services.settings.limits.reversal_attempts
    for attempt in range(1, attempts):
        report = reversals.drain(services)
        assert (report.failed, report.waiting) == (1, 1)
        record = journal.reversal(key)
        assert record.attempts == attempt
        wait = reversals.backoff_s(services, attempt)
        assert wait == min(services.settings.limits.reversal_backoff_s * 2 ** (attempt - 1), 3600)
        assert reversals.drain(services).failed == 0  # not due yet: nothing sent
        clock.advance(wait)
    report = reversals.drain(services)
    assert report.suspect == 1
    assert journal.transaction(key).state is TxnState.SUSPECT
    assert journal.reversal(key).state == "suspect"
    called = [e for e in journal.entries(journal.transaction(key).session_id) if e.kind == "staff"]
    assert called
    assert called[-1].detail["reason"] == "reversal_failed"


def test_a_pending_reversal_blocks_the_next_payment_until_it_is_sent(kiosk) -> None:
    services = kiosk.services
    key = approved_txn(kiosk)
    txn.undelivered(services, services.journal.transaction(key), "jam")
    kiosk.host_process.stop()
    with pytest.raises(ReversalPending):
        reversals.pending_blocks(services)


def test_an_account_opened_without_its_card_is_suspect_not_reversed(kiosk) -> None:
    key = approved_txn(kiosk, delivery="card", post=False, reversible=False)
    journal = kiosk.services.journal
    assert txn.undelivered(kiosk.services, journal.transaction(key), "dispenser jam") is TxnState.SUSPECT
    assert journal.reversals() == []


def test_recovery_resolves_every_open_transaction(kiosk) -> None:
    services = kiosk.services
    journal = services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    never_sent = uuid.uuid4().hex
    journal.txn_intent(never_sent, session, "si_payment", "si.pay", amount_fen=AMOUNT, reversible=True)
    posted, lost = uuid.uuid4().hex, uuid.uuid4().hex
    for key in (posted, lost):
        journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT, reversible=True)
        journal.txn_move(key, TxnState.SENT)
    pay(kiosk, session, posted)  # the host posted it; the kiosk died before the answer was journaled

    report = recover(services)

    assert journal.transaction(never_sent).state is TxnState.DECLINED
    assert journal.transaction(posted).state is TxnState.COMPLETED
    assert journal.transaction(lost).state is TxnState.DECLINED
    assert journal.open_transactions() == []
    assert (report.abandoned_sessions, report.txns_completed, report.txns_declined) == (1, 1, 2)
    assert journal.session(session).outcome == "abandoned"


def test_recovery_reverses_a_paid_document_the_kiosk_never_printed(kiosk) -> None:
    account = account_of(kiosk)
    before = balance(kiosk, account)
    key = approved_txn(kiosk, delivery="document")
    report = recover(kiosk.services)
    assert kiosk.services.journal.transaction(key).state is TxnState.REVERSED
    assert report.txns_reversed == 1
    assert balance(kiosk, account) == before


def test_the_idle_kiosk_resolves_what_an_ended_session_left_unknown(kiosk) -> None:
    services, engine = kiosk.services, kiosk.engine
    journal = services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT, reversible=True)
    journal.txn_move(key, TxnState.SENT)
    pay(kiosk, session, key)
    journal.txn_move(key, TxnState.UNKNOWN)  # the customer was told "unknown"; the session ended
    journal.close_session(session, "unknown")

    services.clock.advance(10)
    engine.tick()
    for _ in range(200):
        engine.pump(wait=0.05)
        if journal.transaction(key).state.terminal:
            break
    assert journal.transaction(key).state is TxnState.COMPLETED


def test_the_idle_kiosk_never_touches_a_running_sessions_transaction(kiosk) -> None:
    journal = kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT, reversible=True)
    from kiosk.engine.recovery import left_open, settle_left

    assert left_open(kiosk.services) == []
    settle_left(kiosk.services)
    assert journal.transaction(key).state is TxnState.INTENT
