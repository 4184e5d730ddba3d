"""Customer feedback on the host: the keyword classifier (its rules and its accuracy on a labelled set), the
promised answer time (2 hours; 5 working days of the bank's calendar), and ``feedback.submit`` over HTTP with
each refusal, nothing filed on a refusal and one row per idempotency key."""

from __future__ import annotations

import sqlite3
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.feedback_classifier import classify
from kiosk.host.sim.ops_feedback import add_working_days, is_working_day, respond_by
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import CHEN_ID, ZHANG_ID, new_key

LABELLED = tomllib.loads((Path(__file__).parent / "data" / "feedback_labelled.toml").read_text(encoding="utf-8"))
CST = timezone(timedelta(hours=8))


# -- the classifier -----------------------------------------------------------------------------

def accuracy(examples: list[list[str]], stated: bool = True) -> dict[str, float]:
    hits = {"kind": 0, "priority": 0, "category": 0, "all": 0}
    for text, stated_kind, kind, priority, category in examples:
        found = classify(text, stated_kind if stated else None, "other")
        right = (found.kind == kind, found.priority == priority, found.category == category)
        for name, ok in zip(("kind", "priority", "category"), right, strict=True):
            hits[name] += ok
        hits["all"] += all(right)
    return {name: count / len(examples) for name, count in hits.items()}


def test_the_classifier_on_the_labelled_set() -> None:
    """The set the table was written against: every example right (kind, priority and category)."""
    assert accuracy(LABELLED["examples"]) == {"kind": 1.0, "priority": 1.0, "category": 1.0, "all": 1.0}


def test_the_classifier_on_the_held_out_set() -> None:
    """Examples written after the table was fixed (docs/host-api.md gives these figures): 95 % kind, 85 %
    priority, 80 % category. The floor stops a change to the table that makes it worse."""
    measured = accuracy(LABELLED["held_out"])
    assert measured["kind"] >= 0.95
    assert measured["priority"] >= 0.85
    assert measured["category"] >= 0.80


def test_without_the_customers_word_the_text_alone_decides() -> None:
    """Text only (no stated kind): kind right on 9 of 10 of the labelled set."""
    assert accuracy(LABELLED["examples"], stated=False)["kind"] >= 0.9


@pytest.mark.parametrize("text", ["我要投诉", "乱收费", "柜员态度差", "被误导买了理财", "自助机吞卡了"])
def test_complaint_words_make_a_high_priority_complaint_whatever_the_customer_said(text: str) -> None:
    found = classify(text, "suggestion", "other")
    assert (found.kind, found.priority, found.reclassified) == ("complaint", "high", True)


def test_a_negated_complaint_word_does_not_count() -> None:
    assert classify("没有乱收费，建议公示收费项目", "suggestion").kind == "suggestion"
    assert classify("服务不差，希望增加窗口", "suggestion").priority == "low"


def test_a_customer_who_says_complaint_gets_a_complaint() -> None:
    found = classify("希望增加窗口", "complaint")
    assert (found.kind, found.priority, found.reclassified) == ("complaint", "normal", False)


def test_the_customers_category_stands_and_other_is_placed_by_the_words() -> None:
    assert classify("排队时间太长", "complaint", "service_attitude").category == "service_attitude"
    assert classify("排队时间太长", "complaint", "service_attitude").detected == "waiting_time"
    assert classify("排队时间太长", "complaint", "other").category == "waiting_time"
    assert classify("天气真好啊朋友们", "suggestion", "other").category == "other"


# -- the promised answer ------------------------------------------------------------------------

HOLIDAYS = {date(2027, 1, 1): False, date(2027, 1, 2): False, date(2027, 1, 3): False, date(2027, 2, 20): True}


def test_a_complaint_is_answered_within_two_hours() -> None:
    received = datetime(2026, 12, 4, 16, 30, tzinfo=CST)
    assert respond_by("complaint", received, {}) == datetime(2026, 12, 4, 18, 30, tzinfo=CST)


def test_a_suggestion_on_a_friday_is_answered_by_the_next_friday_evening() -> None:
    received = datetime(2026, 12, 4, 10, 0, tzinfo=CST)  # a Friday
    assert respond_by("suggestion", received, {}) == datetime(2026, 12, 11, 18, 0, tzinfo=CST)


