"""corporate_account_precheck when another company takes the chosen appointment between the check and the
booking: the host refuses (``slot_taken``), the kiosk offers the appointments free now, and the one chosen
then is booked, once."""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.engine.screens import Input, InputKind

SHOP, LI_ID = "92310104MA1K4R7T3H", "31011519500601002X"


def to_confirm(driver: Any) -> None:
    driver.qa.show_camera("person:zhang_wei")
    driver.qa.place_id_card("zhang_wei")
    driver.engine.send(Input(InputKind.START, "corporate_account_precheck"))
    for step in ("consent", "face_consent"):
        driver.wait_for_screen(step)
        driver.engine.send(Input(InputKind.CHOOSE, "agree"))
    driver.wait_for_screen("licence")
    driver.qa.show_document(licence="corp_tech")
    driver.wait_for_screen("slot")
    driver.engine.send(Input(InputKind.CHOOSE, "slot_1"))
    driver.wait_for_screen("confirm")


def test_an_appointment_taken_meanwhile_is_chosen_again(kiosk: Any, driver: Any) -> None:
    to_confirm(driver)
    first = kiosk.engine.session.flow_data.company.slots[0]
    taken = {"credit_code": SHOP, "id_number": LI_ID, "day": first.day.isoformat(), "start": first.start,
             "counter": first.counter, "licence_read": True}
    kiosk.services.host.call("corporate.book_signing", taken, str(uuid.uuid4()), "other-kiosk")  # the shop, elsewhere
    kiosk.engine.send(Input(InputKind.CHOOSE, "confirm"))
    driver.settle(lambda: kiosk.engine.screen.step == "slot" and kiosk.engine.screen.error is not None)
    assert kiosk.engine.screen.error == "该时间刚被其他企业约走，请重新选择。"
    offered = kiosk.engine.session.flow_data.company.slots
    assert (offered[0].day, offered[0].start, offered[0].counter) == (first.day, first.start, "6")  # the other counter
    kiosk.engine.send(Input(InputKind.CHOOSE, "slot_1"))
    driver.wait_for_screen("confirm")
    kiosk.engine.send(Input(InputKind.CHOOSE, "confirm"))
    driver.wait_for_screen("result")
    booking = kiosk.engine.session.flow_data.booking
    assert (booking.day, booking.start, booking.counter) == (first.day, first.start, "6")
    postings = [p for p in driver.qa.host_state()["postings"] if p["op"] == "corporate.book_signing"]
    assert sorted((p["status"], p["error_code"] or "") for p in postings) == [
        ("committed", ""), ("committed", ""), ("rejected", "slot_taken")]  # the shop's, ours refused, ours booked
