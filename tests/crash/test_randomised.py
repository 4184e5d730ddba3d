"""Randomised runs (Hypothesis stateful): customers doing business across flows on ONE kiosk's data folder, with
host faults (lost replies, resets, refusals), device faults (a jammed dispenser, printers out of paper), crashes at
any crash point (a separate process killed with ``os._exit``) and restarts; after every step the invariants of
kiosk/app/invariants.py hold, and after every restart nothing is left unfinished.

The default run tries a few short programs; ``-m crash`` many longer ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kiosk.app.compose import build_kiosk
from kiosk.app.crash_matrix import FAST, _kiosk, _sets
from kiosk.app.invariants import check, demo_secrets
from kiosk.app.scenario import load_scenario, run_scenario, scenario_config
from kiosk.app.scenario_driver import ScenarioFailure
from kiosk.core.crash import CRASH_ENV, POINTS
from kiosk.engine.recovery import recover

HERE = Path(__file__).resolve().parents[1] / "scenarios"
# Business with money, cards and documents, with the faults their own scenarios already inject.
POOL = (
    "si_payment/happy_path.toml", "si_payment/lost_reply.toml", "si_payment/outcome_unknown.toml",
    "si_payment/host_refuses.toml", "si_payment/printer_paper_out.toml", "si_payment/cancel_while_posting.toml",
    "transfer/happy_path.toml", "transfer/lost_reply.toml",
    "account_opening/happy_path.toml", "account_opening/dispenser_empty.toml", "account_opening/lost_reply.toml",
    "account_opening/card_not_taken.toml",
    "statement_print/with_fee.toml", "statement_print/docprinter_paper_out.toml",
    "utility_payment/happy_path.toml", "time_deposit_open/happy_path.toml",
)
OVERRIDES = dict(item.split("=", 1) for item in FAST)
SECRETS = demo_secrets()


def _overrides() -> dict[str, object]:
    return {key: value.strip('"') for key, value in OVERRIDES.items()}


class KioskLife(RuleBasedStateMachine):
    """One kiosk's life: sessions, faults, crashes and restarts on the same journal, devices and host books."""

    done: dict[str, int] = {"sessions": 0, "crashes": 0, "restarts": 0}  # over a whole run, for the test to see

    @initialize()
    def new_kiosk(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-life-"))
        self.data_dir = self.root / "kiosk"
        self.crashed = False
        self.restarted = True
        self.served = False  # a session ended last (not a start): an answer the host never gave may wait

    @rule(name=st.sampled_from(POOL))
    def customer_does_business(self, name: str) -> None:
        """A session, start to end (the kiosk starts, recovers what a crash left, serves, and closes)."""
        try:
            run_scenario(load_scenario(HERE / name), data_dir=self.data_dir, overrides=_overrides())
        except ScenarioFailure:
            pass  # the scenario's own expectations may not hold in a kiosk with a past; the invariants must
        KioskLife.done["sessions"] += 1
        self.restarted = True
        self.crashed = False
        self.served = True

    @rule(name=st.sampled_from(POOL), point=st.sampled_from(sorted(POINTS)), nth=st.integers(1, 2))
    def power_cut_during_business(self, name: str, point: str, nth: int) -> None:
        """The same, in its own process, which dies at once at a crash point (if the session passes it)."""
        _kiosk(["scenario", "run", str(HERE / name), "--data-dir", str(self.data_dir), *_sets()],
               {CRASH_ENV: f"{point}:{nth}"})
        KioskLife.done["crashes"] += 1
        self.crashed = True
        self.restarted = False

    @rule()
    def restart(self) -> None:
        """The kiosk starts again: recovery before service, then it stops (nobody came)."""
        config = scenario_config(None, _overrides())
        kiosk = build_kiosk(config, data_dir=self.data_dir, recover_now=False)
        try:
            recover(kiosk.services)
        finally:
            kiosk.close()
        KioskLife.done["restarts"] += 1
        self.restarted = True
        self.crashed = False
        self.served = False

    @invariant()
    def the_books_agree(self) -> None:
        if not (self.data_dir / "journal.sqlite").exists():
            return
        problems = check(self.data_dir, terminal=self.restarted, secrets=SECRETS, unknown_waits=self.served)
        assert not problems, "\n".join(f"{p.invariant}: {p.detail}" for p in problems)


def _run(examples: int, steps: int, derandomize: bool) -> None:
    """Hypothesis tries the empty program first: enough examples that sessions, crashes and restarts all happen.
    ``derandomize``: the same programs every run (the default suite: a red CI is a change's, not a draw's)."""
    KioskLife.done.update(sessions=0, crashes=0, restarts=0)
    test = KioskLife.TestCase
    test.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                             suppress_health_check=list(HealthCheck), print_blob=True,
                             derandomize=derandomize, database=None if derandomize else settings.default.database)
    test("runTest").runTest()
    done = KioskLife.done
    assert done["sessions"] + done["crashes"] > 0, done  # business was done (to its end, or to a power cut)
    assert done["crashes"] > 0, done  # and some of it died where it was told to


@pytest.mark.slow
@pytest.mark.timeout(900)  # eight programs of kiosk starts, sessions and crashes: minutes, not the suite's 120 s
def test_randomised_business_faults_crashes_and_restarts_keep_the_books() -> None:
    _run(examples=int(os.environ.get("KIOSK_RANDOM_EXAMPLES", "8")), steps=5, derandomize=True)


@pytest.mark.crash
@pytest.mark.timeout(0)
def test_long_randomised_runs_keep_the_books() -> None:
    _run(examples=int(os.environ.get("KIOSK_RANDOM_EXAMPLES", "25")), steps=12, derandomize=False)
