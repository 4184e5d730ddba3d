"""``kiosk devices status``: every configured device with backend, state, fault and detail; exit 0 only
when all are ok; devices closed afterwards."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from devices.api import DeviceState, DeviceStatus
from kiosk.app.cli_devices import BuiltDevices, add_status_command, build_configured_devices
from kiosk.app.config import ConfigError
from kiosk.voice import output

DEVICES = ["idcard", "smartcard", "camera", "pinpad", "printer", "dispenser", "docprinter", "doccamera", "audio"]


def run(argv: list[str], build=build_configured_devices) -> int:
    parser = argparse.ArgumentParser(prog="kiosk devices")
    add_status_command(parser.add_subparsers(), build)
    args = parser.parse_args(argv)
    return args.handler(args)


def write_config(tmp_path: Path, extra: str = "", player: str = "none") -> Path:
    """``player``: "none" is a kiosk told to stay silent (its audio row is ok whatever this machine has)."""
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "var"}"\n[devices.smartcard]\nbackend = "sim"\n'
                    f'[voice]\nplayer = "{player}"\n{extra}', encoding="utf-8")
    return path


def test_every_simulated_device_is_ok(tmp_path, capsys):
    assert run(["status", "--config", str(write_config(tmp_path))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == DEVICES
    rows = {line.split()[0]: line.split(None, 4) for line in lines}
    assert rows["printer"] == ["printer", "sim", "ok", "-", "paper 300"]
    assert rows["dispenser"][:4] == ["dispenser", "sim", "ok", "-"]
    assert rows["dispenser"][4].startswith("stock ")
    assert rows["idcard"][4].startswith("port /dev/pts/")  # the real adapter on the simulator's pty
    assert rows["docprinter"] == ["docprinter", "sim", "ok", "-", "paper 500, toner 3000"]
    assert rows["doccamera"] == ["doccamera", "sim", "ok", "-", "platen: empty (stopped)"]


def test_json_rows(tmp_path, capsys):
    assert run(["status", "--config", str(write_config(tmp_path)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["device"] for row in rows] == DEVICES
    printer = rows[DEVICES.index("printer")]
    assert printer == {"device": "printer", "backend": "sim", "state": "ok", "fault": None, "detail": "paper 300",
                       "counters": {"paper": 300, "printed": 0}, "last_operation": None}


def test_a_card_left_at_the_gate_before_a_restart_shows_with_the_last_operation(tmp_path, capsys):
    from devices.api import OperationStage
    from devices.durable import LastOperationStore
    from kiosk.core.clock import SystemClock

    LastOperationStore(tmp_path / "var" / "devices", "dispenser", SystemClock()).record(
        "dispense", OperationStage.AT_GATE, card_masked="622848*********0018")
    assert run(["status", "--config", str(write_config(tmp_path))]) == 1
    rows = {line.split()[0]: line.split(None, 4) for line in capsys.readouterr().out.splitlines()}
    assert rows["dispenser"][:4] == ["dispenser", "sim", "fault", "card_left"]
    assert "last: dispense at_gate 622848*********0018" in rows["dispenser"][4]
    assert run(["status", "--config", str(write_config(tmp_path)), "--json"]) == 1
    dispenser = next(row for row in json.loads(capsys.readouterr().out) if row["device"] == "dispenser")
    assert dispenser["last_operation"]["stage"] == "at_gate"


def test_a_device_that_is_not_ok_makes_it_exit_1(tmp_path, capsys):
    config = write_config(tmp_path, "[devices.printer]\npaper = 0\n"
                                    '[devices.idcard]\nbackend = "serial"\nport = "/dev/no-such-reader"\n')
    assert run(["status", "--config", str(config), "--json"]) == 1
    rows = {row["device"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["printer"]["state"], rows["printer"]["fault"]) == ("fault", "paper_out")
    assert (rows["idcard"]["state"], rows["idcard"]["fault"]) == ("offline", "no_port")
    assert "/dev/no-such-reader" in rows["idcard"]["detail"]
    assert rows["pinpad"]["state"] == "ok"


def test_a_config_error_reaches_the_command_line(tmp_path):
    bad = write_config(tmp_path, '[devices.printer]\nbackend = "laser"\n')
    with pytest.raises(ConfigError, match="devices.printer.backend"):
        run(["status", "--config", str(bad)])


class FakeDevice:
    def __init__(self, name: str, status: DeviceStatus | Exception, closed: list[str]) -> None:
        self.name = name
        self._status = status
        self._closed = closed

    def status(self) -> DeviceStatus:
        if isinstance(self._status, Exception):
            raise self._status
        return self._status

    def close(self) -> None:
        self._closed.append(self.name)


def test_build_failures_and_broken_statuses_are_rows_and_everything_is_closed(capsys):
    closed: list[str] = []

    def build(config_path):
        assert config_path == Path("site.toml")
        built = BuiltDevices(backends={"camera": "opencv", "printer": "escpos-usb", "dispenser": "sim"})
        built.failures["camera"] = "cannot open camera 0: no /dev/video0"
        built.devices["printer"] = FakeDevice("printer", RuntimeError("usb\nbroke"), closed)
        built.devices["dispenser"] = FakeDevice(
            "dispenser", DeviceStatus("dispenser", DeviceState.OK, detail="stock 50", counters={"stock": 50}), closed)
        built.closers += [lambda: closed.append("first closer"), lambda: closed.append("second closer")]
        return built

    assert run(["status", "--config", "site.toml"], build) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].split(None, 4) == ["camera", "opencv", "offline", "build_failed",
                                     "cannot open camera 0: no /dev/video0"]
    assert out[1].split(None, 4) == ["printer", "escpos-usb", "fault", "status_failed", "usb broke"]
    assert out[2].split(None, 4) == ["dispenser", "sim", "ok", "-", "stock 50"]
    assert closed == ["printer", "dispenser", "second closer", "first closer"]


def test_details_are_masked(capsys):
    card = "6228480402564890018"

    def build(_config_path):
        built = BuiltDevices(backends={"smartcard": "sim"})
        built.devices["smartcard"] = FakeDevice(
            "smartcard", DeviceStatus("smartcard", DeviceState.BUSY, detail=f"card {card} inserted"), [])
        return built

    assert run(["status"], build) == 1  # busy is not ok
    out = capsys.readouterr().out
    assert card not in out
    assert "622848*********0018" in out


def test_a_kiosk_without_an_audio_player_shows_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(output.shutil, "which", lambda name: None)
    assert run(["status", "--config", str(write_config(tmp_path, player="auto")), "--json"]) == 1
    audio = json.loads(capsys.readouterr().out)[-1]
    assert (audio["device"], audio["backend"], audio["state"], audio["fault"]) == (
        "audio", "auto", "offline", "no_audio_player")
    assert "apt install alsa-utils" in audio["detail"]


def test_aplay_without_a_sound_card_shows_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(output.shutil, "which", lambda name: f"/usr/bin/{name}" if name == "aplay" else None)
    monkeypatch.setattr(output, "SOUND_CARDS", tmp_path / "no-asound-cards")
    assert run(["status", "--config", str(write_config(tmp_path, player="auto")), "--json"]) == 1
    audio = json.loads(capsys.readouterr().out)[-1]
    assert (audio["state"], audio["fault"]) == ("offline", "no_sound_card")
    cards = tmp_path / "cards"
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n", encoding="utf-8")
    monkeypatch.setattr(output, "SOUND_CARDS", cards)
    assert run(["status", "--config", str(write_config(tmp_path, player="auto")), "--json"]) == 0
    audio = json.loads(capsys.readouterr().out)[-1]
    assert (audio["state"], audio["detail"]) == ("ok", "player aplay -q")
