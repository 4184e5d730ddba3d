"""Behavioural camera: QA chooses who stands before the kiosk; frames come from demo photos.

Scenes: ``nobody`` (a plain background), ``person`` (that person's live photo, framed the way a kiosk
camera sees a customer at the counter, moving a little from frame to frame, blinking now and then and
doing what the screen asks: see :meth:`SimCamera.perform`), ``two_people`` (a photo with two faces),
``photo`` (a still print of that person: the very same image every frame, which a liveness check must
refuse). A frame's ``subject`` is the ID number of the person shown, so the simulated face check can
compare it with the ID card.

What the person scene really is: one photo, shifted a pixel or two per frame, with image warps for the
movements: a blink squeezes the eyes shut, a turn slides the nose and the middle of the face sideways,
a nod slides them down. It is enough for the landmark-based liveness checks to see the movement; it is
not a video of a person, and it says nothing about how a real customer's face moves. Framing and warps
need the face's position: found once per photo with dlib's HOG detector and its 5-point landmarks (no
face_recognition import). Without dlib the photo is letterboxed and the person never moves.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from devices.api import ErrorCode
from devices.camera import face_cache
from devices.camera.api import Frame
from devices.sim_profiles import People
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock

SCENES = ("nobody", "person", "two_people", "photo")
PERSON_SCENES = frozenset({"person", "photo"})
TWO_PEOPLE_PHOTO = Path("faces") / "obama_biden_2010_two_faces.jpg"
BACKGROUND_BGR = (176, 184, 190)  # the wall behind the kiosk
PAPER_BGR = (245, 245, 245)
PRINT_SCALE = 0.85  # a print held up covers less of the view than a face
SWAY_PIXELS = (0, 1, 2, 1, 0, -1, -2, -1)  # a live person is never perfectly still
FACE_WIDTH = 0.3  # a customer at the counter: face box width as a share of the frame width
ACTIONS = ("blink", "turn_left", "turn_right", "nod")
# How far into each movement a frame is (0..1), frame by frame.
ACTION_PROFILE = {
    "blink": (0.5, 1.0, 1.0, 1.0, 0.5),
    "turn_left": (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3),
    "turn_right": (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3),
    "nod": (0.3, 0.6, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3),
}
BLINK_EVERY = 60  # frames between the person's own blinks
TURN_SHIFT = 0.65  # how far a turn moves the nose, in eye distances (image x: the person's left is +x)
NOD_SHIFT = 0.6
BLINK_SQUEEZE = 0.2  # eye height left at the deepest point of a blink


@dataclass(frozen=True)
class FaceGeometry:
    """Where a face is in a photo: box (x, y, w, h) and 5 points (two eye corners each, nose base)."""

    box: tuple[float, float, float, float]
    points: np.ndarray  # 5x2 float

    def moved(self, matrix: np.ndarray) -> FaceGeometry:
        """The same face after an affine warp (2x3 matrix)."""
        points = self.points @ matrix[:, :2].T + matrix[:, 2]
        x, y, w, h = self.box
        (x0, y0), (x1, y1) = np.array([[x, y], [x + w, y + h]]) @ matrix[:, :2].T + matrix[:, 2]
        return FaceGeometry((float(x0), float(y0), float(x1 - x0), float(y1 - y0)), points)


_models: Any = None
_models_lock = threading.Lock()


def _face_models() -> Any:
    """dlib's HOG detector and 5-point landmarks, loaded once; False when dlib is not installed."""
    global _models
    with _models_lock:
        if _models is None:
            try:
                import dlib

                spec = importlib.util.find_spec("face_recognition_models")
                if spec is None or not spec.submodule_search_locations:
                    raise ImportError("face_recognition_models")
                model = Path(list(spec.submodule_search_locations)[0]) / "models" / "shape_predictor_5_face_landmarks.dat"
                _models = (dlib.get_frontal_face_detector(), dlib.shape_predictor(str(model)))
            except (ImportError, RuntimeError):
                _models = False
        return _models


