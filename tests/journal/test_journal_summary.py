from __future__ import annotations

from datetime import timedelta

from kiosk.core.clock import ManualClock
from kiosk.journal import Journal

from .conftest import START, open_demo_session


def _session(journal: Journal, flow: str, outcome: str | None, *payments: tuple[int, str]) -> None:
    session_id = open_demo_session(journal, flow)
    for n, (amount, status) in enumerate(payments):
        key = f"{session_id}-{n}"
        journal.host_request_started(key, session_id, "payments.pay", posting=True, amount_fen=amount)
        if status != "sent":
            journal.host_request_finished(key, "unknown" if status.startswith("reconciled") else status)
        if status.startswith("reconciled"):
            journal.host_request_finished(key, status)
    if outcome is not None:
        journal.close_session(session_id, outcome)


def test_daily_summary_counts_sessions_and_committed_amounts(journal: Journal, clock: ManualClock) -> None:
    _session(journal, "social_insurance", "completed", (30000, "committed"))
    _session(journal, "social_insurance", "completed", (12000, "committed"), (500, "rejected"))
    _session(journal, "social_insurance", "failed", (7000, "unavailable"))
    _session(journal, "social_insurance", "abandoned", (4500, "reconciled_committed"), (800, "reconciled_absent"))
    _session(journal, "social_insurance", None, (999, "sent"))
    _session(journal, "loss_report", "cancelled")
    _session(journal, "loss_report", "timeout")
    _session(journal, "loss_report", "completed")
    journal.host_request_started("query", None, "accounts.balance", posting=False)
    clock.advance(86400)
    _session(journal, "social_insurance", "completed", (100000, "committed"))  # the next day

    assert journal.daily_summary(START.date()) == {
        "loss_report": {"sessions": 3, "completed": 1, "failed": 0, "cancelled": 1, "timeout": 1,
                        "device_fault": 0, "host_fault": 0, "unknown": 0, "abandoned": 0, "open": 0, "amount_fen": 0,
                        "suspect": 0, "reversed": 0, "reversed_fen": 0},
        "social_insurance": {"sessions": 5, "completed": 2, "failed": 1, "cancelled": 0, "timeout": 0,
                             "device_fault": 0, "host_fault": 0, "unknown": 0, "abandoned": 1, "open": 1, "amount_fen": 30000 + 12000 + 4500,
                             "suspect": 0, "reversed": 0, "reversed_fen": 0},
    }
    assert journal.daily_summary(START.date() + timedelta(days=1))["social_insurance"]["amount_fen"] == 100000
    assert journal.daily_summary(START.date() - timedelta(days=1)) == {}


def test_non_posting_requests_do_not_count_as_money(journal: Journal) -> None:
    session_id = open_demo_session(journal, "balance")
    journal.host_request_started("q", session_id, "accounts.balance", posting=False, amount_fen=5)
    journal.host_request_finished("q", "committed")
    journal.close_session(session_id, "completed")
    assert journal.daily_summary(START.date())["balance"]["amount_fen"] == 0


def _undelivered(journal: Journal, session_id: str | None, key: str, amount: int | None, flow: str = "si_payment") -> None:
    journal.txn_intent(key, session_id, flow, "si.pay", amount_fen=amount, reversible=True)
    for state in ("sent", "approved", "device_failed"):
        journal.txn_move(key, state)


def test_the_days_transactions_suspect_and_reversed(journal: Journal, clock: ManualClock) -> None:
    session_id = open_demo_session(journal, "si_payment")
    _undelivered(journal, session_id, "t1", 38000)
    journal.queue_reversal("t1", "r1", "document not printed")
    journal.reversal_settled("t1", "reversed")
    _undelivered(journal, session_id, "t2", 12000)
    journal.txn_move("t2", "suspect")
    _undelivered(journal, session_id, "t3", 5000)
    journal.queue_reversal("t3", "r3", "card jammed")  # still waiting: neither
    journal.txn_intent("t4", session_id, "si_payment", "si.pay", amount_fen=700)  # never sent
    clock.advance(86400)
    _undelivered(journal, None, "t5", 900, "account_opening")  # the next day, with no session of its own that day
    journal.txn_move("t5", "suspect")
    day = journal.daily_summary(START.date())["si_payment"]
    assert (day["suspect"], day["reversed"], day["reversed_fen"]) == (1, 1, 38000)
    next_day = journal.daily_summary(START.date() + timedelta(days=1))
    assert next_day == {"account_opening": {"sessions": 0, "amount_fen": 0, "suspect": 1, "reversed": 0,
                                            "reversed_fen": 0}}
