"""The face check with face_recognition: is the person before the camera the holder of the ID card?

One verification, on the engine's operation thread (the heavy work runs in the face worker process):

1. encode the ID chip photo (small, grey, compressed: searched upsampled);
2. follow the face frame by frame (found on a downscaled frame, landmarks on the full one) and tell
   the customer what to change (guidance events) until ``match_frames`` frames pass the quality gates;
3. encode the best ``encode_frames`` of them at full resolution; the faces match when the mean
   distance to the chip photo is at most the threshold. Over the review threshold: no match, ending
   here. In between (uncertain): a second look gathers as many frames again and decides on the mean of
   both; still uncertain ends as "uncertain" (staff verify in person), never as a match;
4. liveness: a blink, then one movement picked at random, each within ``challenge_s`` seconds;
   a sequence of unchanged frames (a still image) fails at once, whatever the phase;
5. once more, a frontal frame after the movements is encoded and compared with the live frames that
   matched: the face that moved is the face that matched.

Everything a verification holds (frames, crops, encodings) belongs to one :class:`_Attempt` and is
dropped when ``verify`` returns; the worker keeps nothing between requests.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from devices.api import Cancellation, DeviceError, ErrorCode, EventSink, ignore_events
from devices.camera.api import Camera, Frame
from kiosk.identity.face import FaceDecision
from kiosk.identity.guidance import GuidanceEvents
from kiosk.identity.liveness import BLINK, PASSED, Baseline, watch_for
from kiosk.identity.measures import Box, clip_box, eye_aspect_ratio, face_grey, head_pose, motion, overlap
from kiosk.identity.quality import (
    CHALLENGE,
    CHECKING,
    NO_FACE,
    SECOND_LOOK,
    TOO_FAR,
    TWO_FACES,
    FaceObservation,
    frontality,
    quality_problem,
)
from kiosk.identity.settings import FaceSettings
from kiosk.identity.worker import FaceWorker, FaceWorkerError

CALL_TIMEOUT_S = 10.0  # one worker request (a frame takes ~10 ms, an encoding ~100 ms)
FRAME_WAIT_S = 0.005  # the camera has no newer frame yet: look again after this
CROP_MARGIN = 0.5  # a kept face crop reaches this share of the box beyond each side
STEADY_EYES = 0.12  # frames whose eye aspect ratio is this close to the usual one show the face at rest


class _Ended(Exception):
    """The attempt ends early with this decision reason (two people, a still image, nothing seen)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class _OutOfTime(Exception):
    pass


@dataclass
class _Candidate:
    """A good frame kept for encoding: a full resolution crop around the face."""

    score: float
    eyes: float  # eye aspect ratio: frames taken mid-blink are not encoded
    landmarks: np.ndarray
    crop: np.ndarray
    box: Box  # in the crop's coordinates


