"""How a flow is declared: an ordered list of shared steps, named predicates, and its metadata.

A flow module builds a :class:`Flow`; the engine compiles it into a statechart (chart.py) and
adds cancel, timeout, fault and back transitions itself.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from kiosk.core import i18n
from kiosk.engine.screens import Input, Outcome, ScreenKind
from kiosk.engine.session import NoFlowData
from kiosk.host.api import OPERATIONS

if TYPE_CHECKING:
    from devices.api import DeviceEvent
    from kiosk.engine.ops import Operation, OpResult
    from kiosk.engine.session import Session

Predicate = Callable[["Session"], bool]


# --- what a step tells the engine after an input or a result -------------------------------------


@dataclass(frozen=True)
class Next:
    """Go on to the next step whose condition holds."""


@dataclass(frozen=True)
class Goto:
    """Go to a step the current step declared in ``branches`` (e.g. back to PIN entry)."""

    step: str
    error: str | None = None  # catalog key shown on the target screen
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stay:
    """Stay on this screen, showing ``error``; ``restart`` runs the step's operation again."""

    error: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    restart: bool = False


@dataclass(frozen=True)
class Fail:
    """End the business here: show why (a catalog key), then the safe exit."""

    message: str
    outcome: Outcome = Outcome.FAILED
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stop:
    """The customer stopped (cancel on the PIN pad) or walked away (device timeout)."""

    event: str  # "cancel" or "timeout"


@dataclass(frozen=True)
class Continue:
    """The visit goes on in another flow of the kiosk's catalogue, in the same session: what the customer gave
    so far comes along (the ID card, consents, the face check) and ``answers`` fill in that flow's questions
    (flow data attribute -> value, as its ``Form`` fields and ``Choose`` steps store them): a booking made
    elsewhere. Each step so answered is passed once, and its answer is on the confirmation to check.
    ``source`` says where the answers come from (a booking's reference), for the journal."""

    flow: str
    answers: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


Verdict = Next | Goto | Stay | Fail | Stop | Continue


class Step:
    """A shared step. Subclasses set ``kind`` and override what they need."""

    kind: ClassVar[ScreenKind] = ScreenKind.INFO
    timeout: ClassVar[str | None] = "screen_s"  # a Timeouts field, or None: no inactivity timeout
    text_key: ClassVar[str] = "info"  # generic catalog prefix: step.<text_key>.title/.prompt
    # A step the customer takes: reads, chooses, types, shows a card, waits for staff. Steps the kiosk
    # runs by itself (host calls, picking a card, printing the receipt) are not counted in "step x of y".
    customer_step: ClassVar[bool] = True
    delivers: ClassVar[str | None] = None  # what the step hands the customer for a posting ("card", "document")
    # A step that only shows or hands out what was done (a result, a receipt, a document). When the customer
    # walks away after a posting, the safe exit goes through such steps and does what ``unattended`` says.
    hands_out: ClassVar[bool] = False

    def __init__(self, id: str, *, when: str | None = None, back: bool = False, text: str | None = None) -> None:
        self.id = id
        self.when = when
        self.back = back
        self.text = text or self.text_key
        self.branches: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r})"

    # -- text --------------------------------------------------------------------------------
    def catalog_key(self, s: Session, part: str) -> str:
        specific = f"flow.{s.flow.id}.{self.id}.{part}"
        return specific if i18n.has_text(s.lang, specific) else f"step.{self.text}.{part}"

    def title(self, s: Session) -> str:
        return s.t(self.catalog_key(s, "title"))

    def prompt(self, s: Session) -> str:
        key = self.catalog_key(s, "prompt")
        return s.t(key) if i18n.has_text(s.lang, key) else ""

    # -- behaviour ---------------------------------------------------------------------------
    def screen(self, s: Session) -> dict[str, Any]:
        """Kind-specific parts of the screen model (choices, fields, rows, data)."""
        return {}

    def begin(self, s: Session) -> Operation | None:
        """The operation to run on entering the step, if any."""
        return None

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        """None: this input means nothing here (it is journaled and ignored)."""
        return None

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        raise NotImplementedError(f"{self!r} started an operation but does not handle its result")

    def on_event(self, s: Session, event: DeviceEvent) -> bool:
        """A device event during the step's operation; True when the screen should be re-rendered."""
        return False

    def stores(self) -> tuple[tuple[str, type], ...]:
        """The flow data attributes this step writes, with the type of what it writes there."""
        return ()

    def unattended(self, s: Session) -> Operation | None:
        """A ``hands_out`` step the customer walked away from (or before) once something was posted: the
        operation the safe exit runs for it (the receipt is printed all the same), or None."""
        return None

    # -- a visit that continued from another flow (:class:`Continue`) ----------------------------
    def carry(self, s: Session) -> bool:
        """Take this step's answer from what the visit brought from the flow it continued from (the ID card
        read there, a consent given there): True when it did, and the step is passed."""
        return False

    def prefilled(self, s: Session) -> Input | None:
        """The input the visit's prefilled answers give this step (``s.prefill``), if they answer it all."""
        return None


