"""One real host simulator process for the host tests; the bank is reseeded before every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.host.client import HostClient
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import SimControl


@pytest.fixture(scope="session")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSimulatorProcess]:
    folder: Path = tmp_path_factory.mktemp("host")
    with HostSimulatorProcess(folder / "host.db", log_path=folder / "host.log") as process:
        yield process


@pytest.fixture
def sim(simulator: HostSimulatorProcess) -> Iterator[SimControl]:
    control = SimControl(simulator.base_url)
    control.reset()
    yield control
    control.clear_faults()
    control.close()


@pytest.fixture
def client(simulator: HostSimulatorProcess, sim: SimControl) -> Iterator[HostClient]:
    with HostClient(simulator.base_url, "KIOSK-T1", connect_timeout=2.0, read_timeout=5.0, retries=2,
                    retry_backoff=0.05) as host:
        yield host
