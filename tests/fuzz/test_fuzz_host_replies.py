"""Fuzzing what the host answers: reply bodies of any bytes and any JSON shape, through the real client over
HTTP (the stub host of tests/host/test_protocol.py), every operation's result and request model, and the
refusal details the flows read.

The client returns a validated result or raises a HostError; a model raises ValidationError; a refusal
detail of the wrong type reads as missing."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from flows.appointment_pickup import window_text
from kiosk.host.api import OPERATIONS
from kiosk.host.errors import HostError, HostRejected
from tests.fuzz.outcome import attempt
from tests.host.test_protocol import LOOKUP, StubHost, new_key
from tests.host.test_protocol import stub as stub  # the stub host fixture

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
STATUSES = st.sampled_from([200, 400, 404, 409, 422, 500, 502, 503, 504, 418])
stub_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def call(host: StubHost) -> None:
    result, error = attempt(lambda: host.client.call("customers.lookup", LOOKUP, new_key(), "S-FUZZ"), HostError)
    if error is not None:
        assert error.op == "customers.lookup"
    else:
        assert set(result) >= {"known", "customer_id", "name_masked", "has_class1_account"}


@stub_settings
@given(STATUSES, st.binary(max_size=200))
@example(200, b"[" * 100_000)  # nested past the JSON parser's recursion
@example(200, b"\xff\xfe{}")
@example(200, b'{"request_id": 1e999, "ok": true}')
@example(200, b"9" * 5000)  # longer than Python reads an int from text
def test_any_reply_bytes_are_a_result_or_a_host_error(stub: StubHost, status: int, body: bytes) -> None:
    stub.answer = lambda rid: (status, body)
    call(stub)


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """The reply envelope with each part either right in shape or anything at all."""
    result_fields = ["known", "customer_id", "name_masked", "has_class1_account", "extra"]
    result = draw(st.dictionaries(st.sampled_from(result_fields), json_values) | json_values)
    error = draw(st.fixed_dictionaries({"code": json_values, "message": json_values},
                                       optional={"details": json_values}) | json_values)
    envelope = {"request_id": draw(st.sampled_from(["<echo>", None, 7, "other"])), "ok": draw(json_values)}
    envelope |= draw(st.fixed_dictionaries({}, optional={"result": st.just(result), "error": st.just(error)}))
    return envelope


@stub_settings
@given(STATUSES, envelopes())
@example(422, {"request_id": "<echo>", "ok": False, "error": {"code": "x", "message": "y", "details": [1, 2]}})
@example(200, {"request_id": "<echo>", "ok": True, "result": {"known": True, "customer_id": {"a": [1]},
                                                               "name_masked": None, "has_class1_account": 1.5}})
def test_any_envelope_is_a_result_or_a_host_error(stub: StubHost, status: int, envelope: dict[str, Any]) -> None:
    def answer(rid: str) -> tuple[int, bytes]:
        body = {**envelope, "request_id": rid} if envelope["request_id"] == "<echo>" else envelope
        return status, json.dumps(body).encode()

    stub.answer = answer
    call(stub)


@given(st.sampled_from(sorted(OPERATIONS)), st.data())
def test_every_result_and_request_model_validates_or_raises_validation_error(op: str, data: st.DataObject) -> None:
    operation = OPERATIONS[op]
    for model in (operation.result, operation.request):
        fields = sorted(model.model_fields)
        raw = data.draw(st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields))
                        if fields else st.just({}))
        attempt(lambda: model.model_validate(raw), ValidationError)  # noqa: B023 (called at once)


NON_ASCII_DIGITS = ["１１０１０５１９４９１２３１００２X", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "11010519491231002²"]


@pytest.mark.parametrize(("op", "field", "value"), [
    *(("customers.lookup", "id_number", number) for number in NON_ASCII_DIGITS),
    ("sms.send_code", "mobile", "１３８００１３８０００"),
    ("sms.verify_code", "code", "١٢٣٤٥٦"),
])
def test_host_models_take_ascii_digits_only(op: str, field: str, value: str) -> None:
    model = OPERATIONS[op].request
    base = {"customers.lookup": {}, "sms.send_code": {"purpose": "x"}, "sms.verify_code": {"sms_ref": "r"}}[op]
    with pytest.raises(ValidationError, match=field):
        model.model_validate({**base, field: value})


# -- refusal details ------------------------------------------------------------------------------

@given(st.dictionaries(st.sampled_from(["amount_fen", "window_from", "window_to", "redeemed_at", "x"]), json_values)
       | json_values)
@example({"amount_fen": True, "window_from": "0001-01-01T00:00:00+14:00"})  # before the calendar starts here
@example({"amount_fen": "100", "window_to": "2026-13-01T00:00:00+08:00"})
@example([1, 2])  # details that are no mapping at all
def test_refusal_details_of_any_shape_read_as_missing(details: Any) -> None:
    refusal = HostRejected("appointments.check", new_key(), "expired", "expired", details)
    amount = refusal.detail_int("amount_fen", -1)
    assert type(amount) is int
    assert isinstance(refusal.detail_text("x"), str)
    assert refusal.detail_time("redeemed_at") is None or isinstance(refusal.detail_time("redeemed_at"), datetime)
    shown = window_text(refusal)
    assert set(shown) == {"from", "to"}
    assert all(isinstance(v, str) for v in shown.values())


def test_a_refusal_detail_reads_as_the_host_sent_it() -> None:
    refusal = HostRejected("x", new_key(), "expired", "m", {"amount_fen": 1250, "window_from": "2026-12-01T09:00:00+08:00"})
    assert refusal.detail_int("amount_fen") == 1250
    assert window_text(refusal)["from"] == datetime.fromisoformat("2026-12-01T09:00:00+08:00").astimezone().strftime(
        "%Y-%m-%d %H:%M")
    assert window_text(refusal)["to"] == "-"
