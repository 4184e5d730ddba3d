"""The business catalogue: one module per flow, declared from the engine's shared steps.

A flow is found by its module: every module of this package that defines a :class:`Flow` at its top
level is in the catalogue (there is no list to edit). Each flow is checked as it is found (step ids,
branches, ``when=`` predicates, ``store=`` slots, host operations), so a mistake stops the import.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from kiosk.engine.flow import Flow
from kiosk.engine.states import validate


@cache
def _discover() -> tuple[Flow, ...]:
    found: dict[str, Flow] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if not isinstance(value, Flow) or found.get(value.id) is value:
                continue
            if value.id in found:
                raise ValueError(f"flow id {value.id!r} is declared twice (flows/{module_info.name}.py)")
            validate(value)
            found[value.id] = value
    return tuple(sorted(found.values(), key=lambda flow: flow.id))


def catalogue() -> dict[str, Flow]:
    """Every flow of the package, by id."""
    return {flow.id: flow for flow in _discover()}
