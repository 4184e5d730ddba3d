"""The document camera: the demo companies' licences as people.toml lists them, drawn so that the code reader
finds the credit code in the camera's pixels (and a stained one seen, not read), the simulator's platen, its
faults and status, the still it captures, and the backends the factory builds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode, ignore_events
from devices.camera.codes import decode_frame, read_code
from devices.doccamera.factory import build_doccamera
from devices.doccamera.licence_image import render
from devices.doccamera.licences import load_licences
from devices.doccamera.opencv import OpenCvDocumentCamera
from devices.doccamera.sim import SimDocumentCamera, on_platen
from devices.sim_profiles import default_people_path, load_people
from kiosk.core import credit_code
from kiosk.core.clock import ManualClock


@pytest.fixture(scope="module")
def people():
    return load_people()


@pytest.fixture
def camera(people) -> SimDocumentCamera:
    return SimDocumentCamera(ManualClock(), people)


def test_the_demo_licences_are_the_host_s_companies_with_valid_codes() -> None:
    licences = load_licences(default_people_path())
    assert set(licences) == {"corp_tech", "corp_shop", "corp_trading", "corp_logistics", "corp_closed"}
    tech, shop = licences["corp_tech"], licences["corp_shop"]
    assert (tech.name, tech.representative, tech.kind) == ("深圳市示范云科技有限公司", "张伟", "enterprise")
    assert (shop.representative, shop.individual) == ("李秀英", True)
    assert all(credit_code.problem(lic.credit_code) is None for lic in licences.values())
    assert all(credit_code.find_in(lic.qr_text) == lic.credit_code for lic in licences.values())


def test_a_licence_laid_on_the_platen_reads_back_its_code(camera: SimDocumentCamera) -> None:
    camera.show_licence("corp_shop")
    found = read_code(camera, ManualClock(), 5.0, Cancellation(), ignore_events, ("qrcode",))
    assert credit_code.find_in(found.text) == "92310104MA1K4R7T3H"
    assert camera.status().counters["frames"] >= 1


def test_a_stained_qr_code_is_in_view_but_does_not_read(camera: SimDocumentCamera) -> None:
    camera.show_licence("corp_tech", damaged=True)
    camera.start()
    try:
        seen = decode_frame(camera.latest_frame(1.0).image, ("qrcode",))
    finally:
        camera.stop()
    assert (seen.codes, seen.in_view) == ((), True)


def test_the_licence_picture_is_the_licence(people) -> None:
    licence = load_licences(people.source)["corp_tech"]
    picture = render(licence)
    assert picture.image.shape == (1188, 1680, 3)
    left, top, right, bottom = picture.qr_box
    assert decode_frame(np.ascontiguousarray(picture.image[top - 20:bottom + 20, left - 20:right + 20, ::-1]),
                        ("qrcode",)).codes[0].text == licence.qr_text


def test_frames_change_but_the_document_lies_still(camera: SimDocumentCamera) -> None:
    camera.show_licence("corp_tech")
    camera.start()
    first, second = camera.latest_frame(1.0), camera.latest_frame(1.0)
    camera.stop()
    assert first.image.shape == (960, 1280, 3)
    assert (first.scene, second.index) == ("licence", first.index + 1)
    assert not np.array_equal(first.image, second.image)  # sensor noise
    assert np.abs(first.image.astype(int) - second.image.astype(int)).max() <= 8  # no sway


def test_qa_lays_and_takes_away(camera: SimDocumentCamera, tmp_path: Path) -> None:
    assert camera.document() == "empty"
    camera.show_licence("corp_tech")
    assert camera.document() == "licence:corp_tech"
    with pytest.raises(ValueError, match="no licence 'corp_nobody'"):
        camera.show_licence("corp_nobody")
    with pytest.raises(ValueError, match="symbology"):
        camera.show_code("x", "pdf417")
    (tmp_path / "not.png").write_text("no", encoding="utf-8")
    with pytest.raises(ValueError, match="not a picture"):
        camera.show_picture(tmp_path / "not.png")
    camera.clear()
    assert camera.status().detail == "platen: empty (stopped)"


def test_capture_is_one_still_of_the_platen(camera: SimDocumentCamera) -> None:
    camera.show_code("http://example.com/x", "qrcode")
    still = camera.capture(1.0)
    assert (still.width, still.height, still.document) == (1280, 960, "code")
    assert still.image.shape == (960, 1280, 3)
    assert camera.peek_frame() is None  # stopped again after the still


def test_faults_offline_no_frames_and_a_lamp_that_latches(camera: SimDocumentCamera) -> None:
    camera.inject("offline")
    with pytest.raises(DeviceError) as offline:
        camera.start()
    assert offline.value.code is ErrorCode.NOT_READY
    camera.reset()
    camera.start()
    camera.inject("no_frames")
    with pytest.raises(DeviceError) as silent:
        camera.latest_frame(1.0)
    assert silent.value.code is ErrorCode.TIMEOUT
    camera.inject("lamp")
    with pytest.raises(DeviceError) as lamp:
        camera.latest_frame(1.0)
    assert lamp.value.code is ErrorCode.HARDWARE_ERROR
    assert (camera.status().state, camera.status().fault) == (DeviceState.FAULT, "lamp")
    camera.latest_frame(1.0)  # a good call clears it
    assert camera.status().state is DeviceState.OK
    camera.stop()


def test_a_picture_is_laid_as_wide_as_fits() -> None:
    frame = on_platen(np.full((100, 400, 3), 255, dtype=np.uint8), (1280, 960))
    assert frame.shape == (960, 1280, 3)
    assert frame[480, 640].tolist() == [255, 255, 255]  # the middle is the picture
    assert frame[5, 5].tolist() != [255, 255, 255]  # the corner is the platen


def test_the_factory_builds_each_backend(people) -> None:
    assert isinstance(build_doccamera("sim", ManualClock(), people), SimDocumentCamera)
    real = build_doccamera("opencv", ManualClock(), people, source="/dev/no-such-camera")
    assert isinstance(real, OpenCvDocumentCamera)
    assert real.status().state is not DeviceState.OK  # no camera there: said, not raised
    with pytest.raises(ValueError, match="doccamera backend 'scanner'"):
        build_doccamera("scanner", ManualClock(), people)
