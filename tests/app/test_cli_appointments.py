"""``kiosk appointments book``: the mini-program played for QA: a booking on the host, its code as a QR code PNG
that the camera reads back; the host's refusals and bad usage said in one line with their exit status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.cli import main
from kiosk.app.cli_appointments import parse_fields
from kiosk.host.client import HostClient
from kiosk.host.sim.process import HostSimulatorProcess

ZHANG_WEI = "110105198503121234"


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSimulatorProcess]:
    folder = tmp_path_factory.mktemp("appointments-host")
    with HostSimulatorProcess(folder / "host.db", log_path=folder / "host.log") as process:
        yield process


def read_back(png: Path) -> str:
    """What the kiosk's camera reads from the PNG held up to it (the simulator's picture, zxing-cpp)."""
    from devices.camera import code_images
    from devices.camera.codes import decode_frame

    frame = code_images.camera_frame(code_images.shown_picture(code_images.picture_file(png), (640, 480)), 1)
    codes = decode_frame(frame, ("qrcode",)).codes
    assert len(codes) == 1
    return codes[0].text


def test_a_booking_writes_a_qr_code_the_camera_reads_and_the_host_checks(host: HostSimulatorProcess,
                                                                        tmp_path: Path, capsys) -> None:
    png = tmp_path / "qr.png"
    assert main(["appointments", "book", "--flow", "time_deposit_open", "--id-number", ZHANG_WEI,
                 "--field", "deposit_yuan=3000", "--field", "term=1y", "--field", "rollover=auto",
                 "--window-from", "2026-01-01T09:00+08:00", "--window-to", "2099-01-01T09:00+08:00",
                 "--out", str(png), "--host", host.base_url]) == 1  # a window of 73 years: the host refuses it
    assert "window_invalid" in capsys.readouterr().err
    assert not png.exists()
    assert main(["appointments", "book", "--flow", "time_deposit_open", "--id-number", ZHANG_WEI,
                 "--field", "deposit_yuan=3000", "--field", "term=1y", "--field", "rollover=auto",
                 "--out", str(png), "--host", host.base_url]) == 0
    out = capsys.readouterr().out
    assert "booked APT" in out
    assert "110105********1234" in out
    assert ZHANG_WEI not in out
    code = read_back(png)
    assert code in out
    with HostClient(host.base_url, "KIOSK-T1") as client:
        found = client.call("appointments.check", {"token": code}, "0" * 32, "s1")
    assert found["flow"] == "time_deposit_open"


@pytest.mark.parametrize(("args", "status", "said"), [
    (["--flow", "loss_report"], 1, "flow_not_bookable"),
    (["--flow", "transfer", "--field", "pin=123456"], 1, "answer_not_bookable"),
    (["--flow", "transfer", "--field", "amount_yuan"], 2, "NAME=VALUE"),
])
def test_what_cannot_be_booked_is_said(host: HostSimulatorProcess, tmp_path: Path, capsys, args: list[str],
                                       status: int, said: str) -> None:
    assert main(["appointments", "book", "--id-number", ZHANG_WEI, *args, "--out", str(tmp_path / "qr.png"),
                 "--host", host.base_url]) == status
    assert said in capsys.readouterr().err
    assert not (tmp_path / "qr.png").exists()


def test_fields_are_name_value_pairs() -> None:
    assert parse_fields(["payee_name=孙丽", "amount_yuan = 2000"]) == {"payee_name": "孙丽", "amount_yuan": "2000"}
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_fields(["=2000"])
