"""Host operations for appointments (小程序预约→智能柜台办理): the bank's mini-program books a kiosk business for a
customer, with its answers filled in, and the kiosk picks the booking up. Declared here, next to their request
and result models, and added to :data:`kiosk.host.api.OPERATIONS`.

``appointments.create`` is the mini-program's: the business (a flow of the kiosk's catalogue that the bank
lets customers book: the host's list of bookable services, with the answers each takes), the customer's ID
number, the time window, and the answers (flow data attribute -> value, as the kiosk's form fields and choices
store them). The host keeps the booking and answers a token signed with its key (Ed25519), which the
mini-program shows as a QR code. The token names the booking only: no personal data is in the code.

At the kiosk, ``appointments.check`` reads the token the camera decoded: signature, booking, window, not used;
it answers the business and the window, nothing personal. ``appointments.redeem`` (a posting: once, under its
idempotency key) checks the same again and that the ID card read is the booking's holder, marks the booking
used and answers the answers, which the kiosk fills in (they are never journaled: ``journal_exclude``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints, model_validator

from kiosk.host.api import OPERATIONS, IdNumber, Operation, Request, Result

FlowName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,47}$")]
AnswerName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")]
AnswerValue = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=512)]  # what the camera read: anything


class AppointmentCreateRequest(Request):
    """A booking from the mini-program. The window defaults to the next 24 hours from now."""

    flow: FlowName
    id_number: IdNumber
    answers: Annotated[dict[AnswerName, AnswerValue], Field(max_length=16)] = {}
    window_from: datetime | None = None
    window_to: datetime | None = None

    @model_validator(mode="after")
    def _aware(self) -> AppointmentCreateRequest:
        for moment in (self.window_from, self.window_to):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("window times carry their UTC offset")
        return self


class AppointmentCreateResult(Result):
    booking_ref: str
    token: str  # what the QR code holds
    flow: str
    window_from: datetime
    window_to: datetime
    holder_masked: str


class AppointmentCheckRequest(Request):
    token: Token


class AppointmentCheckResult(Result):
    """A valid booking, as the kiosk may know it before the customer's ID card is read."""

    booking_ref: str
    flow: str
    window_from: datetime
    window_to: datetime
    holder_masked: str  # the name, masked (张*)


class AppointmentRedeemRequest(Request):
    token: Token
    id_number: IdNumber  # of the ID card read at the kiosk


class AppointmentRedeemResult(Result):
    journal_exclude: ClassVar[frozenset[str]] = frozenset({"answers"})  # payee accounts, names: not journaled

    booking_ref: str
    flow: str
    answers: dict[str, str]
    redeemed_at: datetime


# Why a code is refused, in the order the host checks: not one of the bank's appointment codes at all, a
# signature that does not verify (forged or altered), no such booking, cancelled, used, the window not open yet,
# the window closed; and at redeem, an ID card that is not the booking's holder.
CODE_REFUSALS = ("token_invalid", "signature_invalid", "booking_unknown", "booking_cancelled", "already_used",
                 "not_yet_valid", "expired")
APPOINTMENT_OPERATIONS = (
    Operation("appointments.create", AppointmentCreateRequest, AppointmentCreateResult, True,
              ("flow_not_bookable", "answer_not_bookable", "window_invalid"), "ops_appointments.create_appointment"),
    Operation("appointments.check", AppointmentCheckRequest, AppointmentCheckResult, False, CODE_REFUSALS,
              "ops_appointments.check_appointment"),
    Operation("appointments.redeem", AppointmentRedeemRequest, AppointmentRedeemResult, True,
              (*CODE_REFUSALS, "holder_mismatch"), "ops_appointments.redeem_appointment"),
)

OPERATIONS.update({op.name: op for op in APPOINTMENT_OPERATIONS})
