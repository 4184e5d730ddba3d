"""The corporate account pre-check (对公开户预审) on the host simulator: a company checked against its
registration (only its legal representative, in good standing, not booked yet), the free signing appointments,
and the one appointment booked once under its key, with each real refusal."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from kiosk.host.api_corporate import CompanyCheckRequest, SigningBookRequest
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.ops_corporate import book_signing, check_company, free_slots
from kiosk.host.sim.seed import load_seed, seed_database
from kiosk.host.sim.seed_corporate import working_days_after
from kiosk.host.sim.store import Store

from .helpers import KEY_ID, LI_ID, WORKING_KEY, ZHANG_ID, SimControl, call, new_key

TECH = "91440300MA5G8K2P17"  # 深圳市示范云科技有限公司, legal representative 张伟
SHOP = "92310104MA1K4R7T3H"  # 上海市徐汇区秀英点心店, an individual business run by 李秀英
TRADING = "91440104MA59C3HN7N"  # represented by 周杰
LOGISTICS = "91440300MA5FL2QX8F"  # on the list of abnormal operations
CLOSED = "91110105MA01B7KD4Y"  # deregistered
UNREGISTERED = "91440300MA5H0W6E2D"  # well formed, registered nowhere
ENTERPRISE_ORIGINALS = ["licence_original", "representative_id", "company_seal", "finance_seal",
                        "representative_seal", "articles"]
FRIDAY = datetime(2026, 12, 4, 10, 0).astimezone()


def check(client: HostClient, code: str = TECH, id_number: str = ZHANG_ID) -> dict[str, Any]:
    return call(client, "corporate.check_company", {"credit_code": code, "id_number": id_number})


def book(client: HostClient, slot: dict[str, Any], code: str = TECH, id_number: str = ZHANG_ID,
         key: str | None = None) -> dict[str, Any]:
    body = {"credit_code": code, "id_number": id_number, "day": slot["day"], "start": slot["start"],
            "counter": slot["counter"], "licence_read": True}
    return call(client, "corporate.book_signing", body, key)


def refused(call_it: Any) -> HostRejected:
    with pytest.raises(HostRejected) as refusal:
        call_it()
    return refusal.value


def test_the_representative_checks_the_company(client: HostClient) -> None:
    found = check(client)
    assert (found["company_name"], found["kind"], found["representative_masked"]) == (
        "深圳市示范云科技有限公司", "enterprise", "张*")
    assert found["originals"] == ENTERPRISE_ORIGINALS
    days = [d.isoformat() for d in working_days_after(date.today(), 5)]
    slots = found["slots"]
    assert len(slots) == 6
    assert all(s["day"] in days for s in slots)  # working days from the next one: never today
    assert (slots[0]["day"], slots[0]["start"], slots[0]["end"], slots[0]["counter"]) == (days[0], "10:30", "11:15", "5")
    assert slots[0]["counter_name"] == "对公业务5号窗口"  # 09:30 of the next working day is full: not offered


def test_an_individual_business_brings_its_own_originals(client: HostClient) -> None:
    found = check(client, SHOP, LI_ID)
    assert (found["kind"], found["legal_form"]) == ("individual_business", "个体工商户")
    assert found["originals"] == ["licence_original", "operator_id", "business_seal"]


@pytest.mark.parametrize(("code", "id_number", "refusal"), [
    (UNREGISTERED, ZHANG_ID, "company_not_found"),
    (TRADING, ZHANG_ID, "representative_mismatch"),
    (TECH, LI_ID, "representative_mismatch"),
    (LOGISTICS, ZHANG_ID, "company_abnormal"),
    (CLOSED, ZHANG_ID, "company_deregistered"),
])
def test_check_refusals(client: HostClient, code: str, id_number: str, refusal: str) -> None:
    assert refused(lambda: check(client, code, id_number)).code == refusal


def test_a_mismatch_says_nothing_else_about_the_company(client: HostClient) -> None:
    refusal = refused(lambda: check(client, LOGISTICS, LI_ID))  # abnormal, but not hers: only the mismatch
    assert (refusal.code, refusal.details) == ("representative_mismatch", {})


def test_a_malformed_code_never_reaches_the_books() -> None:
    for code in ("91440300MA5G8K2P18", "91440300MA5G8K2P1", "9144O300MA5G8K2P17"):
        with pytest.raises(ValidationError, match="unified social credit code|at least 18"):
            CompanyCheckRequest(credit_code=code, id_number=ZHANG_ID)


def test_the_appointment_is_booked_once_and_only_once(client: HostClient, sim: SimControl) -> None:
    slot = check(client)["slots"][1]
    key = new_key()
    booked = book(client, slot, key=key)
    assert book(client, slot, key=key) == booked  # a retry replays the stored reply
    assert booked["booking_ref"].startswith("CA")
    assert (booked["day"], booked["start"], booked["counter"]) == (slot["day"], slot["start"], slot["counter"])
    assert booked["originals"] == ENTERPRISE_ORIGINALS
    postings = [p for p in sim.state()["postings"] if p["op"] == "corporate.book_signing"]
    assert [(p["idempotency_key"], p["status"]) for p in postings] == [(key, "committed")]
    again = refused(lambda: check(client))  # one signing appointment per company
    assert (again.code, again.details["booking_ref"], again.details["day"], again.details["start"]) == (
        "already_booked", booked["booking_ref"], slot["day"], slot["start"])
    assert refused(lambda: book(client, check(client, SHOP, LI_ID)["slots"][0])).code == "already_booked"


def test_an_appointment_taken_meanwhile_is_refused_with_those_free_now(client: HostClient) -> None:
    slot = check(client)["slots"][0]
    book(client, slot, SHOP, LI_ID)  # the shop books the very counter and time first
    refusal = refused(lambda: book(client, slot))
    assert refusal.code == "slot_taken"
    assert {"day": slot["day"], "start": slot["start"], "end": slot["end"], "counter": "6",
            "counter_name": "对公业务6号窗口"} == refusal.details["slots"][0]  # the other counter, same time
    assert book(client, refusal.details["slots"][0])["counter"] == "6"


@pytest.mark.parametrize("change", [
    {"day": date.today().isoformat()},  # today: the bank reviews the pre-check first
    {"start": "12:00"},
    {"counter": "9"},
    {"day": (date.today() + timedelta(days=60)).isoformat()},
])
def test_an_appointment_the_branch_does_not_hold_is_unknown(client: HostClient, change: dict[str, str]) -> None:
    slot = {**check(client)["slots"][0], **change}
    assert refused(lambda: book(client, slot)).code == "slot_unknown"


def test_the_booking_request_keeps_its_shape() -> None:
    with pytest.raises(ValidationError):
        SigningBookRequest(credit_code=TECH, id_number=ZHANG_ID, day=date.today(), start="9:30", counter="5",
                           licence_read=True)


# -- the slots on a fixed day, in process on a seeded copy of the bank ------------------------------------------

class RolledBack(Exception):
    """Ends a test's transaction: nothing it wrote stays."""


