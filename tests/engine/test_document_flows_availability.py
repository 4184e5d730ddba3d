"""A document printer out of service closes only the flows that need it, and their tiles say why; the balance
enquiry stays open and only its A4 printing is greyed."""

from __future__ import annotations

from typing import Any

from kiosk.engine.screens import Input, InputKind


def tiles(kiosk: Any) -> dict[str, tuple[bool, str]]:
    return {c.id: (c.enabled, c.detail) for c in kiosk.engine.home.model().choices}


def test_a4_printer_offline_closes_the_document_flows_with_the_reason(kiosk: Any) -> None:
    kiosk.devices.docprinter.inject("offline")
    shown = tiles(kiosk)
    for flow in ("statement_print", "deposit_certificate", "credit_report"):
        assert shown[flow] == (False, "暂不可用：A4文件打印机故障")
    assert shown["balance_inquiry"][0]
    assert shown["si_payment"][0]
    kiosk.devices.docprinter.reset()
    assert all(enabled for enabled, _ in tiles(kiosk).values())


def test_the_balance_enquiry_greys_a4_printing_while_the_printer_is_down(kiosk: Any, driver: Any) -> None:
    kiosk.devices.docprinter.inject("offline")
    driver.qa.insert_bank_card("zhang_wei_1")
    driver.qa.take_bank_card()  # the customer's hand takes the card as soon as it comes back (as scenarios set up)
    kiosk.engine.send(Input(InputKind.START, "balance_inquiry"))
    driver.wait_for_screen("pin")
    driver.qa.press_keys("147258#")
    driver.wait_for_screen("statement")
    choices = {c.id: c.enabled for c in kiosk.engine.screen.choices}
    assert choices["print_a4"] is False
    assert choices["print_receipt"] is True
    kiosk.engine.send(Input(InputKind.CHOOSE, "print_a4"))  # greyed: nothing happens
    driver.settle()
    assert kiosk.engine.screen.step == "statement"
    kiosk.engine.send(Input(InputKind.CHOOSE, "finish"))
    assert driver.finish().outcome == "completed"
