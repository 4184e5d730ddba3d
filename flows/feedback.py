"""意见建议与投诉 — a customer leaves a suggestion or a complaint; the bank answers it in the time it promises.

Counter procedure and rules:
- no ID card is needed: anyone may leave feedback, and may stay anonymous;
- suggestion or complaint, then the category (service attitude, waiting time, fees, kiosk/equipment, products,
  other);
- what happened: the customer ticks the common phrases of that category (any number; a second touch unticks)
  and/or writes in their own words on the on-screen pinyin keyboard ("write it myself"); nothing ticked and
  nothing written, or a text of fewer than 5 letters or Chinese characters, is refused on the screen with what to
  do; at most 200 characters typed;
- contact: anonymous, a mobile number typed (11 digits, 1[3-9]...), or the ID card read (the bank calls the
  mobile number it holds for that customer; no face check: feedback touches no account). Choosing a contact is
  the customer's consent to be contacted about this feedback only;
- confirm the text, the category and the contact; the host classifies it with its documented keyword classifier
  (docs/host-api.md, "Feedback"): a complaint word such as 投诉, 乱收费, 态度差 makes it a complaint of high
  priority, a "suggestion" that complains is answered as a complaint; it files it under a reference and promises
  an answer: complaints within 2 hours, suggestions within 5 working days;
- a slip from the receipt printer with the reference, the classification and the promise (never the text).
The kiosk's journal keeps the category, the classification and the reference, never the text or the contact:
the host keeps those. Phrases travel to the host in Chinese, the bank's working language, whatever the screen's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from devices.printer.api import Receipt
from flows.common import SERVICES, check_mobile, id_card, local_time, masked
from kiosk.core import i18n
from kiosk.engine.flow import Fail, Flow, Goto, Next, Stay, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Choose, Confirm, FieldRule, Form, HostCall, PrintReceipt, ReadIdCard, Result
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_feedback import FeedbackSubmitResult
from kiosk.host.errors import HostRejected

KINDS = ("complaint", "suggestion")
CATEGORIES = ("waiting_time", "service_attitude", "equipment", "fees", "products", "other")
PHRASES = 4  # common phrases per category: flow.feedback.phrase.<category>.p1 ... p4
CONTACTS = ("mobile", "id_card", "anonymous")
MIN_CHARACTERS = 5  # as the host: letters, digits or Chinese characters
MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
BANK_LANG = "zh_CN"  # the language the bank's handlers read
TICK = "✓ "  # before a ticked phrase


@dataclass
class Feedback:
    """What this visit gathers: kind, category, the phrases ticked and the text, the contact, the host's answer."""

    kind: str = later()
    category: str = later()
    picked: str = later()  # the last phrase touched
    phrases: list[str] = field(default_factory=list)  # ticked phrase ids, in the order ticked
    writing: bool = False  # the customer writes in their own words too
    feedback_text: str = ""
    contact: str = "anonymous"
    mobile: str = later()
    submitted: FeedbackSubmitResult = later()


def visit(s: Session) -> Feedback:
    return s.data_as(Feedback)


def kind_options(s: Session) -> list[Choice]:
    return [Choice(k, s.t(f"feedback.kind.{k}"), s.t(f"flow.feedback.kind.{k}.detail")) for k in KINDS]


def category_options(s: Session) -> list[Choice]:
    return [Choice(c, s.t(f"feedback.category.{c}")) for c in CATEGORIES]


def phrase_key(category: str, phrase: str) -> str:
    return f"flow.feedback.phrase.{category}.{phrase}"


def phrase_ids() -> tuple[str, ...]:
    return tuple(f"p{n}" for n in range(1, PHRASES + 1))


def phrase_options(s: Session) -> list[Choice]:
    """The choices "That's all" and "write it myself" first (always on the first page, even under an error), then the
    category's phrases; a ticked one has a check mark and says so."""
    data = visit(s)
    done_detail = s.t("flow.feedback.phrases.count", count=len(data.phrases)) if data.phrases \
        else s.t("flow.feedback.phrases.count_none")
    actions = [Choice("done", s.t("flow.feedback.phrases.done"), done_detail),
               Choice("write", s.t("flow.feedback.phrases.write"), s.t("flow.feedback.phrases.write_detail"))]
    phrases = [Choice(p, TICK + s.t(phrase_key(data.category, p)), s.t("flow.feedback.phrases.ticked"))
               if p in data.phrases else Choice(p, s.t(phrase_key(data.category, p))) for p in phrase_ids()]
    return [*actions, *phrases]


def tick(s: Session) -> Verdict | None:
    """A phrase ticks or unticks (the screen stays); "write" goes to the keyboard; "done" goes on with the
    phrases alone, refused when none is ticked."""
    data = visit(s)
    if data.picked in phrase_ids():
        data.phrases = [p for p in data.phrases if p != data.picked] if data.picked in data.phrases \
            else [*data.phrases, data.picked]
        return Stay()
    data.writing = data.picked == "write"
    if not data.writing:
        data.feedback_text = ""
        if not data.phrases:
            return Stay(error="flow.feedback.phrases.none")
    return Next()


