"""Demo data, PIN blocks and the simulator's QA endpoints, for the host tests."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from devices.pinpad.pinblock import encrypt_pin
from kiosk.host.client import HostClient

KEY_ID = "TPK-DEMO-01"
WORKING_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")

ZHANG_ID = "110105198503121234"
ZHANG_MOBILE = "13812345678"
ZHANG_PAN = "6228480402564890018"  # 5,000.00 yuan
ZHANG_PAN_2 = "6228480402564890026"  # 23.50 yuan
ZHANG_PIN = "147258"
LI_ID = "31011519500601002X"
LI_PAN = "6228480402564890034"
LI_PIN = "258036"
CHEN_ID = "110108199809090040"  # not a customer
CHEN_MOBILE = "13700002222"
WANG_ID = "440306201205200039"  # a child, guardian zhang_wei
WANG_MOBILE = "13600003333"
NEW_CARD_PAN = "6228480900000000013"  # a dispenser stock card
NEW_CARD_PAN_2 = "6228480900000000021"


def new_key() -> str:
    return str(uuid.uuid4())


def pin_block(pin: str, pan: str, key: bytes = WORKING_KEY) -> str:
    return encrypt_pin(pin, pan, key).hex().upper()


class SimControl:
    """The simulator's QA endpoints (/sim/...)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._http = requests.Session()

    def _post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._http.post(f"{self.base_url}{path}", json=body or {}, timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def fault(self, kind: str, op: str = "*", times: int = 1, delay_s: float = 0.0) -> None:
        self._post("/sim/faults", {"op": op, "kind": kind, "times": times, "delay_s": delay_s})

    def clear_faults(self) -> None:
        self._http.delete(f"{self.base_url}/sim/faults", timeout=10).raise_for_status()

    def reset(self) -> None:
        self._post("/sim/reset")

    def advance(self, seconds: float) -> None:
        self._post("/sim/clock", {"advance_s": seconds})

    def state(self) -> dict[str, Any]:
        response = self._http.get(f"{self.base_url}/sim/state", timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def sms_code(self, sms_ref: str) -> str:
        response = self._http.get(f"{self.base_url}/sim/sms/{sms_ref}", timeout=10)
        response.raise_for_status()
        return str(response.json()["code"])

    def balance(self, account_masked_or_pan: str) -> int:
        from kiosk.core.masking import mask_pan

        masked = mask_pan(account_masked_or_pan) if "*" not in account_masked_or_pan else account_masked_or_pan
        for account in self.state()["accounts"]:
            if masked in account["card_pans_masked"] or account["account_masked"] == masked:
                return int(account["balance_fen"])
        raise KeyError(masked)

    def close(self) -> None:
        self._http.close()


def call(client: HostClient, op: str, payload: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    return client.call(op, payload, key or new_key(), session_id="S-TEST")


def verified_sms(client: HostClient, sim: SimControl, mobile: str) -> str:
    sms_ref = str(call(client, "sms.send_code", {"mobile": mobile, "purpose": "open_account"})["sms_ref"])
    call(client, "sms.verify_code", {"sms_ref": sms_ref, "code": sim.sms_code(sms_ref)})
    return sms_ref


STAFF_PASSWORDS = {"S1001": "zhou1001", "S1002": "wu1002", "M2001": "zheng2001"}  # demo, from people.toml
STAFF_CARDS = {"S1001": ("6230998800010013", "314159"), "M2001": ("6230998800020012", "161803")}


def sign_in(client: HostClient, staff: str = "S1001", password: str | None = None) -> str:
    """A staff token for ``staff`` (the demo password unless ``password`` is given)."""
    reply = call(client, "staff.sign_in", {"staff_number": staff, "password": password or STAFF_PASSWORDS[staff]})
    return str(reply["staff_token"])


def approval(client: HostClient, subject: str, decision: str = "approve", staff: str = "S1001") -> str:
    reply = call(client, "approvals.record", {"session_id": "S-TEST", "staff_token": sign_in(client, staff),
                                              "decision": decision, "reason": "checked in person",
                                              "subject": subject})
    return str(reply["approval_ref"])


def open_account_payload(sms_ref: str, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id_number": CHEN_ID, "name": "陈静", "sex": "女", "nation": "回", "birth_date": "1998-09-09",
        "address": "北京市海淀区中关村大街27号", "id_valid_to": "2028-09-01", "mobile": CHEN_MOBILE,
        "sms_ref": sms_ref, "card_pan": NEW_CARD_PAN, "pin_block": pin_block("802413", NEW_CARD_PAN),
        "key_id": KEY_ID, "guardian_id_number": None, "approval_ref": None,
    }
    payload.update(overrides)
    return payload


def pay_payload(bill_ids: list[str], amount_fen: int, pan: str = ZHANG_PAN, pin: str = ZHANG_PIN,
                id_number: str = ZHANG_ID) -> dict[str, Any]:
    return {"id_number": id_number, "bill_ids": bill_ids, "amount_fen": amount_fen, "pan": pan,
            "pin_block": pin_block(pin, pan), "key_id": KEY_ID}


def zhang_bills(client: HostClient) -> list[dict[str, Any]]:
    return list(call(client, "si.bills", {"id_number": ZHANG_ID})["items"])
