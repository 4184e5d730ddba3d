"""Builds the screen models the engine publishes: home, a step's screen, failure and safe exit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from devices.api import DeviceState
from kiosk.core import i18n, pinyin
from kiosk.engine.flow import Flow, Step, step_active
from kiosk.engine.screens import Choice, Outcome, ScreenKind, ScreenModel

if TYPE_CHECKING:
    from kiosk.engine.services import Services
    from kiosk.engine.session import Session

def devices_down(flow: Flow, services: Services, working: Mapping[str, bool] | None = None) -> list[str]:
    """The devices ``flow`` needs that are missing or not working, in name order. ``working``: each
    device's state, asked once for a whole screen (:func:`devices_working`)."""
    working = devices_working(services, flow.devices) if working is None else working
    return [name for name in sorted(flow.devices) if not working.get(name, False)]


def devices_working(services: Services, names: Iterable[str]) -> dict[str, bool]:
    """Whether each named device is there and working (asked once each: a status can cost a PC/SC round trip)."""
    devices = services.devices.by_name()
    return {name: (device := devices.get(name)) is not None
            and device.status().state in (DeviceState.OK, DeviceState.BUSY) for name in set(names)}


def flow_available(flow: Flow, services: Services) -> bool:
    return not devices_down(flow, services)


def home_screen(flows: Mapping[str, Flow], services: Services, lang: str, elderly: bool,
                out_of_service: str | None, counter: str = "") -> ScreenModel:
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    if out_of_service is not None:
        return out_of_service_screen(lang, elderly, out_of_service, counter)
    ordered = sorted(flows.values(), key=lambda f: (f.popularity, f.id))  # most used first
    choices = []
    working = devices_working(services, {name for flow in ordered for name in flow.devices})
    for flow in ordered:
        down = devices_down(flow, services, working)
        ok = not down
        detail = flow.category.title(lang) if ok else unavailable(lang, down)
        choices.append(Choice(flow.id, flow.title(lang), detail, enabled=ok))
    categories: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for flow in sorted(ordered, key=lambda f: f.category.rank):  # stable: most used first in each category
        categories.setdefault(flow.category.id, []).append(flow.id)
        titles[flow.category.id] = flow.category.title(lang)
    search = {flow.id: search_keys(flow) for flow in ordered}
    return ScreenModel(ScreenKind.HOME, "home", t("home.title"), prompt=t("home.prompt"), voice=t("home.prompt"),
                       choices=tuple(choices), can_cancel=False, lang=lang, elderly=elderly,
                       data={"categories": categories, "category_titles": titles, "search": search})


def search_keys(flow: Flow) -> tuple[str, ...]:
    """What the home screen's initials search matches: the pinyin initials of the Chinese title and the
    initials of the English title's words (kiosk/core/pinyin.py)."""
    return tuple(key for key in (pinyin.initials(flow.title("zh_CN")), pinyin.word_initials(flow.title("en_US")))
                 if key)


def unavailable(lang: str, down: list[str]) -> str:
    """The tile of a flow that cannot run: which device keeps it closed."""
    key = f"staff.device.{down[0]}"
    if not i18n.has_text(lang, key):
        return i18n.text(lang, "home.flow_unavailable")
    return i18n.text(lang, "home.flow_unavailable.device", device=i18n.text(lang, key))


RECOVERY_REASON = "recovery.reason"  # the 暂停服务 screen's reason while recovery before service runs


def out_of_service_screen(lang: str, elderly: bool, reason: str, counter: str) -> ScreenModel:
    """Closed: why (free text, or a catalog key), and the branch counter to go to when there is one."""
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    why = t(reason) if i18n.has_text(lang, reason) else reason
    if reason == RECOVERY_REASON:  # a short wait while the last run's leftovers are resolved, not a closed kiosk
        prompt = t("recovery.prompt")
    elif counter:
        prompt = t("staff.out_of_service.prompt", reason=why, counter=counter)
    else:
        prompt = t("home.out_of_service.prompt", reason=why)
    return ScreenModel(ScreenKind.OUT_OF_SERVICE, "out_of_service", t("home.out_of_service.title"), prompt=prompt,
                       voice=prompt, can_cancel=False, can_help=False, lang=lang, elderly=elderly,
                       data={"reason": why, "counter": counter})


def _shown(st: Step, s: Session) -> bool:
    try:
        return step_active(st, s)
    except (LookupError, TypeError, AttributeError):  # decided by data the session does not have yet: not counted
        return False


def shown_in_flow(s: Session) -> list[str]:
    """The steps of this flow shown so far, in order: since the visit continued in it
    (kiosk.engine.flow.Continue), when it did."""
    start = max((i for i, item in enumerate(s.trail) if item.get("what") == "continued"), default=-1) + 1
    return [item["step"] for item in s.trail[start:] if item.get("what") == "screen"]


