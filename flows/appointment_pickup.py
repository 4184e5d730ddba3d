"""预约办理 — a business booked in the bank's mini-program (小程序预约), finished at the kiosk.

In the mini-program the customer chose a business the bank lets customers book for the kiosk (a transfer, a
time deposit, a statement, SMS alerts), answered its questions there (payee, amount, term...) and picked a time
window; the host keeps the booking and the mini-program shows its code, signed by the host, as a QR code.

Counter procedure: the customer holds the phone's QR code up to the camera; the host checks the code (the
bank's signature, the booking, the window, not used before) and says which business it is; the kiosk must
offer it (its devices working), else the visit ends before anything is used; consent to the use of personal
information; the ID card, which must be the booking holder's (the host checks it when it redeems the code,
once, under its idempotency key: the code is used up then). The visit then goes on in the booked business with
the ID card and the consent it has and the answers filled in: its questions are passed, the customer checks
each answer on its confirmation (going back to change one where that business allows) and confirms there,
with the PIN where it asks for one, as if it had all been typed at the kiosk (the same checks, limits,
warnings and refusals).

Rules: the QR code says nothing personal (the booking's reference and the signature); the answers come only
after the ID card matched and are never journaled. A code that is not an appointment code at all goes back to
the camera; a forged (bad signature), unknown, cancelled, used, not yet valid or expired code, and another
person's ID card, end the visit with the reason on screen; each is journaled. A camera or ID card reader that
fails ends the visit as a device fault (nothing is used). An answer the booked business refuses (an amount
below its minimum, an option it no longer offers) shows that question with the answer and why, to change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows.common import SERVICES, consent_and_id_card, id_card, local_time
from kiosk.core import i18n
from kiosk.engine.flow import Continue, Fail, Flow, Goto, Verdict
from kiosk.engine.session import Session, later
from kiosk.engine.steps import HostCall, ScanCode
from kiosk.host.api_appointments import AppointmentCheckResult, AppointmentRedeemResult
from kiosk.host.errors import HostRejected


@dataclass
class AppointmentPickup:
    """What this visit gathers: the code the camera read, the booking the host found, and its redemption."""

    code: str = ""
    booking: AppointmentCheckResult = later()
    redeemed: AppointmentRedeemResult = later()


def visit(s: Session) -> AppointmentPickup:
    return s.data_as(AppointmentPickup)


def check_request(s: Session) -> dict[str, Any]:
    return {"token": visit(s).code}


def redeem_request(s: Session) -> dict[str, Any]:
    return {"token": visit(s).code, "id_number": id_card(s).id_number}


def booked_flow_offered(s: Session) -> Verdict | None:
    """The kiosk offers the booked business now (a flow of its catalogue, its devices working)."""
    if s.offers(visit(s).booking.flow):
        return None
    return Fail("flow.appointment_pickup.flow_unavailable", params={"business": business(s)})


def business(s: Session) -> str:
    flow = visit(s).booking.flow
    key = f"flow.{flow}.title"
    return s.t(key) if i18n.has_text(s.lang, key) else flow


def go_on_in_booked_flow(s: Session) -> Verdict:
    redeemed = visit(s).redeemed
    return Continue(redeemed.flow, redeemed.answers, source=redeemed.booking_ref)


def window_text(error: HostRejected) -> dict[str, str]:
    """The booking's window as the refusal gives it, in the kiosk's local time ("-" for a part it lacks)."""
    return {part: _shown(error.detail_time(f"window_{part}")) for part in ("from", "to")}


def _shown(moment: datetime | None) -> str:
    return local_time(moment) if moment is not None else "-"


def ends(message: str) -> Any:
    return lambda s, e: Fail(f"flow.appointment_pickup.{message}")


def outside_window(s: Session, error: HostRejected) -> Verdict:
    return Fail(f"flow.appointment_pickup.{error.code}", params=window_text(error))


def used(s: Session, error: HostRejected) -> Verdict:
    return Fail("flow.appointment_pickup.already_used", params={"at": _shown(error.detail_time("redeemed_at"))})


CODE_REFUSALS = {
    "token_invalid": lambda s, e: Goto("scan", "flow.appointment_pickup.not_appointment"),
    "signature_invalid": ends("signature_invalid"), "booking_unknown": ends("booking_unknown"),
    "booking_cancelled": ends("booking_cancelled"), "already_used": used, "not_yet_valid": outside_window,
    "expired": outside_window,
}

appointment_pickup = Flow(
    id="appointment_pickup", category=SERVICES, devices=frozenset({"camera", "idcard"}), data=AppointmentPickup,
    onward=("redeem", "the booked flow, its answers filled in"),
    steps=[
        ScanCode("scan", store="code", symbologies=("qrcode",)),
        HostCall("check", op="appointments.check", payload=check_request, store="booking", check=booked_flow_offered,
                 branches=("scan",), refusals=CODE_REFUSALS),
        *consent_and_id_card(),
        HostCall("redeem", op="appointments.redeem", payload=redeem_request, store="redeemed",
                 reference="booking_ref", check=go_on_in_booked_flow,
                 refusals={**CODE_REFUSALS, "holder_mismatch": ends("holder_mismatch")}),
    ],
)
