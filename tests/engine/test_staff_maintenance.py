"""Maintenance at the staff desk: devices (status, self-test, reset, replenish, retain bins), the journal
view, the day's reconciliation (print, export), and a journal entry for every staff action."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from devices.api import Cancellation, DeviceState
from kiosk.app.staffdesk import build_staff_desk, stock_source
from kiosk.engine.staff import StaffDenied, StaffDesk
from kiosk.journal.reconcile import reconcile

from .staff_helpers import (
    LOSS_SETUP,
    LOSS_TO_FORMAL_APPROVAL,
    names,
    settle,
    sign_in,
    staff_entries,
    two_sessions,
    walk,
)


@pytest.fixture
def desk(kiosk: Any) -> StaffDesk:
    return build_staff_desk(kiosk)


def done(desk: StaffDesk) -> None:
    settle(desk.engine, lambda: not desk.maintenance.running)


def today(desk: StaffDesk) -> date:
    return desk.services.clock.now().date()


def test_device_status_self_test_and_reset(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "M2001")
    assert {s.device for s in desk.maintenance.statuses()} == {
        "idcard", "smartcard", "camera", "pinpad", "printer", "dispenser", "docprinter", "doccamera"}
    kiosk.devices.camera.inject("offline")
    desk.maintenance.self_test("camera")
    done(desk)
    assert desk.notice is not None
    assert desk.notice.params["result"] == "未通过"
    desk.maintenance.reset("camera")
    done(desk)
    assert kiosk.devices.camera.status().state is DeviceState.OK
    desk.maintenance.self_test("printer")  # prints a test receipt
    done(desk)
    assert desk.notice is not None
    assert desk.notice.params["result"] == "通过"
    assert list((kiosk.data_dir / "spool").rglob("*.png"))
    entries = [(e.name, e.detail.get("device"), e.detail.get("result")) for e in staff_entries(desk)][1:]
    assert entries == [("self_test", "camera", "failed"), ("reset", "camera", None), ("self_test", "printer", "passed")]
    assert all(e.detail["staff"] == "M2001" for e in staff_entries(desk))


def test_replenish_card_stock_and_paper_by_count(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "M2001")
    stock = kiosk.devices.dispenser.stock_count()
    desk.maintenance.replenish_cards(25)
    done(desk)
    assert kiosk.devices.dispenser.stock_count() == stock + 25
    desk.maintenance.load_paper(500)
    done(desk)
    assert kiosk.devices.printer.paper_left() == 500
    desk.maintenance.load_paper(0)
    assert desk.notice is not None
    assert desk.notice.key == "staff.service.count_needed"
    logged = {e.name: e.detail for e in staff_entries(desk)}
    assert logged["replenish_cards"] == {"staff": "M2001", "device": "dispenser", "count": 25, "stock": stock + 25}
    assert logged["load_paper"] == {"staff": "M2001", "device": "printer", "count": 500, "paper": 500}


def test_load_a4_paper_and_replace_the_toner(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "M2001")
    printer = kiosk.devices.docprinter
    printer.load_paper(0)
    printer.replace_toner(0)
    assert (printer.status().state, printer.status().fault) == (DeviceState.FAULT, "paper_out")
    desk.maintenance.load_a4(250)
    done(desk)
    assert printer.status().fault == "toner_out"
    desk.maintenance.replace_toner()
    done(desk)
    assert printer.status().state is DeviceState.OK
    assert printer.status().counters["paper"] == 250
    logged = {e.name: e.detail for e in staff_entries(desk)}
    assert logged["load_a4"] == {"staff": "M2001", "device": "docprinter", "count": 250, "paper": 250}
    assert logged["replace_toner"] == {"staff": "M2001", "device": "docprinter", "toner": 3000}


def test_replenished_stock_cards_continue_the_demo_series(kiosk: Any) -> None:
    more = stock_source(kiosk.people)(2)
    last = kiosk.people.stock[-1].pan
    assert [int(c.pan[:-1]) for c in more] == [int(last[:-1]) + 1, int(last[:-1]) + 2]
    assert all(len(c.pan) == len(last) for c in more)


def test_empty_the_retain_bins_lists_the_cards_masked(desk: StaffDesk, kiosk: Any) -> None:
    reader, dispenser = kiosk.devices.smartcard, kiosk.devices.dispenser
    reader.insert(kiosk.people.bank_cards["li_xiuying_1"].card)
    reader.retain_card("fraud_suspected")
    dispenser.pick_card(1.0, Cancellation())
    dispenser.retain_card("not_issued")
    sign_in(desk, "M2001")
    cards = desk.maintenance.retained_cards()
    assert [(c.device, c.pan_masked, c.reason) for c in cards] == [
        ("smartcard", "622848*********0034", "fraud_suspected"),
        ("dispenser", "622848*********0019", "not_issued")]
    assert cards[0].at == "2026-11-28 10:00:00"
    desk.maintenance.empty_retain_bins()
    done(desk)
    assert desk.maintenance.retained_cards() == []
    assert desk.maintenance.emptied == cards
    entry = staff_entries(desk)[-1]
    assert entry.name == "empty_retain_bins"
    assert entry.detail["count"] == 2
    assert [c["pan_masked"] for c in entry.detail["cards"]] == ["622848*********0034", "622848*********0019"]


def test_the_journal_view_is_masked_and_filtered(desk: StaffDesk, driver: Any) -> None:
    two_sessions(driver)
    sign_in(desk, "S1001")
    rows = desk.records.sessions(today(desk))
    assert [(r.flow, r.outcome) for r in rows] == [("社保缴费", "已取消"), ("银行卡挂失", "已完成")]
    assert [r.flow for r in desk.records.sessions(today(desk), flow="loss_report")] == ["银行卡挂失"]
    assert [r.flow for r in desk.records.sessions(today(desk), outcome="cancelled")] == ["社保缴费"]
    assert desk.records.sessions(date(2026, 11, 27)) == []
    viewed = [e.detail for e in staff_entries(desk) if e.name == "journal_viewed"]
    assert viewed[1] == {"staff": "S1001", "day": "2026-11-28", "flow": "loss_report", "outcome": None, "rows": 1}
    log = desk.records.staff_log(today(desk))
    assert log[0].action == "查看流水"
    assert log[0].staff == "S1001"


def test_reconciliation_print_and_export(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    two_sessions(driver)
    sign_in(desk, "S1001")
    rec = desk.records.reconciliation(today(desk))
    assert rec == reconcile(kiosk.services.journal, today(desk), "K0001")
    assert [(f.flow, f.sessions, f.completed, f.cancelled) for f in rec.flows] == [
        ("loss_report", 1, 1, 0), ("si_payment", 1, 0, 1)]
    desk.records.export_reconciliation(today(desk))
    settle(kiosk.engine, lambda: "reconciliation_exported" in names(desk))
    path = Path(staff_entries(desk)[-1].detail["file"])
    assert path.parent == kiosk.data_dir / "reconciliation"
    table = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert [(r["flow"], r["sessions"]) for r in table] == [("loss_report", "1"), ("si_payment", "1"), ("total", "2")]
    spooled = len(list((kiosk.data_dir / "spool").rglob("*.png")))
    desk.records.print_reconciliation(today(desk))
    settle(kiosk.engine, lambda: "reconciliation_printed" in names(desk))
    assert len(list((kiosk.data_dir / "spool").rglob("*.png"))) == spooled + 1


def test_every_staff_action_is_journaled_with_the_staff_number(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    sign_in(desk, "S1001", "wrong")
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL[:3] + [{"expect": "kind", "help": True}], **LOSS_SETUP)
    sign_in(desk, "S1001")
    desk.step_back()
    desk.hand_back()
    desk.cancel_session()
    driver.finish()
    desk.maintenance.set_out_of_service(True)
    desk.maintenance.set_out_of_service(False)
    desk.records.sessions(today(desk))
    desk.records.export_reconciliation(today(desk))
    settle(kiosk.engine, lambda: "reconciliation_exported" in names(desk))
    sign_in(desk, "M2001")  # S1001 is signed out first
    desk.maintenance.reset("printer")
    done(desk)
    desk.sign_out()
    entries = staff_entries(desk)
    assert [e.name for e in entries] == [
        "sign_in_failed", "help_requested", "sign_in", "assist_back", "assist_hand_back", "assist_cancel",
        "out_of_service", "back_in_service", "journal_viewed", "reconciliation_exported", "sign_out", "sign_in",
        "reset", "sign_out"]
    for entry in entries:
        if entry.name != "help_requested":  # the customer's call, not a staff action
            assert entry.detail["staff"] in ("S1001", "M2001"), entry
        assert entry.at.startswith("2026-11-28T")
    assert next(e for e in entries if e.name == "sign_out").detail["reason"] == "switch"


def test_quitting_the_kiosk_needs_staff_signed_in_and_no_customer(desk: StaffDesk, driver: Any) -> None:
    stopped: list[str] = []
    with pytest.raises(StaffDenied, match="staff.denied.signed_out"):
        desk.maintenance.quit_kiosk()
    sign_in(desk, "M2001")
    assert not desk.maintenance.can_quit  # headless: nothing to stop the program with
    assert not desk.maintenance.quit_kiosk()
    assert desk.notice is not None
    assert desk.notice.key == "staff.quit.unavailable"
    desk.maintenance.on_quit = lambda: stopped.append("stopped")  # the window's stop (kiosk/app/gui.py)
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL[:1], **LOSS_SETUP)
    assert not desk.maintenance.quit_kiosk()  # a customer is being served
    assert desk.notice.key == "staff.quit.session_running"
    desk.cancel_session()
    driver.finish()
    assert desk.maintenance.quit_kiosk()
    assert stopped == ["stopped"]
    entries = [(e.name, e.detail) for e in staff_entries(desk) if e.name.startswith("quit")]
    assert entries == [("quit_refused", {"staff": "M2001", "reason": "session_running"}), ("quit", {"staff": "M2001"})]


class SilentSpeaker:
    """A speaker that found no audio player (kiosk/voice/speaker.py sets ``output_problem``)."""

    output_problem = "no audio player found (tried pw-play, paplay, aplay; Debian: apt install alsa-utils)"
    problem = None
    output = None

    def close(self) -> None:
        """Nothing to stop."""


def test_the_audio_output_is_a_row_of_the_maintenance_screen(kiosk: Any) -> None:
    kiosk.speaker = SilentSpeaker()
    desk = build_staff_desk(kiosk)
    sign_in(desk, "M2001")
    audio = [s for s in desk.maintenance.statuses() if s.device == "audio"]
    assert [(s.state, s.fault) for s in audio] == [(DeviceState.OFFLINE, "no_audio_player")]
    assert "alsa-utils" in audio[0].detail
    desk.maintenance.self_test("audio")
    done(desk)
    assert desk.notice is not None
    assert desk.notice.params["result"] == "未通过"
