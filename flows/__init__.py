"""The business catalogue: one module per flow, declared from the engine's shared steps."""

from __future__ import annotations

from kiosk.engine.flow import Flow


def catalogue() -> dict[str, Flow]:
    from flows.account_opening import account_opening
    from flows.loss_report import loss_report
    from flows.si_payment import si_payment

    return {flow.id: flow for flow in (account_opening, loss_report, si_payment)}
