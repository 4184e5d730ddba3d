"""The face screen's live preview: frames painted with the face box while the check runs; the preview
never takes a frame from the face check (the simulator is peeked at)."""

from __future__ import annotations

from typing import Any

from kiosk.app.gui_camera import CameraPreview
from kiosk.engine.screens import ScreenKind
from kiosk.ui.preview import sample_model


def test_preview_paints_the_newest_frame_without_taking_one(ui: Any) -> None:
    window, camera = ui.running.window, ui.running.kiosk.devices.camera
    preview = CameraPreview(camera, window)
    screen = window.screen(ScreenKind.FACE)
    model = sample_model(ScreenKind.FACE, choices=(), data={"device_hint": "camera", "face_box": [0.4, 0.3, 0.2, 0.3]})
    screen.render(model)
    preview.on_model(model)
    assert preview.timer.isActive()

    preview.tick()  # the camera is off: nothing to paint, the picture stays
    assert not screen.view.isVisibleTo(window)
    camera.show("person", "zhang_wei")
    camera.start()
    taken = camera.latest_frame(1.0)  # the face check takes a frame ...
    preview.tick()  # ... the preview paints that one and takes none itself
    assert screen.view.image is not None
    assert screen.view.box == (0.4, 0.3, 0.2, 0.3)
    assert camera.latest_frame(1.0).index == taken.index + 1
    camera.stop()

    preview.on_model(sample_model(ScreenKind.PROCESSING))
    assert not preview.timer.isActive()
    assert screen.view.image is None
