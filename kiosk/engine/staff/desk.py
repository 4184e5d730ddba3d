"""The staff desk: branch staff at the kiosk sign in, approve, help a stuck customer, service the machine.

Qt-free, on the engine's thread (the UI thread, or a headless driver). Everything that waits — the
host, the staff card reader, the PIN pad, a device being serviced — runs on the engine's operation
runner with the ticket session ``STAFF_CHANNEL``; the result comes back through the engine's inbox
and :meth:`StaffDesk.on_operation` applies it on the engine's thread. The UI never waits.

- Sign-in: staff number and password, or the staff card in the bank card reader and its PIN on the
  PIN pad (the PIN block goes to the host like a customer's). The host answers with a short-lived
  token, the name and the role; five wrong tries lock the account there for 15 minutes.
- A signed-in member of staff is signed out after ``idle_sign_out_s`` (2 minutes) without input,
  measured on the engine's clock (:meth:`tick`, called by the engine's tick).
- Roles: :data:`~kiosk.engine.staff.views.PERMISSIONS`. A refused action raises :class:`StaffDenied`.
- Every sign-in, failure, sign-out, approval, rejection, override and maintenance action is journaled
  (kind ``staff``) with the staff number; the journal is append-only and nothing here edits it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, DeviceEvent, EventSink
from kiosk.engine.ops import STAFF_CHANNEL, Operation, OpEvent, OpResult, Ticket
from kiosk.engine.screens import Input, InputKind, Row, ScreenKind
from kiosk.engine.staff.attention import Attention
from kiosk.engine.staff.devices import DeviceService
from kiosk.engine.staff.maintenance import Maintenance, Records
from kiosk.engine.staff.signin import card_progress, card_work, failure, password_work
from kiosk.engine.staff.views import (
    PERMISSIONS,
    Action,
    ApprovalRequest,
    DeskState,
    HelpRequest,
    Notice,
    Role,
    SessionView,
    StaffDenied,
    StaffMember,
    approval_request,
    customer_rows,
    session_rows,
)
from kiosk.engine.states import DONE, ENDING, FAILED
from kiosk.engine.steps.host import StaffApproval

if TYPE_CHECKING:
    from kiosk.engine.runtime import Engine
    from kiosk.engine.session import Session

log = logging.getLogger(__name__)

__all__ = ["Action", "DeskState", "Role", "StaffDenied", "StaffDesk", "StaffMember"]

DEVICE_STEPS = (ScreenKind.BANK_CARD, ScreenKind.PIN_ENTRY)


class StaffDesk:
    """``export_dir``: where reconciliations are exported (the data folder's "reconciliation").
    Idle sign-out, the service counter and dual control come from the engine's settings (``[staff]``)."""

    def __init__(self, engine: Engine, devices: DeviceService, *, export_dir: Path | None = None,
                 lang: str | None = None) -> None:
        self.engine = engine
        self.services = engine.services
        self.export_dir = export_dir
        self.lang = lang or self.services.settings.language
        self.state = DeskState.SIGNED_OUT
        self.present = False  # staff mode is open on the screen (kiosk/ui/staff)
        self.member: StaffMember | None = None
        self.notice: Notice | None = None
        self.card_stage: str | None = None  # staff card sign-in: "insert", "reading", "pin", "take"
        self.pin_digits = 0
        self.maintenance = Maintenance(self, devices)
        self.records = Records(self)
        self.attention = Attention(self)  # transactions needing staff (suspects, reversals waiting)
        self._token: str | None = None
        self._last_input = self.services.clock.monotonic()
        self._ops: dict[int, Callable[[OpResult], None]] = {}
        self._sign_in_cancel: Cancellation | None = None
        self._revoke: list[str] = []
        self._listeners: list[Callable[[], None]] = []
        engine.staff = self
        engine.subscribe(lambda _model: self._changed())

    # --- observing -------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[], None]) -> None:
        """``listener()`` after anything the staff screens show may have changed."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def open(self) -> None:
        """Staff mode comes up (the hidden gesture): the sign-in, or the member still signed in."""
        self.present = True
        self.notice = None
        self.touch()
        self._changed()

    def close(self) -> None:
        """Staff mode goes away, and whoever was signed in is signed out."""
        self.present = False
        self.cancel_sign_in()
        if self.member is not None:
            self.sign_out("closed")
        self._changed()

    def _changed(self) -> None:
        self._flush_revocations()
        for listener in list(self._listeners):
            listener()

    def say(self, key: str, error: bool = False, **params: Any) -> None:
        self.notice = Notice(key, params, error)
        self._changed()

    def may(self, action: Action) -> bool:
        return self.member is not None and action in PERMISSIONS[self.member.role]

    # --- what the staff screens show besides the member and notices --------------------------
    @property
    def session_running(self) -> bool:
        return self.engine.session is not None

    def current_session(self) -> SessionView | None:
        s = self.engine.session
        if s is None:
            return None
        step = self.engine.state
        return SessionView(s.id, s.flow.id, step, tuple(session_rows(self.lang, s, step)))

    def today(self) -> date:
        """The kiosk's day, on the engine's clock."""
        return self.services.clock.now().date()

    # --- operations off the engine's thread ------------------------------------------------
    def run(self, name: str, work: Callable[[Cancellation, EventSink], Any],
            done: Callable[[OpResult], None]) -> Cancellation:
        ticket = Ticket(STAFF_CHANNEL, name)
        self._ops[ticket.seq] = done
        return self.engine.runner.submit(ticket, Operation(f"staff.{name}", work))

    def on_operation(self, item: OpResult | OpEvent) -> None:
        """A staff operation's event or result (the engine's pump hands them over)."""
        if isinstance(item, OpEvent):
            self._on_card_event(item.event)
        else:
            done = self._ops.pop(item.ticket.seq, None)
            if done is not None:
                done(item)
        self._changed()

    def journal(self, name: str, session_id: str | None = None, **detail: Any) -> None:
        """A staff entry: who (``staff``, else the member signed in), what; the journal adds when."""
        staff = detail.pop("staff", None) or (self.member.number if self.member else None)
        self.services.journal.record(session_id, "staff", name, {"staff": staff, **detail})

    def touch(self) -> None:
        """Staff input: the idle sign-out starts again, and so does a session staff are working on."""
        self._last_input = self.services.clock.monotonic()
        s = self.engine.session
        if self.member is not None and s is not None and (s.slots.help_requested or self._approval_step()):
            self.engine.keep_session()

    def require(self, action: Action) -> StaffMember:
        self.touch()
        if self.member is None:
            self.say("staff.denied.signed_out", error=True)
            raise StaffDenied("staff.denied.signed_out")
        if action not in PERMISSIONS[self.member.role]:
            self.journal("denied", action=action.value, role=self.member.role.value)
            self.say("staff.denied.role", error=True, role=self.role_text(self.member.role))
            raise StaffDenied("staff.denied.role")
        return self.member

    def role_text(self, role: Role) -> str:
        return Notice(f"staff.role.{role.value}").text(self.lang)

    # --- sign-in and sign-out --------------------------------------------------------------
    def sign_in_with_password(self, staff_number: str, password: str) -> None:
        self.touch()
        number = staff_number.strip().upper()
        if self.state is DeskState.SIGNING_IN:
            return
        if not number or not password:
            self.say("staff.sign_in.missing", error=True)
            return
        self._start_sign_in("password", number, {"staff_number": number, "password": password})

    def card_sign_in_blocked(self) -> str | None:
        """Why the staff card cannot be used now (a catalog key), or None."""
        devices = self.services.devices
        if devices.smartcard is None or devices.pinpad is None:
            return "staff.sign_in.card_unavailable"
        s = self.engine.session
        if self.engine.state == ENDING or self.engine.screen.kind in DEVICE_STEPS \
                or (s is not None and s.slots.card_inserted):
            return "staff.sign_in.card_reader_in_use"  # the customer's card is in it, or about to be
        return None

    def sign_in_with_card(self) -> None:
        """Read the staff card, take its PIN on the PIN pad, ask the host, give the card back."""
        self.touch()
        if self.state is DeskState.SIGNING_IN:
            return
        blocked = self.card_sign_in_blocked()
        if blocked:
            self.say(blocked, error=True)
            return
        self._start_sign_in("card", None, None)

    def _start_sign_in(self, method: str, number: str | None, payload: dict[str, Any] | None) -> None:
        if self.member is not None:
            self.sign_out("switch")
        self.state, self.notice = DeskState.SIGNING_IN, None
        self.card_stage, self.pin_digits = ("insert" if method == "card" else None), 0
        seen: dict[str, str] = {}
        if payload is not None:
            work = password_work(self.services.host, payload)
        else:
            devices = self.services.devices
            assert devices.smartcard is not None
            assert devices.pinpad is not None
            timeouts = self.services.settings.timeouts  # the staff card: as long as a customer's card and PIN
            work = card_work(devices.smartcard, devices.pinpad, self.services.host, timeouts.card_take_s,
                             timeouts.pin_s, seen)
        self._sign_in_cancel = self.run("sign_in", work, lambda r: self._signed_in(r, method, number, seen))
        self._changed()

    def _on_card_event(self, event: DeviceEvent) -> None:
        self.card_stage, self.pin_digits = card_progress(self.card_stage, self.pin_digits, event)

    def cancel_sign_in(self) -> None:
        self.touch()
        if self._sign_in_cancel is not None and self.state is DeskState.SIGNING_IN:
            self._sign_in_cancel.cancel()

    def _signed_in(self, result: OpResult, method: str, number: str | None, seen: dict[str, str]) -> None:
        self.state, self.card_stage, self._sign_in_cancel = DeskState.SIGNED_OUT, None, None
        if result.ok:
            reply = result.value
            self._token = reply["staff_token"]
            self.member = StaffMember(reply["staff_number"], reply["name"], Role(reply["role"]), reply["expires_at"],
                                      method)
            self.state = DeskState.SIGNED_IN
            self.touch()
            self.journal("sign_in", method=method, role=self.member.role.value)
            return
        assert result.error is not None
        failed = failure(result.error)
        # a number the host does not know is not journaled: it could be a password typed in the wrong field
        known = number if failed.details or failed.code not in ("staff_credentials_wrong",) else "unknown"
        who = {"staff": known} if number else {"card": seen.get("card")}
        self.journal("sign_in_failed", method=method, code=failed.code, **who, **failed.details)
        self.say(failed.notice, error=True, **failed.params)

    def sign_out(self, reason: str = "manual") -> None:
        """``reason``: "manual", "idle" (no input for the idle time), "switch" (someone else signs in),
        "closed" (staff mode closed)."""
        if self.member is None:
            self.cancel_sign_in()
            return
        self.journal("sign_out", reason=reason)
        if self._token is not None:
            self._revoke.append(self._token)
        self._token, self.member, self.state = None, None, DeskState.SIGNED_OUT
        self.notice = Notice("staff.signed_out.idle") if reason == "idle" else None
        self._changed()

    def _flush_revocations(self) -> None:
        """Tell the host the tokens are done, once no approval that uses one is in flight."""
        if not self._revoke or self.engine.busy:
            return
        tokens, self._revoke = self._revoke, []
        host = self.services.host
        for token in tokens:
            def work(cancel: Cancellation, on_event: EventSink, token: str = token) -> Any:
                return host.call("staff.sign_out", {"staff_token": token}, uuid.uuid4().hex, STAFF_CHANNEL)

            self.run("sign_out", work, self._signed_out)

    @staticmethod
    def _signed_out(result: OpResult) -> None:
        if not result.ok:  # the token ends by itself within minutes
            log.warning("staff sign-out not confirmed by the host: %s", type(result.error).__name__)

    def tick(self) -> None:
        """Idle sign-out on the engine's clock (called by the engine's tick); staff mode left open with
        nobody signed in closes after the same time."""
        idle = self.services.clock.monotonic() - self._last_input >= self.services.settings.staff.idle_sign_out_s
        if idle and self.member is not None:
            self.sign_out("idle")
            self.present = False
            self._changed()
        elif idle and self.present and self.state is DeskState.SIGNED_OUT:
            self.present = False
            self._changed()
        else:
            self._flush_revocations()

    # --- approvals -------------------------------------------------------------------------
    def _approval_step(self) -> tuple[Session, StaffApproval] | None:
        s, state = self.engine.session, self.engine.state
        if s is None or state in (ENDING, FAILED, DONE):
            return None
        step = s.flow.step(state)
        return (s, step) if isinstance(step, StaffApproval) else None

    def pending_approval(self) -> ApprovalRequest | None:
        found = self._approval_step()
        if found is None:
            return None
        s, step = found
        return approval_request(self.lang, s, step, self.engine.busy, self.engine.screen.error)

    def decide(self, approve: bool, reason: str = "") -> None:
        """The signed-in supervisor approves or rejects the pending approval (a rejection needs a reason)."""
        member = self.require(Action.APPROVE)
        found = self._approval_step()
        if found is None or self.engine.busy:
            self.say("staff.approval.none", error=True)
            raise StaffDenied("staff.approval.none")
        s, step = found
        reason = reason.strip()
        if not approve and not reason:
            self.say("staff.approval.reason_needed", error=True)
            raise StaffDenied("staff.approval.reason_needed")
        first = step.first_approval(s)
        if first is not None and first[1] == member.number:
            self.journal("denied", s.id, action="second_approval", step=step.id)
            self.say("staff.approval.second_supervisor", error=True)
            raise StaffDenied("staff.approval.second_supervisor")
        name = "approval" if approve else "rejection"
        self.journal(name, s.id, flow=s.flow.id, step=step.id, rule=step.rule_name, reason=reason,
                     stage=2 if first else 1, dual=step.dual(s))
        self.engine.send(Input(InputKind.APPROVE, "approve" if approve else "reject", staff=member.number,
                               reason=reason, staff_token=self._token))
        self.say("staff.approval.sent" if approve else "staff.approval.rejected_sent")

    # --- help requests ---------------------------------------------------------------------
    def help_requests(self) -> list[HelpRequest]:
        s = self.engine.session
        if s is None or not s.slots.help_requested:
            return []
        calls = [e for e in self.services.journal.entries(s.id) if e.kind == "staff" and e.name == "help_requested"]
        at = calls[-1].at[11:19] if calls else ""
        rows = session_rows(self.lang, s, self.engine.state) + [Row(Notice("staff.row.called_at").text(self.lang), at)]
        rows += customer_rows(self.lang, s)  # masked, once the ID card is read
        return [HelpRequest(s.id, s.flow.id, self.engine.state, tuple(rows), at)]

    def _session_for_help(self) -> Session:
        s = self.engine.session
        if s is None:
            self.say("staff.help.none", error=True)
            raise StaffDenied("staff.help.none")
        return s

    def step_back(self) -> bool:
        """Step the customer back one screen (not over anything posted or a card on the move)."""
        self.require(Action.ASSIST)
        s = self._session_for_help()
        before = self.engine.state
        if not self.engine.staff_back():
            self.journal("assist_back_refused", s.id, step=before)
            self.say("staff.help.cannot_back", error=True)
            return False
        self.journal("assist_back", s.id, step=before, to=self.engine.state)
        self.say("staff.help.stepped_back")
        return True

    def cancel_session(self) -> None:
        """End the customer's session safely (cards go back, nothing half posted)."""
        self.require(Action.CANCEL_SESSION)
        s = self._session_for_help()
        self.journal("assist_cancel", s.id, step=self.engine.state)
        self.engine.send(Input(InputKind.CANCEL))
        self.say("staff.help.cancelled")

    def hand_back(self) -> None:
        """Give the session back to the customer: the help call is answered."""
        self.require(Action.ASSIST)
        s = self._session_for_help()
        self.journal("assist_hand_back", s.id, step=self.engine.state)
        self.engine.hand_back()
        self.say("staff.help.handed_back")
