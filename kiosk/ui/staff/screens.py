"""Staff screens for people: sign-in, home (what waits for staff), an approval, a help request."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.engine.staff import Action, DeskState
from kiosk.ui.staff.base import Rows, StaffScreen, heading
from kiosk.ui.staff.keyboard import StaffKeyboard, apply
from kiosk.ui.widgets import PinDots, button, label, set_flag

PASSWORD_DOT = "●"
REASONS = ("checked", "counter", "documents")


class SignInScreen(StaffScreen):
    """Staff number and password on the on-screen keyboard, or the staff card and its PIN on the PIN pad."""

    name = "signin"

    def build(self) -> None:
        self.values = {"number": "", "password": ""}
        self.active = "number"
        self.column.addWidget(heading(self.t("staff.ui.sign_in.title")))
        self.column.addWidget(label(self.t("staff.ui.sign_in.prompt"), "StaffMuted"))
        row = QHBoxLayout()
        row.setSpacing(48)
        left = QVBoxLayout()
        left.setSpacing(10)
        self.fields: dict[str, QPushButton] = {}
        for name in ("number", "password"):
            left.addWidget(label(self.t(f"staff.ui.sign_in.{name}"), "StaffSection"))
            field = button("", f"sfield-{name}", "field")
            field.clicked.connect(lambda _=False, n=name: self._activate(n))
            self.fields[name] = field
            left.addWidget(field)
        self.submit = self.action("staff.ui.sign_in.submit", "staff-sign-in", self._submit, "primary")
        left.addSpacing(12)
        left.addWidget(self.submit)
        left.addSpacing(24)
        left.addWidget(label(self.t("staff.ui.sign_in.or_card"), "StaffMuted"))
        self.card = self.action("staff.ui.sign_in.card", "staff-card", self.desk.sign_in_with_card)
        left.addWidget(self.card)
        self.card_stage = label("", "StaffSection")
        self.dots = PinDots()
        self.cancel_card = self.action("staff.ui.sign_in.cancel_card", "staff-card-cancel", self.desk.cancel_sign_in,
                                       "danger")
        left.addWidget(self.card_stage)
        left.addWidget(self.dots)
        left.addWidget(self.cancel_card, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        row.addLayout(left, 2)
        self.keyboard = StaffKeyboard(self.lang)
        self.keyboard.key.connect(self.type_key)
        row.addWidget(self.keyboard, 3, Qt.AlignmentFlag.AlignTop)
        self.column.addLayout(row, 1)

    def _activate(self, name: str) -> None:
        self.desk.touch()
        self.active = name
        self.refresh()

    def type_key(self, key: str) -> None:
        self.desk.touch()
        if key == "enter":
            if self.active == "number":
                self.active = "password"
            else:
                self._submit()
        else:
            self.values[self.active] = apply(self.values[self.active], key, 16 if self.active == "number" else 64)
        self.refresh()

    def _submit(self) -> None:
        number, password = self.values["number"], self.values["password"]
        self.values["password"] = ""  # never kept on the screen once sent
        self.active = "password" if number else "number"
        self.desk.sign_in_with_password(number, password)

    def forget(self) -> None:
        """Signed in, or staff mode closed: nothing typed stays on the screen."""
        self.values = {"number": "", "password": ""}
        self.active = "number"

    def refresh(self) -> None:
        if not self.mode.isVisible() or self.desk.member is not None:
            self.forget()
        signing_in = self.desk.state is DeskState.SIGNING_IN
        self.fields["number"].setText(self.values["number"])
        self.fields["password"].setText(PASSWORD_DOT * len(self.values["password"]))
        for name, field in self.fields.items():
            set_flag(field, "active", "true" if name == self.active else "false")
            field.setMinimumWidth(self.px(560))
        self.submit.setEnabled(not signing_in and bool(self.values["number"] and self.values["password"]))
        stage = self.desk.card_stage
        self.card.setEnabled(not signing_in)
        self.card_stage.setVisible(stage is not None)
        self.card_stage.setText(self.t(f"staff.ui.card.{stage}") if stage else "")
        self.dots.setVisible(stage == "pin")
        self.dots.set_state(self.desk.pin_digits, 6, self.px(40))
        self.cancel_card.setVisible(stage is not None)


class HomeScreen(StaffScreen):
    """What waits for staff: a pending approval, a help request; maintenance and the journal."""

    name = "home"

    def build(self) -> None:
        self.title = heading("")
        self.column.addWidget(self.title)
        grid = QGridLayout()
        grid.setSpacing(20)
        self.approval = self._tile("staff-tile-approval", lambda: self.mode.go("approval"))
        self.help = self._tile("staff-tile-help", lambda: self.mode.go("help"))
        self.maintenance = self._tile("staff-tile-maintenance", lambda: self.mode.go("maintenance"))
        self.records = self._tile("staff-tile-journal", lambda: self.mode.go("records"))
        for i, tile in enumerate((self.approval, self.help, self.maintenance, self.records)):
            grid.addWidget(tile, i // 2, i % 2)
        self.column.addLayout(grid)
        service = QHBoxLayout()
        self.service_state = label("", "StaffSection")
        self.toggle = self.action("staff.ui.service.take_out", "staff-out-of-service", self._toggle_service)
        service.addWidget(self.service_state, 1)
        service.addWidget(self.toggle)
        self.column.addLayout(service)
        self.column.addStretch(1)

    def _tile(self, name: str, go: object) -> Tile:
        tile = Tile(name)
        tile.clicked.connect(go)
        return tile

    def _toggle_service(self) -> None:
        self.desk.maintenance.set_out_of_service(not self.desk.maintenance.out_of_service)

    def refresh(self) -> None:
        member = self.desk.member
        if member is None:
            return
        self.title.setText(self.t("staff.ui.home.title", name=member.name))
        pending = self.desk.pending_approval()
        helps = self.desk.help_requests()
        if pending is not None:
            rows = {r.label: r.value for r in pending.rows}
            detail = " · ".join(v for v in (rows.get(self.t("staff.row.flow")), rows.get(self.t("approval.reason"))) if v)
            self.approval.show_text(self.t("staff.ui.home.approval"), detail)
        else:
            self.approval.show_text(self.t("staff.ui.home.approval"), self.t("staff.ui.home.no_approval"))
        set_flag(self.approval, "alert", "true" if pending else "false")
        self.approval.setEnabled(pending is not None)
        if helps:
            rows = {r.label: r.value for r in helps[0].rows}
            self.help.show_text(self.t("staff.ui.home.help"), self.t(
                "staff.ui.home.help_detail", flow=rows.get(self.t("staff.row.flow"), ""),
                step=rows.get(self.t("staff.row.step"), ""), at=helps[0].requested_at))
        else:
            self.help.show_text(self.t("staff.ui.home.help"), self.t("staff.ui.home.no_help"))
        set_flag(self.help, "alert", "true" if helps else "false")
        self.help.setEnabled(bool(helps) or self.desk.session_running)
        suspects, reversals = self.desk.attention.counts()  # transactions needing staff
        waiting = suspects or reversals
        self.maintenance.show_text(self.t("staff.ui.home.maintenance"), self.t(
            "staff.ui.home.attention", suspects=suspects, reversals=reversals) if waiting
            else self.t("staff.ui.home.maintenance_detail"))
        set_flag(self.maintenance, "alert", "true" if waiting else "false")
        self.maintenance.setVisible(self.desk.may(Action.DEVICE_STATUS))
        self.records.show_text(self.t("staff.ui.home.journal"), self.t("staff.ui.home.journal_detail"))
        self.records.setVisible(self.desk.may(Action.JOURNAL))
        out = self.desk.maintenance.out_of_service
        self.service_state.setText(self.t("staff.ui.service.out" if out else "staff.ui.service.in"))
        self.toggle.setText(self.t("staff.ui.service.bring_back" if out else "staff.ui.service.take_out"))
        self.toggle.setVisible(self.desk.may(Action.OUT_OF_SERVICE))
        for tile in (self.approval, self.help, self.maintenance, self.records):
            tile.setMinimumHeight(self.px(150))
            layout = tile.layout()
            if layout is not None:
                layout.setContentsMargins(self.px(32), self.px(20), self.px(32), self.px(20))


class Tile(QPushButton):
    """A big button with a title and a line of detail (what waits, or that nothing does)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        column = QVBoxLayout(self)
        self.title = label("", "StaffTileTitle")
        self.detail = label("", "StaffTileDetail")
        for part in (self.title, self.detail):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(part)

    def show_text(self, title: str, detail: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)

    def text(self) -> str:  # what tests and QA tools read
        return f"{self.title.text()}\n{self.detail.text()}"


