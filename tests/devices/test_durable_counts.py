"""The simulators keep their physical counts across a restart of the kiosk, as the real devices do: the
dispenser's hopper (never a card issued twice) and retain bin, the card readers' capture bins, the printers'
paper, toner and counters. A second simulator built on the same state folder sees what the first left."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from devices.api import Cancellation, DeviceState
from devices.dispenser.api import StockCard
from devices.dispenser.sim import SimCardDispenser, stock_after
from devices.docprinter.api import PrintJob
from devices.docprinter.sim import SimDocumentPrinter
from devices.printer.api import Receipt, ReceiptLine
from devices.printer.sim import SimReceiptPrinter
from devices.smartcard.pcsc_sim import PcscSimBankCardReader
from devices.smartcard.sim import SimBankCardReader
from kiosk.app.invariants import no_personal_data
from kiosk.app.staffdesk import stock_source
from kiosk.core.masking import mask_pan

CARD_MASKED = "622848*********0018"


@pytest.fixture
def stock(people):
    return people.stock[:3]


def dispenser(clock, stock, state_dir) -> SimCardDispenser:
    return SimCardDispenser(clock, list(stock), state_dir=state_dir)


def issue(device: SimCardDispenser) -> StockCard:
    """A customer is handed the next card and takes it."""
    card = device.pick_card(10, Cancellation())
    device.take()
    assert device.deliver_card(10, Cancellation()) is True
    return card


def no_card_numbers(state_dir, cards) -> list[str]:
    return [v.detail for v in no_personal_data(state_dir, {c.pan.encode(): "a stock card" for c in cards})]


# -- the card dispenser --------------------------------------------------------------------------------------
def test_a_restarted_dispenser_goes_on_after_the_last_card_it_picked(clock, stock, tmp_path):
    first = dispenser(clock, stock, tmp_path)
    assert issue(first) == stock[0]
    again = dispenser(clock, stock, tmp_path)
    assert (again.stock_count(), again.status().counters["stock"]) == (2, 2)
    assert issue(again) == stock[1]
    assert issue(dispenser(clock, stock, tmp_path)) == stock[2]
    last = dispenser(clock, stock, tmp_path)
    assert (last.stock_count(), last.status().fault) == (0, "empty")


def test_cards_staff_loaded_are_in_the_hopper_after_a_restart(clock, stock, tmp_path):
    first = dispenser(clock, stock, tmp_path)
    loaded = first.next_stock(2)
    assert loaded == stock_after(stock[-1], 2)
    first.load(loaded)
    issue(first)
    again = dispenser(clock, stock, tmp_path)
    assert again.stock_count() == 4
    assert [issue(again) for _ in range(4)] == [*stock[1:], *loaded]
    assert again.next_stock(1) == stock_after(stock[-1], 1, skip=2)  # the next load follows the first


def test_a_dispenser_never_issues_a_card_twice_across_restarts_and_loads(clock, people, tmp_path):
    issued: list[StockCard] = []
    for _ in range(4):
        device = dispenser(clock, people.stock[:2], tmp_path)
        issued += [issue(device) for _ in range(device.stock_count())]
        device.load(stock_source(people, device)(3))  # staff top up through the staff desk's source
        issued.append(issue(device))
    last = dispenser(clock, people.stock[:2], tmp_path)
    assert last.stock_count() == 2
    issued += [issue(last), issue(last)]
    assert len(issued) == len({card.pan for card in issued}) == 2 + 4 * 3  # every card in, once each
    assert not no_card_numbers(tmp_path, issued)


def test_the_staff_desk_source_continues_the_series_after_a_restart(clock, people, tmp_path):
    device = dispenser(clock, people.stock, tmp_path)
    before = stock_source(people, device)(2)
    assert before == stock_source(people)(2)  # a fresh hopper: the demo series' next serials
    device.load(before)
    after = stock_source(people, dispenser(clock, people.stock, tmp_path))(2)
    assert not {c.pan for c in after} & {c.pan for c in before}
    assert after == stock_after(people.stock[-1], 2, skip=2)


def test_the_retain_bin_is_kept_across_a_restart_until_staff_empty_it(clock, stock, tmp_path):
    first = dispenser(clock, stock, tmp_path)
    first.pick_card(10, Cancellation())
    first.retain_card("not_issued")
    clock.advance(60)
    first.pick_card(10, Cancellation())
    first.retain_card("card_fault")
    kept = first.retained()
    again = dispenser(clock, stock, tmp_path)
    assert again.retained() == kept
    assert [(c.pan_masked, c.reason) for c in kept] == [(mask_pan(stock[0].pan), "not_issued"),
                                                        (mask_pan(stock[1].pan), "card_fault")]
    assert kept[1].at - kept[0].at == timedelta(seconds=60)
    assert again.status().counters == {"stock": 1, "retained": 2}
    assert again.empty_retain_bin() == kept
    assert dispenser(clock, stock, tmp_path).retained() == []
    assert not no_card_numbers(tmp_path, stock)


def test_a_full_retain_bin_is_still_full_after_a_restart(clock, stock, tmp_path):
    first = SimCardDispenser(clock, list(stock), retain_capacity=1, state_dir=tmp_path)
    first.pick_card(10, Cancellation())
    first.retain_card("not_issued")
    again = SimCardDispenser(clock, list(stock), retain_capacity=1, state_dir=tmp_path)
    assert (again.status().state, again.status().fault) == (DeviceState.FAULT, "retain_bin_full")
    again.empty_retain_bin()
    assert SimCardDispenser(clock, list(stock), retain_capacity=1, state_dir=tmp_path).status().state \
        is DeviceState.OK


def test_the_state_file_holds_counts_and_masked_cards_only(clock, stock, tmp_path):
    device = dispenser(clock, stock, tmp_path)
    device.load(device.next_stock(1))
    device.pick_card(10, Cancellation())
    device.retain_card("not_issued")
    saved = json.loads((tmp_path / "dispenser.json").read_text())
    assert saved["counts"]["hopper"] == {"picked": 1, "loaded": 1}
    assert [c["pan_masked"] for c in saved["counts"]["retained"]] == [mask_pan(stock[0].pan)]
    assert not no_card_numbers(tmp_path, [*stock, *stock_after(stock[-1], 1)])


def test_a_corrupt_dispenser_state_starts_with_the_stock_list_and_a_warning(clock, stock, tmp_path, caplog):
    issue(dispenser(clock, stock, tmp_path))
    (tmp_path / "dispenser.json").write_text('{"counts": {"hopper": {"pick')
    with caplog.at_level(logging.WARNING):
        again = dispenser(clock, stock, tmp_path)
    assert "corrupt device state" in caplog.text
    assert (again.stock_count(), again.retained(), again.last_operation()) == (3, [], None)


def test_an_unreadable_hopper_count_starts_with_the_stock_list_and_a_warning(clock, stock, tmp_path, caplog):
    issue(dispenser(clock, stock, tmp_path))
    (tmp_path / "dispenser.json").write_text(json.dumps({"counts": {"hopper": {"picked": 9, "loaded": 0},
                                                                    "retained": [{"pan_masked": "x"}]}}))
    with caplog.at_level(logging.WARNING):
        again = dispenser(clock, stock, tmp_path)
    assert "unreadable hopper count" in caplog.text
    assert "unreadable retain bin" in caplog.text
    assert (again.stock_count(), again.retained()) == (3, [])


def test_cards_loaded_outside_the_series_are_counted_with_a_warning(clock, stock, tmp_path, caplog):
    device = dispenser(clock, stock, tmp_path)
    with caplog.at_level(logging.WARNING):
        device.load([StockCard(pan="6217000000000002001", expiry="3012")])
    assert "not the next of the stock series" in caplog.text
    assert dispenser(clock, stock, tmp_path).stock_count() == 4


def test_without_a_state_folder_each_dispenser_starts_fresh(clock, stock):
    issue(dispenser(clock, stock, None))
    assert dispenser(clock, stock, None).stock_count() == 3


# -- the bank card readers -------------------------------------------------------------------------------------
def test_the_card_reader_capture_bin_is_kept_across_a_restart(clock, people, tmp_path):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(people.bank_cards["zhang_wei_1"].card)
    reader.read_card(5, Cancellation())
    reader.retain_card("card_blocked")
    kept = reader.retained()
    again = SimBankCardReader(clock, state_dir=tmp_path)
    assert [(c.pan_masked, c.reason) for c in again.retained()] == [(CARD_MASKED, "card_blocked")]
    assert again.retained() == kept
    assert again.status().counters == {"retained": 1}
    assert again.empty_retain_bin() == kept
    assert SimBankCardReader(clock, state_dir=tmp_path).retained() == []
    assert not no_card_numbers(tmp_path, [people.bank_cards["zhang_wei_1"].card])


def test_a_corrupt_card_reader_state_starts_with_an_empty_bin(clock, people, tmp_path, caplog):
    reader = SimBankCardReader(clock, state_dir=tmp_path)
    reader.insert(people.bank_cards["zhang_wei_1"].card)
    reader.read_card(5, Cancellation())
    reader.retain_card("card_blocked")
    (tmp_path / "smartcard.json").write_bytes(b"\x00garbage")
    with caplog.at_level(logging.WARNING):
        assert SimBankCardReader(clock, state_dir=tmp_path).retained() == []
    assert "smartcard" in caplog.text


@pytest.mark.pcsc
def test_the_pcsc_simulator_capture_bin_is_kept_across_a_restart(pcscd, port, clock, people, tmp_path):
    def build() -> PcscSimBankCardReader:
        return PcscSimBankCardReader(clock, port=port, reader_name=pcscd.reader_name(port), state_dir=tmp_path)

    reader = build()
    try:
        reader.insert(people.bank_cards["zhang_wei_1"].card)
        reader.read_card(5, Cancellation())
        reader.retain_card("card_blocked")
        kept = reader.retained()
    finally:
        reader.close()
    again = build()
    try:
        assert [(c.pan_masked, c.reason) for c in again.retained()] == [(CARD_MASKED, "card_blocked")]
        assert again.retained() == kept
        assert again.empty_retain_bin() == kept
    finally:
        again.close()
    emptied = build()
    try:
        assert emptied.retained() == []
    finally:
        emptied.close()
    assert not no_card_numbers(tmp_path, [people.bank_cards["zhang_wei_1"].card])


# -- the printers --------------------------------------------------------------------------------------------
RECEIPT = Receipt(title="回单", lines=[ReceiptLine("卡号", CARD_MASKED)], reference="K001-1")


def receipt_printer(clock, tmp_path, paper: int = 300) -> SimReceiptPrinter:
    return SimReceiptPrinter(clock, tmp_path / "spool", paper=paper, low_at=30, state_dir=tmp_path / "devices")


def test_the_receipt_roll_is_as_used_after_a_restart(clock, tmp_path):
    printer = receipt_printer(clock, tmp_path, paper=40)
    for _ in range(2):
        printer.print_receipt(RECEIPT, 10)
        printer.take_receipt()
    again = receipt_printer(clock, tmp_path, paper=40)
    assert again.status().counters == {"paper": 38, "printed": 2}
    assert again.paper_left() == 38
    again.load_paper(0)  # the roll runs out
    out = receipt_printer(clock, tmp_path, paper=40)
    assert (out.status().state, out.status().fault) == (DeviceState.FAULT, "paper_out")
    out.load_paper(120)  # staff: a new roll
    assert receipt_printer(clock, tmp_path, paper=40).status().counters == {"paper": 120, "printed": 2}


def test_a_corrupt_receipt_printer_state_starts_with_a_new_roll(clock, tmp_path, caplog):
    receipt_printer(clock, tmp_path, paper=40).print_receipt(RECEIPT, 10)
    (tmp_path / "devices" / "printer.json").write_text("{")
    with caplog.at_level(logging.WARNING):
        assert receipt_printer(clock, tmp_path, paper=40).paper_left() == 40
    assert "corrupt device state" in caplog.text


def test_an_unreadable_paper_count_starts_with_a_new_roll_and_a_warning(clock, tmp_path, caplog):
    (tmp_path / "devices").mkdir()
    (tmp_path / "devices" / "printer.json").write_text(json.dumps({"counts": {"paper": "lots", "printed": 3}}))
    with caplog.at_level(logging.WARNING):
        assert receipt_printer(clock, tmp_path, paper=40).status().counters == {"paper": 40, "printed": 3}
    assert "unreadable count paper" in caplog.text


def document_printer(clock, tmp_path) -> SimDocumentPrinter:
    return SimDocumentPrinter(clock, tmp_path / "spool", paper=100, toner=1000, state_dir=tmp_path / "devices")


def test_the_a4_printer_paper_toner_and_counters_are_kept_across_a_restart(clock, tmp_path):
    printer = document_printer(clock, tmp_path)
    printer.print_document(PrintJob(pdf=b"%PDF-1.4 statement", pages=3, title="statement"), 10)
    printer.print_document(PrintJob(pdf=b"%PDF-1.4 certificate", pages=1, title="certificate"), 10)  # retracts
    again = document_printer(clock, tmp_path)
    assert again.status().counters == {"paper": 96, "toner": 996, "printed": 4, "retracted": 1}
    again.load_paper(500)
    again.replace_toner(3000)
    assert document_printer(clock, tmp_path).status().counters == {"paper": 500, "toner": 3000, "printed": 4,
                                                                    "retracted": 1}
