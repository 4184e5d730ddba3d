"""The cards-and-accounts operations (catalogue 1 of 3) against the real simulator: the class rules of a branch
identity check, refusals, e-banking and SMS alerts on a card, the profile, and exactly once."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected

from .helpers import (
    KEY_ID,
    LI_ID,
    LI_PAN,
    LI_PIN,
    ZHANG_ID,
    ZHANG_PAN,
    ZHANG_PIN,
    SimControl,
    call,
    new_key,
    pin_block,
)


def refused(client: HostClient, op: str, payload: dict[str, Any]) -> HostRejected:
    with pytest.raises(HostRejected) as caught:
        call(client, op, payload)
    return caught.value


def verify(account_ref: str, id_number: str = ZHANG_ID) -> dict[str, Any]:
    return {"id_number": id_number, "account_ref": account_ref, "verified_by": "face", "approval_ref": None}


def card(pan: str = LI_PAN, pin: str = LI_PIN, id_number: str = LI_ID) -> dict[str, Any]:
    return {"id_number": id_number, "pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID}


def test_class_iii_is_raised_class_ii_stays_with_a_class_i_held(client: HostClient) -> None:
    listed = call(client, "accounts.restricted", {"id_number": ZHANG_ID})["accounts"]
    assert [(a["account_ref"], a["account_class"], a["restriction"]) for a in listed] == [
        ("EA00000001", 3, "unverified"), ("EA00000002", 2, "unverified"), ("EA00000003", 2, "fraud_control")]
    raised = call(client, "accounts.verify_in_person", verify("EA00000001"))
    assert (raised["class_before"], raised["class_after"], raised["class_note"]) == (3, 2, "raised")
    kept = call(client, "accounts.verify_in_person", verify("EA00000002"))
    assert (kept["class_after"], kept["class_note"]) == (2, "class1_exists")
    assert [a["account_ref"] for a in call(client, "accounts.restricted", {"id_number": ZHANG_ID})["accounts"]] == [
        "EA00000003"]


def test_verification_refusals(client: HostClient) -> None:
    assert refused(client, "accounts.verify_in_person", verify("EA00000003")).code == "restriction_needs_counter"
    assert refused(client, "accounts.verify_in_person", verify("EA00000004")).code == "account_not_found"
    staff = {**verify("EA00000001"), "verified_by": "staff", "approval_ref": "A99999999"}
    assert refused(client, "accounts.verify_in_person", staff).code == "approval_required"
    call(client, "accounts.verify_in_person", verify("EA00000001"))
    assert refused(client, "accounts.verify_in_person", verify("EA00000001")).code == "account_not_restricted"


def test_a_retried_verification_posts_once(client: HostClient, sim: SimControl) -> None:
    key = new_key()
    first = call(client, "accounts.verify_in_person", verify("EA00000001"), key)
    assert call(client, "accounts.verify_in_person", verify("EA00000001"), key) == first
    assert [p["op"] for p in sim.state()["postings"]] == ["accounts.verify_in_person"]


def test_ebanking_signs_with_the_code_sent_to_the_mobile_on_file(client: HostClient, sim: SimControl) -> None:
    status = call(client, "ebanking.status", card())
    assert status["mobile_masked"] == "139****1111"
    sent = call(client, "sms.send_to_reserved", {"id_number": LI_ID, "pan": LI_PAN, "purpose": "ebanking_sign"})
    sign = {**card(), "service": "mobile_banking", "action": "sign", "sms_ref": sent["sms_ref"], "reason": None}
    assert refused(client, "ebanking.change", sign).code == "sms_not_verified"
    call(client, "sms.verify_code", {"sms_ref": sent["sms_ref"], "code": sim.sms_code(sent["sms_ref"])})
    assert call(client, "ebanking.change", sign)["signed"] is True
    assert refused(client, "ebanking.change", sign).code == "already_signed"
    cancel = {**sign, "action": "cancel", "sms_ref": None}
    assert refused(client, "ebanking.change", cancel).code == "reason_required"
    assert call(client, "ebanking.change", {**cancel, "reason": "security"})["signed"] is False


def test_ebanking_refuses_an_expired_id_on_file_and_a_wrong_pin(client: HostClient) -> None:
    zhang = card(ZHANG_PAN, ZHANG_PIN, ZHANG_ID)
    sign = {**zhang, "service": "sms_payment", "action": "sign", "sms_ref": "SMS0", "reason": None}
    assert refused(client, "ebanking.change", sign).code == "id_expired_on_file"
    wrong = refused(client, "ebanking.status", card(pin="111111"))
    assert (wrong.code, wrong.details) == ("pin_wrong", {"tries_left": 2})


def test_sms_alerts_threshold_rules_and_fee(client: HostClient) -> None:
    assert call(client, "sms_alerts.status", card())["monthly_fee_fen"] == 200
    subscribe = {**card(), "action": "subscribe", "threshold_fen": 150}
    assert refused(client, "sms_alerts.change", subscribe).code == "threshold_invalid"
    done = call(client, "sms_alerts.change", {**subscribe, "threshold_fen": 10000})
    assert (done["subscribed"], done["threshold_fen"], done["monthly_fee_fen"]) == (True, 10000, 200)
    assert refused(client, "sms_alerts.change", {**subscribe, "threshold_fen": 10000}).code == "already_subscribed"
    stopped = call(client, "sms_alerts.change", {**card(), "action": "cancel", "threshold_fen": None})
    assert (stopped["subscribed"], stopped["monthly_fee_fen"]) == (False, 0)


def test_profile_updates(client: HostClient) -> None:
    before = call(client, "customers.profile", {"id_number": ZHANG_ID})
    assert (before["occupation"], before["id_valid_to"]) == ("professional", "2016-05-10")
    renew = {"id_number": ZHANG_ID, "item": "id_validity", "id_valid_to": "2036-05-10"}
    call(client, "customers.update_profile", renew)
    assert refused(client, "customers.update_profile", renew).code == "id_validity_not_newer"
    call(client, "customers.update_profile", {"id_number": ZHANG_ID, "item": "address", "address": "北京市东城区1号"})
    after = call(client, "customers.profile", {"id_number": ZHANG_ID})
    assert (after["address"], after["id_valid_to"]) == ("北京市东城区1号", "2036-05-10")
    mobile = {"id_number": ZHANG_ID, "item": "mobile", "mobile": "13812345678", "sms_ref": "SMS0"}
    assert refused(client, "customers.update_profile", mobile).code == "mobile_unchanged"
    assert refused(client, "customers.update_profile", {**mobile, "mobile": "13911112222"}).code == "sms_not_verified"
