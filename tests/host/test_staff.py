"""Staff on the host: sign-in by password or staff card and PIN, lockout, tokens, approvals with a
supervisor's token, dual control; hashes and tokens never leave the host."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected, HostRequestInvalid
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import STAFF_CARDS, STAFF_PASSWORDS, SimControl, call, pin_block, sign_in


def _refused(client: HostClient, op: str, payload: dict[str, Any]) -> HostRejected:
    with pytest.raises(HostRejected) as refused:
        call(client, op, payload)
    return refused.value


def _password(staff: str, password: str) -> dict[str, Any]:
    return {"staff_number": staff, "password": password}


def _record(token: str, decision: str = "approve", countersigns: str | None = None,
            session: str = "S-TEST", subject: str = "loss_report:formal_loss") -> dict[str, Any]:
    return {"session_id": session, "staff_token": token, "decision": decision, "reason": "seen in person",
            "subject": subject, "countersigns": countersigns}


def _staff_state(sim: SimControl, number: str) -> dict[str, Any]:
    return next(s for s in sim.state()["staff"] if s["number"] == number)


# -- sign-in ---------------------------------------------------------------------------------------


def test_sign_in_with_staff_number_and_password(client: HostClient) -> None:
    reply = call(client, "staff.sign_in", _password("S1001", STAFF_PASSWORDS["S1001"]))
    assert reply["staff_number"] == "S1001"
    assert (reply["name"], reply["role"]) == ("周敏", "supervisor")
    assert len(reply["staff_token"]) == 32
    issued = datetime.fromisoformat(reply["expires_at"])
    assert 590 <= (issued - datetime.now().astimezone()).total_seconds() <= 601


def test_sign_in_with_staff_card_and_pin(client: HostClient) -> None:
    pan, pin = STAFF_CARDS["M2001"]
    reply = call(client, "staff.sign_in", {"card_pan": pan, "pin_block": pin_block(pin, pan), "key_id": "TPK-DEMO-01"})
    assert (reply["staff_number"], reply["role"]) == ("M2001", "maintenance")
    wrong = _refused(client, "staff.sign_in", {"card_pan": pan, "pin_block": pin_block("000000", pan),
                                               "key_id": "TPK-DEMO-01"})
    assert (wrong.code, wrong.details) == ("staff_credentials_wrong", {"tries_left": 4})


def test_a_pin_block_under_an_unknown_key_is_not_counted_as_a_try(client: HostClient, sim: SimControl) -> None:
    pan, pin = STAFF_CARDS["S1001"]
    refused = _refused(client, "staff.sign_in", {"card_pan": pan, "pin_block": pin_block(pin, pan),
                                                 "key_id": "TPK-OTHER"})
    assert refused.code == "pin_block_invalid"
    assert _staff_state(sim, "S1001")["failed_tries"] == 0


def test_sign_in_needs_one_whole_way_in(client: HostClient) -> None:
    pan, pin = STAFF_CARDS["S1001"]
    for payload in ({"staff_number": "S1001"}, {"password": "x"}, {},
                    {"staff_number": "S1001", "password": "x", "card_pan": pan, "pin_block": pin_block(pin, pan),
                     "key_id": "TPK-DEMO-01"}):
        with pytest.raises(HostRequestInvalid):
            call(client, "staff.sign_in", payload)


def test_an_unknown_staff_number_says_no_more_than_a_wrong_password(client: HostClient) -> None:
    refused = _refused(client, "staff.sign_in", _password("S9999", "whatever"))
    assert (refused.code, refused.details) == ("staff_credentials_wrong", {})


def test_five_wrong_tries_lock_the_account_for_15_minutes(client: HostClient, sim: SimControl) -> None:
    for left in (4, 3, 2, 1):
        refused = _refused(client, "staff.sign_in", _password("S1002", "wrong"))
        assert (refused.code, refused.details["tries_left"]) == ("staff_credentials_wrong", left)
    fifth = _refused(client, "staff.sign_in", _password("S1002", "wrong"))
    assert fifth.code == "staff_locked"
    locked_until = fifth.details["locked_until"]
    assert _staff_state(sim, "S1002")["locked_until"] == locked_until
    # locked: even the right password is refused, and the card too
    assert _refused(client, "staff.sign_in", _password("S1002", STAFF_PASSWORDS["S1002"])).code == "staff_locked"
    sim.advance(14 * 60)
    assert _refused(client, "staff.sign_in", _password("S1002", STAFF_PASSWORDS["S1002"])).code == "staff_locked"
    sim.advance(61)
    assert call(client, "staff.sign_in", _password("S1002", STAFF_PASSWORDS["S1002"]))["staff_number"] == "S1002"
    assert _staff_state(sim, "S1002")["failed_tries"] == 0
    assert sign_in(client, "S1001")  # other accounts were never locked


def test_a_right_password_resets_the_count(client: HostClient, sim: SimControl) -> None:
    for _ in range(4):
        _refused(client, "staff.sign_in", _password("S1001", "wrong"))
    sign_in(client, "S1001")
    assert _staff_state(sim, "S1001")["failed_tries"] == 0
    assert _refused(client, "staff.sign_in", _password("S1001", "wrong")).details["tries_left"] == 4


# -- tokens and approvals ----------------------------------------------------------------------------


def test_approvals_need_a_signed_in_supervisor(client: HostClient, sim: SimControl) -> None:
    token = sign_in(client, "S1001")
    reply = call(client, "approvals.record", _record(token))
    assert (reply["staff_number"], reply["supervisors"]) == ("S1001", 1)
    maintenance = _refused(client, "approvals.record", _record(sign_in(client, "M2001")))
    assert (maintenance.code, maintenance.details) == ("staff_not_supervisor", {"role": "maintenance"})
    assert _refused(client, "approvals.record", _record("f" * 32)).code == "staff_token_invalid"
    with pytest.raises(HostRequestInvalid):  # no token at all: the request does not fit the operation
        call(client, "approvals.record", {k: v for k, v in _record(token).items() if k != "staff_token"})
    assert [a["staff_number"] for a in sim.state()["approvals"]] == ["S1001"]


def test_a_signed_out_or_expired_token_approves_nothing(client: HostClient, sim: SimControl) -> None:
    token = sign_in(client, "S1001")
    assert call(client, "staff.sign_out", {"staff_token": token}) == {"signed_out": True}
    assert call(client, "staff.sign_out", {"staff_token": token}) == {"signed_out": False}
    assert _refused(client, "approvals.record", _record(token)).code == "staff_token_invalid"
    later = sign_in(client, "S1001")
    sim.advance(9 * 60)
    call(client, "approvals.record", _record(later))
    sim.advance(61)
    assert _refused(client, "approvals.record", _record(later)).code == "staff_token_invalid"


def test_dual_control_needs_a_second_different_supervisor(client: HostClient, sim: SimControl) -> None:
    first_token, second_token = sign_in(client, "S1001"), sign_in(client, "S1002")
    first = call(client, "approvals.record", _record(first_token))["approval_ref"]
    same = _refused(client, "approvals.record", _record(first_token, countersigns=first))
    assert same.code == "countersign_same_supervisor"
    other = _refused(client, "approvals.record", _record(second_token, countersigns=first, subject="si:over_limit"))
    assert (other.code, other.details) == ("countersign_invalid", {"reason": "other_subject"})
    second = call(client, "approvals.record", _record(second_token, countersigns=first))
    assert (second["staff_number"], second["supervisors"]) == ("S1002", 2)
    rows = {a["approval_ref"]: a for a in sim.state()["approvals"]}
    assert rows[second["approval_ref"]]["countersigns"] == first
    again = _refused(client, "approvals.record", _record(first_token, countersigns=second["approval_ref"]))
    assert again.code == "countersign_invalid"  # a countersignature is not countersigned again


def test_a_rejection_cannot_be_countersigned(client: HostClient) -> None:
    rejected = call(client, "approvals.record", _record(sign_in(client, "S1001"), decision="reject"))
    refused = _refused(client, "approvals.record", _record(sign_in(client, "S1002"),
                                                           countersigns=rejected["approval_ref"]))
    assert (refused.code, refused.details) == ("countersign_invalid", {"reason": "not_an_approval"})


# -- what the host keeps ----------------------------------------------------------------------------


def test_passwords_and_pins_are_kept_as_argon2_hashes_and_tokens_as_digests(
        simulator: HostSimulatorProcess, client: HostClient) -> None:
    token = sign_in(client, "S1001")
    db = Path(simulator.db_path)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT number, password_hash, card_pin_hash FROM staff ORDER BY number").fetchall()
        tokens = [row[0] for row in conn.execute("SELECT token_hash FROM staff_tokens")]
    finally:
        conn.close()
    assert [r[0] for r in rows] == ["M2001", "S1001", "S1002"]
    for _number, password_hash, pin_hash in rows:
        assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert pin_hash.startswith("$argon2id$")
    assert token not in tokens
    assert len(tokens) == 1
    raw = db.read_bytes() + (db.parent / (db.name + "-wal")).read_bytes()
    for secret in [*STAFF_PASSWORDS.values(), token]:
        assert secret.encode() not in raw


def test_sim_state_lists_staff_without_secrets(client: HostClient, sim: SimControl) -> None:
    sign_in(client, "M2001")
    staff = sim.state()["staff"]
    assert [s["number"] for s in staff] == ["M2001", "S1001", "S1002"]
    assert staff[0] == {"number": "M2001", "role": "maintenance", "card_pan_masked": "623099******0012",
                        "failed_tries": 0, "locked_until": None, "tokens_open": 1}
