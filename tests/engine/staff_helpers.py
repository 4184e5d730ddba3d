"""Driving the staff desk headless: sign in, wait for it, walk a flow to a screen."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from kiosk.app.scenario import Action, Setup
from kiosk.engine.staff import DeskState, StaffDesk

PASSWORDS = {"S1001": "zhou1001", "S1002": "wu1002", "M2001": "zheng2001"}  # demo, people.toml
CARD_PINS = {"S1001": "314159", "S1002": "271828", "M2001": "161803"}


def settle(engine: Any, until: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine.pump(wait=0.02)
        engine.tick()
        if until():
            return
    raise AssertionError("timed out waiting")


def sign_in(desk: StaffDesk, number: str = "S1001", password: str | None = None) -> None:
    desk.sign_in_with_password(number, password or PASSWORDS[number])
    settle(desk.engine, lambda: desk.state is not DeskState.SIGNING_IN)


def staff_entries(desk: StaffDesk, day: date | None = None) -> list[Any]:
    day = day or desk.services.clock.now().date()
    return desk.services.journal.entries_on(day, "staff")


def names(desk: StaffDesk) -> list[str]:
    return [e.name for e in staff_entries(desk)]


def walk(driver: Any, flow: str, steps: list[dict[str, Any]], **setup: Any) -> None:
    """Start ``flow`` with ``setup`` and perform scenario-style steps."""
    driver.setup(Setup(**setup), flow)
    for number, step in enumerate(steps, 1):
        driver.perform(number, Action.model_validate(step))


LOSS_TO_FORMAL_APPROVAL = [
    {"expect": "consent", "choose": "agree"},
    {"expect": "face_consent", "choose": "agree"},
    {"expect": "card", "choose": "K00000002"},
    {"expect": "kind", "choose": "formal"},
    {"expect": "formal_approval"},
]
LOSS_SETUP = {"idcard": "zhang_wei", "camera": "person:zhang_wei"}


def two_sessions(driver: Any) -> None:
    """A verbal loss report to its receipt, then a payment cancelled at once: two sessions of a day."""
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL[:3] + [
        {"expect": "kind", "choose": "verbal"}, {"expect": "confirm", "choose": "confirm"},
        {"expect": "result", "continue": True}, {"expect": "receipt", "continue": True}], **LOSS_SETUP)
    driver.finish()
    walk(driver, "si_payment", [{"expect": "consent", "cancel": True}], idcard="zhang_wei")
    driver.finish()