class ApprovalScreen(StaffScreen):
    """The masked summary of what waits, a reason, approve or reject."""

    name = "approval"

    def build(self) -> None:
        self.reason = ""
        self.column.addWidget(heading(self.t("staff.ui.approval.title")))
        row = QHBoxLayout()
        row.setSpacing(40)
        left = QVBoxLayout()
        self.rows = Rows("approval")
        self.dual = label("", "StaffSection")
        self.none = label(self.t("staff.approval.none"), "StaffMuted")
        left.addWidget(self.rows)
        left.addWidget(self.dual)
        left.addWidget(self.none)
        left.addStretch(1)
        buttons = QHBoxLayout()
        self.approve = self.action("staff.ui.approval.approve", "staff-approve", lambda: self._decide(True), "primary")
        self.reject = self.action("staff.ui.approval.reject", "staff-reject", lambda: self._decide(False), "danger")
        buttons.addWidget(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.approve)
        left.addLayout(buttons)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(label(self.t("staff.ui.approval.reason"), "StaffSection"))
        self.reason_field = button("", "sfield-reason", "field")
        set_flag(self.reason_field, "active", "true")
        right.addWidget(self.reason_field)
        chips = QHBoxLayout()
        for key in REASONS:
            chip = button(self.t(f"staff.ui.reason.{key}"), f"staff-reason-{key}", "chip")
            chip.clicked.connect(lambda _=False, k=key: self._preset(k))
            chips.addWidget(chip)
        chips.addStretch(1)
        right.addLayout(chips)
        self.keyboard = StaffKeyboard(self.lang)
        self.keyboard.key.connect(self.type_key)
        right.addWidget(self.keyboard)
        right.addStretch(1)
        row.addLayout(right, 1)
        self.column.addLayout(row, 1)

    def _preset(self, key: str) -> None:
        self.desk.touch()
        self.reason = self.t(f"staff.ui.reason.{key}")
        self.refresh()

    def type_key(self, key: str) -> None:
        self.desk.touch()
        if key != "enter":
            self.reason = apply(self.reason, key, 100)
        self.refresh()

    def _decide(self, approve: bool) -> None:
        self.desk.decide(approve, self.reason)
        self.reason = ""

    def refresh(self) -> None:
        if not self.mode.isVisible():
            self.reason = ""
        request = self.desk.pending_approval()
        self.rows.set_rows(request.rows if request else ())
        self.none.setVisible(request is None)
        if request is not None and request.dual:
            key = "staff.ui.approval.second" if request.first_by else "staff.ui.approval.first"
            self.dual.setText(self.t(key, staff=request.first_by or ""))
        self.dual.setVisible(request is not None and request.dual)
        self.reason_field.setText(self.reason or self.t("staff.ui.approval.reason_hint"))
        set_flag(self.reason_field, "hint", "false" if self.reason else "true")
        may = self.desk.may(Action.APPROVE)
        member = self.desk.member
        decided = request is not None and member is not None and request.first_by == member.number
        ready = request is not None and may and not request.busy and not decided  # dual control: someone else
        self.approve.setEnabled(ready)
        self.reject.setEnabled(ready)
        for b in (self.approve, self.reject):
            b.setMinimumWidth(self.px(260))
            b.setToolTip("" if may else self.t("staff.ui.approval.supervisors_only"))


