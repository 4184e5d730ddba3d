"""The behavioural camera: scenes chosen by QA, frames from the demo photos."""

from __future__ import annotations

import numpy as np
import pytest

from devices.api import DeviceError, DeviceState, ErrorCode
from devices.camera.scenes import letterbox
from devices.camera.sim import SimCamera


@pytest.fixture
def camera(clock, people):
    device = SimCamera(clock, people, size=(320, 240))
    device.start()
    yield device
    device.close()


def test_frames_are_bgr_arrays_of_the_configured_size(camera):
    frame = camera.latest_frame(1)
    assert frame.image.shape == (240, 320, 3)
    assert frame.image.dtype == np.uint8


def test_frame_indexes_rise_and_carry_the_clock(camera, clock):
    first = camera.latest_frame(1)
    clock.advance(0.04)
    second = camera.latest_frame(1)
    assert second.index > first.index
    assert second.timestamp == pytest.approx(first.timestamp + 0.04)


def test_nobody_is_a_plain_background(camera):
    frame = camera.latest_frame(1)
    assert (frame.scene, frame.subject) == ("nobody", None)
    assert len(np.unique(frame.image.reshape(-1, 3), axis=0)) == 1


def test_a_person_carries_their_id_number_and_moves(camera, people):
    camera.show("person", "zhang_wei")
    frames = [camera.latest_frame(1) for _ in range(3)]
    assert {(f.scene, f.subject) for f in frames} == {("person", people.id_cards["zhang_wei"].id_number)}
    assert not np.array_equal(frames[0].image, frames[1].image)


def test_a_printed_photo_is_the_same_image_every_frame(camera, people):
    camera.show("photo", "li_xiuying")
    first, second = camera.latest_frame(1), camera.latest_frame(1)
    assert (first.scene, first.subject) == ("photo", people.id_cards["li_xiuying"].id_number)
    assert np.array_equal(first.image, second.image)
    assert first.image is not second.image  # each frame is the consumer's to draw on


def test_two_people_have_no_single_subject(camera):
    camera.show("two_people")
    frame = camera.latest_frame(1)
    assert (frame.scene, frame.subject) == ("two_people", None)
    assert len(np.unique(frame.image.reshape(-1, 3), axis=0)) > 100


def test_the_subject_is_not_in_the_frame_repr(camera, people):
    camera.show("person", "zhang_wei")
    assert people.id_cards["zhang_wei"].id_number not in repr(camera.latest_frame(1))


@pytest.mark.parametrize(("scene", "person"), [("crowd", None), ("person", None), ("photo", "nobody_known")])
def test_unknown_scenes_and_people_are_refused(camera, scene, person):
    with pytest.raises(ValueError, match="scene"):
        camera.show(scene, person)


def test_a_stopped_camera_gives_no_frames(camera):
    camera.stop()
    with pytest.raises(DeviceError) as info:
        camera.latest_frame(1)
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "stopped")


def test_starts_nest(camera):
    camera.start()
    camera.stop()
    assert camera.latest_frame(1).index == 1


def test_offline_fails_start_and_frames_until_reset(camera):
    camera.inject("offline")
    assert camera.status().state is DeviceState.OFFLINE
    for call in (camera.start, lambda: camera.latest_frame(1)):
        with pytest.raises(DeviceError) as info:
            call()
        assert info.value.code is ErrorCode.NOT_READY
    camera.reset()
    camera.start()
    assert camera.latest_frame(1).scene == "nobody"


def test_no_frames_times_out(camera):
    camera.inject("no_frames")
    with pytest.raises(DeviceError) as info:
        camera.latest_frame(1)
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_frames")
    assert camera.latest_frame(1).index == 1


def test_letterbox_keeps_the_aspect_and_centres():
    tall = np.full((200, 100, 3), 255, dtype=np.uint8)
    boxed = letterbox(tall, (400, 200))
    assert boxed.shape == (200, 400, 3)
    assert boxed[:, :150].max() == 0
    assert boxed[:, 250:].max() == 0
    assert boxed[:, 150:250].min() == 255
