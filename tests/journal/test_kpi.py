"""The plan's measures (kiosk/journal/kpi.py) on a journal built by hand: every figure exact."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.clock import ManualClock
from kiosk.journal import Journal
from kiosk.journal.kpi import FlowProfile, kpi_report, parse_day, percentile
from kiosk.journal.kpi_sessions import LOAN_DECISION_OP, session_facts
from kiosk.journal.kpi_text import table

DAY = date(2026, 11, 30)
NEXT = date(2026, 12, 1)
PROFILES = {"queue_ticket": FlowProfile(counter_business=False), "loss_report": FlowProfile(counter_minutes=40.0)}


class Book:
    """Writes sessions the way the engine does: steps, a stop event, staff entries, the survey, host requests."""

    def __init__(self, path: Path) -> None:
        self.clock = ManualClock(datetime(2026, 11, 30, 9, 0))
        self.journal = Journal(path, self.clock)

    def at(self, when: datetime) -> None:
        self.clock.advance((when - self.clock.now()).total_seconds())

    def session(self, when: datetime, flow: str, outcome: str | None, seconds: float, *, steps: tuple[str, ...] = (),
                stop: str | None = None, staff: str | None = None, asked: bool = False, rating: dict[str, Any] | None = None,
                decision: str | None = None, elderly: bool = False) -> str:
        self.at(when)
        j = self.journal
        sid = j.open_session(flow, "K0001", "B0101", "zh_CN", elderly)
        previous = "welcome"
        for step in steps:
            j.record(sid, "step", step, {"from": previous, "event": "next"})
            previous = step
        if staff:
            j.record(sid, "staff", staff, {"staff": "S1001"})
        if decision:
            key = f"k-{sid}"
            j.host_request_started(key, sid, LOAN_DECISION_OP, posting=False)
            j.host_request_finished(key, "committed", {"reply": {"decision": decision, "score": 70}})
        self.clock.advance(seconds)
        if stop:
            j.record(sid, "step", "ending", {"from": previous, "event": stop})
        if outcome is not None:
            j.record(sid, "step", "done", {"from": "ending", "event": "finish"})
            j.close_session(sid, outcome)
        if asked:
            j.record(sid, "survey", "asked", {"flow": flow})
        if rating is not None:
            self.clock.advance(5)
            j.record(sid, "survey", "satisfaction", {"flow": flow, **rating})
        return sid


@pytest.fixture
def book(tmp_path: Path) -> Any:
    b = Book(tmp_path / "journal.sqlite")
    h = lambda hour, minute=0: datetime(2026, 11, 30, hour, minute)  # noqa: E731
    b.session(h(9, 5), "si_payment", "completed", 100, steps=("consent", "pin", "pay"), asked=True,
              rating={"rating": "satisfied"})
    b.session(h(9, 30), "si_payment", "completed", 200, staff="help_requested", asked=True,
              rating={"rating": "dissatisfied", "reason": "waiting"})
    b.session(h(10, 0), "si_payment", "cancelled", 50, steps=("consent", "bill", "confirm"), stop="cancel")
    b.session(h(10, 10), "si_payment", "timeout", 80, steps=("consent", "bill", "confirm", "pin"), stop="timeout")
    b.session(h(10, 30), "loss_report", "completed", 300, staff="approved", asked=True, rating={"rating": "timeout"})
    b.session(h(11, 0), "queue_ticket", "completed", 20, asked=True, rating={"rating": "skipped"})
    b.session(h(14, 0), "consumer_loan_apply", "completed", 400, decision="approved", asked=True,
              rating={"rating": "neutral"}, elderly=True)
    b.session(h(14, 20), "consumer_loan_apply", "failed", 150, decision="declined")
    b.session(h(14, 40), "consumer_loan_apply", "completed", 250, decision="referred", asked=True)
    b.session(h(15, 0), "appointment_pickup", "completed", 60, asked=True, rating={"rating": "satisfied"})
    b.session(h(16, 0), "transfer", None, 30, steps=("consent",))  # the kiosk stopped: still open
    b.session(datetime(2026, 12, 1, 9, 15), "si_payment", "completed", 120, asked=True,
              rating={"rating": "satisfied"})
    b.session(datetime(2026, 12, 2, 9, 15), "si_payment", "completed", 99)  # after the period
    yield b
    b.journal.close()


def test_per_flow_on_a_day(book: Book) -> None:
    report = kpi_report(book.journal, DAY, DAY, PROFILES)
    si = report.days[DAY].flows["si_payment"]
    assert (si.sessions, si.completed, si.cancelled, si.timeout, si.failed, si.unsettled) == (4, 2, 1, 1, 0, 0)
    assert si.abandoned == 2
    assert dict(si.abandoned_at) == {"confirm": 1, "pin": 1}
    assert si.completion_rate == 0.5
    assert (si.median_s, si.p90_s) == (150.0, 200.0)
    assert (si.without_staff, si.without_staff_share) == (1, 0.5)
    s = si.satisfaction
    assert (s.asked, s.satisfied, s.dissatisfied, s.answered, s.rate, s.response_rate) == (2, 1, 1, 2, 0.5, 1.0)
    assert dict(s.reasons) == {"waiting": 1}


def test_the_period_adds_the_days(book: Book) -> None:
    report = kpi_report(book.journal, DAY, NEXT, PROFILES)
    assert sorted(report.days) == [DAY, NEXT]
    assert report.days[NEXT].total.sessions == 1
    si = report.period.flows["si_payment"]
    assert (si.sessions, si.completed, si.median_s, si.p90_s) == (5, 3, 120.0, 200.0)
    total = report.period.total
    assert (total.sessions, total.completed, total.cancelled, total.timeout, total.failed, total.unsettled) == \
        (12, 8, 1, 1, 1, 1)
    assert total.completion_rate == pytest.approx(8 / 12)
    assert (total.without_staff, total.without_staff_share) == (6, 0.75)
    assert sorted(total.seconds) == [20, 60, 100, 120, 200, 250, 300, 400]
    assert (total.median_s, total.p90_s) == (160.0, 400.0)
    assert dict(report.period.hours) == {9: 3, 10: 3, 11: 1, 14: 3, 15: 1, 16: 1}


def test_satisfaction_rate_is_satisfied_of_answered(book: Book) -> None:
    s = kpi_report(book.journal, DAY, NEXT, PROFILES).period.total.satisfaction
    assert (s.asked, s.satisfied, s.neutral, s.dissatisfied, s.skipped, s.timeout) == (8, 3, 1, 1, 1, 1)
    assert s.answered == 5
    assert s.rate == pytest.approx(3 / 5)
    assert s.response_rate == pytest.approx(5 / 8)


def test_loans_appointments_and_the_counter(book: Book) -> None:
    report = kpi_report(book.journal, DAY, NEXT, PROFILES, bookings=4, counter_transactions=13)
    loans = report.loans
    assert (loans.approved, loans.referred, loans.declined, loans.decided) == (1, 1, 1, 3)
    assert loans.automatic_rate == pytest.approx(2 / 3)
    a = report.appointments
    assert (a.sessions, a.completed, a.bookings, a.show_up, a.conversion) == (1, 1, 4, 0.25, 0.25)
    c = report.counter
    assert c.completions == 7  # every completion but the queue ticket
    assert dict(c.by_flow) == {"si_payment": 3, "loss_report": 1, "consumer_loan_apply": 2, "appointment_pickup": 1}
    assert c.share == pytest.approx(7 / 20)
    # 30 minutes each, 40 for the loss report, less the kiosk's 1,430 seconds
    assert c.minutes_saved == pytest.approx(6 * 30 + 40 - 1430 / 60)


def test_what_is_not_known_is_none(book: Book) -> None:
    report = kpi_report(book.journal, NEXT, NEXT)
    assert report.appointments.show_up is None
    assert report.appointments.conversion is None
    assert report.loans.automatic_rate is None
    assert report.counter.share is None
    data = report.as_dict()
    assert data["appointments"]["show_up"] is None
    assert data["counter"]["share"] is None
    text = table(report)
    assert "bookings n/a: show-up n/a, conversion n/a" in text
    assert "automatic n/a" in text
    assert "share n/a (counter transactions not given)" in text


def test_an_empty_period(book: Book) -> None:
    report = kpi_report(book.journal, date(2026, 1, 1), date(2026, 1, 3))
    assert report.period.total.sessions == 0
    assert report.period.total.median_s is None
    assert report.period.total.completion_rate is None
    assert "no sessions in the period" in table(report)


def test_the_period_must_not_end_before_it_starts(book: Book) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        kpi_report(book.journal, NEXT, DAY)


def test_json_and_text(book: Book) -> None:
    report = kpi_report(book.journal, DAY, NEXT, PROFILES, bookings=4)
    data = report.as_dict()
    assert (data["from"], data["to"]) == ("2026-11-30", "2026-12-01")
    assert [d["date"] for d in data["days"]] == ["2026-11-30", "2026-12-01"]
    si = next(f for f in data["days"][0]["flows"] if f["name"] == "si_payment")
    assert si["abandoned_at"] == {"confirm": 1, "pin": 1}
    assert (si["median_s"], si["p90_s"], si["completion_rate"]) == (150.0, 200.0, 0.5)
    assert data["period"]["total"]["satisfaction"]["rate"] == 0.6
    assert data["period"]["sessions_by_hour"] == {"09": 3, "10": 3, "11": 1, "14": 3, "15": 1, "16": 1}
    assert data["assumptions"]["counter_minutes"]["loss_report"] == 40.0
    text = table(report)
    lines = text.splitlines()
    assert any(line.startswith("si_payment") and "4     2   50%" in line for line in lines), text
    assert "self-service completion rate: 66.7% (8 of 12); handling time of completed sessions: median 2:40, p90 6:40" in text
    assert "completed without staff: 75.0% (6 of 8)" in text
    assert "  si_payment              confirm 1, pin 1" in text
    assert "loan decisions (loans.decide): 3 decided (approved 1, referred 1, declined 1): automatic 66.7%" in text
    assert "show-up 25.0%, conversion 25.0%" in text
    widths = {len(line) for line in lines if line.startswith(("si_payment", "total", "flow"))}
    assert len(widths) == 1, "the table's columns line up"


def test_where_a_session_was_left_without_a_stop_event(book: Book) -> None:
    sid = book.session(datetime(2026, 12, 3, 12, 0), "transfer", "cancelled", 10, steps=("consent", "payee"))
    facts = session_facts(book.journal, book.journal.session(sid))
    assert facts.last_step == "payee"


def test_a_loan_decision_kept_only_in_the_host_entry(book: Book) -> None:
    sid = book.session(datetime(2026, 12, 3, 12, 0), "consumer_loan_apply", "completed", 10)
    book.journal.record(sid, "host", f"host.{LOAN_DECISION_OP}", {"ok": True, "reply": {"decision": "Approve"}})
    assert session_facts(book.journal, book.journal.session(sid)).loan_decision == "approved"
    other = book.session(datetime(2026, 12, 3, 12, 5), "consumer_loan_apply", "cancelled", 10)
    assert session_facts(book.journal, book.journal.session(other)).loan_decision is None


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5], 0.9) == 5
    assert percentile(range(1, 11), 0.9) == 9
    assert percentile(range(1, 12), 0.9) == 10
    assert percentile([3, 1, 2], 0.5) == 2


@pytest.mark.parametrize("text", ["2026-13-01", "2026-11-31", "30/11/2026", "", "2026-1-5x"])
def test_bad_days_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_day(text)
