"""Simulated ID card chip photos, for the simulator's ID cards and the benchmark.

The chip of a second-generation resident ID card holds a small, heavily compressed photo: about
102x126 px once decoded, colour, head and shoulders on a plain background. What the face check compares
a live face with is that picture, not the printed one, so the simulator's cards and the benchmarks use
:func:`chip_photo`: a crop around the face at that size, colour, JPEG quality 50 (``grey=True`` for the
grey copies some readers hand out).

Finding the face in the source photo uses dlib's detector through the camera simulator's helper (no
face_recognition import, so this is cheap enough for the composition root).
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from devices.camera.sim import decode_image, locate_faces
from devices.sim_profiles import People
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
    (cards whose photo has no face keep it, so the face check falls back to staff as for a bad chip)."""
    made: dict[bytes, bytes] = {}  # several demo cards share a photo
    cards = {}
    for key, card in people.id_cards.items():
        photo = card.photo
        if photo is not None and photo not in made:
            try:
                made[photo] = chip_photo(photo)
            except ValueError:
                made[photo] = photo
        cards[key] = dataclasses.replace(card, photo=made[photo] if photo is not None else None)
    return dataclasses.replace(people, id_cards=cards)
