"""The staff desk's maintenance and records: servicing devices, out of service, quitting the kiosk program,
the journal (masked), a customer's receipt reprinted from the journal (补打) and the day's reconciliation
(printed on the receipt printer, or exported to a file).

Device work, printing and writing files run on the engine's operation runner (see
:meth:`kiosk.engine.staff.StaffDesk.run`); their outcome is journaled and said to staff when it comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, DeviceError, DeviceStatus, EventSink
from devices.printer.api import Receipt, ReceiptLine
from kiosk.core.money import format_fen
from kiosk.engine.ops import OpResult
from kiosk.engine.screens import Row
from kiosk.engine.staff.devices import DeviceService, RetainedCardView, SelfTest, ServiceUnavailable
from kiosk.engine.staff.figures import day_report, figure_rows
from kiosk.engine.staff.views import (
    Action,
    JournalRow,
    StaffDenied,
    StaffLogRow,
    journal_row,
    staff_log_row,
    t,
)
from kiosk.engine.steps.receipt import receipt_from_record
from kiosk.journal.reconcile import Reconciliation, reconcile
from kiosk.journal.records import SessionOutcome

if TYPE_CHECKING:
    from kiosk.engine.staff.desk import StaffDesk

PRINT_WAIT_S = 20.0
OUT_OF_SERVICE_REASON = "staff.out_of_service.reason"  # a catalog key: what the home screen says


def _failure_code(error: BaseException | None) -> str:
    if isinstance(error, DeviceError):
        return error.reason
    if isinstance(error, ServiceUnavailable):
        return "unavailable"
    return type(error).__name__


class Maintenance:
    """Devices and the kiosk's service state. Servicing is for the maintenance role only."""

    def __init__(self, desk: StaffDesk, devices: DeviceService) -> None:
        self.desk = desk
        self.devices = devices
        self.running: set[str] = set()  # services under way, e.g. "self_test:printer"
        self.last: dict[str, str] = {}  # device -> what the last service found, in words
        self.emptied: list[RetainedCardView] = []  # what the last emptying of the retain bins took out
        self.on_quit: Callable[[], None] | None = None  # stops the program (kiosk/app/gui.py); None: cannot here

    # -- reading (no input: the staff screens poll these) ------------------------------------
    def statuses(self) -> list[DeviceStatus]:
        return self.devices.statuses() if self.desk.may(Action.DEVICE_STATUS) else []

    def retained_cards(self) -> list[RetainedCardView]:
        return self.devices.retained_cards() if self.desk.may(Action.DEVICE_STATUS) else []

    @property
    def out_of_service(self) -> bool:
        return self.desk.engine.out_of_service is not None

    # -- servicing ---------------------------------------------------------------------------
    def _service(self, name: str, device: str, call: Callable[[], Any],
                 describe: Callable[[Any], dict[str, Any]], **detail: Any) -> None:
        member = self.desk.require(Action.SERVICE)
        key = f"{name}:{device}"
        if key in self.running:
            return
        self.running.add(key)

        def work(cancel: Cancellation, on_event: EventSink) -> Any:
            return call()

        def done(result: OpResult) -> None:
            self.running.discard(key)
            if result.ok:
                facts = describe(result.value)
                self.desk.journal(name, staff=member.number, device=device, **detail, **facts)
                words = {**detail, **self._words(facts)}
                self.last[device] = t(self.desk.lang, f"staff.service.{name}.done", **words)
                self.desk.say(f"staff.service.{name}.done", **words)
                return
            code = _failure_code(result.error)
            if not isinstance(result.error, DeviceError | ServiceUnavailable | ValueError):
                raise result.error  # type: ignore[misc]  # a bug
            self.desk.journal(f"{name}_failed", staff=member.number, device=device, code=code, **detail)
            self.last[device] = t(self.desk.lang, "staff.service.failed", device=device, code=code)
            self.desk.say("staff.service.failed", error=True, device=device, code=code)

        self.desk.run(key, work, done)
        self.desk.say("staff.service.running")

    def _words(self, facts: dict[str, Any]) -> dict[str, Any]:
        """Codes as staff read them (the journal keeps the codes)."""
        lang = self.desk.lang
        words = dict(facts)
        if "result" in facts:
            words["result"] = t(lang, f"staff.result.{facts['result']}")
        if "state" in facts:
            words["state"] = t(lang, f"staff.state.{facts['state']}")
        return words

    def self_test(self, device: str) -> None:
        receipt = self._test_receipt() if device == "printer" else None

        def describe(test: SelfTest) -> dict[str, Any]:
            return {"result": "passed" if test.passed else "failed", "state": test.state, "fault": test.fault or ""}

        self._service("self_test", device, lambda: self.devices.self_test(device, receipt), describe)

    def reset(self, device: str) -> None:
        def describe(status: DeviceStatus) -> dict[str, Any]:
            return {"state": status.state.value}

        self._service("reset", device, lambda: self.devices.reset(device), describe)

    def _counted(self, count: int) -> bool:
        if count > 0:
            return True
        self.desk.say("staff.service.count_needed", error=True)
        return False

    def replenish_cards(self, count: int) -> None:
        if not self._counted(count):
            return
        self._service("replenish_cards", "dispenser", lambda: self.devices.replenish_cards(count),
                      lambda stock: {"stock": stock}, count=count)

    def load_paper(self, receipts: int) -> None:
        if not self._counted(receipts):
            return
        self._service("load_paper", "printer", lambda: self.devices.load_paper(receipts),
                      lambda paper: {"paper": paper}, count=receipts)

    def load_a4(self, sheets: int) -> None:
        if not self._counted(sheets):
            return
        self._service("load_a4", "docprinter", lambda: self.devices.load_a4(sheets),
                      lambda paper: {"paper": paper}, count=sheets)

    def replace_toner(self) -> None:
        self._service("replace_toner", "docprinter", self.devices.replace_toner, lambda toner: {"toner": toner})

    def empty_retain_bins(self) -> None:
        def describe(cards: list[RetainedCardView]) -> dict[str, Any]:
            self.emptied = cards
            return {"cards": [vars(c) for c in cards], "count": len(cards)}

        self._service("empty_retain_bins", "retain_bins", self.devices.empty_retain_bins, describe)

    def _test_receipt(self) -> Receipt:
        desk = self.desk
        settings = desk.services.settings
        stamp = desk.services.clock.now().strftime("%Y-%m-%d %H:%M:%S")
        return Receipt(title=t(desk.lang, "staff.service.test_receipt"),
                       lines=[ReceiptLine(t(desk.lang, "receipt.kiosk"), settings.kiosk_id),
                              ReceiptLine(t(desk.lang, "staff.row.time"), stamp)],
                       reference=f"TEST-{settings.kiosk_id}", header=[h for h in (settings.bank_name,
                                                                                  settings.branch_name) if h])

    # -- in and out of service ----------------------------------------------------------------
    def set_out_of_service(self, out: bool) -> None:
        """Close the kiosk to customers (the session running, if any, ends first) or open it again."""
        self.desk.require(Action.OUT_OF_SERVICE)
        counter = self.desk.services.settings.staff.service_counter
        if out:
            self.desk.engine.set_out_of_service(OUT_OF_SERVICE_REASON, counter)
            self.desk.journal("out_of_service", counter=counter)
            self.desk.say("staff.service.out_of_service")
        else:
            self.desk.engine.set_out_of_service(None)
            self.desk.journal("back_in_service")
            self.desk.say("staff.service.back_in_service")

    @property
    def can_quit(self) -> bool:
        """The program can be stopped from here (the kiosk window, not a headless run)."""
        return self.on_quit is not None

    def quit_kiosk(self) -> bool:
        """Stop the kiosk program (the maintenance screen's 退出程序), journaled with the staff number.
        Refused while a customer's session runs: staff end it first (the help screen's cancel)."""
        member = self.desk.require(Action.QUIT_KIOSK)
        if self.on_quit is None:
            self.desk.say("staff.quit.unavailable", error=True)
            return False
        if self.desk.engine.session is not None:
            self.desk.journal("quit_refused", reason="session_running")
            self.desk.say("staff.quit.session_running", error=True)
            return False
        self.desk.journal("quit", staff=member.number)
        self.desk.say("staff.quit.quitting")
        self.on_quit()
        return True