class FaceRecognitionVerifier:
    """The FaceVerifier of a real kiosk. ``start()`` the worker after the first screen; ``close()`` at the end."""

    def __init__(self, settings: FaceSettings | None = None, worker: FaceWorker | None = None, *,
                 rng: random.Random | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or FaceSettings()
        self.threshold = self.settings.threshold
        self.review_threshold = max(self.settings.review_threshold, self.threshold)
        self.worker = worker or FaceWorker(embedder=self.settings.embedder)
        self._owns_worker = worker is None
        self._rng = rng or random.SystemRandom()
        self._clock = clock

    def start(self) -> None:
        """Start the worker process in the background (it takes 2-3 s to load its models)."""
        self.worker.start()

    def close(self) -> None:
        if self._owns_worker:
            self.worker.stop()

    def verify(self, id_photo: bytes | None, id_number: str, camera: Camera, timeout: float,
               cancel: Cancellation, on_event: EventSink | None = None) -> FaceDecision:
        if id_photo is None:
            return self._decision("no_photo")
        try:
            reference = self.worker.call("photo", id_photo, timeout=CALL_TIMEOUT_S, cancel=cancel)
            if reference.encoding is None:
                return self._decision("no_photo")
            attempt = _Attempt(self, camera, reference.encoding, cancel, on_event or ignore_events)
            del reference
            camera.start()
            try:
                return attempt.run(self._clock() + timeout)
            finally:
                attempt.clear()
                camera.stop()
        except FaceWorkerError as exc:
            code = ErrorCode.CANCELLED if exc.reason == "cancelled" else ErrorCode.HARDWARE_ERROR
            raise DeviceError("camera", code, "cancelled" if exc.reason == "cancelled" else "face_worker",
                              exc.reason) from None

    def _decision(self, reason: str, distance: float | None = None, liveness: str = "not_checked",
                  faces: int = 0) -> FaceDecision:
        rounded = None if distance is None else round(distance, 4)
        return FaceDecision(reason == "match", reason, rounded, self.threshold, liveness, faces)

    def challenge(self) -> str:
        return self._rng.choice(self.settings.liveness.challenges)


class _Attempt:
    """One verification. Holds the chip photo's encoding, the last frame's face and the kept crops."""

    def __init__(self, verifier: FaceRecognitionVerifier, camera: Camera, reference: np.ndarray,
                 cancel: Cancellation, sink: EventSink) -> None:
        self.v = verifier
        self.s = verifier.settings
        self.camera = camera
        self.reference: np.ndarray | None = reference
        self.cancel = cancel
        self.clock = verifier._clock
        self.guide = GuidanceEvents(sink, self.s.event_interval_s, self.clock)
        self.box: Box | None = None
        self.jumped = False
        self.last_index: int | None = None
        self.frames = 0
        self.probe_next = False
        self.two_faces_run = 0
        self.still_run = 0
        self.last_image: np.ndarray | None = None  # the frame before, to see whether anything changes
        self.faces = 0
        self.distance: float | None = None
        self.seen_face = False
        self.last_problem: str | None = None
        self.candidates: list[_Candidate] = []
        self.live: np.ndarray | None = None  # the mean encoding of the live frames that were compared
        self.encodings: list[np.ndarray] = []  # of the live frames compared so far (one or two looks)
        self.looking_again = False
        self.resting: list[np.ndarray] = []

    def clear(self) -> None:
        self.reference = self.last_image = self.live = None
        self.candidates.clear()
        self.encodings.clear()
        self.resting.clear()

    # -- the phases --------------------------------------------------------------------------
    def run(self, deadline: float) -> FaceDecision:
        decide = self.v._decision
        try:
            distance = self.distance = self._match(deadline)
            if self.v.threshold < distance <= self.v.review_threshold:
                self.looking_again = True  # the customer is told the kiosk takes another look
                distance = self.distance = self._match(deadline)  # the mean over both looks
                if self.v.threshold < distance <= self.v.review_threshold:
                    return decide("uncertain", distance, faces=self.faces)
            if distance > self.v.threshold:
                return decide("no_match", distance, faces=self.faces)
            self.looking_again = False
            baseline = Baseline.of(self.resting)
            for challenge in (BLINK, self.v.challenge()):
                if not self._perform(challenge, baseline):
                    return decide("liveness_failed", distance, "failed", self.faces)
            again = self._recheck(baseline)
        except _Ended as end:
            liveness = "failed" if end.reason == "liveness_failed" else "not_checked"
            return decide(end.reason, self.distance, liveness, self.faces)
        if again is None or again > self.v.threshold:  # the face that moved is not the one that matched
            return decide("liveness_failed", distance, "failed", self.faces)
        return decide("match", distance, "passed", self.faces)

    def _match(self, deadline: float) -> float:
        """Gather good frames until ``match_frames`` of them show the face at rest (eyes as open as usual:
        frames in a blink are left out), encode the best ones; the mean distance to the chip photo."""
        while True:
            try:
                image, seen, problem = self._frame(deadline, None)
            except _OutOfTime:
                raise _Ended(self._nothing_usable()) from None
            if problem is None and seen.landmarks is not None:
                self.candidates.append(self._candidate(image, seen))
                del self.candidates[: -2 * self.s.match_frames]
                steady = self._steady()
                if steady:
                    break
        self.candidates.clear()
        self.resting = [c.landmarks for c in steady]
        best = sorted(steady, key=lambda c: -c.score)[: self.s.encode_frames]
        self.encodings += [self._encode(candidate) for candidate in best]
        self.live = np.mean(self.encodings, axis=0)
        assert self.reference is not None
        return statistics.fmean(float(np.linalg.norm(e - self.reference)) for e in self.encodings)

    def _steady(self) -> list[_Candidate]:
        """The kept frames whose eyes are as open as in most of them, when there are enough."""
        if len(self.candidates) < self.s.match_frames:
            return []
        usual = statistics.median(c.eyes for c in self.candidates)
        steady = [c for c in self.candidates if abs(c.eyes / max(usual, 1e-6) - 1) <= STEADY_EYES]
        return steady if len(steady) >= self.s.match_frames else []

    def _perform(self, challenge: str, baseline: Baseline) -> bool:
        """Ask for one movement and watch for it; False when it does not come in time."""
        watch = watch_for(challenge, baseline, self.s.liveness)
        until = self.clock() + self.s.liveness.challenge_s
        lost = 0
        while True:
            try:
                _, seen, _ = self._frame(until, challenge)
            except _OutOfTime:
                return False
            if self.jumped:
                return False  # another face took the tracked one's place
            if seen.landmarks is None:
                lost += 1
                if lost > self.s.liveness.lost_frames:
                    return False
                continue
            lost = 0
            verdict = watch.update(seen.landmarks)
            if verdict is not None:
                return verdict == PASSED

    def _recheck(self, baseline: Baseline) -> float | None:
        """The distance between a frontal frame taken after the movements and the live frames that
        matched (None: no such frame came in time)."""
        liveness = self.s.liveness
        until = self.clock() + liveness.recheck_s
        while True:
            try:
                image, seen, problem = self._frame(until, None)
            except _OutOfTime:
                return None
            if self.jumped:
                return None
            if problem is None and seen.landmarks is not None:
                yaw, pitch = head_pose(seen.landmarks)
                resting = abs(yaw - baseline.yaw) < liveness.turn / 2 and abs(pitch - baseline.pitch) < liveness.nod / 2
                if resting and eye_aspect_ratio(seen.landmarks) >= liveness.blink_open * baseline.ear:
                    assert self.live is not None
                    return float(np.linalg.norm(self._encode(self._candidate(image, seen)) - self.live))

    # -- one frame ---------------------------------------------------------------------------
    def _frame(self, until: float, challenge: str | None) -> tuple[np.ndarray, FaceObservation, str | None]:
        """The next new frame, analysed: its image, what was seen, and its quality problem if any."""
        frame = self._next_frame(until)
        image = frame.image
        size = (image.shape[1], image.shape[0])
        probe = self.probe_next or self.frames % self.s.probe_every == 0
        part = 0 if self.probe_next else 1 + (self.frames // self.s.probe_every) % 2  # halves in turn
        seen: FaceObservation = self._call("analyse", image, self.box, self.s.probe_scale if probe else None,
                                           self.s.track_scale, part)
        self.jumped = self.box is not None and seen.box is not None and overlap(self.box, seen.box) < 0.3
        self.box = seen.box
        problem = quality_problem(seen, size, self.s.quality)
        self.probe_next = problem == TOO_FAR
        self._count_people(seen, problem)
        self._watch_still(image, seen)
        self.last_problem = problem
        shown = problem if problem in (NO_FACE, TWO_FACES) or not challenge else CHALLENGE
        self.guide.show(shown or (SECOND_LOOK if self.looking_again else CHECKING), seen.box, size, challenge)
        return image, seen, problem

    def _next_frame(self, until: float) -> Frame:
        while True:
            if self.cancel.cancelled:
                raise FaceWorkerError("cancelled")
            left = until - self.clock()
            if left <= 0:
                raise _OutOfTime()
            frame = self.camera.latest_frame(max(left, 0.05))
            if frame.index != self.last_index:
                self.last_index = frame.index
                self.frames += 1
                return frame
            self.cancel.wait(FRAME_WAIT_S)

    def _count_people(self, seen: FaceObservation, problem: str | None) -> None:
        self.faces = seen.count
        self.seen_face = self.seen_face or seen.count > 0
        self.two_faces_run = self.two_faces_run + 1 if problem == TWO_FACES else 0
        if self.two_faces_run >= self.s.two_faces_frames:
            raise _Ended("two_faces")

    def _watch_still(self, image: np.ndarray, seen: FaceObservation) -> None:
        """A face that does not change at all for ``still_frames`` frames is a still image."""
        previous, self.last_image = self.last_image, image
        if seen.box is None or previous is None:
            self.still_run = 0
            return
        change = motion(face_grey(previous, seen.box), face_grey(image, seen.box))
        self.still_run = self.still_run + 1 if change < self.s.liveness.still_level else 0
        if self.still_run >= self.s.liveness.still_frames:
            raise _Ended("liveness_failed")

    def _nothing_usable(self) -> str:
        if self.last_problem == TWO_FACES:
            return "two_faces"
        return "poor_quality" if self.seen_face else "no_face"

    # -- encodings ---------------------------------------------------------------------------
    def _candidate(self, image: np.ndarray, seen: FaceObservation) -> _Candidate:
        assert seen.box is not None
        x, y, w, h = seen.box
        grown = (x - CROP_MARGIN * w, y - CROP_MARGIN * h, w * (1 + 2 * CROP_MARGIN), h * (1 + 2 * CROP_MARGIN))
        x0, y0, x1, y1 = clip_box(grown, image.shape[1], image.shape[0])
        crop = np.ascontiguousarray(image[y0:y1, x0:x1])
        assert seen.landmarks is not None
        score = frontality(seen) * min(seen.sharpness, 400.0)
        return _Candidate(score, eye_aspect_ratio(seen.landmarks), seen.landmarks, crop, (x - x0, y - y0, w, h))

    def _encode(self, candidate: _Candidate) -> np.ndarray:
        encoding: np.ndarray = self._call("encode", candidate.crop, candidate.box)
        return encoding

    def _call(self, operation: str, *args: object) -> Any:
        return self.v.worker.call(operation, *args, timeout=CALL_TIMEOUT_S, cancel=self.cancel)
