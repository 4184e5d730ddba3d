""""Step x of y" counts the screens this customer sees on this path: not host calls, picking a card or
printing the receipt, not branches the predicates do not take (kiosk/engine/render.py ``progress``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import catalogue
from kiosk.app.scenario import load_scenario, run_scenario

SCENARIOS = Path(__file__).parents[1] / "scenarios"
HAPPY_PATHS = {
    "si_payment": "si_payment/happy_path.toml",
    "loss_report": "loss_report/verbal_happy_path.toml",
    "account_opening": "account_opening/happy_path.toml",
    "account_opening_minor": "account_opening/minor_with_guardian.toml",
    "account_opening_face_declined": "account_opening/face_declined.toml",  # staff verify: a detour taken
}


def customer_screens(flow_id: str, screens: list[dict]) -> list[dict]:
    flow = catalogue()[flow_id]
    steps = {st.id for st in flow.steps if st.customer_step}
    return [s for s in screens if s["step"] in steps]


@pytest.mark.parametrize("name", list(HAPPY_PATHS))
def test_the_count_is_the_screens_the_customer_sees(name: str, tmp_path: Path, test_overrides: dict) -> None:
    path = SCENARIOS / HAPPY_PATHS[name]
    if not path.exists():
        pytest.skip(f"no scenario {path.name}")
    scenario = load_scenario(path)
    result = run_scenario(scenario, data_dir=tmp_path / "kiosk", overrides=test_overrides)
    assert result["passed"], result["failures"]
    seen = customer_screens(scenario.flow, result["screens"])
    steps = [s["step"] for s in seen]
    assert len(set(steps)) == len(steps)  # each customer step once on a happy path
    numbers = [s["progress"][0] for s in seen]
    assert numbers == list(range(1, len(seen) + 1))
    assert seen[-1]["progress"][1] == len(seen)  # the total, once the path is known, is what was seen
    for s in result["screens"]:
        if s["step"] not in steps and "progress" in s:  # the kiosk working: the number of the step before
            assert 1 <= s["progress"][0] <= len(seen)


def test_si_payment_counts_eight_screens(tmp_path: Path, test_overrides: dict) -> None:
    """consent, ID card, bill, bank card, fraud warning, confirm, PIN, result (no approval: under the limit)."""
    result = run_scenario(load_scenario(SCENARIOS / HAPPY_PATHS["si_payment"]), data_dir=tmp_path / "kiosk",
                          overrides=test_overrides)
    first = result["screens"][0]
    assert first["step"] == "consent"
    assert first["progress"] == [1, 8]  # the approval (over the limit?) is not known yet: not counted
    assert [s["progress"] for s in result["screens"] if s["step"] == "result"] == [[8, 8]]
