"""The corporate account pre-check (对公开户预审) at the simulated bank: a company checked against its
registration, and the one signing appointment booked at a corporate counter.

A company is checked in this order, before anything is booked: it is registered (``company_not_found``),
the person at the kiosk is its legal representative (``representative_mismatch``: the ID number read from the
ID card is not the one on record; nothing else about the company is said), it still exists
(``company_deregistered``) and is in good standing (``company_abnormal``: on the list of abnormal operations,
经营异常名录), and it has no signing appointment yet (``already_booked``, with that appointment). The free
appointments are the configured times on the next working days (not today: the bank reviews the pre-check
first), each at the first corporate counter free then; a time with every counter taken is not offered
(``no_slots`` when nothing is free). A booking takes exactly the day, time and counter shown: one another
company has taken since is refused (``slot_taken``, with the appointments free now), one the bank does not
offer (a past day, another time, an unknown counter) is ``slot_unknown``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

from kiosk.core.masking import mask_name
from kiosk.host.api_corporate import (
    CompanyCheckRequest,
    CompanyCheckResult,
    SigningBookRequest,
    SigningBookResult,
    SigningSlot,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.seed_corporate import working_days_after


def _company(ctx: OpContext, credit_code: str, id_number: str) -> sqlite3.Row:
    """The company, checked: registered, represented by this person, existing, in good standing, not booked."""
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM corporate_companies WHERE credit_code = ?",
                                               (credit_code,)).fetchone()
    if row is None:
        raise Refusal("company_not_found", "no company is registered under this unified social credit code")
    if row["representative_id"] != id_number.upper():
        raise Refusal("representative_mismatch", "the person is not the company's legal representative on record")
    if row["status"] == "deregistered":
        raise Refusal("company_deregistered", "the company has been deregistered")
    if row["status"] == "abnormal":
        raise Refusal("company_abnormal", "the company is on the list of abnormal operations")
    booked = ctx.conn.execute("SELECT * FROM corporate_appointments WHERE credit_code = ?", (credit_code,)).fetchone()
    if booked is not None:
        counter = _counter(ctx, booked["counter"])
        raise Refusal("already_booked", "the company has a signing appointment already",
                      booking_ref=booked["booking_ref"], day=booked["day"], start=booked["start"],
                      counter=booked["counter"], counter_name=counter["name"] if counter else booked["counter"])
    return row


def _counter(ctx: OpContext, number: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM corporate_counters WHERE number = ?",
                                               (number,)).fetchone()
    return row


def _settings(ctx: OpContext) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM corporate_booking WHERE id = 1").fetchone()
    if row is None:
        raise Refusal("no_slots", "the branch holds no signing appointments")
    return row


def _end(start: str, minutes: int) -> str:
    return (datetime.strptime(start, "%H:%M") + timedelta(minutes=minutes)).strftime("%H:%M")


def free_slots(ctx: OpContext, limit: int | None = None) -> list[SigningSlot]:
    """The appointments free now, earliest first: per day and time, the first corporate counter not taken."""
    settings = _settings(ctx)
    counters = ctx.conn.execute("SELECT * FROM corporate_counters ORDER BY rank").fetchall()
    taken = {(r["day"], r["start"], r["counter"])
             for r in ctx.conn.execute("SELECT day, start, counter FROM corporate_appointments")}
    slots: list[SigningSlot] = []
    for day in working_days_after(ctx.now.date(), int(settings["days"])):
        for start in json.loads(settings["times"]):
            counter = next((c for c in counters if (day.isoformat(), start, c["number"]) not in taken), None)
            if counter is not None:
                slots.append(SigningSlot(day=day, start=start, end=_end(start, int(settings["slot_minutes"])),
                                         counter=counter["number"], counter_name=counter["name"]))
    return slots[: limit if limit is not None else int(settings["offered"])]


def _originals(ctx: OpContext, kind: str) -> list[str]:
    rows = ctx.conn.execute("SELECT item FROM corporate_originals WHERE kind = ? ORDER BY rank", (kind,)).fetchall()
    return [r["item"] for r in rows]


def check_company(ctx: OpContext, req: CompanyCheckRequest) -> CompanyCheckResult:
    company = _company(ctx, req.credit_code, req.id_number)
    slots = free_slots(ctx)
    if not slots:
        raise Refusal("no_slots", "no signing appointment is free in the days the branch books")
    return CompanyCheckResult(credit_code=company["credit_code"], company_name=company["name"], kind=company["kind"],
                              legal_form=company["legal_form"],
                              representative_masked=mask_name(company["representative_name"]),
                              originals=_originals(ctx, company["kind"]), slots=slots)


def _offered(ctx: OpContext, day: date, start: str, counter: str) -> bool:
    """A day, time and counter the bank holds appointments at (free or not)."""
    settings = _settings(ctx)
    return (day in working_days_after(ctx.now.date(), int(settings["days"])) and start in json.loads(settings["times"])
            and _counter(ctx, counter) is not None)


def book_signing(ctx: OpContext, req: SigningBookRequest) -> SigningBookResult:
    company = _company(ctx, req.credit_code, req.id_number)
    if not _offered(ctx, req.day, req.start, req.counter):
        raise Refusal("slot_unknown", "the branch holds no signing appointment then")
    taken = ctx.conn.execute("SELECT 1 FROM corporate_appointments WHERE day = ? AND start = ? AND counter = ?",
                             (req.day.isoformat(), req.start, req.counter)).fetchone()
    if taken is not None:
        free = [slot.model_dump(mode="json") for slot in free_slots(ctx)]
        raise Refusal("slot_taken", "another company has taken this appointment", slots=free)
    counter = _counter(ctx, req.counter)
    assert counter is not None  # _offered checked it
    reference = next_ref(ctx.conn, "CA")
    ctx.conn.execute(
        "INSERT INTO corporate_appointments(booking_ref, credit_code, company_name, day, start, counter, "
        "representative_id, licence_read, booked_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (reference, company["credit_code"], company["name"], req.day.isoformat(), req.start, req.counter,
         req.id_number, int(req.licence_read), ctx.now.isoformat(), ctx.idempotency_key))
    return SigningBookResult(
        booking_ref=reference, credit_code=company["credit_code"], company_name=company["name"], kind=company["kind"],
        representative_masked=mask_name(company["representative_name"]), day=req.day, start=req.start,
        end=_end(req.start, int(_settings(ctx)["slot_minutes"])), counter=req.counter, counter_name=counter["name"],
        originals=_originals(ctx, company["kind"]), booked_at=ctx.now)
