"""Each run has its own vpcd port (the port is the lock) and its own pcscd; a run that cannot have a
reader says why in one line. The ones marked ``pcsc`` start pcscd."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.smartcard import pcscd as pcscd_module
from devices.smartcard.pcscd import PcscDaemon, PcscdUnavailable, free_port_pair, port_free, system_vpcd

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port pair someone else holds, as another kiosk's vpcd on the same network would."""
    with socket.socket() as first, socket.socket() as second:
        first.bind(("0.0.0.0", 0))
        port = first.getsockname()[1]
        try:
            second.bind(("0.0.0.0", port + 1))
        except OSError:
            pytest.skip("no adjacent free port for the test")
        first.listen()
        second.listen()
        yield port


def test_a_held_port_is_not_free_and_the_next_pair_is_taken(held_port):
    assert not port_free(held_port)
    chosen = free_port_pair(held_port)
    assert chosen >= held_port + 2
    assert (port_free(chosen), port_free(chosen + 1)) == (True, True)


def test_the_system_config_names_the_shared_vpcd_port(tmp_path, monkeypatch):
    (tmp_path / "vpcd").write_text('FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x8C7B\n'
                                   "LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    0x8C7B\n")
    monkeypatch.setattr(pcscd_module, "SYSTEM_CONFIG_DIR", tmp_path)
    assert system_vpcd() == ("Virtual PCD", 35963)


def test_a_shared_pcscd_whose_port_another_holds_says_so(monkeypatch, tmp_path, held_port):
    """The loser of the one fixed port: not "install vsmartcard-vpcd", but who holds what."""
    monkeypatch.setattr(pcscd_module, "system_vpcd", lambda: ("Virtual PCD", held_port))
    monkeypatch.setattr(pcscd_module, "pcscd_running", lambda path=None: True)
    monkeypatch.setattr(pcscd_module, "readers", lambda: [])
    daemon = PcscDaemon(private=False, start_timeout=0.2, lock_path=tmp_path / "lock")
    with pytest.raises(PcscdUnavailable) as info:
        daemon.start()
    assert str(info.value) == (f"the shared pcscd has no reader 'Virtual PCD 00 00': vpcd's port {held_port} is "
                               "held by another process (another kiosk on this network?)")


def test_a_scenario_without_a_reader_fails_in_one_line(tmp_path, monkeypatch):
    def unavailable(self):
        raise PcscdUnavailable("vpcd's port 35963 is held by another process")

    monkeypatch.setattr(PcscDaemon, "start", unavailable)
    from kiosk.app.scenario import load_scenario, run_scenario

    scenario = load_scenario(ROOT / "tests/scenarios/si_payment/happy_path.toml")
    result = run_scenario(scenario, data_dir=tmp_path / "kiosk",
                          overrides={"devices.smartcard.backend": "pcsc-sim", "face.matcher": "sim"})
    assert result["failures"] == ["setup: smartcard: no virtual card reader: "
                                  "vpcd's port 35963 is held by another process"]


@pytest.mark.pcsc
def test_a_private_pcscd_takes_the_next_free_port(held_port, tmp_path):
    with PcscDaemon(tmp_path / "pcscd.log", port=held_port) as daemon:
        assert daemon.port >= held_port + 2
        assert daemon.reader == f"Kiosk vpcd {daemon.port} 00 00"
        assert daemon.reader in pcscd_module.readers()
        assert not port_free(daemon.port)  # its vpcd holds the port for the run
    assert port_free(daemon.port)


@pytest.mark.pcsc
def test_two_runs_at_once_get_two_ports(tmp_path):
    script = ("import sys, time\nfrom devices.smartcard.pcscd import PcscDaemon\n"
              "with PcscDaemon() as d:\n    print(d.port, flush=True)\n    sys.stdin.read()\n")
    runs = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    ports = [run.stdout.readline().strip() for run in runs]  # type: ignore[union-attr]
    errors = [run.communicate("", timeout=30)[1] for run in runs]
    assert all(ports), errors
    assert len(set(ports)) == 2