def check_text(value: str) -> str | None:
    return None if len(MEANINGFUL.findall(value)) >= MIN_CHARACTERS else "field.feedback_text.too_short"


def contact_options(s: Session) -> list[Choice]:
    return [Choice(c, s.t(f"flow.feedback.contact.{c}"), s.t(f"flow.feedback.contact.{c}.detail")) for c in CONTACTS]


def is_writing(s: Session) -> bool:
    return visit(s).writing


def is_contact(contact: str) -> Any:
    return lambda s: visit(s).contact == contact


def full_text(s: Session, lang: str = BANK_LANG) -> str:
    """The ticked phrases (in the bank's language unless asked otherwise) and the customer's own words."""
    data = visit(s)
    parts = [i18n.text(lang, phrase_key(data.category, p)) for p in data.phrases]
    return "；".join([*parts, *([data.feedback_text] if data.writing and data.feedback_text else [])])


def submit_request(s: Session) -> dict[str, Any]:
    data = visit(s)
    return {"kind": data.kind, "category": data.category, "feedback_text": full_text(s), "contact": data.contact,
            "id_number": id_card(s).id_number if data.contact == "id_card" else None,
            "mobile": data.mobile if data.contact == "mobile" else None}


def contact_text(s: Session) -> str:
    data = visit(s)
    if data.contact == "mobile":
        return s.t("flow.feedback.contact_row.mobile", mobile=masked("phone", data.mobile))
    if data.contact == "id_card":
        return s.t("flow.feedback.contact_row.id_card", name=masked("name", id_card(s).name))
    return s.t("flow.feedback.contact_row.anonymous")


def summary(s: Session) -> list[Row]:
    data = visit(s)
    return [Row(s.t("row.feedback_kind"), s.t(f"feedback.kind.{data.kind}")),
            Row(s.t("row.feedback_category"), s.t(f"feedback.category.{data.category}")),
            Row(s.t("row.feedback_text"), full_text(s, s.lang)),
            Row(s.t("row.contact"), contact_text(s))]


def promise(s: Session) -> str:
    done = visit(s).submitted
    anonymous = "_anonymous" if done.contact == "anonymous" else ""
    return s.t(f"flow.feedback.promise.{done.promise}{anonymous}", time=local_time(done.respond_by))


def classification(s: Session) -> str:
    done = visit(s).submitted
    return s.t("flow.feedback.classified", kind=s.t(f"feedback.kind.{done.kind}"),
               priority=s.t(f"feedback.priority.{done.priority}"),
               category=s.t(f"feedback.category.{done.category}"))


def result_rows(s: Session) -> list[Row]:
    """The reference and the promise first: in elderly mode's large type they are the first page."""
    done = visit(s).submitted
    return [Row(s.t("row.feedback_ref"), done.feedback_ref),
            Row(s.t("row.feedback_promise"), promise(s)),
            Row(s.t("row.feedback_classified"), classification(s))]


def receipt(s: Session) -> Receipt:
    done = visit(s).submitted
    rows = [*result_rows(s), Row(s.t("row.received_at"), local_time(done.received_at)),
            Row(s.t("row.contact"), done.contact_masked or s.t("flow.feedback.contact_row.anonymous"))]
    return build_receipt(s, "flow.feedback.receipt_title", rows, done.feedback_ref)


def duplicate(s: Session, error: HostRejected) -> Fail:
    return Fail("flow.feedback.duplicate", params={"reference": error.details.get("feedback_ref", "")})


feedback = Flow(
    id="feedback", category=SERVICES, devices=frozenset({"printer"}), data=Feedback,
    counter_business=False,  # a suggestion or complaint is no counter business (docs/kpi.md)
    steps=[
        Choose("kind", options=kind_options, store="kind"),
        Choose("category", options=category_options, store="category", back=True),
        Choose("phrases", options=phrase_options, store="picked", check=tick, back=True),
        Form("text", fields=[FieldRule("feedback_text", "text", 1, 200, check=check_text)], when="is_writing",
             back=True),
        Choose("contact", options=contact_options, store="contact", back=True),
        ReadIdCard("read_id", when="by_id_card", back=True),
        Form("mobile", fields=[FieldRule("mobile", "phone", 11, 11, check=check_mobile)], when="by_mobile",
             back=True),
        Confirm("confirm", rows=summary),
        HostCall("submit", op="feedback.submit", payload=submit_request, store="submitted",
                 reference="feedback_ref", branches=("contact", "phrases"),
                 refusals={"contact_unknown": lambda s, e: Goto("contact", "flow.feedback.contact_unknown"),
                           "text_too_short": lambda s, e: Goto("phrases", "field.feedback_text.too_short"),
                           "text_too_long": lambda s, e: Goto("phrases", "flow.feedback.text_too_long"),
                           "duplicate_feedback": duplicate}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt, private_rows=("row.contact",)),  # the contact stays off the journal
    ],
    predicates={"is_writing": is_writing, "by_id_card": is_contact("id_card"), "by_mobile": is_contact("mobile")},
)
