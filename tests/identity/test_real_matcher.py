"""The scenario files of the face flows, run with the face_recognition matcher instead of the simulated
one: the holder passes, another person fails and is offered staff, two people get guidance, a still
photo fails liveness. Then privacy: after a session nothing of a face is on disk or in the journal.

The kiosk is built as the composition root builds it, with what ``[face] matcher = "face_recognition"``
changes: the real verifier, chip photos on the simulated ID cards, and the simulated customer reading
the screen (the camera simulator performs the movement the screen asks for).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import pytest

import kiosk.app.scenario as scenario_module
from kiosk.app.scenario import load_scenario, run_scenario
from kiosk.identity.chip import with_chip_photos
from kiosk.identity.verifier import FaceRecognitionVerifier
from kiosk.identity.worker import FaceWorker

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).parents[1] / "scenarios"
FACE_FIELDS = {"match", "reason", "distance", "threshold", "liveness", "faces"}
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG")
OVERRIDES = {"devices.smartcard.backend": "sim"}  # as tests/conftest.py's TEST_OVERRIDES: no pcscd needed


@pytest.fixture(scope="module")
def chipped_people():
    from devices.sim_profiles import load_people

    return with_chip_photos(load_people())


@pytest.fixture
def use_real_matcher(monkeypatch, chipped_people):
    """``use_real_matcher(worker)``: scenarios from now on run on kiosks with the real matcher on that
    worker; returns the list of kiosks built."""
    built = []
    build = scenario_module.build_kiosk

    def use(worker: FaceWorker) -> list:
        def build_with_real_matcher(config, **kwargs):
            kiosk = build(config, **kwargs)
            kiosk.services.face = FaceRecognitionVerifier(worker=worker)
            kiosk.people = chipped_people
            kiosk.engine.subscribe(kiosk.devices.camera.follow_screen)
            built.append(kiosk)
            return kiosk

        monkeypatch.setattr(scenario_module, "build_kiosk", build_with_real_matcher)
        return built

    return use


def run(name: str, tmp_path: Path) -> dict:
    result = run_scenario(load_scenario(SCENARIOS / name), data_dir=tmp_path / "kiosk", overrides=OVERRIDES)
    assert result["passed"], "\n".join(result["failures"]) + "\nscreens: " + " > ".join(
        s["step"] for s in result["screens"])
    return result


@pytest.mark.parametrize("name", [
    "account_opening/happy_path.toml",  # the holder passes
    "account_opening/face_fails_staff_verifies.toml",  # another person, three times: staff
    "account_opening/two_people.toml",  # guidance, then the holder alone passes
    "account_opening/photo_liveness.toml",  # a print held up: liveness fails, staff
    "loss_report/still_photo.toml",  # a print, three times: staff
    "loss_report/verbal_happy_path.toml",  # the holder passes (chip photo and live photo differ)
])
def test_face_scenarios_with_the_real_matcher(use_real_matcher, face_worker, tmp_path, name):
    built = use_real_matcher(face_worker)
    run(name, tmp_path)
    assert len(built) == 1


def face_results(journal: Path, session_id: str) -> list[dict]:
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT name, detail FROM entries WHERE session_id = ? AND name LIKE 'face.%'",
                          (session_id,)).fetchall()
    return [{"name": name, **json.loads(detail)} for name, detail in rows]


def test_nothing_of_a_face_stays_on_disk_or_in_the_journal(use_real_matcher, tmp_path, monkeypatch,
                                                           chipped_people):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))  # for this test's own worker process, too
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with FaceWorker() as worker:
        built = use_real_matcher(worker)
        result = run("account_opening/two_people.toml", tmp_path)
    data_dir = Path(result["data_dir"])
    written = [p for p in data_dir.rglob("*") if p.is_file()]
    assert not list(temp.rglob("*"))
    chip = chipped_people.id_cards["chen_jing"].photo
    live = chipped_people.live_photos["chen_jing"]
    for path in written:
        data = path.read_bytes()
        assert chip[100:164] not in data, path
        assert live[1000:1064] not in data, path
        if "spool" not in path.relative_to(data_dir).parts:  # receipts are the printer's; nothing else is an image
            assert not data.startswith(IMAGE_MAGIC), path
    entries = face_results(data_dir / "journal.sqlite", result["session_id"])
    verified = [e for e in entries if e["name"] == "face.verify"]
    assert [e["value"]["reason"] for e in verified] == ["two_faces", "match"]
    assert all(set(e["value"]) == FACE_FIELDS for e in verified)
    attempts = [e for e in entries if e["name"] == "face.attempt"]
    assert [(e["attempt"], e["reason"]) for e in attempts] == [(0, "two_faces"), (0, "match")]
    assert all(len(json.dumps(e)) < 300 for e in entries)  # no encoding (128 numbers) hides in there
    assert built[0].engine.session is None  # the session, and with it the face data, is gone
