"""网点核身 — confirm in person an account opened online, so its restriction is lifted.

Counter rules: an account opened online (手机银行, a third-party platform) is a class II or III account
restricted to small non-counter payments until the customer is verified in person. Consent, ID card
(valid, right check digit), face against the ID chip photo, or staff verify the customer in person when
face is declined or fails; the host lists the customer's restricted accounts; choose one; confirm; the host
lifts the restriction and raises the class where the PBOC rules allow (银发〔2016〕302号: one class I account
per person at a bank, so class II becomes class I only for a customer holding none; class III becomes class
II while the customer holds fewer than five class II accounts); result; receipt.
A restriction for suspected fraud (涉诈风险管控) is never lifted at the kiosk: the host refuses it
(``restriction_needs_counter``) and the customer is sent to the counter, where staff look into it, as a
Chinese bank counter does under the anti-telecom-fraud law.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.printer.api import Receipt
from flows.common import (
    ACCOUNTS,
    IDENTITY_PREDICATES,
    approval_ref,
    holder_rows,
    id_card,
    identify,
    local_time,
)
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Choose, Confirm, HostCall, PrintReceipt, Result
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import RestrictedAccount, RestrictedAccountsResult, VerifyInPersonResult

CLASS_NAMES = {1: "account.class.1", 2: "account.class.2", 3: "account.class.3"}


@dataclass
class BranchIdentityCheck:
    """What this visit gathers: the restricted accounts, the one chosen, the host's answer."""

    restricted: RestrictedAccountsResult = later()
    account_ref: str = later()
    verified: VerifyInPersonResult = later()


def visit(s: Session) -> BranchIdentityCheck:
    return s.data_as(BranchIdentityCheck)


def accounts_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def require_restricted(s: Session) -> Fail | None:
    return None if visit(s).restricted.accounts else Fail("flow.branch_identity_check.none_restricted")


def class_name(s: Session, account_class: int) -> str:
    return s.t(CLASS_NAMES[account_class])


def account_options(s: Session) -> list[Choice]:
    return [Choice(a.account_ref, f"{class_name(s, a.account_class)} {a.account_masked}",
                   f'{a.opened_channel} · {s.t("flow.branch_identity_check.restriction." + a.restriction)}')
            for a in visit(s).restricted.accounts]


def chosen(s: Session) -> RestrictedAccount:
    return next(a for a in visit(s).restricted.accounts if a.account_ref == visit(s).account_ref)


def verify_request(s: Session) -> dict[str, Any]:
    staff = approval_ref(s, "staff_identity")
    return {"id_number": id_card(s).id_number, "account_ref": visit(s).account_ref,
            "verified_by": "face" if s.slots.face_passed else "staff", "approval_ref": staff}


def summary(s: Session) -> list[Row]:
    account = chosen(s)
    return [*holder_rows(s),
            Row(s.t("row.account_no"), account.account_masked),
            Row(s.t("row.account_class"), class_name(s, account.account_class)),
            Row(s.t("row.verified_by"), s.t("flow.branch_identity_check.by." + verify_request(s)["verified_by"]))]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).verified
    return [Row(s.t("row.account_no"), done.account_masked),
            Row(s.t("row.restriction"), s.t("flow.branch_identity_check.lifted")),
            Row(s.t("row.account_class"), f"{class_name(s, done.class_before)} → {class_name(s, done.class_after)}"),
            Row(s.t("row.note"), s.t("flow.branch_identity_check.note." + done.class_note)),
            Row(s.t("row.reference"), done.verification_ref),
            Row(s.t("row.effective_at"), local_time(done.verified_at))]


def receipt(s: Session) -> Receipt:
    rows = [*holder_rows(s), *result_rows(s)]
    return build_receipt(s, "flow.branch_identity_check.receipt_title", rows, visit(s).verified.verification_ref)


branch_identity_check = Flow(
    id="branch_identity_check", category=ACCOUNTS, devices=frozenset({"idcard", "camera", "printer"}),
    face_check=True, staff_approval="face check declined or failed", data=BranchIdentityCheck,
    steps=[
        *identify(face=True),
        HostCall("accounts", op="accounts.restricted", payload=accounts_request, store="restricted",
                 check=require_restricted),
        Choose("account", options=account_options, store="account_ref"),
        Confirm("confirm", rows=summary),
        HostCall("verify", op="accounts.verify_in_person", payload=verify_request, store="verified",
                 reference="verification_ref"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates=IDENTITY_PREDICATES,
)
