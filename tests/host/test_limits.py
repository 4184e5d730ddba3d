"""The kiosk's limits reach the host simulator: wrong SMS codes and wrong PINs, as configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.context import HostLimits
from kiosk.host.sim.process import HostSimulatorProcess

from .helpers import ZHANG_MOBILE, call, pay_payload


@pytest.fixture(scope="module")
def strict_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostClient]:
    folder: Path = tmp_path_factory.mktemp("strict-host")
    with HostSimulatorProcess(folder / "host.db", log_path=folder / "host.log",
                              limits=HostLimits(sms_tries=1, pin_tries=2)) as process, \
            HostClient(process.base_url, "KIOSK-T2", connect_timeout=2.0, read_timeout=5.0, retries=0) as client:
        yield client


def _refused(client: HostClient, op: str, payload: dict) -> HostRejected:
    with pytest.raises(HostRejected) as refused:
        call(client, op, payload)
    return refused.value


def test_one_sms_try_uses_the_code_up_at_the_first_wrong_one(strict_host: HostClient) -> None:
    sent = call(strict_host, "sms.send_code", {"mobile": ZHANG_MOBILE, "purpose": "open_account"})
    verify = {"sms_ref": sent["sms_ref"], "code": "000000"}
    assert _refused(strict_host, "sms.verify_code", verify).details == {"tries_left": 0}
    used_up = _refused(strict_host, "sms.verify_code", verify)
    assert (used_up.code, used_up.details) == ("sms_code_expired", {"reason": "too_many_tries"})


def test_two_pin_tries_lock_the_pin_at_the_second_wrong_one(strict_host: HostClient) -> None:
    wrong = pay_payload(["SI000001"], 112800, pin="000000")
    assert _refused(strict_host, "si.pay", wrong).details == {"tries_left": 1}
    assert _refused(strict_host, "si.pay", wrong).code == "pin_locked"


def test_the_command_passes_the_limits() -> None:
    process = HostSimulatorProcess("host.db", limits=HostLimits(sms_tries=4, pin_tries=5))
    command = process.command()
    assert command[command.index("--sms-tries") + 1] == "4"
    assert command[command.index("--pin-tries") + 1] == "5"
    assert "--sms-tries" not in HostSimulatorProcess("host.db").command()  # the simulator's own: 3 and 3
