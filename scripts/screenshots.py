#!/usr/bin/env python3
"""Screenshots of every screen of the flows, taken in the real window on the simulators.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Each flow is clicked through as in tests/ui; every screen it shows (host calls are slowed to 0.6 s
so their processing screens are seen) is saved as ``<flow>-<nn>-<step>.png`` at 1920x1080. A few
extra states (PIN half typed, the inactivity warning, a device fault, staff approval, English,
senior mode), a payment by a customer of 75 who accepts elderly mode, and 1280x800 shots follow.
The kiosk speaks through a silent speaker (``voice.player = "none"``), so the voice controls show.

``modes``: every screen kind alone (kiosk.ui.preview's sample models) in standard and elderly mode, in
both languages, as ``modes/<kind>-<mode>-<lang>.png``, plus a few states of elderly mode (the offer,
the short menu with "more", the fraud warning counting down, the keypad's focus ring).

``catalogue``: the home with 29 made-up services (kiosk/ui/samples.py): paged by category, the pinyin
search, the elderly short menu, and a confirmation of 30 rows, as ``catalogue-<nn>-<what>-<lang>.png``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton  # noqa: E402

from kiosk.app.compose import build_kiosk  # noqa: E402
from kiosk.app.gui import KioskApp, open_kiosk  # noqa: E402
from kiosk.app.qa import SimulatorControls  # noqa: E402
from kiosk.app.scenario import scenario_config  # noqa: E402
from kiosk.core.clock import ManualClock  # noqa: E402
from kiosk.core.i18n import text  # noqa: E402
from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind  # noqa: E402
from kiosk.host.api import SmsSendResult  # noqa: E402
from kiosk.ui.pager import reveal  # noqa: E402
from kiosk.ui.preview import offering_elderly, preview_window, sample_model  # noqa: E402
from kiosk.ui.theme import FONT_FAMILY  # noqa: E402

SETTLE_S = 0.25  # a screen is shot once it has been up this long
FLOW_RUNS = ("si_payment", "loss_report", "account_opening", "loss_release", "card_replace", "account_close",
             "branch_identity_check", "ebanking_signup", "sms_alerts", "profile_update", "pin_change", "pin_reset",
             "card_activate", "ss_card_activate", "transfer", "balance_inquiry", "statement_print",
             "deposit_certificate", "credit_report", "time_deposit_open", "utility_payment",
             "fx_purchase", "time_deposit_withdraw", "feedback", "queue_ticket", "wealth_purchase",
             "consumer_loan_apply", "appointment_pickup", "corporate_account_precheck")


class Shooter:
    def __init__(self, app: QApplication, running: KioskApp, out: Path, prefix: str) -> None:
        self.app, self.running, self.out, self.prefix = app, running, out, prefix
        self.window = running.window
        self.qa = SimulatorControls(running.kiosk)
        self.engine = running.kiosk.engine
        self.count = 0
        self.shot: set[tuple[str, int]] = set()
        self._since = (None, time.monotonic())
        self.saved: list[Path] = []
        self.auto = prefix in FLOW_RUNS  # the flows: every screen; the others: chosen states only

    @property
    def model(self):  # noqa: ANN201
        return self.window.model

    def spin(self, until: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.app.processEvents()
            self._auto_shot()
            if until():
                return
            time.sleep(0.01)
        raise SystemExit(f"screenshots: timed out waiting for {what} (on {self.model.step!r}: {self.model.error!r})")

    def _auto_shot(self) -> None:
        model = self.model
        if not self.auto:
            return
        key = (model.step, model.seq)
        if self._since[0] != key:
            self._since = (key, time.monotonic())
        elif time.monotonic() - self._since[1] >= SETTLE_S and (model.step, 0) not in self.shot:
            self.save(model.step)

    def save(self, name: str) -> None:
        self.shot.add((self.model.step, 0))
        self.count += 1
        path = self.out / f"{self.prefix}-{self.count:02d}-{name}.png"
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # the last render's layout, nothing else
        self.window.grab().save(str(path))
        self.saved.append(path)

    def step(self, step: str) -> None:
        self.spin(lambda: self.model.step == step and not self.model.busy and (not self.auto or (step, 0) in self.shot),
                  what=f"screen {step!r}")

    def click(self, name: str) -> None:
        self.app.processEvents()
        buttons = [b for b in self.window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()]
        if not buttons and name.startswith("flow-"):  # a service off the first page: its category, its page
            self.window.screen(ScreenKind.HOME).reveal(name.removeprefix("flow-"))
            self.app.processEvents()
            buttons = [b for b in self.window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()]
        if not buttons and reveal(self.window, name):  # a choice on a later page of its list
            self.app.processEvents()
            buttons = [b for b in self.window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()]
        if not buttons:
            raise SystemExit(f"screenshots: no button {name!r} on {self.model.step!r}")
        buttons[0].click()

    def first_enabled_choice(self) -> None:
        self.app.processEvents()
        for b in self.window.findChildren(QPushButton):
            if b.objectName().startswith("choice-") and b.isVisible() and b.isEnabled():
                b.click()
                return

    def home(self, take_card: bool = False) -> None:
        if take_card:
            self.spin(lambda: self.model.data.get("device_hint") == "bank_card" and ("ending", 0) in self.shot,
                      what="card at the slot")
            self.qa.take_bank_card()
        self.spin(lambda: self.model.step in ("home", "satisfaction"), what="home")
        if self.model.step == "satisfaction":  # after a completed session: shot (the flow's last), then answered
            self.spin(lambda: (self.model.step, 0) in self.shot or not self.auto, what="the question shot")
            self.click("choice-satisfied")
            self.spin(lambda: self.model.step == "home", what="home")


def si_payment(s: Shooter) -> None:
    s.step("home")
    s.click("flow-si_payment")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.step("bill")
    s.click("choice-all")
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.step("fraud_warning")
    s.click("choice-continue")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("147")
    s.spin(lambda: s.model.data.get("digits") == 3, what="3 PIN digits")
    s.save("pin-3-digits")
    s.qa.press_keys("258E")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.save("receipt-printed")
    s.click("choice-continue")
    s.home(take_card=True)


def loss_report(s: Shooter) -> None:
    s.qa.show_camera("person:zhang_wei")
    s.click("flow-loss_report")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("card")
    s.first_enabled_choice()
    s.step("kind")
    s.click("choice-verbal")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def account_opening(s: Shooter) -> None:
    s.qa.show_camera("person:chen_jing")
    s.click("flow-account_opening")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("chen_jing")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("mobile")
    for digit in "13912345678":
        s.click(f"key-{digit}")
    s.save("mobile-typed")
    s.click("btn-submit")
    s.step("sms_code")
    code = s.qa.sms_code(s.engine.session.found(SmsSendResult).sms_ref)
    for digit in code:
        s.click(f"key-{digit}")
    s.click("btn-submit")
    s.step("agreement")
    s.click("choice-agree")
    s.step("new_pin")
    s.qa.press_keys("135792E")
    s.step("confirm_pin")
    s.qa.press_keys("135792E")
    s.step("confirm")
    s.click("choice-confirm")
    s.spin(lambda: s.model.step == "deliver_card" and (s.model.step, 0) in s.shot, what="deliver_card")
    s.qa.take_new_card()
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def loss_release(s: Shooter) -> None:
    s.qa.show_camera("person:sun_li")
    s.click("flow-loss_release")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("sun_li")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("lost_card")
    s.click("choice-K00000005")  # the formal loss: the card at hand, a supervisor
    s.step("card_at_hand")
    s.click("choice-yes")
    s.step("card")
    s.qa.insert_bank_card("sun_li_2")
    s.step("formal_approval")
    s.running.staff.on_behalf.approve("S1001")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("369258E")
def branch_identity_check(s: Shooter) -> None:
    s.qa.show_camera("person:zhang_wei")
    s.click("flow-branch_identity_check")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("account")
    s.click("choice-EA00000001")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def card_and_pin(s: Shooter, flow: str) -> None:
    s.click(f"flow-{flow}")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("li_xiuying")
    s.step("card")
    s.qa.insert_bank_card("li_xiuying_1")
    s.step("pin")
    s.qa.press_keys("258036E")


def ebanking_signup(s: Shooter) -> None:
    from flows.ebanking_signup import EbankingSignup

    card_and_pin(s, "ebanking_signup")
    s.step("service")
    s.click("choice-mobile_banking")
    s.step("sms_code")
    for digit in s.qa.sms_code(s.engine.session.data_as(EbankingSignup).sms.sms_ref):
        s.click(f"key-{digit}")
    s.click("btn-submit")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)


def card_replace(s: Shooter) -> None:
    s.qa.show_camera("person:sun_li")
    s.click("flow-card_replace")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("sun_li")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("old_card")
    s.click("choice-K00000006")  # the expired card: handed in and kept
    s.step("reason")
    s.click("choice-expired")
    s.step("card")
    s.qa.insert_bank_card("sun_li_3")
    s.step("new_pin")
    s.qa.press_keys("135792E")
    s.step("confirm_pin")
    s.qa.press_keys("135792E")
    s.step("confirm")
    s.click("choice-confirm")
    s.spin(lambda: s.model.step == "deliver_card" and (s.model.step, 0) in s.shot, what="deliver_card")
    s.qa.take_new_card()
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def account_close(s: Shooter) -> None:
    s.qa.show_camera("person:zhou_jie")
    s.click("flow-account_close")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhou_jie")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("card")
    s.qa.insert_bank_card("zhou_jie_2")  # a balance: moved to another own account first
    s.step("transfer_to")
    s.first_enabled_choice()
    s.step("close_approval")
    s.running.staff.on_behalf.approve("S1001")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("582946E")
def sms_alerts(s: Shooter) -> None:
    card_and_pin(s, "sms_alerts")
    s.step("action")
    s.click("choice-subscribe")
    s.step("threshold")
    s.click("choice-other")
    s.step("threshold_amount")
    for digit in "300":
        s.click(f"key-{digit}")
    s.save("threshold-typed")
    s.click("btn-submit")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)


def profile_update(s: Shooter) -> None:
    s.qa.show_camera("person:zhang_wei")
    s.click("flow-profile_update")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("item")
    s.click("choice-address")
    s.step("address")
    keyboard = s.window.current_screen().keyboard
    for letters, word in (("beijingshi", "北京市"), ("chaoyangqu", "朝阳区")):
        for letter in letters:
            s.click(f"kbd-{letter}")
        s.click(f"cand-{keyboard.candidates().index(word)}")
    for letter in "jianguo":
        s.click(f"kbd-{letter}")
    s.save("address-candidates")
    s.click(f"cand-{keyboard.candidates().index('建国路')}")
    s.click("kbd-mode")
    for key in "99":
        s.click(f"kbd-{key}")
    s.click("kbd-mode")
    for letter in "hao":
        s.click(f"kbd-{letter}")
    s.click("cand-0")
    s.save("address-typed")
    s.click("btn-submit")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def extras(s: Shooter) -> None:
    """States the happy paths do not show."""
    timeouts = s.running.kiosk.services.settings.timeouts
    clock = s.running.kiosk.services.clock
    s.click("btn-lang-en_US")
    s.spin(lambda: s.model.lang == "en_US", what="English")
    s.save("home-english")
    s.click("btn-lang-zh_CN")
    s.click("btn-elderly")
    s.spin(lambda: s.model.elderly, what="senior mode")
    s.save("home-senior")
    s.click("btn-elderly")
    s.spin(lambda: not s.model.elderly, what="senior mode off")
    s.click("flow-loss_report")
    s.step("consent")
    clock.advance(timeouts.screen_s - timeouts.warning_s + 3)
    s.engine.tick()
    s.spin(lambda: s.model.warning_s_left is not None, what="the warning")
    s.save("timeout-warning")
    s.click("btn-extend")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.step("face_consent")
    s.click("choice-decline")  # no face check: staff verify identity
    s.spin(lambda: s.model.step == "staff_identity", what="staff approval")
    s.save("waiting-staff")
    s.click("btn-help")
    s.spin(lambda: bool(s.model.notice), what="staff called")
    s.save("staff-called")
    s.click("btn-cancel")
    s.home()
    s.qa.device_fault("idcard", "sam_failure")
    s.click("flow-si_payment")
    s.step("consent")
    s.click("choice-agree")  # the reader fails as the read starts
    s.spin(lambda: s.model.step == "failed", what="the fault")
    s.save("device-fault")
    s.click("choice-continue")
    s.home()
    panel = s.running.panel
    panel.show()
    panel.refresh_status()
    s.spin(lambda: panel.isVisible(), what="the sim panel")
    s.count += 1
    panel.grab().save(str(s.out / f"{s.prefix}-{s.count:02d}-sim-panel.png"))


def recovery(s: Shooter) -> None:
    """Recovery before service: what a stopped kiosk left (a payment sent, its answer never journaled), 暂停服务
    while the host is asked by key, then the home screen."""
    journal = s.running.kiosk.services.journal
    session = journal.open_session("si_payment", "K0001", "B0101", "zh_CN", False)
    key = uuid.uuid4().hex
    journal.txn_intent(key, session, "si_payment", "si.pay", amount_fen=150800, reversible=True)
    journal.txn_move(key, "sent")
    s.qa.host_fault("operations.status", "delay", times=1, delay_s=3.0)
    s.engine.start_recovery()
    s.spin(lambda: s.model.kind is ScreenKind.OUT_OF_SERVICE, what="recovery before service")
    s.save("out-of-service")
    s.spin(lambda: s.model.kind is ScreenKind.HOME, timeout=30.0, what="back in service")


def small_screen(s: Shooter) -> None:
    """1280x800: home, a form, a confirmation."""
    s.shot.clear()
    s.spin(lambda: s.model.step == "home", what="home")
    s.save("home")
    s.qa.show_camera("person:chen_jing")
    s.click("flow-account_opening")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("chen_jing")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("mobile")
    for digit in "139123":
        s.click(f"key-{digit}")
    s.save("mobile-form")
    s.click("btn-cancel")
    s.home()


def elderly_payment(s: Shooter) -> None:
    """李秀英 (75) pays in elderly mode: the offer after her ID card, then the large screens and the pause."""
    clock = s.running.kiosk.services.clock
    s.shot.clear()
    s.spin(lambda: s.model.step == "home", what="home")
    s.click("flow-si_payment")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("li_xiuying")
    s.step("bill")
    s.save("offer")
    s.click("btn-offer-elderly-on")
    s.spin(lambda: s.model.elderly, what="elderly mode")
    s.save("bill")
    s.first_enabled_choice()
    s.step("card")
    s.qa.insert_bank_card("li_xiuying_1")
    s.step("fraud_warning")
    s.save("fraud_warning-wait")
    clock.advance(s.running.kiosk.services.settings.timeouts.fraud_dwell_s)
    s.engine.tick()
    s.spin(lambda: s.model.choices[0].enabled, what="Continue enabled")
    s.save("fraud_warning-ready")
    s.click("choice-continue")
    s.step("confirm")
    s.save("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("258")
    s.spin(lambda: s.model.data.get("digits") == 3, what="3 PIN digits")
    s.save("pin")
    s.qa.press_keys("036E")
    s.step("result")
    s.save("result")
    s.click("choice-continue")
    s.step("receipt")
    s.click("choice-continue")
    s.spin(lambda: s.model.data.get("device_hint") == "bank_card", what="card at the slot")
    s.qa.take_bank_card()
    s.spin(lambda: s.model.step == "satisfaction", what="the satisfaction question")
    s.save("satisfaction")  # in elderly mode, as the session was
    s.click("choice-satisfied")
    s.spin(lambda: s.model.step == "home", what="home")
    s.save("home")


def type_new_pin_twice(s: Shooter, pin: str = "582936") -> None:
    s.step("new_pin")
    s.qa.press_keys(pin + "E")
    s.step("confirm_pin")
    s.qa.press_keys(pin + "E")


def identify(s: Shooter, flow: str, person: str) -> None:
    s.qa.show_camera(f"person:{person}")
    s.click(f"flow-{flow}")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card(person)
    s.step("face_consent")
    s.click("choice-agree")


def take_card_home(s: Shooter) -> None:
    """The bank card comes back at the end: taken as it reaches the slot."""
    s.spin(lambda: s.model.step == "ending", what="the card coming back")
    s.qa.take_bank_card()
    s.home()


def result_and_receipt(s: Shooter) -> None:
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    take_card_home(s)


def pin_change(s: Shooter) -> None:
    s.click("flow-pin_change")
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.step("old_pin")
    s.qa.press_keys("147258E")
    type_new_pin_twice(s)
    s.step("result")
    s.click("choice-continue")
    take_card_home(s)


def pin_reset(s: Shooter) -> None:
    identify(s, "pin_reset", "zhang_wei")
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_2")
    s.step("reset_approval")
    from kiosk.app.staffdesk import StaffOnBehalf, build_staff_desk

    StaffOnBehalf(build_staff_desk(s.running.kiosk), s.running.kiosk.people).approve("S1001")
    type_new_pin_twice(s)
    result_and_receipt(s)


def card_activate(s: Shooter) -> None:
    identify(s, "card_activate", "he_min")
    s.step("card")
    s.qa.insert_bank_card("he_min_1")
    type_new_pin_twice(s)
    result_and_receipt(s)


def ss_card_activate(s: Shooter) -> None:
    identify(s, "ss_card_activate", "zhou_jun")
    s.step("card")
    s.qa.insert_bank_card("zhou_jun_1")
    type_new_pin_twice(s)
    result_and_receipt(s)


def type_keys(s: Shooter, digits: str) -> None:
    for digit in digits:
        s.click(f"key-{digit}")


def transfer(s: Shooter) -> None:
    """A first transfer to a new payee at another bank: bank, account and name, the fee, the fraud pause."""
    s.step("home")
    s.click("flow-transfer")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.step("payee")
    s.click("choice-new")
    s.step("bank")
    s.click("choice-CCB")
    s.step("payee_account")
    type_keys(s, "6217000010012345678")
    form = s.window.current_screen()
    form._activate("payee_name")  # the name is typed on the pinyin keyboard: its candidates commit the words
    form._text("孙丽")
    s.save("payee_account-typed")
    s.click("btn-submit")
    s.step("amount")
    type_keys(s, "2000")
    s.click("btn-submit")
    s.step("purpose")
    s.click("choice-goods")
    s.step("fraud_warning")
    s.running.kiosk.services.clock.advance(6)
    s.spin(lambda: s.model.data.get("wait_s") == 0, what="the fraud pause")
    s.click("choice-continue")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("147258E")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)


def take_document(s: Shooter) -> None:
    """The A4 document printed; the customer takes it from the tray."""
    s.step("document")
    s.spin(lambda: s.model.data.get("printed") is True, what="document printed")
    s.save("document-printed")
    s.qa.take_document()


def card_then_pin(s: Shooter, card: str, pin: str) -> None:
    s.step("card")
    s.qa.insert_bank_card(card)
    s.step("pin")
    s.qa.press_keys(pin + "E")


def balance_inquiry(s: Shooter) -> None:
    s.click("flow-balance_inquiry")
    card_then_pin(s, "zhang_wei_1", "147258")
    s.step("statement")
    s.click("choice-next")
    s.spin(lambda: s.model.data.get("page") == 2, what="page 2")
    s.save("statement-page-2")
    s.click("choice-print_a4")
    take_document(s)
    s.home(take_card=True)


def statement_print(s: Shooter) -> None:
    s.click("flow-statement_print")
    card_then_pin(s, "gao_yan_1", "369258")
    s.step("period")
    s.click("choice-custom")
    s.step("range")
    for digit in "20260101":
        s.click(f"key-{digit}")
    s.save("range-typed")
    s.click("btn-back")
    s.step("period")
    s.click("choice-12")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    take_document(s)
    s.home(take_card=True)


def deposit_certificate(s: Shooter) -> None:
    from kiosk.app.staffdesk import StaffOnBehalf, build_staff_desk

    s.click("flow-deposit_certificate")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    card_then_pin(s, "zhang_wei_1", "147258")
    s.step("amount")
    for digit in "3000":
        s.click(f"key-{digit}")
    s.save("amount-typed")
    s.click("btn-submit")
    s.step("term")
    s.click("choice-6")
    s.step("approval")
    StaffOnBehalf(build_staff_desk(s.running.kiosk), s.running.kiosk.people).approve("S1001", "approve", "")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    take_document(s)
    s.home(take_card=True)


def credit_report(s: Shooter) -> None:
    s.qa.show_camera("person:gao_yan")
    s.click("flow-credit_report")
    for agreement in ("consent", "authorize"):
        s.step(agreement)
        s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("gao_yan")
    s.step("face_consent")
    s.click("choice-agree")
    s.step("card")
    s.qa.insert_bank_card("gao_yan_1")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("369258E")
    s.step("result")
    s.click("choice-continue")
    take_document(s)
    s.home(take_card=True)


def time_deposit_open(s: Shooter) -> None:
    """50 yuan is the least: 30 is refused at the field; 3,000 yuan for a year, rolled over; the certificate number."""
    s.click("flow-time_deposit_open")
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.step("amount")
    type_keys(s, "30")
    s.click("btn-submit")
    s.spin(lambda: bool(s.model.error), what="the minimum's message")
    s.save("amount-below-minimum")
    s.click("key-clear")
    type_keys(s, "3000")
    s.save("amount-typed")
    s.click("btn-submit")
    s.step("term")
    s.click("choice-1y")
    s.step("rollover")
    s.click("choice-auto")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("147258E")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)


def fx_purchase(s: Shooter) -> None:
    """USD 500 for travel: the quota and rates, the rate held 60 s and counted down, refreshed once over."""
    s.click("flow-fx_purchase")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("zhang_wei")
    card_then_pin(s, "zhang_wei_1", "147258")
    s.step("purpose")
    s.click("choice-travel")
    s.step("currency")
    s.click("choice-USD")
    s.step("amount")
    type_keys(s, "500")
    s.save("amount-typed")
    s.click("btn-submit")
    s.step("confirm")
    clock = s.running.kiosk.services.clock
    clock.advance(35)
    s.engine.send(Input(InputKind.EXTEND))  # the customer is still reading: more time, the rate runs out
    clock.advance(26)
    s.spin(lambda: s.model.data.get("expired") is True and any(
        b.isVisible() for b in s.window.findChildren(QPushButton, "choice-refresh")), what="the quote's hold to run out")
    s.save("confirm-expired")
    s.click("choice-refresh")
    s.spin(lambda: s.model.step == "confirm" and s.model.data.get("held_s") == 60 and not s.model.busy,
           what="the new quote")
    s.save("confirm-refreshed")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)



def utility_payment(s: Shooter) -> None:
    """The electricity bill held up to the camera: stained first (seen, not read), then flat; paid. Then a
    second visit without the bill: water, the customer number typed, two months due."""
    s.click("flow-utility_payment")
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.step("scan")
    s.qa.show_code("11010102345678", damaged=True)
    s.spin(lambda: s.model.error is not None, what="the stained code said")
    s.spin(lambda: s.window.current_screen().view.image is not None, what="the camera's preview")
    s.save("scan-unreadable")
    s.qa.show_code("11010102345678")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("147258E")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)
    s.qa.show_camera("nobody")
    s.click("flow-utility_payment")
    s.spin(lambda: s.model.step == "card", what="the card again")
    s.qa.insert_bank_card("zhang_wei_1")
    s.spin(lambda: s.model.step == "scan" and not s.model.busy, what="the camera again")
    s.click("choice-water")
    s.step("customer_no")
    type_keys(s, "3300012345")
    s.save("customer_no-typed")
    s.click("btn-submit")
    s.spin(lambda: s.model.step == "confirm" and not s.model.busy, what="the water bill")
    s.save("confirm-two-months")


def time_deposit_withdraw(s: Shooter) -> None:
    """5,000 yuan taken early from a 3-year deposit (the interest lost on the confirmation); then, in English, a
    matured deposit and the greyed-out partial withdrawal of one that had its partial withdrawal."""
    s.click("flow-time_deposit_withdraw")
    card_then_pin(s, "zhang_wei_1", "147258")
    s.step("deposit")
    s.click("choice-CD0000000002")
    s.step("mode")
    s.click("choice-partial")
    s.step("amount")
    type_keys(s, "5000")
    s.save("amount-typed")
    s.click("btn-submit")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.spin(lambda: s.model.data.get("device_hint") == "bank_card" and ("ending", 0) in s.shot, what="card at the slot")
    s.qa.take_bank_card()
    s.step("satisfaction")  # a completed session asks how it went
    s.click("choice-satisfied")
    s.home()
    s.click("btn-lang-en_US")
    s.spin(lambda: s.model.lang == "en_US", what="English")
    s.click("flow-time_deposit_withdraw")
    card_then_pin(s, "zhang_wei_1", "147258")
    s.step("deposit")
    s.save("deposit-english")
    s.click("choice-CD7000000001")
    s.step("mode")
    s.save("mode-partial-used-english")
    s.click("btn-back")
    s.step("deposit")
    s.click("choice-CD0000000001")
    s.step("confirm")
    s.save("confirm-at-maturity-english")
    s.click("btn-cancel")
    s.home(take_card=True)
    s.click("btn-lang-zh_CN")
    s.click("btn-elderly")  # elderly mode's larger type: the interest lost is still on the first page
    s.spin(lambda: s.model.elderly, what="senior mode")
    s.click("flow-time_deposit_withdraw")
    card_then_pin(s, "zhang_wei_1", "147258")
    s.step("deposit")
    s.click("choice-CD7000000002")
    s.step("mode")
    s.click("choice-partial")
    s.step("amount")
    type_keys(s, "1000")
    s.click("btn-submit")
    s.step("confirm")
    s.save("confirm-partial-elderly")
    s.click("btn-cancel")
    s.home(take_card=True)
    s.click("btn-elderly")
    s.spin(lambda: not s.model.elderly, what="senior mode off")


def queue_ticket(s: Shooter) -> None:
    """The current wait on the home screen; a number for cash without the ID card, printed; then 李秀英 (75) has
    her ID card read for the priority queue and takes elderly mode."""
    s.engine.start_home_lines()
    s.spin(lambda: bool(s.model.data.get("lines")), what="the wait on the home screen")
    s.save("home-wait")
    s.click("flow-queue_ticket")
    s.step("business")
    s.click("choice-cash_large")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()
    s.click("flow-queue_ticket")
    s.step("business")
    s.click("choice-priority")
    s.step("id_consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("li_xiuying")
    s.step("senior_business")
    s.click("btn-offer-elderly-on")  # she takes elderly mode, offered once her age is known
    s.spin(lambda: s.model.elderly, what="elderly mode")
    s.save("senior_business-elderly")
    s.click("choice-cash_large")
    s.spin(lambda: s.model.step == "result" and not s.model.busy, what="the priority number")
    s.save("result-priority-elderly")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()
    s.click("btn-lang-en_US")  # in English: the wait, the businesses, the number
    s.spin(lambda: s.model.lang == "en_US" and "16" in "".join(s.model.data.get("lines", ())),
           what="English home with the two numbers taken")
    s.save("home-wait-en")
    s.click("flow-queue_ticket")
    s.spin(lambda: s.model.step == "business" and not s.model.busy, what="the businesses")
    s.save("business-en")
    s.click("choice-wealth_advice")
    s.spin(lambda: s.model.step == "result" and not s.model.busy, what="the number")
    s.save("result-en")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def feedback(s: Shooter) -> None:
    """A complaint about the queue: nothing ticked is refused, two phrases ticked, four characters written are
    refused as too short, a fifth goes; a mobile number to call back; the reference and the 2-hour promise."""
    s.click("flow-feedback")
    s.step("kind")
    s.click("choice-complaint")
    s.step("category")
    s.click("choice-waiting_time")
    s.step("phrases")
    s.click("choice-done")
    s.spin(lambda: bool(s.model.error), what="nothing ticked")
    s.save("phrases-none-ticked")
    s.click("choice-p1")
    s.spin(lambda: "p1" in ticked_choices(s), what="p1 ticked")
    s.click("choice-p2")
    s.spin(lambda: "p2" in ticked_choices(s), what="p2 ticked")
    s.save("phrases-ticked")
    s.click("choice-write")
    s.step("text")
    keyboard = s.window.current_screen().keyboard
    for letters, word in (("chuang", "窗"), ("kou", "口"), ("ren", "人"), ("duo", "多")):
        for letter in letters:
            s.click(f"kbd-{letter}")
        s.click(f"cand-{keyboard.candidates().index(word)}")
    s.click("btn-submit")
    s.spin(lambda: bool(s.model.error), what="too short")
    s.save("text-too-short")
    for letter in "le":
        s.click(f"kbd-{letter}")
    s.click(f"cand-{keyboard.candidates().index('了')}")
    s.save("text-typed")
    s.click("btn-submit")
    s.step("contact")
    s.click("choice-mobile")
    s.step("mobile")
    type_keys(s, "13911112222")
    s.click("btn-submit")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def ticked_choices(s: Shooter) -> set[str]:
    return {c.id for c in s.model.choices if c.detail and c.id.startswith("p")}


def wealth_purchase(s: Shooter) -> None:
    """No assessment yet: the ten questions and the grade; a product above it refused with the reason, the key facts
    and the cooling-off notice, card, amount, summary, PIN. Then a customer of 76: the recorded sale, the slip."""
    identify(s, "wealth_purchase", "zhou_jie")
    for number, answer in enumerate("bbcbbcbbcc", 1):
        s.step(f"q{number}")
        s.click(f"choice-{answer}")
    s.step("grade")
    s.click("choice-confirm")
    s.step("product")
    s.click("choice-WM4Y001")
    s.spin(lambda: s.model.step == "product" and bool(s.model.error) and not s.model.busy, what="the refusal")
    s.save("product-refused")
    s.click("choice-WM2D090")
    s.step("facts")
    s.click("choice-confirm")
    s.step("card")
    s.qa.insert_bank_card("zhou_jie_2")
    s.step("amount")
    type_keys(s, "1000")
    s.save("amount-typed")
    s.click("btn-submit")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("582946E")
    result_and_receipt(s)
    s.qa.show_camera("person:li_xiuying")
    s.click("flow-wealth_purchase")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("li_xiuying")
    s.step("face_consent")
    s.click("btn-offer-elderly-on")  # 76: she takes elderly mode
    s.spin(lambda: s.model.elderly, what="elderly mode")
    s.save("face_consent-elderly")
    s.click("choice-agree")
    s.step("recorded_sale")
    s.click("choice-confirm")
    s.step("booked")
    s.click("choice-continue")
    s.step("slip")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()


def loan_identify(s: Shooter, person: str, card: str) -> None:
    s.qa.show_camera(f"person:{person}")
    s.spin(lambda: s.model.step == "home", what="home")
    s.click("flow-consumer_loan_apply")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card(person)
    s.step("face_consent")
    s.click("choice-agree")
    s.step("card")
    s.qa.insert_bank_card(card)


def loan_apply(s: Shooter, purpose: str, amount: str, income: str, term: str, typo: str = "") -> None:
    s.step("purpose")
    s.click(f"choice-{purpose}")
    s.step("application")
    if typo:  # an amount out of the product's range first
        type_keys(s, typo)
        s.click("field-loan_income_yuan")
        type_keys(s, income)
        s.click("btn-submit")
        s.spin(lambda: bool(s.model.error), what="the amount's range")
        s.save("amount-out-of-range")
        s.click("field-loan_amount_yuan")
        s.click("key-clear")
        type_keys(s, amount)
        s.click("btn-submit")
        s.step("term")
        s.click(f"choice-{term}")
        s.step("authorize")
        s.click("choice-agree")
        return
    type_keys(s, amount)
    s.click("field-loan_income_yuan")
    type_keys(s, income)
    s.click("btn-submit")
    s.step("term")
    s.click(f"choice-{term}")
    s.step("authorize")
    s.click("choice-agree")


def loan_read_contract(s: Shooter, suffix: str = "") -> None:
    s.step("contract")
    for page in range(2, s.model.data["pages"] + 1):
        s.click("choice-next")
        s.spin(lambda p=page: s.model.data["page"] == p, what=f"contract page {page}")
        s.save(f"contract-page-{page}{suffix}")


def consumer_loan_apply(s: Shooter) -> None:
    """张伟: the forbidden purposes greyed with the reason, an amount out of range, 50,000 yuan for 12 months approved, the contract paged to its end and
    signed with the PIN, paid out with the cooling-off notice. 高燕 referred to staff; 李秀英 (76, elderly mode)
    declined with the reason; 唐敏 in English, above her limit, then the contract's pages in elderly mode."""
    loan_identify(s, "zhang_wei", "zhang_wei_1")
    loan_apply(s, "home_furnishing", "50000", "40000", "12", typo="500")
    loan_read_contract(s)
    s.click("choice-sign")
    s.step("pin")
    s.qa.press_keys("147258E")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)
    loan_identify(s, "gao_yan", "gao_yan_1")
    loan_apply(s, "travel", "30000", "15000", "24")
    s.step("referred")
    s.click("choice-continue")
    s.step("referred_receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.save("referred-receipt-printed")
    s.click("choice-continue")
    s.home(take_card=True)
    s.qa.show_camera("person:li_xiuying")
    s.click("flow-consumer_loan_apply")
    s.step("consent")
    s.click("choice-agree")
    s.step("read_id")
    s.qa.place_id_card("li_xiuying")
    s.spin(lambda: s.model.step == "face_consent" and bool(s.model.data.get("offer_elderly")), what="the offer")
    s.click("btn-offer-elderly-on")
    s.spin(lambda: s.model.elderly, what="elderly mode")
    s.click("choice-agree")
    s.spin(lambda: s.model.step == "card", what="card")
    s.qa.insert_bank_card("li_xiuying_1")
    s.step("purpose")
    s.save("purpose-elderly")
    loan_apply(s, "medical", "20000", "6000", "12")
    s.spin(lambda: s.model.step == "failed", what="the decline")
    s.save("declined-elderly")
    s.click("choice-continue")
    s.home(take_card=True)
    s.click("btn-lang-en_US")
    s.spin(lambda: s.model.lang == "en_US", what="English")
    loan_identify(s, "loan_tang_min", "loan_tang_min_1")
    loan_apply(s, "home_furnishing", "120000", "12000", "36")
    s.spin(lambda: s.model.step == "application" and bool(s.model.error), what="the limit")
    s.save("over-limit-english")
    s.click("key-clear")
    type_keys(s, "20000")
    s.click("btn-submit")
    s.step("term")
    s.save("term-english")
    s.click("choice-12")
    s.step("contract")
    s.save("contract-english")
    s.engine.send(Input(InputKind.ELDERLY, "on"))  # the largest type and the longest words: smaller pages
    s.spin(lambda: s.model.elderly, what="elderly mode")
    s.save("contract-elderly-english")
    loan_read_contract(s, "-elderly-english")
    s.click("btn-lang-zh_CN")
    s.spin(lambda: s.model.lang == "zh_CN", what="Chinese")
    s.save("contract-last-page-elderly")
    s.click("choice-previous")
    s.spin(lambda: s.model.data["page"] == s.model.data["pages"] - 1, what="the page before")
    s.save("contract-schedule-elderly")
    s.click("btn-cancel")
    s.home(take_card=True)
# Seeded bookings' codes (assets/sim/people.toml, tests/scenarios/appointment_pickup/): 张伟's transfer to 孙丽,
# his 3,000 yuan deposit, and a transfer whose window closed yesterday.
BOOKED_TRANSFER = "KA1.APT00000001.9vzbQvnAQauRjkxLuZewvsgKXshC_Sw3GIVELp97prJDuD395ykaeSIZkKe2mHxYKZbAoSA9xBsMarwV9vIUCA"
BOOKED_DEPOSIT = "KA1.APT00000002.dO2NoC_g7lRT_3imUO7wsEFdIi65PbJ7t12WEClU81W_xO_kPZhMv_iKKjnDK1qJ6cl0HnYX5PrrbSymna7uBg"
EXPIRED_BOOKING = "KA1.APT00000004.lMGLbF5vetmjyINITmWN17y3Z-zfW7JxETPsREu5o_hNuQ2e6_BvlLRt7pvZEt-e0n0k8IJeF2wT4AWtYXEKBQ"


def pick_up(s: Shooter, code: str, stained_first: bool = False) -> None:
    """From home: the appointment's QR code held up to the camera (a stained one first: seen, not read), consent,
    the ID card."""
    s.click("flow-appointment_pickup")
    s.spin(lambda: s.model.step == "scan" and not s.model.busy, what="the camera")
    if stained_first:
        s.qa.show_code(code, "qrcode", damaged=True)
        s.spin(lambda: s.model.error is not None, what="the stained code said")
        s.spin(lambda: s.window.current_screen().view.image is not None, what="the camera's preview")
        s.save("scan-unreadable")
    s.qa.show_code(code, "qrcode")
    s.spin(lambda: s.model.step in ("consent", "failed") and not s.model.busy
           and (s.model.step != "consent" or ("consent", 0) in s.shot), what="the code checked")
    if s.model.step == "consent":
        s.click("choice-agree")
        s.qa.place_id_card("zhang_wei")


def appointment_pickup(s: Shooter) -> None:
    """A transfer booked in the mini-program: the QR code held up, the ID card; the visit goes on in the transfer
    with the booked answers passed, checked on the confirmation; the card, the warning, the PIN. Then a booked
    deposit: back from its confirmation, the booked choice is marked; and a code whose window has closed."""
    pick_up(s, BOOKED_TRANSFER, stained_first=True)
    s.step("card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.step("fraud_warning")
    s.running.kiosk.services.clock.advance(6)
    s.spin(lambda: s.model.data.get("wait_s") == 0, what="the fraud pause")
    s.click("choice-continue")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("pin")
    s.qa.press_keys("147258E")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home(take_card=True)
    s.qa.show_camera("nobody")
    pick_up(s, BOOKED_DEPOSIT)
    s.spin(lambda: s.model.step == "card", what="the deposit's card")
    s.qa.insert_bank_card("zhang_wei_1")
    s.spin(lambda: s.model.step == "confirm" and not s.model.busy, what="the deposit's confirmation")
    s.save("deposit-confirm")
    s.click("btn-back")
    s.spin(lambda: s.model.step == "rollover" and not s.model.busy, what="the booked rollover")
    s.save("rollover-as-booked")
    s.click("btn-cancel")
    s.home(take_card=True)
    s.qa.show_camera("nobody")
    pick_up(s, EXPIRED_BOOKING)
    s.spin(lambda: s.model.step == "failed", what="the expired code")
    s.save("expired")
    s.click("choice-continue")
    s.spin(lambda: s.model.step == "home", what="home")
def corporate_account_precheck(s: Shooter) -> None:
    """张伟 pre-checks his company: the licence under the document camera, stained first (seen, not read), then
    clean; the first free signing appointment booked; the slip. Then again without the licence: the code typed
    on the code keyboard with a wrong check character (named under the field), then right: booked already."""
    identify(s, "corporate_account_precheck", "zhang_wei")
    s.step("licence")
    s.qa.show_document(licence="corp_tech", damaged=True)
    s.spin(lambda: s.model.error is not None, what="the stained QR code said")
    s.spin(lambda: s.window.current_screen().view.image is not None, what="the document camera's preview")
    s.save("licence-unreadable")
    s.qa.show_document(licence="corp_tech")
    s.step("slot")
    s.click("choice-slot_1")
    s.step("confirm")
    s.click("choice-confirm")
    s.step("result")
    s.click("choice-continue")
    s.step("receipt")
    s.spin(lambda: s.model.data.get("printed") is True, what="printed")
    s.click("choice-continue")
    s.home()
    s.qa.clear_document()
    s.qa.remove_id_card()
    s.click("flow-corporate_account_precheck")
    s.spin(lambda: s.model.step == "consent", what="consent again")
    s.click("choice-agree")
    s.spin(lambda: s.model.step == "read_id", what="the ID card again")
    s.qa.place_id_card("zhang_wei")
    s.spin(lambda: s.model.step == "face_consent", what="face consent again")
    s.click("choice-agree")
    s.spin(lambda: s.model.step == "licence" and not s.model.busy, what="the document camera again")
    s.click("choice-type")
    s.step("credit_code")
    for char in "91440300MA5G8K2P18":
        s.click(f"code-{char}")
    s.click("btn-submit")
    s.spin(lambda: s.model.error is not None, what="the wrong check character said")
    s.save("credit_code-wrong-check")
    s.click("code-delete")
    s.click("code-7")
    s.click("btn-submit")
    s.spin(lambda: s.model.step == "failed" and not s.model.busy, what="booked already")
    s.save("failed-already-booked")
    s.click("choice-continue")
    s.home()


RUNS: list[tuple[str, Callable[[Shooter], None], tuple[int, int]]] = [
    ("recovery", recovery, (1920, 1080)),
    ("si_payment", si_payment, (1920, 1080)),
    ("loss_report", loss_report, (1920, 1080)),
    ("account_opening", account_opening, (1920, 1080)),
    ("loss_release", loss_release, (1920, 1080)),
    ("card_replace", card_replace, (1920, 1080)),
    ("account_close", account_close, (1920, 1080)),
    ("branch_identity_check", branch_identity_check, (1920, 1080)),
    ("ebanking_signup", ebanking_signup, (1920, 1080)),
    ("sms_alerts", sms_alerts, (1920, 1080)),
    ("profile_update", profile_update, (1920, 1080)),
    ("pin_change", pin_change, (1920, 1080)),
    ("pin_reset", pin_reset, (1920, 1080)),
    ("card_activate", card_activate, (1920, 1080)),
    ("ss_card_activate", ss_card_activate, (1920, 1080)),
    ("transfer", transfer, (1920, 1080)),
    ("balance_inquiry", balance_inquiry, (1920, 1080)),
    ("statement_print", statement_print, (1920, 1080)),
    ("deposit_certificate", deposit_certificate, (1920, 1080)),
    ("credit_report", credit_report, (1920, 1080)),
    ("time_deposit_open", time_deposit_open, (1920, 1080)),
    ("utility_payment", utility_payment, (1920, 1080)),
    ("fx_purchase", fx_purchase, (1920, 1080)),
    ("time_deposit_withdraw", time_deposit_withdraw, (1920, 1080)),
    ("feedback", feedback, (1920, 1080)),
    ("queue_ticket", queue_ticket, (1920, 1080)),
    ("wealth_purchase", wealth_purchase, (1920, 1080)),
    ("consumer_loan_apply", consumer_loan_apply, (1920, 1080)),
    ("appointment_pickup", appointment_pickup, (1920, 1080)),
    ("corporate_account_precheck", corporate_account_precheck, (1920, 1080)),
    ("extra", extras, (1920, 1080)),
    ("elderly", elderly_payment, (1920, 1080)),
    ("1280x800", small_screen, (1280, 800)),
]
MODES = {"standard": False, "elderly": True}


def focus_third(window: object) -> None:
    """Three presses of Tab: the keypad's focus ring on the third button."""
    window.activateWindow()  # type: ignore[attr-defined]
    QApplication.processEvents()
    for _ in range(3):
        window.focusNextPrevChild(True)  # type: ignore[attr-defined]


def shoot_modes(app: QApplication, out: Path) -> list[Path]:
    """Every screen kind alone, in both modes and both languages; then elderly mode's own states."""
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def save(model: object, name: str, prepare: Callable[[object], None] | None = None) -> None:
        window = preview_window(model)
        try:
            window.show()
            app.processEvents()
            if prepare is not None:
                prepare(window)
            app.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            saved.append(path)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()

    for kind in ScreenKind:
        for mode, elderly in MODES.items():
            for lang in ("zh_CN", "en_US"):
                save(sample_model(kind, lang, elderly=elderly), f"{kind.value}-{mode}-{lang}")
    for lang in ("zh_CN", "en_US"):
        save(offering_elderly(sample_model(ScreenKind.CHOICE, lang)), f"state-offer-{lang}")
        menu = tuple(Choice(f"f{i}", text(lang, f"flow.{flow}.title"), text(lang, "category.cards"))
                     for i, flow in enumerate(("loss_report", "account_opening", "si_payment") * 3))
        nine = sample_model(ScreenKind.HOME, lang, elderly=True, choices=menu,
                            data={"category_titles": {"cards": text(lang, "category.cards")}})
        save(nine, f"state-short-menu-{lang}")
        save(nine, f"state-short-menu-more-{lang}",
             lambda w: next(b for b in w.findChildren(QPushButton, "btn-more") if b.isVisible()).click())
        save(sample_model(ScreenKind.FORM, lang, elderly=True), f"state-keypad-focus-{lang}", focus_third)
    return saved


def shoot_catalogue(app: QApplication, out: Path) -> list[Path]:
    """The home at the catalogue's coming size (29 made-up services, kiosk/ui/samples.py) and screens with
    more rows than fit: the paged home, a category page, the pinyin search, the elderly short menu, a
    confirmation of 30 rows."""
    from kiosk.engine.screens import Row
    from kiosk.ui.preview import sample_home

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def save(model: object, name: str, *touches: str) -> None:
        window = preview_window(model)
        try:
            window.show()
            for _ in range(3):
                app.processEvents()
            for touch in touches:
                next(b for b in window.findChildren(QPushButton, touch) if b.isVisible()).click()
                for _ in range(3):
                    app.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            saved.append(path)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()

    for lang in ("zh_CN", "en_US"):
        save(sample_home(lang), f"catalogue-01-home-{lang}")
        save(sample_home(lang), f"catalogue-02-category-payments-{lang}", "cat-payments")
        save(sample_home(lang), f"catalogue-03-category-payments-page2-{lang}", "cat-payments", "btn-page-next")
        save(sample_home(lang), f"catalogue-04-search-GS-{lang}", "btn-search", "letter-G", "letter-S")
        save(sample_home(lang, elderly=True), f"catalogue-05-home-elderly-{lang}")
        save(sample_home(lang, elderly=True), f"catalogue-06-home-elderly-more-{lang}", "btn-more")
        rows = tuple(Row(text(lang, "row.item"), f"城乡居民养老保险 2026-{i:02d} {i},128.00") for i in range(1, 31))
        for mode, elderly in MODES.items():
            model = sample_model(ScreenKind.CONFIRM, lang, elderly=elderly, rows=rows)
            save(model, f"catalogue-07-confirm-30-rows-{mode}-{lang}")
        save(sample_model(ScreenKind.CONFIRM, lang, elderly=True, rows=rows),
             f"catalogue-08-confirm-30-rows-elderly-page2-{lang}", "btn-page-next")
    return saved


def shoot(app: QApplication, out: Path, prefix: str, run: Callable[[Shooter], None], size: tuple[int, int]) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp:
        config = scenario_config(None, {"devices.smartcard.backend": "sim",  # no pcscd needed
                                        "voice.player": "none"})  # speaks to nobody: the voice controls show
        running = open_kiosk(config, sim_panel=prefix == "extra", build=build_kiosk, clock=ManualClock(), strict=True,
                             data_dir=Path(tmp), voice=True)
        try:
            running.window.resize(*size)
            running.window.show()
            shooter = Shooter(app, running, out, prefix)
            shooter.qa.host_fault("*", "delay", times=-1, delay_s=0.6)
            shooter.spin(lambda: shooter.model is not None, what="first screen")
            if prefix not in ("si_payment", "1280x800"):
                shooter.shot.add(("home", 0))  # the home screen is shot once, in the first run
            run(shooter)
            return shooter.saved
        finally:
            running.close()
            app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", help="one run: " + ", ".join([name for name, _, _ in RUNS] + ["modes", "catalogue"]))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(QFont(FONT_FAMILY))
    args.out.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "modes"):
        for old in (args.out / "modes").glob("*.png"):
            old.unlink()
        sys.stdout.write(f"modes: {len(shoot_modes(app, args.out / 'modes'))} screenshots\n")
    if args.only in (None, "catalogue"):
        for old in args.out.glob("catalogue-*.png"):
            old.unlink()
        sys.stdout.write(f"catalogue: {len(shoot_catalogue(app, args.out))} screenshots\n")
    for name, run, size in RUNS:
        if args.only and name != args.only or args.only == "catalogue":
            continue
        for old in args.out.glob(f"{name}-*.png"):
            old.unlink()
        saved = shoot(app, args.out, name, run, size)
        sys.stdout.write(f"{name}: {len(saved)} screenshots\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