class HelpScreen(StaffScreen):
    """A customer called staff: where they are; step back, cancel safely, or hand back."""

    name = "help"

    def build(self) -> None:
        self.column.addWidget(heading(self.t("staff.ui.help.title")))
        self.rows = Rows("help")
        self.none = label(self.t("staff.ui.help.none"), "StaffMuted")
        self.column.addWidget(self.rows)
        self.column.addWidget(self.none)
        buttons = QHBoxLayout()
        self.back = self.action("staff.ui.help.back", "staff-step-back", self.desk.step_back)
        self.cancel = self.action("staff.ui.help.cancel", "staff-cancel-session", self.desk.cancel_session, "danger")
        self.hand_back = self.action("staff.ui.help.hand_back", "staff-hand-back", self._hand_back, "primary")
        for b in (self.back, self.cancel, self.hand_back):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.column.addLayout(buttons)
        self.column.addWidget(label(self.t("staff.ui.help.explain"), "StaffMuted"))
        self.column.addStretch(1)

    def _hand_back(self) -> None:
        self.desk.hand_back()
        self.mode.close_mode()  # the customer goes on at once

    def refresh(self) -> None:
        helps = self.desk.help_requests()
        s = self.desk.current_session()
        rows = helps[0].rows if helps else s.rows if s is not None else ()
        self.rows.set_rows(rows)
        self.none.setVisible(s is None)
        self.back.setEnabled(s is not None and self.desk.may(Action.ASSIST))
        self.hand_back.setEnabled(s is not None and self.desk.may(Action.ASSIST))
        self.cancel.setEnabled(s is not None and self.desk.may(Action.CANCEL_SESSION))
        for b in (self.back, self.cancel, self.hand_back):
            b.setMinimumWidth(self.px(300))
