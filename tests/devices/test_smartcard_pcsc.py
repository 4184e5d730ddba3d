"""The real PC/SC adapter reading the virtual card through pcscd and vsmartcard's vpcd reader.

The module starts its own pcscd on a free vpcd port (devices/smartcard/pcscd.py) and stops it after,
so two runs on one machine or one network each have their own reader.
"""

from __future__ import annotations

import argparse
import io
import json
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, ErrorCode
from devices.smartcard.api import CardReturn, CardType
from devices.smartcard.card_app import CardProfile, VirtualPbocCard
from devices.smartcard.card_files import load_profiles
from devices.smartcard.pcsc import PcscBankCardReader
from devices.smartcard.vpcd_card import VpcdCard
from kiosk.app.cli_card import add_card_commands

pytestmark = pytest.mark.pcsc

SETTLE = 3.0  # pcscd polls card presence about every 0.4 s
@pytest.fixture(scope="module")
def cards() -> dict[str, CardProfile]:
    return load_profiles()


def until(predicate: Callable[[], bool], seconds: float = SETTLE) -> None:
    give_up = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > give_up:
            pytest.fail("pcscd never saw the change")
        time.sleep(0.02)


@pytest.fixture
def reader(pcscd, port, clock) -> Iterator[PcscBankCardReader]:
    device = PcscBankCardReader(clock, pcscd.reader_name(port))
    yield device
    device.close()


@pytest.fixture
def slot(reader, port, cards) -> Iterator[Callable[..., VpcdCard]]:
    """slot("zhang_wei_1") inserts that card and waits until pcscd sees it; all are removed after."""
    inserted: list[VpcdCard] = []

    def insert(key: str | VirtualPbocCard, wait: bool = True) -> VpcdCard:
        card = VpcdCard(cards[key] if isinstance(key, str) else key, port=port)
        card.insert()
        inserted.append(card)
        if wait:
            until(reader.card_in_slot)
        return card

    yield insert
    for card in inserted:
        card.remove()


def remove(card: VpcdCard, reader: PcscBankCardReader) -> None:
    card.remove()
    until(lambda: not reader.card_in_slot())


def test_a_card_in_the_reader_is_read(reader, slot, people, events):
    slot("zhang_wei_1")
    assert reader.has_card()
    card = reader.read_card(5, Cancellation(), events)
    assert card == people.bank_cards["zhang_wei_1"].card
    assert events.kinds() == ["card_inserted"]
    assert events.events[0].data == {"reader": reader.reader_name, "atr": "3B6900004B494F534B2D53494D"}
    assert reader.status().detail == "card in reader"


def test_a_read_waits_for_the_card_to_be_inserted(reader, slot, background, events, people):
    future = background.start(reader.read_card, 30, Cancellation(), events)
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    assert not future.done()
    slot("li_xiuying_1", wait=False)
    assert future.result(timeout=SETTLE) == people.bank_cards["li_xiuying_1"].card
    assert events.kinds() == ["card_inserted"]


def test_no_card_in_time_times_out(reader, background):
    future = background.start(reader.read_card, 30, Cancellation())
    background.advance_until_done(future, 31)
    with pytest.raises(DeviceError) as info:
        future.result()
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "no_card")


def test_waiting_for_a_card_can_be_cancelled(reader, background):
    cancel = Cancellation()
    future = background.start(reader.read_card, 30, cancel)
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    cancel.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(timeout=SETTLE)
    assert info.value.code is ErrorCode.CANCELLED


@pytest.mark.parametrize(
    ("key", "card_type"),
    [("zhang_wei_1_no_pse", CardType.DEBIT), ("zhang_wei_1_get_response", CardType.DEBIT),
     ("zhang_wei_1_exact_le", CardType.DEBIT), ("credit_two_apps", CardType.CREDIT)],
)
def test_each_protocol_variant_reads_through_pcscd(reader, slot, key, card_type):
    slot(key)
    card = reader.read_card(5, Cancellation())
    assert card.card_type is card_type
    assert card.pan


@pytest.mark.parametrize(("key", "reason"), [("blocked_1", "card_blocked"), ("zhang_wei_1_mute", "mute_card")])
def test_a_card_that_cannot_be_read_stays_for_return(reader, slot, events, key, reason):
    slot(key)
    with pytest.raises(DeviceError) as info:
        reader.read_card(5, Cancellation(), events)
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, reason)
    assert events.kinds() == ["card_inserted"]
    assert reader.has_card()


