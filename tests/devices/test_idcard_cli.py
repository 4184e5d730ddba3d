"""``kiosk devices idcard read`` on the protocol-level simulator's pseudo-terminal."""

from __future__ import annotations

import argparse
import json
import shlex
import sys

import pytest

from devices.idcard.pty_sim import PtyIdCardSimulator
from kiosk.app.cli_idcard import add_idcard_commands


@pytest.fixture
def sim():
    device = PtyIdCardSimulator()
    yield device
    device.close()


def kiosk(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    devices = parser.add_subparsers().add_parser("devices").add_subparsers()
    add_idcard_commands(devices)
    args = parser.parse_args(["devices", "idcard", *argv])
    return int(args.handler(args))


def fields(text: str) -> dict[str, str]:
    return dict(line.split(None, 1) for line in text.splitlines())


def test_read_prints_the_fields_masked(sim, people, capsys):
    sim.place(people.id_cards["zhang_wei"])
    assert kiosk("read", "--port", sim.port_path, "--timeout", "5") == 0
    out = capsys.readouterr().out
    assert fields(out) == {
        "name": "张*", "sex": "男", "nation": "汉", "birth_date": "1985-03-12", "address": "北京市朝阳区***",
        "id_number": "110105********1234", "issuer": "北京市公安局朝阳分局", "valid_from": "2016-05-10",
        "valid_to": "2036-05-10", "id_number_check": "ok", "photo_status": "unavailable",
    }
    assert "110105198503121234" not in out
    assert "张伟" not in out


def test_show_personal_data_prints_them_in_full(sim, people, capsys):
    card = people.id_cards["li_xiuying"]
    sim.place(card)
    assert kiosk("read", "--port", sim.port_path, "--show-personal-data") == 0
    got = fields(capsys.readouterr().out)
    assert (got["name"], got["address"], got["id_number"]) == (card.name, card.address, card.id_number)
    assert (got["sex"], got["valid_to"]) == ("女", "长期")


def test_json_output(sim, people, capsys):
    sim.place(people.id_cards["chen_jing"])
    assert kiosk("read", "--port", sim.port_path, "--json") == 0
    got = json.loads(capsys.readouterr().out)
    assert list(got) == ["name", "sex", "nation", "birth_date", "address", "id_number", "issuer", "valid_from",
                         "valid_to", "id_number_check", "photo_status"]
    assert (got["name"], got["nation"], got["id_number"]) == ("陈*", "回", "110108********0040")


def test_a_wrong_check_digit_is_shown(sim, people, capsys):
    sim.place(people.id_cards["liu_yang_bad_number"])
    assert kiosk("read", "--port", sim.port_path, "--json") == 0
    assert json.loads(capsys.readouterr().out)["id_number_check"] == "check_digit"


def test_a_configured_decoder_shows_the_photo_decodes(sim, people, capsys):
    sim.place(people.id_cards["zhang_wei"])
    script = "import sys; sys.stdout.buffer.write(b'BM' + sys.stdin.buffer.read())"
    command = shlex.join([sys.executable, "-c", script])
    assert kiosk("read", "--port", sim.port_path, "--json", "--wlt-command", command) == 0
    assert json.loads(capsys.readouterr().out)["photo_status"] == "BMP, 1026 bytes"


def test_no_card_fails_with_one_line(sim, capsys):
    assert kiosk("read", "--port", sim.port_path, "--timeout", "0.2") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kiosk: idcard: timeout (no_card): no card within 0.2 s\n"


def test_a_reader_fault_fails_with_one_line(sim, people, capsys):
    sim.place(people.id_cards["zhang_wei"])
    sim.inject("sam_failure")
    assert kiosk("read", "--port", sim.port_path) == 1
    err = capsys.readouterr().err
    assert err.startswith("kiosk: idcard: hardware_error (sam_failure): SW3 60")
    assert err.count("\n") == 1


def test_a_missing_port_fails_with_one_line(tmp_path, capsys):
    port = tmp_path / "ttyUSB7"
    assert kiosk("read", "--port", str(port), "--timeout", "1") == 1
    assert capsys.readouterr().err == (
        f"kiosk: idcard: not_ready (no_port): cannot open the ID card reader port {port}: No such file or directory\n")


def test_a_decoder_library_that_does_not_load_is_a_usage_error(sim, tmp_path, capsys):
    assert kiosk("read", "--port", sim.port_path, "--wlt-library", str(tmp_path / "libwlt.so")) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: WLT decoder")
    assert err.count("\n") == 1


def test_the_port_is_required(capsys):
    with pytest.raises(SystemExit) as info:
        kiosk("read")
    assert info.value.code == 2
    assert "--port" in capsys.readouterr().err
