"""Face check benchmark: accuracy on the public-domain test photos, latency, and the camera preview's
frame rate while matching runs.

1. Distances (face_recognition, large model, 1 jitter): every photo against every photo, and simulated
   ID chip photos (102x126, colour, JPEG 50; three crops each) against 640x480 camera frames made from the
   photos (face 150/180/220 px, three exposures, sharp or slightly soft). Genuine pairs are split into
   "independent" (two different photographs) and "same source" (the same pixels, cropped or degraded).
   False accepts and false rejects at the chosen threshold and around it.
2. Latency in the worker process, IPC included: tracking per frame, encoding one face; a whole
   verification from a cooperative face on a camera paced at 25 fps: match decision after the face
   appears, then the liveness challenge (the simulated person's own movement) separately.
3. Preview: a 25 fps ticker in this process (grab the newest frame, draw the face box, scale for the
   screen) while verifications run, with the worker process, and for contrast with face_recognition
   in this process.

    .venv/bin/python tests/bench/bench_face.py [--runs 20] [--json FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from devices.api import Cancellation, DeviceEvent  # noqa: E402
from devices.camera.api import Frame  # noqa: E402
from devices.camera.scenes import frame_around, locate_faces  # noqa: E402
from devices.camera.sim import SimCamera  # noqa: E402
from devices.sim_profiles import load_people  # noqa: E402
from kiosk.core.clock import SystemClock  # noqa: E402
from kiosk.identity.chip import CHIP_SIZE, chip_photo  # noqa: E402
from kiosk.identity.settings import DEFAULT_THRESHOLD, FaceSettings  # noqa: E402
from kiosk.identity.verifier import FaceRecognitionVerifier  # noqa: E402
from kiosk.identity.worker import FaceWorker  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FACES = ROOT.parent / "shared" / "testdata" / "faces"
if not FACES.exists():
    FACES = ROOT / "assets" / "sim" / "faces"
SIZE = (640, 480)
# (person, source photograph, file, which face: 0 the largest, or "left"/"right")
SOURCES = [
    ("obama", "portrait 2012", "obama_2012_oval_office_portrait.jpg", 0),
    ("obama", "speech 2009", "obama_2009_joint_session.jpg", 0),
    ("obama", "portrait 2012", "obama_2012_partial_face.jpg", 0),  # a crop of the portrait
    ("obama", "blue room 2010", "obama_biden_2010_two_faces.jpg", "left"),
    ("biden", "blue room 2010", "biden_2010_blue_room.jpg", 0),
    ("biden", "blue room 2010", "obama_biden_2010_two_faces.jpg", "right"),  # same pixels as the one above
    ("collins", "nasa", "eileen_collins_nasa.png", 0),
]
CHIP_CROPS = [(0.0, 0.0, 1.0), (-0.04, -0.03, 0.92), (0.04, 0.03, 1.08)]  # shift x, shift y, scale of the box
THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9, 1.0, 1.1)
SETTINGS = FaceSettings()


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def ms(values: list[float]) -> str:
    return f"median {1000 * statistics.median(values):.1f} ms, p95 {1000 * pct(values, 95):.1f} ms (n={len(values)})"


# -- 1. distances --------------------------------------------------------------------------------
def source_faces() -> list[dict[str, Any]]:
    found = []
    for person, origin, name, which in SOURCES:
        image = cv2.imread(str(FACES / name), cv2.IMREAD_COLOR)
        faces = locate_faces(image)
        if which in ("left", "right"):
            faces = sorted(faces[:2], key=lambda f: f.box[0])[:: 1 if which == "left" else -1]
        found.append({"person": person, "origin": origin, "label": f"{name}" + (f" ({which})" if which else ""),
                      "image": image, "box": faces[0].box})
    return found


def camera_frames(source: dict[str, Any]) -> list[np.ndarray]:
    frames = []
    for face_px, gain, blur in itertools.product((150, 180, 220), (0.8, 1.0, 1.2), (0.0, 1.0)):
        view, _ = frame_around(source["image"], source["box"], SIZE, face_px)
        view = np.clip(view.astype(np.float32) * gain, 0, 255).astype(np.uint8)
        frames.append(cv2.GaussianBlur(view, (0, 0), blur) if blur else view)
    return frames


def chips(source: dict[str, Any]) -> list[bytes]:
    x, y, w, h = source["box"]
    made = []
    for dx, dy, scale in CHIP_CROPS:
        box = (x + dx * w + (1 - scale) * w / 2, y + dy * h + (1 - scale) * h / 2, w * scale, h * scale)
        made.append(chip_photo(source["image"], box))
    return made


def encode_frame(worker: FaceWorker, frame: np.ndarray) -> np.ndarray | None:
    seen = worker.call("analyse", frame, None, 1.0, FaceSettings().track_scale, timeout=30)
    return None if seen.box is None else worker.call("encode", frame, seen.box, timeout=30)


def pair_kind(a: dict[str, Any], b: dict[str, Any]) -> str:
    if a["person"] != b["person"]:
        return "impostor"
    return "genuine, same source" if a["origin"] == b["origin"] else "genuine, independent"


def distance_table(worker: FaceWorker) -> dict[str, Any]:
    sources = source_faces()
    photo_enc = [worker.call("encode", s["image"], s["box"], timeout=30) for s in sources]
    photo_pairs = []
    for (i, a), (j, b) in itertools.combinations(enumerate(sources), 2):
        d = float(np.linalg.norm(photo_enc[i] - photo_enc[j]))
        photo_pairs.append({"a": a["label"], "b": b["label"], "kind": pair_kind(a, b), "distance": round(d, 3)})
    chip_enc = [[worker.call("photo", c, timeout=30).encoding for c in chips(s)] for s in sources]
    frame_enc = [[encode_frame(worker, f) for f in camera_frames(s)] for s in sources]
    chip_pairs: dict[str, list[float]] = {}
    closest: list[tuple[float, str, str]] = []
    matrix = []
    for (i, a), (j, b) in itertools.product(enumerate(sources), repeat=2):
        kind = pair_kind(a, b) if i != j else "genuine, same source"
        cell = []
        for ce, fe in itertools.product(chip_enc[i], frame_enc[j]):
            if ce is None or fe is None:
                chip_pairs.setdefault("no face", []).append(0.0)
                continue
            d = float(np.linalg.norm(ce - fe))
            cell.append(d)
            chip_pairs.setdefault(kind, []).append(d)
            if kind == "impostor":
                closest.append((d, a["label"], b["label"]))
        matrix.append({"chip": i, "frame": j, "kind": kind, "median": round(statistics.median(cell), 3),
                       "min": round(min(cell), 3), "max": round(max(cell), 3)})
    closest.sort()
    return {"sources": [s["label"] for s in sources], "photo_pairs": photo_pairs, "chip_pairs": chip_pairs,
            "matrix": matrix,
            "closest_impostors": [{"distance": round(d, 3), "chip": a, "frame": b} for d, a, b in closest[:5]]}


def rates(pairs: dict[str, list[float]], threshold: float) -> dict[str, Any]:
    genuine = pairs.get("genuine, independent", []) + pairs.get("genuine, same source", [])
    impostor = pairs.get("impostor", [])
    return {"threshold": threshold,
            "false_accepts": sum(d <= threshold for d in impostor), "impostor_pairs": len(impostor),
            "false_rejects": sum(d > threshold for d in genuine), "genuine_pairs": len(genuine),
            "false_rejects_independent": sum(d > threshold for d in pairs.get("genuine, independent", [])),
            "independent_pairs": len(pairs.get("genuine, independent", []))}


# -- 2. latency ----------------------------------------------------------------------------------
class PacedCamera:
    """The simulator behind a 25 fps clock: latest_frame gives the newest frame, as a real camera does."""

    def __init__(self, camera: SimCamera, fps: float = 25.0) -> None:
        self.camera, self.period = camera, 1.0 / fps
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._due = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.camera, name)

    def latest_frame(self, timeout: float) -> Frame:
        with self._lock:
            now = time.monotonic()
            if self._frame is None or now >= self._due:
                self._frame = self.camera.latest_frame(timeout)
                self._due = max(self._due + self.period, now)
            return self._frame


def tracking_and_encoding(worker: FaceWorker, people: Any) -> dict[str, list[float]]:
    camera = SimCamera(SystemClock(), people)
    camera.start()
    track, encode = [], []
    for person in ("zhang_wei", "chen_jing", "li_xiuying"):
        camera.show("person", person)
        box = None
        for index in range(100):
            image = camera.latest_frame(1).image
            start = time.perf_counter()
            probe = SETTINGS.probe_scale if index % SETTINGS.probe_every == 0 else None
            part = 1 + (index // SETTINGS.probe_every) % 2
            seen = worker.call("analyse", image, box, probe, SETTINGS.track_scale, part, timeout=10)
            track.append(time.perf_counter() - start)
            box = seen.box
            if index % 10 == 0 and box is not None:
                start = time.perf_counter()
                worker.call("encode", image, box, timeout=10)
                encode.append(time.perf_counter() - start)
    camera.close()
    return {"track": track, "encode": encode}


def verifications(worker: FaceWorker, people: Any, runs: int) -> dict[str, Any]:
    sim = SimCamera(SystemClock(), people)
    camera = PacedCamera(sim)
    verifier = FaceRecognitionVerifier(FaceSettings(), worker, rng=random.Random(5))
    match_s, liveness_s, total_s, outcomes = [], [], [], []
    for run in range(runs):
        person = ("zhang_wei", "chen_jing")[run % 2]
        chip = chip_photo(people.id_cards[person].photo)
        marks: dict[str, float] = {}

        def sink(event: DeviceEvent, marks: dict[str, float] = marks) -> None:
            now = time.monotonic()
            if event.data["box"] is not None:
                marks.setdefault("face", now)
            if event.data["challenge"] is not None:
                marks.setdefault("challenge", now)
                sim.follow_screen(type("Screen", (), {"kind": "face", "data": event.data})())

        sim.show("nobody")
        threading.Timer(0.5, sim.show, ("person", person)).start()  # the customer steps up
        decision = verifier.verify(chip, "", camera, 20, Cancellation(), sink)
        end = time.monotonic()
        outcomes.append(decision.reason)
        if "face" in marks and "challenge" in marks:
            match_s.append(marks["challenge"] - marks["face"])
            liveness_s.append(end - marks["challenge"])
            total_s.append(end - marks["face"])
    sim.close()
    return {"match": match_s, "liveness": liveness_s, "total": total_s, "outcomes": outcomes}


# -- 3. preview ----------------------------------------------------------------------------------
def preview_during(work: Any, camera: Any, seconds: float) -> dict[str, float]:
    """Run ``work`` on a thread while this thread ticks at 25 fps like the UI's preview timer."""
    done = threading.Event()

    def background() -> None:
        while not done.is_set():
            work()

    thread = threading.Thread(target=background, daemon=True)
    thread.start()
    period, ticks, late = 0.04, [], []
    start = next_tick = time.monotonic()
    while time.monotonic() - start < seconds:
        now = time.monotonic()
        if now < next_tick:
            time.sleep(next_tick - now)
        late.append(time.monotonic() - next_tick)
        image = camera.latest_frame(1).image.copy()
        cv2.rectangle(image, (200, 120), (420, 360), (0, 200, 0), 3)
        cv2.resize(cv2.flip(image, 1), (960, 720), interpolation=cv2.INTER_LINEAR)
        ticks.append(time.monotonic())
        next_tick += period
        if time.monotonic() > next_tick:  # a missed tick is dropped, as a Qt timer does
            next_tick = time.monotonic()
    done.set()
    thread.join()
    span = ticks[-1] - ticks[0]
    return {"fps": (len(ticks) - 1) / span, "late_p95_ms": 1000 * pct(late, 95), "late_max_ms": 1000 * max(late)}


