"""Face embedders: the model that turns an aligned face into the vector the face check compares.

Detection, the 68 landmarks, tracking, quality and liveness stay with dlib (models.py); what says
"same person or not" is an embedder chosen by the accuracy benchmark
(``tests/bench/bench_face_accuracy.py``, docs/face.md):

| name | model | vector | distance |
|---|---|---|---|
| ``mobilefacenet`` | MobileFaceNet (ArcFace-style, 112x112 aligned on five points), TensorFlow Lite, run by LiteRT | 192 | Euclidean between unit vectors (0..2) |
| ``dlib`` | dlib's ResNet face descriptor (face_recognition's) | 128 | Euclidean (0..~1.2) |

Each takes the RGB image and the face's 68 landmarks (dlib's numbering) and returns a vector; the
distance between two vectors is compared with the threshold configured for that embedder. The model
files are read from ``assets/models/`` only; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

MODELS_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"


@dataclass(frozen=True)
class ModelFile:
    path: Path
    size: int
    sha256: str

    def check(self) -> Path:
        """The file's path once its size and digest are the shipped ones; ValueError otherwise."""
        if not self.path.is_file():
            raise ValueError(f"face model missing: {self.path}")
        data = self.path.read_bytes()
        if len(data) != self.size or hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValueError(f"face model {self.path} is not the shipped file (size or sha256 differ)")
        return self.path


MOBILEFACENET = ModelFile(MODELS_DIR / "mobilefacenet" / "MobileFaceNet.tflite", 5_233_396,
                          "d8ba40c0127fb8ca9917e8fddc79bbbda063657bc92a496d34da0bc8a760443b")

# Where the five points go in a 112x112 face (the alignment ArcFace-style models are trained on).
ARCFACE_POINTS = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                           [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float32)


def five_points(landmarks: np.ndarray) -> np.ndarray:
    """Eye centres, nose tip and mouth corners (the subject's right eye first, as in the template)
    from dlib's 68 landmarks."""
    points = np.asarray(landmarks, dtype=np.float32)
    return np.array([points[36:42].mean(axis=0), points[42:48].mean(axis=0), points[30], points[48], points[54]],
                    dtype=np.float32)


def align(rgb: np.ndarray, landmarks: np.ndarray, size: int = 112) -> np.ndarray:
    """The face warped (similarity transform) so its five points sit on the template, ``size`` square."""
    matrix, _ = cv2.estimateAffinePartial2D(five_points(landmarks), ARCFACE_POINTS * (size / 112.0),
                                            method=cv2.LMEDS)
    if matrix is None:
        raise ValueError("the face's landmarks do not give an alignment")
    return cv2.warpAffine(rgb, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


class FaceEmbedder(Protocol):
    name: str

    def embed(self, rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray: ...

    def distance(self, a: np.ndarray, b: np.ndarray) -> float: ...


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class MobileFaceNetEmbedder:
    """MobileFaceNet on LiteRT. The model takes two faces per run; the face and its mirror image are
    embedded together and their sum is the face's vector (a flip-averaged embedding is steadier against
    a face turned a little to one side)."""

    name = "mobilefacenet"

    def __init__(self, model: ModelFile = MOBILEFACENET, threads: int = 1) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter: Any = Interpreter(model_path=str(model.check()), num_threads=threads)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._lock = threading.Lock()

    def embed(self, rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        face = align(rgb, landmarks).astype(np.float32)
        batch = (np.stack([face, face[:, ::-1]]) - 127.5) / 128.0
        with self._lock:
            self._interpreter.set_tensor(self._input, batch)
            self._interpreter.invoke()
            out = np.array(self._interpreter.get_tensor(self._output), dtype=np.float64)
        return unit(unit(out[0]) + unit(out[1]))

    def distance(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(np.linalg.norm(unit(a) - unit(b)))


class DlibEmbedder:
    """dlib's ResNet descriptor, as face_recognition computes it (one jitter)."""

    name = "dlib"

    def __init__(self) -> None:
        from kiosk.identity.models import load_face_recognition

        api = load_face_recognition()
        import dlib

        self._dlib = dlib
        self._encoder = api.face_encoder

    def embed(self, rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        points = [self._dlib.point(int(round(x)), int(round(y))) for x, y in landmarks]
        xs, ys = landmarks[:, 0], landmarks[:, 1]
        rect = self._dlib.rectangle(int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
        shape = self._dlib.full_object_detection(rect, points)
        return np.array(self._encoder.compute_face_descriptor(rgb, shape, 1), dtype=np.float64)

    def distance(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(np.linalg.norm(a - b))


EMBEDDERS = ("mobilefacenet", "dlib")


def make_embedder(name: str) -> FaceEmbedder:
    if name == "mobilefacenet":
        return MobileFaceNetEmbedder()
    if name == "dlib":
        return DlibEmbedder()
    raise ValueError(f"unknown face embedder {name!r}; allowed: {', '.join(EMBEDDERS)}")
