"""The maintenance screen's "transactions needing staff" panel (交易待处理): suspect transactions (why, and who
settled them), reversals waiting in the queue, what the last start's recovery did and the last check of the journal's
hash chain; a supervisor retries the reversals now or records how a suspect was settled, and whoever reads the
journal checks its chain (校验日志链). It shows ``desk.attention`` (kiosk/engine/staff/attention.py),
read again when the screen is entered and after each action, not on every refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.engine.screens import Row
from kiosk.engine.staff import Action
from kiosk.engine.staff.attention import SETTLE_REASONS, AttentionView, SuspectView, VerificationView
from kiosk.ui.staff.base import Chips, Rows, Table
from kiosk.ui.widgets import button, label, set_flag

if TYPE_CHECKING:
    from kiosk.ui.staff.base import StaffScreen

SUSPECT_COLUMNS = ("time", "flow", "op", "parties", "amount", "reason", "handled")
REVERSAL_COLUMNS = ("time", "flow", "op", "parties", "amount", "attempts", "next_try", "last_error")


class AttentionPanel(QWidget):
    def __init__(self, screen: StaffScreen) -> None:
        super().__init__()
        self.setObjectName("StaffAttention")
        self.owner = screen
        self.desk = screen.desk
        self.view: AttentionView | None = None
        self._version = -1
        t = screen.t
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        head = QHBoxLayout()
        head.addWidget(label(t("staff.ui.attention.title"), "StaffSection"), 1)
        self.retry = screen.action("staff.ui.attention.retry", "staff-retry-reversals",
                                   self.desk.attention.retry_reversals, "small")
        head.addWidget(self.retry)
        self.verify = screen.action("staff.ui.attention.verify", "staff-verify-journal",
                                    self.desk.attention.verify_journal, "small")
        head.addWidget(self.verify)
        column.addLayout(head)
        self.verification = label("", "StaffVerification")  # the last check of the journal's chain
        column.addWidget(self.verification)
        self.supervisors_only = label(t("staff.ui.attention.supervisors_only"), "StaffMuted")
        column.addWidget(self.supervisors_only)
        self.nothing = label(t("staff.ui.attention.nothing"), "StaffMuted")
        column.addWidget(self.nothing)
        self.suspects_title = label(t("staff.ui.attention.suspects"), "StaffMuted")
        column.addWidget(self.suspects_title)
        self.reason_row = QWidget()
        reasons = QHBoxLayout(self.reason_row)
        reasons.setContentsMargins(0, 0, 0, 0)
        reasons.addWidget(label(t("staff.ui.attention.reason"), "RowLabel", wrap=False))
        self.reason = Chips("settle_reason", [(r, t(f"staff.attention.reason.{r}")) for r in SETTLE_REASONS], screen)
        reasons.addWidget(self.reason, 1)
        column.addWidget(self.reason_row)
        self.suspects = Table("suspects")
        column.addWidget(self.suspects)
        self.reversals_title = label(t("staff.ui.attention.reversals"), "StaffMuted")
        column.addWidget(self.reversals_title)
        self.reversals = Table("reversals")
        column.addWidget(self.reversals)
        self.recovery_title = label("", "StaffMuted")
        self.recovery = Rows("recovery")
        column.addWidget(self.recovery_title)
        column.addWidget(self.recovery)

    def load(self) -> None:
        """Read the journal again (entering the screen, or after an action)."""
        self.view = self.desk.attention.view()
        self._version = self.desk.attention.version
        self._show_tables()

    def refresh(self) -> None:
        if self._version != self.desk.attention.version:
            self.load()
        may = self.desk.may(Action.SETTLE_TXN)
        view = self.view
        self.retry.setVisible(self.desk.may(Action.RETRY_REVERSALS))
        self.retry.setEnabled(bool(view and view.reversals) and not self.desk.attention.retrying)
        self.verify.setVisible(self.desk.may(Action.VERIFY_JOURNAL))
        self.verify.setEnabled(not self.desk.attention.verifying)
        anything = bool(view and (view.suspects or view.reversals))
        self.nothing.setVisible(not anything)
        for part in (self.suspects_title, self.suspects, self.reversals_title, self.reversals):
            part.setVisible(anything)  # one line when nothing waits: the devices come next
        self.supervisors_only.setVisible(anything and not may)
        self.reason_row.setVisible(may and bool(view and view.open_suspects))

    def _show_tables(self) -> None:
        view, t = self.view, self.owner.t
        if view is None:
            return
        may = self.desk.may(Action.SETTLE_TXN)
        self.suspects.set_table(
            [t(f"staff.ui.col.{c}") for c in SUSPECT_COLUMNS],
            [[s.at, s.flow, s.op, s.parties, s.amount, t(f"staff.attention.why.{s.why}"), self._handled(s)]
             for s in view.suspects], t("staff.ui.attention.none"),
            widgets=[self._settle_button(s) if may and s.settled is None else [] for s in view.suspects], stretch=6)
        self.reversals.set_table(
            [t(f"staff.ui.col.{c}") for c in REVERSAL_COLUMNS],
            [[r.queued_at, r.flow, r.op, r.parties, r.amount, str(r.attempts),
              t("staff.ui.attention.due") if r.due else r.next_at, r.last_error] for r in view.reversals],
            t("staff.ui.attention.no_reversals"), stretch=7)
        recovery = view.recovery
        if recovery is None:
            self.recovery_title.setText(t("staff.ui.attention.no_recovery"))
        else:
            self.recovery_title.setText(t("staff.ui.attention.recovery", at=recovery.at))
        rows = list(recovery.rows) if recovery else []
        if recovery is not None and not rows:
            rows = [Row(t("staff.ui.attention.recovery_nothing"), "")]
        rows += [Row("", note) for note in (recovery.notes if recovery else ())]
        self.recovery.set_rows(rows)
        self._show_verification(view.verification)

    def _show_verification(self, last: VerificationView | None) -> None:
        t = self.owner.t
        if last is None:
            text, state = t("staff.ui.attention.verified_never"), ""
        elif last.ok:
            text, state = t("staff.ui.attention.verified_ok", at=last.at, staff=last.staff,
                            entries=last.entries_checked, head=last.head), "ok"
        else:
            key = "verified_broken" if last.first_broken_seq is not None else "verified_broken_whole"
            text, state = t(f"staff.ui.attention.{key}", at=last.at, staff=last.staff, seq=last.first_broken_seq,
                            reason=last.reason), "fault"
        self.verification.setText(text)
        set_flag(self.verification, "state", state)

    def _handled(self, suspect: SuspectView) -> str:
        t = self.owner.t
        done = suspect.settled
        if done is None:
            return t("staff.ui.attention.waiting")
        return t("staff.ui.attention.settled_by", staff=done.staff, at=done.at,
                 reason=t(f"staff.attention.reason.{done.reason}"))

    def _settle_button(self, suspect: SuspectView) -> list[QWidget]:
        b = button(self.owner.t("staff.ui.attention.settle"), f"staff-settled-{suspect.key[:8]}", "small")
        b.clicked.connect(lambda _=False, key=suspect.key: self.owner.act(
            lambda: self.desk.attention.settle(key, self.reason.value)))
        return [b]
