"""What a parser did with one input: its value, or the error it raised (only the errors named may escape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def attempt(call: Callable[[], T], *errors: type[BaseException]) -> tuple[T | None, Any]:
    """``(value, None)`` or ``(None, error)`` for an error of one of ``errors``; anything else propagates
    and fails the test."""
    try:
        return call(), None
    except errors as exc:
        return None, exc
