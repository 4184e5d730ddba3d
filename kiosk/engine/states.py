"""The states and events every flow's chart has besides its steps, and the structure check a flow passes
when it is found. Apart from the chart (chart.py, which needs the statechart library) so that the
catalogue and the engine know these names without loading the library before the first session."""

from __future__ import annotations

from kiosk.engine.flow import Flow
from kiosk.engine.screens import ScreenKind

FAILED = "failed"
ENDING = "ending"
DONE = "done"
ENGINE_STATES = (FAILED, ENDING, DONE)
STOP_EVENTS = ("cancel", "timeout")
# Screens staff never step back to: host calls and cards moving (they would run again), waiting for staff,
# results and receipts.
NOT_REVISITED = frozenset({ScreenKind.PROCESSING, ScreenKind.WAITING_STAFF, ScreenKind.RESULT, ScreenKind.RECEIPT})
FAULT_EVENTS = ("fail", "device_fault", "host_fault")
# The chart's events share its namespace with the steps: a step called "close" would be replaced by the event.
ENGINE_EVENTS = ("next", "back", "staff_back", "close", "finish", *STOP_EVENTS, *FAULT_EVENTS)


def validate(flow: Flow) -> None:
    """The structure every flow must have: unique step ids, none reserved, known branches and predicates."""
    ids = [step.id for step in flow.steps]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{flow.id}: step ids repeat: {ids}")
    clash = set(ids) & {*ENGINE_STATES, *ENGINE_EVENTS} | {i for i in ids if i.startswith("goto_")}
    if clash:
        raise ValueError(f"{flow.id}: step ids {sorted(clash)} are reserved by the engine")
    for step in flow.steps:
        for target in step.branches:
            if target not in ids:
                raise ValueError(f"{flow.id}: step {step.id!r} branches to unknown step {target!r}")
        if step.when is not None and step.when not in flow.predicates:
            raise ValueError(f"{flow.id}: step {step.id!r} names unknown predicate {step.when!r}")
    if flow.onward is not None and flow.onward[0] not in ids:
        raise ValueError(f"{flow.id}: onward names unknown step {flow.onward[0]!r}")
