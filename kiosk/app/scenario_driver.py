"""Drives one kiosk session the way a customer and a tester would, for scenario files and tests."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Self

from devices.simkit import QAControlError
from kiosk.app.compose import Kiosk
from kiosk.app.qa import QAError, SimulatorControls
from kiosk.core.clock import ManualClock
from kiosk.engine.runtime import SessionReport
from kiosk.engine.screens import Input, InputKind, ScreenModel
from kiosk.host.api import SmsSendResult

if TYPE_CHECKING:
    from kiosk.app.scenario import Action, Expectation, Setup

WAIT_S = 20.0  # real seconds a step may wait for its screen before the scenario fails (a loaded machine)


class ScenarioFailure(Exception):
    """The scenario could not go on (a screen never came, a QA control was refused)."""


class Driver:
    def __init__(self, kiosk: Kiosk, qa: SimulatorControls) -> None:
        self.kiosk = kiosk
        self.engine = kiosk.engine
        self.qa = qa
        self.session_id: str | None = None
        self._on_behalf: Any = None  # kiosk.app.staffdesk.StaffOnBehalf, made on the first approval
        self.texts: dict[str, set[str]] = {}  # screen -> the texts it showed (kept in memory only)
        self.engine.subscribe(self._seen)

    def close(self) -> None:
        """Stop listening to the engine: a driver made per session on a long-lived kiosk (the demo day, the
        soak) would otherwise be kept, with every text it saw, and called for every later screen."""
        self.engine.unsubscribe(self._seen)
        if self._on_behalf is not None:
            self._on_behalf.close()
            self._on_behalf = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _seen(self, screen: ScreenModel) -> None:
        if screen.session_id is None:
            return
        texts = self.texts.setdefault(screen.step, set())
        texts.update(t for t in (screen.title, screen.prompt, screen.notice, screen.error) if t)
        texts.update(part for row in screen.rows for part in (row.label, row.value) if part)

    # --- waiting ---------------------------------------------------------------------------
    def settle(self, until: Any = None, timeout: float = WAIT_S) -> bool:
        """Pump results until ``until()`` holds (or, without it, until nothing arrives for a moment)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            handled = self.engine.pump(wait=0.02)
            self.engine.tick()
            if until is not None and until():
                return True
            if until is None and not handled and not self._working():
                return True
        return False

    def _working(self) -> bool:
        return self.engine.busy

    def wait_for_screen(self, step: str, ready: bool = True) -> None:
        if not self.settle(lambda: self.engine.screen.step == step and not (ready and self.engine.busy)):
            screen = self.engine.screen
            raise ScenarioFailure(f"expected screen {step!r}, still on {screen.step!r} after {WAIT_S:.0f} s"
                                  + (f" (showing: {screen.error})" if screen.error else ""))

    # --- setup and actions -----------------------------------------------------------------
    def setup(self, setup: Setup, flow: str) -> None:
        try:
            self.qa.show_camera(setup.camera)
            if setup.idcard:
                self.qa.place_id_card(setup.idcard)
            if setup.bank_card:
                self.qa.insert_bank_card(setup.bank_card)
            if setup.takes:
                self.qa.take_bank_card()
                self.qa.take_new_card()
        except (QAError, QAControlError) as exc:  # QA's hands could not act (no such card, no reader): one line
            raise ScenarioFailure(f"setup: {exc}") from None
        if setup.lang:
            self.engine.send(Input(InputKind.LANGUAGE, setup.lang))
        if setup.elderly:
            self.engine.send(Input(InputKind.ELDERLY, "on"))
        if flow not in self.engine.flows:
            raise ScenarioFailure(f"no flow {flow!r}; flows: {', '.join(sorted(self.engine.flows))}")
        self.engine.send(Input(InputKind.START, flow))
        if self.engine.session is None:
            choice = next((c for c in self.engine.screen.choices if c.id == flow), None)
            down = [f"{name}: {d.status().detail or d.status().state}" for name, d in self.kiosk.devices.by_name().items()
                    if name in self.engine.flows[flow].devices and d.status().state not in ("ok", "busy")]
            raise ScenarioFailure(f"flow {flow!r} is not offered ({choice.detail if choice else 'out of service'}); "
                                  + "; ".join(down))
        self.session_id = self.engine.session.id

    def perform(self, number: int, action: Action) -> None:
        try:
            if action.expect:
                self.wait_for_screen(action.expect)
            if action.during:
                self.wait_for_screen(action.during, ready=False)
            if action.expect_error is not None:
                # An error may take a device or the face check a while (WAIT_S); no error is watched for 2 s.
                self.settle(lambda: bool(self.engine.screen.error) == action.expect_error,
                            timeout=WAIT_S if action.expect_error else 2.0)
                if bool(self.engine.screen.error) != action.expect_error:
                    raise ScenarioFailure(f"expected {'an' if action.expect_error else 'no'} error on "
                                          f"{self.engine.screen.step!r}, got {self.engine.screen.error!r}")
            self._hands(action)
            self._input(action)
            if action.advance is not None:
                self.advance(action.advance)
            if action.wait_idle:
                self.settle()
        except (QAError, QAControlError) as exc:
            raise ScenarioFailure(f"step {number}: {exc}") from None
        except ScenarioFailure as exc:
            raise ScenarioFailure(f"step {number}: {exc}") from None

    def _hands(self, a: Action) -> None:
        qa = self.qa
        if a.device_fault:
            qa.device_fault(a.device_fault.device, a.device_fault.fault, a.device_fault.times)
        if a.host_fault:
            qa.host_fault(a.host_fault.op, a.host_fault.kind, a.host_fault.times, a.host_fault.delay_s)
        if a.host_advance:
            qa.host_advance(a.host_advance)
        if a.camera:
            qa.show_camera(a.camera)
        if a.show_camera:
            self._show(a.show_camera)
        if a.remove_document:
            qa.clear_document()
        if a.show_document:
            self._lay(a.show_document)
        if a.remove_id:
            self._remove_id_card(then_place=a.place_id is not None)
        if a.place_id:
            qa.place_id_card(a.place_id)
        if a.insert_card:
            qa.insert_bank_card(a.insert_card)
        if a.take_card:
            qa.take_bank_card()
        if a.take_new_card:
            qa.take_new_card()
        if a.take_receipt:
            qa.take_receipt()
        if a.take_document:
            self.settle(lambda: getattr(self.kiosk.devices.docprinter, "document_waiting", lambda: None)() is not None)
            qa.take_document()
        if a.pinpad:
            qa.press_keys(a.pinpad)

    def _show(self, shown: Any) -> None:
        """``show_camera``: exactly one of a code and a picture."""
        if (shown.code is None) == (shown.picture is None):
            raise ScenarioFailure("show_camera: give either code or picture")
        try:
            if shown.code is not None:
                self.qa.show_code(shown.code, shown.symbology, shown.damaged)
            else:
                self.qa.show_picture(shown.picture)
        except ValueError as exc:  # a symbology or picture the camera simulator refuses
            raise ScenarioFailure(f"show_camera: {exc}") from None

    def _lay(self, shown: Any) -> None:
        """``show_document``: exactly one of a licence, a picture and a code, under the document camera."""
        try:
            self.qa.show_document(licence=shown.licence, picture=shown.picture, code=shown.code,
                                  symbology=shown.symbology, damaged=shown.damaged)
        except ValueError as exc:  # no such licence or picture, a symbology the simulator refuses
            raise ScenarioFailure(f"show_document: {exc}") from None

    def _remove_id_card(self, then_place: bool) -> None:
        """Take the ID card off the reader. When the same step places another, first wait until the
        reader has polled the empty field, as a person's hands take that long: a reader reads a card once
        until it has left, so a card swapped in unseen would never be read."""
        before = self.qa.id_card_empty_polls()
        self.qa.remove_id_card()
        if not then_place or before is None:
            return
        if not self.settle(lambda: (self.qa.id_card_empty_polls() or 0) > before):
            raise ScenarioFailure(f"the ID card reader did not poll the empty field within {WAIT_S:.0f} s "
                                  "(is a read running on this screen?)")

    def _input(self, a: Action) -> None:
        inp: Input | None = None
        if a.choose is not None:
            choice = a.choose
            self.settle(lambda: any(c.id == choice for c in self.engine.screen.choices), timeout=WAIT_S)
            inp = Input(InputKind.CHOOSE, choice)
        elif a.submit is not None:
            inp = Input(InputKind.SUBMIT, values={k: self._resolve(v) for k, v in a.submit.items()})
        elif a.continue_:
            inp = Input(InputKind.CONTINUE)
        elif a.back:
            inp = Input(InputKind.BACK)
        elif a.cancel:
            inp = Input(InputKind.CANCEL)
        elif a.help:
            inp = Input(InputKind.HELP)
        elif a.extend:
            inp = Input(InputKind.EXTEND)
        elif a.language:
            inp = Input(InputKind.LANGUAGE, a.language)
        elif a.approve is not None:
            self._approve(a.approve.staff, a.approve.decision, a.approve.reason)
        if inp is not None:
            self.engine.send(inp)

    def _approve(self, staff: str, decision: str, reason: str) -> None:
        """The named member of staff signs in (demo password) and decides at the staff desk. A decision
        the desk refuses (a maintenance account, the same supervisor twice) is journaled, not applied."""
        from kiosk.app.staffdesk import StaffOnBehalf, build_staff_desk

        if self._on_behalf is None:
            self._on_behalf = StaffOnBehalf(build_staff_desk(self.kiosk), self.kiosk.people)
        on_behalf = self._on_behalf
        on_behalf.approve(staff, decision, reason)
        self.settle(lambda: on_behalf.waiting is None)
        if on_behalf.waiting is not None or (on_behalf.refused or "").startswith(("staff.sign_in", "no demo")):
            raise ScenarioFailure(f"staff {staff} could not sign in: {on_behalf.refused or 'no answer'}")

    def _resolve(self, value: str) -> str:
        if value == "{sms_code}":
            session = self.engine.session
            sms = session.found(SmsSendResult) if session is not None else None
            if sms is None:
                raise ScenarioFailure("{sms_code}: no SMS code was sent in this session")
            return self.qa.sms_code(sms.sms_ref)
        return value

    def advance(self, seconds: float) -> None:
        clock = self.kiosk.services.clock
        if not isinstance(clock, ManualClock):
            raise ScenarioFailure("advance needs the manual clock")
        remaining = seconds
        while remaining > 0:  # in steps, so the warning and the device deadlines are seen on the way
            step = min(1.0, remaining)
            clock.advance(step)
            remaining -= step
            self.settle(timeout=0.05)

    # --- the end ---------------------------------------------------------------------------
    def finish(self) -> SessionReport:
        if not self.settle(lambda: self.engine.session is None, timeout=WAIT_S * 2):
            screen = self.engine.screen
            raise ScenarioFailure(f"the session did not end; it is on {screen.step!r} ({screen.kind.value})")
        report = self.engine.last_report
        assert report is not None
        return report

    def result(self, name: str, flow: str, report: SessionReport) -> dict[str, Any]:
        from kiosk.app.scenario_report import host_effects, screens_visited

        state = self.qa.host_state()
        return {
            "scenario": name, "flow": flow, "outcome": report.outcome, "message": report.reason,
            "session_id": report.session_id, "screens": screens_visited(report.trail),
            "references": report.references,
            "host_effects": host_effects(self.kiosk, report.session_id, state),
            "devices": self._device_effects(report.session_id),
        }

    def partial(self, name: str, flow: str, failure: str) -> dict[str, Any]:
        from kiosk.app.scenario_report import screens_visited

        trail = self.engine.session.trail if self.engine.session else []
        return {"scenario": name, "flow": flow, "outcome": None, "session_id": self.session_id,
                "screens": screens_visited(trail), "failures": [failure]}

    def _device_effects(self, session_id: str) -> dict[str, Any]:
        journal = self.kiosk.services.journal
        entries = journal.entries(session_id)
        printed = any(e.name == "printer.print_receipt" and (e.detail or {}).get("ok") for e in entries)
        retained = len(self.kiosk.devices.dispenser.retained()) if self.kiosk.devices.dispenser else 0
        retained += len(getattr(self.kiosk.devices.smartcard, "retained", list)())
        stale = sum(1 for e in entries if e.kind == "stale")
        document = any(e.name == "docprinter.print_document" and (e.detail or {}).get("ok") for e in entries)
        spool = self.kiosk.data_dir / "spool" / "documents" if self.kiosk.data_dir else None
        left = len(list(spool.glob("*.pdf"))) if spool is not None and spool.exists() else 0
        return {"receipt_printed": printed, "retained_cards": retained, "stale_results": stale,
                "document_printed": document, "spool_documents": left}

    def check(self, expect: Expectation, result: dict[str, Any]) -> list[str]:
        """The expectation against the result, then against what the screens and the receipt said and the
        journal kept (checked here, not put in the result: they may name the customer, masked)."""
        from kiosk.app.scenario_report import check_expectation, check_journal, check_texts

        failures = check_expectation(expect, result)
        for step, wanted in expect.shown.items():
            failures += check_texts(f"screen {step!r}", wanted, self.texts.get(step, set()))
        if expect.receipt:
            last = getattr(self.kiosk.devices.printer, "last_receipt", lambda: None)()
            said = {last.title, *(part for line in last.lines for part in (line.label, line.value))} if last else set()
            failures += check_texts("the receipt", expect.receipt, said)
        if expect.journal:
            entries = self.kiosk.services.journal.entries(result["session_id"])
            failures += check_journal(expect.journal, [f"{e.kind}:{e.name}" for e in entries])
        return failures
