"""The queue's arithmetic (kiosk/host/sim/ops_queue.py), over random queues, clocks and arrivals: nobody is
lost or invented, nobody is called before their time, and the expected wait is people ahead x the average
minutes, rounded half up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kiosk.host.sim.ops_queue import Counter, call_due, expected_wait_minutes, joined
from kiosk.host.sim.seed_queue import ticket_no

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
averages = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("30"), places=1)


@st.composite
def counters(draw: st.DrawFn) -> Counter:
    called = draw(st.integers(0, 500))
    return Counter(issued=called + draw(st.integers(0, 50)), called=called,
                   next_call_at=START + timedelta(seconds=draw(st.integers(-3600, 3600))),
                   avg_minutes=draw(averages))


# each event: seconds passing (> 0) or a new number taken (0)
events = st.lists(st.one_of(st.integers(1, 4 * 3600), st.just(0)), max_size=40)


@given(counters(), events)
def test_nobody_is_lost_or_invented(counter: Counter, happening: list[int]) -> None:
    now = START
    for event in happening:
        before = counter
        if event:
            now += timedelta(seconds=event)
            counter = call_due(counter, now)
            assert counter.issued == before.issued  # time calls numbers, it issues none
        else:
            counter = joined(call_due(counter, now), now)
            assert counter.called == call_due(before, now).called  # a new number calls nobody
        assert before.called <= counter.called <= counter.issued  # called once, never more than issued
        assert counter.called - before.called <= before.waiting + (0 if event else 1)


@given(counters(), events)
def test_every_number_issued_is_counted_once(counter: Counter, happening: list[int]) -> None:
    start_issued, now, joins = counter.issued, START, 0
    for event in happening:
        now += timedelta(seconds=event)
        counter = call_due(counter, now)
        if not event:
            counter = joined(counter, now)
            joins += 1
    assert counter.issued == start_issued + joins


@given(counters(), st.integers(0, 8 * 3600))
def test_nobody_is_called_before_their_time(counter: Counter, seconds: int) -> None:
    now = START + timedelta(seconds=seconds)
    after = call_due(counter, now)
    calls = after.called - counter.called
    if counter.waiting and now >= counter.next_call_at:
        allowed = (now - counter.next_call_at) // counter.interval + 1
        assert calls == min(allowed, counter.waiting)
    else:
        assert calls == 0
    assert after.waiting == 0 or after.next_call_at > now  # the next call is still to come
    assert call_due(after, now) == after  # asked again at the same time: nothing more


@given(counters(), st.integers(0, 8 * 3600), st.integers(0, 8 * 3600))
def test_asking_in_between_changes_nothing(counter: Counter, first: int, more: int) -> None:
    early, late = START + timedelta(seconds=first), START + timedelta(seconds=first + more)
    assert call_due(call_due(counter, early), late) == call_due(counter, late)


@given(counters(), st.integers(0, 8 * 3600))
def test_a_new_number_has_the_people_waiting_ahead(counter: Counter, seconds: int) -> None:
    now = START + timedelta(seconds=seconds)
    current = call_due(counter, now)
    after = joined(current, now)
    assert after.waiting == current.waiting + 1
    if current.waiting == 0 and current.next_call_at < now:
        assert call_due(after, now).waiting == 0  # an idle counter calls it at once


@given(st.integers(0, 999), averages)
def test_the_wait_is_people_ahead_times_the_average_rounded_half_up(ahead: int, avg: Decimal) -> None:
    exact = Fraction(ahead) * Fraction(avg)
    wait = expected_wait_minutes(ahead, avg)
    assert wait == int(exact + Fraction(1, 2))  # half up: x.5 goes up
    assert abs(wait - exact) <= Fraction(1, 2)
    assert expected_wait_minutes(ahead + 1, avg) >= wait


def test_numbers_have_three_digits_and_start_again_after_999() -> None:
    assert [ticket_no("A", n) for n in (1, 12, 999, 1000, 1001)] == ["A001", "A012", "A999", "A001", "A002"]