def test_holidays_do_not_count_and_a_weekend_worked_does() -> None:
    assert add_working_days(date(2026, 12, 31), 1, HOLIDAYS) == date(2027, 1, 4)  # New Year, then the weekend
    assert add_working_days(date(2027, 2, 19), 1, HOLIDAYS) == date(2027, 2, 20)  # a Saturday worked (调休)


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)), st.integers(min_value=1, max_value=20))
def test_the_due_day_is_a_working_day_with_exactly_n_working_days_to_it(start: date, days: int) -> None:
    due = add_working_days(start, days, HOLIDAYS)
    assert is_working_day(due, HOLIDAYS)
    span = [start + timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(is_working_day(day, HOLIDAYS) for day in span) == days


# -- feedback.submit over HTTP ------------------------------------------------------------------

def body(**overrides: Any) -> dict[str, Any]:
    return {"kind": "complaint", "category": "waiting_time", "feedback_text": "排队时间太长", "contact": "mobile",
            "mobile": "13911112222", **overrides}


def filed(simulator: HostSimulatorProcess) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{Path(simulator.db_path)}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM feedback ORDER BY feedback_ref").fetchall()
    finally:
        conn.close()


def refused(client: HostClient, request: dict[str, Any]) -> HostRejected:
    with pytest.raises(HostRejected) as caught:
        client.call("feedback.submit", request, new_key(), "s1")
    return caught.value


def test_a_complaint_is_filed_with_a_reference_and_a_two_hour_promise(
        client: HostClient, simulator: HostSimulatorProcess) -> None:
    reply = client.call("feedback.submit", body(), new_key(), "s1")
    assert reply["feedback_ref"].startswith("FB")
    assert len(reply["feedback_ref"]) == 10
    assert (reply["kind"], reply["priority"], reply["promise"]) == ("complaint", "normal", "within_2_hours")
    received, due = datetime.fromisoformat(reply["received_at"]), datetime.fromisoformat(reply["respond_by"])
    assert due - received == timedelta(hours=2)
    assert reply["contact_masked"] == "139****2222"
    assert "feedback_text" not in reply
    assert "排队" not in str(reply)
    (row,) = filed(simulator)
    assert (row["text"], row["mobile"], row["category"], row["feedback_ref"]) == (
        "排队时间太长", "13911112222", "waiting_time", reply["feedback_ref"])


def test_a_suggestion_that_says_luan_shoufei_is_a_high_priority_complaint(client: HostClient) -> None:
    reply = client.call("feedback.submit", body(kind="suggestion", category="fees",
                                                feedback_text="建议公示收费项目，别再乱收费"), new_key(), "s1")
    assert (reply["kind"], reply["stated_kind"], reply["reclassified"], reply["priority"]) == (
        "complaint", "suggestion", True, "high")


def test_a_suggestion_is_promised_within_five_working_days(client: HostClient) -> None:
    reply = client.call("feedback.submit", body(kind="suggestion", feedback_text="希望高峰时段多开窗口",
                                                contact="anonymous", mobile=None), new_key(), "s1")
    assert (reply["kind"], reply["priority"], reply["promise"]) == ("suggestion", "low", "within_5_working_days")
    assert reply["contact_masked"] is None
    due = datetime.fromisoformat(reply["respond_by"])
    assert due.time().hour == 18
    assert due.weekday() < 5


def test_by_id_card_the_bank_calls_the_mobile_it_holds(client: HostClient, simulator: HostSimulatorProcess) -> None:
    reply = client.call("feedback.submit", body(contact="id_card", id_number=ZHANG_ID, mobile=None), new_key(), "s1")
    assert reply["contact_masked"] == "138****5678"
    assert filed(simulator)[0]["id_number"] == ZHANG_ID


@pytest.mark.parametrize(("request_body", "code"), [
    (body(feedback_text="太差!!!"), "text_too_short"),
    (body(feedback_text="　 1 2 3 4 。"), "text_too_short"),
    (body(feedback_text="排队" * 201), "text_too_long"),
    (body(contact="id_card", id_number=CHEN_ID, mobile=None), "contact_unknown"),
])
def test_refusals_file_nothing(client: HostClient, simulator: HostSimulatorProcess,
                               request_body: dict[str, Any], code: str) -> None:
    assert refused(client, request_body).code == code
    assert filed(simulator) == []


def test_the_same_text_from_the_same_customer_today_is_a_duplicate(client: HostClient) -> None:
    first = client.call("feedback.submit", body(), new_key(), "s1")
    error = refused(client, body())
    assert error.code == "duplicate_feedback"
    assert error.details["feedback_ref"] == first["feedback_ref"]
    assert client.call("feedback.submit", body(mobile="13911113333"), new_key(), "s1")["feedback_ref"] != \
        first["feedback_ref"]  # someone else may say the same


def test_a_retry_with_the_same_key_files_once(client: HostClient, simulator: HostSimulatorProcess) -> None:
    key = new_key()
    first = client.call("feedback.submit", body(), key, "s1")
    again = client.call("feedback.submit", body(), key, "s1")
    assert again == first
    assert len(filed(simulator)) == 1


def test_the_contact_must_match_the_choice(client: HostClient) -> None:
    from kiosk.host.errors import HostError

    with pytest.raises(HostError):
        client.call("feedback.submit", body(contact="anonymous"), new_key(), "s1")  # a mobile with anonymous