def _answered(st: Step, s: Session) -> bool:
    try:
        return st.prefilled(s) is not None
    except (LookupError, TypeError, AttributeError):
        return False


def customer_path(s: Session, step: Step) -> list[Step]:
    """The steps the customer takes on this session's path, as far as its answers tell so far.

    Only customer steps count (not host calls, picking a card, printing the receipt). Before ``step``: the
    ones this session showed (a step jumped over, e.g. the face check once face recognition is declined,
    is not). From ``step`` on: a conditional step counts when its predicate holds; one the predicate cannot
    decide yet (no data) does not, so the total is re-estimated as the answers come; a detour (a conditional
    step another step jumps to, e.g. staff verification after a failed face check) not until it is reached."""
    steps = s.flow.steps
    detours = {target for st in steps for target in st.branches}
    here = steps.index(step)
    shown = set(shown_in_flow(s))

    def taken(index: int, st: Step) -> bool:
        if st is step:
            return True
        if not st.customer_step:
            return False
        if index < here:
            return st.id in shown
        if s.continued is not None and st.id not in s.slots.passed and _answered(st, s):
            return False  # the visit's prefilled answers will pass it
        if st.when is None:
            return True
        return st.id not in detours and _shown(st, s)

    return [st for index, st in enumerate(steps) if taken(index, st)]


def progress(s: Session, step: Step) -> tuple[int, int]:
    """Step x of y of the screens this customer sees (:func:`customer_path`). A step the kiosk runs by
    itself shows the number of the customer's step before it."""
    path = customer_path(s, step)
    counted = [st for st in path if st.customer_step]
    number = sum(1 for st in path[:path.index(step) + 1] if st.customer_step)
    return max(1, number), max(1, len(counted))


ELDERLY_OFFER_AGE = 60


def offers_elderly_mode(s: Session) -> bool:
    """Once the ID card shows 60 or more, every screen offers elderly mode until the customer answers."""
    age = s.slots.age
    return age is not None and age >= ELDERLY_OFFER_AGE and not s.elderly and not s.slots.elderly_offer_answered


def step_screen(s: Session, step: Step, *, busy: bool, critical: bool, timeout_s: float | None) -> ScreenModel:
    parts: dict[str, Any] = step.screen(s)
    if offers_elderly_mode(s):
        parts["data"] = {**parts.get("data", {}), "offer_elderly": s.t("elderly.offer")}
    prompt = step.prompt(s)
    if step.kind is ScreenKind.CONFIRM and s.slots.prefilled:  # answers given in advance: check each one here
        prompt = s.t("confirm.prefilled")
        parts["data"] = {**parts.get("data", {}), "prefilled": tuple(s.slots.prefilled)}
    error = s.error
    voice = " ".join(part for part in (error, prompt or step.title(s)) if part)
    return ScreenModel(
        kind=step.kind, step=step.id, title=step.title(s), prompt=prompt, voice=voice,
        flow_id=s.flow.id, session_id=s.id, error=error, notice=s.notice or continued_notice(s, step),
        progress=progress(s, step),
        can_back=step.back and not busy, can_cancel=not critical and s.outcome != Outcome.COMPLETED,
        busy=busy, timeout_s=timeout_s,
        lang=s.lang, elderly=s.elderly, **parts,
    )


def continued_notice(s: Session, step: Step) -> str | None:
    """On the first screen after the visit went on in this flow: which business it is now."""
    if s.continued is None or any(shown != step.id for shown in shown_in_flow(s)):
        return None
    return s.t("continue.notice", flow=s.flow.title(s.lang))


def failed_screen(s: Session, timeout_s: float | None) -> ScreenModel:
    key, params = s.failure or ("error.generic", {})
    message = s.t(key, **params)
    outcome = Outcome(s.outcome) if s.outcome else Outcome.FAILED
    return ScreenModel(
        ScreenKind.RESULT, "failed", s.t("failed.title"), prompt=message, voice=message, flow_id=s.flow.id,
        session_id=s.id, outcome=outcome, notice=s.notice, can_cancel=False, timeout_s=timeout_s,
        choices=(Choice("continue", s.t("button.finish")),), lang=s.lang, elderly=s.elderly,
        data={"message_key": key},
    )


def ending_screen(s: Session, waiting_for: str | None) -> ScreenModel:
    outcome = s.outcome or Outcome.CANCELLED
    title = s.t(f"ending.{outcome}.title") if i18n.has_text(s.lang, f"ending.{outcome}.title") else s.t("ending.title")
    prompt = s.t(f"ending.take.{waiting_for}") if waiting_for else s.t("ending.prompt")
    return ScreenModel(
        ScreenKind.PROCESSING, "ending", title, prompt=prompt, voice=prompt, flow_id=s.flow.id, session_id=s.id,
        outcome=Outcome(outcome), busy=True, can_cancel=False, lang=s.lang, elderly=s.elderly,
        data={"device_hint": waiting_for},
    )
