"""Every shipped scenario on the default configuration, exactly as `kiosk scenario run FILE` runs it: the
real face matcher (dlib landmarks and MobileFaceNet in its worker process, liveness, the two-person check)
on the camera simulator's people, and the bank card as a virtual PBOC card behind the real pcscd and
vsmartcard's vpcd reader, read by the real PC/SC adapter. (tests/scenarios/test_scenarios.py runs them
again on the fast in-process simulators.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.smartcard.pcscd import PcscDaemon, PcscdUnavailable
from kiosk.app.scenario import load_scenario, run_scenario

HERE = Path(__file__).parent
SCENARIOS = sorted(HERE.rglob("*.toml"))

pytestmark = pytest.mark.pcsc


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each scenario's kiosk starts its own pcscd on its own vpcd port (kiosk/app/compose.py), as
    `kiosk scenario run` does; this checks once that one can be had here, or skips saying why."""
    daemon = PcscDaemon(tmp_path_factory.mktemp("pcscd") / "pcscd.log")
    try:
        daemon.start()
    except PcscdUnavailable as exc:
        pytest.skip(str(exc))
    finally:
        daemon.stop()


@pytest.mark.parametrize("path", SCENARIOS, ids=[str(p.relative_to(HERE).with_suffix("")) for p in SCENARIOS])
def test_scenario_on_the_default_config(path: Path, tmp_path: Path, pcscd: None) -> None:
    result = run_scenario(load_scenario(path), data_dir=tmp_path / "kiosk", overrides={})
    assert result["passed"], "\n".join(result["failures"]) + "\nscreens: " + " > ".join(
        s["step"] for s in result["screens"])
