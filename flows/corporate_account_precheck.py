"""对公开户预审 — a company's legal representative pre-checks its account opening and books the signing.

Counter procedure (a Chinese bank's corporate account opening, 企业开户 "一次办" at the smart counter): the
legal representative (the operator of an individual business) consents, places their resident ID card and
has their face checked against it (or staff verify them); lays the business licence (营业执照) under the
document camera, which reads its QR code, or, without the licence at hand, types its unified social credit
code (统一社会信用代码); the host checks the company against its registration; the representative compares the
registered name shown with the licence, chooses one of the free signing appointments at the branch's
corporate counters and confirms; the host books it (once); result; the pre-check slip is printed with the
booking, its reference and the originals to bring to the signing, where the account is opened.

Rules: the code is checked at the kiosk before the host sees it (GB 32100-2015, kiosk/core/credit_code.py):
18 characters from 0-9 and the capitals without I, O, Z, S, V; the registration authority (first) and the
organisation type (second) must be known; characters 3-8 are digits; the check character must match. A
wrong code says what is wrong and stays on the form; a licence whose QR code carries no code, or a wrong
one, says so and the camera keeps looking (or the code is typed). Only a business licence (market
regulation, first character 9) is pre-checked here; other organisations go to the counter. The host refuses
a company it does not know (back to the camera or the form), a person who is not the company's legal
representative on record, a deregistered company and one on the list of abnormal operations (经营异常名录),
and a company with a signing appointment already (said with that appointment); these end the visit. An
appointment another company took meanwhile is refused and the free ones are offered again. A company has one
signing appointment; the originals depend on its kind (enterprise, individual business, cooperative).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from devices.printer.api import Receipt
from flows.common import ACCOUNTS, IDENTITY_PREDICATES, id_card, identify
from kiosk.core import credit_code
from kiosk.engine.flow import Fail, Flow, Goto, Stay, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Choose, Confirm, FieldRule, Form, HostCall, PrintReceipt, Result, ScanCode
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_corporate import CompanyCheckResult, SigningBookResult, SigningSlot
from kiosk.host.errors import HostRejected

FLOW = "flow.corporate_account_precheck"


@dataclass
class CorporatePrecheck:
    """What this visit gathers: the licence's QR code or the code typed, the company as the host checked it,
    the appointment chosen and the booking."""

    licence_qr: str = ""  # what the licence's QR code says, when it was read
    entry: str = ""  # "type": the code is typed instead
    credit_code: str = ""  # as typed
    company: CompanyCheckResult = later()
    slot: str = ""  # the appointment chosen: slot_1 is the host's first
    booking: SigningBookResult = later()


def visit(s: Session) -> CorporatePrecheck:
    return s.data_as(CorporatePrecheck)


def is_typed(s: Session) -> bool:
    return visit(s).entry == "type"


def the_code(s: Session) -> str:
    """The unified social credit code: as typed (normalized), or as the licence's QR code carries it."""
    v = visit(s)
    return credit_code.normalize(v.credit_code) if is_typed(s) else credit_code.find_in(v.licence_qr) or ""


# --- the code: typed or read ------------------------------------------------------------------------------


def type_instead(s: Session) -> list[Choice]:
    return [Choice("type", s.t(f"{FLOW}.type_code"))]


def check_typed_code(value: str) -> str | None:
    """The form's check: the first thing wrong with the code typed, named (field.credit_code.<problem>)."""
    code = credit_code.normalize(value)
    problem = credit_code.problem(code)
    if problem is not None:
        return f"field.credit_code.{problem.value}"
    return None if credit_code.parse(code).is_business_licence else "field.credit_code.not_business_licence"


def check_licence_code(s: Session) -> Verdict | None:
    """The licence's QR code must carry a valid code of a business licence; else the camera keeps looking."""
    found = credit_code.find_in(visit(s).licence_qr)
    if found is None:
        return Stay(error=f"{FLOW}.not_a_licence", restart=True)
    if credit_code.problem(found) is not None:
        return Stay(error=f"{FLOW}.licence_code_invalid", restart=True)
    if not credit_code.parse(found).is_business_licence:
        return Stay(error="field.credit_code.not_business_licence", restart=True)
    return None


# --- the company ------------------------------------------------------------------------------------------


def company_request(s: Session) -> dict[str, Any]:
    return {"credit_code": the_code(s), "id_number": id_card(s).id_number}


def not_found(s: Session, error: HostRejected) -> Verdict:
    """An unknown company: type the code again, or (read from a licence) lay another one."""
    return Goto("credit_code" if is_typed(s) else "licence", f"{FLOW}.company_not_found")


def ends_with(message: str) -> Any:
    return lambda s, e: Fail(message)


def already_booked(s: Session, error: HostRejected) -> Verdict:
    d = error.details
    when = slot_when(s, str(d.get("day", "")), str(d.get("start", "")), "")
    return Fail(f"{FLOW}.already_booked", params={"when": when, "counter": counter(s, str(d.get("counter", ""))),
                                                   "reference": d.get("booking_ref", "")})


COMPANY_REFUSALS = {
    "representative_mismatch": ends_with(f"{FLOW}.representative_mismatch"),
    "company_deregistered": ends_with(f"{FLOW}.company_deregistered"),
    "company_abnormal": ends_with(f"{FLOW}.company_abnormal"),
    "already_booked": already_booked,
}


# --- the appointment ---------------------------------------------------------------------------------------




