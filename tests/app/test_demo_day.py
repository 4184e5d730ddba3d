"""``kiosk journal demo-day``: a small seeded day on the simulators that the plan's measures read; the same seed
gives the same figures; and nothing personal reaches the report."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from devices.sim_profiles import load_people
from kiosk.app.cli import main
from kiosk.app.demo_customer import Customer, service_devices
from kiosk.app.demo_day import DEMO_OVERRIDES, SCENARIO_DIR, DemoSummary, Played, _play
from kiosk.app.qa import SimulatorControls
from kiosk.app.scenario import Action, load_scenario
from kiosk.app.staffdesk import build_staff_desk
from kiosk.core.clock import ManualClock
from kiosk.journal import Journal

DAY = "2026-11-30"


def demo(tmp_path: Path, name: str, sessions: int, seed: int) -> Path:
    data_dir = tmp_path / name
    assert main(["journal", "demo-day", "--date", DAY, "--sessions", str(sessions), "--seed", str(seed),
                 "--data-dir", str(data_dir)]) == 0
    return data_dir


def kpi(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> str:
    capsys.readouterr()
    assert main(["journal", "kpi", "--from", DAY, "--data-dir", str(data_dir), *argv]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo(tmp_path_factory.mktemp("demo"), "day", 20, 3)


def test_a_small_day_the_measures_read(demo_day: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Journal(demo_day / "journal.sqlite") as journal:
        sessions = journal.sessions()
    assert len(sessions) == 20
    assert all(s.ended_at is not None for s in sessions)
    assert {s.started_at[:10] for s in sessions} == {DAY}
    assert all("09:00" <= s.started_at[11:16] < "18:00" for s in sessions)
    assert len({s.flow_id for s in sessions}) > 5
    data = json.loads(kpi(capsys, demo_day, "--json"))
    total = data["period"]["total"]
    assert total["sessions"] == 20
    assert total["completed"] >= 12  # about 80% happy paths
    assert 20 <= total["median_s"] <= 600  # the customers' think time is on the clock
    assert total["p90_s"] >= total["median_s"]
    assert total["satisfaction"]["asked"] == total["completed"]
    assert sum(data["period"]["sessions_by_hour"].values()) == 20


def test_the_same_seed_makes_the_same_day(demo_day: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    again = demo(tmp_path, "again", 20, 3)
    assert kpi(capsys, again, "--json") == kpi(capsys, demo_day, "--json")


def test_a_day_is_made_once(demo_day: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    status = main(["journal", "demo-day", "--date", DAY, "--sessions", "2", "--data-dir", str(demo_day)])
    err = capsys.readouterr().err
    assert status == 1
    assert err == (f"kiosk: the journal at {demo_day / 'journal.sqlite'} already has 20 sessions on {DAY}; "
                   "give another --date or --data-dir\n")


def test_nothing_personal_in_the_report(demo_day: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = kpi(capsys, demo_day)
    data = kpi(capsys, demo_day, "--json")
    kpi(capsys, demo_day, "--out", str(tmp_path / "kpi.html"))
    page = (tmp_path / "kpi.html").read_text(encoding="utf-8")
    people = load_people()
    with Journal(demo_day / "journal.sqlite") as journal:
        session_ids = [s.id for s in journal.sessions()]
    needles = [*session_ids, *(s[:8] for s in session_ids)]
    needles += [card.id_number for card in people.id_cards.values()]
    needles += [card.name for card in people.id_cards.values()]
    needles += [profile.card.pan for profile in people.bank_cards.values()]
    for output in (text, data, page):
        leaks = [n for n in needles if n in output]
        assert not leaks
        assert "*" not in output  # no masked number either


def test_elderly_customers_take_longer_and_staff_longer_still() -> None:
    touch = Action(choose="agree")
    standard = [Customer(random.Random(n)).think(touch) for n in range(200)]
    elderly = [Customer(random.Random(n), elderly=True).think(touch) for n in range(200)]
    assert all(e == pytest.approx(s * 1.8) for s, e in zip(standard, elderly, strict=True))
    assert Customer(random.Random(1)).think(Action(advance=30)) == 0
    assert Customer(random.Random(1)).think(Action(expect="pin")) == 0
    staff = [Customer(random.Random(n)).think(Action.model_validate({"approve": {"staff": "S1001"}}))
             for n in range(200)]
    assert sorted(staff)[100] > sorted(standard)[100] * 4


def test_sessions_on_one_kiosk_leave_no_listener_behind(kiosk_factory) -> None:
    """The demo day and the soak play thousands of sessions on one kiosk: each session's driver stops listening
    when it ends (it once stayed subscribed, keeping every text it saw and growing the process without bound)."""
    clock = ManualClock(datetime(2026, 11, 30, 10))
    kiosk = kiosk_factory(DEMO_OVERRIDES, clock=clock)
    qa, rng, summary = SimulatorControls(kiosk), random.Random(5), DemoSummary(date(2026, 11, 30))
    paths = [SCENARIO_DIR / name for name in ("si_payment/happy_path.toml", "balance_inquiry/happy_path.toml",
                                              "account_close/happy_path.toml")]  # the last has staff approve
    sessions = [Played(path, load_scenario(path)) for path in paths] * 2
    desk = build_staff_desk(kiosk)
    listeners, desk_listeners = len(kiosk.engine._listeners), len(desk._listeners)
    for played in sessions:
        clock.advance(30.0)
        service_devices(kiosk, qa)
        _play(kiosk, qa, played, Customer(rng), summary)
    assert summary.sessions == 6
    assert not summary.unexpected, summary.unexpected
    assert len(kiosk.engine._listeners) == listeners
    assert len(desk._listeners) == desk_listeners
