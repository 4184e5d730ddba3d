"""The invariant checker finds each kind of broken books it is there for (kiosk/app/invariants.py)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.app.invariants import check, demo_secrets
from kiosk.journal.records import TxnState
from tests.engine.test_transactions import AMOUNT, PAN, approved_txn, pay


def names(data_dir: Path, **kw) -> list[str]:
    return sorted({v.invariant for v in check(data_dir, **kw)})


def test_clean_books_hold_every_invariant(kiosk) -> None:
    key = approved_txn(kiosk, delivery=None)
    journal = kiosk.services.journal
    journal.txn_move(key, TxnState.COMPLETED)
    journal.close_session(journal.transaction(key).session_id, "completed")
    assert check(kiosk.data_dir) == []


def test_a_completed_transaction_the_host_never_posted_is_found(kiosk) -> None:
    key = approved_txn(kiosk, delivery=None, post=False)
    kiosk.services.journal.txn_move(key, TxnState.COMPLETED)
    problems = check(kiosk.data_dir, terminal=False)
    assert [p.invariant for p in problems] == ["ledger_matches_journal"]
    assert "absent at the host" in problems[0].detail


def test_a_declined_transaction_the_host_posted_is_found(kiosk) -> None:
    journal = kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT, reversible=True)
    journal.txn_move(key, TxnState.SENT)
    pay(kiosk, session, key)
    journal.txn_move(key, TxnState.DECLINED)
    assert "ledger_matches_journal" in names(kiosk.data_dir, terminal=False)


def test_an_amount_that_differs_from_the_host_is_found(kiosk) -> None:
    journal = kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT + 1, reversible=True)
    journal.txn_move(key, TxnState.SENT)
    pay(kiosk, session, key)
    journal.txn_move(key, TxnState.APPROVED)
    journal.txn_move(key, TxnState.COMPLETED)
    problems = check(kiosk.data_dir, terminal=False)
    assert any("fen, host" in p.detail for p in problems)


def test_unfinished_transactions_and_open_sessions_are_found_after_recovery(kiosk) -> None:
    approved_txn(kiosk)
    assert names(kiosk.data_dir) == ["all_terminal"]
    assert names(kiosk.data_dir, terminal=False) == []


def test_after_a_session_only_an_answer_the_host_never_gave_may_wait(kiosk) -> None:
    """A session whose posting's answer never came, with the host unreachable even to ask by key, ends with the
    transaction unknown: it waits for the next start (or the idle kiosk), and nothing else may wait."""
    journal = kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=AMOUNT, reversible=True)
    journal.txn_move(key, TxnState.SENT)
    journal.txn_move(key, TxnState.UNKNOWN)
    journal.close_session(session, "unknown")
    assert kiosk.services.host.health()  # the host's books exist; this posting never reached them
    assert names(kiosk.data_dir) == ["all_terminal"]
    assert names(kiosk.data_dir, unknown_waits=True) == []
    approved_txn(kiosk, delivery=None, post=False)  # approved and never completed: a fault of the kiosk's
    assert "all_terminal" in names(kiosk.data_dir, unknown_waits=True)


def test_a_book_posting_twice_under_one_key_is_found(kiosk) -> None:
    key = approved_txn(kiosk, delivery=None)
    with closing(sqlite3.connect(kiosk.data_dir / "host-simulator.sqlite")) as host:
        row = host.execute("SELECT * FROM payments WHERE idempotency_key = ?", (key,)).fetchone()
        columns = len(row)
        host.execute(f"INSERT INTO payments VALUES ({', '.join('?' * columns)})", ("P-copy", *row[1:]))
        host.commit()
    assert "one_posting_per_key" in names(kiosk.data_dir, terminal=False)


@pytest.fixture
def leak_log(kiosk) -> Iterator[Path]:
    """A log file a test plants personal data in, removed afterwards whatever happens: the suite's
    privacy sweep (tests/test_privacy.py) reads every file the suite wrote and must not find it."""
    path = kiosk.data_dir / "logs" / "leak.log"
    yield path
    path.unlink(missing_ok=True)


def test_a_card_number_in_any_file_is_found(kiosk, leak_log: Path) -> None:
    leak_log.write_text(f"card {PAN}\n")
    problems = [p for p in check(kiosk.data_dir, terminal=False) if p.invariant == "no_personal_data"]
    assert problems
    assert "leak.log" in problems[0].detail


def test_a_pin_counts_alone_not_inside_a_hash(kiosk, leak_log: Path) -> None:
    pin = b"147258"  # zhang_wei's PIN in the demo bank
    (kiosk.data_dir / "logs" / "chain.log").write_bytes(b"head 2fe6a55f25670893c3c415cb97c" + pin + b"538cdc7a3e\n")
    assert "no_personal_data" not in names(kiosk.data_dir, terminal=False)
    leak_log.write_bytes(b'{"pin": "' + pin + b'"}\n')
    assert "no_personal_data" in names(kiosk.data_dir, terminal=False)


def test_a_raw_pin_block_at_any_offset_of_a_big_file_is_found(kiosk, leak_log: Path) -> None:
    """PIN blocks as bytes are found through the file's aligned words (kiosk.app.invariants.Needles): at every
    offset, in a file of megabytes, as a search would find them."""
    block = next(n for n, what in demo_secrets().items() if what == "a PIN block" and not n.isascii())
    for offset in (0, 1, 7, 8, 13):
        leak_log.write_bytes(os.urandom(3_000_000 + offset) + block + os.urandom(11))
        assert "no_personal_data" in names(kiosk.data_dir, terminal=False), offset
    leak_log.write_bytes(os.urandom(3_000_000) + block[:15])
    assert "no_personal_data" not in names(kiosk.data_dir, terminal=False)
