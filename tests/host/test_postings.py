"""Postings through the client: account opening, loss reports, social-insurance payments, approvals."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected

from .helpers import (
    CHEN_ID,
    LI_ID,
    NEW_CARD_PAN,
    WANG_ID,
    WANG_MOBILE,
    ZHANG_ID,
    ZHANG_MOBILE,
    ZHANG_PAN,
    ZHANG_PAN_2,
    SimControl,
    approval,
    call,
    new_key,
    open_account_payload,
    pay_payload,
    pin_block,
    sign_in,
    verified_sms,
    zhang_bills,
)


def _refused(client: HostClient, op: str, payload: dict[str, Any], key: str | None = None) -> HostRejected:
    with pytest.raises(HostRejected) as refused:
        call(client, op, payload, key)
    return refused.value


# -- accounts.open ------------------------------------------------------------------------------------


def test_open_account_for_a_new_customer(client: HostClient, sim: SimControl) -> None:
    opened = call(client, "accounts.open", open_account_payload(verified_sms(client, sim, "13700002222")))
    assert opened["card_pan_masked"] == "622848*********0013"
    assert opened["account_no"].isdigit()
    datetime.fromisoformat(opened["opened_at"])
    assert call(client, "customers.lookup", {"id_number": CHEN_ID}) == {
        "known": True, "customer_id": opened["customer_id"], "name_masked": "陈*", "has_class1_account": True}
    assert [a["balance_fen"] for a in sim.state()["opened_accounts"]] == [0]


def test_open_account_with_its_new_pin(client: HostClient, sim: SimControl) -> None:
    call(client, "accounts.open", open_account_payload(verified_sms(client, sim, "13700002222")))
    wrong = _refused(client, "si.pay", pay_payload(["SI000001"], 112800, pan=NEW_CARD_PAN, pin="802414"))
    assert wrong.code == "pin_wrong"
    right = _refused(client, "si.pay", pay_payload(["SI000001"], 112800, pan=NEW_CARD_PAN, pin="802413"))
    assert right.code == "insufficient_funds"  # the PIN set at opening was accepted; the account is empty


def test_open_account_refused_for_existing_class1(client: HostClient, sim: SimControl) -> None:
    sms_ref = verified_sms(client, sim, ZHANG_MOBILE)
    payload = open_account_payload(sms_ref, id_number=ZHANG_ID, name="张伟", mobile=ZHANG_MOBILE)
    assert _refused(client, "accounts.open", payload).code == "class1_account_exists"


def test_open_account_needs_verified_sms(client: HostClient, sim: SimControl) -> None:
    unverified = call(client, "sms.send_code", {"mobile": "13700002222", "purpose": "open_account"})["sms_ref"]
    assert _refused(client, "accounts.open", open_account_payload(unverified)).code == "sms_not_verified"
    other_mobile = verified_sms(client, sim, "13900009999")
    assert _refused(client, "accounts.open", open_account_payload(other_mobile)).code == "sms_not_verified"


def test_open_account_card_in_use(client: HostClient, sim: SimControl) -> None:
    payload = open_account_payload(verified_sms(client, sim, "13700002222"), card_pan=ZHANG_PAN,
                                   pin_block=pin_block("802413", ZHANG_PAN))
    assert _refused(client, "accounts.open", payload).code == "card_in_use"


def test_open_account_refuses_a_simple_pin(client: HostClient, sim: SimControl) -> None:
    payload = open_account_payload(verified_sms(client, sim, "13700002222"),
                                   pin_block=pin_block("123456", NEW_CARD_PAN))
    assert _refused(client, "accounts.open", payload).code == "pin_too_simple"


def test_open_account_for_a_child(client: HostClient, sim: SimControl) -> None:
    child = {"id_number": WANG_ID, "name": "王小明", "sex": "男", "nation": "汉", "birth_date": "2012-05-20",
             "mobile": WANG_MOBILE}
    sms_ref = verified_sms(client, sim, WANG_MOBILE)
    alone = open_account_payload(sms_ref, **child)
    assert _refused(client, "accounts.open", alone).code == "guardian_required"
    guarded = open_account_payload(sms_ref, **child, guardian_id_number=ZHANG_ID)
    assert _refused(client, "accounts.open", guarded).code == "approval_required"
    rejected = approval(client, "minor account", decision="reject")
    assert _refused(client, "accounts.open", {**guarded, "approval_ref": rejected}).code == "approval_required"
    approved = {**guarded, "approval_ref": approval(client, "minor account")}
    assert call(client, "accounts.open", approved)["card_pan_masked"] == "622848*********0013"


# -- cards.report_loss --------------------------------------------------------------------------------


def test_verbal_loss_lasts_five_days(client: HostClient, sim: SimControl) -> None:
    loss = call(client, "cards.report_loss", {"id_number": ZHANG_ID, "card_ref": "K00000002", "kind": "verbal"})
    effective = datetime.fromisoformat(loss["effective_at"])
    assert loss["kind"] == "verbal"
    assert datetime.fromisoformat(loss["expires_at"]) == effective + timedelta(days=5)
    statuses = {c["card_ref"]: c["status"] for c in call(client, "cards.list", {"id_number": ZHANG_ID})["cards"]}
    assert statuses == {"K00000001": "active", "K00000002": "lost_verbal"}
    sim.advance(5 * 86400 + 1)
    cards = call(client, "cards.list", {"id_number": ZHANG_ID})["cards"]
    assert [c["status"] for c in cards] == ["active", "active"]


def test_formal_loss_needs_approval(client: HostClient) -> None:
    request = {"id_number": ZHANG_ID, "card_ref": "K00000001", "kind": "formal"}
    assert _refused(client, "cards.report_loss", request).code == "approval_required"
    loss = call(client, "cards.report_loss", {**request, "approval_ref": approval(client, "formal loss")})
    assert loss["kind"] == "formal"
    assert loss["expires_at"] is None


def test_loss_refusals(client: HostClient) -> None:
    verbal = {"id_number": ZHANG_ID, "card_ref": "K00000001", "kind": "verbal"}
    call(client, "cards.report_loss", verbal)
    assert _refused(client, "cards.report_loss", verbal).code == "card_already_lost"
    formal = {**verbal, "kind": "formal", "approval_ref": approval(client, "formal loss")}
    call(client, "cards.report_loss", formal)  # a verbal loss can be made formal
    assert _refused(client, "cards.report_loss", formal).code == "card_already_lost"
    someone_elses = {"id_number": LI_ID, "card_ref": "K00000001", "kind": "verbal"}
    assert _refused(client, "cards.report_loss", someone_elses).code == "card_not_found"


# -- si.pay -------------------------------------------------------------------------------------------


def test_pay_bills(client: HostClient, sim: SimControl) -> None:
    bills = zhang_bills(client)
    total = sum(b["amount_fen"] for b in bills)
    paid = call(client, "si.pay", pay_payload([b["bill_id"] for b in bills], total))
    assert paid["debited_fen"] == total == 150800
    assert paid["account_masked"].count("*") == 9
    assert sim.balance(ZHANG_PAN) == 500000 - 150800
    assert zhang_bills(client) == []


def test_pin_wrong_then_locked_for_the_day(client: HostClient, sim: SimControl) -> None:
    wrong = pay_payload(["SI000001"], 112800, pin="000000")
    assert _refused(client, "si.pay", wrong).details == {"tries_left": 2}
    assert _refused(client, "si.pay", wrong).details == {"tries_left": 1}
    assert _refused(client, "si.pay", wrong).code == "pin_locked"
    right = pay_payload(["SI000001"], 112800)
    assert _refused(client, "si.pay", right).code == "pin_locked"
    assert sim.balance(ZHANG_PAN) == 500000
    sim.advance(86400)
    assert call(client, "si.pay", right)["debited_fen"] == 112800


def test_right_pin_clears_wrong_count(client: HostClient) -> None:
    wrong = pay_payload(["SI000001"], 112800, pin="000000")
    _refused(client, "si.pay", wrong)
    _refused(client, "si.pay", wrong)
    call(client, "si.pay", pay_payload(["SI000001"], 112800))
    assert _refused(client, "si.pay", pay_payload(["SI000002"], 38000, pin="000000")).details == {"tries_left": 2}


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (pay_payload(["SI000002"], 38000, pan=ZHANG_PAN_2), "insufficient_funds"),
        (pay_payload(["SI000003"], 38000), "bill_not_found"),  # li_xiuying's bill
        (pay_payload(["SI999999"], 38000), "bill_not_found"),
        (pay_payload(["SI000001", "SI000002"], 150000), "amount_mismatch"),
        (pay_payload(["SI000001"], 112800, pan="6228480402564890059"), "card_not_found"),
        ({**pay_payload(["SI000001"], 112800), "key_id": "TPK-OTHER"}, "pin_block_invalid"),
    ],
)
def test_pay_refusals(client: HostClient, sim: SimControl, payload: dict[str, object], code: str) -> None:
    assert _refused(client, "si.pay", payload).code == code
    assert sim.balance(ZHANG_PAN) == 500000
    assert sim.balance(ZHANG_PAN_2) == 2350


def test_pay_already_paid_bill(client: HostClient) -> None:
    call(client, "si.pay", pay_payload(["SI000002"], 38000))
    refused = _refused(client, "si.pay", pay_payload(["SI000002"], 38000))
    assert (refused.code, refused.details) == ("bill_already_paid", {"bill_ids": ["SI000002"]})


def test_pay_with_a_lost_card(client: HostClient) -> None:
    call(client, "cards.report_loss", {"id_number": ZHANG_ID, "card_ref": "K00000001", "kind": "verbal"})
    assert _refused(client, "si.pay", pay_payload(["SI000001"], 112800)).code == "card_lost"


# -- approvals.record and operations.status ------------------------------------------------------------


def test_approvals(client: HostClient, sim: SimControl) -> None:
    ref = approval(client, "formal loss")
    assert ref.startswith("A")
    request = {"session_id": "S-TEST", "decision": "approve", "reason": "", "subject": "formal loss"}
    assert _refused(client, "approvals.record", {**request, "staff_token": "0" * 32}).code == "staff_token_invalid"
    maintenance = sign_in(client, "M2001")
    assert _refused(client, "approvals.record", {**request, "staff_token": maintenance}).code == "staff_not_supervisor"
    assert [a["approval_ref"] for a in sim.state()["approvals"]] == [ref]


def test_operation_status(client: HostClient) -> None:
    paid_key, refused_key = new_key(), new_key()
    paid = call(client, "si.pay", pay_payload(["SI000001"], 112800), key=paid_key)
    _refused(client, "si.pay", pay_payload(["SI000002"], 38000, pin="000000"), key=refused_key)
    committed = call(client, "operations.status", {"idempotency_key": paid_key})
    assert committed == {"found": True, "op": "si.pay", "status": "committed",
                         "reply": {"ok": True, "result": paid}}
    rejected = call(client, "operations.status", {"idempotency_key": refused_key})
    assert (rejected["status"], rejected["reply"]["error"]["code"]) == ("rejected", "pin_wrong")
    assert call(client, "operations.status", {"idempotency_key": new_key()}) == {
        "found": False, "op": None, "status": None, "reply": None}

