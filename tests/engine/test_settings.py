"""The engine's settings: one function scales customer-facing times for elderly mode."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kiosk.engine.settings import Timeouts


def test_elderly_mode_scales_the_customer_time_by_the_factor() -> None:
    timeouts = Timeouts(pin_s=40, elderly_factor=1.5)
    assert timeouts.for_customer("pin_s", elderly=False) == 40
    assert timeouts.for_customer("pin_s", elderly=True) == 60
    assert Timeouts().for_customer("screen_s", elderly=True) == 120  # the defaults: 60 s, doubled


def test_a_section_refuses_unknown_keys_and_stays_fixed() -> None:
    with pytest.raises(ValidationError):
        Timeouts.model_validate({"screen": 60})
    with pytest.raises(ValidationError):
        Timeouts().screen_s = 30  # type: ignore[misc]
