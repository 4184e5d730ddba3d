"""The engine: runs one session at a time on its flow's statechart (the session runner).

The home screen and its menu are :class:`~kiosk.engine.home.Home`, the inactivity timer is
:class:`~kiosk.engine.timers.InactivityTimer`, the staff desk (kiosk/engine/staff/) plugs in through
:class:`StaffHooks` and the staff methods below.

Threading: every method here runs on the owner thread (the Qt UI thread, or the headless driver).
Device and host calls run on the OperationRunner's workers and come back through the inbox,
which :meth:`Engine.pump` drains. Time comes from the injected clock; :meth:`Engine.tick` checks
inactivity.
"""

from __future__ import annotations

import logging
import queue
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

from devices.api import DeviceState
from kiosk.core import memory
from kiosk.core.crash import crash_point
from kiosk.core.masking import mask_text
from kiosk.engine import recovery, render, speech, txn
from kiosk.engine.ending import SafeExit
from kiosk.engine.flow import Continue, Fail, Flow, Goto, Next, Stay, Step, Stop, Verdict, step_active
from kiosk.engine.home import LANGUAGES, TAKE_CARD, Home, give_back, watch_card
from kiosk.engine.home_lines import ask
from kiosk.engine.journaling import describe_result
from kiosk.engine.ops import (
    BACKGROUND_CHANNEL,
    HOME_CHANNEL,
    HOME_LINES_CHANNEL,
    STAFF_CHANNEL,
    Inbox,
    Operation,
    OperationRunner,
    OpEvent,
    OpResult,
    Ticket,
)
from kiosk.engine.render import RECOVERY_REASON
from kiosk.engine.screens import Input, InputKind, Outcome, ScreenModel
from kiosk.engine.services import Services
from kiosk.engine.session import Continuation, Session
from kiosk.engine.states import DONE, ENDING, FAILED
from kiosk.engine.survey import Survey
from kiosk.engine.timers import InactivityTimer
from kiosk.journal import JournalError
from kiosk.journal.records import TxnState

log = logging.getLogger(__name__)
FAULT_EVENT = {Outcome.DEVICE_FAULT: "device_fault", Outcome.HOST_FAULT: "host_fault"}


@dataclass
class Pending:
    ticket: Ticket
    name: str
    critical: bool
    customer: bool  # waits for the customer (card, PIN), not for a machine
    cancel: Any


@dataclass(frozen=True)
class SessionReport:
    """What a finished session leaves for QA (scenarios): no personal data."""

    session_id: str
    flow_id: str
    outcome: str
    reason: str | None = None  # catalog key of the failure shown, if any
    trail: list[dict[str, Any]] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)


class StaffHooks(Protocol):
    """The staff desk (kiosk/engine/staff/): its operations come back through the engine's inbox
    (ticket session ``STAFF_CHANNEL``), and it watches its own idle time on the engine's tick."""

    def on_operation(self, item: OpResult | OpEvent) -> None: ...
    def tick(self) -> None: ...


class _ChartBridge:
    """The statechart's listener: conditions come from the flow, transitions go to the journal."""

    def __init__(self, session: Session) -> None:
        self._session = session
        for step in session.flow.steps:
            if step.when is not None:
                setattr(self, f"active_{step.id}", self._condition(step))

    def _condition(self, step: Step) -> Callable[[], bool]:
        return lambda: step_active(step, self._session)

    def after_transition(self, event: str, source: Any, target: Any) -> None:
        s = self._session
        s.services.journal.record(s.id, "step", target.id, {"from": source.id, "event": event})


