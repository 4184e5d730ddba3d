"""短信通知 — SMS alerts on a card's movements: subscribe, change the threshold amount, or cancel.

Counter rules: consent; ID card; the bank card and its PIN (the customer's card, not reported lost, the PIN
right; three wrong a day lock it); the host says whether the card has alerts, at what threshold, and the
monthly fee; choose: subscribe (a card without alerts), change the threshold or cancel (a card with them).
The threshold is in whole yuan, from a list or typed (1 to 50,000 yuan: a movement at or above it sends an
SMS). The monthly fee (2.00 yuan a card, debited from the card's account as Chinese banks charge for 短信通知)
is on the confirmation before the customer confirms; cancelling stops it from the next month. Alerts go to
the mobile number on file (changed at 客户信息修改); the host refuses a subscription while the ID card on
file has expired. The host changes the alerts (posting); result; receipt; the card comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    SERVICES,
    bank_card,
    consent_and_id_card,
    holder_rows,
    id_card,
    local_time,
    masked,
    pin_refusals,
    yuan,
)
from kiosk.engine.flow import Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    FieldRule,
    Form,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import SmsAlertChangeResult, SmsAlertStatusResult

THRESHOLDS_YUAN = (1, 100, 500, 1000, 5000)
MAX_THRESHOLD_YUAN = 50_000


@dataclass
class SmsAlerts:
    """What this visit gathers: the PIN block, the card's alerts, what the customer chose, the host's answer."""

    pin_block: PinBlock = later()
    status: SmsAlertStatusResult = later()
    action: str = later()  # subscribe, change_threshold, cancel
    threshold_choice: str = later()  # yuan from the list, or "other"
    threshold_yuan: str = later()  # typed
    change: SmsAlertChangeResult = later()


def visit(s: Session) -> SmsAlerts:
    return s.data_as(SmsAlerts)


def card_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block}


def action_options(s: Session) -> list[Choice]:
    status = visit(s).status
    if not status.subscribed:
        return [Choice("subscribe", s.t("flow.sms_alerts.action.subscribe"),
                       s.t("flow.sms_alerts.fee", fee=yuan(s, status.monthly_fee_fen)))]
    current = s.t("flow.sms_alerts.current", threshold=yuan(s, status.threshold_fen or 0))
    return [Choice("change_threshold", s.t("flow.sms_alerts.action.change_threshold"), current),
            Choice("cancel", s.t("flow.sms_alerts.action.cancel"), s.t("flow.sms_alerts.cancel_detail"))]


def sets_threshold(s: Session) -> bool:
    return visit(s).action != "cancel"


def threshold_typed(s: Session) -> bool:
    return sets_threshold(s) and visit(s).threshold_choice == "other"


def threshold_options(s: Session) -> list[Choice]:
    options = [Choice(str(amount), yuan(s, amount * 100)) for amount in THRESHOLDS_YUAN]
    return [*options, Choice("other", s.t("flow.sms_alerts.other_amount"))]


def check_threshold(value: str) -> str | None:
    return None if 1 <= int(value) <= MAX_THRESHOLD_YUAN else "field.threshold_yuan.invalid"


def threshold_fen(s: Session) -> int | None:
    if not sets_threshold(s):
        return None
    data = visit(s)
    return int(data.threshold_yuan if data.threshold_choice == "other" else data.threshold_choice) * 100


def change_request(s: Session) -> dict[str, Any]:
    return {**card_request(s), "action": visit(s).action, "threshold_fen": threshold_fen(s)}


def fee_text(s: Session) -> str:
    if visit(s).action == "cancel":
        return s.t("flow.sms_alerts.no_fee")
    return s.t("flow.sms_alerts.fee", fee=yuan(s, visit(s).status.monthly_fee_fen))


def summary(s: Session) -> list[Row]:
    rows = [*holder_rows(s),
            Row(s.t("row.card"), masked("pan", bank_card(s).pan)),
            Row(s.t("row.service"), s.t(f"flow.sms_alerts.action.{visit(s).action}"))]
    fen = threshold_fen(s)
    if fen is not None:
        rows.append(Row(s.t("row.threshold"), yuan(s, fen)))
    rows += [Row(s.t("row.mobile"), visit(s).status.mobile_masked or "-"), Row(s.t("row.monthly_fee"), fee_text(s))]
    return rows


def result_rows(s: Session) -> list[Row]:
    done = visit(s).change
    rows = [Row(s.t("row.status"), s.t("flow.sms_alerts.on" if done.subscribed else "flow.sms_alerts.off"))]
    if done.threshold_fen is not None:
        rows.append(Row(s.t("row.threshold"), yuan(s, done.threshold_fen)))
    rows += [Row(s.t("row.mobile"), done.mobile_masked), Row(s.t("row.reference"), done.alert_ref),
             Row(s.t("row.effective_at"), local_time(done.effective_at))]
    return rows


def receipt(s: Session) -> Receipt:
    rows = [*summary(s)[2:], *result_rows(s)]
    return build_receipt(s, "flow.sms_alerts.receipt_title", rows, visit(s).change.alert_ref)


sms_alerts = Flow(
    id="sms_alerts", category=SERVICES, devices=frozenset({"idcard", "smartcard", "pinpad", "printer"}),
    face_check=False, staff_approval=None, data=SmsAlerts,
    steps=[
        *consent_and_id_card(),
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("status", op="sms_alerts.status", payload=card_request, store="status", branches=("pin",),
                 refusals=pin_refusals()),
        Choose("action", options=action_options, store="action"),
        Choose("threshold", options=threshold_options, store="threshold_choice", when="sets_threshold", back=True),
        Form("threshold_amount", fields=[FieldRule("threshold_yuan", "digits", 1, 5, check=check_threshold)],
             when="threshold_typed", back=True),
        Confirm("confirm", rows=summary),
        HostCall("change", op="sms_alerts.change", payload=change_request, store="change", reference="alert_ref"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={"sets_threshold": sets_threshold, "threshold_typed": threshold_typed},
)
