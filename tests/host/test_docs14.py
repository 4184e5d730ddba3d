"""Balances and bank documents on the host simulator: PIN first, periods, fees debited once, freezes,
credit reports (two free a year), and documents that verify (signature, code, content)."""

from __future__ import annotations

import base64
from datetime import date, timedelta

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.signing import check_signature

from .helpers import (
    KEY_ID,
    LI_ID,
    LI_PAN,
    LI_PIN,
    ZHANG_ID,
    ZHANG_PAN,
    ZHANG_PAN_2,
    ZHANG_PIN,
    SimControl,
    new_key,
    pin_block,
)

SUN_ID = "320106198811230024"
SUN_PAN = "6228480402564890042"
SUN_PIN = "369258"


def card(pan: str = ZHANG_PAN, pin: str = ZHANG_PIN) -> dict[str, str]:
    return {"pan": pan, "pin_block": pin_block(pin, pan), "key_id": KEY_ID}


def balance(sim: SimControl, pan: str) -> int:
    from kiosk.core.masking import mask_pan

    rows = [a for a in sim.state()["accounts"] if pan[-4:] in " ".join(a["card_pans_masked"])
            and mask_pan(pan) in a["card_pans_masked"]]
    return int(rows[0]["balance_fen"])


def test_balances_show_the_account_and_its_latest_transactions(client: HostClient) -> None:
    reply = client.call("accounts.balances", card(), new_key(), "s1")
    account = reply["accounts"][0]
    assert account["balance_fen"] == 500000
    assert account["available_fen"] == 500000
    transactions = reply["transactions"]
    assert 0 < len(transactions) <= 50
    assert transactions[0]["balance_fen"] == 500000  # the newest ends at today's balance
    assert [t["posted_on"] for t in transactions] == sorted((t["posted_on"] for t in transactions), reverse=True)


def test_a_wrong_pin_is_refused_and_counted(client: HostClient) -> None:
    with pytest.raises(HostRejected) as refused:
        client.call("accounts.balances", card(pin="000000"), new_key(), "s1")
    assert refused.value.code == "pin_wrong"
    assert refused.value.details["tries_left"] == 2


def test_a_statement_previews_its_pages_and_debits_its_fee_once(client: HostClient, sim: SimControl) -> None:
    preview = client.call("statements.preview", {**card(SUN_PAN, SUN_PIN), "months": 12}, new_key(), "s1")
    assert preview["pages"] > 10  # the busy account
    before = balance(sim, SUN_PAN)
    key = new_key()
    body = {**card(SUN_PAN, SUN_PIN), "date_from": preview["date_from"], "date_to": preview["date_to"],
            "pages": preview["pages"], "fee_fen": 150, "lang": "zh_CN"}
    issued = client.call("statements.issue", body, key, "s1")
    again = client.call("statements.issue", body, key, "s1")  # a retry replays
    assert again["statement_ref"] == issued["statement_ref"]
    assert issued["debited_fen"] == 150
    assert balance(sim, SUN_PAN) == before - 150
    pdf = base64.b64decode(issued["document"])
    check = check_signature(pdf)
    assert check.valid
    assert check.verification_code == issued["verification_code"]


def test_statement_periods_are_checked(client: HostClient) -> None:
    today = date.today()
    for start, end, code in ((today - timedelta(days=400), today, "period_too_long"),
                             (today, today - timedelta(days=3), "period_invalid")):
        with pytest.raises(HostRejected) as refused:
            client.call("statements.preview", {**card(), "date_from": start.isoformat(), "date_to": end.isoformat()},
                        new_key(), "s1")
        assert refused.value.code == code


def test_a_statement_whose_pages_changed_is_refused(client: HostClient) -> None:
    preview = client.call("statements.preview", {**card(), "months": 3}, new_key(), "s1")
    body = {**card(), "date_from": preview["date_from"], "date_to": preview["date_to"],
            "pages": preview["pages"] + 1, "fee_fen": 0, "lang": "en_US"}
    with pytest.raises(HostRejected) as refused:
        client.call("statements.issue", body, new_key(), "s1")
    assert refused.value.code == "statement_changed"


def approval(client: HostClient) -> str:
    token = client.call("staff.sign_in", {"staff_number": "S1001", "password": "zhou1001"}, new_key(), "s1")
    recorded = client.call("approvals.record", {"session_id": "s1", "staff_token": token["staff_token"],
                                                "decision": "approve", "reason": "", "subject": "deposit_certificate",
                                                "countersigns": None}, new_key(), "s1")
    return str(recorded["approval_ref"])


