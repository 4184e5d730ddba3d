"""Screens without devices: information, agreements, choices, forms, confirmation, result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from devices.api import DeviceError, ErrorCode
from kiosk.core import i18n
from kiosk.core.digits import ascii_digits
from kiosk.engine.flow import Fail, Goto, Next, Stay, Step, Stop, Verdict
from kiosk.engine.ops import OpResult
from kiosk.engine.screens import Choice, FormField, Input, InputKind, Outcome, Row, ScreenKind

if TYPE_CHECKING:
    from kiosk.engine.session import Session


# The reason a device gives when it did not answer in time itself (not a customer who did not act): a
# device fault to the customer and the journal, never the customer's timeout.
DEVICE_TIMEOUT = "timeout"


def device_verdict(s: Session, result: OpResult, *, waits_for_customer: bool, retry: str | None = None) -> Verdict:
    """The usual reading of a failed device call."""
    err = result.error
    if not isinstance(err, DeviceError):
        raise err if err is not None else RuntimeError("device_verdict on a success")
    if err.code is ErrorCode.CANCELLED:
        return Stop("cancel")
    if err.code is ErrorCode.TIMEOUT and waits_for_customer and err.reason != DEVICE_TIMEOUT:
        return Stop("timeout")  # nobody placed the card or pressed a key: the customer has gone
    if err.code is ErrorCode.USER_ERROR and retry is not None:
        s.attempts[f"device:{err.device}"] += 1
        if s.attempts[f"device:{err.device}"] < s.services.settings.limits.card_read_attempts:
            return Stay(error=retry, restart=True)
        return Fail(retry, Outcome.FAILED)
    if err.code is ErrorCode.FRAUD_ATTEMPT:
        return Fail("error.device.fraud", Outcome.DEVICE_FAULT)
    return Fail(f"error.device.{err.device}", Outcome.DEVICE_FAULT)


def choose_verdict(inp: Input, allowed: Mapping[str, Verdict]) -> Verdict | None:
    if inp.kind is InputKind.CHOOSE and inp.choice is not None and inp.choice in allowed:
        return allowed[inp.choice]
    return None


# --- simple screens ----------------------------------------------------------------------------


class Info(Step):
    """A message to read, with Continue."""

    kind = ScreenKind.INFO
    text_key = "info"

    def screen(self, s: Session) -> dict[str, Any]:
        return {"choices": (Choice("continue", s.t("button.continue")),)}

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is InputKind.CONTINUE or (inp.kind is InputKind.CHOOSE and inp.choice == "continue"):
            return Next()
        return None


class FraudWarning(Info):
    """The anti-fraud pause before money leaves the account. In elderly mode Continue is enabled only
    after ``Timeouts.fraud_dwell_s`` seconds, so the warning is heard to the end. A flow may ask for the
    pause in any mode with ``pause`` (e.g. a first transfer to a new payee): then it waits
    ``fraud_dwell_s``, and in elderly mode that times ``elderly_factor``."""

    text_key = "fraud_warning"

    def __init__(self, id: str, *, pause: Callable[[Session], bool] | None = None, **kw: Any) -> None:
        super().__init__(id, **kw)
        self.pause = pause

    def dwell_s(self, s: Session) -> float:
        timeouts = s.services.settings.timeouts
        always = self.pause is not None and self.pause(s)
        if s.elderly:
            return timeouts.fraud_dwell_s * (timeouts.elderly_factor if always else 1.0)
        return timeouts.fraud_dwell_s if always else 0.0

    def ready_at(self, s: Session) -> float | None:
        """When Continue becomes enabled (monotonic clock), or None when it already is."""
        shown = s.slots.shown_at.setdefault(self.id, s.services.clock.monotonic())
        dwell = self.dwell_s(s)
        if dwell <= 0:
            return None
        ready = float(shown) + dwell
        return ready if s.services.clock.monotonic() < ready else None

    def screen(self, s: Session) -> dict[str, Any]:
        ready_at = self.ready_at(s)
        wait = 0 if ready_at is None else int(ready_at - s.services.clock.monotonic() + 0.999)
        label = s.t("button.fraud_understood") if wait == 0 else s.t("button.fraud_wait", seconds=wait)
        return {"choices": (Choice("continue", label, enabled=wait == 0),), "data": {"warning": True, "wait_s": wait}}

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if self.ready_at(s) is not None:
            return None  # not yet: the warning is still being read out
        return super().on_input(s, inp)


class Agreement(Step):
    """A text the customer must agree to. Declining ends the business, or goes to ``on_decline``."""

    kind = ScreenKind.AGREEMENT
    text_key = "agreement"

    def __init__(self, id: str, *, document: str, on_decline: str | None = None, **kw: Any) -> None:
        super().__init__(id, **kw)
        self.document = document  # catalog key of the agreement's body text
        self.on_decline = on_decline
        self.branches = (on_decline,) if on_decline else ()

    def screen(self, s: Session) -> dict[str, Any]:
        sections = self.sections(s)
        reads = s.slots.read_aloud.get(self.id, 0)
        data: dict[str, Any] = {"document": s.t(self.document), "sections": sections, "reads": reads}
        if reads:
            data["reading"] = (reads - 1) % len(sections)
        return {
            "choices": (Choice("agree", s.t("button.agree")), Choice("decline", s.t("button.decline")),
                        Choice("read", s.t("button.read_aloud"))),
            "data": data,
        }

    def sections(self, s: Session) -> tuple[str, ...]:
        """What "read aloud" reads, one section a press: the key terms first, then each paragraph."""
        paragraphs = [p.strip() for p in s.t(self.document).split("\n") if p.strip()]
        key_terms = f"{self.document}.key_terms"
        return ((s.t(key_terms),) if i18n.has_text(s.lang, key_terms) else ()) + tuple(paragraphs)

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is InputKind.CHOOSE and inp.choice == "read":
            s.slots.read_aloud[self.id] = s.slots.read_aloud.get(self.id, 0) + 1
            return Stay()
        decline: Verdict = Goto(self.on_decline) if self.on_decline else Fail("consent.declined", Outcome.CANCELLED)
        verdict = choose_verdict(inp, {"agree": Next(), "decline": decline})
        if verdict is not None:
            s.slots.consents[self.id] = inp.choice or ""
            if inp.choice == "agree":
                s.slots.agreed.add(self.document)
        return verdict

    def carry(self, s: Session) -> bool:
        """The same document was agreed to earlier in this visit (in the flow it continued from)."""
        if self.document not in s.slots.agreed:
            return False
        s.slots.consents[self.id] = "agree"
        return True


class Choose(Step):
    """Pick one of the items ``options(s)`` gives; the chosen id goes to the flow data attribute ``store``.
    ``check`` is a business rule on the answer (e.g. no card at hand: another business is needed): a
    verdict, or None to go on; the steps it may go to are its ``branches``."""

    kind = ScreenKind.CHOICE
    text_key = "choose"

    def __init__(
        self, id: str, *, options: Callable[[Session], Sequence[Choice]], store: str,
        empty: str = "error.nothing_to_choose", check: Callable[[Session], Verdict | None] | None = None,
        branches: tuple[str, ...] = (), **kw: Any,
    ) -> None:
        super().__init__(id, **kw)
        self.options = options
        self.store = store
        self.empty = empty
        self.check = check
        self.branches = branches

    def screen(self, s: Session) -> dict[str, Any]:
        options = tuple(self.options(s))
        booked = s.prefill.get(self.store)
        if booked is None:
            return {"choices": options}
        mark = s.t("prefill.choice")  # the answer the customer gave in advance, to pass with one touch
        return {"choices": tuple(replace(c, detail=f"{c.detail} · {mark}" if c.detail else mark) if c.id == booked
                                 else c for c in options), "data": {"prefilled": booked}}

    def prefilled(self, s: Session) -> Input | None:
        booked = s.prefill.get(self.store)
        return None if booked is None else Input(InputKind.CHOOSE, booked)

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is not InputKind.CHOOSE:
            return None
        ids = {c.id for c in self.options(s) if c.enabled}
        if inp.choice not in ids:
            return Stay(error="error.choice_not_available")
        s.store(self.store, inp.choice)
        verdict = self.check(s) if self.check else None
        return verdict if verdict is not None else Next()

    def stores(self) -> tuple[tuple[str, type], ...]:
        return ((self.store, str),)


@dataclass(frozen=True)
class FieldRule:
    """A form field and its check. ``check`` returns a catalog error key, or None when the value is good."""

    name: str
    input: str = "digits"
    min_length: int = 1
    max_length: int = 32
    check: Callable[[str], str | None] | None = None


class Form(Step):
    """Fields typed on the on-screen keypad; each value goes to the flow data attribute of its field's name."""

    kind = ScreenKind.FORM
    text_key = "form"

    def __init__(self, id: str, *, fields: Sequence[FieldRule], **kw: Any) -> None:
        super().__init__(id, **kw)
        self.fields = tuple(fields)

    def screen(self, s: Session) -> dict[str, Any]:
        """Fields start empty; prefilled answers (a booking's) start filled in, to pass with one touch."""
        booked = s.prefill
        return {
            "fields": tuple(
                FormField(f.name, s.t(f"field.{f.name}.label"), f.input, f.min_length, f.max_length,
                          value=booked.get(f.name, ""), hint=s.t(f"field.{f.name}.hint"))
                for f in self.fields
            )
        }

    def prefilled(self, s: Session) -> Input | None:
        booked = s.prefill
        if not booked or any(f.name not in booked for f in self.fields):
            return None
        return Input(InputKind.SUBMIT, values={f.name: booked[f.name] for f in self.fields})

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is not InputKind.SUBMIT:
            return None
        values: dict[str, str] = {}
        for f in self.fields:
            value = str(inp.values.get(f.name, "")).strip()
            error = _check_field(f, value)
            if error is not None:
                return Stay(error=error)
            values[f.name] = value
        for name, value in values.items():
            s.store(name, value)
        return Next()

    def stores(self) -> tuple[tuple[str, type], ...]:
        return tuple((f.name, str) for f in self.fields)


