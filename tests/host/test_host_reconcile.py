"""The host's postings of a day (``postings.day``) and the day's comparison with the journal's transactions
(kiosk/engine/host_reconcile.py, ``kiosk journal reconcile --host``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.core.clock import ManualClock
from kiosk.engine.host_reconcile import compare, host_postings
from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.process import HostSimulatorProcess
from kiosk.journal import Journal
from kiosk.journal.records import TxnState
from tests.app.test_cli_journal import run

from .helpers import call, new_key, pay_payload, zhang_bills
from .test_reversal import reverse, to_li

KIOSK = "KIOSK-T1"  # the client fixture's kiosk id


def host_now(simulator: HostSimulatorProcess) -> datetime:
    return datetime.fromisoformat(requests.get(f"{simulator.base_url}/health", timeout=5).json()["now"])


def day_of(client: HostClient, day: date, kiosk_id: str | None = KIOSK) -> list[dict[str, Any]]:
    return list(call(client, "postings.day", {"day": day.isoformat(), "kiosk_id": kiosk_id})["postings"])


@pytest.fixture
def journal(tmp_path: Path, simulator: HostSimulatorProcess) -> Iterator[Journal]:
    clock = ManualClock(host_now(simulator).replace(tzinfo=None))
    with Journal(tmp_path / "journal.sqlite", clock) as opened:
        yield opened


def journaled(journal: Journal, key: str, op: str, amount_fen: int | None, *states: TxnState) -> None:
    session = journal.open_session("flow", KIOSK, "B1", "zh_CN", False)
    journal.txn_intent(key, session, "flow", op, amount_fen=amount_fen, reversible=True)
    for state in states:
        journal.txn_move(key, state)


def test_the_day_lists_this_kiosks_postings_with_their_status(client: HostClient,
                                                              simulator: HostSimulatorProcess) -> None:
    today = host_now(simulator).date()
    paid, refused, sent = new_key(), new_key(), new_key()
    bill = zhang_bills(client)[0]
    call(client, "si.pay", pay_payload([bill["bill_id"]], bill["amount_fen"]), paid)
    with pytest.raises(HostRejected):
        call(client, "si.pay", pay_payload([bill["bill_id"]], 1), refused)
    call(client, "transfer.send", to_li(20_000), sent)
    reversal_key = new_key()
    reverse(client, sent, reversal_key)
    with HostClient(simulator.base_url, "KIOSK-T2") as other:  # another kiosk's posting is not this kiosk's
        call(other, "transfer.send", to_li(1_000))
    listed = {p["key"]: p for p in day_of(client, today)}
    assert list(listed) == [paid, refused, sent]  # in order; the reversal shows on its original
    assert (listed[paid]["status"], listed[paid]["amount_fen"], listed[paid]["op"]) == ("posted", bill["amount_fen"],
                                                                                         "si.pay")
    assert (listed[refused]["status"], listed[refused]["error_code"], listed[refused]["amount_fen"]) == (
        "refused", "bill_already_paid", None)
    assert (listed[sent]["status"], listed[sent]["reversal_key"]) == ("reversed", reversal_key)
    assert {p["kiosk_id"] for p in listed.values()} == {KIOSK}
    assert {p["session_id"] for p in listed.values()} == {"S-TEST"}
    assert len(day_of(client, today, None)) == 4  # every kiosk's
    assert day_of(client, date(2001, 1, 1)) == []


def test_a_journal_that_agrees_with_the_host_has_no_mismatches(client: HostClient, journal: Journal) -> None:
    bill = zhang_bills(client)[0]
    paid, sent = new_key(), new_key()
    journaled(journal, paid, "si.pay", bill["amount_fen"], TxnState.SENT, TxnState.APPROVED, TxnState.COMPLETED)
    call(client, "si.pay", pay_payload([bill["bill_id"]], bill["amount_fen"]), paid)
    journaled(journal, sent, "transfer.send", 20_000, TxnState.SENT, TxnState.APPROVED)
    call(client, "transfer.send", to_li(20_000), sent)
    journal.queue_reversal(sent, reversal := new_key(), "printer_fault")
    reverse(client, sent, reversal)
    journal.reversal_settled(sent, TxnState.REVERSED)
    call(client, "approvals.record", {"session_id": "S-TEST", "staff_token": _token(client), "decision": "approve",
                                      "reason": "ok", "subject": "x"})  # no money: the journal need not keep it
    day = datetime.fromisoformat(journal.transactions()[0].created_at).date()
    result = compare(day, KIOSK, journal.transactions(), host_postings(client, day, KIOSK))
    assert result.ok
    totals = {t.op: t for t in result.totals}
    assert (totals["si.pay"].journal_count, totals["si.pay"].journal_fen) == (1, bill["amount_fen"])
    assert (totals["si.pay"].host_count, totals["si.pay"].host_fen) == (1, bill["amount_fen"])
    assert (totals["transfer.send"].journal_reversed, totals["transfer.send"].host_reversed) == (1, 1)
    assert all(t.agree for t in result.totals)
    assert "approvals.record" not in totals


def _token(client: HostClient) -> str:
    return str(call(client, "staff.sign_in", {"staff_number": "S1001", "password": "zhou1001"})["staff_token"])


def test_every_kind_of_mismatch_is_listed(client: HostClient, journal: Journal) -> None:
    keys = {name: new_key() for name in ("open", "absent", "host_reversed", "journal_reversed", "amount",
                                         "pending", "unjournaled")}
    journaled(journal, keys["open"], "transfer.send", 1_000, TxnState.SENT, TxnState.APPROVED,
              TxnState.DEVICE_FAILED)
    call(client, "transfer.send", to_li(1_000), keys["open"])
    journaled(journal, keys["absent"], "transfer.send", 2_000, TxnState.SENT, TxnState.APPROVED,
              TxnState.COMPLETED)  # the host never got it
    journaled(journal, keys["host_reversed"], "transfer.send", 3_000, TxnState.SENT, TxnState.APPROVED,
              TxnState.COMPLETED)
    call(client, "transfer.send", to_li(3_000), keys["host_reversed"])
    reverse(client, keys["host_reversed"])
    journaled(journal, keys["journal_reversed"], "transfer.send", 4_000, TxnState.SENT, TxnState.APPROVED)
    call(client, "transfer.send", to_li(4_000), keys["journal_reversed"])
    journal.queue_reversal(keys["journal_reversed"], new_key(), "jam")
    journal.reversal_settled(keys["journal_reversed"], TxnState.REVERSED)  # the host never reversed it
    journaled(journal, keys["amount"], "transfer.send", 5_000, TxnState.SENT, TxnState.APPROVED,
              TxnState.COMPLETED)
    call(client, "transfer.send", to_li(5_100), keys["amount"])
    journaled(journal, keys["pending"], "transfer.send", 6_000, TxnState.SENT, TxnState.APPROVED)
    call(client, "transfer.send", to_li(6_000), keys["pending"])
    journal.queue_reversal(keys["pending"], pending := new_key(), "jam")
    reverse(client, keys["pending"], pending)  # reversed at the host; the journal has not heard yet
    call(client, "transfer.send", to_li(7_000), keys["unjournaled"])
    day = datetime.fromisoformat(journal.transactions()[0].created_at).date()
    result = compare(day, KIOSK, journal.transactions(), host_postings(client, day, KIOSK))
    found = {m.key: m for m in result.mismatches}
    assert {name: found[key].kind for name, key in keys.items()} == {
        "open": "posted_not_completed", "absent": "completed_not_posted", "host_reversed": "completed_but_reversed",
        "journal_reversed": "reversed_not_at_host", "amount": "amount_differs", "pending": "reversed_only_at_host",
        "unjournaled": "posted_not_completed"}
    assert (found[keys["amount"]].journal_fen, found[keys["amount"]].host_fen) == (5_000, 5_100)
    assert found[keys["unjournaled"]].journal_state is None
    assert found[keys["absent"]].host_status is None
    transfers = {t.op: t for t in result.totals}["transfer.send"]
    assert (transfers.journal_count, transfers.journal_fen) == (3, 2_000 + 3_000 + 5_000)  # completed
    assert (transfers.host_count, transfers.host_fen) == (4, 1_000 + 4_000 + 5_100 + 7_000)  # posted, standing
    assert (transfers.journal_reversed, transfers.host_reversed) == (1, 2)
    assert not transfers.agree


def test_a_journal_from_another_day_is_not_compared(client: HostClient, journal: Journal) -> None:
    journaled(journal, new_key(), "transfer.send", 1_000, TxnState.SENT, TxnState.APPROVED, TxnState.COMPLETED)
    assert compare(date(2001, 1, 1), KIOSK, journal.transactions(), host_postings(client, date(2001, 1, 1), KIOSK)).ok


def test_the_command_prints_the_comparison_and_fails_on_a_mismatch(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\nkiosk_id = "K0042"\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    now = datetime.now().astimezone()
    with Journal(tmp_path / "var" / "journal.sqlite", ManualClock(now.replace(tzinfo=None))) as journal:
        key = str(uuid.uuid4())
        journaled(journal, key, "si.pay", 112_800, TxnState.SENT, TxnState.APPROVED, TxnState.COMPLETED)
    day = now.date().isoformat()
    code, out = run(["reconcile", "--date", day, "--host", "--config", str(config)])
    assert code == 1
    assert f"host comparison {day} kiosk K0042" in out
    assert any(line.split()[:2] == ["si.pay", "1"] and line.endswith("*") for line in out.splitlines())
    assert f"completed_not_posted    si.pay                {key}" in out
    code, out = run(["reconcile", "--date", "2001-01-01", "--host", "--json", "--config", str(config)])
    assert code == 0
    assert '"ok": true' in out
