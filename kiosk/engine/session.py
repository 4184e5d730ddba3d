"""One customer's visit: from the first touch to done, cancel or timeout. Wiped at the end.

What the visit gathers is typed. :class:`SessionData` holds the slots the shared steps fill (the ID
card, the bank card, the picked card, approvals, the face result, ...); each flow declares a dataclass
of its own (the customer's answers, PIN blocks, each host result as its result model) and steps
``store=`` into its attributes, checked against its fields when the flow is built.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from devices.dispenser.api import StockCard
from devices.idcard.api import IdCard
from devices.smartcard.api import BankCard
from kiosk.core import i18n

if TYPE_CHECKING:
    from kiosk.engine.flow import Flow
    from kiosk.engine.services import Services

T = TypeVar("T")


def later() -> Any:
    """A flow data field that is filled during the visit (by a step's ``store=``) and has no value
    before: reading it too early is an AttributeError naming the field."""
    return field(init=False)


@dataclass(frozen=True)
class FaceGuidance:
    """The face verifier's latest guidance while the check runs."""

    code: str | None = None
    box: Sequence[float] | None = None  # [x, y, w, h] as shares of the camera frame
    challenge: str | None = None


@dataclass(frozen=True)
class StaffDecision:
    """A supervisor's answer at the staff desk, until the host has recorded it."""

    choice: str  # "approve" or "reject"
    staff: str
    reason: str | None
    token: str


class FirstApproval(NamedTuple):
    """Dual control: the first supervisor's recorded approval, waiting for a second."""

    approval_ref: str
    staff: str


@dataclass
class SessionData:
    """The slots the shared steps, the runtime and the safe exit read and write."""

    # who is at the kiosk
    id_card: IdCard | None = None
    age: int | None = None
    guardian: IdCard | None = None
    idcard_detected: bool = False
    face_passed: bool = False
    face_last: str | None = None  # the last face check's reason ("match", "no_match", ...)
    face_guidance: FaceGuidance | None = None
    consents: dict[str, str] = field(default_factory=dict)  # agreement step id -> "agree" | "decline"
    agreed: set[str] = field(default_factory=set)  # the documents (catalog keys) agreed to in this visit
    # a code shown to a camera
    cameras_down: set[str] = field(default_factory=set)  # cameras that failed reading a code: alternatives left
    # the customer's bank card and the PIN pad
    bank_card: BankCard | None = None
    card_inserted: bool = False
    bank_card_retained: bool = False
    pin_digits: int = 0  # digits typed so far, for the screen
    # a new card from the dispenser
    picked_card: StockCard | None = None
    card_at_gate: bool = False
    card_delivered: bool = False
    card_retained: bool = False  # in the dispenser's retain bin: not taken in time, or not dispensed
    card_not_dispensed: bool = False  # the dispenser failed to hand it over after the posting
    # staff
    approvals: dict[str, str] = field(default_factory=dict)  # approval step id -> approval_ref
    first_approvals: dict[str, FirstApproval] = field(default_factory=dict)
    decisions: dict[str, StaffDecision] = field(default_factory=dict)
    help_requested: bool = False
    timed_out_at: str | None = None  # the step the inactivity timeout ended the session on
    # host calls and screens
    last_idempotency_key: str = ""
    references: dict[str, str] = field(default_factory=dict)  # host call's store -> its transaction reference
    shown_at: dict[str, float] = field(default_factory=dict)  # step id -> when first shown (monotonic)
    read_aloud: dict[str, int] = field(default_factory=dict)  # agreement step id -> times "read aloud" was pressed
    receipt_printed: bool | None = None
    document_printed: bool | None = None  # an A4 document: None until the printer answered
    pages: dict[str, int] = field(default_factory=dict)  # a Browse step's id -> the page shown (from 0)
    elderly_offer_answered: bool = False
    # a visit that continued in another flow (Session.continued): the steps passed with what it carried or
    # its prefilled answers (each is passed once), and those passed with prefilled answers
    passed: set[str] = field(default_factory=set)
    prefilled: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Continuation:
    """How this visit came to its flow: it continued from ``from_flow`` (kiosk.engine.flow.Continue), bringing
    ``answers`` for this flow's questions (from ``source``, e.g. a booking) and the devices that flow used (the
    safe exit looks after their cards too)."""

    from_flow: str
    answers: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    devices: frozenset[str] = frozenset()


@dataclass
class NoFlowData:
    """The data of a flow that keeps nothing of its own."""


@dataclass
class Session:
    id: str
    flow: Flow
    services: Services
    lang: str
    elderly: bool = False
    slots: SessionData = field(default_factory=SessionData, repr=False)
    flow_data: object = field(init=False, repr=False)  # an instance of ``flow.data``
    attempts: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # the message the current screen shows
    failure: tuple[str, dict[str, Any]] | None = None  # message key and params for the failed screen
    outcome: str | None = None
    notice: str | None = None
    trail: list[dict[str, Any]] = field(default_factory=list)  # screens visited and inputs (masked), for QA
    continued: Continuation | None = None  # the visit continued in this flow from another one
    catalogue: Mapping[str, Flow] = field(default_factory=dict, repr=False)  # the flows this kiosk has
    opened_as: str = field(init=False)  # the flow the session was opened with (the journal's), when it continued

    def __post_init__(self) -> None:
        self.flow_data = self.flow.data()
        self.opened_as = self.flow.id

    @property
    def prefill(self) -> Mapping[str, str]:
        """The answers this flow's questions come with (flow data attribute -> value), when the visit continued
        here with some (a booking's); empty otherwise."""
        return self.continued.answers if self.continued is not None else {}

    def offers(self, flow_id: str) -> bool:
        """Whether the visit could go on in ``flow_id`` now: a flow of this kiosk whose devices work."""
        from kiosk.engine.render import flow_available

        flow = self.catalogue.get(flow_id)
        return flow is not None and flow_available(flow, self.services)

    def continue_in(self, flow: Flow, continuation: Continuation) -> None:
        """Go on in ``flow``: its own data starts empty, its outcome is not decided yet; who the customer is, the
        consents and the trail stay."""
        self.continued = continuation
        self.flow = flow
        self.flow_data = flow.data()
        self.outcome = None
        self.error = None
        self.failure = None
        self.attempts.clear()
        slots = self.slots
        slots.passed, slots.prefilled = set(), []
        for per_step in (slots.approvals, slots.first_approvals, slots.decisions, slots.shown_at, slots.pages,
                         slots.read_aloud):
            per_step.clear()  # by step id: the new flow's steps may have the same ids

    def data_as(self, kind: type[T]) -> T:
        """The flow's own data, as the flow module declared it."""
        if not isinstance(self.flow_data, kind):
            raise TypeError(f"{self.flow.id}: flow data is {type(self.flow_data).__name__}, not {kind.__name__}")
        return self.flow_data

    def store(self, name: str, value: object) -> None:
        """A step's result into the flow data attribute ``name`` (checked when the flow was built)."""
        setattr(self.flow_data, name, value)

    def found(self, kind: type[T]) -> T | None:
        """The flow data value of type ``kind`` the visit holds, if any (e.g. the SMS the host sent)."""
        for slot in dataclasses.fields(self.flow_data):  # type: ignore[arg-type]
            value = getattr(self.flow_data, slot.name, None)
            if isinstance(value, kind):
                return value
        return None

    def t(self, key: str, **params: Any) -> str:
        return i18n.text(self.lang, key, **params)

    def call_staff(self, step: str, why: str) -> None:
        """Call staff to the kiosk, as the customer's help button does (the staff desk lists the call), saying
        why: something the business owes the customer cannot be handed over by the kiosk."""
        self.services.journal.record(self.id, "staff", "help_requested", {"step": step, "why": why})
        self.slots.help_requested = True

    def flow_key(self, suffix: str) -> str:
        """Catalog key in the flow's namespace, e.g. 'flow.<flow id>.confirm.title'."""
        return f"flow.{self.flow.id}.{suffix}"

    def wipe(self) -> None:
        """Drop ID data, face frames, card data, PIN blocks and host replies from memory."""
        self.slots = SessionData()
        self.flow_data = self.flow.data()
        self.continued = None
        self.attempts.clear()
        self.error = None
        self.failure = None
