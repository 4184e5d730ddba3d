"""Every shipped scenario on the default configuration, exactly as `kiosk scenario run FILE` runs it: the
real face matcher (dlib landmarks and MobileFaceNet in its worker process, liveness, the two-person check)
on the camera simulator's people, and the bank card as a virtual PBOC card behind the real pcscd and
vsmartcard's vpcd reader, read by the real PC/SC adapter. (tests/scenarios/test_scenarios.py runs them
again on the fast in-process simulators.)

The default run takes a representative subset: every flow's happy paths (standard and elderly) and the
scenarios that exercise the face matcher and the card reader hardest. The whole matrix is marked
``matrix`` and runs with ``scripts/test.sh -m matrix`` (about 15 minutes on 2 cores)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.smartcard.pcscd import PcscDaemon, PcscdUnavailable
from kiosk.app.scenario import load_scenario, run_scenario

HERE = Path(__file__).parent
# Beyond the happy paths, the scenarios that exercise the real face matcher and the PC/SC reader hardest.
REPRESENTATIVE = {
    "account_opening/two_people", "account_opening/minor_with_guardian", "account_opening/photo_liveness",
    "account_opening/face_fails_staff_verifies", "loss_report/still_photo", "si_payment/card_mute_retry",
    "si_payment/lost_reply", "si_payment/wrong_pin", "card_replace/wrong_old_card", "ss_card_activate/debit_card_inserted",
}


def representative(path: Path) -> bool:
    name = str(path.relative_to(HERE).with_suffix(""))
    return path.stem.startswith(("happy_path", "verbal_happy_path", "elderly_mode")) or name in REPRESENTATIVE


SCENARIOS = [pytest.param(p, id=str(p.relative_to(HERE).with_suffix("")),
                          marks=() if representative(p) else (pytest.mark.matrix,))
             for p in sorted(HERE.rglob("*.toml"))]

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


@pytest.mark.parametrize("path", SCENARIOS)
def test_scenario_on_the_default_config(path: Path, tmp_path: Path, pcscd: None) -> None:
    result = run_scenario(load_scenario(path), data_dir=tmp_path / "kiosk", overrides={})
    assert result["passed"], "\n".join(result["failures"]) + "\nscreens: " + " > ".join(
        s["step"] for s in result["screens"])
