"""Behavioural document camera: QA lays something on the platen; frames show it as the camera above sees it.

What can lie there: nothing (``empty``), a demo company's business licence (``licence``: drawn from
people.toml's companies by :mod:`devices.doccamera.licence_image`, its QR code readable, or stained with
``damaged``), any picture file (``picture``: a photo of a licence) or a slip with a code (``code``: a QR code
that is no licence's). Frames are the document laid a little askew on the dark platen, softened, with sensor
noise that changes frame to frame; the document does not sway (it lies still). Pictures are made with the first
frame that needs them (Pillow, numpy, OpenCV), so building the simulator costs the kiosk's start nothing.

Faults: ``offline`` (NOT_READY, sticky), ``no_frames`` (TIMEOUT: connected, delivering nothing), ``lamp``
(HARDWARE_ERROR: the platen's light failed; latched until a good call or a reset).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from devices.api import ErrorCode
from devices.camera.api import Frame
from devices.doccamera.api import DocumentImage
from devices.doccamera.licences import Licence, load_licences
from devices.sim_profiles import People
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock

if TYPE_CHECKING:
    import numpy as np

PLATEN_BGR = (58, 60, 64)  # the platen's dark mat
DOCUMENT_WIDTH = 0.92  # of the frame's width, at most
SKEW_DEGREES = 1.5  # laid by hand: never quite square
NOISE = 4
CODE_SYMBOLOGIES = ("code128", "qrcode")


class SimDocumentCamera(SimulatedDevice):
    FAULTS = {
        "offline": ErrorCode.NOT_READY,
        "no_frames": ErrorCode.TIMEOUT,
        "lamp": ErrorCode.HARDWARE_ERROR,
    }

    def __init__(self, clock: Clock, people: People, name: str = "doccamera", size: tuple[int, int] = (1280, 960)) -> None:
        super().__init__(clock, name)
        self.people = people
        self.size = size
        self._licences: dict[str, Licence] | None = None
        self._document: tuple[str, ...] = ("empty",)  # ("licence", key, damaged) | ("picture", path) | ("code", ...)
        self._bases: dict[tuple[str, ...], np.ndarray] = {}
        self._starts = 0
        self._index = 0
        self._last_frame: Frame | None = None

    # -- QA controls -------------------------------------------------------------------------
    def licences(self) -> dict[str, Licence]:
        """The demo companies' licences QA can lay down, by company key."""
        if self._licences is None:
            self._licences = load_licences(self.people.source)
        return self._licences

    def show_licence(self, key: str, damaged: bool = False) -> None:
        """The business licence of the demo company ``key`` lies on the platen (``damaged``: its QR code stained)."""
        if key not in self.licences():
            raise ValueError(f"{self.name}: no licence {key!r}; licences: {', '.join(sorted(self.licences()))}")
        self._lay(("licence", key, "damaged" if damaged else ""))

    def show_picture(self, path: str | Path) -> None:
        """The picture in the file at ``path`` (a photo of a licence) lies on the platen."""
        from devices.camera import code_images

        code_images.picture_file(Path(path))  # one that does not load is refused now
        self._lay(("picture", str(path)))

    def show_code(self, text: str, symbology: str = "qrcode", damaged: bool = False) -> None:
        """A slip with ``text`` as a QR code or Code 128 barcode lies on the platen."""
        if symbology not in CODE_SYMBOLOGIES:
            raise ValueError(f"{self.name}: symbology {symbology!r}; allowed: {', '.join(CODE_SYMBOLOGIES)}")
        if not text or len(text) > 200:
            raise ValueError(f"{self.name}: a code holds 1 to 200 characters")
        from devices.camera import code_images

        code_images.code_picture(text, symbology)  # a text the symbology cannot hold is refused now
        self._lay(("code", text, symbology, "damaged" if damaged else ""))

    def clear(self) -> None:
        """The document is taken off the platen."""
        self._lay(("empty",))

    def document(self) -> str:
        """What lies on the platen: "empty", "licence:<key>", "picture" or "code"."""
        with self._lock:
            kind = self._document[0]
            return f"licence:{self._document[1]}" if kind == "licence" else kind

    def _lay(self, document: tuple[str, ...]) -> None:
        with self._lock:
            self._document = document

    def warm(self) -> None:
        """Load now, off the UI thread, what the first frame would (numpy, OpenCV, the empty platen)."""
        self._base(("empty",))

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
        """The newest frame someone took, without taking one (for a preview)."""
        with self._lock:
            return self._last_frame if self._starts else None

    def latest_frame(self, timeout: float) -> Frame:
        with self._operation():
            with self._lock:
                if self._starts == 0:
                    raise self._error(ErrorCode.NOT_READY, "stopped", "start() the camera first")
                self._fail_if_armed("no_frames", "lamp")
                self._index += 1
                index, document = self._index, self._document
            frame = Frame(image=self._frame(document, index), timestamp=self.clock.monotonic(), index=index,
                          scene=document[0])
        with self._lock:
            self._last_frame = frame
        return frame

    def capture(self, timeout: float) -> DocumentImage:
        self.start()
        try:
            frame = self.latest_frame(timeout)
        finally:
            self.stop()
        return DocumentImage(frame.image, self.size[0], self.size[1], frame.timestamp, self.document())

    # -- pictures ----------------------------------------------------------------------------
    def _frame(self, document: tuple[str, ...], index: int) -> np.ndarray:
        import numpy as np

        base = self._base(document)
        noise = np.random.default_rng(index).integers(-NOISE, NOISE + 1, base.shape, dtype=np.int16)
        return np.clip(base + noise, 0, 255).astype(np.uint8)

    def _base(self, document: tuple[str, ...]) -> np.ndarray:
        with self._lock:
            cached = self._bases.get(document)
        if cached is None:
            cached = self._compose(document)
            with self._lock:
                self._bases[document] = cached
        return cached

    def _compose(self, document: tuple[str, ...]) -> np.ndarray:
        import cv2
        import numpy as np

        kind = document[0]
        if kind == "empty":
            return np.full((self.size[1], self.size[0], 3), PLATEN_BGR, dtype=np.uint8)
        if kind == "licence":
            from devices.doccamera import licence_image

            picture = licence_image.render(self.licences()[document[1]], document[2] == "damaged").image
            picture = cv2.cvtColor(picture, cv2.COLOR_RGB2BGR)
        elif kind == "picture":
            from devices.camera import code_images

            picture = code_images.picture_file(Path(document[1]))
        else:
            from devices.camera import code_images

            picture = code_images.slip(document[1], document[2], document[3] == "damaged")
        return on_platen(picture, self.size)

    # -- status ------------------------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {"frames": self._index}

    def _detail(self) -> str:
        kind = self._document[0]
        shown = f"licence {self._document[1]}" if kind == "licence" else kind
        return f"platen: {shown}" + ("" if self._starts else " (stopped)")

    def _on_reset(self) -> None:
        self._starts = 0


def on_platen(picture: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``picture`` laid on the platen: as wide as fits, a little askew, softened as a lens does."""
    import cv2
    import numpy as np

    width, height = size
    rows, cols = picture.shape[:2]
    scale = min(width * DOCUMENT_WIDTH / cols, height * DOCUMENT_WIDTH / rows)
    matrix = cv2.getRotationMatrix2D((cols / 2, rows / 2), SKEW_DEGREES, scale)
    matrix[0, 2] += width / 2 - cols / 2
    matrix[1, 2] += height / 2 - rows / 2
    frame = np.full((height, width, 3), PLATEN_BGR, dtype=np.uint8)
    cv2.warpAffine(picture, matrix, size, dst=frame, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_TRANSPARENT)
    return cv2.GaussianBlur(frame, (3, 3), 0.6)
