"""Every scenario file under tests/scenarios runs headless on the simulators and the host simulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import catalogue
from kiosk.app.scenario import load_scenario, run_scenario

HERE = Path(__file__).parent
SCENARIOS = sorted(HERE.rglob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[str(p.relative_to(HERE).with_suffix("")) for p in SCENARIOS])
def test_scenario(path: Path, tmp_path: Path, test_overrides: dict) -> None:
    result = run_scenario(load_scenario(path), data_dir=tmp_path / "kiosk", overrides=test_overrides)
    (tmp_path / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    assert result["passed"], "\n".join(result["failures"]) + "\nscreens: " + " > ".join(
        s["step"] for s in result["screens"])


def test_every_flow_has_scenarios() -> None:
    flows = {load_scenario(p).flow for p in SCENARIOS}
    assert flows == set(catalogue())
