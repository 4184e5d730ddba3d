"""The staff desk for a built kiosk (composition: settings from config, the device service, where
replenished stock cards come from), and the QA path that answers approvals on a member of staff's behalf.

Scenario files (``approve = { staff = "S1001" }``) and the simulate-mode panel name a member of staff
and a decision. :class:`StaffOnBehalf` does what that person would do at the kiosk: signs in through
the staff desk with their demo password from people.toml (the host checks it and hands out a token),
then approves or rejects through the desk. So QA exercises the real path (host sign-in, the desk's role
and dual-control checks, the token on ``approvals.record``, the staff journal), and nothing in the
engine or the host trusts a bare staff number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from devices.dispenser.api import StockCard
from devices.dispenser.sim import stock_after
from devices.sim_profiles import People
from kiosk.app.compose import Kiosk
from kiosk.engine.staff import DeskState, StaffDenied, StaffDesk
from kiosk.engine.staff.devices import DeviceService
from kiosk.voice.status import AudioStatus


def stock_source(people: People, dispenser: object = None) -> Callable[[int], list[StockCard]]:
    """More blank cards like the demo hopper's (people.toml ``[dispenser]``): the next serials, Luhn-checked.
    With the kiosk's dispenser simulator, the ones after all it was ever loaded with (it keeps that count
    across a restart, and re-derives its hopper from the same series), so no card is loaded twice."""
    next_stock = getattr(dispenser, "next_stock", None)
    if callable(next_stock):
        return cast(Callable[[int], list[StockCard]], next_stock)
    last = people.stock[-1] if people.stock else None
    given = 0

    def more(count: int) -> list[StockCard]:
        nonlocal given
        cards = stock_after(last, count, skip=given)
        given += count
        return cards

    return more


def build_staff_desk(kiosk: Kiosk, lang: str | None = None) -> StaffDesk:
    """The kiosk's staff desk (one per engine: a second call returns the first)."""
    if isinstance(kiosk.engine.staff, StaffDesk):
        return kiosk.engine.staff
    config = kiosk.config
    data_dir = kiosk.data_dir or config.data_dir
    others = [AudioStatus(config.voice.player, kiosk.speaker)] if kiosk.speaker is not None else []
    devices = DeviceService(kiosk.devices, stock_source(kiosk.people, kiosk.devices.dispenser), others)
    return StaffDesk(kiosk.engine, devices, export_dir=data_dir / "reconciliation", lang=lang)


class StaffOnBehalf:
    """QA: a named member of staff signs in (demo password) and decides, through the staff desk."""

    def __init__(self, desk: StaffDesk, people: People) -> None:
        self.desk = desk
        self._passwords = {m.number: m.password for m in people.staff if m.password}
        self.waiting: tuple[str, str, str] | None = None  # (staff number, decision, reason) until signed in
        self._mine = False  # the member signed in is one this helper signed in (and signs out after deciding)
        self.refused: str | None = None  # why the last decision was not made (a catalog key or words)
        desk.subscribe(self._changed)

    def close(self) -> None:
        """Stop following the desk (the driver that made this one is done)."""
        self.desk.unsubscribe(self._changed)

    def approve(self, staff_number: str, decision: str = "approve", reason: str = "") -> None:
        """``decision``: "approve" or "reject". Returns at once; the sign-in (if needed) runs off-thread."""
        self.refused = None
        member = self.desk.member
        if member is not None and member.number == staff_number:
            self._decide(decision, reason)
            return
        password = self._passwords.get(staff_number)
        if password is None:
            self.refused = f"no demo staff {staff_number!r} in people.toml"
            return
        self.desk.sign_in_with_password(staff_number, password)
        if self.desk.state is DeskState.SIGNING_IN:
            self.waiting = (staff_number, decision, reason)
            self._mine = True
        else:
            self.refused = self.desk.notice.key if self.desk.notice else "staff.sign_in.failed"

    def _changed(self) -> None:
        if self.waiting is None or self.desk.state is DeskState.SIGNING_IN:
            return
        number, decision, reason = self.waiting
        self.waiting = None
        member = self.desk.member
        if member is None or member.number != number:
            self._mine = False
            self.refused = self.desk.notice.key if self.desk.notice else "staff.sign_in.failed"
            return
        self._decide(decision, reason)

    def _decide(self, decision: str, reason: str) -> None:
        try:
            self.desk.decide(decision == "approve", reason)
        except StaffDenied as exc:
            self.refused = exc.key
        if self._mine:  # done, as a supervisor would be; the token ends once the decision is recorded
            self._mine = False
            self.desk.sign_out()