def _check_field(f: FieldRule, value: str) -> str | None:
    if not value:
        return f"field.{f.name}.missing"
    if f.input in ("digits", "phone", "code") and not ascii_digits(value):
        return f"field.{f.name}.invalid"
    if not f.min_length <= len(value) <= f.max_length:
        return f"field.{f.name}.invalid"
    return f.check(value) if f.check else None


class Confirm(Step):
    """The summary the customer confirms before anything is posted.

    Figures the host holds only for a while (a rate quote) give ``held_until``: the engine clock's
    monotonic time they are held until (None: nothing held), and ``refresh``: the step that gets new
    ones. While they are held, Confirm counts the seconds down (``data["held_s"]``; the engine re-renders
    each second); once they have run out the screen says so (``confirm.expired``), Confirm is disabled,
    and Refresh goes to ``refresh``."""

    kind = ScreenKind.CONFIRM
    text_key = "confirm"

    def __init__(self, id: str, *, rows: Callable[[Session], Sequence[Row]],
                 held_until: Callable[[Session], float | None] | None = None, refresh: str | None = None,
                 **kw: Any) -> None:
        kw.setdefault("back", True)
        super().__init__(id, **kw)
        if (held_until is None) != (refresh is None):
            raise ValueError(f"step {id!r}: held_until and refresh go together")
        self.rows = rows
        self.held_until = held_until
        self.refresh = refresh
        self.branches = (refresh,) if refresh else ()

    def seconds_held(self, s: Session) -> int | None:
        """Whole seconds the figures are still held (0: they have run out), or None when none are held."""
        until = self.held_until(s) if self.held_until else None
        if until is None:
            return None
        return max(0, int(until - s.services.clock.monotonic() + 0.999))

    def screen(self, s: Session) -> dict[str, Any]:
        rows = tuple(self.rows(s))
        held = self.seconds_held(s)
        if held is None:
            return {"rows": rows, "choices": (Choice("confirm", s.t("button.confirm")),)}
        if held > 0:
            return {"rows": rows, "choices": (Choice("confirm", s.t("button.confirm_held", seconds=held)),),
                    "data": {"held_s": held}}
        s.error = s.t("confirm.expired")  # news: shown and said when the figures run out
        return {"rows": rows, "data": {"held_s": 0, "expired": True},
                "choices": (Choice("refresh", s.t("button.refresh")),
                            Choice("confirm", s.t("button.confirm"), enabled=False))}

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if self.seconds_held(s) == 0:
            return choose_verdict(inp, {"refresh": Goto(str(self.refresh)), "confirm": Stay(error="confirm.expired")})
        return choose_verdict(inp, {"confirm": Next()})


class Result(Step):
    """The business is done: what happened, in the customer's words. Reaching it completes the session
    (a flow that posts has completed already, when its posting committed; an enquiry completes here)."""

    kind = ScreenKind.RESULT
    text_key = "result"
    hands_out = True

    def __init__(self, id: str, *, rows: Callable[[Session], Sequence[Row]], **kw: Any) -> None:
        super().__init__(id, **kw)
        self.rows = rows

    def begin(self, s: Session) -> None:
        s.outcome = Outcome.COMPLETED
        return None

    def screen(self, s: Session) -> dict[str, Any]:
        return {
            "rows": tuple(self.rows(s)),
            "outcome": Outcome.COMPLETED,
            "choices": (Choice("continue", s.t("button.continue")),),
        }

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is InputKind.CONTINUE or (inp.kind is InputKind.CHOOSE and inp.choice == "continue"):
            return Next()
        return None
