"""What many flows share: consent, identify by ID card (and face, or staff), formatting for screens."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from devices.idcard.api import IdCard
from devices.smartcard.api import BankCard
from kiosk.core.masking import mask_id_number, mask_name, mask_pan, mask_phone
from kiosk.core.money import format_fen
from kiosk.engine.flow import Category, Fail, Goto, Predicate, Step, Verdict
from kiosk.engine.screens import Row
from kiosk.engine.session import Session
from kiosk.engine.steps import Agreement, EnterPin, FaceCheck, ReadIdCard, StaffApproval
from kiosk.host.errors import HostRejected

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")

# The home screen's groups, in their order; titles are the catalog texts category.<id>.
ACCOUNTS = Category("accounts", rank=1)
CARDS = Category("cards", rank=2)
PAYMENTS = Category("payments", rank=3)
SERVICES = Category("services", rank=4)


def consent_and_id_card() -> list[Step]:
    """Consent to use personal information, then the resident ID card."""
    return [Agreement("consent", document="doc.personal_info"), ReadIdCard("read_id")]


def face_or_staff() -> list[Step]:
    """Consent to face recognition, the face check, and staff verification when face is declined or fails."""
    return [
        Agreement("face_consent", document="doc.face", on_decline="staff_identity"),
        FaceCheck("face", fallback="staff_identity"),
        StaffApproval("staff_identity", rule=None, reason="approval.reason.identity", when="needs_staff_identity"),
    ]


def identify(face: bool) -> list[Step]:
    """The shared opening of a flow: consent, ID card, and (when ``face``) face or staff."""
    return consent_and_id_card() + (face_or_staff() if face else [])


def needs_staff_identity(s: Session) -> bool:
    return not s.slots.face_passed


IDENTITY_PREDICATES: dict[str, Predicate] = {"needs_staff_identity": needs_staff_identity}


def id_card(s: Session) -> IdCard:
    card = s.slots.id_card
    if card is None:
        raise LookupError("no ID card read yet in this session")
    return card


def holder_rows(s: Session) -> list[Row]:
    """The customer as summaries and receipts show them: name and ID number, masked."""
    card = id_card(s)
    return [Row(s.t("row.name"), mask_name(card.name)), Row(s.t("row.id_number"), mask_id_number(card.id_number))]


def card_holder_request(s: Session) -> dict[str, Any]:
    """``cards.verify_holder``'s payload: is the card in the reader this customer's?"""
    return {"id_number": id_card(s).id_number, "pan": card_pan(s)}


def yuan(s: Session, amount_fen: int) -> str:
    return s.t("money.yuan", amount=format_fen(amount_fen))


def local_time(moment: datetime) -> str:
    """A host timestamp (UTC or with an offset) as the kiosk's local 'YYYY-MM-DD HH:MM'."""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def check_mobile(value: str) -> str | None:
    return None if MOBILE.match(value) else "field.mobile.invalid"


def masked(kind: str, value: str) -> str:
    return {"pan": mask_pan, "phone": mask_phone, "id": mask_id_number, "name": mask_name}[kind](value)


def approval_ref(s: Session, step_id: str) -> str | None:
    """The host's reference for the approval given at step ``step_id``, when one was needed."""
    return s.slots.approvals.get(step_id)


def bank_card(s: Session) -> BankCard:
    card = s.slots.bank_card
    if card is None:
        raise LookupError("no bank card read yet in this session")
    return card


def wrong_pin_back_to(step_id: str) -> Callable[[Session, HostRejected], Goto]:
    """A host refusal ``pin_wrong``: back to PIN entry at ``step_id``, with the tries left."""
    def wrong_pin(s: Session, error: HostRejected) -> Goto:
        return Goto(step_id, "pin.wrong", {"tries_left": error.details.get("tries_left", 0)})
    return wrong_pin


def pin_refusals(step_id: str = "pin") -> dict[str, Callable[[Session, HostRejected], Verdict]]:
    """The host's PIN refusals: a wrong PIN goes back to PIN entry at ``step_id`` with the tries left; a
    locked PIN ends the visit."""
    return {"pin_wrong": wrong_pin_back_to(step_id), "pin_locked": lambda s, e: Fail("pin.locked")}


def card_pan(s: Session) -> str:
    return bank_card(s).pan


def new_pin_twice(store: str = "pin_block", confirm_store: str = "pin_block_confirm") -> list[Step]:
    """A new PIN for the inserted card, typed twice on the PIN pad (the host checks both and its rules)."""
    return [EnterPin("new_pin", pan=card_pan, store=store, text="pin_new"),
            EnterPin("confirm_pin", pan=card_pan, store=confirm_store, text="pin_confirm")]


def weak_new_pin(s: Session, error: HostRejected) -> Goto:
    """The host found the new PIN weak: why, back at the new PIN."""
    birthday = error.details.get("reason") == "birth_date"
    return Goto("new_pin", "pin.birth_date" if birthday else "pin.too_simple")


# What a host that judges a new PIN may answer, and where the customer goes then.
NEW_PIN_REFUSALS: dict[str, Callable[[Session, HostRejected], Verdict]] = {
    "pin_mismatch": lambda s, e: Goto("new_pin", "pin.mismatch"),
    "pin_too_simple": weak_new_pin,
}
