"""The demo day's customer (kiosk/app/demo_day.py): how long they take on each screen, how they answer the
satisfaction question, and the servicing between two customers.

Think time, seconds, drawn from a log-normal distribution before each thing the customer does on a screen
(a touch, a card or ID card put down or taken, a form typed, a PIN keyed), advanced on the manual clock:

- a touch: median :data:`THINK_MEDIAN_S` (spread :data:`THINK_SIGMA`: about 4 to 13 s for 80% of touches);
- a form: :data:`TYPING_FACTOR` times that; a PIN: the touch plus :data:`PIN_KEY_S` a key;
- elderly mode: :data:`ELDERLY_FACTOR` times all of it;
- a supervisor's approval: median :data:`STAFF_MEDIAN_S` (the supervisor walks over and checks);
- never so long that the screen's inactivity warning would come up (the scenario's own ``advance`` steps are
  what makes a customer walk away), nor over :data:`THINK_CAP_S` (doubled in elderly mode).

Nothing waits on the wall clock: the scenario driver's real-time waits are only for the simulators' threads.
"""

from __future__ import annotations

import math
import random
from typing import Any

from devices.simkit import QAControlError
from kiosk.app.compose import Kiosk
from kiosk.app.qa import QAError, SimulatorControls
from kiosk.app.scenario import Action
from kiosk.app.scenario_driver import Driver, ScenarioFailure
from kiosk.core.clock import ManualClock
from kiosk.engine.home import TAKE_CARD
from kiosk.engine.screens import Input, InputKind
from kiosk.engine.survey import REASONS

THINK_MEDIAN_S = 7.0
THINK_SIGMA = 0.45
TYPING_FACTOR = 2.5
PIN_KEY_S = 0.7
ELDERLY_FACTOR = 1.8
STAFF_MEDIAN_S = 45.0
THINK_CAP_S = 30.0
# After a completed session: (answer, standard customers' share, elderly customers' share). "timeout": they
# walk away and the question goes by itself (timeouts.satisfaction_s); "skip": they touch 跳过.
SURVEY_ANSWERS = (("satisfied", 0.70, 0.62), ("neutral", 0.07, 0.06), ("dissatisfied", 0.03, 0.03),
                  ("skip", 0.12, 0.09), ("timeout", 0.08, 0.20))
REASON_WEIGHTS = {"waiting": 3, "complicated": 3, "device": 1, "staff": 1, "fees": 1, "other": 1}
PAPER_REFILL_AT = 20  # receipts (A4 sheets: ten times as many) left when staff load paper
STOCK_REFILL_AT = 3  # stock cards left in the dispenser when staff add more


class Customer:
    """One customer's pace, drawn from the day's seeded random numbers."""

    def __init__(self, rng: random.Random, elderly: bool = False) -> None:
        self.rng = rng
        self.elderly = elderly

    def _lognormal(self, median: float) -> float:
        return median * math.exp(self.rng.gauss(0.0, THINK_SIGMA))

    def think(self, action: Action) -> float:
        """Seconds before ``action``; 0 for what is not the customer's doing (faults, waits, timed steps)."""
        if action.during or action.advance is not None or action.wait_idle:
            return 0.0
        if action.approve is not None:
            return self._lognormal(STAFF_MEDIAN_S)
        acts = (action.choose, action.submit, action.continue_, action.back, action.cancel, action.help,
                action.extend, action.language, action.pinpad, action.place_id, action.remove_id, action.insert_card,
                action.take_card, action.take_new_card, action.take_receipt, action.take_document, action.show_camera,
                action.camera)
        if not any(a not in (None, False) for a in acts):
            return 0.0
        seconds = self._lognormal(THINK_MEDIAN_S)
        if action.submit:
            seconds *= TYPING_FACTOR
        if action.pinpad:
            seconds += PIN_KEY_S * len(action.pinpad)
        return seconds * (ELDERLY_FACTOR if self.elderly else 1.0)

    def survey_answer(self) -> str:
        answers = [a for a, _, _ in SURVEY_ANSWERS]
        weights = [elderly if self.elderly else standard for _, standard, elderly in SURVEY_ANSWERS]
        return self.rng.choices(answers, weights=weights)[0]

    def reason(self) -> str:
        return self.rng.choices(REASONS, weights=[REASON_WEIGHTS[r] for r in REASONS])[0]


