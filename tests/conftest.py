"""Suite-wide set-up: Qt offscreen, the privacy sweep last, and a kiosk on simulators for tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis: the default run stays quick (modest examples, no deadline on a shared machine); the long
# fuzzing run is `HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/fuzz --timeout=0` (README "Fuzzing").
settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Most tests run the bank card reader's in-process simulator; the PC/SC simulator (one pcscd, one vpcd
# port) runs in the tests marked `pcsc`, one at a time.
# The face_recognition matcher (a worker process, ~2 s to start) runs in tests/identity; the rest decide
# faces from the camera simulator's scene.
TEST_OVERRIDES = {"devices.smartcard.backend": "sim", "face.matcher": "sim"}
os.environ.setdefault("QT_ACCESSIBILITY", "0")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The privacy sweep reads what every other test wrote, so it runs after them."""
    last = [item for item in items if item.get_closest_marker("privacy_sweep")]
    items[:] = [item for item in items if item not in last] + last


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "privacy_sweep: reads every file the suite wrote; runs last")


@pytest.fixture
def test_overrides() -> dict:
    return dict(TEST_OVERRIDES)


@pytest.fixture
def kiosk_factory(tmp_path: Path) -> Iterator:
    """Builds kiosks on simulators with a manual clock and the embedded host simulator; closes them after."""
    from kiosk.app.compose import build_kiosk
    from kiosk.app.scenario import scenario_config
    from kiosk.core.clock import ManualClock

    built = []

    def build(overrides: dict | None = None, **kwargs):
        config = scenario_config(None, {**TEST_OVERRIDES, **(overrides or {})})
        kiosk = build_kiosk(config, clock=kwargs.pop("clock", ManualClock()), strict=True,
                            data_dir=tmp_path / f"kiosk{len(built)}", **kwargs)
        built.append(kiosk)
        return kiosk

    yield build
    for kiosk in built:
        kiosk.close()


@pytest.fixture
def kiosk(kiosk_factory):
    return kiosk_factory()


@pytest.fixture
def driver(kiosk):
    from kiosk.app.qa import SimulatorControls
    from kiosk.app.scenario_driver import Driver

    return Driver(kiosk, SimulatorControls(kiosk))
