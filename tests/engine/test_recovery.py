"""Start-up recovery: sessions the kiosk never closed, and host requests with no known outcome."""

from __future__ import annotations

import uuid

from devices.pinpad.pinblock import encrypt_pin
from kiosk.engine.recovery import recover

KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6228480402564890018"


def test_recovery_reconciles_with_the_host(kiosk) -> None:
    journal, host = kiosk.services.journal, kiosk.services.host
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    committed_key, absent_key = uuid.uuid4().hex, uuid.uuid4().hex
    payload = {"id_number": "110105198503121234", "bill_ids": ["SI000002"], "amount_fen": 38000, "pan": PAN,
               "pin_block": encrypt_pin("147258", PAN, KEY).hex().upper(), "key_id": "TPK-DEMO-01"}
    # the kiosk "died" after sending: the journal says sent, the host committed one and never saw the other
    journal.host_request_started(committed_key, session, "si.pay", True, amount_fen=38000)
    host.call("si.pay", payload, committed_key, session)
    journal.host_request_started(absent_key, session, "si.pay", True, amount_fen=38000)

    report = recover(kiosk.services)

    assert (report.abandoned_sessions, report.reconciled_committed, report.reconciled_absent) == (1, 1, 1)
    assert journal.host_request(committed_key).status == "reconciled_committed"
    assert journal.host_request(absent_key).status == "reconciled_absent"
    assert journal.session(session).outcome == "abandoned"
    assert journal.unfinished_host_requests() == []


def test_recovery_leaves_requests_when_the_host_is_down(kiosk) -> None:
    journal = kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.host_request_started(key, session, "si.pay", True, amount_fen=100)
    kiosk.host_process.stop()
    report = recover(kiosk.services)
    assert report.still_unknown == 1
    assert [r.idempotency_key for r in journal.unfinished_host_requests()] == [key]