class Engine:
    def __init__(self, services: Services, flows: Mapping[str, Flow], on_ready: Callable[[], None] | None = None) -> None:
        self.services = services
        self.flows = dict(flows)
        self.inbox: Inbox = queue.Queue()
        self.runner = OperationRunner(self.inbox, on_ready)
        self.home = Home(self.flows, services)
        self.timer = InactivityTimer(services.clock, services.settings.timeouts)
        self.staff: StaffHooks | None = None
        self.session: Session | None = None
        self.last_report: SessionReport | None = None
        self._chart: Any = None
        self._pending: Pending | None = None
        self._stop_requested: str | None = None
        self._exit: SafeExit | None = None
        self._listeners: list[Callable[[ScreenModel], None]] = []
        self._seq = 0
        self._home_op: Pending | None = None  # the home screen's card reader watch, or its eject
        self._background: Ticket | None = None  # recovery before service, or a send of the reversal queue
        self._drain_checked = float("-inf")
        self.screen = self.home.model()
        self._watch_card()

    # --- public ----------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[ScreenModel], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[ScreenModel], None]) -> None:
        """Stop telling ``listener`` of screens (a listener subscribed per session must, or it lives on)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def state(self) -> str:
        return "home" if self._chart is None else str(self._chart.current_state_value)

    @property
    def out_of_service(self) -> str | None:
        return self.home.out_of_service

    @property
    def busy(self) -> bool:
        """A device or the host is working (not waiting for the customer)."""
        return self._pending is not None and not self._pending.customer

    def send(self, inp: Input) -> None:
        with self.services.journal.batch():
            self._send(inp)

    def _send(self, inp: Input) -> None:
        s = self.session
        if s is None and self.home.survey is not None and self.home.out_of_service is None \
                and inp.kind is not InputKind.START:
            self._survey_input(inp)
            return
        if s is None:
            if inp.kind is InputKind.CHOOSE and inp.choice == TAKE_CARD and self.home.card_in:
                self._give_card_back("taken_back")
                return
            flow_id = self.home.on_input(inp)
            if flow_id is not None:
                self.start(flow_id)
            else:
                self._publish()
            return
        s.services.journal.record(s.id, "input", inp.kind.value, {"choice": inp.choice, "fields": sorted(inp.values)})
        self._trail("input", kind=inp.kind.value, choice=inp.choice, fields=sorted(inp.values))
        self.timer.arm()
        if inp.kind is InputKind.CANCEL:
            self._stop("cancel")
        elif inp.kind is InputKind.EXTEND:
            self._publish()
        elif inp.kind is InputKind.LANGUAGE and inp.choice in LANGUAGES:
            s.lang = inp.choice
            self._publish()
        elif inp.kind is InputKind.ELDERLY:
            s.elderly = inp.choice == "on"
            s.slots.elderly_offer_answered = True
            s.services.journal.record(s.id, "step", "elderly_mode", {"on": s.elderly})
            if self.state not in (ENDING, FAILED, DONE):
                self.timer.arm(self.timer.screen_time(s.flow.step(self.state).timeout, s.elderly))
            self._publish()
        elif inp.kind is InputKind.HELP:
            s.services.journal.record(s.id, "staff", "help_requested", {"step": self.state})
            s.slots.help_requested = True
            s.notice = s.t("help.called")
            self._publish()
        else:
            self._step_input(s, inp)

    def pump(self, wait: float = 0.0) -> int:
        """Apply results and events that came back from operations; returns how many."""
        handled = 0
        timeout = wait
        while True:
            try:
                item = self.inbox.get(timeout=timeout) if timeout > 0 else self.inbox.get_nowait()
            except queue.Empty:
                return handled
            timeout = 0
            handled += 1
            with self.services.journal.batch():
                if item.ticket.session_id == STAFF_CHANNEL and self.staff is not None:
                    self.staff.on_operation(item)
                elif item.ticket.session_id == HOME_CHANNEL:
                    self._on_home_op(item)
                elif item.ticket.session_id == HOME_LINES_CHANNEL:
                    self._on_home_line(item)
                elif item.ticket.session_id == BACKGROUND_CHANNEL:
                    self._on_background(item)
                elif isinstance(item, OpEvent):
                    self._on_event(item)
                else:
                    self._on_result(item)

    def tick(self) -> None:
        """Check the inactivity timer against the clock; while idle, notice devices failing or recovering."""
        if self.staff is not None:
            self.staff.tick()
        if self.session is None:
            self._survey_tick()
            self._card_watch_tick()
            self._ask_home_lines()
            self._settle_left()
            if self.home.availability_changed(self.screen):
                self._publish()
            return
        self._wake_waiting_step(self.session)
        left = self.timer.left()
        if left is None or (self._pending and self._pending.critical):
            return
        if left <= 0:
            with self.services.journal.batch():
                self.services.journal.record(self.session.id, "step", "inactivity_timeout", {"step": self.state})
                self._stop("timeout")
            return
        if self.timer.warning_changed(left, *self.warning_timing(self.session)):
            self._publish()

    def warning_timing(self, s: Session) -> tuple[float, float]:
        """The warning's countdown for this customer, and how long saying the warning takes: the
        countdown starts after it (the guide says ``timeout.warning``; kiosk/engine/speech.py)."""
        seconds = self.services.settings.timeouts.warning_for(s.elderly)
        said = s.t("timeout.warning", seconds=int(seconds))
        return seconds, speech.estimate_seconds(said, s.lang, s.elderly)

    def _wake_waiting_step(self, s: Session) -> None:
        """A step that enables its button after a while (the fraud warning) is re-rendered when it does; a
        confirmation of figures held for a while, each second until they run out."""
        if self.state in (ENDING, FAILED, DONE):
            return
        seconds_held = getattr(s.flow.step(self.state), "seconds_held", None)
        if seconds_held is not None and self.screen.data.get("held_s") and seconds_held(s) != self.screen.data["held_s"]:
            self._publish()
            return
        ready_at = getattr(s.flow.step(self.state), "ready_at", None)
        wait = self.screen.data.get("wait_s")
        if ready_at is None or not wait:
            return
        ready = ready_at(s)
        if ready is None or int(ready - self.services.clock.monotonic() + 0.999) != wait:
            self._publish()

    def shutdown(self) -> None:
        """Stop the workers; a session still running is closed as abandoned (what its transactions left is for
        recovery before service on the next start, which also finds any session a crash left open)."""
        self.runner.shutdown()
        s = self.session
        if s is not None and not self.services.journal.closed:
            s.services.journal.record(s.id, "system", "kiosk_stopped", {"step": self.state})
            s.services.journal.close_session(s.id, "abandoned", "the kiosk was stopped during the session")
            self.session = None

    def warm(self) -> None:
        """Load the statechart library and compile every flow's chart ahead of the first touch (off the UI
        thread, after the first paint: the home screen needs neither)."""
        from kiosk.engine.chart import compile_chart

        for flow in self.flows.values():
            compile_chart(flow)

    # --- sessions --------------------------------------------------------------------------
    def start(self, flow_id: str) -> Session:
        if self.session is not None:
            raise RuntimeError("a session is already running")
        home = self.home
        home.help_requested = False
        flow = self.flows[flow_id]
        settings = self.services.settings
        session_id = self.services.journal.open_session(flow_id, settings.kiosk_id, settings.branch_id,
                                                        home.lang, home.elderly)
        self._stop_watch()
        home.card_since = None  # a card inserted on the home screen is the session's now
        self._end_survey({"rating": "skipped", "why": "next_session"})
        s = Session(session_id, flow, self.services, home.lang, home.elderly, catalogue=self.flows)
        self.session = s
        from kiosk.engine.chart import compile_chart  # loaded after the first paint (warm), not before it

        self._chart = compile_chart(flow)(listeners=[_ChartBridge(s)])
        self._enter()
        return s

    def set_out_of_service(self, reason: str | None, counter: str = "") -> None:
        """``reason``: free text or a catalog key; None puts the kiosk back in service."""
        self.home.set_out_of_service(reason, counter)
        if self.session is None:
            if reason is not None and self.home.card_in:
                self._give_card_back("out_of_service")
            self._card_watch_tick()
            self._publish()

    # --- staff at the kiosk (kiosk/engine/staff/) -----------------------------------------
    def staff_back(self) -> bool:
        """Step the session back to the previous screen a person answers. False when there is none, or
        when something was posted or a posting or card is on the move."""
        s = self.session
        if s is None or self.state in (ENDING, FAILED, DONE) or s.outcome == Outcome.COMPLETED \
                or (self._pending is not None and self._pending.critical):
            return False
        from kiosk.engine.chart import TransitionNotAllowed

        try:
            self._chart.send("staff_back")
        except TransitionNotAllowed:
            return False
        self._drop_pending()
        s.error = None
        self._enter()
        return True

    def hand_back(self) -> None:
        """Staff are done helping: the help call is answered and the customer gets the full time again."""
        s = self.session
        if s is None or self.state in (ENDING, DONE):
            return
        s.slots.help_requested = False
        s.notice = None
        self.timer.arm()
        self._publish()

    def keep_session(self) -> None:
        """Staff are working at the kiosk: the session's inactivity time starts again."""
        if self.session is not None and self.state not in (ENDING, DONE):
            warned = self.timer.warned_left is not None
            self.timer.arm()
            if warned:
                self._publish()

    # --- inputs ----------------------------------------------------------------------------
    def _step_input(self, s: Session, inp: Input) -> None:
        state = self.state
        if state in (ENDING, DONE) or (self._pending and self._pending.critical):
            s.services.journal.record(s.id, "input", "ignored", {"kind": inp.kind.value, "step": state})
            return
        if state == FAILED:
            if inp.kind is InputKind.CONTINUE or (inp.kind is InputKind.CHOOSE and inp.choice == "continue"):
                self._transition("close")
            return
        step = s.flow.step(state)
        if inp.kind is InputKind.BACK:
            if step.back:
                self._drop_pending()
                s.error = None
                self._transition("back")
            return
        verdict = step.on_input(s, inp)
        if verdict is None:
            s.services.journal.record(s.id, "input", "ignored", {"kind": inp.kind.value, "step": state})
            return
        if not isinstance(verdict, Stay):
            self._drop_pending()
        self._apply(verdict)

    # --- verdicts and transitions ----------------------------------------------------------
    def _apply(self, verdict: Verdict) -> None:
        s = self.session
        assert s is not None
        if isinstance(verdict, Next):
            s.error = None
            self._transition("next")
        elif isinstance(verdict, Goto):
            self._drop_pending()
            s.error = s.t(verdict.error, **verdict.params) if verdict.error else None
            self._transition(f"goto_{verdict.step}")
        elif isinstance(verdict, Stay):
            s.error = s.t(verdict.error, **verdict.params) if verdict.error else None
            if verdict.restart:
                self._begin(s.flow.step(self.state))
            self._publish()
        elif isinstance(verdict, Fail):
            s.failure = (verdict.message, dict(verdict.params))
            if s.outcome != Outcome.COMPLETED:
                s.outcome = verdict.outcome
            s.services.journal.record(s.id, "fault", verdict.message, {"outcome": str(verdict.outcome)})
            self._transition(FAULT_EVENT.get(verdict.outcome, "fail"))
        elif isinstance(verdict, Stop):
            self._stop(verdict.event)
        elif isinstance(verdict, Continue):
            self._continue_in(s, verdict)

    def _continue_in(self, s: Session, verdict: Continue) -> None:
        """The visit goes on in another flow (:class:`~kiosk.engine.flow.Continue`), in this session: a new chart
        from that flow's first step; answers no step of that flow takes are journaled as ignored."""
        flow = self.flows.get(verdict.flow)
        if flow is None or not s.offers(flow.id):
            title = flow.title(s.lang) if flow is not None else verdict.flow
            self._apply(Fail("continue.unavailable", params={"flow": title}))
            return
        from kiosk.engine.chart import compile_chart

        taken = {name for step in flow.steps for name, _kind in step.stores()}
        answers = {name: value for name, value in verdict.answers.items() if name in taken}
        s.services.journal.record(s.id, "step", "continued", {
            "from": s.flow.id, "flow": flow.id, "source": verdict.source, "prefilled": sorted(answers),
            "ignored": sorted(set(verdict.answers) - set(answers))})
        used = s.flow.devices | (s.continued.devices if s.continued else frozenset())  # the safe exit's too
        s.continue_in(flow, Continuation(s.flow.id, answers, verdict.source, used))
        self._trail("continued", flow=flow.id)
        self._chart = compile_chart(flow)(listeners=[_ChartBridge(s)])
        self._enter()

    def _pass_answered(self, s: Session, step: Step) -> bool:
        """In a visit that continued from another flow, a step it already has the answer to is passed once,
        without its screen: one it carried (the ID card, a consent: ``Step.carry``) or one its prefilled answers
        answer (``Step.prefilled``, checked as if typed). A prefilled answer the step refuses shows the step with
        the answer and why. Entered again (back, a refusal sending the customer there), a step is shown."""
        if s.continued is None or step.id in s.slots.passed:
            return False
        s.slots.passed.add(step.id)
        if step.carry(s):
            s.services.journal.record(s.id, "step", "carried", {"step": step.id})
            self._transition("next")
            return True
        inp = step.prefilled(s)
        verdict = step.on_input(s, inp) if inp is not None else None
        if verdict is None:
            return False
        if isinstance(verdict, Stay):
            s.error = s.t(verdict.error, **verdict.params) if verdict.error else None
            s.services.journal.record(s.id, "step", "prefill_refused", {"step": step.id, "error": verdict.error})
            return False
        s.slots.prefilled.append(step.id)
        s.services.journal.record(s.id, "step", "prefilled",
                                  {"step": step.id, "answers": [name for name, _kind in step.stores()]})
        self._apply(verdict)
        return True

    def _stop(self, event: str) -> None:
        s = self.session
        if s is None or self.state in (ENDING, DONE):
            return
        if self._pending is not None and self._pending.critical:
            self._stop_requested = event
            s.services.journal.record(s.id, "step", f"{event}_deferred", {"waiting_for": self._pending.name})
            self._publish()
            return
        self._drop_pending()
        if s.outcome != Outcome.COMPLETED:
            s.outcome = Outcome.CANCELLED if event == "cancel" else Outcome.TIMEOUT
        if event == "timeout":  # the customer walked away: the safe exit hands out what a posting owes them
            s.slots.timed_out_at = self.state
        self._transition(event)

    def _transition(self, event: str) -> None:
        self._chart.send(event)
        self._enter()

    def _enter(self) -> None:
        s = self.session
        assert s is not None
        state = self.state
        self.timer.warned_left = None
        if state == DONE:
            self._finish()
        elif state == ENDING:
            self.timer.arm(None)
            self._exit = SafeExit(s)
            self._continue_exit()
        elif state == FAILED:
            self.timer.arm(self.timer.screen_time("screen_s", s.elderly))
            self._publish()
        else:
            step = s.flow.step(state)
            if self._pass_answered(s, step):
                return
            s.notice = None if step.kind.value != "receipt" else s.notice
            self.timer.arm(self.timer.screen_time(step.timeout, s.elderly))
            self._begin(step)
            self._publish()

    def _begin(self, step: Step) -> None:
        s = self.session
        assert s is not None
        op = step.begin(s)
        if op is not None:
            self._submit(s, step.id, op)

    def _submit(self, s: Session, step_id: str, op: Any) -> None:
        ticket = Ticket(s.id, step_id)
        cancel = self.runner.submit(ticket, op)
        self._pending = Pending(ticket, op.name, op.critical, op.waits_for_customer, cancel)

    def _drop_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel.cancel()
            self._pending = None

    # --- results ---------------------------------------------------------------------------
    def _on_event(self, item: OpEvent) -> None:
        s = self.session
        if s is None or self._pending is None or item.ticket != self._pending.ticket:
            return  # an event of an operation already finished or abandoned: nothing to show
        if self.state not in (ENDING, FAILED) and s.flow.step(self.state).on_event(s, item.event):
            self._publish()

    def _on_result(self, result: OpResult) -> None:
        s = self.session
        if s is None or self._pending is None or result.ticket != self._pending.ticket:
            self._journal_stale(result)
            return
        critical = self._pending.critical
        self._pending = None
        s.services.journal.record(s.id, "host" if result.name.startswith("host.") else "device", result.name,
                                  describe_result(result))
        if self.state == ENDING:
            self._continue_exit(result)
            return
        verdict = self._verdict_for(s, result)
        stop, self._stop_requested = self._stop_requested, None
        if stop and critical and (s.outcome != Outcome.COMPLETED or isinstance(verdict, Continue)) \
                and not isinstance(verdict, Fail):
            self._stop(stop)  # cancelled while it posted: the visit does not go on in another flow either
            return
        if stop:
            s.services.journal.record(s.id, "step", f"{stop}_after_commit", {"step": self.state})
        self._apply(verdict)

    def _verdict_for(self, s: Session, result: OpResult) -> Verdict:
        step = s.flow.step(self.state)
        try:
            return step.on_result(s, result)
        except Exception:
            if self.services.settings.strict:
                raise
            log.exception("step %s could not handle %s", step.id, result.name)
            return Fail("error.generic", Outcome.DEVICE_FAULT)

    def _journal_stale(self, result: OpResult) -> None:
        detail = describe_result(result)
        detail.update(ticket_session=result.ticket.session_id, ticket_step=result.ticket.step)
        try:
            self.services.journal.record(result.ticket.session_id, "stale", result.name, detail)
        except JournalError:  # not a session of this journal: kept as a kiosk-level entry
            self.services.journal.record(None, "stale", result.name, detail)

    # --- safe exit and the end -------------------------------------------------------------
    def _continue_exit(self, result: OpResult | None = None) -> None:
        s = self.session
        assert s is not None
        assert self._exit is not None
        if result is not None:
            self._exit.finished(result)
        op = self._exit.next_operation()
        if op is None:
            self._transition("finish")
            return
        self._submit(s, ENDING, op)
        self._publish()

    def _finish(self) -> None:
        s = self.session
        assert s is not None
        outcome = str(s.outcome or Outcome.CANCELLED)
        reason = s.failure[0] if s.failure else None
        txn.settle_session(s)
        crash_point("session.before_close")
        s.services.journal.close_session(s.id, outcome, reason)
        if outcome == Outcome.COMPLETED and self.services.settings.timeouts.satisfaction_s > 0:
            self.home.survey = Survey(s.id, s.opened_as, s.lang, s.elderly, self.services.clock.monotonic())
            s.services.journal.record(s.id, "survey", "asked", {"flow": s.opened_as})
        refs = {store: mask_text(ref) for store, ref in s.slots.references.items()}
        self.last_report = SessionReport(s.id, s.opened_as, outcome, reason, list(s.trail), refs)
        s.wipe()
        self.session = None
        self._chart = None
        self._exit = None
        self.timer.stop()
        self._publish()
        self._watch_card()
        self.home.lines.ask_again()
        self._ask_home_lines()
        memory.give_back()  # what the session freed goes back to the system (kiosk/core/memory.py)

    # --- satisfaction after a completed session (kiosk/engine/survey.py) -----------------------
    def _survey_input(self, inp: Input) -> None:
        survey = self.home.survey
        assert survey is not None
        if inp.kind is InputKind.LANGUAGE and inp.choice in LANGUAGES:
            survey.lang = inp.choice
        elif inp.kind is InputKind.ELDERLY:
            survey.elderly = inp.choice == "on"
        else:
            answer = survey.answer(inp)
            if answer is not None:
                self._end_survey(answer)
                self._watch_card()
        self._publish()

    def _survey_tick(self) -> None:
        survey = self.home.survey
        if survey is None:
            return
        up = self.services.settings.timeouts.for_customer("satisfaction_s", survey.elderly)
        if self.services.clock.monotonic() - survey.since >= up:
            self._end_survey({"rating": survey.rating, "reason": "timeout"} if survey.rating else {"rating": "timeout"})
            self._publish()
            self._watch_card()

    def _end_survey(self, answer: Mapping[str, str | None]) -> None:
        survey, self.home.survey = self.home.survey, None
        if survey is not None:
            self.services.journal.record(survey.session_id, "survey", "satisfaction", {"flow": survey.flow_id, **answer})

    # --- card first: the bank card reader watched from the home screen ------------------------
    def _card_watch_wanted(self) -> bool:
        settings = self.services.settings
        reader = self.services.devices.smartcard
        return (settings.card_first and reader is not None and self.session is None and not self.home.card_in
                and self.home.survey is None
                and self.home.out_of_service is None and not getattr(self.staff, "present", False)
                and reader.status().state in (DeviceState.OK, DeviceState.BUSY))

    def _watch_card(self) -> None:
        """Home and idle: wait for a bank card in the reader."""
        if self._home_op is None and self._card_watch_wanted():
            self._submit_home(watch_card(self.services.devices.smartcard))

    def _stop_watch(self) -> None:
        op = self._home_op
        if op is not None and op.name == "smartcard.watch":
            op.cancel.cancel()
            self._home_op = None

    def _card_watch_tick(self) -> None:
        """Staff took over or the reader failed: no watch; back to idle: watch again. The card menu times out."""
        home = self.home
        if self._home_op is not None and self._home_op.name == "smartcard.watch" and not self._card_watch_wanted():
            self._stop_watch()
        elif home.card_in and not home.card_returning and home.card_since is not None:
            seconds = self.timer.screen_time("screen_s", home.elderly)
            if seconds is not None and self.services.clock.monotonic() - home.card_since >= seconds:
                self._give_card_back("timeout")
            elif getattr(self.staff, "present", False):
                self._give_card_back("staff")
        else:
            self._watch_card()

    def _submit_home(self, op: Any) -> None:
        ticket = Ticket(HOME_CHANNEL, "home")
        cancel = self.runner.submit(ticket, op)
        self._home_op = Pending(ticket, op.name, op.critical, op.waits_for_customer, cancel)

    def _give_card_back(self, why: str) -> None:
        self._stop_watch()
        if self._home_op is not None:  # already ejecting
            return
        self.services.journal.record(None, "device", "home_card_return", {"why": why})
        self.home.card_returning = True
        wait = self.services.settings.timeouts.for_customer("card_take_s", self.home.elderly)
        self._submit_home(give_back(self.services.devices.smartcard, wait))
        self._publish()

    def _on_home_op(self, item: OpResult | OpEvent) -> None:
        op = self._home_op
        if isinstance(item, OpEvent) or op is None or item.ticket != op.ticket:
            return  # a watch cancelled when a session started, or an eject's progress
        self._home_op = None
        if op.name == "smartcard.watch":
            if item.ok and item.value and self.session is None and self._card_watch_wanted():
                self.services.journal.record(None, "device", "home_card_inserted", {})
                self.home.card_since = self.services.clock.monotonic()
                self._publish()
            else:
                self._watch_card()
            return
        self.services.journal.record(None, "device", "home_card_returned",
                                     {"ok": item.ok, "result": str(item.value) if item.ok else None})
        self.home.card_since = None
        self.home.card_returning = False
        self._publish()
        self._watch_card()

    # --- the kiosk's own work: recovery before service, the reversal queue -----------------------
    def start_recovery(self) -> bool:
        """If the journal or a device has something left from the last run: show 暂停服务 and resolve it on a
        worker (kiosk/engine/recovery.py); the home screen comes back when it is done. Returns whether it started."""
        if not recovery.needed(self.services):
            self.services.journal.record(None, "system", "recovery", asdict(recovery.RecoveryReport()))
            return False
        self._stop_watch()
        self.home.set_out_of_service(RECOVERY_REASON)
        self._submit_background("recovery", lambda cancel, on_event: recovery.recover(self.services))
        self._publish()
        return True

    @property
    def recovering(self) -> bool:
        return self.home.out_of_service == RECOVERY_REASON

    def _submit_background(self, name: str, run: Callable[..., Any]) -> None:
        self._background = Ticket(BACKGROUND_CHANNEL, name)
        self.runner.submit(self._background, Operation(name, run))

    def _settle_left(self) -> None:
        """While idle, now and then: resolve what ended sessions left open and send the reversals that are due."""
        now = self.services.clock.monotonic()
        if self._background is not None or now - self._drain_checked < DRAIN_CHECK_S:
            return
        self._drain_checked = now
        stamp = self.services.clock.now().isoformat(timespec="milliseconds")
        due = [r for r in self.services.journal.reversals("pending") if r.next_at <= stamp]
        unresolved = [t for t in recovery.left_open(self.services) if t.state is not TxnState.REVERSAL_PENDING]
        if due or unresolved:
            self._submit_background("settle_left",
                                    lambda cancel, on_event: recovery.settle_left(self.services, force=False))

    def _on_background(self, item: OpResult | OpEvent) -> None:
        if isinstance(item, OpEvent) or item.ticket != self._background:
            return
        self._background = None
        if not item.ok:
            log.error("%s failed: %s", item.name, item.trace or item.error)
            self.services.journal.record(None, "fault", item.name, {"error": type(item.error).__name__})
        if item.name == "recovery" and self.recovering:
            self.home.set_out_of_service(None)
            self._publish()
            self._watch_card()

    # --- the home screen's lines of the flows' own (kiosk/engine/home_lines.py) ---------------------
    def start_home_lines(self) -> None:
        """Start asking the host for the flows' home lines (e.g. the current wait): after the home screen's
        first paint, never before it; then every line's ``every_s`` while the home screen is up."""
        self.home.lines.start(self.services.clock.monotonic())
        self._ask_home_lines()

    def _ask_home_lines(self) -> None:
        if self.session is not None:
            return
        for flow_id, line in self.home.lines.to_ask(self.services.clock.monotonic()):
            self.runner.submit(Ticket(HOME_LINES_CHANNEL, flow_id), ask(self.services, line))

    def _on_home_line(self, item: OpResult | OpEvent) -> None:
        if isinstance(item, OpEvent):
            return
        if self.home.lines.answered(item.ticket.step, item) and self.session is None:
            self._publish()

    # --- screens ---------------------------------------------------------------------------
    def _publish(self) -> None:
        self._seq += 1
        s = self.session
        if s is None:
            model = self.home.published()
        elif self.state == FAILED:
            model = render.failed_screen(s, self.timer.seconds)
        elif self.state == ENDING:
            model = render.ending_screen(s, self._exit.waiting_for() if self._exit else None)
        else:
            step = s.flow.step(self.state)
            model = render.step_screen(s, step, busy=self.busy,
                                       critical=bool(self._pending and self._pending.critical),
                                       timeout_s=self.timer.seconds)
        self.screen = replace(model, seq=self._seq, warning_s_left=self.timer.warned_left)
        if s is not None:
            self._trail("screen", step=model.step, kind=model.kind.value, error=model.error, busy=model.busy,
                        progress=model.progress)
        for listener in list(self._listeners):
            listener(self.screen)

    def _trail(self, what: str, **detail: Any) -> None:
        s = self.session
        if s is None:
            return
        if what == "screen" and s.trail and s.trail[-1].get("what") == "screen" and s.trail[-1]["step"] == detail["step"]:
            s.trail[-1].update(detail)  # a re-render of the same screen
            return
        s.trail.append({"what": what, **detail})


DRAIN_CHECK_S = 5.0  # how often the idle kiosk looks for reversals that are due


def new_session_id() -> str:
    return uuid.uuid4().hex
