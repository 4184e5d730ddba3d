"""Guidance events: what the face check tells the screen while it runs.

``DeviceEvent("camera", "face_guidance", {"code": ..., "box": [x, y, w, h], "challenge": ...})``:
``code`` is a guidance code (kiosk/identity/quality.py), ``box`` the tracked face as shares of the
frame's width and height (unmirrored camera image; None without a face), ``challenge`` the movement
asked for (blink, turn_left, turn_right, nod) or None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.api import DeviceEvent, EventSink

if TYPE_CHECKING:  # measures imports numpy and OpenCV, which the engine does not need to start
    from kiosk.identity.measures import Box

GUIDANCE_EVENT = "face_guidance"


def normalised(box: Box | None, size: tuple[int, int]) -> list[float] | None:
    if box is None:
        return None
    width, height = size
    return [round(box[0] / width, 3), round(box[1] / height, 3), round(box[2] / width, 3), round(box[3] / height, 3)]


class GuidanceEvents:
    """Sends an event when the advice or the challenge changes, and for the face box at most every
    ``interval`` seconds (the screen redraws the box; it need not see every frame)."""

    def __init__(self, sink: EventSink, interval: float, clock: Callable[[], float]) -> None:
        self._sink = sink
        self._interval = interval
        self._clock = clock
        self._last: tuple[str, str | None] | None = None
        self._last_box: list[float] | None = None
        self._sent_at = float("-inf")

    def show(self, code: str, box: Box | None, size: tuple[int, int], challenge: str | None) -> None:
        shown = normalised(box, size)
        now = self._clock()
        changed = (code, challenge) != self._last
        moved = shown != self._last_box and now - self._sent_at >= self._interval
        if not changed and not moved:
            return
        self._last, self._last_box, self._sent_at = (code, challenge), shown, now
        self._sink(DeviceEvent("camera", GUIDANCE_EVENT, {"code": code, "box": shown, "challenge": challenge}))
