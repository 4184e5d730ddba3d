"""Once a posting committed, the customer gets the result and a receipt: a dispenser failing to hand over the new
card does not fail the business, and a customer who walked away still gets the receipt (left at the slot)."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import Input, InputKind, Row
from tests.engine.staff_helpers import walk

SETUP = {"idcard": "sun_li", "camera": "person:sun_li", "lang": "en_US"}
TO_CONFIRM: list[dict[str, Any]] = [
    {"expect": "consent", "choose": "agree"},
    {"expect": "face_consent", "choose": "agree"},
    {"expect": "old_card", "choose": "K00000005"},
    {"expect": "new_pin", "pinpad": "258369#"},
    {"expect": "confirm_pin", "pinpad": "258369#"},
]
CARD = "Card"  # the result's and receipt's row with the card's fate


def entries(kiosk: Any, session_id: str, kind: str | None = None) -> list[Any]:
    return [e for e in kiosk.services.journal.entries(session_id) if kind is None or e.kind == kind]


def test_a_dispenser_timing_out_after_the_replacement_keeps_the_card_calls_staff_and_completes(kiosk, driver) -> None:
    walk(driver, "card_replace", [*TO_CONFIRM, {"expect": "confirm", "choose": "confirm",
                                                "device_fault": {"device": "dispenser", "fault": "timeout"}}], **SETUP)
    driver.wait_for_screen("result")
    fate = "Not issued: the card dispenser failed and kept the card. Staff have been called to hand it to you " \
           "or issue a new one."
    assert Row(CARD, fate) in kiosk.engine.screen.rows
    session = kiosk.engine.session
    assert session.slots.help_requested
    calls = [e.detail for e in entries(kiosk, session.id, "staff") if e.name == "help_requested"]
    assert calls == [{"step": "deliver_card", "why": "not_dispensed"}]
    kiosk.engine.send(Input(InputKind.CONTINUE))
    driver.wait_for_screen("receipt")
    assert (CARD, fate) in kiosk.engine.screen.data["receipt_lines"]
    kiosk.engine.send(Input(InputKind.CONTINUE))
    report = driver.finish()
    assert (report.outcome, report.reason) == ("completed", None)
    assert [card.reason for card in kiosk.devices.dispenser.retained()] == ["not_dispensed"]


def test_a_card_not_taken_calls_staff_as_well(kiosk, driver) -> None:
    walk(driver, "card_replace", [*TO_CONFIRM, {"expect": "confirm", "choose": "confirm"},
                                  {"during": "deliver_card", "advance": 40}], takes=False, **SETUP)
    driver.wait_for_screen("result")
    assert Row(CARD, "Not taken in time: kept in the kiosk. Staff have been called to hand it to you.") \
        in kiosk.engine.screen.rows
    calls = [e.detail for e in entries(kiosk, kiosk.engine.session.id, "staff") if e.name == "help_requested"]
    assert calls == [{"step": "deliver_card", "why": "card_not_taken"}]


def test_walking_away_with_the_printer_out_of_paper_journals_the_receipt_not_printed(kiosk, driver) -> None:
    walk(driver, "card_replace", [*TO_CONFIRM, {"expect": "confirm", "choose": "confirm"},
                                  {"expect": "result", "device_fault": {"device": "printer", "fault": "paper_out"},
                                   "advance": 200}], **SETUP)
    report = driver.finish()
    assert report.outcome == "completed"
    names = [e.name for e in entries(kiosk, report.session_id)]
    assert names.index("inactivity_timeout") < names.index("walked_away_after_posting") \
        < names.index("printer.print_receipt") < names.index("receipt_not_printed")
    assert "receipt_left_for_staff" not in names


def test_walking_away_before_anything_is_posted_prints_no_receipt(kiosk, driver) -> None:
    walk(driver, "card_replace", [*TO_CONFIRM, {"expect": "confirm", "advance": 200}], **SETUP)
    report = driver.finish()
    assert report.outcome == "timeout"
    names = [e.name for e in entries(kiosk, report.session_id)]
    assert "walked_away_after_posting" not in names
    assert "printer.print_receipt" not in names
    assert kiosk.devices.printer.last_receipt() is None


def test_walking_away_from_the_printed_receipt_does_not_print_it_again(kiosk, driver) -> None:
    walk(driver, "card_replace", [*TO_CONFIRM, {"expect": "confirm", "choose": "confirm"},
                                  {"expect": "result", "continue": True}, {"expect": "receipt", "advance": 200}],
         **SETUP)
    report = driver.finish()
    assert report.outcome == "completed"
    names = [e.name for e in entries(kiosk, report.session_id)]
    assert names.count("printer.print_receipt") == 1
    assert "walked_away_after_posting" in names
    assert "receipt_left_for_staff" not in names
