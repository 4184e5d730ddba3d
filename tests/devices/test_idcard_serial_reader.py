"""The real serial adapter against the protocol-level simulator, through a real pseudo-terminal.

The read deadline runs on the ManualClock (tests advance it); the line itself runs in real time, so
reply timeouts and the poll interval are kept short here.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from datetime import date

import pytest

from devices.api import Cancellation, DeviceError, DeviceState, DeviceStatus, ErrorCode
from devices.idcard.pty_sim import PtyIdCardSimulator
from devices.idcard.sam import SW3_ERRORS, Command, Request, Sw3, encode_request
from devices.idcard.serial_reader import SerialIdCardReader

REPLY_TIMEOUT = 0.3
POLL = 0.02
SAM_STATUS, FIND, SELECT, READ = (encode_request(Request(c)) for c in Command)
NOT_FOUND = bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")


@pytest.fixture
def sim():
    device = PtyIdCardSimulator()
    yield device
    device.close()


def make_reader(port: str, clock, **options) -> SerialIdCardReader:
    options.setdefault("poll_interval", POLL)
    return SerialIdCardReader(port, clock, REPLY_TIMEOUT, **options)


@pytest.fixture
def reader(sim, clock):
    device = make_reader(sim.port_path, clock, decoder=sim.photo_decoder())
    yield device
    device.close()


@pytest.fixture
def card(people):
    return people.id_cards["zhang_wei"]


def requests(sim) -> list[bytes]:
    return [request for request, _ in sim.history()]


def empty_finds(sim) -> int:
    return sum(1 for request, reply in sim.history() if request == FIND and reply == NOT_FOUND)


def failure(future) -> DeviceError:
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    return info.value


def test_a_card_on_the_reader_is_read_with_its_photo(reader, sim, card, events):
    sim.place(card)
    got = reader.read(5, Cancellation(), events)
    assert got == card  # every field, and the photo through the simulator's decoder
    assert got.photo == card.photo
    assert events.kinds() == ["card_detected"]
    assert requests(sim) == [SAM_STATUS, FIND, SELECT, READ]
    assert reader.status() == DeviceStatus("idcard", DeviceState.OK, None, "card on the reader, already read",
                                           {"reads": 1})


def test_without_a_decoder_the_photo_is_unavailable(sim, clock, card):
    plain = make_reader(sim.port_path, clock)
    try:
        sim.place(card)
        got = plain.read(5, Cancellation())
    finally:
        plain.close()
    assert got.photo is None
    assert dataclasses.replace(got, photo=card.photo) == card


def test_a_read_polls_until_the_card_is_placed(reader, sim, card, background, events):
    future = background.start(reader.read, 30, Cancellation(), events)
    background.until(lambda: empty_finds(sim) >= 2)
    assert reader.status().state is DeviceState.BUSY
    assert not events.kinds()
    sim.place(card)
    assert future.result(timeout=5) == card
    assert events.kinds() == ["card_detected"]


def test_a_card_is_not_read_again_until_it_leaves_the_field(reader, sim, card, background, events):
    sim.place(card)
    reader.read(5, Cancellation())
    future = background.start(reader.read, 30, Cancellation(), events)
    background.until(lambda: requests(sim).count(FIND) >= 4)
    assert not future.done()
    assert not events.kinds()
    sim.remove()
    background.until(lambda: empty_finds(sim) >= 1)
    sim.place(card)
    assert future.result(timeout=5) == card
    assert events.kinds() == ["card_detected"]
    assert reader.status().counters == {"reads": 2}


def test_another_card_placed_instead_is_read(reader, sim, card, people, background):
    sim.place(card)
    reader.read(5, Cancellation())
    future = background.start(reader.read, 30, Cancellation())
    background.until(lambda: requests(sim).count(FIND) >= 3)
    sim.place(people.id_cards["li_xiuying"])
    assert future.result(timeout=5) == people.id_cards["li_xiuying"]


def test_no_card_before_the_deadline_times_out_on_the_clock(reader, background):
    future = background.start(reader.read, 30, Cancellation())
    background.advance_until_done(future, 31)
    error = failure(future)
    assert (error.code, error.reason, error.detail) == (ErrorCode.TIMEOUT, "no_card", "no card within 30 s")
    assert reader.status().state is DeviceState.OK


def test_a_card_already_read_times_out_like_no_card(reader, sim, card, background):
    sim.place(card)
    reader.read(5, Cancellation())
    future = background.start(reader.read, 10, Cancellation())
    background.advance_until_done(future, 11)
    assert failure(future).reason == "no_card"


def test_a_zero_timeout_still_looks_once(reader, sim, card):
    sim.place(card)
    assert reader.read(0, Cancellation()) == card


def test_a_read_can_be_cancelled(reader, sim, background):
    cancel = Cancellation()
    future = background.start(reader.read, 30, cancel)
    background.until(lambda: empty_finds(sim) >= 1)
    cancel.cancel()
    error = failure(future)
    assert (error.code, error.reason) == (ErrorCode.CANCELLED, "cancelled")
    assert reader.status().state is DeviceState.OK


@pytest.mark.parametrize("fault", list(PtyIdCardSimulator.FAULTS))
def test_each_simulator_fault_maps_to_the_behavioural_code(reader, sim, card, background, events, fault):
    sim.place(card)
    sim.inject(fault, times=-1 if fault == "no_card" else 1)
    future = background.start(reader.read, 5, Cancellation(), events)
    if fault == "no_card":
        background.advance_until_done(future, 6)
    error = failure(future)
    assert (error.device, error.code, error.reason) == ("idcard", sim.FAULTS[fault], fault)
    chip_fault = fault in ("read_failed", "checksum", "truncated")
    assert events.kinds() == (["card_detected"] if chip_fault else [])
    sim.reset()
    assert reader.read(5, Cancellation()) == card  # the reader recovers once the fault is gone
    assert reader.status().state is DeviceState.OK


@pytest.mark.parametrize(
    ("fault", "state"),
    [("checksum", DeviceState.FAULT), ("sam_failure", DeviceState.FAULT), ("offline", DeviceState.OFFLINE),
     ("read_failed", DeviceState.OK), ("timeout", DeviceState.OK)],
)
def test_status_after_a_fault(reader, sim, card, fault, state):
    sim.place(card)
    sim.inject(fault)
    with pytest.raises(DeviceError):
        reader.read(5, Cancellation())
    status = reader.status()
    assert status.state is state
    if state is not DeviceState.OK:
        assert status.fault == fault


def test_reset_clears_a_latched_fault(reader, sim, card):
    sim.place(card)
    sim.inject("sam_failure")
    with pytest.raises(DeviceError):
        reader.read(5, Cancellation())
    assert reader.status().state is DeviceState.FAULT
    reader.reset()
    assert reader.status().state is DeviceState.OK


@pytest.mark.parametrize("sw3", [int(s) for s in SW3_ERRORS], ids=[f"{int(s):02X}" for s in SW3_ERRORS])
def test_every_status_of_a_read_maps_through_the_line(reader, sim, card, sw3):
    sim.place(card)
    sim.answer_next(Command.READ_BASE_INFO, sw3)
    with pytest.raises(DeviceError) as info:
        reader.read(5, Cancellation())
    code, reason, _ = SW3_ERRORS[Sw3(sw3)]
    assert (info.value.code, info.value.reason) == (code, reason)


def test_a_forged_card_shows_as_a_fraud_fault(reader, sim, card):
    sim.place(card)
    sim.answer_next(Command.READ_BASE_INFO, 0x32)
    with pytest.raises(DeviceError) as info:
        reader.read(5, Cancellation())
    assert info.value.code is ErrorCode.FRAUD_ATTEMPT
    assert reader.status().fault == "card_not_genuine"


def test_an_unauthorised_sam_fails_before_any_card(reader, sim, card, events):
    sim.place(card)
    sim.answer_next(Command.SAM_STATUS, 0x66)
    with pytest.raises(DeviceError) as info:
        reader.read(5, Cancellation(), events)
    assert (info.value.code, info.value.reason) == (ErrorCode.HARDWARE_ERROR, "sam_not_authorised")
    assert not events.kinds()
    assert requests(sim) == [SAM_STATUS]


def test_card_data_that_does_not_decode_is_refused(reader, sim, card):
    sim.place(dataclasses.replace(card, valid_to=date(2010, 1, 1)))
    with pytest.raises(DeviceError) as info:
        reader.read(5, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.USER_ERROR, "card_data_invalid")
    assert "valid_to: not after valid_from" in info.value.detail


def test_a_wrong_check_digit_is_passed_on_for_the_identity_checks(reader, sim, people, caplog):
    bad = people.id_cards["liu_yang_bad_number"]
    sim.place(bad)
    with caplog.at_level(logging.WARNING, logger="devices.idcard"):
        assert reader.read(5, Cancellation()) == bad
    assert "fails GB 11643 (check_digit)" in caplog.text
    assert bad.id_number not in caplog.text


def test_a_wrong_check_digit_can_be_refused_by_the_reader(sim, clock, people):
    strict = make_reader(sim.port_path, clock, reject_invalid_id_number=True)
    try:
        sim.place(people.id_cards["liu_yang_bad_number"])
        with pytest.raises(DeviceError) as info:
            strict.read(5, Cancellation())
    finally:
        strict.close()
    assert (info.value.code, info.value.reason) == (ErrorCode.FRAUD_ATTEMPT, "id_number_invalid")


def test_a_missing_port_is_not_ready_in_one_line(clock, tmp_path):
    port = str(tmp_path / "ttyIDCARD")
    missing = make_reader(port, clock)
    status = missing.status()
    assert (status.state, status.fault) == (DeviceState.OFFLINE, "no_port")
    with pytest.raises(DeviceError) as info:
        missing.read(5, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "no_port")
    assert info.value.detail == f"cannot open the ID card reader port {port}: No such file or directory"
    assert "\n" not in str(info.value)
    missing.close()


def test_a_reader_plugged_in_later_is_found(sim, clock, card, tmp_path):
    port = tmp_path / "ttyIDCARD"
    late = make_reader(str(port), clock)
    try:
        assert late.status().state is DeviceState.OFFLINE
        os.symlink(sim.port_path, port)
        sim.place(card)
        assert late.read(5, Cancellation()).id_number == card.id_number
        assert late.status().state is DeviceState.OK
    finally:
        late.close()


def test_a_reader_unplugged_under_us_is_not_ready(clock, card):
    doomed = PtyIdCardSimulator()
    lost = make_reader(doomed.port_path, clock)
    try:
        doomed.close()
        with pytest.raises(DeviceError) as info:
            lost.read(1, Cancellation())
        assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "port_lost")
        assert lost.status().state is DeviceState.OFFLINE
    finally:
        lost.close()


def test_one_read_at_a_time(reader, sim, background):
    future = background.start(reader.read, 30, Cancellation())
    background.until(lambda: empty_finds(sim) >= 1)
    with pytest.raises(DeviceError) as info:
        reader.read(1, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "busy")
    reader.close()
    assert (failure(future).code, reader.status().state) == (ErrorCode.NOT_READY, DeviceState.OFFLINE)


def test_a_closed_reader_is_not_ready(reader):
    reader.close()
    with pytest.raises(DeviceError) as info:
        reader.read(1, Cancellation())
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "closed")
    assert reader.status().fault == "closed"