class DemoDriver(Driver):
    """The scenario driver with the customer's think time before each action, on the manual clock."""

    def __init__(self, kiosk: Kiosk, qa: SimulatorControls, customer: Customer) -> None:
        super().__init__(kiosk, qa)
        self.customer = customer

    def perform(self, number: int, action: Action) -> None:
        if action.expect:  # on the screen, ready for the customer; then they think; then they act
            try:
                self.wait_for_screen(action.expect)
            except ScenarioFailure as exc:
                raise ScenarioFailure(f"step {number}: {exc}") from None
            action = action.model_copy(update={"expect": None})
        self.think(self.customer.think(action))
        super().perform(number, action)

    def think(self, seconds: float) -> None:
        engine = self.engine
        left = engine.timer.left()
        session = engine.session
        cap = THINK_CAP_S * (2 if self.customer.elderly else 1)
        if left is not None and session is not None:
            cap = min(cap, left - engine.warning_timing(session)[0] - 2.0)
        seconds = min(seconds, cap)
        if seconds > 0:  # shorter than any deadline on this screen: nothing to wait for
            self.clock.advance(seconds)
            engine.pump()
            engine.tick()

    @property
    def clock(self) -> ManualClock:
        clock = self.kiosk.services.clock
        assert isinstance(clock, ManualClock)
        return clock


def answer_survey(kiosk: Kiosk, driver: DemoDriver, customer: Customer) -> None:
    """The satisfaction question after a completed session, answered as :data:`SURVEY_ANSWERS` says, each touch
    before the question goes by itself (a customer who lets it go is the "timeout" answer)."""
    engine = kiosk.engine
    survey = engine.home.survey
    if survey is None:
        return
    up = kiosk.services.settings.timeouts.for_customer("satisfaction_s", survey.elderly)
    answer = customer.survey_answer()
    if answer == "timeout":
        driver.clock.advance(up + 1.0)
        engine.tick()
        return

    def touch(seconds: float, choice: str) -> None:
        left = up - (driver.clock.monotonic() - survey.since) - 1.0
        driver.think(min(seconds, left))
        engine.send(Input(InputKind.CHOOSE, choice))

    touch(customer.think(Action(choose=answer)) / 2, answer)  # one touch, nothing to read but the question
    if answer == "dissatisfied":
        touch(customer.think(Action(choose="reason")), customer.reason())


def service_devices(kiosk: Kiosk, qa: SimulatorControls, reset_host: bool = True) -> None:
    """Between two customers: the home screen as a new customer finds it, the host simulator reseeded (unless
    not ``reset_host``), and what staff would do: faults cleared, whatever was left in a slot or before a camera taken, bins emptied,
    paper and cards refilled."""
    engine = kiosk.engine
    settings = kiosk.services.settings
    if engine.home.elderly:
        engine.send(Input(InputKind.ELDERLY, "off"))
    if engine.home.lang != settings.language:
        engine.send(Input(InputKind.LANGUAGE, settings.language))
    if reset_host:
        qa.reset_host()
    sims: dict[str, Any] = kiosk.sim_controls
    if engine.home.card_in:  # a card the last customer inserted and no step read: the card menu gives it back
        engine.send(Input(InputKind.CHOOSE, TAKE_CARD))
        with Driver(kiosk, qa) as driver:
            driver.settle(lambda: str(sims["smartcard"].position()) != "inside", timeout=10.0)
    for name, waiting, take in (("printer", "receipt_waiting", qa.take_receipt),
                                ("docprinter", "document_waiting", qa.take_document),
                                ("smartcard", "position", qa.take_bank_card),
                                ("dispenser", "card_at_gate", qa.take_new_card)):
        if name in sims and getattr(sims[name], waiting, lambda: None)() not in (None, False, "inside"):
            try:
                take()
            except (QAError, QAControlError):
                pass
    if "camera" in sims:  # nothing still held up to the cameras: the last customer took their bill or licence
        qa.show_camera("nobody")
    if "doccamera" in sims:
        qa.clear_document()
    qa.clear_device_faults()  # also forgets a card "taken ahead" of an eject that never came
    for name in ("smartcard", "dispenser"):
        empty = getattr(sims.get(name), "empty_retain_bin", None)
        if empty is not None:
            empty()
    _refill(kiosk, sims)
    qa.remove_id_card()
    qa.show_camera("nobody")


def _refill(kiosk: Kiosk, sims: dict[str, Any]) -> None:
    printer, docprinter, dispenser = sims.get("printer"), sims.get("docprinter"), sims.get("dispenser")
    if printer is not None and printer.paper_left() < PAPER_REFILL_AT:
        printer.load_paper(kiosk.config.devices.printer.paper)
    if docprinter is not None:
        counters = docprinter.status().counters
        if counters.get("paper", 0) < PAPER_REFILL_AT * 10:
            docprinter.load_paper(kiosk.config.devices.docprinter.paper)
        if counters.get("toner", 0) < PAPER_REFILL_AT * 10:
            docprinter.replace_toner(kiosk.config.devices.docprinter.toner)
    if dispenser is not None and dispenser.stock_count() < STOCK_REFILL_AT:
        from kiosk.app.staffdesk import stock_source

        dispenser.load(stock_source(kiosk.people, dispenser)(20))
