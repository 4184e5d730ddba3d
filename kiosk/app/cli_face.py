"""``kiosk devices face verify --id-photo FILE --photo FILE [--json]``: compare two pictures the way the
face check does, for staff and QA diagnostics.

Prints whether they match, the decision the face check would take on this distance (match, uncertain:
a second look and then staff, no_match), the face distance, the thresholds, the embedder and how many
faces the photo has. Exit 0 whether or not they match; exit 3 with one line on stderr when either image has no usable face (or
cannot be read). Runs face_recognition in this process (a one-off command: no worker needed), and
prints no image data or encoding.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_NO_FACE = 3
PROBLEMS = {"undecodable": "is not an image this tool can read", "no_face": "has no face that can be used"}


def add_face_commands(devices_subparsers: Any) -> None:
    """Adds ``face verify`` under ``kiosk devices``."""
    face = devices_subparsers.add_parser("face", help="face verification").add_subparsers(metavar="ACTION")
    verify = face.add_parser("verify", help="compare an ID photo with a photo, as the face check does")
    verify.add_argument("--id-photo", type=Path, required=True, help="the ID card (chip) photo")
    verify.add_argument("--photo", type=Path, required=True, help="a photo or camera frame of the person")
    verify.add_argument("--threshold", type=float, default=None,
                        help="match at or under this distance (default: [face] threshold of the configuration)")
    verify.add_argument("--embedder", choices=("mobilefacenet", "dlib"), default=None,
                        help="the face model (default: [face] embedder of the configuration)")
    verify.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(handler=cmd_face_verify)


def cmd_face_verify(args: argparse.Namespace) -> int:
    from kiosk.identity.factory import face_recognition_missing

    missing = face_recognition_missing()
    if missing is not None:
        return _fail(missing)
    images = {}
    for option, path in (("--id-photo", args.id_photo), ("--photo", args.photo)):
        try:
            images[option] = path.read_bytes()
        except OSError as exc:
            return _fail(f"{option} {path}: {exc.strerror or exc}")
    from kiosk.identity.models import FaceModels

    face = _configured_face(args.config)
    embedder = args.embedder or face.embedder
    threshold, review = face.thresholds() if embedder == face.embedder else _defaults(embedder)
    if args.threshold is not None:
        threshold, review = args.threshold, max(review, args.threshold)
    models = FaceModels(embedder)
    found = {option: models.photo(data) for option, data in images.items()}
    encodings = {}
    for option, faces in found.items():
        if faces.encoding is None:
            path = args.id_photo if option == "--id-photo" else args.photo
            return _fail(f"{option} {path} {PROBLEMS.get(faces.problem or '', 'has no usable face')}")
        encodings[option] = faces.encoding
    import numpy as np  # here: `kiosk run` imports this module and starts without numpy

    distance = round(float(np.linalg.norm(encodings["--id-photo"] - encodings["--photo"])), 4)
    decision = "match" if distance <= threshold else "uncertain" if distance <= review else "no_match"
    faces_in_photo = found["--photo"].faces
    result = {"match": distance <= threshold, "decision": decision, "distance": distance, "threshold": threshold,
              "review_threshold": review, "embedder": embedder, "faces": faces_in_photo}
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        sys.stdout.write(f"match: {str(result['match']).lower()}\ndecision: {decision}\ndistance: {distance:.4f}\n"
                         f"threshold: {threshold}\nreview threshold: {review}\nembedder: {embedder}\n"
                         f"faces in photo: {faces_in_photo}\n")
    return 0


def _configured_face(config_path: Path | None) -> Any:
    from kiosk.app.config import load_config

    return load_config(config_path).face


def _defaults(embedder: str) -> tuple[float, float]:
    from kiosk.identity.settings import DEFAULT_REVIEW_THRESHOLDS, DEFAULT_THRESHOLDS

    return DEFAULT_THRESHOLDS[embedder], DEFAULT_REVIEW_THRESHOLDS[embedder]


def _fail(message: str) -> int:
    sys.stderr.write(f"kiosk: {message}\n")
    return EXIT_NO_FACE
