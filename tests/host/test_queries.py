"""Look-ups and checks that post nothing: customers, SMS codes, new PINs, cards, bills."""

from __future__ import annotations

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected

from .helpers import (
    CHEN_ID,
    CHEN_MOBILE,
    KEY_ID,
    LI_ID,
    ZHANG_ID,
    ZHANG_PAN,
    SimControl,
    call,
    pin_block,
)


def test_lookup_known_customer(client: HostClient) -> None:
    assert call(client, "customers.lookup", {"id_number": ZHANG_ID}) == {
        "known": True, "customer_id": "C00000001", "name_masked": "张*", "has_class1_account": True,
    }


def test_lookup_unknown_person(client: HostClient) -> None:
    assert call(client, "customers.lookup", {"id_number": CHEN_ID}) == {
        "known": False, "customer_id": None, "name_masked": None, "has_class1_account": False,
    }


def test_sms_code_verifies(client: HostClient, sim: SimControl) -> None:
    sent = call(client, "sms.send_code", {"mobile": CHEN_MOBILE, "purpose": "open_account"})
    assert sent["expires_in_s"] == 300
    code = sim.sms_code(sent["sms_ref"])
    assert len(code) == 6
    assert code.isdigit()
    assert call(client, "sms.verify_code", {"sms_ref": sent["sms_ref"], "code": code}) == {"verified": True}


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_sms_wrong_code_counts_tries(client: HostClient, sim: SimControl) -> None:
    sms_ref = call(client, "sms.send_code", {"mobile": CHEN_MOBILE, "purpose": "open_account"})["sms_ref"]
    wrong = _wrong(sim.sms_code(sms_ref))
    for tries_left in (2, 1, 0):
        with pytest.raises(HostRejected) as refused:
            call(client, "sms.verify_code", {"sms_ref": sms_ref, "code": wrong})
        assert refused.value.code == "sms_code_wrong"
        assert refused.value.details == {"tries_left": tries_left}
    with pytest.raises(HostRejected) as used_up:
        call(client, "sms.verify_code", {"sms_ref": sms_ref, "code": sim.sms_code(sms_ref)})
    assert used_up.value.code == "sms_code_expired"


def test_sms_code_expires_after_five_minutes(client: HostClient, sim: SimControl) -> None:
    sms_ref = call(client, "sms.send_code", {"mobile": CHEN_MOBILE, "purpose": "open_account"})["sms_ref"]
    sim.advance(301)
    with pytest.raises(HostRejected) as refused:
        call(client, "sms.verify_code", {"sms_ref": sms_ref, "code": sim.sms_code(sms_ref)})
    assert refused.value.code == "sms_code_expired"


def test_sms_unknown_ref(client: HostClient) -> None:
    with pytest.raises(HostRejected) as refused:
        call(client, "sms.verify_code", {"sms_ref": "SMS0000", "code": "123456"})
    assert refused.value.code == "sms_ref_unknown"


def _check_new(client: HostClient, first: str, second: str, key_id: str = KEY_ID) -> dict[str, object]:
    return call(client, "pins.check_new", {"pan": ZHANG_PAN, "pin_block": first, "pin_block_confirm": second,
                                           "key_id": key_id})


def test_new_pin_accepted(client: HostClient) -> None:
    block = pin_block("802413", ZHANG_PAN)
    assert _check_new(client, block, pin_block("802413", ZHANG_PAN)) == {"ok": True}


def test_new_pin_entries_must_match(client: HostClient) -> None:
    with pytest.raises(HostRejected) as refused:
        _check_new(client, pin_block("802413", ZHANG_PAN), pin_block("802414", ZHANG_PAN))
    assert refused.value.code == "pin_mismatch"


@pytest.mark.parametrize("pin", ["111111", "123456", "012345", "654321", "987654"])
def test_new_pin_too_simple(client: HostClient, pin: str) -> None:
    with pytest.raises(HostRejected) as refused:
        _check_new(client, pin_block(pin, ZHANG_PAN), pin_block(pin, ZHANG_PAN))
    assert refused.value.code == "pin_too_simple"


@pytest.mark.parametrize(
    ("block", "key_id", "reason"),
    [
        (pin_block("802413", ZHANG_PAN, key=bytes(16)), KEY_ID, "undecodable"),  # another key
        (pin_block("802413", "6228480402564890026"), KEY_ID, "undecodable"),  # bound to another card
        ("00" * 16, KEY_ID, "undecodable"),
        (pin_block("802413", ZHANG_PAN), "TPK-OTHER", "unknown_key"),
    ],
)
def test_new_pin_block_invalid(client: HostClient, block: str, key_id: str, reason: str) -> None:
    with pytest.raises(HostRejected) as refused:
        _check_new(client, block, block, key_id=key_id)
    assert refused.value.code == "pin_block_invalid"
    assert refused.value.details == {"reason": reason}


def test_cards_list(client: HostClient) -> None:
    cards = call(client, "cards.list", {"id_number": ZHANG_ID})["cards"]
    assert cards == [
        {"card_ref": "K00000001", "pan_masked": "622848*********0018", "product": "借记卡", "status": "active"},
        {"card_ref": "K00000002", "pan_masked": "622848*********0026", "product": "借记卡", "status": "active"},
    ]
    assert call(client, "cards.list", {"id_number": CHEN_ID}) == {"cards": []}


def test_si_bills_lists_unpaid(client: HostClient) -> None:
    bills = call(client, "si.bills", {"id_number": LI_ID})
    assert bills == {
        "payer_name_masked": "李**",
        "items": [{"bill_id": "SI000003", "type": "城乡居民医疗保险", "period": "2026", "amount_fen": 38000,
                   "payee": "国家税务总局上海市税务局"}],
    }
    assert call(client, "si.bills", {"id_number": CHEN_ID}) == {"payer_name_masked": "陈*", "items": []}


def test_lowercase_check_character_and_hex_are_accepted(client: HostClient) -> None:
    assert call(client, "customers.lookup", {"id_number": LI_ID.lower()})["known"] is True
    block = pin_block("802413", ZHANG_PAN).lower()
    assert _check_new(client, block, block) == {"ok": True}
