"""PIN change and reset, card and social-security card activation on the host simulator (ops_cat13a)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected

from .helpers import (
    KEY_ID,
    LI_PAN,
    ZHANG_ID,
    ZHANG_PAN,
    ZHANG_PIN,
    SimControl,
    approval,
    call,
    new_key,
    pay_payload,
    pin_block,
)

SUN_ID, SUN_PAN = "110102199207180024", "6228480402564891073"  # card issued, not activated
ZHOU_ID, ZHOU_PAN, ZHOU_SS = "110108196803040030", "6228481100000000122", "A01234567"  # social-security card
NEW = "582936"


def refused(client: HostClient, op: str, payload: dict[str, Any], key: str | None = None) -> HostRejected:
    with pytest.raises(HostRejected) as caught:
        call(client, op, payload, key)
    return caught.value


def twice(pan: str, pin: str = NEW, confirm: str | None = None) -> dict[str, str]:
    return {"pin_block": pin_block(pin, pan), "pin_block_confirm": pin_block(confirm or pin, pan), "key_id": KEY_ID}


def change(old: str = ZHANG_PIN, new: str = NEW, pan: str = ZHANG_PAN) -> dict[str, Any]:
    return {"pan": pan, "old_pin_block": pin_block(old, pan), **twice(pan, new)}


def card_status(sim: SimControl, pan_masked: str) -> dict[str, Any]:
    return next(c for c in sim.state()["cards"] if c["pan_masked"] == pan_masked)


def test_a_pin_change_takes_effect_at_once(client: HostClient) -> None:
    done = call(client, "pins.change", change())
    assert done["change_ref"].startswith("PC")
    assert done["pan_masked"] == "622848*********0018"
    assert refused(client, "si.pay", pay_payload(["SI000001"], 112800, pin=ZHANG_PIN)).code == "pin_wrong"
    call(client, "si.pay", pay_payload(["SI000001"], 112800, pin=NEW))


@pytest.mark.parametrize(("pin", "reason"), [("111111", "pattern"), ("345678", "pattern"), ("987654", "pattern"),
                                             ("850312", "birth_date")])
def test_weak_new_pins_are_refused(client: HostClient, pin: str, reason: str) -> None:
    error = refused(client, "pins.change", change(new=pin))
    assert (error.code, error.details["reason"]) == ("pin_too_simple", reason)


def test_pin_change_refusals(client: HostClient) -> None:
    assert refused(client, "pins.change", change(new=ZHANG_PIN)).code == "pin_same_as_old"
    mismatch = {**change(), "pin_block_confirm": pin_block("582937", ZHANG_PAN)}
    assert refused(client, "pins.change", mismatch).code == "pin_mismatch"
    assert refused(client, "pins.change", change(old="147259", pan=SUN_PAN)).code == "card_not_active"


def test_a_wrong_old_pin_counts_once_per_key_and_the_third_locks(client: HostClient) -> None:
    key = new_key()
    assert refused(client, "pins.change", change(old="000000"), key).details["tries_left"] == 2
    assert refused(client, "pins.change", change(old="000000"), key).details["tries_left"] == 2  # replayed
    assert refused(client, "pins.change", change(old="000001")).details["tries_left"] == 1
    assert refused(client, "pins.change", change(old="000002")).code == "pin_locked"
    assert refused(client, "pins.change", change()).code == "pin_locked"


def test_a_reset_needs_approval_and_clears_the_lock(client: HostClient, sim: SimControl) -> None:
    for wrong in ("000000", "000001", "000002"):
        refused(client, "pins.change", change(old=wrong))
    reset = {"id_number": ZHANG_ID, "pan": ZHANG_PAN, **twice(ZHANG_PAN), "approval_ref": None}
    assert refused(client, "pins.reset", reset).code == "approval_required"
    rejected = approval(client, "pin_reset:pin_reset", decision="reject")
    assert refused(client, "pins.reset", {**reset, "approval_ref": rejected}).code == "approval_required"
    assert refused(client, "pins.reset", {**reset, "pan": LI_PAN, **twice(LI_PAN)}).code == "card_not_yours"
    done = call(client, "pins.reset", {**reset, "approval_ref": approval(client, "pin_reset:pin_reset")})
    assert done["reset_ref"].startswith("PR")
    assert card_status(sim, "622848*********0018")["pin_wrong"] == 0
    call(client, "si.pay", pay_payload(["SI000001"], 112800, pin=NEW))


def test_activation_is_for_the_holder_and_once(client: HostClient, sim: SimControl) -> None:
    held = call(client, "cards.verify_holder", {"id_number": SUN_ID, "pan": SUN_PAN})
    assert (held["status"], held["social_security"]) == ("inactive", False)
    assert refused(client, "cards.verify_holder", {"id_number": ZHANG_ID, "pan": SUN_PAN}).code == "card_not_yours"
    assert refused(client, "cards.verify_holder", {"id_number": SUN_ID, "pan": "6228480000000000000"}).code \
        == "card_not_found"
    activate = {"id_number": SUN_ID, "pan": SUN_PAN, **twice(SUN_PAN)}
    assert refused(client, "cards.activate", {**activate, "id_number": ZHANG_ID}).code == "card_not_yours"
    assert refused(client, "cards.activate", {**activate, **twice(SUN_PAN, "920718")}).code == "pin_too_simple"
    key = new_key()
    first = call(client, "cards.activate", activate, key)
    assert call(client, "cards.activate", activate, key) == first  # the retry replays
    assert card_status(sim, "622848*********1073")["status"] == "active"
    assert refused(client, "cards.activate", activate).code == "card_already_active"
    assert refused(client, "cards.activate", {**activate, "id_number": ZHOU_ID, "pan": ZHOU_PAN,
                                              **twice(ZHOU_PAN)}).code == "ss_card"


def test_ss_card_activation_sets_the_medical_pin(client: HostClient, sim: SimControl) -> None:
    activate = {"id_number": ZHOU_ID, "pan": ZHOU_PAN, "ss_card_no": ZHOU_SS, **twice(ZHOU_PAN)}
    assert refused(client, "ss_cards.activate", {**activate, **twice(ZHOU_PAN, "123456")}).code == "pin_too_simple"
    assert refused(client, "ss_cards.activate", {**activate, "ss_card_no": "A01234568"}).code == "ss_card_mismatch"
    assert refused(client, "ss_cards.activate", {**activate, "id_number": SUN_ID, "pan": SUN_PAN,
                                                 **twice(SUN_PAN)}).code == "not_ss_card"
    done = call(client, "ss_cards.activate", activate)
    assert (done["ss_card_no_masked"], done["activation_ref"][:2]) == ("A0*****67", "SA")
    assert card_status(sim, "622848*********0122")["status"] == "active"
    assert refused(client, "ss_cards.activate", activate).code == "card_already_active"