def test_a_card_pulled_out_during_the_read(reader, slot, cards):
    class PulledOut(VirtualPbocCard):
        def process(self, command: bytes) -> bytes:
            if command.hex().upper() == "00B2011400":  # the customer pulls while the records are read
                threading.Thread(target=holder.remove).start()
                time.sleep(0.2)
            return super().process(command)

    holder = slot(PulledOut(cards["zhang_wei_1"]))
    with pytest.raises(DeviceError) as info:
        reader.read_card(5, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, "card_removed")


def test_the_customer_takes_the_returned_card(reader, slot, background, events):
    card = slot("zhang_wei_1")
    reader.read_card(5, Cancellation())
    future = background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    card.remove()
    assert future.result(timeout=SETTLE) is CardReturn.TAKEN
    assert events.kinds() == ["card_at_slot", "card_taken"]
    assert not reader.has_card()


def test_a_card_not_taken_is_kept_for_staff_until_it_leaves(reader, slot, background, events, clock):
    card = slot("zhang_wei_1")
    reader.read_card(5, Cancellation())
    future = background.start(reader.return_card, 30, Cancellation(), events)
    background.until(lambda: events.saw("card_at_slot"))
    background.advance_until_done(future, 31)
    assert future.result() is CardReturn.RETAINED
    assert events.kinds() == ["card_at_slot", "card_retained"]
    assert events.events[-1].data == {"reason": "not_taken"}
    [kept] = reader.retained()
    assert (kept.pan_masked, kept.reason, kept.at) == ("622848*********0018", "not_taken", clock.now())
    # A plain reader cannot capture: the card is still in the slot, but no longer the customer's.
    assert reader.card_in_slot()
    assert not reader.has_card()
    assert reader.status().detail == "card not taken: staff to remove it"
    with pytest.raises(DeviceError) as info:
        reader.read_card(0, Cancellation())
    assert info.value.reason == "no_card"
    remove(card, reader)
    assert reader.status().detail == ""
    slot("zhang_wei_1")  # the same card put back is a new insertion
    assert reader.read_card(5, Cancellation()).pan == "6228480402564890018"


def test_retain_card_on_a_plain_reader_records_the_card(reader, slot):
    slot("zhang_wei_2")
    reader.read_card(5, Cancellation())
    reader.retain_card("fraud_suspected")
    assert [(c.pan_masked, c.reason) for c in reader.empty_retain_bin()] == [("622848*********0026", "fraud_suspected")]
    assert not reader.has_card()
    with pytest.raises(DeviceError) as info:
        reader.return_card(1, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, "no_card")


def test_a_reader_that_is_not_there(pcscd, clock):
    reader = PcscBankCardReader(clock, "No Such Reader 00 00")
    status = reader.status()
    assert (status.state, status.fault) == (DeviceState.OFFLINE, "no_reader")
    assert pcscd.reader in status.detail  # names the readers there are
    with pytest.raises(DeviceError) as info:
        reader.read_card(1, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "no_reader")


def test_one_call_at_a_time(reader, background):
    future = background.start(reader.read_card, 30, Cancellation())
    background.until(lambda: reader.status().state is DeviceState.BUSY)
    with pytest.raises(DeviceError) as info:
        reader.return_card(1, Cancellation())
    assert info.value.reason == "busy"
    background.advance_until_done(future, 31)


# -- kiosk devices card read ---------------------------------------------------------------------
def run_command(reader: str, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_card_commands(parser.add_subparsers())
    args = parser.parse_args(["card", "read", "--reader", reader, "--timeout", "5", *argv])
    out, err = io.StringIO(), io.StringIO()
    return args.handler(args, out, err), out.getvalue(), err.getvalue()


def test_the_command_prints_the_card_masked(reader, slot):
    slot("zhang_wei_1")
    code, out, _ = run_command(reader.reader_name)
    assert code == 0
    assert out.splitlines() == [
        f"reader       {reader.reader_name}", "atr          3B6900004B494F534B2D53494D",
        "aid          A000000333010101", "label        UnionPay Debit", "pan          622848*********0018",
        "expiry       2030-12", "holder_name  张*", "card_type    debit",
    ]


def test_the_command_in_json_with_personal_data(reader, slot):
    slot("li_xiuying_1")
    code, out, _ = run_command(reader.reader_name, "--json", "--show-personal-data")
    assert code == 0
    row = json.loads(out)
    assert (row["pan"], row["holder_name"], row["expiry"]) == ("6228480402564890034", "李秀英", "2028-08")
    assert "D2808" not in out  # never track 2


def test_the_command_fails_in_one_line_on_a_blocked_card(reader, slot):
    slot("blocked_1")
    code, out, err = run_command(reader.reader_name)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1].startswith("kiosk: card read failed (card_blocked): SELECT: SW 6A81")
