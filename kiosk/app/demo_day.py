"""A seeded demo day (``kiosk journal demo-day``): hundreds of customers at one kiosk on the simulators, so the
plan's measures (kiosk/journal/kpi.py) have a day to report. The same date, count and seed give the same day.

How the day is made (docs/kpi.md):

- **One kiosk**, built once with a ``ManualClock`` set to the date at 09:00, on the in-process simulators
  (:data:`DEMO_OVERRIDES`: the behavioural ID card reader and bank card reader, and faces decided from the camera
  simulator's scene: the real face matcher costs seconds a face). The journal is the configured one, or the
  given data folder's.
- **Arrivals** spread over opening hours (:data:`OPENING_HOURS`, busier mid-morning and mid-afternoon:
  :data:`HOUR_WEIGHTS`); a customer who arrives while the kiosk is busy waits for it.
- **The customer mix** (:data:`FLOW_WEIGHTS`, relative; a flow not listed weighs :data:`DEFAULT_WEIGHT`): each
  customer picks a flow of the catalogue that has scenario files (tests/scenarios/<flow>/; flows without are
  left out). :data:`HAPPY_SHARE` of them follow a happy path, the elderly variant for :data:`ELDERLY_SHARE`
  where the flow has one; the others one of the flow's other scenarios (failures, cancels, timeouts, staff
  approvals), except those that need their own configuration or real seconds of host delay.
- **Each session** is a scenario file played by the scenario driver (kiosk/app/scenario_driver.py) with the
  customer's think time before each thing they do (:mod:`kiosk.app.demo_customer`), advanced on the manual
  clock. Between sessions the host simulator is reseeded (``/sim/reset``) and the devices are serviced (faults
  cleared, cards and slips taken, bins emptied, paper and stock refilled), so no session changes the next.
- **Satisfaction** is answered after completed sessions from :data:`kiosk.app.demo_customer.SURVEY_ANSWERS`.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from kiosk.app.compose import Kiosk, build_kiosk
from kiosk.app.config import KioskConfig
from kiosk.app.demo_customer import Customer, DemoDriver, answer_survey, service_devices
from kiosk.app.qa import SimulatorControls
from kiosk.app.scenario import Scenario, fault_problem, load_scenario
from kiosk.app.scenario_driver import ScenarioFailure
from kiosk.core.clock import ManualClock
from kiosk.engine.screens import Input, InputKind

DEMO_OVERRIDES = {"devices.idcard.backend": "behavioural", "devices.smartcard.backend": "sim", "face.matcher": "sim"}
SCENARIO_DIR = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
OPENING_HOURS = (9, 17)  # 09:00 to 17:00
HOUR_WEIGHTS = {9: 0.8, 10: 1.4, 11: 1.3, 12: 0.7, 13: 0.8, 14: 1.3, 15: 1.2, 16: 0.9}
# A branch's walk-in customers at a smart teller, relative: payments, cards and PINs, statements lead.
FLOW_WEIGHTS = {
    "si_payment": 10, "utility_payment": 8, "statement_print": 7, "pin_reset": 7, "account_opening": 7,
    "transfer": 6, "balance_inquiry": 6, "ebanking_signup": 6, "queue_ticket": 8, "appointment_pickup": 5,
    "sms_alerts": 5, "loss_report": 5, "card_activate": 4, "profile_update": 4, "time_deposit_open": 4,
    "card_replace": 3, "pin_change": 3, "loss_release": 3, "credit_report": 3, "ss_card_activate": 3,
    "consumer_loan_apply": 3, "deposit_certificate": 2, "fx_purchase": 2, "account_close": 2,
    "branch_identity_check": 2, "feedback": 2, "corporate_account_precheck": 1,
}
DEFAULT_WEIGHT = 2
HAPPY_SHARE = 0.8
ELDERLY_SHARE = 0.25  # of the happy paths, in flows with an elderly happy path
MIN_GAP_S = 10.0  # between one customer leaving and the next starting


@dataclass(frozen=True)
class Played:
    path: Path
    scenario: Scenario

    @property
    def happy(self) -> bool:
        return "happy_path" in self.path.stem

    @property
    def elderly(self) -> bool:
        return self.scenario.setup.elderly or "elderly" in self.path.stem


@dataclass
class FlowScenarios:
    happy: list[Played] = field(default_factory=list)
    elderly: list[Played] = field(default_factory=list)
    other: list[Played] = field(default_factory=list)


@dataclass
class DemoSummary:
    day: date
    sessions: int = 0
    happy: int = 0
    elderly: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)  # scenarios whose expectation did not hold
    first_start: str = ""
    last_end: str = ""
    wall_s: float = 0.0
    journal: Path | None = None
    flows: list[str] = field(default_factory=list)


def playable(kiosk: Kiosk, flows: list[str], root: Path = SCENARIO_DIR) -> dict[str, FlowScenarios]:
    """Each flow's scenario files that one kiosk can play in turn: no configuration of their own, no real
    seconds of host delay, faults its simulators have."""
    found: dict[str, FlowScenarios] = {}
    for flow in flows:
        for path in sorted((root / flow).glob("*.toml")):
            scenario = load_scenario(path)
            delays = any(a.host_fault is not None and a.host_fault.delay_s > 0 for a in scenario.step)
            if scenario.flow != flow or scenario.config or delays or fault_problem(scenario, kiosk.sim_controls):
                continue
            played = Played(path, scenario)
            group = found.setdefault(flow, FlowScenarios())
            (group.elderly if played.happy and played.elderly else group.happy if played.happy else group.other
             ).append(played)
    return {flow: group for flow, group in found.items() if group.happy}


def arrivals(rng: random.Random, count: int, day: date) -> list[datetime]:
    hours = list(HOUR_WEIGHTS)
    picked = rng.choices(hours, weights=[HOUR_WEIGHTS[h] for h in hours], k=count)
    opening = datetime.combine(day, datetime.min.time())
    return sorted(opening + timedelta(hours=h, seconds=rng.uniform(0, 3600)) for h in picked)


def choose(rng: random.Random, scenarios: dict[str, FlowScenarios]) -> Played:
    flows = sorted(scenarios)
    flow = rng.choices(flows, weights=[FLOW_WEIGHTS.get(f, DEFAULT_WEIGHT) for f in flows])[0]
    group = scenarios[flow]
    if rng.random() < HAPPY_SHARE or not group.other:
        if group.elderly and rng.random() < ELDERLY_SHARE:
            return rng.choice(group.elderly)
        return rng.choice(group.happy)
    return rng.choice(group.other)


def run_demo_day(config: KioskConfig, day: date, sessions: int = 300, seed: int = 1,
                 data_dir: Path | None = None) -> DemoSummary:
    """Play ``sessions`` customers on ``day`` into the journal of ``data_dir`` (default: the configured one)."""
    started = time.monotonic()
    rng = random.Random(f"{day.isoformat()}/{seed}")
    clock = ManualClock(datetime.combine(day, datetime.min.time()) + timedelta(hours=OPENING_HOURS[0]))
    kiosk = build_kiosk(config, clock=clock, strict=True, data_dir=data_dir or config.data_dir)
    summary = DemoSummary(day, journal=(kiosk.data_dir or config.data_dir) / "journal.sqlite")
    try:
        scenarios = playable(kiosk, sorted(kiosk.engine.flows))
        summary.flows = sorted(scenarios)
        if not scenarios:
            raise ScenarioFailure(f"no flow has scenario files under {SCENARIO_DIR}")
        qa = SimulatorControls(kiosk)
        free_at = clock.now()
        for arrival in arrivals(rng, sessions, day):
            start = max(arrival, free_at + timedelta(seconds=MIN_GAP_S))
            clock.advance(max(0.0, (start - clock.now()).total_seconds()))
            service_devices(kiosk, qa)
            _play(kiosk, qa, choose(rng, scenarios), Customer(rng), summary)
            free_at = clock.now()
    finally:
        kiosk.close()
    summary.wall_s = time.monotonic() - started
    return summary


def _play(kiosk: Kiosk, qa: SimulatorControls, played: Played, customer: Customer, summary: DemoSummary) -> None:
    scenario = played.scenario
    customer.elderly = played.elderly
    with DemoDriver(kiosk, qa, customer) as driver:  # one per session: it stops listening when done
        try:
            driver.setup(scenario.setup, scenario.flow)
            for number, action in enumerate(scenario.step, 1):
                driver.perform(number, action)
            report = driver.finish()
            failures = driver.check(scenario.expect, driver.result(scenario.name, scenario.flow, report))
        except ScenarioFailure as exc:
            failures = [str(exc)]
            _end_session(kiosk, driver)
        if failures:
            summary.unexpected.append(f"{played.path.parent.name}/{played.path.stem}: {failures[0]}")
        record = kiosk.services.journal.session(driver.session_id) if driver.session_id else None
        if record is not None:
            outcome = record.outcome.value if record.outcome else "open"
            summary.outcomes[outcome] = summary.outcomes.get(outcome, 0) + 1
            summary.first_start = summary.first_start or record.started_at[11:19]
            summary.last_end = (record.ended_at or "")[11:19]
        summary.sessions += 1
        summary.happy += played.happy
        summary.elderly += played.elderly
        answer_survey(kiosk, driver, customer)


def _end_session(kiosk: Kiosk, driver: DemoDriver) -> None:
    """A scenario that could not go on: the customer cancels, or walks away until the kiosk times out."""
    engine = kiosk.engine
    if engine.session is None:
        return
    engine.send(Input(InputKind.CANCEL))
    if driver.settle(lambda: engine.session is None, timeout=5.0):
        return
    for _ in range(120):
        driver.advance(10.0)
        if engine.session is None:
            return
    raise ScenarioFailure(f"a session would not end; it is on {engine.screen.step!r}")


def summary_lines(summary: DemoSummary) -> list[str]:
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(summary.outcomes.items(), key=lambda kv: -kv[1]))
    lines = [f"demo day {summary.day.isoformat()}: {summary.sessions} sessions ({summary.happy} happy paths, "
             f"{summary.sessions - summary.happy} other scenarios, {summary.elderly} in elderly mode) from "
             f"{summary.first_start} to {summary.last_end}; {outcomes}",
             f"flows: {len(summary.flows)} ({', '.join(summary.flows)})",
             f"journal: {summary.journal}; {summary.wall_s:.0f} s"]
    if summary.unexpected:
        lines.append(f"{len(summary.unexpected)} session(s) went otherwise than their scenario expects:")
        lines += [f"  {line}" for line in summary.unexpected]
    return lines


def demo_config(config: KioskConfig) -> KioskConfig:
    """The configuration with the fast simulators (:data:`DEMO_OVERRIDES`)."""
    from kiosk.app.scenario import scenario_config

    return scenario_config(config.path, DEMO_OVERRIDES)
