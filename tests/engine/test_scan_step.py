"""The scan step (a code held up to the camera) in the engine, on the utility payment flow and alone: its
screen model, the unreadable code said while reading goes on, the alternatives, a camera that fails, and a
journal that keeps the symbology, never what the code says; on another camera (the document camera), with a
check on what it read."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from devices.api import DeviceError, ErrorCode
from devices.camera.api import ScannedCode
from flows import catalogue
from flows.common import PAYMENTS
from kiosk.core import i18n
from kiosk.engine.flow import Fail, Flow, Next, Stay, Stop
from kiosk.engine.ops import OpResult, Ticket
from kiosk.engine.screens import Choice, Input, InputKind, Outcome, ScreenKind
from kiosk.engine.session import Session
from kiosk.engine.steps import Result, ScanCode

BARCODE = "11010102345678"


def start_at_scan(driver) -> None:
    driver.qa.insert_bank_card("zhang_wei_1")
    driver.qa.take_bank_card()
    driver.engine.send(Input(InputKind.START, "utility_payment"))
    driver.wait_for_screen("scan")


def test_the_scan_screen_shows_the_camera_and_the_alternatives(kiosk, driver) -> None:
    start_at_scan(driver)
    screen = kiosk.engine.screen
    assert screen.kind is ScreenKind.SCAN
    assert screen.data["scanning"] is True
    assert [c.id for c in screen.choices] == ["electricity", "water", "gas"]
    assert not screen.busy  # the camera waits for the customer: the buttons work


def test_an_unreadable_code_is_said_and_a_good_one_goes_on(kiosk, driver) -> None:
    start_at_scan(driver)
    driver.qa.show_code(BARCODE, damaged=True)
    assert driver.settle(lambda: kiosk.engine.screen.error is not None)
    assert kiosk.engine.screen.step == "scan"
    assert kiosk.engine.screen.error in (i18n.text("zh_CN", "scan.unreadable"), i18n.text("en_US", "scan.unreadable"))
    driver.qa.show_code(BARCODE)
    driver.wait_for_screen("confirm")
    assert kiosk.engine.screen.error is None


def test_the_journal_keeps_the_symbology_never_the_code(kiosk, driver) -> None:
    start_at_scan(driver)
    session_id = kiosk.engine.session.id
    driver.qa.show_code(BARCODE)
    driver.wait_for_screen("confirm")
    entries = kiosk.services.journal.entries(session_id)
    read = [e for e in entries if e.name == "camera.read_code"]
    assert read
    assert read[0].detail["value"] == {"symbology": "code128"}
    assert BARCODE not in json.dumps([e.detail for e in entries], ensure_ascii=False)


def test_a_camera_that_fails_leaves_the_alternatives(kiosk, driver) -> None:
    start_at_scan(driver)
    driver.qa.device_fault("camera", "no_frames")
    assert driver.settle(lambda: not kiosk.engine.screen.data.get("scanning"))
    screen = kiosk.engine.screen
    assert screen.error
    assert [c.id for c in screen.choices] == ["electricity", "water", "gas"]
    kiosk.engine.send(Input(InputKind.CHOOSE, "gas"))
    driver.wait_for_screen("customer_no")


# -- the step alone -----------------------------------------------------------------------------------

@dataclass
class ScanAlone:
    text: str = ""


def session(kiosk) -> Session:
    flow = Flow(id="scan_alone", category=PAYMENTS, devices=frozenset({"camera"}), data=ScanAlone,
                steps=[ScanCode("scan", store="text"), Result("result", rows=lambda s: [])])
    return Session("s-alone", flow, kiosk.services, "en_US")


def failed(code: ErrorCode, reason: str) -> OpResult:
    return OpResult(Ticket("s-alone", "scan"), "camera.read_code", error=DeviceError("camera", code, reason))


def test_alternatives_come_as_a_set() -> None:
    with pytest.raises(ValueError, match="together"):
        ScanCode("scan", store="text", instead=lambda s: [Choice("a", "A")])


def test_alone_a_code_read_goes_on_and_a_broken_camera_is_a_device_fault(kiosk) -> None:
    s = session(kiosk)
    step = s.flow.step("scan")
    ok = OpResult(Ticket("s-alone", "scan"), "camera.read_code", value=ScannedCode("A-1", "qrcode"))
    assert step.on_result(s, ok) == Next()
    assert s.data_as(ScanAlone).text == "A-1"
    assert step.on_result(s, failed(ErrorCode.HARDWARE_ERROR, "broken")) == Fail("error.device.camera",
                                                                                  Outcome.DEVICE_FAULT)
    assert step.on_result(s, failed(ErrorCode.TIMEOUT, "no_code")) == Stop("timeout")
    assert step.on_result(s, failed(ErrorCode.CANCELLED, "cancelled")) == Stop("cancel")


def test_the_utility_flow_types_the_number_instead_of_reading_it() -> None:
    step = catalogue()["utility_payment"].step("scan")
    assert step.branches == ("customer_no",)
    assert isinstance(step, ScanCode)
    assert step.symbologies == ("code128", "qrcode")


# -- another camera, and a check on what was read -------------------------------------------------------------

@dataclass
class LicenceAlone:
    text: str = ""
    other: str = ""


def on_the_document_camera(kiosk) -> Session:
    def no_url(s: Session):
        return Stay(error="scan.not_this", restart=True) if s.data_as(LicenceAlone).text.startswith("http") else None

    flow = Flow(id="licence_alone", category=PAYMENTS, devices=frozenset(), data=LicenceAlone,
                steps=[ScanCode("scan", store="text", camera="doccamera", check=no_url,
                                instead=lambda s: [Choice("type", "Type")], instead_store="other", instead_step="typed"),
                       Result("typed", rows=lambda s: [])])
    return Session("s-doc", flow, kiosk.services, "en_US")


def test_the_step_reads_from_the_camera_it_names_and_checks_what_it_read(kiosk) -> None:
    s = on_the_document_camera(kiosk)
    step = s.flow.step("scan")
    assert step.screen(s)["data"] == {"device_hint": "doccamera", "scanning": True}
    kiosk.devices.doccamera.show_code("http://example.com/1")
    operation = step.begin(s)
    assert (operation.name, operation.device) == ("doccamera.read_code", "doccamera")
    read = OpResult(Ticket("s-doc", "scan"), operation.name, value=ScannedCode("http://example.com/1", "qrcode"))
    assert step.on_result(s, read) == Stay(error="scan.not_this", restart=True)  # refused: it looks on
    assert step.begin(s) is not None  # ... ignoring the code refused while it stays in view
    good = OpResult(Ticket("s-doc", "scan"), operation.name, value=ScannedCode("91350100M000100Y43", "qrcode"))
    assert step.on_result(s, good) == Next()


def test_a_failing_document_camera_is_down_on_its_own_and_says_so_in_its_words(kiosk) -> None:
    s = on_the_document_camera(kiosk)
    step = s.flow.step("scan")
    lamp = OpResult(Ticket("s-doc", "scan"), "doccamera.read_code",
                    error=DeviceError("doccamera", ErrorCode.HARDWARE_ERROR, "lamp"))
    assert step.on_result(s, lamp) == Stay(error="scan.doccamera_unavailable")
    assert s.slots.cameras_down == {"doccamera"}  # the customer's camera still works
    assert step.begin(s) is None
    assert step.screen(s)["data"]["scanning"] is False
    assert step.prompt(s) == i18n.text("en_US", "scan.camera_down")


def test_the_pre_check_reads_the_licence_from_the_document_camera() -> None:
    step = catalogue()["corporate_account_precheck"].step("licence")
    assert isinstance(step, ScanCode)
    assert (step.camera, step.symbologies, step.branches) == ("doccamera", ("qrcode",), ("credit_code",))
