#!/usr/bin/env python3
"""Screenshots of staff mode, taken in the real kiosk window on the simulators.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/staff_screenshots.py [--out docs/screenshots]

Saves ``staff-<nn>-<name>.png`` at 1920x1080 (and one at 1280x800): the sign-in (typed on the on-screen
keyboard, a wrong password, the staff card waiting for its PIN), the supervisor's home with a formal
loss waiting, the approval (masked summary, dual control), a help request, the maintenance screen with
cards in the retain bins, the journal and the day's reconciliation, the customer's home screen out
of service, the transactions needing staff (a suspect, a reversal waiting, the suspect settled), a customer's
receipt reprinted from the journal (补打), with the receipt printer's rendering of the reprint, and the journal's hash
chain checked from the maintenance screen (校验日志链).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget  # noqa: E402

from devices.api import Cancellation  # noqa: E402
from kiosk.app.compose import build_kiosk  # noqa: E402
from kiosk.app.gui import KioskApp, open_kiosk  # noqa: E402
from kiosk.app.qa import SimulatorControls  # noqa: E402
from kiosk.app.scenario import scenario_config  # noqa: E402
from kiosk.core.clock import ManualClock  # noqa: E402
from kiosk.engine.screens import Input, InputKind  # noqa: E402
from kiosk.engine.staff import DeskState  # noqa: E402
from kiosk.ui.theme import FONT_FAMILY  # noqa: E402

OVERRIDES = {"devices.smartcard.backend": "sim", "voice.player": "none", "staff.dual_control": ["formal_loss"]}


class Shooter:
    def __init__(self, app: QApplication, running: KioskApp, out: Path) -> None:
        self.app, self.running, self.out = app, running, out
        self.window = running.window
        self.kiosk = running.kiosk
        self.engine = running.kiosk.engine
        self.qa = SimulatorControls(running.kiosk)
        assert running.staff is not None
        self.mode = running.staff.mode
        self.desk = running.staff.desk
        self.count = 0

    def spin(self, until: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.app.processEvents()
            if until():
                return
            time.sleep(0.01)
        raise SystemExit(f"staff screenshots: timed out waiting for {what}")

    def settle(self, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def save(self, name: str) -> None:
        self.settle()
        self.count += 1
        path = self.out / f"staff-{self.count:02d}-{name}.png"
        self.window.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    def click(self, name: str, root: QWidget | None = None) -> None:
        self.app.processEvents()
        shown = [b for b in (root or self.window).findChildren(QPushButton, name) if b.isVisible()]
        if len(shown) != 1 or not shown[0].isEnabled():
            raise SystemExit(f"staff screenshots: no single enabled button {name!r}")
        QTest.mouseClick(shown[0], Qt.MouseButton.LeftButton)
        self.app.processEvents()

    def type(self, text: str) -> None:
        for char in text:
            if char.isupper():
                self.click("skey-shift")
                self.click(f"skey-{char.lower()}")
                self.click("skey-shift")
            else:
                self.click(f"skey-{char}")

    def wait_step(self, step: str) -> None:
        self.spin(lambda: self.window.model is not None and self.window.model.step == step
                  and not self.window.model.busy, f"the customer's screen {step!r}")

    def sign_in(self, number: str, password: str) -> None:
        self.click("sfield-number")
        self.type(number)
        self.click("sfield-password")
        self.type(password)
        self.click("staff-sign-in")
        self.spin(lambda: self.desk.state is not DeskState.SIGNING_IN, "the sign-in")


def formal_loss_waiting(s: Shooter) -> None:
    s.qa.show_camera("person:zhang_wei")
    s.click("flow-loss_report")
    s.wait_step("consent")
    s.click("choice-agree")
    s.wait_step("read_id")
    s.qa.place_id_card("zhang_wei")
    s.wait_step("face_consent")
    s.click("choice-agree")
    s.wait_step("card")
    s.click("choice-K00000002")
    s.wait_step("kind")
    s.click("choice-formal")
    s.wait_step("formal_approval")


def run(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setFont(QFont(FONT_FAMILY))
    with tempfile.TemporaryDirectory() as tmp:
        config = scenario_config(None, OVERRIDES)
        running = open_kiosk(config, sim_panel=False, build=lambda c, **kw: build_kiosk(
            c, clock=ManualClock(), data_dir=Path(tmp), **kw))
        try:
            running.window.resize(1920, 1080)
            running.window.show()
            shoot(Shooter(app, running, out))
        finally:
            running.close()


def shoot(s: Shooter) -> None:
    formal_loss_waiting(s)
    s.save("customer-waiting")
    s.mode.open_mode()
    s.click("sfield-number")
    s.type("S1001")
    s.click("sfield-password")
    s.type("zho")
    s.save("sign-in-typing")
    s.click("skey-clear")
    s.type("wrong1")
    s.click("staff-sign-in")
    s.spin(lambda: s.desk.state is not DeskState.SIGNING_IN, "the wrong password")
    s.save("sign-in-wrong-password")
    s.qa.insert_bank_card("staff_S1001")
    s.click("staff-card")
    s.spin(lambda: s.desk.card_stage == "pin", "the staff card")
    s.qa.press_keys("3141")
    s.spin(lambda: s.desk.pin_digits == 4, "the PIN digits")
    s.save("sign-in-staff-card")
    s.qa.press_keys("59#")
    s.spin(lambda: s.desk.card_stage == "take", "the card back")
    s.qa.take_bank_card()
    s.spin(lambda: s.desk.member is not None, "the card sign-in")
    s.save("home-approval-waiting")
    s.click("staff-tile-approval")
    s.click("staff-reason-checked")
    s.save("approval")
    s.click("staff-approve")
    s.spin(lambda: not s.engine.busy and bool(s.window.model.notice), "the first of two approvals")
    s.save("approval-dual-control")
    s.window.resize(1280, 800)
    s.save("approval-1280x800")
    s.window.resize(1920, 1080)
    s.click("staff-close")
    s.save("customer-waiting-second")
    s.mode.open_mode()
    s.sign_in("S1002", "wu1002")
    s.click("staff-tile-approval")
    s.click("staff-approve")
    s.wait_step("confirm")
    s.click("staff-close")
    s.click("choice-confirm")
    s.wait_step("result")
    s.click("choice-continue")
    s.wait_step("receipt")
    s.click("choice-continue")
    s.wait_step("satisfaction")  # the satisfaction question after the completed session
    s.click("choice-satisfied")
    s.wait_step("home")
    # a customer stuck on the payment: they call staff
    s.click("flow-si_payment")
    s.wait_step("consent")
    s.click("choice-agree")
    s.wait_step("read_id")
    s.qa.place_id_card("li_xiuying")
    s.wait_step("bill")
    s.click("btn-help")
    s.spin(lambda: bool(s.window.model.notice), "the help notice")
    s.mode.open_mode()
    s.sign_in("S1001", "zhou1001")
    s.save("home-help-request")
    s.click("staff-tile-help")
    s.save("help-request")
    s.click("staff-cancel-session")
    s.spin(lambda: s.engine.session is None, "the session to end")
    s.click("staff-sign-out")
    # maintenance: cards in both retain bins, a printer out of paper
    reader, dispenser = s.kiosk.devices.smartcard, s.kiosk.devices.dispenser
    reader.insert(s.kiosk.people.bank_cards["zhang_wei_2"].card)
    reader.retain_card("fraud_suspected")
    dispenser.pick_card(1.0, Cancellation())
    dispenser.retain_card("not_issued")
    s.kiosk.devices.printer.load_paper(0)
    s.sign_in("M2001", "zheng2001")
    s.save("home-maintenance")
    s.click("staff-tile-maintenance")
    s.save("maintenance")
    s.click("staff-paper-300")
    s.click("staff-load-paper")
    s.spin(lambda: not s.desk.maintenance.running, "the paper")
    s.click("staff-empty-bins")
    s.spin(lambda: not s.desk.maintenance.running, "the retain bins")
    s.click("staff-selftest-printer")
    s.spin(lambda: not s.desk.maintenance.running, "the printer self-test")
    s.save("maintenance-serviced")
    s.click("staff-nav-home")
    s.click("staff-out-of-service")
    s.click("staff-sign-out")
    s.sign_in("S1001", "zhou1001")
    s.click("staff-tile-journal")
    s.save("journal")
    area = s.mode.screens["records"].findChild(QScrollArea)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    s.save("journal-staff-log")
    s.click("staff-flow-loss_report")
    area.verticalScrollBar().setValue(0)
    s.save("journal-filtered")
    s.click("staff-close")
    s.save("customer-out-of-service")
    s.engine.send(Input(InputKind.LANGUAGE, "en_US"))
    s.save("customer-out-of-service-english")
    s.window.resize(1280, 800)
    s.mode.open_mode()
    s.sign_in("M2001", "zheng2001")
    s.click("staff-out-of-service")
    s.save("home-1280x800")
    s.click("staff-tile-maintenance")
    s.save("maintenance-1280x800")
    s.click("staff-close")
    s.window.resize(1920, 1080)
    transactions_needing_staff(s)


def leftovers(s: Shooter) -> str:
    """What recovery and the reversal queue leave for staff: an account opened whose card jammed (not
    reversible: suspect) and a payment whose reversal failed once and waits for its next try."""
    journal = s.kiosk.services.journal
    session = journal.open_session("account_opening", "K0001", "B0101", "zh_CN", False)
    keys = []
    for flow, op, amount, reversible in (("account_opening", "accounts.open", None, False),
                                         ("si_payment", "si.pay", 38000, True)):
        key = uuid.uuid4().hex
        journal.txn_intent(key, session, flow, op, amount_fen=amount, parties={"account_no": "6222020200112233445"},
                           delivery="card", reversible=reversible)
        for state in ("sent", "approved", "device_failed"):
            journal.txn_move(key, state)
        keys.append(key)
    journal.txn_move(keys[0], "suspect", {"reason": "card jammed", "staff": "called"})
    journal.queue_reversal(keys[1], uuid.uuid4().hex, "document not printed")
    journal.reversal_failed(keys[1], "HostUnavailable", "2026-11-28T11:00:00.000")
    journal.close_session(session, "device_fault")
    return keys[0]


def transactions_needing_staff(s: Shooter) -> None:
    suspect = leftovers(s)
    s.mode.open_mode()
    s.sign_in("S1001", "zhou1001")
    s.save("home-transactions-waiting")
    s.click("staff-tile-maintenance")
    s.save("transactions-needing-staff")
    s.click("staff-settle_reason-refunded_at_counter")
    s.click(f"staff-settled-{suspect[:8]}")
    s.save("transaction-settled")
    s.click("staff-nav-home")
    s.click("staff-tile-journal")
    journal = s.kiosk.services.journal
    loss = journal.sessions(s.engine.services.clock.now().date(), "loss_report")[0].id
    spool = s.kiosk.data_dir / "spool"
    before = set(spool.rglob("*.png"))
    s.click(f"staff-reprint-{loss[:8]}")
    s.spin(lambda: set(spool.rglob("*.png")) - before != set(), "the reprint")
    records = s.mode.screens["records"]
    records.findChild(QScrollArea).ensureWidgetVisible(records.sessions, 0, 400)
    s.save("journal-receipt-reprinted")
    [printed] = set(spool.rglob("*.png")) - before
    s.count += 1
    path = s.out / f"staff-{s.count:02d}-receipt-reprint.png"
    shutil.copyfile(printed, path)
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    s.click("staff-nav-home")
    s.click("staff-tile-maintenance")
    s.click("staff-verify-journal")
    s.spin(lambda: not s.desk.attention.verifying, "the journal chain check")
    s.save("journal-chain-checked")
    s.click("staff-close")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    run(parser.parse_args().out)


if __name__ == "__main__":
    main()