def certify(client: HostClient, amount_fen: int, ref: str | None, pan: str = ZHANG_PAN,
            id_number: str = ZHANG_ID) -> dict[str, object]:
    return client.call("deposits.certify", {"id_number": id_number, **card(pan), "amount_fen": amount_fen,
                                            "months": 6, "fee_fen": 2000, "approval_ref": ref, "lang": "zh_CN"},
                       new_key(), "s1")


def test_a_deposit_certificate_freezes_the_amount_and_takes_the_fee(client: HostClient, sim: SimControl) -> None:
    issued = certify(client, 300000, approval(client))
    assert issued["frozen_fen"] == 300000
    assert issued["debited_fen"] == 2000
    assert balance(sim, ZHANG_PAN) == 500000 - 2000
    account = client.call("accounts.balances", card(), new_key(), "s1")["accounts"][0]
    assert (account["frozen_fen"], account["available_fen"]) == (300000, 500000 - 2000 - 300000)
    with pytest.raises(HostRejected) as refused:
        certify(client, 1000, approval(client))
    assert refused.value.code == "already_frozen"


@pytest.mark.parametrize(("amount", "ref", "pan", "who", "code"), [
    (100, None, ZHANG_PAN, ZHANG_ID, "approval_required"),
    (600000, "approve", ZHANG_PAN, ZHANG_ID, "insufficient_funds"),
    (1000, "approve", ZHANG_PAN_2, ZHANG_ID, "insufficient_funds"),  # 23.50 yuan: not 10.00 and the fee
    (100, "approve", ZHANG_PAN, LI_ID, "not_card_holder"),
])
def test_deposit_certificate_refusals(client: HostClient, amount: int, ref: str | None, pan: str, who: str,
                                      code: str) -> None:
    with pytest.raises(HostRejected) as refused:
        certify(client, amount, approval(client) if ref else None, pan, who)
    assert refused.value.code == code


def report(client: HostClient, id_number: str, fee: int, paid: dict[str, str] | None = None) -> dict[str, object]:
    return client.call("credit.report", {"id_number": id_number, "name": "张伟", "fee_fen": fee, "lang": "zh_CN",
                                         **(paid or {})}, new_key(), "s1")


def test_two_credit_reports_a_year_are_free_then_the_fee_is_paid_by_card(client: HostClient, sim: SimControl) -> None:
    assert client.call("credit.quota", {"id_number": LI_ID}, new_key(), "s1")["free_left"] == 2
    for _ in range(2):
        assert report(client, LI_ID, 0)["debited_fen"] == 0
    quota = client.call("credit.quota", {"id_number": LI_ID}, new_key(), "s1")
    assert (quota["free_left"], quota["fee_fen"]) == (0, 1000)
    with pytest.raises(HostRejected) as refused:
        report(client, LI_ID, 0)
    assert refused.value.code == "fee_changed"
    with pytest.raises(HostRejected) as refused:
        report(client, LI_ID, 1000)
    assert refused.value.code == "payment_required"
    before = balance(sim, LI_PAN)
    paid = report(client, LI_ID, 1000, card(LI_PAN, LI_PIN))
    assert paid["debited_fen"] == 1000
    assert balance(sim, LI_PAN) == before - 1000


def test_a_document_verifies_and_a_changed_one_does_not(client: HostClient) -> None:
    issued = report(client, ZHANG_ID, 0)
    document = str(issued["document"])
    answer = client.call("documents.verify", {"document": document}, new_key(), "s1")
    assert (answer["valid"], answer["known"], answer["unchanged"], answer["signature_valid"]) == (True,) * 4
    assert answer["kind"] == "credit_report"
    pdf = base64.b64decode(document)
    changed = pdf + b"\n% appended after signing\n"
    answer = client.call("documents.verify", {"document": base64.b64encode(changed).decode()}, new_key(), "s1")
    assert not answer["valid"]
    assert not answer["unchanged"]


@pytest.mark.parametrize(("fen", "words"), [
    (0, "人民币零元整"), (1, "人民币壹分"), (50, "人民币伍角"), (105, "人民币壹元零伍分"), (300000, "人民币叁仟元整"),
    (1000500, "人民币壹万零伍元整"), (100010000, "人民币壹佰万零壹佰元整"), (2350, "人民币贰拾叁元伍角"),
    (1234567890, "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"),
])
def test_a_certificate_writes_the_amount_in_capital_numerals(fen: int, words: str) -> None:
    from kiosk.host.sim.ops_docs14 import rmb_upper

    assert rmb_upper(fen) == words
