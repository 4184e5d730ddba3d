"""Customer feedback (意见建议与投诉, issue 15): the bank receives a suggestion or complaint, classifies it with
its keyword classifier (:mod:`kiosk.host.sim.feedback_classifier`), files it under a reference and promises an
answer: a complaint within 2 hours, a suggestion within 5 working days (the bank's calendar, ``feedback_calendar``).

Checked in this order (nothing is filed on a refusal): ``text_too_short`` (fewer than 5 letters, digits or Chinese
characters), ``text_too_long`` (over 400 characters), ``contact_unknown`` (contact by ID card, and the bank holds
no mobile number for that ID number), ``duplicate_feedback`` (the same text from the same contact within 24 hours:
``details.feedback_ref`` is the one already filed).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from datetime import date, datetime, time, timedelta

from kiosk.core.masking import mask_phone
from kiosk.host.api_feedback import FeedbackSubmitRequest, FeedbackSubmitResult
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.feedback_classifier import classify

MIN_CHARACTERS = 5  # letters, digits or Chinese characters: "排队太久了" is enough, "!!!!!" is not
MAX_CHARACTERS = 400
COMPLAINT_HOURS = 2
SUGGESTION_WORKING_DAYS = 5
ANSWER_TIME = time(18, 0)  # a suggestion's answer is due by the end of the counter day
DUPLICATE_WINDOW = timedelta(hours=24)
MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def meaningful_length(text: str) -> int:
    return len(MEANINGFUL.findall(text))


def calendar(conn: sqlite3.Connection) -> dict[date, bool]:
    """The days that are not as the week says: True a working day (调休), False a holiday."""
    return {date.fromisoformat(r["day"]): bool(r["working"])
            for r in conn.execute("SELECT day, working FROM feedback_calendar")}


def is_working_day(day: date, exceptions: dict[date, bool]) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: date, days: int, exceptions: dict[date, bool]) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, exceptions):
            left -= 1
    return day


def respond_by(kind: str, received: datetime, exceptions: dict[date, bool]) -> datetime:
    if kind == "complaint":
        return received + timedelta(hours=COMPLAINT_HOURS)
    due = add_working_days(received.date(), SUGGESTION_WORKING_DAYS, exceptions)
    return datetime.combine(due, ANSWER_TIME, tzinfo=received.tzinfo)


def _contact_mobile(ctx: OpContext, req: FeedbackSubmitRequest) -> str | None:
    if req.contact == "mobile":
        return req.mobile
    if req.contact == "id_card":
        row = ctx.conn.execute("SELECT mobile FROM customers WHERE id_number = ?", (req.id_number,)).fetchone()
        if row is None or not row["mobile"]:
            raise Refusal("contact_unknown", "the bank holds no mobile number for this ID number")
        return str(row["mobile"])
    return None


def _check_duplicate(ctx: OpContext, req: FeedbackSubmitRequest, digest: str) -> None:
    if req.contact == "anonymous":
        return
    since = (ctx.now - DUPLICATE_WINDOW).isoformat()
    row = ctx.conn.execute(
        "SELECT feedback_ref FROM feedback WHERE text_sha256 = ? AND received_at >= ? AND contact = ? "
        "AND COALESCE(id_number, '') = ? AND COALESCE(mobile, '') = ? ORDER BY received_at DESC LIMIT 1",
        (digest, since, req.contact, req.id_number or "", req.mobile or "")).fetchone()
    if row is not None:
        raise Refusal("duplicate_feedback", "the same feedback from the same customer was filed today",
                      feedback_ref=row["feedback_ref"])


def submit_feedback(ctx: OpContext, req: FeedbackSubmitRequest) -> FeedbackSubmitResult:
    text = req.feedback_text.strip()
    if meaningful_length(text) < MIN_CHARACTERS:
        raise Refusal("text_too_short", "say in a few words what happened or what could be better",
                      min_characters=MIN_CHARACTERS)
    if len(text) > MAX_CHARACTERS:
        raise Refusal("text_too_long", "the text is longer than the bank files", max_characters=MAX_CHARACTERS)
    mobile = _contact_mobile(ctx, req)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _check_duplicate(ctx, req, digest)
    found = classify(text, req.kind, req.category)
    due = respond_by(found.kind, ctx.now, calendar(ctx.conn))
    ref = next_ref(ctx.conn, "FB")
    ctx.conn.execute(
        "INSERT INTO feedback(feedback_ref, received_at, stated_kind, kind, priority, chosen_category, category, "
        "detected_category, matched, text, text_sha256, contact, id_number, mobile, respond_by, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, ctx.now.isoformat(), req.kind, found.kind, found.priority, req.category, found.category,
         found.detected, " ".join(found.matched), text, digest, req.contact, req.id_number, mobile,
         due.isoformat(), ctx.idempotency_key))
    return FeedbackSubmitResult.model_validate({
        "feedback_ref": ref, "kind": found.kind, "stated_kind": req.kind, "reclassified": found.reclassified,
        "category": found.category, "priority": found.priority,
        "promise": "within_2_hours" if found.kind == "complaint" else "within_5_working_days",
        "received_at": ctx.now, "respond_by": due, "contact": req.contact,
        "contact_masked": mask_phone(mobile) if mobile else None})
