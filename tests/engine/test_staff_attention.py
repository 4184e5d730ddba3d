"""Transactions needing staff at the desk: suspects (why, settled by whom), reversals waiting (retried now on
the desk's worker), the last start's recovery, the journal's hash chain checked (校验日志链); a receipt reprinted
from the journal (补打); the day's suspect and reversed counts in the reconciliation."""

from __future__ import annotations

import re
import sqlite3
import uuid
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.invariants import no_personal_data
from kiosk.app.staffdesk import build_staff_desk
from kiosk.engine.staff import StaffDenied, StaffDesk
from kiosk.engine.staff.views import PERMISSIONS, Action
from kiosk.journal import Journal
from kiosk.journal.reconcile import reconcile
from kiosk.journal.records import TxnState

from .staff_helpers import names, settle, sign_in, staff_entries, two_sessions

ACCOUNT = "6222020200112233445"


@pytest.fixture
def desk(kiosk: Any) -> StaffDesk:
    return build_staff_desk(kiosk)


def today(desk: StaffDesk) -> date:
    return desk.services.clock.now().date()


def undelivered(journal: Journal, session: str | None, flow: str, op: str, amount: int | None,
                reversible: bool) -> str:
    """A posting the host approved whose card or document the customer never got."""
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, flow, op, amount_fen=amount, parties={"account_no": ACCOUNT},
                       delivery="card", reversible=reversible)
    for state in ("sent", "approved", "device_started"):
        journal.txn_move(key, state)
    journal.txn_move(key, "device_failed", {"reason": "card jammed"})
    return key


def suspect_not_reversible(journal: Journal, session: str) -> str:
    key = undelivered(journal, session, "account_opening", "accounts.open", None, reversible=False)
    journal.txn_move(key, "suspect", {"reason": "card jammed", "staff": "called"})
    return key


def suspect_reversal_failed(journal: Journal, session: str) -> str:
    key = undelivered(journal, session, "card_replace", "cards.replace", 1000, reversible=True)
    journal.queue_reversal(key, uuid.uuid4().hex, "card jammed")
    journal.reversal_failed(key, "HostUnavailable", "2026-11-28T10:00:00.000")
    journal.reversal_settled(key, "suspect", {"reversal_attempts": 5})
    return key


def suspect_reversal_refused(journal: Journal, session: str) -> str:
    key = undelivered(journal, session, "card_replace", "cards.replace", 2000, reversible=True)
    journal.queue_reversal(key, uuid.uuid4().hex, "card jammed")
    journal.reversal_settled(key, "suspect", {"reversal_refused": "too_late"})
    return key


def reversal_waiting(journal: Journal, session: str) -> str:
    """One send failed; the next not before 10:30 (the engine's own drain leaves it until then)."""
    key = undelivered(journal, session, "si_payment", "si.pay", 38000, reversible=True)
    journal.queue_reversal(key, uuid.uuid4().hex, "document not printed")
    journal.reversal_failed(key, "HostUnavailable", "2026-11-28T10:30:00.000")
    return key


@pytest.fixture
def left(kiosk: Any) -> dict[str, str]:
    """A day's leftovers: three suspects (one of each kind) and a reversal waiting."""
    journal = kiosk.services.journal
    session = journal.open_session("account_opening", "K0001", "B0101", "zh_CN", False)
    keys = {"not_reversible": suspect_not_reversible(journal, session),
            "reversal_failed": suspect_reversal_failed(journal, session),
            "reversal_refused": suspect_reversal_refused(journal, session),
            "waiting": reversal_waiting(journal, session)}
    journal.close_session(session, "device_fault")
    return keys


def test_the_panel_lists_suspects_and_reversals_waiting_masked(desk: StaffDesk, left: dict[str, str]) -> None:
    sign_in(desk, "S1001")
    view = desk.attention.view()
    assert [(s.key, s.why) for s in view.suspects] == [
        (left["not_reversible"], "not_reversible"), (left["reversal_failed"], "reversal_failed"),
        (left["reversal_refused"], "reversal_refused")]
    first = view.suspects[0]
    assert (first.flow, first.op, first.amount, first.at, first.settled) == ("个人开户并领卡", "accounts.open", "", "11-28 10:00",
                                                                          None)
    assert ACCOUNT not in first.parties
    assert first.parties == "622202*********3445"
    assert [s.amount for s in view.suspects[1:]] == ["10.00", "20.00"]
    [waiting] = view.reversals
    assert (waiting.key, waiting.op, waiting.amount, waiting.attempts, waiting.due, waiting.last_error) == (
        left["waiting"], "si.pay", "380.00", 1, False, "HostUnavailable")
    assert waiting.next_at == "11-28 10:30:00"
    assert view.open_suspects == 3
    assert desk.attention.counts() == (3, 1)


