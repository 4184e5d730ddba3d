"""The simulator as a process: start, stop, parent death, restart, working key, and what it logs."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests

from kiosk.host.client import HostClient
from kiosk.host.errors import HostRejected
from kiosk.host.sim.process import HostSimulatorError, HostSimulatorProcess
from kiosk.host.sim.seed import DEFAULT_PEOPLE

from .helpers import (
    NEW_CARD_PAN,
    ZHANG_ID,
    ZHANG_PAN,
    SimControl,
    call,
    new_key,
    open_account_payload,
    pay_payload,
    pin_block,
    verified_sms,
)

INTERMEDIATE = """
import os, sys
from kiosk.host.sim.process import HostSimulatorProcess
host = HostSimulatorProcess(sys.argv[1], log_path=sys.argv[2])
host.start()
sys.stdout.write(f"{host.pid} {host.base_url}\\n")
sys.stdout.flush()
os._exit(0)  # die without stopping the simulator
"""


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return True


def test_simulator_exits_when_its_parent_dies(tmp_path: Path) -> None:
    log = tmp_path / "host.log"
    parent = subprocess.run([sys.executable, "-c", INTERMEDIATE, str(tmp_path / "host.db"), str(log)],
                            capture_output=True, text=True, timeout=60, check=True)
    pid_text, base_url = parent.stdout.split()
    pid = int(pid_text)
    deadline = time.monotonic() + 5.0
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid), "the simulator outlived its parent"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/health", timeout=1)
    assert "parent process" in log.read_text(encoding="utf-8")


def test_stop_is_a_clean_exit(tmp_path: Path) -> None:
    host = HostSimulatorProcess(tmp_path / "host.db")
    base_url = host.start()
    assert base_url.startswith("http://127.0.0.1:")
    assert requests.get(f"{base_url}/health", timeout=5).status_code == 200
    assert host.stop() == 0
    with pytest.raises(HostSimulatorError):
        _ = host.base_url


def test_start_failure_is_reported(tmp_path: Path) -> None:
    host = HostSimulatorProcess(tmp_path / "host.db", people_path=tmp_path / "missing.toml",
                                log_path=tmp_path / "host.log")
    with pytest.raises(HostSimulatorError, match=r"exited with code 2.*missing\.toml"):
        host.start()


def test_restart_keeps_postings_and_replays(tmp_path: Path) -> None:
    key = new_key()
    with HostSimulatorProcess(tmp_path / "host.db") as first, HostClient(first.base_url, "K") as client:
        paid = call(client, "si.pay", pay_payload(["SI000001"], 112800), key)
    with HostSimulatorProcess(tmp_path / "host.db") as second, HostClient(second.base_url, "K") as client:
        assert call(client, "si.pay", pay_payload(["SI000001"], 112800), key) == paid
        sim = SimControl(second.base_url)
        assert sim.balance(ZHANG_PAN) == 500000 - 112800  # not reseeded
        assert len(sim.state()["payments"]) == 1
        sim.close()


def test_working_key_from_the_command_line(tmp_path: Path) -> None:
    key = bytes(range(16))
    with HostSimulatorProcess(tmp_path / "host.db", working_key=key.hex(), key_id="TPK-BRANCH-7") as host, \
            HostClient(host.base_url, "K") as client:
        ours = pay_payload(["SI000001"], 112800)
        ours.update(pin_block=pin_block("147258", ZHANG_PAN, key=key), key_id="TPK-BRANCH-7")
        assert call(client, "si.pay", ours)["debited_fen"] == 112800
        with pytest.raises(HostRejected) as refused:
            call(client, "si.pay", pay_payload(["SI000002"], 38000))  # under the demo key
        assert refused.value.details == {"reason": "unknown_key"}


def _secrets(pin_blocks: list[str], sms_codes: list[str]) -> list[re.Pattern[str]]:
    people = tomllib.loads(DEFAULT_PEOPLE.read_text(encoding="utf-8"))
    numbers = [p["id_number"] for p in people["person"]] + [NEW_CARD_PAN]
    pins = []
    for person in people["person"]:
        for card in person.get("card", []):
            numbers.append(card["pan"])
            pins += [card["pin"]] if "pin" in card else []  # a card issued without a PIN has none yet
    words = numbers + pin_blocks + pins + sms_codes + ["802413"]
    return [re.compile(rf"(?<![0-9A-Fa-f]){re.escape(w)}(?![0-9A-Fa-f])", re.IGNORECASE) for w in words]


def _traffic(client: HostClient, sim: SimControl) -> tuple[list[str], list[str]]:
    """A bit of everything, including refusals, faults and a 400; returns the PIN blocks and SMS codes used."""
    sms_ref = verified_sms(client, sim, "13700002222")
    opening = open_account_payload(sms_ref)
    call(client, "accounts.open", opening)
    wrong, right = pay_payload(["SI000001"], 112800, pin="000000"), pay_payload(["SI000001"], 112800)
    with pytest.raises(HostRejected):
        call(client, "si.pay", wrong)
    sim.fault("drop_reply", op="si.pay")
    call(client, "si.pay", right)
    call(client, "cards.list", {"id_number": ZHANG_ID})
    call(client, "customers.lookup", {"id_number": ZHANG_ID})
    requests.post(f"{sim.base_url}/v1/ops/si.pay", json={**right, "amount_fen": "x"}, timeout=5,
                  headers={"Idempotency-Key": new_key(), "X-Request-Id": new_key()})
    return [opening["pin_block"], wrong["pin_block"], right["pin_block"]], [sim.sms_code(sms_ref)]


def test_logs_hold_no_personal_data_or_secrets(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = tmp_path / "host.log"
    caplog.set_level(logging.DEBUG, logger="kiosk.host.client")
    with HostSimulatorProcess(tmp_path / "host.db", log_path=log) as host, HostClient(host.base_url, "K") as client:
        sim = SimControl(host.base_url)
        pin_blocks, codes = _traffic(client, sim)
        sim.close()
    text = log.read_text(encoding="utf-8") + "\n" + caplog.text
    assert "110105********1234" in text  # the traffic was logged, masked
    assert "si.pay" in caplog.text
    leaks = [number for number, secret in enumerate(_secrets(pin_blocks, codes)) if secret.search(text)]
    assert leaks == [], "the log shows personal data or secrets"
