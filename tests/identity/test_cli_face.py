"""``kiosk devices face verify`` on its own parser (the lead wires it into kiosk/app/cli.py)."""

from __future__ import annotations

import argparse
import json

import cv2
import numpy as np
import pytest

from kiosk.app.cli_face import EXIT_NO_FACE, add_face_commands
from kiosk.app.config import load_config
from kiosk.identity.chip import chip_photo

from .helpers import face_bytes, faces_dir

pytestmark = pytest.mark.slow


def kiosk_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    devices = parser.add_subparsers().add_parser("devices").add_subparsers()
    add_face_commands(devices)
    args = parser.parse_args(["devices", "face", "verify", *argv])
    return int(args.handler(args))


@pytest.fixture(scope="module")
def chip_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("chips") / "obama_chip.jpg"
    path.write_bytes(chip_photo(face_bytes("obama_2012_oval_office_portrait.jpg")))
    return path


def test_the_holder_matches(chip_file, capsys):
    photo = faces_dir() / "obama_2009_joint_session.jpg"
    assert kiosk_cli(["--id-photo", str(chip_file), "--photo", str(photo)]) == 0
    lines = capsys.readouterr().out.splitlines()
    threshold, review = load_config().face.thresholds()
    assert lines[:2] == ["match: true", "decision: match"]
    assert lines[2].startswith("distance: 0.")
    assert lines[3:] == [f"threshold: {threshold}", f"review threshold: {review}", "embedder: mobilefacenet",
                         "faces in photo: 1"]


def test_a_threshold_and_an_embedder_can_be_given(chip_file, capsys):
    photo = faces_dir() / "obama_2009_joint_session.jpg"
    assert kiosk_cli(["--id-photo", str(chip_file), "--photo", str(photo), "--embedder", "dlib",
                      "--threshold", "0.3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["embedder"], result["threshold"], result["match"]) == ("dlib", 0.3, False)


def test_another_person_does_not_match_but_exits_0_with_json(chip_file, capsys):
    photo = faces_dir() / "obama_biden_2010_two_faces.jpg"  # the largest face is Biden's
    assert kiosk_cli(["--id-photo", str(chip_file), "--photo", str(photo), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"match", "decision", "distance", "threshold", "review_threshold", "embedder", "faces"}
    assert (result["match"], result["decision"]) == (False, "no_match")
    assert result["distance"] > result["review_threshold"] >= result["threshold"] == load_config().face.thresholds()[0]
    assert result["faces"] == 2


@pytest.mark.parametrize(("content", "message"), [
    (cv2.imencode(".png", np.full((200, 200, 3), 90, np.uint8))[1].tobytes(), "has no face that can be used"),
    (b"not a picture", "is not an image this tool can read"),
    (None, "No such file"),
])
def test_a_photo_without_a_usable_face_fails_with_one_line(chip_file, tmp_path, capsys, content, message):
    photo = tmp_path / "photo.png"
    if content is not None:
        photo.write_bytes(content)
    assert kiosk_cli(["--id-photo", str(chip_file), "--photo", str(photo)]) == EXIT_NO_FACE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("kiosk: --photo ")
    assert message in captured.err


def test_an_id_photo_without_a_face_fails_too(tmp_path, capsys):
    blank = tmp_path / "blank.jpg"
    blank.write_bytes(cv2.imencode(".jpg", np.full((126, 102), 128, np.uint8))[1].tobytes())
    photo = faces_dir() / "obama_2009_joint_session.jpg"
    assert kiosk_cli(["--id-photo", str(blank), "--photo", str(photo)]) == EXIT_NO_FACE
    assert capsys.readouterr().err.startswith("kiosk: --id-photo ")