def test_a_supervisor_settles_a_suspect_and_it_stays_suspect(desk: StaffDesk, kiosk: Any,
                                                             left: dict[str, str]) -> None:
    journal = kiosk.services.journal
    key = left["not_reversible"]
    sign_in(desk, "S1001")
    kiosk.services.clock.advance(300)
    desk.attention.settle(key, "refunded_at_counter")
    assert journal.transaction(key).state is TxnState.SUSPECT  # the journal is append-only
    entry = staff_entries(desk)[-1]
    assert entry.name == "txn_settled"
    assert entry.session_id == journal.transaction(key).session_id
    assert entry.detail == {"staff": "S1001", "key": key, "flow": "account_opening", "op": "accounts.open",
                            "amount_fen": None, "reason": "refunded_at_counter"}
    view = desk.attention.view()
    assert [s.key for s in view.suspects][-1] == key  # the unsettled first, then the settled
    settled = view.suspects[-1].settled
    assert settled is not None
    assert (settled.staff, settled.at, settled.reason) == ("S1001", "11-28 10:05", "refunded_at_counter")
    assert desk.attention.counts() == (2, 1)
    assert desk.records.staff_log(today(desk))[0].action == "可疑交易已处理"
    with pytest.raises(StaffDenied):
        desk.attention.settle(key, "refunded_at_counter")  # once is enough
    assert desk.notice is not None
    assert desk.notice.key == "staff.attention.already_settled"
    with pytest.raises(StaffDenied):
        desk.attention.settle(left["reversal_failed"], "because")  # the reason is one of the list
    with pytest.raises(StaffDenied):
        desk.attention.settle(left["waiting"], "refunded_at_counter")  # still waiting for its reversal
    assert names(desk).count("txn_settled") == 1
    kiosk.services.clock.advance(24 * 3600)  # the next day: settled ones are gone from the panel
    assert [s.key for s in desk.attention.view().suspects] == [left["reversal_failed"], left["reversal_refused"]]


def test_maintenance_staff_see_the_panel_but_only_a_supervisor_acts(desk: StaffDesk, left: dict[str, str]) -> None:
    sign_in(desk, "M2001")
    assert len(desk.attention.view().suspects) == 3
    with pytest.raises(StaffDenied):
        desk.attention.settle(left["not_reversible"], "refunded_at_counter")
    with pytest.raises(StaffDenied):
        desk.attention.retry_reversals()
    denied = [e.detail["action"] for e in staff_entries(desk) if e.name == "denied"]
    assert denied == ["settle_txn", "retry_reversals"]
    desk.sign_out()
    assert desk.attention.view().suspects == ()
    with pytest.raises(StaffDenied):
        desk.attention.retry_reversals()


def test_retry_reversals_now_sends_them_on_the_worker(desk: StaffDesk, kiosk: Any, left: dict[str, str]) -> None:
    journal = kiosk.services.journal
    sign_in(desk, "S1001")
    kiosk.host_process.stop()  # the host is out of reach
    desk.attention.retry_reversals()
    assert desk.attention.retrying
    settle(desk.engine, lambda: not desk.attention.retrying)
    entry = staff_entries(desk)[-1]
    assert entry.name == "reversals_retried"
    report = {k: v for k, v in entry.detail.items() if k != "staff"}
    assert entry.detail["staff"] == "S1001"
    assert report["reversed"] + report["failed"] + report["suspect"] == 1  # sent before its time: staff asked
    record = journal.reversal(left["waiting"])
    txn = journal.transaction(left["waiting"])
    if report["failed"]:  # the send failed: it waits, one attempt more, the backoff doubled (60 s)
        assert (record.state, record.attempts, report["waiting"]) == ("pending", 2, 1)
        [waiting] = desk.attention.view().reversals
        assert (waiting.attempts, waiting.next_at) == (2, "11-28 10:01:00")
    else:  # the host answered: reversed, or refused (then suspect, on the panel)
        assert (record.state, report["waiting"]) == ("done" if report["reversed"] else "suspect", 0)
        assert txn.state is (TxnState.REVERSED if report["reversed"] else TxnState.SUSPECT)
        assert desk.attention.view().reversals == ()
        assert (left["waiting"] in [s.key for s in desk.attention.view().suspects]) == bool(report["suspect"])
    assert desk.notice is not None
    assert desk.notice.key == "staff.attention.retried"


def test_the_last_recovery_says_what_it_did(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "S1001")
    recovery = desk.attention.last_recovery()  # the kiosk's own start: nothing to do
    assert recovery is not None
    assert (recovery.at, recovery.rows, recovery.notes) == ("2026-11-28 10:00:00", (), ())
    kiosk.services.clock.advance(60)
    kiosk.services.journal.record(None, "system", "recovery", {
        "abandoned_sessions": 1, "cards_retained": 0, "txns_suspect": 1, "reversals_queued": 1,
        "notes": ["accounts.open: suspect"]})
    recovery = desk.attention.last_recovery()
    assert recovery is not None
    assert recovery.at == "2026-11-28 10:01:00"
    assert [(r.label, r.value) for r in recovery.rows] == [
        ("中断的业务", "1"), ("转为可疑交易", "1"), ("冲正已排队", "1")]
    assert recovery.notes == ("accounts.open: suspect",)


