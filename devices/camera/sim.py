"""Behavioural camera: QA chooses who stands before the kiosk; frames come from demo photos.

Scenes: ``nobody`` (a plain background), ``person`` (that person's live photo, framed the way a kiosk
camera sees a customer at the counter, moving a little from frame to frame, blinking now and then and
doing what the screen asks: see :meth:`SimCamera.perform`), ``two_people`` (a photo with two faces),
``photo`` (a still print of that person: the very same image every frame, which a liveness check must
refuse), ``code`` (a slip with a Code 128 barcode or a QR code held up: :meth:`SimCamera.show_code`, drawn
in :mod:`devices.camera.code_images`) and ``picture`` (any image file held up: :meth:`SimCamera.show_picture`). A frame's ``subject`` is the ID number of the person shown, so the simulated face check can
compare it with the ID card. The pictures are made in :mod:`devices.camera.scenes` (numpy, OpenCV),
imported with the first frame: building the simulator costs the kiosk's start nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.api import ErrorCode
from devices.camera.api import Frame
from devices.sim_profiles import People
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock

if TYPE_CHECKING:
    import numpy as np

    from devices.camera.scenes import FaceGeometry

SCENES = ("nobody", "person", "two_people", "photo", "code", "picture")
HELD_UP = frozenset({"code", "picture"})  # something held up to the camera: its frames sway and have noise
CODE_SYMBOLOGIES = ("code128", "qrcode")
PERSON_SCENES = frozenset({"person", "photo"})
ACTIONS = ("blink", "turn_left", "turn_right", "nod")
# How far into each movement a frame is (0..1), frame by frame.
ACTION_PROFILE = {
    "blink": (0.5, 1.0, 1.0, 1.0, 0.5),
    "turn_left": (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3),
    "turn_right": (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3),
    "nod": (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3),
}
BLINK_EVERY = 60  # frames between the person's own blinks


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
        self._held: tuple[str, ...] = ()  # what the code or picture scene shows: (text, symbology, damaged) or (path,)
        self._starts = 0
        self._index = 0
        self._last_frame: Frame | None = None
        self._images: dict[tuple[str, str | None], tuple[np.ndarray, FaceGeometry | None]] = {}
        self._action: tuple[str, int] | None = None
        self._followed: str | None = None

    # -- QA controls -------------------------------------------------------------------------
    def show(self, scene: str, person: str | None = None) -> None:
        """Choose what stands before the camera; ``person`` is a people.toml key."""
        if scene not in SCENES or scene in HELD_UP:
            allowed = ", ".join(s for s in SCENES if s not in HELD_UP)
            raise ValueError(f"{self.name}: unknown scene {scene!r}; allowed: {allowed} (codes: show_code)")
        if scene in PERSON_SCENES and person not in self.people.live_photos:
            raise ValueError(f"{self.name}: scene {scene!r} needs a known person, not {person!r}")
        self._set_scene(scene, person if scene in PERSON_SCENES else None, ())

    def show_code(self, text: str, symbology: str = "code128", damaged: bool = False) -> None:
        """A slip with ``text`` as a Code 128 barcode or a QR code (``symbology``) is held up to the camera;
        ``damaged``: a stain across the code keeps it from reading."""
        if symbology not in CODE_SYMBOLOGIES:
            raise ValueError(f"{self.name}: symbology {symbology!r}; allowed: {', '.join(CODE_SYMBOLOGIES)}")
        if not text or len(text) > 200:
            raise ValueError(f"{self.name}: a code holds 1 to 200 characters")
        from devices.camera import code_images

        code_images.code_picture(text, symbology)  # a text the symbology cannot hold is refused now
        self._set_scene("code", None, (text, symbology, "damaged" if damaged else ""))

    def show_picture(self, path: str | Path) -> None:
        """The picture in the file at ``path`` (a photo of a bill) is held up to the camera."""
        from devices.camera import code_images

        code_images.picture_file(Path(path))  # one that does not load is refused now
        self._set_scene("picture", None, (str(path),))

    def _set_scene(self, scene: str, person: str | None, held: tuple[str, ...]) -> None:
        with self._lock:
            self._scene = scene
            self._person = person
            self._held = held
            self._action = None

    def scene(self) -> tuple[str, str | None]:
        with self._lock:
            return self._scene, self._person

    def perform(self, action: str) -> None:
        """The person in the ``person`` scene starts ``action`` (blink, turn_left, turn_right, nod) with
        the next frame. A print (``photo``) cannot move: it ignores this."""
        if action not in ACTIONS:
            raise ValueError(f"{self.name}: unknown action {action!r}; allowed: {', '.join(ACTIONS)}")
        with self._lock:
            self._action = (action, self._index + 1)

    def follow_screen(self, model: Any) -> None:
        """The simulated customer reads the kiosk's screen: a face screen that asks for a movement
        (``data["challenge"]``) gets it. Subscribe this to the engine's screen models."""
        data = getattr(model, "data", None) or {}
        challenge = data.get("challenge") if str(getattr(model, "kind", "")) == "face" else None
        with self._lock:
            if challenge == self._followed:
                return
            self._followed = challenge
        if challenge in ACTIONS:
            self.perform(challenge)

    def warm(self) -> None:
        """Load now, off the UI thread, what the first frame would (numpy, OpenCV, the empty scene)."""
        self._base_image("nobody", None)

    # -- Camera ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start capturing. Starts nest: each start() is balanced by one stop()."""
        with self._lock:
            self._check_ready()
            self._starts += 1

    def stop(self) -> None:
        with self._lock:
            self._starts = max(0, self._starts - 1)
            if self._starts == 0:
                self._last_frame = None

    def peek_frame(self) -> Frame | None:
        """The newest frame someone took, without taking one: a preview must not move the scene's
        scripted movements on (they follow the frames the face check reads)."""
        with self._lock:
            return self._last_frame if self._starts else None

    def latest_frame(self, timeout: float) -> Frame:
        with self._lock:
            self._check_ready()
            if self._starts == 0:
                raise self._error(ErrorCode.NOT_READY, "stopped", "start() the camera first")
            self._fail_if_armed("no_frames")
            self._index += 1
            index, scene, person, held = self._index, self._scene, self._person, self._held
            movement = self._movement(index)
        image = self._render(scene, person or "|".join(held) or None, index, movement)
        frame = Frame(
            image=image,
            timestamp=self.clock.monotonic(),
            index=index,
            scene=scene,
            subject=self._subject(person),
        )
        with self._lock:
            self._last_frame = frame
        return frame

    # -- rendering ---------------------------------------------------------------------------
    def _subject(self, person: str | None) -> str | None:
        if person is None:
            return None
        return self.people.id_cards[person].id_number

    def _movement(self, index: int) -> tuple[str, float] | None:
        """What the person is doing in frame ``index``: an asked-for action, else now and then a blink."""
        if self._action is not None:
            action, start = self._action
            profile = ACTION_PROFILE[action]
            if index - start < len(profile):
                return action, profile[index - start]
            self._action = None
        blink = ACTION_PROFILE["blink"]
        step = index % BLINK_EVERY - (BLINK_EVERY - len(blink))
        return ("blink", blink[step]) if step >= 0 else None

    def _render(self, scene: str, person: str | None, index: int, movement: tuple[str, float] | None) -> np.ndarray:
        base, face = self._base_image(scene, person)
        if scene in HELD_UP:
            from devices.camera import code_images

            return code_images.camera_frame(base, index)
        if scene != "person":
            return base.copy()
        from devices.camera import scenes

        return scenes.live(base, face, index, movement, self.size)

    def _base_image(self, scene: str, person: str | None) -> tuple[np.ndarray, FaceGeometry | None]:
        key = (scene, person)
        with self._lock:
            cached = self._images.get(key)
        if cached is None:
            cached = self._compose(scene, person)
            with self._lock:
                self._images[key] = cached
        return cached

    def _compose(self, scene: str, person: str | None) -> tuple[np.ndarray, FaceGeometry | None]:
        from devices.camera import scenes

        if scene == "nobody":
            return scenes.nobody(self.size), None
        if scene in HELD_UP:
            return self._held_up(scene, str(person)), None
        if scene == "two_people":
            photo = scenes.read_photo(self.people.asset_dir / scenes.TWO_PEOPLE_PHOTO)
            if photo is None:
                raise self._error(ErrorCode.HARDWARE_ERROR, "no_image", str(scenes.TWO_PEOPLE_PHOTO))
            return scenes.two_people(photo, self.size), None
        assert person is not None
        view, face = scenes.kiosk_view(scenes.decode_image(self.people.live_photos[person]), self.size)
        if scene == "person":
            return view, face
        return scenes.printed(view, self.size), None

    def _held_up(self, scene: str, held: str) -> np.ndarray:
        from devices.camera import code_images

        if scene == "picture":
            return code_images.shown_picture(code_images.picture_file(Path(held)), self.size)
        text, symbology, damaged = held.rsplit("|", 2)
        return code_images.held_up(code_images.slip(text, symbology, damaged == "damaged"), self.size)

    # -- status ------------------------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {"frames": self._index}

    def _detail(self) -> str:
        return f"scene {self._scene}" if self._starts else "stopped"

    def _on_reset(self) -> None:
        self._starts = 0
        self._action = None