def slot_when(s: Session, day: str, start: str, end: str) -> str:
    """'2026-12-08（周二）10:30–11:15': the day with its weekday and the time (the end when known)."""
    from datetime import date

    try:
        weekday = s.t(f"{FLOW}.weekday.{date.fromisoformat(day).weekday()}")
    except ValueError:
        weekday = ""
    return s.t(f"{FLOW}.when", day=day, weekday=weekday, time=f"{start}–{end}" if end else start)


def counter(s: Session, number: str) -> str:
    """The counter as the customer's language names it (the host's name is the branch's signage)."""
    return s.t(f"{FLOW}.counter", number=number)


def appointment_rows(s: Session, slot: SigningSlot | SigningBookResult) -> list[Row]:
    return [Row(s.t(f"{FLOW}.row.when"), slot_when(s, slot.day.isoformat(), slot.start, slot.end)),
            Row(s.t(f"{FLOW}.row.counter"), counter(s, slot.counter))]


def slot_options(s: Session) -> list[Choice]:
    """The free appointments, earliest first, by their place in the host's list (``slot_1`` the earliest)."""
    return [Choice(f"slot_{number}", slot_when(s, slot.day.isoformat(), slot.start, slot.end), counter(s, slot.counter))
            for number, slot in enumerate(visit(s).company.slots, 1)]


def chosen(s: Session) -> SigningSlot:
    return visit(s).company.slots[int(visit(s).slot.removeprefix("slot_")) - 1]


def slot_taken(s: Session, error: HostRejected) -> Verdict:
    """Another company took the appointment meanwhile: the free ones now, to choose again."""
    v = visit(s)
    slots = [SigningSlot.model_validate(slot) for slot in error.details.get("slots", [])]
    if not slots:
        return Fail(f"{FLOW}.no_slots")
    v.company = v.company.model_copy(update={"slots": slots})
    return Goto("slot", f"{FLOW}.slot_taken")


def book_request(s: Session) -> dict[str, Any]:
    slot = chosen(s)
    return {"credit_code": visit(s).company.credit_code, "id_number": id_card(s).id_number,
            "day": slot.day.isoformat(), "start": slot.start, "counter": slot.counter, "licence_read": not is_typed(s)}


# --- what the customer sees and takes -----------------------------------------------------------------------


def representative_label(s: Session, kind: str) -> str:
    return s.t(f"{FLOW}.row.operator" if kind == "individual_business" else f"{FLOW}.row.representative")


def company_rows(s: Session) -> list[Row]:
    company = visit(s).company
    return [Row(s.t(f"{FLOW}.row.company"), company.company_name),
            Row(s.t(f"{FLOW}.row.credit_code"), company.credit_code),
            Row(representative_label(s, company.kind), company.representative_masked)]


def originals(s: Session, items: list[str]) -> list[str]:
    return [s.t(f"{FLOW}.original.{item}") for item in items]


def summary(s: Session) -> list[Row]:
    """Before booking: the company as registered (to compare with the licence), the appointment, and what to
    bring to it."""
    separator = "、" if s.lang == "zh_CN" else ", "
    return [*company_rows(s), *appointment_rows(s, chosen(s)),
            Row(s.t(f"{FLOW}.row.originals"), separator.join(originals(s, visit(s).company.originals)))]


def result_rows(s: Session) -> list[Row]:
    b = visit(s).booking
    return [Row(s.t(f"{FLOW}.row.booking_ref"), b.booking_ref), *appointment_rows(s, b)]


def slip(s: Session) -> Receipt:
    """The pre-check slip: the booking, then the originals to bring as a checklist, and what to do."""
    b = visit(s).booking
    rows = [*result_rows(s), Row(s.t(f"{FLOW}.row.company"), b.company_name),
            Row(s.t(f"{FLOW}.row.credit_code"), b.credit_code),
            Row(representative_label(s, b.kind), b.representative_masked),
            Row(s.t(f"{FLOW}.row.originals"), ""),
            *(Row(f"□ {item}", "") for item in originals(s, b.originals))]
    receipt = build_receipt(s, f"{FLOW}.receipt_title", rows, b.booking_ref)
    return replace(receipt, footer=[s.t(f"{FLOW}.receipt_note"), *receipt.footer])


corporate_account_precheck = Flow(
    id="corporate_account_precheck", category=ACCOUNTS, devices=frozenset({"idcard", "camera", "printer"}),
    face_check=True, staff_approval="face check declined or failed", data=CorporatePrecheck,
    steps=[
        *identify(face=True),
        ScanCode("licence", camera="doccamera", store="licence_qr", symbologies=("qrcode",), instead=type_instead,
                 instead_store="entry", instead_step="credit_code", check=check_licence_code),
        Form("credit_code", when="is_typed", back=True,
             fields=[FieldRule("credit_code", input="alnum", min_length=1, max_length=18, check=check_typed_code)]),
        HostCall("company", op="corporate.check_company", payload=company_request, store="company",
                 branches=("licence", "credit_code"),
                 refusals={"company_not_found": not_found, "no_slots": ends_with(f"{FLOW}.no_slots"),
                           **COMPANY_REFUSALS}),
        Choose("slot", options=slot_options, store="slot"),
        Confirm("confirm", rows=summary),
        HostCall("book", op="corporate.book_signing", payload=book_request, store="booking", reference="booking_ref",
                 branches=("slot",), refusals={
                     "slot_taken": slot_taken, "slot_unknown": ends_with(f"{FLOW}.slot_unknown"),
                     "company_not_found": ends_with(f"{FLOW}.company_not_found_now"), **COMPANY_REFUSALS}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=slip),
    ],
    predicates={**IDENTITY_PREDICATES, "is_typed": is_typed},
)
