"""The protocol-level simulator, byte for byte, through its pseudo-terminal (as a reader's host sees it)."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
import serial

from devices.idcard.base_info import encode_base_info
from devices.idcard.pty_sim import PtyIdCardSimulator
from devices.idcard.sam import Command, Request, Sw3, checksum, encode_request
from devices.idcard.sim import SimIdCardReader
from devices.idcard.wlt import simulated_wlt

H = bytes.fromhex
SAM_STATUS = encode_request(Request(Command.SAM_STATUS))
FIND = encode_request(Request(Command.FIND_CARD))
SELECT = encode_request(Request(Command.SELECT_CARD))
READ = encode_request(Request(Command.READ_BASE_INFO))
OK = H("AA AA AA 96 69 00 04 00 00 90 94")
FOUND = H("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
NOT_FOUND = H("AA AA AA 96 69 00 04 00 00 80 84")
SELECTED = H("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C")
NOT_SELECTED = H("AA AA AA 96 69 00 04 00 00 81 85")
READ_FAILED = H("AA AA AA 96 69 00 04 00 00 41 45")
SAM_FAILED = H("AA AA AA 96 69 00 04 00 00 60 64")


@pytest.fixture
def sim():
    device = PtyIdCardSimulator()
    yield device
    device.close()


@pytest.fixture
def line(sim):
    port = serial.Serial(sim.port_path, 115200, timeout=0.05)
    yield port
    port.close()


@pytest.fixture
def card(people):
    return people.id_cards["zhang_wei"]


def ask(line: serial.Serial, request: bytes, quiet: float = 0.15, limit: float = 2.0) -> bytes:
    """Write ``request`` and collect the reply: one whole frame by its LEN, or what came before the
    line was quiet for ``quiet`` seconds (a cut or missing reply)."""
    line.reset_input_buffer()
    line.write(request)
    got, last, give_up = b"", time.monotonic(), time.monotonic() + limit
    while time.monotonic() < give_up and time.monotonic() - last < quiet:
        if len(got) >= 7 and len(got) >= 7 + int.from_bytes(got[5:7], "big"):
            break
        chunk = line.read(max(1, line.in_waiting))
        if chunk:
            got, last = got + chunk, time.monotonic()
    return got


def base_info_reply(card) -> bytes:
    data = encode_base_info(card, simulated_wlt(card.id_number, card.photo))
    body = (len(data) + 4).to_bytes(2, "big") + H("00 00 90") + data
    return H("AA AA AA 96 69") + body + bytes([checksum(body)])


def test_the_port_is_a_pseudo_terminal(sim):
    assert sim.port_path.startswith("/dev/pts/")


def test_sam_status_is_answered_ok(sim, line):
    assert ask(line, SAM_STATUS) == OK


def test_a_whole_read_exchange(sim, line, card):
    assert ask(line, FIND) == NOT_FOUND
    sim.place(card)
    assert ask(line, FIND) == FOUND
    assert ask(line, SELECT) == SELECTED
    reply = ask(line, READ)
    assert reply[:14] == H("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert reply == base_info_reply(card)
    assert [request for request, _ in sim.history()] == [FIND, FIND, SELECT, READ]
    assert sim.history()[-1][1] == reply


def test_select_needs_a_found_card_and_read_a_selected_one(sim, line, card):
    sim.place(card)
    assert ask(line, SELECT) == NOT_SELECTED
    assert ask(line, READ) == READ_FAILED
    assert ask(line, FIND) == FOUND
    assert ask(line, READ) == READ_FAILED


def test_a_card_taken_away_cannot_be_selected_or_read(sim, line, card):
    sim.place(card)
    ask(line, FIND)
    sim.remove()
    assert ask(line, SELECT) == NOT_SELECTED
    assert ask(line, FIND) == NOT_FOUND


def test_a_swap_shows_an_empty_field_once(sim, line, card, people):
    sim.place(card)
    assert ask(line, FIND) == FOUND
    other = people.id_cards["chen_jing"]
    sim.place(other)
    assert sim.current() is other
    assert ask(line, FIND) == NOT_FOUND
    assert ask(line, FIND) == FOUND
    ask(line, SELECT)
    assert ask(line, READ) == base_info_reply(other)


@pytest.mark.parametrize(
    ("request_bytes", "reply"),
    [
        (H("AA AA AA 96 69 00 03 11 FF EE"), H("AA AA AA 96 69 00 04 00 00 10 14")),  # bad checksum -> 10
        (H("AA AA AA 96 69 00 02 11 FF"), H("AA AA AA 96 69 00 04 00 00 11 15")),  # bad length -> 11
        (H("AA AA AA 96 69 00 03 20 03 20"), H("AA AA AA 96 69 00 04 00 00 21 25")),  # unknown command -> 21
        (H("55 55 55"), b""),  # garbage: dropped
    ],
    ids=["checksum", "length", "command", "garbage"],
)
def test_a_bad_request_gets_the_status_a_reader_gives(sim, line, request_bytes, reply):
    assert ask(line, request_bytes) == reply
    assert ask(line, SAM_STATUS) == OK  # and the line works on


def test_fault_sam_failure(sim, line):
    sim.inject("sam_failure")
    assert ask(line, SAM_STATUS) == SAM_FAILED
    assert ask(line, SAM_STATUS) == OK


def test_fault_no_card(sim, line, card):
    sim.place(card)
    sim.inject("no_card", times=2)
    assert [ask(line, FIND) for _ in range(3)] == [NOT_FOUND, NOT_FOUND, FOUND]


def test_fault_timeout_silences_one_card_command_not_the_sam(sim, line, card):
    sim.place(card)
    sim.inject("timeout")
    assert ask(line, SAM_STATUS) == OK
    assert ask(line, FIND) == b""
    assert sim.history()[-1] == (FIND, None)
    assert ask(line, FIND) == FOUND


def test_fault_offline_silences_everything_until_reset(sim, line, card):
    sim.place(card)
    sim.inject("offline")
    assert sim.is_offline()
    assert ask(line, SAM_STATUS, quiet=0.1) == b""
    assert ask(line, FIND, quiet=0.1) == b""
    sim.reset()
    assert ask(line, SAM_STATUS) == OK


@pytest.mark.parametrize("fault", ["read_failed", "checksum", "truncated"])
def test_chip_faults_hit_the_read_reply(sim, line, card, fault):
    sim.place(card)
    sim.inject(fault)
    assert ask(line, FIND) == FOUND
    assert ask(line, SELECT) == SELECTED
    good = base_info_reply(card)
    reply = ask(line, READ)
    if fault == "read_failed":
        assert reply == READ_FAILED
    elif fault == "checksum":
        assert reply[:-1] == good[:-1]
        assert reply[-1] == good[-1] ^ 0xFF
    else:
        assert reply == good[: len(good) // 2]
    assert ask(line, READ) == good  # one fault, one reply


def test_any_status_can_be_scripted(sim, line, card):
    sim.place(card)
    sim.answer_next(Command.READ_BASE_INFO, Sw3.READER_REFUSED_CARD)
    ask(line, FIND)
    ask(line, SELECT)
    assert ask(line, READ) == H("AA AA AA 96 69 00 04 00 00 32 36")
    assert ask(line, READ) == base_info_reply(card)


def test_the_faults_are_the_behavioural_simulators_and_no_card():
    behavioural = SimIdCardReader.FAULTS
    assert {k: v for k, v in PtyIdCardSimulator.FAULTS.items() if k in behavioural} == behavioural
    assert set(PtyIdCardSimulator.FAULTS) - set(behavioural) == {"no_card"}


def test_an_unknown_fault_is_refused(sim):
    with pytest.raises(ValueError, match="allowed: checksum"):
        sim.inject("jam")


def test_a_card_no_chip_could_hold_is_refused_at_placing(sim, card):
    with pytest.raises(ValueError, match="do not fit"):
        sim.place(dataclasses.replace(card, name="张" * 20))
    assert sim.current() is None


def test_the_photo_decoder_gives_back_the_profile_photo(sim, card):
    sim.place(card)
    decoder = sim.photo_decoder()
    assert decoder.decode(simulated_wlt(card.id_number, card.photo)) == card.photo


def test_closing_stops_the_thread_and_is_idempotent():
    before = {t.name for t in threading.enumerate()}
    sim = PtyIdCardSimulator(name="closing")
    assert "closing-pty-sim" in {t.name for t in threading.enumerate()} - before
    sim.close()
    sim.close()
    assert "closing-pty-sim" not in {t.name for t in threading.enumerate()}
