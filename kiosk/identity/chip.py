"""Simulated ID card chip photos, for the simulator's ID cards and the benchmark.

The chip of a second-generation resident ID card holds a small, heavily compressed photo: about
102x126 px once decoded, colour, head and shoulders on a plain background. What the face check compares
a live face with is that picture, not the printed one, so the simulator's cards and the benchmarks use
:func:`chip_photo`: a crop around the face at that size, colour, JPEG quality 50 (``grey=True`` for the
grey copies some readers hand out).

Finding the face in the source photo uses dlib's detector through the camera simulator's helper (no
face_recognition import, so this is cheap enough for the composition root). :func:`with_chip_photos`
makes a card's chip photo when the card is first taken (numpy and OpenCV load then, not at the start).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from devices.idcard.api import IdCard
from devices.sim_profiles import People

if TYPE_CHECKING:
    import numpy as np

    from kiosk.identity.measures import Box

CHIP_SIZE = (102, 126)  # width, height
FACE_SHARE = 0.52  # the face box's width as a share of the photo's width
FACE_CENTRE = 0.55  # the face box's centre, as a share of the height from the top
JPEG_QUALITY = 50


def chip_photo(photo: np.ndarray | bytes, face_box: Box | None = None, *, quality: int = JPEG_QUALITY,
               grey: bool = False) -> bytes:
    """A simulated chip photo (JPEG bytes) of the face in ``photo`` (BGR array or image bytes).

    ``face_box`` (x, y, w, h in the photo) says where the face is; without it the largest face found is
    used. Raises ValueError when there is none."""
    import cv2
    import numpy as np

    from devices.camera.scenes import decode_image, locate_faces

    image = decode_image(photo) if isinstance(photo, bytes | bytearray) else photo
    if face_box is None:
        faces = locate_faces(image)
        if not faces:
            raise ValueError("no face found in the photo")
        face_box = faces[0].box
    width, height = CHIP_SIZE
    x, y, w, h = face_box
    scale = FACE_SHARE * width / w
    matrix = np.array([[scale, 0, width / 2 - (x + w / 2) * scale],
                       [0, scale, FACE_CENTRE * height - (y + h / 2) * scale]], dtype=np.float64)
    source = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if grey else image
    if scale < 1:  # anti-alias before shrinking a large photo
        source = cv2.GaussianBlur(source, (0, 0), 0.5 / scale)
    chip = cv2.warpAffine(source, matrix, CHIP_SIZE, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    ok, encoded = cv2.imencode(".jpg", chip, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the chip photo could not be encoded")
    return bytes(encoded.tobytes())


def with_chip_photos(people: People) -> People:
    """The demo people, their ID cards carrying simulated chip photos instead of the source photos
    (cards whose photo has no face keep it, so the face check falls back to staff as for a bad chip).
    A card's chip photo is made when the card is first looked up; ``warm()`` makes them all."""
    return dataclasses.replace(people, id_cards=ChipPhotoCards(people.id_cards))


class ChipPhotoCards(Mapping[str, IdCard]):
    """ID cards by key, each with its chip photo, made on first look-up (thread-safe)."""

    def __init__(self, cards: Mapping[str, IdCard]) -> None:
        self._source = dict(cards)
        self._cards: dict[str, IdCard] = {}
        self._made: dict[bytes, bytes] = {}  # source photo -> chip photo: several demo cards share a photo
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> IdCard:
        with self._lock:
            card = self._cards.get(key)
            if card is None:
                card = self._cards[key] = self._with_chip(self._source[key])
            return card

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __contains__(self, key: object) -> bool:
        return key in self._source

    def warm(self) -> None:
        """Make every card's chip photo now (in the background, once the first screen is up)."""
        for key in self._source:
            self[key]

    def _with_chip(self, card: IdCard) -> IdCard:
        photo = card.photo
        if photo is None:
            return card
        if photo not in self._made:
            try:
                self._made[photo] = chip_photo(photo)
            except ValueError:
                self._made[photo] = photo
        return dataclasses.replace(card, photo=self._made[photo])