def test_a_receipt_is_reprinted_from_the_journal_and_journaled(desk: StaffDesk, kiosk: Any, driver: Any) -> None:
    two_sessions(driver)
    sign_in(desk, "M2001")  # whoever reads the journal may reprint
    rows = desk.records.sessions(today(desk))
    cancelled, loss = rows
    assert cancelled.receipt_seq is None
    assert loss.receipt_seq is not None
    issued = next(e for e in kiosk.services.journal.entries(loss.session_id) if e.kind == "receipt")
    assert issued.seq == loss.receipt_seq
    spooled = len(list((kiosk.data_dir / "spool").rglob("*.png")))
    kiosk.services.clock.advance(120)
    receipt = desk.records.reprint_receipt(loss.session_id, loss.receipt_seq)
    line = "补打 REPRINT 2026-11-28 10:02:00 M2001"
    assert [[r.label, r.value] for r in receipt.lines] == issued.detail["lines"]
    assert receipt.reference == issued.detail["reference"]
    assert receipt.title == f"{issued.detail['title']} ({line})"
    assert receipt.footer[0] == line
    settle(kiosk.engine, lambda: "receipt_reprinted" in names(desk))
    assert len(list((kiosk.data_dir / "spool").rglob("*.png"))) == spooled + 1
    entry = staff_entries(desk)[-1]
    assert entry.session_id == loss.session_id
    assert entry.detail == {"staff": "M2001", "session": loss.session_id, "entry": issued.seq,
                            "reference": issued.detail["reference"]}
    desk.records.reprint_receipt(loss.session_id)  # again: allowed, journaled again
    settle(kiosk.engine, lambda: names(desk).count("receipt_reprinted") == 2)
    with pytest.raises(StaffDenied):
        desk.records.reprint_receipt(cancelled.session_id)
    assert desk.notice is not None
    assert desk.notice.key == "staff.reprint.none"


def test_a_reprint_in_english_and_a_printer_out_of_paper(kiosk: Any, driver: Any) -> None:
    two_sessions(driver)
    desk = build_staff_desk(kiosk, lang="en_US")
    sign_in(desk, "S1001")
    loss = desk.records.sessions(today(desk))[1]
    kiosk.devices.printer.load_paper(0)
    receipt = desk.records.reprint_receipt(loss.session_id)
    assert receipt.footer[0] == "REPRINT 补打 2026-11-28 10:00:00 S1001"
    settle(kiosk.engine, lambda: "receipt_reprint_failed" in names(desk))
    assert staff_entries(desk)[-1].detail["code"] == "paper_out"
    assert desk.notice is not None
    assert desk.notice.error


def test_the_reconciliation_counts_suspects_and_reversals(desk: StaffDesk, kiosk: Any,
                                                          left: dict[str, str]) -> None:
    journal = kiosk.services.journal
    journal.reversal_settled(left["waiting"], "reversed", {"reversal_ref": "R1", "reversed_fen": 38000})
    rec = reconcile(journal, today(desk), "K0001")
    figures = {f.flow: (f.sessions, f.suspect, f.reversed, f.reversed_fen) for f in rec.flows}
    assert figures == {"account_opening": (1, 1, 0, 0), "card_replace": (0, 2, 0, 0),
                       "si_payment": (0, 0, 1, 38000)}
    assert (rec.totals.suspect, rec.totals.reversed, rec.totals.reversed_fen) == (3, 1, 38000)
    assert rec.as_csv().splitlines()[0].endswith("amount_fen,suspect,reversed,reversed_fen")
    assert reconcile(journal, today(desk) + timedelta(days=1)).totals.suspect == 0
    sign_in(desk, "S1001")
    rows = {r.label: r.value for r in desk.records.figures(today(desk))}
    assert rows["可疑交易 / 已冲正"] == "3 / 1（冲正 380.00 元）"


# -- the journal's hash chain, checked from the desk ----------------------------------------------------


def check_chain(desk: StaffDesk) -> None:
    desk.attention.verify_journal()
    assert desk.attention.verifying
    desk.attention.verify_journal()  # a second press while it runs does nothing
    settle(desk.engine, lambda: not desk.attention.verifying)


