"""Staff screens for the machine and the books: maintenance (transactions needing staff, devices, stock, paper,
retain bins, out of service) and records (the journal, masked and filtered, with a receipt reprinted (补打); the
day's reconciliation, printed or exported)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from devices.api import DeviceStatus
from kiosk.core.i18n import has_text
from kiosk.core.money import format_fen
from kiosk.engine.staff import Action
from kiosk.engine.staff.devices import RetainedCardView
from kiosk.engine.staff.views import JournalRow
from kiosk.ui.staff.attention import AttentionPanel
from kiosk.ui.staff.base import Chips, Rows, StaffScreen, Table, heading
from kiosk.ui.widgets import button, label, set_flag

CARD_COUNTS = (10, 50, 100)
PAPER_COUNTS = (100, 300, 500)
A4_COUNTS = (250, 500)
OUTCOMES = ("completed", "failed", "cancelled", "timeout")
SESSION_ROWS = 40
LOG_ROWS = 30
FLOW_CHIPS_PER_ROW = 8  # the journal's flow filter wraps after so many


def scrolled(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    inner.setObjectName("ScrollBody")
    area.setWidget(inner)
    return area


class MaintenanceScreen(StaffScreen):
    name = "maintenance"

    def build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(heading(self.t("staff.ui.maintenance.title")), 1)
        self.quit = self.action("staff.ui.maintenance.quit", "staff-quit-kiosk", self.desk.maintenance.quit_kiosk,
                                "danger")  # the kiosk program ends (under its service it starts again)
        top.addWidget(self.quit, 0, Qt.AlignmentFlag.AlignTop)
        self.column.addLayout(top)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(14)
        self.attention = AttentionPanel(self)  # transactions needing staff, first: money and customers wait on them
        column.addWidget(self.attention)
        self.devices = Table("devices")
        column.addWidget(label(self.t("staff.ui.maintenance.devices"), "StaffSection"))
        column.addWidget(self.devices)
        below = QHBoxLayout()
        below.setSpacing(40)
        self.cards = Chips("cards", [(str(n), str(n)) for n in CARD_COUNTS], self, stretch=False)
        self.paper = Chips("paper", [(str(n), str(n)) for n in PAPER_COUNTS], self, stretch=False)
        self.replenish = self.action("staff.ui.maintenance.replenish", "staff-replenish",
                                     lambda: self.desk.maintenance.replenish_cards(int(self.cards.value)))
        self.load_paper = self.action("staff.ui.maintenance.load_paper", "staff-load-paper",
                                      lambda: self.desk.maintenance.load_paper(int(self.paper.value)))
        self.a4 = Chips("a4", [(str(n), str(n)) for n in A4_COUNTS], self, stretch=False)
        self.load_a4 = self.action("staff.ui.maintenance.load_a4", "staff-load-a4",
                                   lambda: self.desk.maintenance.load_a4(int(self.a4.value)))
        self.toner = self.action("staff.ui.maintenance.replace_toner", "staff-replace-toner",
                                 self.desk.maintenance.replace_toner)
        self.stock_box = QWidget()
        stock = QVBoxLayout(self.stock_box)
        stock.setContentsMargins(0, 0, 0, 0)
        for text_key, chips, go in (("staff.ui.maintenance.cards", self.cards, self.replenish),
                                    ("staff.ui.maintenance.paper", self.paper, self.load_paper),
                                    ("staff.ui.maintenance.a4_paper", self.a4, self.load_a4)):
            stock.addWidget(label(self.t(text_key), "StaffSection"))
            line = QHBoxLayout()
            line.addWidget(chips)
            line.addSpacing(16)
            line.addWidget(go)
            line.addStretch(1)
            stock.addLayout(line)
        toner = QHBoxLayout()
        toner.addWidget(self.toner)
        toner.addStretch(1)
        stock.addLayout(toner)
        stock.addStretch(1)
        below.addWidget(self.stock_box, 2)
        bins = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(label(self.t("staff.ui.maintenance.retained"), "StaffSection"), 1)
        self.empty = self.action("staff.ui.maintenance.empty_bins", "staff-empty-bins",
                                 self.desk.maintenance.empty_retain_bins, "danger")
        head.addWidget(self.empty)
        bins.addLayout(head)
        self.retained = Table("retained")
        bins.addWidget(self.retained)
        self.emptied_title = label(self.t("staff.ui.maintenance.emptied"), "StaffSection")
        self.emptied = Table("emptied")
        bins.addWidget(self.emptied_title)
        bins.addWidget(self.emptied)
        bins.addStretch(1)
        below.addLayout(bins, 3)
        column.addLayout(below)
        column.addStretch(1)
        self.column.addWidget(scrolled(body), 1)

    def _device_buttons(self, name: str, may: bool) -> list[QWidget]:
        test = button(self.t("staff.ui.maintenance.self_test"), f"staff-selftest-{name}", "small")
        reset = button(self.t("staff.ui.maintenance.reset"), f"staff-reset-{name}", "small")
        test.clicked.connect(lambda _=False: self.act(lambda: self.desk.maintenance.self_test(name)))
        reset.clicked.connect(lambda _=False: self.act(lambda: self.desk.maintenance.reset(name)))
        busy = any(k.endswith(f":{name}") for k in self.desk.maintenance.running)
        for b in (test, reset):
            b.setVisible(may)
            b.setEnabled(not busy)
        return [test, reset]

    def entered(self) -> None:
        self.attention.load()

    def refresh(self) -> None:
        self.attention.setVisible(self.desk.may(Action.JOURNAL))
        self.attention.refresh()
        may = self.desk.may(Action.SERVICE)
        self.quit.setVisible(self.desk.may(Action.QUIT_KIOSK) and self.desk.maintenance.can_quit)
        statuses = self.desk.maintenance.statuses()
        last = self.desk.maintenance.last
        rows = [[self.t(f"staff.device.{s.device}"), self.t(f"staff.state.{s.state.value}"), self._detail(s),
                 last.get(s.device, "")] for s in statuses]
        head = [self.t("staff.ui.col.device"), self.t("staff.ui.col.state"), self.t("staff.ui.col.detail"),
                self.t("staff.ui.col.last")]
        key = (tuple(map(tuple, rows)), may, tuple(sorted(self.desk.maintenance.running)))
        if key != getattr(self, "_device_key", None):
            self._device_key = key
            self.devices.set_table(head, rows, widgets=[self._device_buttons(s.device, may) for s in statuses],
                                   stretch=3)
            for r, s in enumerate(statuses, 1):
                item = self.devices.grid.itemAtPosition(r, 1)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    set_flag(widget, "state", s.state.value)
        self.stock_box.setVisible(may)
        self.empty.setVisible(may)
        cards = self.desk.maintenance.retained_cards()
        self.empty.setEnabled(bool(cards))
        card_head = [self.t("staff.ui.col.device"), self.t("staff.ui.col.card"), self.t("staff.ui.col.reason"),
                     self.t("staff.ui.col.time")]
        self.retained.set_table(card_head, [self._card_row(c) for c in cards], self.t("staff.ui.maintenance.bins_empty"))
        emptied = self.desk.maintenance.emptied
        self.emptied_title.setVisible(bool(emptied))
        self.emptied.setVisible(bool(emptied))
        self.emptied.set_table(card_head, [self._card_row(c) for c in emptied])

    def _detail(self, status: DeviceStatus) -> str:
        """Counters in words, and the fault's code when there is one (the device's own line is English)."""
        parts = [self.t(f"staff.counter.{name}", n=n) for name, n in status.counters.items()
                 if has_text(self.lang, f"staff.counter.{name}")]
        if status.fault and has_text(self.lang, f"staff.fault.{status.fault}"):  # a fault staff can act on
            parts.append(self.t(f"staff.fault.{status.fault}"))
        elif status.fault:
            parts.append(self.t("staff.ui.fault", code=status.fault))
        return "，".join(parts) if self.lang == "zh_CN" else ", ".join(parts)

    def _card_row(self, card: RetainedCardView) -> list[str]:
        key = f"staff.retain.{card.reason}"
        words = self.t(key) if has_text(self.lang, key) else card.reason
        return [self.t(f"staff.device.{card.device}"), card.pan_masked, words, card.at]


class RecordsScreen(StaffScreen):
    """The journal of a day (sessions, staff actions), filtered by flow and outcome; the reconciliation."""

    name = "records"

    def build(self) -> None:
        self.day: date | None = None
        self.column.addWidget(heading(self.t("staff.ui.records.title")))
        days = QHBoxLayout()
        self.prev = self.action("staff.ui.records.prev", "staff-day-prev", lambda: self._move(-1), "small")
        self.day_label = label("", "StaffSection", wrap=False)
        self.next = self.action("staff.ui.records.next", "staff-day-next", lambda: self._move(1), "small")
        self.today = self.action("staff.ui.records.today", "staff-day-today", lambda: self._move(0), "small")
        for w in (self.prev, self.day_label, self.next, self.today):
            days.addWidget(w)
        days.addStretch(1)
        self.column.addLayout(days)
        self.flow = Chips("flow", self._flow_options([]), self, per_row=FLOW_CHIPS_PER_ROW)
        self.outcome = Chips("outcome", [("all", self.t("staff.ui.records.all_outcomes"))]
                             + [(o, self.t(f"staff.outcome.{o}")) for o in OUTCOMES], self)
        self.column.addWidget(self.flow)
        self.column.addWidget(self.outcome)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(12)
        self.sessions = Table("sessions")
        self.log = Table("staff_log")
        self.recon_title = label(self.t("staff.ui.records.reconciliation"), "StaffSection")
        self.recon = Table("reconciliation")
        recon_buttons = QHBoxLayout()
        self.print_recon = self.action("staff.ui.records.print", "staff-print-recon", self._print)
        self.export_recon = self.action("staff.ui.records.export", "staff-export-recon", self._export)
        recon_buttons.addWidget(self.recon_title, 1)
        recon_buttons.addWidget(self.print_recon)
        recon_buttons.addWidget(self.export_recon)
        self.figures = Rows("figures")  # the day's main measures (kiosk/engine/staff/figures.py)
        column.addWidget(label(self.t("staff.ui.records.figures"), "StaffSection"))
        column.addWidget(self.figures)
        column.addWidget(label(self.t("staff.ui.records.sessions"), "StaffSection"))
        column.addWidget(self.sessions)
        column.addLayout(recon_buttons)
        column.addWidget(self.recon)
        column.addWidget(label(self.t("staff.ui.records.staff_log"), "StaffSection"))
        column.addWidget(self.log)
        column.addStretch(1)
        self.column.addWidget(scrolled(body), 1)

    def entered(self) -> None:
        self.day = self.desk.today()
        self.filters_changed()

    def _move(self, days: int) -> None:
        today = self.desk.today()
        self.day = today if days == 0 or self.day is None else min(today, self.day + timedelta(days=days))
        self.filters_changed()

    def _flow_options(self, flows: list[str]) -> list[tuple[str, str]]:
        """All flows, then the day's: 29 services do not fit one row of chips, a day's usually do."""
        return [("all", self.t("staff.ui.records.all_flows")), *((f, self.t(f"flow.{f}.title")) for f in flows)]

    def _print(self) -> None:
        if self.day is not None:
            self.desk.records.print_reconciliation(self.day)

    def _export(self) -> None:
        if self.day is not None:
            self.desk.records.export_reconciliation(self.day)

    def filters_changed(self) -> None:
        """Read the journal again (each reading is itself journaled: who looked at what)."""
        if self.day is None or not self.desk.may(Action.JOURNAL):
            return
        self.day_label.setText(self.day.isoformat())
        self.flow.set_options(self._flow_options(self.desk.records.flows_of(self.day)))
        flow = None if self.flow.value == "all" else self.flow.value
        outcome = None if self.outcome.value == "all" else self.outcome.value
        self.figures.set_rows(self.desk.records.figures(self.day))
        rows = self.desk.records.sessions(self.day, flow, outcome)[:SESSION_ROWS]
        self.sessions.set_table(
            [self.t(f"staff.ui.col.{c}") for c in ("time", "flow", "outcome", "reason", "session")],
            [[r.time, r.flow, r.outcome, r.reason, r.session] for r in rows], self.t("staff.ui.records.empty"),
            widgets=[self._reprint_button(r) for r in rows], stretch=3)
        log = self.desk.records.staff_log(self.day)[:LOG_ROWS]
        self.log.set_table([self.t(f"staff.ui.col.{c}") for c in ("time", "action", "staff", "detail")],
                           [[r.time, r.action, r.staff, r.detail] for r in log], self.t("staff.ui.records.empty"),
                           stretch=3)
        self._reconciliation()

    def _reprint_button(self, row: JournalRow) -> list[QWidget]:
        """补打凭条 for a session that printed a receipt (whoever may read the journal may reprint it)."""
        if row.receipt_seq is None or not self.desk.may(Action.REPRINT):
            return []
        b = button(self.t("staff.ui.records.reprint"), f"staff-reprint-{row.session}", "small")
        b.clicked.connect(lambda _=False, r=row: self.act(
            lambda: self.desk.records.reprint_receipt(r.session_id, r.receipt_seq)))
        return [b]

    def _reconciliation(self) -> None:
        may = self.desk.may(Action.RECONCILE)
        for w in (self.recon_title, self.recon, self.print_recon, self.export_recon):
            w.setVisible(may)
        if not may or self.day is None:
            return
        rec = self.desk.records.reconciliation(self.day)
        columns = ("sessions", "completed", "failed", "cancelled", "timeout", "unsettled", "suspect", "reversed")
        rows = [[self.t(f"flow.{f.flow}.title") if f.flow != "total" else self.t("staff.reconcile.total"),
                 *(str(getattr(f, c)) for c in columns), format_fen(f.amount_fen), format_fen(f.reversed_fen)]
                for f in (*rec.flows, rec.totals)]
        self.recon.set_table([self.t("staff.ui.col.flow"), *(self.t(f"staff.ui.col.{c}") for c in columns),
                              self.t("staff.ui.col.amount"), self.t("staff.ui.col.reversed_amount")], rows)

    def refresh(self) -> None:
        if self.day is not None:
            self.day_label.setText(self.day.isoformat())
        self.next.setEnabled(self.day is not None and self.day < self.desk.today())