def locate_faces(image: np.ndarray, upsample: int = 1) -> list[FaceGeometry]:
    """Faces in a BGR photo, largest first (empty without dlib); cached by the photo's content
    (devices/camera/face_cache.py), so a start does not run the detector over the demo photos again."""
    key = face_cache.content_key(image, upsample)
    cached = face_cache.lookup(key)
    if cached is not None:
        return [FaceGeometry(box, np.array(points, dtype=np.float64)) for box, points in cached]
    found = _detect_faces(image, upsample)
    if _face_models():  # without dlib nothing was looked for: nothing to remember
        face_cache.store(key, [(face.box, face.points.tolist()) for face in found])
    return found


def _detect_faces(image: np.ndarray, upsample: int) -> list[FaceGeometry]:
    models = _face_models()
    if not models:
        return []
    detector, predictor = models
    scale = min(1.0, 1000 / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    rgb = np.ascontiguousarray(small[:, :, ::-1])
    found = []
    for rect in sorted(detector(rgb, upsample), key=lambda r: -r.width()):
        shape = predictor(rgb, rect)
        points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64) / scale
        box = (rect.left() / scale, rect.top() / scale, rect.width() / scale, rect.height() / scale)
        found.append(FaceGeometry(box, points))
    return found


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


def frame_around(image: np.ndarray, box: tuple[float, float, float, float], size: tuple[int, int],
                 face_px: float) -> tuple[np.ndarray, np.ndarray]:
    """The view of a camera that sees ``box`` ``face_px`` wide, centred a little above the middle.
    The view stays inside the photo where it can, so a face cut by the photo's edge stays cut."""
    width, height = size
    scale = face_px / box[2]
    view_w, view_h = width / scale, height / scale
    left = box[0] + box[2] / 2 - view_w / 2
    top = box[1] + box[3] / 2 - 0.45 * view_h
    rows, cols = image.shape[:2]
    left = _keep_inside(left, view_w, cols, box[0], box[0] + box[2])
    top = _keep_inside(top, view_h, rows, box[1], box[1] + box[3])
    matrix = np.array([[scale, 0, -left * scale], [0, scale, -top * scale]], dtype=np.float64)
    flags = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    view = cv2.warpAffine(image, matrix, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=BACKGROUND_BGR)
    return view, matrix


def _keep_inside(start: float, view: float, size: int, low: float, high: float) -> float:
    """Where a view of length ``view`` starts on a photo axis of ``size``: inside the photo when it fits,
    and with a face that touches the photo's edge (``low``..``high``) kept at the view's edge."""
    if view <= size:
        return min(max(start, 0.0), size - view)
    if low <= 0.03 * size:
        return 0.0
    if high >= 0.97 * size:
        return size - view
    return start


def _eyes(points: np.ndarray) -> list[tuple[np.ndarray, float]]:
    return [((points[a] + points[b]) / 2, float(np.linalg.norm(points[a] - points[b]))) for a, b in ((0, 1), (2, 3))]


def _eye_distance(points: np.ndarray) -> float:
    (left, _), (right, _) = _eyes(points)
    return float(np.linalg.norm(left - right))