@dataclass(frozen=True)
class Category:
    """A group of flows on the home screen; its title is the catalog text ``category.<id>``."""

    id: str
    rank: int  # place on the home screen, smallest first

    def title(self, lang: str) -> str:
        return i18n.text(lang, f"category.{self.id}")


@dataclass(frozen=True)
class HomeLine:
    """A line the home screen shows while nobody is served, e.g. how many wait at the counters: the host
    operation ``op`` (not a posting) asked with ``payload`` every ``every_s`` seconds, off the UI thread
    (kiosk/engine/home_lines.py), and ``text(lang, result)`` saying its result (None: nothing to say).
    No answer yet, a failed call or a text that fails shows nothing; the home screen never waits for it."""

    op: str
    text: Callable[[str, Any], str | None]
    payload: Mapping[str, Any] = field(default_factory=dict)
    every_s: float = 30.0

    def __post_init__(self) -> None:
        operation = OPERATIONS.get(self.op)
        if operation is None or operation.posting:
            raise ValueError(f"home line: {self.op!r} is not a declared host enquiry (a posting is never repeated)")
        if self.every_s <= 0:
            raise ValueError("home line: every_s must be more than 0")


@dataclass(eq=False)
class Flow:
    id: str
    category: Category
    steps: list[Step]
    devices: frozenset[str]
    face_check: bool = False
    staff_approval: str | None = None  # when staff approval is needed, in words (flows list)
    predicates: dict[str, Predicate] = field(default_factory=dict)
    data: type = NoFlowData  # the flow's own data: a dataclass whose attributes its steps ``store=`` into
    popularity: int = 100  # the home screen's usage order, most used first (1 = the most used); ties by id
    # The plan's measures (kiosk/journal/kpi.py, docs/kpi.md): whether a completion of this flow is business a
    # counter would otherwise have handled (False for a queue ticket or feedback: they replace no counter work),
    # and how long that business takes at the counter end to end (queue and service; the bank's plan: 30 minutes).
    counter_business: bool = True
    counter_minutes: float = 30.0
    home_line: HomeLine | None = None  # a line of the flow's own on the home screen (e.g. the current wait)
    # the step whose verdict may continue the visit in another flow (Continue), and that flow in words: drawn
    # by the diagram, which cannot know the flow before the visit does
    onward: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        check_stores(self)

    @property
    def posting_ops(self) -> frozenset[str]:
        """The host operations this flow posts with (changes to the bank's books)."""
        return frozenset(op for step in self.steps if (op := getattr(step, "posting_op", None)) is not None)

    def title(self, lang: str) -> str:
        return i18n.text(lang, f"flow.{self.id}.title")

    @property
    def approval_rules(self) -> tuple[str, ...]:
        """The approval rules the flow's steps name (config switches each on or off: ``[approvals]``)."""
        named = (getattr(step, "rule", None) for step in self.steps)
        return tuple(dict.fromkeys(rule for rule in named if rule is not None))

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"{self.id}: no step {step_id!r}")

    def index(self, step_id: str) -> int:
        return [st.id for st in self.steps].index(step_id)


def check_stores(flow: Flow) -> None:
    """Every step's ``store=`` names an attribute of the flow's data whose type accepts what the step
    writes there: a misspelt or mistyped slot fails when the flow module is imported."""
    if not dataclasses.is_dataclass(flow.data):
        raise TypeError(f"{flow.id}: data must be a dataclass, not {flow.data!r}")
    hints = typing.get_type_hints(flow.data)
    for step in flow.steps:
        for name, kind in step.stores():
            if name not in hints:
                raise TypeError(f"{flow.id}: step {step.id!r} stores into {name!r}, which "
                                f"{flow.data.__name__} does not declare; it has {sorted(hints)}")
            if not _accepts(hints[name], kind):
                raise TypeError(f"{flow.id}: step {step.id!r} stores a {kind.__name__} into "
                                f"{flow.data.__name__}.{name}, declared {hints[name]}")


def _accepts(hint: Any, kind: type) -> bool:
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    return any(isinstance(option, type) and issubclass(kind, option) for option in options)


def step_active(step: Step, s: Session) -> bool:
    """Whether a conditional step is shown in this session (its ``when`` predicate, and for
    approvals whether the configured rules apply)."""
    if step.when is not None and not s.flow.predicates[step.when](s):
        return False
    extra = getattr(step, "active", None)
    return bool(extra(s)) if extra is not None else True
