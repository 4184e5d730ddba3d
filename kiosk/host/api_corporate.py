"""Host operations for the corporate account pre-check (对公开户预审): checking a company against the
registration the bank holds, and booking the one signing appointment at which its account is opened. Declared
here, next to their request and result models, and added to :data:`kiosk.host.api.OPERATIONS`.

The kiosk sends the unified social credit code (read from the business licence's QR code, or typed; the host
checks it again, GB 32100-2015) and the ID number of the person whose ID card it read and whose face it checked:
only the company's legal representative (the operator of an individual business) may pre-check it. The check
answers with the registered name (the customer compares it with the licence), the kind of company, the originals
to bring to the signing and the free appointments; the booking takes one of them (a posting: once under its
idempotency key). A company has one signing appointment at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, StringConstraints

from kiosk.core import credit_code
from kiosk.host.api import OPERATIONS, IdNumber, Operation, Request, Result

CompanyKind = Literal["enterprise", "individual_business", "farmers_cooperative"]
Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]  # HH:MM, the branch's local time
CounterNo = Annotated[str, StringConstraints(min_length=1, max_length=8)]


def _credit_code(value: str) -> str:
    problem = credit_code.problem(value)
    if problem is not None:
        raise ValueError(f"not a unified social credit code ({problem.value})")
    return value


CreditCode = Annotated[str, StringConstraints(min_length=18, max_length=18), AfterValidator(_credit_code)]


class SigningSlot(Result):
    """A free signing appointment: a day, a time at one of the branch's corporate counters."""

    day: date
    start: str  # HH:MM
    end: str  # HH:MM
    counter: str  # the counter's number
    counter_name: str  # as signposted in the branch


class CompanyCheckRequest(Request):
    credit_code: CreditCode
    id_number: IdNumber  # the legal representative's, from the ID card read at the kiosk


class CompanyCheckResult(Result):
    credit_code: str
    company_name: str  # as registered: the customer compares it with the licence
    kind: CompanyKind
    legal_form: str  # as registered (有限责任公司 ..., 个体工商户)
    representative_masked: str  # the legal representative (operator) on record, masked
    originals: list[str]  # what to bring to the signing, by id (the bank's list for this kind of company)
    slots: list[SigningSlot]  # free appointments, earliest first


class SigningBookRequest(Request):
    credit_code: CreditCode
    id_number: IdNumber
    day: date
    start: Clock
    counter: CounterNo
    licence_read: bool  # the licence lay under the document camera (its QR code read), rather than the code typed


class SigningBookResult(Result):
    booking_ref: str
    credit_code: str
    company_name: str
    kind: CompanyKind
    representative_masked: str
    day: date
    start: str
    end: str
    counter: str
    counter_name: str
    originals: list[str]
    booked_at: datetime


_COMPANY = ("company_not_found", "representative_mismatch", "company_deregistered", "company_abnormal",
            "already_booked")
CORPORATE_OPERATIONS = (
    Operation("corporate.check_company", CompanyCheckRequest, CompanyCheckResult, False, (*_COMPANY, "no_slots"),
              "ops_corporate.check_company"),
    Operation("corporate.book_signing", SigningBookRequest, SigningBookResult, True,
              (*_COMPANY, "slot_taken", "slot_unknown"), "ops_corporate.book_signing"),
)

_taken = {op.name for op in CORPORATE_OPERATIONS} & set(OPERATIONS)
if _taken:  # another module declared the same name: refuse rather than replace it silently
    raise RuntimeError(f"host operations declared twice: {sorted(_taken)}")
OPERATIONS.update({op.name: op for op in CORPORATE_OPERATIONS})
