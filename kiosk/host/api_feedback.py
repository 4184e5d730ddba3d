"""Host operation for customer feedback (意见建议与投诉, issue 15): a suggestion or complaint is handed to the
bank, which classifies it, files it under a reference and promises an answer (complaints within 2 hours,
suggestions within 5 working days). Declared here, next to its request and result models, and added to
:data:`kiosk.host.api.OPERATIONS` there.

The text itself and the contact stay with the bank's host: the result carries no text, and the masked contact
is left out of the kiosk's journal (``journal_exclude``), which keeps the reference, the category and the
classification only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import StringConstraints, model_validator

from kiosk.host.api import OPERATIONS, IdNumber, Mobile, Operation, Request, Result

FeedbackKind = Literal["complaint", "suggestion"]
FeedbackCategory = Literal["service_attitude", "waiting_time", "fees", "equipment", "products", "other"]
Contact = Literal["anonymous", "id_card", "mobile"]
Priority = Literal["high", "normal", "low"]
Promise = Literal["within_2_hours", "within_5_working_days"]


class FeedbackSubmitRequest(Request):
    """``contact``: ``id_card`` sends the ID number read at the kiosk (the bank calls the mobile it holds),
    ``mobile`` a number the customer typed, ``anonymous`` neither."""

    kind: FeedbackKind  # what the customer said it is
    category: FeedbackCategory  # what the customer chose
    feedback_text: Annotated[str, StringConstraints(min_length=1, max_length=1000)]  # filed, never logged
    contact: Contact
    id_number: IdNumber | None = None
    mobile: Mobile | None = None

    @model_validator(mode="after")
    def _contact_given(self) -> FeedbackSubmitRequest:
        if (self.id_number is not None) != (self.contact == "id_card"):
            raise ValueError("id_number is given with contact id_card, and only then")
        if (self.mobile is not None) != (self.contact == "mobile"):
            raise ValueError("mobile is given with contact mobile, and only then")
        return self


class FeedbackSubmitResult(Result):
    journal_exclude: ClassVar[frozenset[str]] = frozenset({"contact_masked"})

    feedback_ref: str  # FB and eight digits
    kind: FeedbackKind  # the bank's classification (a suggestion that complains is a complaint)
    stated_kind: FeedbackKind  # what the customer said
    reclassified: bool
    category: FeedbackCategory
    priority: Priority  # high: escalated to the branch manager at once
    promise: Promise
    received_at: datetime
    respond_by: datetime
    contact: Contact
    contact_masked: str | None  # the number the bank will call, masked; None when anonymous


FEEDBACK_OPERATIONS = (
    Operation("feedback.submit", FeedbackSubmitRequest, FeedbackSubmitResult, True,
              ("text_too_short", "text_too_long", "contact_unknown", "duplicate_feedback"),
              "ops_feedback.submit_feedback"),
)

_taken = {op.name for op in FEEDBACK_OPERATIONS} & set(OPERATIONS)
if _taken:  # another module declared the same name: refuse rather than replace it silently
    raise RuntimeError(f"host operations declared twice: {sorted(_taken)}")
OPERATIONS.update({op.name: op for op in FEEDBACK_OPERATIONS})