def close_eyes(image: np.ndarray, points: np.ndarray, amount: float) -> np.ndarray:
    """Squeeze both eyes shut by ``amount`` (0 open .. 1 closed): a smooth vertical squash of each eye."""
    map_y = np.indices(image.shape[:2], dtype=np.float32)[0]
    stretch = amount * (1 / BLINK_SQUEEZE - 1)
    for centre, width in _eyes(points):
        x0, x1 = int(centre[0] - 1.5 * width), int(centre[0] + 1.5 * width)
        y0, y1 = int(centre[1] - 1.5 * width), int(centre[1] + 1.5 * width)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, image.shape[1]), min(y1, image.shape[0])
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        dy = ys - centre[1]
        bump = np.exp(-0.5 * ((xs - centre[0]) / (0.8 * width)) ** 2 - 0.5 * (dy / (0.35 * width)) ** 2)
        map_y[y0:y1, x0:x1] = centre[1] + dy * (1 + bump * stretch)
    map_x = np.indices(image.shape[:2], dtype=np.float32)[1]
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def move_head(image: np.ndarray, points: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Slide the middle of the face (nose, eyes, mouth) by (dx, dy) eye distances; the outline stays:
    to the landmarks it looks like a head turned (dx) or nodded (dy)."""
    eye_distance = _eye_distance(points)
    centre = points[4] * 0.7 + points[:4].mean(axis=0) * 0.3
    grid_y, grid_x = np.indices(image.shape[:2], dtype=np.float32)
    bump = np.exp(-0.5 * ((grid_x - centre[0]) / (0.55 * eye_distance)) ** 2
                  - 0.5 * ((grid_y - centre[1]) / (0.9 * eye_distance)) ** 2)
    map_x = (grid_x - dx * eye_distance * bump).astype(np.float32)
    map_y = (grid_y - dy * eye_distance * bump).astype(np.float32)
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def act(image: np.ndarray, points: np.ndarray, action: str, amount: float) -> np.ndarray:
    """``image`` with the person ``amount`` of the way into ``action``."""
    if action == "blink":
        return close_eyes(image, points, amount)
    if action == "nod":
        return move_head(image, points, 0.0, NOD_SHIFT * amount)
    sign = 1.0 if action == "turn_left" else -1.0
    return move_head(image, points, sign * TURN_SHIFT * amount, 0.0)


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
        self._last_frame: Frame | None = None
        self._images: dict[tuple[str, str | None], tuple[np.ndarray, FaceGeometry | None]] = {}
        self._action: tuple[str, int] | None = None
        self._followed: str | None = None

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
            index, scene, person = self._index, self._scene, self._person
            movement = self._movement(index)
        image = self._render(scene, person, index, movement)
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
        if scene != "person":
            return base.copy()
        shift = SWAY_PIXELS[index % len(SWAY_PIXELS)]
        matrix = np.array([[1, 0, shift], [0, 1, shift // 2]], dtype=np.float64)
        image = cv2.warpAffine(base, matrix, self.size, borderMode=cv2.BORDER_REPLICATE)
        if face is not None and movement is not None:
            image = act(image, face.moved(matrix).points, *movement)
        return image

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
        width, height = self.size
        if scene == "nobody":
            return np.full((height, width, 3), BACKGROUND_BGR, dtype=np.uint8), None
        if scene == "two_people":
            photo = cv2.imread(str(self.people.asset_dir / TWO_PEOPLE_PHOTO), cv2.IMREAD_COLOR)
            if photo is None:
                raise self._error(ErrorCode.HARDWARE_ERROR, "no_image", str(TWO_PEOPLE_PHOTO))
            return self._two_people(photo), None
        assert person is not None
        view, face = self._kiosk_view(decode_image(self.people.live_photos[person]))
        if scene == "person":
            return view, face
        return self._printed(view), None

    def _kiosk_view(self, photo: np.ndarray) -> tuple[np.ndarray, FaceGeometry | None]:
        """The person as the kiosk camera sees them; the whole photo letterboxed when no face is found."""
        faces = locate_faces(photo)
        if not faces:
            return letterbox(photo, self.size, BACKGROUND_BGR), None
        view, matrix = frame_around(photo, faces[0].box, self.size, FACE_WIDTH * self.size[0])
        return view, faces[0].moved(matrix)

    def _two_people(self, photo: np.ndarray) -> np.ndarray:
        """Two people side by side, both close enough to be seen as customers."""
        faces = locate_faces(photo)
        if len(faces) < 2:
            return letterbox(photo, self.size, BACKGROUND_BGR)
        xs = [f.box[0] for f in faces] + [f.box[0] + f.box[2] for f in faces]
        ys = [f.box[1] for f in faces] + [f.box[1] + f.box[3] for f in faces]
        span = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        scale = min(self.size[0] * 0.9 / span[2], FACE_WIDTH * self.size[0] / max(f.box[2] for f in faces))
        view, _ = frame_around(photo, span, self.size, span[2] * scale)
        return view

    def _printed(self, view: np.ndarray) -> np.ndarray:
        """A print of the person's picture on white paper, held up in the middle of the view."""
        width, height = self.size
        inner = (max(1, int(width * PRINT_SCALE)), max(1, int(height * PRINT_SCALE)))
        sheet = letterbox(view, inner, PAPER_BGR)
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
        self._action = None
