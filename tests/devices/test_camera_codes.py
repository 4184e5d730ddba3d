"""Codes held up to the camera: the simulator draws a slip with a barcode or a QR code, and the reader finds it
in the frame's pixels (zxing-cpp); a stained code is seen but does not read; reading stops on time, on
cancel and on a camera fault, and a missing decoder says so."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from devices.api import Cancellation, DeviceError, DeviceEvent, ErrorCode
from devices.camera import code_images
from devices.camera.codes import UNREADABLE_EVENT, UNREADABLE_FRAMES, decode_frame, read_code
from devices.camera.sim import SimCamera


@pytest.fixture
def camera(clock, people):
    device = SimCamera(clock, people)
    yield device
    device.close()


@pytest.mark.parametrize(("text", "symbology"), [
    ("11010102345678", "code128"), ("TICKET-2026-1205-0042", "code128"),
    ("APPT:20261205:A0042", "qrcode"), ("预约取号 0042", "qrcode"),
])
def test_a_slip_held_up_reads(camera: SimCamera, text: str, symbology: str) -> None:
    camera.show_code(text, symbology)
    camera.start()
    for _ in range(3):  # every frame sways and has its own noise
        seen = decode_frame(camera.latest_frame(1).image)
        assert [(c.text, c.symbology) for c in seen.codes] == [(text, symbology)]
        assert seen.in_view


def test_a_stained_code_is_in_view_but_does_not_read(camera: SimCamera) -> None:
    for symbology in ("code128", "qrcode"):
        camera.show_code("11010102345678", symbology, damaged=True)
        camera.start()
        seen = decode_frame(camera.latest_frame(1).image)
        camera.stop()
        assert (seen.codes, seen.in_view) == ((), True)


def test_no_code_and_a_face_are_not_codes(camera: SimCamera) -> None:
    camera.start()
    assert decode_frame(camera.latest_frame(1).image) == decode_frame(np.full((480, 640, 3), 180, np.uint8))
    assert not decode_frame(camera.latest_frame(1).image).in_view
    camera.show("person", "zhang_wei")
    assert not decode_frame(camera.latest_frame(1).image).in_view


def test_only_the_symbologies_asked_for_are_read(camera: SimCamera) -> None:
    camera.show_code("APPT:20261205:A0042", "qrcode")
    camera.start()
    assert decode_frame(camera.latest_frame(1).image, ("code128",)).codes == ()
    with pytest.raises(ValueError, match="unknown symbologies"):
        decode_frame(camera.latest_frame(1).image, ("aztec",))


def test_read_code_returns_the_code_and_leaves_the_camera_stopped(camera: SimCamera, clock) -> None:
    camera.show_code("11010102345678")
    code = read_code(camera, clock, 10, Cancellation(), lambda e: None)
    assert (code.text, code.symbology) == ("11010102345678", "code128")
    assert "11010102345678" not in repr(code)  # what a code says is never logged
    assert camera.peek_frame() is None  # stopped again


def test_an_unreadable_code_is_reported_once_and_reading_goes_on(camera: SimCamera, clock, background) -> None:
    events: list[DeviceEvent] = []
    camera.show_code("11010102345678", damaged=True)
    cancel = Cancellation()
    reading = background.start(read_code, camera, clock, 60, cancel, events.append)
    background.until(lambda: bool(events))
    assert [e.kind for e in events] == [UNREADABLE_EVENT]
    camera.show_code("11010102345678")  # held flat now
    assert reading.result(timeout=5).text == "11010102345678"
    assert len(events) == 1
    assert camera.status().counters["frames"] >= UNREADABLE_FRAMES


def test_a_code_refused_before_is_not_read_again(camera: SimCamera, clock, background) -> None:
    camera.show_code("99990102345678")
    cancel = Cancellation()
    reading = background.start(read_code, camera, clock, 60, cancel, lambda e: None,
                               ignore=frozenset({"99990102345678"}))
    background.until(lambda: camera.status().counters.get("frames", 0) >= 3)
    assert not reading.done()
    camera.show_code("11010102345678")
    assert reading.result(timeout=5).text == "11010102345678"


def test_nothing_shown_until_the_deadline_is_a_timeout(camera: SimCamera, clock, background) -> None:
    reading = background.start(read_code, camera, clock, 30, Cancellation(), lambda e: None)
    background.until(lambda: camera.status().counters.get("frames", 0) >= 1)
    clock.advance(31)
    with pytest.raises(DeviceError) as failed:
        reading.result(timeout=5)
    assert (failed.value.code, failed.value.reason) == (ErrorCode.TIMEOUT, "no_code")


def test_cancel_stops_reading(camera: SimCamera, clock, background) -> None:
    cancel = Cancellation()
    reading = background.start(read_code, camera, clock, 30, cancel, lambda e: None)
    background.until(lambda: camera.status().counters.get("frames", 0) >= 1)
    cancel.cancel()
    with pytest.raises(DeviceError) as failed:
        reading.result(timeout=5)
    assert failed.value.code is ErrorCode.CANCELLED


def test_a_camera_fault_ends_reading_with_the_cameras_error(camera: SimCamera, clock) -> None:
    camera.inject("offline")
    with pytest.raises(DeviceError) as failed:
        read_code(camera, clock, 10, Cancellation(), lambda e: None)
    assert failed.value.code is ErrorCode.NOT_READY


def test_without_zxing_reading_says_what_is_missing(camera: SimCamera, clock, monkeypatch) -> None:
    real_import = builtins.__import__

    def no_zxing(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "zxingcpp":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zxing)
    with pytest.raises(DeviceError) as failed:
        read_code(camera, clock, 10, Cancellation(), lambda e: None)
    assert (failed.value.code, failed.value.reason) == (ErrorCode.NOT_READY, "no_decoder")
    assert "zxing-cpp" in str(failed.value)


def test_a_picture_file_is_shown_and_read(camera: SimCamera, tmp_path: Path) -> None:
    path = tmp_path / "bill.png"
    cv2.imwrite(str(path), code_images.slip("11020003300012345", "code128"))
    camera.show_picture(path)
    camera.start()
    assert [c.text for c in decode_frame(camera.latest_frame(1).image).codes] == ["11020003300012345"]


def test_the_simulator_refuses_what_it_cannot_show(camera: SimCamera, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="symbology"):
        camera.show_code("123", "aztec")
    with pytest.raises(ValueError, match="1 to 200"):
        camera.show_code("")
    (tmp_path / "note.png").write_text("not a picture")
    with pytest.raises(ValueError, match="not a picture"):
        camera.show_picture(tmp_path / "note.png")
    with pytest.raises(ValueError, match="show_code"):
        camera.show("code")