def preview(worker: FaceWorker, people: Any, seconds: float) -> dict[str, Any]:
    sim = SimCamera(SystemClock(), people)
    sim.start()
    sim.show("person", "chen_jing")
    verifier = FaceRecognitionVerifier(FaceSettings(), worker, rng=random.Random(3))
    chip = chip_photo(people.id_cards["chen_jing"].photo)

    def with_worker() -> None:
        verifier.verify(chip, "", sim, 20, Cancellation(),
                        lambda e: sim.follow_screen(type("S", (), {"kind": "face", "data": e.data})()))

    idle = preview_during(lambda: time.sleep(0.01), sim, seconds / 2)
    worker_run = preview_during(with_worker, sim, seconds)
    from kiosk.identity.models import FaceModels

    models = FaceModels()
    frame = sim.latest_frame(1).image
    box = models.analyse(frame, None, None, 0.5).box

    def in_process() -> None:
        models.analyse(frame, box, SETTINGS.probe_scale, 0.5)
        models.encode(frame, box)

    same_process = preview_during(in_process, sim, seconds)
    sim.close()
    return {"idle": idle, "worker": worker_run, "in_process": same_process}


# -- report --------------------------------------------------------------------------------------
def summary(values: list[float]) -> str:
    return f"n={len(values)}, median {statistics.median(values):.3f}, min {min(values):.3f}, max {max(values):.3f}"


