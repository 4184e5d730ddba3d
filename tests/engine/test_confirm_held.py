"""A confirmation of figures held for a while (a rate quote): Confirm counts the seconds down on the engine's
clock; once they have run out the screen says so, Confirm is refused and Refresh goes for new figures."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from kiosk.core import i18n
from kiosk.core.clock import ManualClock
from kiosk.engine.flow import Goto, Next, Stay
from kiosk.engine.screens import Input, InputKind, Row
from kiosk.engine.steps import Confirm


def session(clock: ManualClock, until: float | None) -> Any:
    return SimpleNamespace(t=lambda key, **kw: i18n.text("en_US", key, **kw), error=None, held=until,
                           services=SimpleNamespace(clock=clock))


def step() -> Confirm:
    return Confirm("confirm", rows=lambda s: [Row("Amount", "1")], held_until=lambda s: s.held, refresh="quote")


def choose(choice: str) -> Input:
    return Input(InputKind.CHOOSE, choice)


def test_without_held_figures_confirm_is_as_before() -> None:
    plain = Confirm("confirm", rows=lambda s: [])
    s = session(ManualClock(), None)
    assert [c.id for c in plain.screen(s)["choices"]] == ["confirm"]
    assert plain.seconds_held(s) is None
    assert plain.on_input(s, choose("confirm")) == Next()
    assert plain.branches == ()


def test_held_figures_count_down_then_run_out() -> None:
    clock = ManualClock()
    confirm, s = step(), session(clock, clock.monotonic() + 60)
    screen = confirm.screen(s)
    assert screen["data"] == {"held_s": 60}
    assert [(c.id, c.label, c.enabled) for c in screen["choices"]] == [("confirm", "Confirm (60 s)", True)]
    clock.advance(59.5)
    assert confirm.seconds_held(s) == 1
    assert confirm.on_input(s, choose("confirm")) == Next()
    clock.advance(0.5)
    screen = confirm.screen(s)
    assert screen["data"] == {"held_s": 0, "expired": True}
    assert [(c.id, c.enabled) for c in screen["choices"]] == [("refresh", True), ("confirm", False)]
    assert s.error == i18n.text("en_US", "confirm.expired")  # said and shown as the screen's news
    assert confirm.on_input(s, choose("confirm")) == Stay(error="confirm.expired")
    assert confirm.on_input(s, choose("refresh")) == Goto("quote")
    assert confirm.branches == ("quote",)


def test_refresh_means_nothing_while_the_figures_are_held() -> None:
    clock = ManualClock()
    confirm, s = step(), session(clock, clock.monotonic() + 60)
    assert confirm.on_input(s, choose("refresh")) is None


def test_held_figures_need_a_step_that_refreshes_them() -> None:
    with pytest.raises(ValueError, match="go together"):
        Confirm("confirm", rows=lambda s: [], held_until=lambda s: 1.0)
