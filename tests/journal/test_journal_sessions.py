from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.core.clock import ManualClock
from kiosk.journal import EntryKind, Journal, JournalError, SessionOutcome

from .conftest import START, open_demo_session


def test_a_session_opens_and_closes_once(journal: Journal, clock: ManualClock) -> None:
    session_id = journal.open_session("loss_report", "K001", "B0101", "zh_CN", elderly=True)
    assert len(session_id) == 32
    clock.advance(1.25)
    journal.close_session(session_id, SessionOutcome.COMPLETED)
    session = journal.session(session_id)
    assert session is not None
    assert (session.flow_id, session.kiosk_id, session.branch_id, session.lang) == (
        "loss_report", "K001", "B0101", "zh_CN")
    assert session.elderly is True
    assert session.started_at == "2026-11-28T10:00:00.000"
    assert session.ended_at == "2026-11-28T10:00:01.250"
    assert session.outcome is SessionOutcome.COMPLETED
    assert not session.is_open
    with pytest.raises(JournalError, match="already closed"):
        journal.close_session(session_id, "cancelled")


def test_unknown_sessions_and_outcomes_are_refused(journal: Journal) -> None:
    with pytest.raises(JournalError, match="unknown"):
        journal.close_session("nope", "completed")
    with pytest.raises(JournalError, match="unknown"):
        journal.record("nope", EntryKind.STEP, "welcome")
    with pytest.raises(ValueError, match="finished"):
        journal.close_session(open_demo_session(journal), "finished")
    assert journal.session("nope") is None


def test_entries_come_back_in_order_with_their_kind(journal: Journal, clock: ManualClock) -> None:
    session_id = open_demo_session(journal)
    first = journal.record(session_id, "step", "welcome")
    clock.advance(0.5)
    second = journal.record(session_id, EntryKind.DEVICE, "idcard.read", {"ok": True})
    journal.record(None, EntryKind.STAFF, "approved", {"staff_id": "S01"})
    entries = journal.entries(session_id)
    assert [e.seq for e in entries] == [first, second]
    assert entries[1].kind is EntryKind.DEVICE
    assert entries[1].detail == {"ok": True}
    assert entries[1].at == "2026-11-28T10:00:00.500"
    assert entries[0].detail is None


def test_an_unknown_entry_kind_is_refused(journal: Journal) -> None:
    with pytest.raises(ValueError, match="gossip"):
        journal.record(None, "gossip", "x")


def test_late_results_may_still_be_journaled_after_close(journal: Journal) -> None:
    session_id = open_demo_session(journal)
    journal.close_session(session_id, "timeout")
    journal.record(session_id, EntryKind.STALE, "printer.print", {"late_by_s": 3})
    assert [e.kind for e in journal.entries(session_id)] == [EntryKind.STALE]


def test_entries_of_a_day_include_staff_and_system(journal: Journal, clock: ManualClock) -> None:
    journal.record(None, EntryKind.SYSTEM, "kiosk started")
    journal.record(open_demo_session(journal), EntryKind.STEP, "welcome")
    journal.record(None, EntryKind.STAFF, "took over")
    clock.advance(86400)
    journal.record(None, EntryKind.SYSTEM, "next day")
    assert [e.name for e in journal.entries_on(START.date())] == ["kiosk started", "welcome", "took over"]
    assert [e.name for e in journal.entries_on(START.date(), kind="staff")] == ["took over"]


def test_sessions_filter_by_day_flow_and_outcome(journal: Journal, clock: ManualClock) -> None:
    a = open_demo_session(journal, "loss_report")
    b = open_demo_session(journal, "pin_reset")
    journal.close_session(a, "completed")
    journal.close_session(b, "cancelled", reason="customer left")
    clock.advance(86400)
    c = open_demo_session(journal, "loss_report")
    today, tomorrow = START.date(), START.date() + timedelta(days=1)
    assert [s.id for s in journal.sessions()] == [a, b, c]
    assert [s.id for s in journal.sessions(day=today)] == [a, b]
    assert [s.id for s in journal.sessions(day=tomorrow)] == [c]
    assert [s.id for s in journal.sessions(flow_id="loss_report")] == [a, c]
    assert [s.id for s in journal.sessions(outcome="cancelled")] == [b]
    assert [s.id for s in journal.sessions(day=today, flow_id="loss_report", outcome="completed")] == [a]


def test_open_sessions_are_those_never_closed(journal: Journal) -> None:
    closed, left_open = open_demo_session(journal), open_demo_session(journal)
    journal.close_session(closed, "completed")
    assert [s.id for s in journal.open_sessions()] == [left_open]
    journal.close_session(left_open, SessionOutcome.ABANDONED, reason="found open on start")
    assert journal.open_sessions() == []