@contextmanager
def rolled_back(store: Store) -> Iterator[sqlite3.Connection]:
    with contextlib.suppress(RolledBack), store.transaction() as conn:
        yield conn
        raise RolledBack


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(Path(tmp_path_factory.mktemp("corporate")) / "host.db")  # the bank's side
    with store.transaction() as conn:
        seed_database(conn, load_seed(), FRIDAY)
    yield store
    store.close()


def context(conn: sqlite3.Connection, now: datetime = FRIDAY) -> OpContext:
    return OpContext(conn, now, {KEY_ID: WORKING_KEY}, new_key())


def test_after_a_friday_the_slots_start_on_monday(bank: Store) -> None:
    with rolled_back(bank) as conn:
        slots = free_slots(context(conn), limit=100)
    assert [d.isoformat() for d in working_days_after(FRIDAY.date(), 2)] == ["2026-12-07", "2026-12-08"]
    assert {s.day.weekday() for s in slots} <= {0, 1, 2, 3, 4}
    assert len(slots) == 5 * 4 - 1  # five days of four times, less Monday 09:30 (both counters booked)
    assert (slots[0].day, slots[0].start) == (date(2026, 12, 7), "10:30")


def test_when_every_counter_is_booked_nothing_is_offered(bank: Store) -> None:
    with rolled_back(bank) as conn:
        ctx = context(conn)
        for number, slot in enumerate(free_slots(ctx, limit=100)):
            conn.execute("INSERT INTO corporate_appointments(booking_ref, credit_code, company_name, day, start, "
                         "counter, booked_at) VALUES (?, ?, 'x', ?, ?, ?, ?)",
                         (f"T{number}", f"C{number}", slot.day.isoformat(), slot.start, slot.counter, "now"))
        # the other counter at each time is free still: fill those too
        for number, slot in enumerate(free_slots(ctx, limit=100)):
            conn.execute("INSERT INTO corporate_appointments(booking_ref, credit_code, company_name, day, start, "
                         "counter, booked_at) VALUES (?, ?, 'x', ?, ?, ?, ?)",
                         (f"U{number}", f"D{number}", slot.day.isoformat(), slot.start, slot.counter, "now"))
        assert free_slots(ctx) == []
        with pytest.raises(Refusal) as refusal:
            check_company(ctx, CompanyCheckRequest(credit_code=TECH, id_number=ZHANG_ID))
    assert refusal.value.code == "no_slots"


def test_booking_in_process_keeps_the_key_and_how_the_code_was_got(bank: Store) -> None:
    with rolled_back(bank) as conn:
        ctx = context(conn)
        slot = free_slots(ctx)[0]
        booked = book_signing(ctx, SigningBookRequest(credit_code=TECH, id_number=ZHANG_ID, day=slot.day,
                                                      start=slot.start, counter=slot.counter, licence_read=False))
        row = conn.execute("SELECT * FROM corporate_appointments WHERE booking_ref = ?",
                           (booked.booking_ref,)).fetchone()
    assert (row["idempotency_key"], row["licence_read"], row["day"]) == (ctx.idempotency_key, 0, "2026-12-07")
