"""Appointment pickup clicked through in the real window (offscreen): a booking made as the mini-program makes it
(``kiosk appointments book``'s functions), its QR code written as a PNG and held up to the camera from the
simulator panel; the visit goes on in the booked time deposit with its answers filled in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from kiosk.app.cli_appointments import book, write_qr
from kiosk.core import i18n
from kiosk.engine.screens import ScreenKind

PIN = "147258"
ZHANG_WEI = "110105198503121234"
# APT00000008: 张伟's time deposit of 20 yuan (below the 50 yuan minimum), seeded (assets/sim/people.toml)
BELOW_MINIMUM = ("KA1.APT00000008.-1jMPt79eDTTSWtdPRlSjwPcZtdp99-vw1nx4gb1MBIjWfjMt1htazycO8wNlR8M7rgWGC42QFRxdZ9"
                 "BzjNfBQ")


def hold_up(ui: Any, text: str) -> None:
    """The tester types the code, or a picture's path, in the panel and holds it up to the camera."""
    panel = ui.panel
    panel.code.setText(text)
    ui.qtbot.mouseClick(ui.button("sim-camera-hold-up", panel), Qt.MouseButton.LeftButton)


def show_code_and_id_card(ui: Any, code: str) -> None:
    ui.wait_step("home")
    ui.click("flow-appointment_pickup")
    ui.wait_step("scan")
    assert ui.model.kind is ScreenKind.SCAN
    hold_up(ui, code)
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("card")  # the booked deposit: its ID card and consent came along, the bank card is next
    assert ui.model.flow_id == "time_deposit_open"
    ui.qa.insert_bank_card("zhang_wei_1")


def confirm_and_finish(ui: Any, amount: str) -> None:
    ui.wait_step("confirm")
    assert ui.model.prompt == i18n.text(ui.model.lang, "confirm.prefilled")
    values = " ".join(r.value for r in ui.model.rows)
    assert amount in values
    ui.choose("confirm")
    ui.wait_step("pin")
    ui.enter_pin(PIN)
    ui.wait_step("result")
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    ui.choose("continue")
    assert ui.finish_session(take_bank_card=True) == "completed"


def test_a_booking_s_qr_png_held_up_goes_on_to_the_booked_deposit(ui: Any, tmp_path: Path) -> None:
    booked = book(ui.kiosk.host_url, "K-TEST", {"flow": "time_deposit_open", "id_number": ZHANG_WEI,
                                               "answers": {"deposit_yuan": "3000", "term": "1y", "rollover": "auto"}})
    png = write_qr(booked["token"], tmp_path / "appointment.png")
    show_code_and_id_card(ui, str(png))
    confirm_and_finish(ui, "3,000.00")
    opened = [p for p in ui.qa.host_state()["postings"] if p["op"] == "time_deposits.open"]
    assert [p["amount_fen"] for p in opened] == [300000]


def test_a_booked_answer_refused_is_shown_filled_in_to_change(ui: Any) -> None:
    show_code_and_id_card(ui, BELOW_MINIMUM)  # the code's text in the panel: drawn as a QR code
    ui.wait_step("amount")
    form = ui.window.screen(ScreenKind.FORM)
    assert form.values == {"deposit_yuan": "20"}  # as booked, with why it cannot be
    assert ui.model.error
    ui.click("field-deposit_yuan")
    for _ in range(2):
        ui.click("key-delete")
    ui.type_on_keypad("3000")
    ui.click("btn-submit")
    confirm_and_finish(ui, "3,000.00")  # the term and the rollover stayed as booked
