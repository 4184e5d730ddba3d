"""Behavioural camera: QA chooses who stands before the kiosk; frames come from demo photos.

Scenes: ``nobody`` (a plain background), ``person`` (that person's live photo, moving a little from
frame to frame), ``two_people`` (a photo with two faces), ``photo`` (a still print of that person:
the very same image every frame, which a liveness check must refuse). A frame's ``subject`` is the ID
number of the person shown, so the simulated face check can compare it with the ID card.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from devices.api import ErrorCode
from devices.camera.api import Frame
from devices.sim_profiles import People
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock

SCENES = ("nobody", "person", "two_people", "photo")
PERSON_SCENES = frozenset({"person", "photo"})
TWO_PEOPLE_PHOTO = Path("faces") / "obama_biden_2010_two_faces.jpg"
BACKGROUND_BGR = (176, 184, 190)  # the wall behind the kiosk
PAPER_BGR = (245, 245, 245)
PRINT_SCALE = 0.7  # a print held up covers less of the view than a face
SWAY_PIXELS = (0, 1, 2, 1, 0, -1, -2, -1)  # a live person is never perfectly still


def decode_image(data: bytes) -> np.ndarray:
    """JPEG/PNG bytes -> BGR uint8 array (HxWx3)."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("the image could not be decoded")
    return image


def letterbox(image: np.ndarray, size: tuple[int, int], fill: tuple[int, int, int] = (0, 0, 0)) -> np.ndarray:
    """Scale ``image`` to fit ``size`` (width, height) keeping its aspect, centred on ``fill``."""
    width, height = size
    rows, cols = image.shape[:2]
    scale = min(width / cols, height / rows)
    new_w, new_h = max(1, round(cols * scale)), max(1, round(rows * scale))
    resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_AREA)
    canvas = np.full((height, width, 3), fill, dtype=np.uint8)
    left, top = (width - new_w) // 2, (height - new_h) // 2
    canvas[top : top + new_h, left : left + new_w] = resized
    return canvas


class SimCamera(SimulatedDevice):
    FAULTS = {
        "offline": ErrorCode.NOT_READY,
        "no_frames": ErrorCode.TIMEOUT,  # the camera is connected but delivers nothing
    }

    def __init__(
        self, clock: Clock, people: People, name: str = "camera", size: tuple[int, int] = (640, 480)
    ) -> None:
        super().__init__(clock, name)
        self.people = people
        self.size = size
        self._scene = "nobody"
        self._person: str | None = None
        self._starts = 0
        self._index = 0
        self._images: dict[tuple[str, str | None], np.ndarray] = {}

    # -- QA controls -------------------------------------------------------------------------
    def show(self, scene: str, person: str | None = None) -> None:
        """Choose what stands before the camera; ``person`` is a people.toml key."""
        if scene not in SCENES:
            raise ValueError(f"{self.name}: unknown scene {scene!r}; allowed: {', '.join(SCENES)}")
        if scene in PERSON_SCENES and person not in self.people.live_photos:
            raise ValueError(f"{self.name}: scene {scene!r} needs a known person, not {person!r}")
        with self._lock:
            self._scene = scene
            self._person = person if scene in PERSON_SCENES else None

    def scene(self) -> tuple[str, str | None]:
        with self._lock:
            return self._scene, self._person

    # -- Camera ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start capturing. Starts nest: each start() is balanced by one stop()."""
        with self._lock:
            self._check_ready()
            self._starts += 1

    def stop(self) -> None:
        with self._lock:
            self._starts = max(0, self._starts - 1)

    def latest_frame(self, timeout: float) -> Frame:
        with self._lock:
            self._check_ready()
            if self._starts == 0:
                raise self._error(ErrorCode.NOT_READY, "stopped", "start() the camera first")
            self._fail_if_armed("no_frames")
            self._index += 1
            index, scene, person = self._index, self._scene, self._person
        image = self._render(scene, person, index)
        return Frame(
            image=image,
            timestamp=self.clock.monotonic(),
            index=index,
            scene=scene,
            subject=self._subject(person),
        )

    # -- rendering ---------------------------------------------------------------------------
    def _subject(self, person: str | None) -> str | None:
        if person is None:
            return None
        return self.people.id_cards[person].id_number

    def _render(self, scene: str, person: str | None, index: int) -> np.ndarray:
        base = self._base_image(scene, person)
        if scene != "person":
            return base.copy()
        shift = SWAY_PIXELS[index % len(SWAY_PIXELS)]
        matrix = np.array([[1, 0, shift], [0, 1, shift // 2]], dtype=np.float32)
        return cv2.warpAffine(base, matrix, self.size, borderMode=cv2.BORDER_REPLICATE)

    def _base_image(self, scene: str, person: str | None) -> np.ndarray:
        key = (scene, person)
        with self._lock:
            cached = self._images.get(key)
        if cached is None:
            cached = self._compose(scene, person)
            with self._lock:
                self._images[key] = cached
        return cached

    def _compose(self, scene: str, person: str | None) -> np.ndarray:
        width, height = self.size
        if scene == "nobody":
            return np.full((height, width, 3), BACKGROUND_BGR, dtype=np.uint8)
        if scene == "two_people":
            photo = cv2.imread(str(self.people.asset_dir / TWO_PEOPLE_PHOTO), cv2.IMREAD_COLOR)
            if photo is None:
                raise self._error(ErrorCode.HARDWARE_ERROR, "no_image", str(TWO_PEOPLE_PHOTO))
            return letterbox(photo, self.size, BACKGROUND_BGR)
        assert person is not None
        photo = decode_image(self.people.live_photos[person])
        if scene == "person":
            return letterbox(photo, self.size, BACKGROUND_BGR)
        return self._printed(photo)

    def _printed(self, photo: np.ndarray) -> np.ndarray:
        """A print of ``photo`` on white paper, held up in the middle of the view."""
        width, height = self.size
        inner = (max(1, int(width * PRINT_SCALE)), max(1, int(height * PRINT_SCALE)))
        sheet = letterbox(photo, inner, PAPER_BGR)
        sheet = cv2.copyMakeBorder(sheet, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=PAPER_BGR)
        frame = np.full((height, width, 3), BACKGROUND_BGR, dtype=np.uint8)
        rows, cols = sheet.shape[:2]
        rows, cols = min(rows, height), min(cols, width)
        top, left = (height - rows) // 2, (width - cols) // 2
        frame[top : top + rows, left : left + cols] = sheet[:rows, :cols]
        return frame

    # -- status ------------------------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {"frames": self._index}

    def _detail(self) -> str:
        return f"scene {self._scene}" if self._starts else "stopped"

    def _on_reset(self) -> None:
        self._starts = 0
