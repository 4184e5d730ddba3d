"""Fixtures for the face check: the camera simulator and one face worker per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.camera.sim import SimCamera
from devices.sim_profiles import People, load_people
from kiosk.core.clock import ManualClock
from kiosk.identity.worker import FaceWorker


@pytest.fixture(scope="module")
def face_worker() -> Iterator[FaceWorker]:
    """One worker process for the module (starting one takes 1-3 s)."""
    worker = FaceWorker()
    worker.wait_ready()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def people() -> People:
    return load_people()


@pytest.fixture
def camera(people: People) -> Iterator[SimCamera]:
    device = SimCamera(ManualClock(), people)
    yield device
    device.close()
