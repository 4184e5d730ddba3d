"""``kiosk devices card read`` without a card (formatting, no pcscd, no pyscard), and the factory.
The command reading a card through pcscd is in test_smartcard_pcsc.py."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.smartcard import pcscd
from devices.smartcard.factory import build_smartcard
from devices.smartcard.pcsc import NO_PYSCARD, PCSCD_DOWN, PcscBankCardReader, is_usable
from devices.smartcard.pcsc_sim import PcscSimBankCardReader
from devices.smartcard.sim import SimBankCardReader
from kiosk.app.cli_card import add_card_commands, card_row

ROOT = Path(__file__).resolve().parents[2]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk devices")
    add_card_commands(parser.add_subparsers())
    return parser.parse_args(argv)


def test_the_command_line_and_its_defaults():
    args = parse("card", "read")
    assert (args.reader, args.timeout, args.json, args.show_personal_data) == (None, 30.0, False, False)
    args = parse("card", "read", "--reader", "ACS", "--timeout", "5", "--json", "--show-personal-data")
    assert (args.reader, args.timeout, args.json, args.show_personal_data) == ("ACS", 5.0, True, True)


def test_a_row_is_masked_unless_asked(people):
    card = people.bank_cards["zhang_wei_1"].card
    row = card_row(card, "Virtual PCD 00 00", "3B69", show_personal_data=False)
    assert row == {"reader": "Virtual PCD 00 00", "atr": "3B69", "aid": "A000000333010101",
                   "label": "UnionPay Debit", "pan": "622848*********0018", "expiry": "2030-12",
                   "holder_name": "张*", "card_type": "debit"}
    full = card_row(card, "", "", show_personal_data=True)
    assert (full["pan"], full["holder_name"]) == ("6228480402564890018", "张伟")
    assert card.track2 not in str(full)


def test_without_pcscd_the_command_says_so_in_one_line():
    """A pcscd socket that is not there, as on a kiosk whose daemon is not running."""
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    code = ("import argparse, sys; from kiosk.app.cli_card import add_card_commands; "
            "p = argparse.ArgumentParser(); add_card_commands(p.add_subparsers()); "
            "a = p.parse_args(sys.argv[1:]); sys.exit(a.handler(a))")
    done = subprocess.run([sys.executable, "-c", code, "card", "read", "--timeout", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == f"kiosk: card read failed (no_pcscd): {PCSCD_DOWN}"


@pytest.fixture
def no_pyscard(monkeypatch):
    monkeypatch.setitem(sys.modules, "smartcard", None)
    monkeypatch.setitem(sys.modules, "smartcard.scard", None)


@pytest.mark.usefixtures("no_pyscard")
def test_without_pyscard_the_reader_names_the_package(clock):
    reader = PcscBankCardReader(clock)
    status = reader.status()
    assert (status.state, status.fault, status.detail) == (DeviceState.OFFLINE, "no_pyscard", NO_PYSCARD)
    with pytest.raises(DeviceError) as info:
        reader.read_card(1, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "no_pyscard")
    assert "pyscard" in info.value.detail
    assert not reader.has_card()
    assert is_usable() == (False, NO_PYSCARD)


@pytest.mark.usefixtures("no_pyscard")
def test_without_pyscard_the_command_says_so_in_one_line():
    out, err = io.StringIO(), io.StringIO()
    args = parse("card", "read", "--timeout", "1")
    assert args.handler(args, out, err) == 1
    assert out.getvalue() == ""
    assert err.getvalue().splitlines()[-1] == f"kiosk: card read failed (no_pyscard): {NO_PYSCARD}"


def test_a_closed_reader_refuses_calls(clock):
    reader = PcscBankCardReader(clock)
    reader.close()
    assert reader.status().state is DeviceState.OFFLINE
    with pytest.raises(DeviceError) as info:
        reader.read_card(1, Cancellation())
    assert info.value.reason == "closed"


def test_the_factory_builds_each_backend(clock):
    assert isinstance(build_smartcard("sim", clock), SimBankCardReader)
    real = build_smartcard("pcsc", clock, reader_name="ACS ACR39U")
    assert isinstance(real, PcscBankCardReader)
    assert real.reader_name == "ACS ACR39U"
    simulated = build_smartcard("pcsc-sim", clock, vpcd_port=35964)
    assert isinstance(simulated, PcscSimBankCardReader)
    assert simulated.adapter.reader_name == "Virtual PCD 00 01"
    for device in (real, simulated):
        device.close()
    with pytest.raises(ValueError, match="backends: sim, pcsc-sim, pcsc"):
        build_smartcard("usb", clock)


def test_without_pcscd_installed_the_pcsc_tests_say_what_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(pcscd, "pcscd_running", lambda: False)
    monkeypatch.setattr(pcscd.shutil, "which", lambda name: None)
    monkeypatch.setattr(pcscd, "PCSCD_PATHS", ())
    daemon = pcscd.PcscDaemon(lock_path=tmp_path / "pcsc.lock")
    with pytest.raises(pcscd.PcscdUnavailable, match="pcscd is not installed"):
        daemon.start()
    assert not daemon.started_here
