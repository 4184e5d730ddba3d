"""The flows that take a bank card, run with the protocol-level bank card simulator: a virtual PBOC card
behind the real pcscd and vsmartcard's vpcd reader, read by the real PC/SC adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.smartcard.pcscd import PcscDaemon, PcscdUnavailable
from kiosk.app.scenario import load_scenario, run_scenario

HERE = Path(__file__).parent
SCENARIOS = sorted(p for p in HERE.rglob("*.toml") if "bank_card" in p.read_text(encoding="utf-8")
                   or p.parent.name == "si_payment")

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
def test_scenario_on_pcsc(path: Path, tmp_path: Path, pcscd: None) -> None:
    result = run_scenario(load_scenario(path), data_dir=tmp_path / "kiosk",
                          overrides={"devices.smartcard.backend": "pcsc-sim", "face.matcher": "sim"})
    assert result["passed"], "\n".join(result["failures"]) + "\nscreens: " + " > ".join(
        s["step"] for s in result["screens"])