def alter_entry(path: Path, seq: int) -> None:
    """Change an entry's detail behind the journal's back (the append-only trigger dropped, then put back)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'entries_no_update'").fetchone()[0]
        conn.execute("DROP TRIGGER entries_no_update")
        conn.execute("UPDATE entries SET detail = '{\"altered\": true}' WHERE seq = ?", (seq,))
        conn.execute(trigger)


def stored_hash(path: Path, seq: int) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT hash FROM entries WHERE seq = ?", (seq,)).fetchone()[0])


def test_whoever_reads_the_journal_may_check_its_chain() -> None:
    for role, actions in PERMISSIONS.items():
        assert (Action.VERIFY_JOURNAL in actions) == (Action.JOURNAL in actions), role


def test_an_intact_chain_is_checked_on_the_worker_and_journaled(desk: StaffDesk, kiosk: Any) -> None:
    journal = kiosk.services.journal
    sign_in(desk, "M2001")  # maintenance staff read the journal: they may check it
    assert desk.attention.view().verification is None  # never checked
    kiosk.services.clock.advance(90)
    check_chain(desk)
    assert names(desk).count("journal_verified") == 1
    entry = staff_entries(desk)[-1]
    assert entry.name == "journal_verified"
    checked = entry.detail["entries_checked"]
    assert 0 < checked < entry.seq
    head = stored_hash(journal.path, checked)[:16]
    assert entry.detail == {"staff": "M2001", "ok": True, "entries_checked": checked, "first_broken_seq": None,
                            "reason": None, "head": head}
    assert desk.notice is not None
    assert not desk.notice.error
    assert desk.notice.text("zh_CN") == f"日志链完好：共 {checked} 条，链头 {head}"
    assert desk.notice.text("en_US") == f"Journal chain intact: {checked} entries, chain head {head}"
    assert "called" not in names(desk)
    last = desk.attention.view().verification
    assert last is not None
    assert (last.at, last.staff, last.ok, last.entries_checked, last.first_broken_seq, last.reason, last.head) == (
        "2026-11-28 10:01:30", "M2001", True, checked, None, "", head)


def test_a_broken_chain_names_the_entry_and_calls_staff(desk: StaffDesk, kiosk: Any, driver: Any) -> None:
    two_sessions(driver)  # a loss report with a customer's ID card and bank card, a payment cancelled
    journal = kiosk.services.journal
    loss = journal.sessions(today(desk), "loss_report")[0].id
    altered = journal.entries(loss)[3].seq
    alter_entry(journal.path, altered)
    sign_in(desk, "S1001")
    check_chain(desk)
    reason = f"hash mismatch: entry #{altered} was altered"
    verified = [e for e in staff_entries(desk) if e.name == "journal_verified"]
    assert [e.detail for e in verified] == [{"staff": "S1001", "ok": False, "entries_checked": altered - 1,
                                             "first_broken_seq": altered, "reason": reason,
                                             "head": stored_hash(journal.path, altered - 1)[:16]}]
    called = journal.entries_named("staff", "called")[-1]
    assert called.seq > verified[0].seq
    assert called.detail == {"reason": "journal_broken", "first_broken_seq": altered}
    assert desk.notice is not None
    assert desk.notice.error
    assert desk.notice.text("zh_CN") == f"日志链在第 {altered} 条处断开：{reason}"
    last = desk.attention.view().verification
    assert last is not None
    assert (last.staff, last.ok, last.first_broken_seq, last.reason) == ("S1001", False, altered, reason)
    assert [r.action for r in desk.records.staff_log(today(desk))[:2]] == ["呼叫工作人员", "校验日志链"]
    assert no_personal_data(kiosk.data_dir, bank_side=("host-simulator.sqlite", "host.db")) == []
    for entry in (*verified, called):  # counts, a sequence number, the chain's words and a hash prefix
        assert set(entry.detail) <= {"staff", "ok", "entries_checked", "first_broken_seq", "reason", "head"}
        assert re.fullmatch(r"[0-9a-f]{16}", entry.detail.get("head", "0" * 16))


def test_checking_the_chain_needs_someone_signed_in(desk: StaffDesk) -> None:
    with pytest.raises(StaffDenied):
        desk.attention.verify_journal()
    assert not desk.attention.verifying
    assert desk.notice is not None
    assert desk.notice.key == "staff.denied.signed_out"
    assert "journal_verified" not in names(desk)


def test_the_last_check_is_shown_within_the_lookback(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "S1001")
    check_chain(desk)
    kiosk.services.clock.advance(60)
    check_chain(desk)
    entries = [e for e in staff_entries(desk) if e.name == "journal_verified"]
    assert len(entries) == 2
    last = desk.attention.view().verification
    assert last is not None
    assert (last.at, last.entries_checked) == ("2026-11-28 10:01:00", entries[1].detail["entries_checked"])
    assert last.entries_checked > entries[0].detail["entries_checked"]  # the first check is in the chain now
    kiosk.services.clock.advance(31 * 24 * 3600)
    sign_in(desk, "S1001")
    assert desk.attention.view().verification is None