class Records:
    """The journal as staff may read it (masked, never editable) and the day's reconciliation."""

    def __init__(self, desk: StaffDesk) -> None:
        self.desk = desk

    def sessions(self, day: date, flow: str | None = None, outcome: str | None = None) -> list[JournalRow]:
        self.desk.require(Action.JOURNAL)
        journal = self.desk.services.journal
        records = journal.sessions(day, flow, SessionOutcome(outcome) if outcome else None)
        self.desk.journal("journal_viewed", day=day.isoformat(), flow=flow, outcome=outcome, rows=len(records))
        receipts = {e.session_id: e.seq for e in journal.entries_on(day, "receipt") if e.name == "issued"}
        return [journal_row(self.desk.lang, r, receipts.get(r.id)) for r in reversed(records)]

    def reprint_receipt(self, session_id: str, seq: int | None = None) -> Receipt:
        """Print a session's receipt again from the journal (its last one, or the entry ``seq``), marked as a
        reprint (补打) with the time and the staff number; journaled (``receipt_reprinted``) once printed.
        Returns the receipt sent to the printer."""
        member = self.desk.require(Action.REPRINT)
        issued = [e for e in self.desk.services.journal.entries(session_id)
                  if e.kind == "receipt" and e.name == "issued" and e.detail and (seq is None or e.seq == seq)]
        if not issued:
            self.desk.say("staff.reprint.none", error=True)
            raise StaffDenied("staff.reprint.none")
        entry = issued[-1]
        assert entry.detail is not None
        stamp = self.desk.services.clock.now().strftime("%Y-%m-%d %H:%M:%S")
        receipt = receipt_from_record(entry.detail, t(self.desk.lang, "staff.reprint.line", time=stamp,
                                                     staff=member.number))
        printer = self.desk.services.devices.printer

        def work(cancel: Cancellation, on_event: EventSink) -> Any:
            if printer is None:
                raise ServiceUnavailable("printer", "print")
            return printer.print_receipt(receipt, PRINT_WAIT_S)

        def done(result: OpResult) -> None:
            facts = {"staff": member.number, "session": session_id, "entry": entry.seq, "reference": receipt.reference}
            if result.ok:
                self.desk.journal("receipt_reprinted", session_id, **facts)
                self.desk.say("staff.reprint.done", reference=receipt.reference)
            else:
                code = _failure_code(result.error)
                self.desk.journal("receipt_reprint_failed", session_id, **facts, code=code)
                self.desk.say("staff.reprint.failed", error=True, code=code)

        self.desk.run("reprint_receipt", work, done)
        self.desk.say("staff.service.running")
        return receipt

    def flows_of(self, day: date) -> list[str]:
        """The flows that had sessions on ``day`` (the journal screen's filter offers only these)."""
        self.desk.require(Action.JOURNAL)
        return sorted({r.flow_id for r in self.desk.services.journal.sessions(day, None, None)})

    def staff_log(self, day: date) -> list[StaffLogRow]:
        self.desk.require(Action.JOURNAL)
        entries = self.desk.services.journal.entries_on(day, "staff")
        return [staff_log_row(self.desk.lang, e) for e in reversed(entries)]

    def figures(self, day: date) -> list[Row]:
        """The day's main measures (kiosk/engine/staff/figures.py): counts, rates and times, nothing personal."""
        self.desk.require(Action.JOURNAL)
        flows = self.desk.engine.flows
        journal = self.desk.services.journal
        rows = figure_rows(self.desk.lang, day_report(journal, flows, day), flows)
        totals = reconcile(journal, day).totals
        if totals.suspect or totals.reversed:  # the day's transactions staff must settle, and the reversed ones
            rows.append(Row(t(self.desk.lang, "staff.figures.suspect_reversed"), t(
                self.desk.lang, "staff.figures.suspect_reversed_value", suspect=totals.suspect,
                reversed=totals.reversed, amount=format_fen(totals.reversed_fen))))
        return rows

    def reconciliation(self, day: date) -> Reconciliation:
        self.desk.require(Action.RECONCILE)
        return reconcile(self.desk.services.journal, day, self.desk.services.settings.kiosk_id)

    def print_reconciliation(self, day: date) -> None:
        member = self.desk.require(Action.RECONCILE)
        printer = self.desk.services.devices.printer
        receipt = reconciliation_receipt(self.desk, self.reconciliation(day), member.number)

        def work(cancel: Cancellation, on_event: EventSink) -> Any:
            if printer is None:
                raise ServiceUnavailable("printer", "print")
            return printer.print_receipt(receipt, PRINT_WAIT_S)

        self.desk.run("print_reconciliation", work, lambda r: self._done(r, "reconciliation_printed", day, ""))

    def export_reconciliation(self, day: date) -> None:
        self.desk.require(Action.RECONCILE)
        rec = self.reconciliation(day)
        folder = self.desk.export_dir
        if folder is None:
            self.desk.say("staff.reconcile.no_export", error=True)
            return
        path = folder / f"reconciliation-{rec.kiosk_id}-{day.isoformat()}.csv"

        def work(cancel: Cancellation, on_event: EventSink) -> Path:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(rec.as_csv(), encoding="utf-8")
            return path

        self.desk.run("export_reconciliation", work, lambda r: self._done(r, "reconciliation_exported", day, str(path)))

    def _done(self, result: OpResult, name: str, day: date, path: str) -> None:
        if result.ok:
            self.desk.journal(name, day=day.isoformat(), file=path or None)
            self.desk.say(f"staff.reconcile.{name}", path=path)
        else:
            code = _failure_code(result.error)
            self.desk.journal(f"{name}_failed", day=day.isoformat(), code=code)
            self.desk.say("staff.reconcile.failed", error=True, code=code)


def reconciliation_receipt(desk: StaffDesk, rec: Reconciliation, staff: str) -> Receipt:
    lang, settings = desk.lang, desk.services.settings
    lines = []
    for figures in (*rec.flows, rec.totals):
        title_key = f"flow.{figures.flow}.title" if figures.flow != "total" else "staff.reconcile.total"
        lines.append(ReceiptLine(t(lang, title_key), t(lang, "staff.reconcile.line", **{
            **vars(figures), "amount": format_fen(figures.amount_fen),
            "reversed_amount": format_fen(figures.reversed_fen)})))
    stamp = desk.services.clock.now().strftime("%Y-%m-%d %H:%M:%S")
    return Receipt(title=t(lang, "staff.reconcile.title", date=rec.day.isoformat()), lines=lines,
                   reference=f"RECON-{rec.kiosk_id}-{rec.day.strftime('%Y%m%d')}",
                   header=[h for h in (settings.bank_name, settings.branch_name,
                                       f"{t(lang, 'receipt.kiosk')} {settings.kiosk_id}", stamp) if h],
                   footer=[t(lang, "staff.reconcile.printed_by", staff=staff)])
