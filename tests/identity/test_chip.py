"""Simulated ID chip photos: size, colour, compression, framing; the demo people's cards carry them."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.scenes import decode_image, locate_faces
from kiosk.identity.chip import CHIP_SIZE, chip_photo, with_chip_photos

from .helpers import face_bytes, read_face


def test_a_chip_photo_is_a_small_colour_jpeg_with_the_face_in_the_middle():
    chip = chip_photo(face_bytes("obama_2012_oval_office_portrait.jpg"))
    assert chip[:3] == b"\xff\xd8\xff"
    assert len(chip) < 7000  # quality 50 at 102x126
    image = cv2.imdecode(np.frombuffer(chip, np.uint8), cv2.IMREAD_UNCHANGED)
    assert image.shape == (CHIP_SIZE[1], CHIP_SIZE[0], 3)  # colour, as on the chip
    big = cv2.resize(image, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    x, y, w, _ = locate_faces(big, upsample=0)[0].box
    assert 0.4 < (x + w / 2) / big.shape[1] < 0.6
    assert 0.4 < w / big.shape[1] < 0.65


def test_quality_and_grey_can_be_chosen():
    photo = read_face("biden_2010_blue_room.jpg")
    grey = chip_photo(photo, quality=90, grey=True)
    assert cv2.imdecode(np.frombuffer(grey, np.uint8), cv2.IMREAD_UNCHANGED).shape == (CHIP_SIZE[1], CHIP_SIZE[0])
    assert len(chip_photo(photo, quality=90)) > len(chip_photo(photo))


def test_a_photo_without_a_face_is_refused():
    with pytest.raises(ValueError, match="no face"):
        chip_photo(np.full((300, 300, 3), 200, np.uint8))


def test_the_demo_id_cards_get_chip_photos(people):
    chipped = with_chip_photos(people)
    for key, card in chipped.id_cards.items():
        original = people.id_cards[key].photo
        assert (card.photo is None) == (original is None)
        if card.photo is not None:
            assert decode_image(card.photo).shape[:2] == (CHIP_SIZE[1], CHIP_SIZE[0])
    assert chipped.live_photos == people.live_photos


def test_a_card_gets_its_chip_photo_when_first_taken_and_warm_makes_the_rest(people, monkeypatch):
    from kiosk.identity import chip

    made = []
    real = chip.chip_photo
    monkeypatch.setattr(chip, "chip_photo", lambda photo: made.append(photo) or real(photo))
    cards = with_chip_photos(people).id_cards
    assert sorted(cards) == sorted(people.id_cards)
    assert len(cards) == len(people.id_cards)
    assert "zhang_wei" in cards
    assert "nobody" not in cards
    assert made == []  # listing the cards makes no photo
    assert cards["zhang_wei"] is cards["zhang_wei"]
    assert made == [people.id_cards["zhang_wei"].photo]
    cards.warm()
    photos = {card.photo for card in people.id_cards.values() if card.photo is not None}
    assert len(made) == len(photos)  # each source photo once, shared photos too
