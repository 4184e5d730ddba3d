"""Appointments (预约办理) on the host simulator: the mini-program books a bookable business with its answers and
gets a code signed by the host; the kiosk checks the code (signature, booking, window, one-time use) and
redeems it for the holder only, once under its idempotency key; and (hypothesis) no altered code is accepted
and the answers come back exactly as booked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.host.api_appointments import AppointmentCreateRequest
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.context import Refusal
from kiosk.host.sim.tokens_appointments import booking_ref_of, sign_token

from .helpers import LI_ID, ZHANG_ID, SimControl, call, new_key

DEPOSIT = {"deposit_yuan": "3000", "term": "1y", "rollover": "auto"}
SEEDED = {ref: sign_token(ref) for ref in (f"APT0000000{n}" for n in range(1, 10))}


def create(client: HostClient, flow: str = "time_deposit_open", id_number: str = ZHANG_ID,
           answers: dict[str, str] | None = None, key: str | None = None, **window: Any) -> dict[str, Any]:
    payload = {"flow": flow, "id_number": id_number, "answers": DEPOSIT if answers is None else answers,
               **{name: moment.isoformat() for name, moment in window.items()}}
    return call(client, "appointments.create", payload, key)


def check(client: HostClient, token: str) -> dict[str, Any]:
    return call(client, "appointments.check", {"token": token})


def redeem(client: HostClient, token: str, id_number: str = ZHANG_ID, key: str | None = None) -> dict[str, Any]:
    return call(client, "appointments.redeem", {"token": token, "id_number": id_number}, key)


def refused(call_it: Any) -> HostRejected:
    with pytest.raises(HostRejected) as refusal:
        call_it()
    return refusal.value


def test_a_booking_is_checked_then_redeemed_once_for_its_answers(client: HostClient) -> None:
    booked = create(client)
    assert booked["booking_ref"].startswith("APT")
    assert booked["holder_masked"] == "张*"
    token = booked["token"]
    found = check(client, token)
    assert (found["booking_ref"], found["flow"], found["holder_masked"]) == (booked["booking_ref"],
                                                                             "time_deposit_open", "张*")
    assert "answers" not in found  # nothing personal before the ID card matched
    key = new_key()
    redeemed = redeem(client, token, key=key)
    assert (redeemed["flow"], redeemed["answers"]) == ("time_deposit_open", DEPOSIT)
    assert redeem(client, token, key=key) == redeemed  # a retry of the same posting: the same answer
    used = refused(lambda: redeem(client, token))  # another posting: the code is used up
    assert used.code == "already_used"
    assert used.details["redeemed_at"]
    assert refused(lambda: check(client, token)).code == "already_used"


def test_the_code_names_the_booking_and_nothing_personal(client: HostClient) -> None:
    token = create(client, flow="transfer", answers={"payee_account": "6217000010012345678",
                                                      "payee_name": "孙丽"})["token"]
    version, ref, signature = token.split(".")
    assert (version, ref) == ("KA1", booking_ref_of(token))
    assert len(signature) == 86
    assert len(token) < 120
    for personal in (ZHANG_ID, "6217000010012345678", "孙丽", "transfer"):
        assert personal not in token


@pytest.mark.parametrize(("ref", "code"), [
    ("APT00000004", "expired"), ("APT00000005", "already_used"), ("APT00000006", "not_yet_valid"),
    ("APT00000009", "booking_cancelled"),
])
def test_seeded_codes_the_kiosk_must_refuse(client: HostClient, ref: str, code: str) -> None:
    refusal = refused(lambda: check(client, SEEDED[ref]))
    assert refusal.code == code
    assert refused(lambda: redeem(client, SEEDED[ref])).code == code
    if code in ("expired", "not_yet_valid"):
        assert set(refusal.details) == {"window_from", "window_to"}


@pytest.mark.parametrize(("token", "code"), [
    ("11010102345678", "token_invalid"),  # a bill's barcode
    ("https://example.com/qr/8f3a2c", "token_invalid"),
    ("KA1.APT00000001", "token_invalid"),
    ("KA2" + SEEDED["APT00000001"][3:], "token_invalid"),
    ("KA1.APT00000002." + SEEDED["APT00000001"].split(".")[2], "signature_invalid"),  # another booking's signature
    ("KA1.APT00000001.not-a-signature", "signature_invalid"),
    (sign_token("APT00000099"), "booking_unknown"),  # the bank's signature, no such booking
])
def test_codes_that_are_not_the_bank_s_bookings(client: HostClient, token: str, code: str) -> None:
    assert refused(lambda: check(client, token)).code == code


def test_only_the_holder_redeems_and_a_wrong_card_leaves_the_code_valid(client: HostClient) -> None:
    token = SEEDED["APT00000002"]
    assert refused(lambda: redeem(client, token, id_number=LI_ID)).code == "holder_mismatch"
    assert redeem(client, token)["answers"] == DEPOSIT


def test_the_window_opens_and_closes_on_the_host_s_clock(client: HostClient, sim: SimControl) -> None:
    now = datetime.now().astimezone()
    token = create(client, window_from=now + timedelta(hours=1), window_to=now + timedelta(hours=3))["token"]
    early = refused(lambda: check(client, token))
    assert early.code == "not_yet_valid"
    assert datetime.fromisoformat(early.details["window_from"]) > now
    sim.advance(2 * 3600)
    assert check(client, token)["flow"] == "time_deposit_open"
    sim.advance(2 * 3600)
    assert refused(lambda: check(client, token)).code == "expired"


def test_the_window_defaults_to_the_next_day(client: HostClient) -> None:
    booked = create(client)
    start, end = (datetime.fromisoformat(booked[name]) for name in ("window_from", "window_to"))
    assert end - start == timedelta(hours=24)


@pytest.mark.parametrize(("booking", "code"), [
    ({"flow": "loss_report"}, "flow_not_bookable"),
    ({"answers": {"pin_block": "00"}}, "answer_not_bookable"),
    ({"flow": "transfer", "answers": {"deposit_yuan": "1"}}, "answer_not_bookable"),
])
def test_what_the_mini_program_cannot_book(client: HostClient, booking: dict[str, Any], code: str) -> None:
    assert refused(lambda: create(client, **booking)).code == code


@pytest.mark.parametrize(("start", "end"), [
    (timedelta(hours=2), timedelta(hours=1)),  # ends before it starts
    (timedelta(days=-3), timedelta(days=-2)),  # over already
    (timedelta(0), timedelta(days=31)),  # longer than 30 days
    (timedelta(days=40), timedelta(days=41)),  # too far ahead
])
def test_windows_the_mini_program_cannot_book(client: HostClient, start: timedelta, end: timedelta) -> None:
    now = datetime.now().astimezone()
    assert refused(lambda: create(client, window_from=now + start, window_to=now + end)).code == "window_invalid"


def test_a_booking_s_times_carry_their_offset() -> None:
    with pytest.raises(ValidationError):
        AppointmentCreateRequest(flow="transfer", id_number=ZHANG_ID, window_from=datetime(2026, 1, 1, 10))


def test_creating_is_a_posting_one_booking_per_key(client: HostClient) -> None:
    key = new_key()
    assert create(client, key=key) == create(client, key=key)
    assert create(client)["booking_ref"] != create(client, key=key)["booking_ref"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=85), replacement=st.sampled_from(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
def test_no_altered_signature_is_accepted(position: int, replacement: str) -> None:
    version, ref, signature = SEEDED["APT00000001"].split(".")
    altered = signature[:position] + replacement + signature[position + 1:]
    if altered == signature:
        assert booking_ref_of(f"{version}.{ref}.{altered}") == ref
        return
    with pytest.raises(Refusal) as refusal:
        booking_ref_of(f"{version}.{ref}.{altered}")
    assert refusal.value.code == "signature_invalid"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.dictionaries(st.sampled_from(["payee_choice", "bank_code", "payee_account", "payee_name",
                                                "amount_yuan", "purpose"]),
                               st.text(min_size=1, max_size=64).filter(lambda v: v.strip() == v and v), max_size=6))
def test_the_answers_come_back_exactly_as_booked(client: HostClient, answers: dict[str, str]) -> None:
    token = create(client, flow="transfer", answers=answers)["token"]
    assert redeem(client, token)["answers"] == answers
