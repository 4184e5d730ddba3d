"""The camera simulator's pictures: a scene made from the demo photos, frame by frame (numpy and OpenCV,
imported with the simulator's first frame, not when the kiosk starts).

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

from devices.camera import face_cache

TWO_PEOPLE_PHOTO = Path("faces") / "obama_biden_2010_two_faces.jpg"
BACKGROUND_BGR = (176, 184, 190)  # the wall behind the kiosk
PAPER_BGR = (245, 245, 245)
PRINT_SCALE = 0.85  # a print held up covers less of the view than a face
SWAY_PIXELS = (0, 1, 2, 1, 0, -1, -2, -1)  # a live person is never perfectly still
FACE_WIDTH = 0.3  # a customer at the counter: face box width as a share of the frame width
TURN_SHIFT = 0.65  # how far a turn moves the nose, in eye distances (image x: the person's left is +x)
NOD_SHIFT = 0.6
BLINK_SQUEEZE = 0.2  # eye height left at the deepest point of a blink
Size = tuple[int, int]  # width, height


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


# -- scenes -------------------------------------------------------------------------------------
def nobody(size: Size) -> np.ndarray:
    """A plain background."""
    width, height = size
    return np.full((height, width, 3), BACKGROUND_BGR, dtype=np.uint8)


def read_photo(path: Path) -> np.ndarray | None:
    """A photo file as a BGR array; None when it cannot be read."""
    image: np.ndarray | None = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return image


def kiosk_view(photo: np.ndarray, size: Size) -> tuple[np.ndarray, FaceGeometry | None]:
    """The person as the kiosk camera sees them; the whole photo letterboxed when no face is found."""
    faces = locate_faces(photo)
    if not faces:
        return letterbox(photo, size, BACKGROUND_BGR), None
    view, matrix = frame_around(photo, faces[0].box, size, FACE_WIDTH * size[0])
    return view, faces[0].moved(matrix)


def two_people(photo: np.ndarray, size: Size) -> np.ndarray:
    """Two people side by side, both close enough to be seen as customers."""
    faces = locate_faces(photo)
    if len(faces) < 2:
        return letterbox(photo, size, BACKGROUND_BGR)
    xs = [f.box[0] for f in faces] + [f.box[0] + f.box[2] for f in faces]
    ys = [f.box[1] for f in faces] + [f.box[1] + f.box[3] for f in faces]
    span = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    scale = min(size[0] * 0.9 / span[2], FACE_WIDTH * size[0] / max(f.box[2] for f in faces))
    view, _ = frame_around(photo, span, size, span[2] * scale)
    return view


def printed(view: np.ndarray, size: Size) -> np.ndarray:
    """A print of the person's picture on white paper, held up in the middle of the view."""
    width, height = size
    inner = (max(1, int(width * PRINT_SCALE)), max(1, int(height * PRINT_SCALE)))
    sheet = letterbox(view, inner, PAPER_BGR)
    sheet = cv2.copyMakeBorder(sheet, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=PAPER_BGR)
    frame = np.full((height, width, 3), BACKGROUND_BGR, dtype=np.uint8)
    rows, cols = sheet.shape[:2]
    rows, cols = min(rows, height), min(cols, width)
    top, left = (height - rows) // 2, (width - cols) // 2
    frame[top : top + rows, left : left + cols] = sheet[:rows, :cols]
    return frame


def live(base: np.ndarray, face: FaceGeometry | None, index: int, movement: tuple[str, float] | None,
         size: Size) -> np.ndarray:
    """Frame ``index`` of a live person: ``base`` swayed a little, and mid-``movement`` (action, amount)."""
    shift = SWAY_PIXELS[index % len(SWAY_PIXELS)]
    matrix = np.array([[1, 0, shift], [0, 1, shift // 2]], dtype=np.float64)
    image = cv2.warpAffine(base, matrix, size, borderMode=cv2.BORDER_REPLICATE)
    if face is not None and movement is not None:
        image = act(image, face.moved(matrix).points, *movement)
    return image