def report(result: dict[str, Any]) -> None:
    table = result["distances"]
    print("\n## photo vs photo")
    print("| photo | photo | pair | distance |\n|---|---|---|---|")
    for p in sorted(table["photo_pairs"], key=lambda p: (p["kind"], p["distance"])):
        print(f"| {p['a']} | {p['b']} | {p['kind']} | {p['distance']:.3f} |")
    print(f"\n## simulated chip {CHIP_SIZE[0]}x{CHIP_SIZE[1]} (colour, JPEG 50) vs 640x480 frame")
    for kind, values in sorted(table["chip_pairs"].items()):
        print(f"- {kind}: {summary(values)}" if kind != "no face" else f"- no face found: {len(values)}")
    print("- closest impostors:", ", ".join(f"{c['distance']} ({c['chip']} / {c['frame']})"
                                            for c in table["closest_impostors"][:3]))
    print("\nmedian (max for genuine, min for impostor) per chip source (rows) and frame source (columns);"
          " * genuine, independent photographs; + genuine, same source")
    labels = [f"{n}. {label}" for n, label in enumerate(table["sources"], 1)]
    print("| chip \\ frame | " + " | ".join(str(n) for n in range(1, len(labels) + 1)) + " |")
    print("|---" * (len(labels) + 1) + "|")
    for i, label in enumerate(labels):
        cells = []
        for cell in (c for c in table["matrix"] if c["chip"] == i):
            mark = {"genuine, independent": "*", "genuine, same source": "+"}.get(cell["kind"], "")
            edge = cell["max"] if mark else cell["min"]
            cells.append(f"{mark}{cell['median']:.2f} ({edge:.2f})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\n| threshold | false accepts | false rejects (all genuine) | false rejects (independent) |")
    print("|---|---|---|---|")
    for r in result["rates"]:
        print(f"| {r['threshold']} | {r['false_accepts']} / {r['impostor_pairs']} | {r['false_rejects']} / "
              f"{r['genuine_pairs']} | {r['false_rejects_independent']} / {r['independent_pairs']} |")
    lat = result["latency"]
    print("\n## latency")
    print(f"- tracking per frame (worker, IPC included): {ms(lat['track'])}, mean {1000 * statistics.fmean(lat['track']):.1f} ms")
    print(f"- encoding one face (worker, IPC included): {ms(lat['encode'])}")
    v = result["verification"]
    print(f"- match decision after a cooperative face appears (25 fps camera): {ms(v['match'])}")
    print(f"- liveness (blink + one movement, the simulated person's own time): {ms(v['liveness'])}")
    print(f"- whole verification from the face's appearance: {ms(v['total'])}")
    print(f"- outcomes: {dict((o, v['outcomes'].count(o)) for o in sorted(set(v['outcomes'])))}")
    print("\n## preview ticker (25 fps target) in the kiosk process")
    for name, p in result["preview"].items():
        print(f"- {name}: {p['fps']:.1f} fps, tick lateness p95 {p['late_p95_ms']:.1f} ms, max {p['late_max_ms']:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="cooperative verifications to time")
    parser.add_argument("--preview-seconds", type=float, default=8.0)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    people = load_people()
    with FaceWorker() as worker:
        started = time.monotonic()
        worker.wait_ready()
        ready_s = time.monotonic() - started
        distances = distance_table(worker)
        result = {
            "worker_ready_s": round(ready_s, 2),
            "distances": distances,
            "rates": [rates(distances["chip_pairs"], t) for t in THRESHOLDS],
            "latency": tracking_and_encoding(worker, people),
            "verification": verifications(worker, people, args.runs),
            "preview": preview(worker, people, args.preview_seconds),
        }
    print(f"face worker ready after {result['worker_ready_s']} s; threshold {DEFAULT_THRESHOLD}")
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
