"""Guidance events: sent when the advice changes, the face box at most every interval, in shares of
the frame."""

from __future__ import annotations

from kiosk.identity.guidance import GuidanceEvents, normalised


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_boxes_are_shares_of_the_frame():
    assert normalised((64.0, 48.0, 192.0, 240.0), (640, 480)) == [0.1, 0.1, 0.3, 0.5]
    assert normalised(None, (640, 480)) is None


def test_changes_go_out_at_once_box_moves_at_most_every_interval():
    sent, clock = [], Clock()
    guide = GuidanceEvents(sent.append, 0.1, clock)
    box = (100.0, 100.0, 200.0, 200.0)
    guide.show("checking", box, (640, 480), None)
    guide.show("checking", box, (640, 480), None)  # nothing new
    clock.now = 0.05
    guide.show("checking", (110.0, 100.0, 200.0, 200.0), (640, 480), None)  # moved, too soon
    guide.show("challenge", (110.0, 100.0, 200.0, 200.0), (640, 480), "nod")  # new advice: at once
    clock.now = 0.2
    guide.show("challenge", (120.0, 100.0, 200.0, 200.0), (640, 480), "nod")  # moved, in time
    assert [(e.data["code"], e.data["challenge"], e.data["box"][0]) for e in sent] == [
        ("checking", None, 0.156), ("challenge", "nod", 0.172), ("challenge", "nod", 0.188)]
    assert {(e.device, e.kind) for e in sent} == {("camera", "face_guidance")}
