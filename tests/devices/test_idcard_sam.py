"""The SAM frame protocol, byte for byte: requests, responses, checksums, status codes, bad frames."""

from __future__ import annotations

import pytest

from devices.api import ErrorCode
from devices.idcard.sam import (
    SW3_ERRORS,
    Command,
    FrameError,
    FrameReader,
    Request,
    Response,
    SamStatusError,
    Sw3,
    checksum,
    decode_request,
    decode_response,
    encode_request,
    encode_response,
    expect_success,
)

H = bytes.fromhex

REQUESTS = {
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_BASE_INFO: "AA AA AA 96 69 00 03 30 01 32",
}

RESPONSES = [
    (Response(Sw3.OK), "AA AA AA 96 69 00 04 00 00 90 94"),
    (Response(Sw3.FOUND, bytes(4)), "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"),
    (Response(Sw3.FIND_FAILED), "AA AA AA 96 69 00 04 00 00 80 84"),
    (Response(Sw3.OK, bytes(8)), "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"),
    (Response(Sw3.SELECT_FAILED), "AA AA AA 96 69 00 04 00 00 81 85"),
    (Response(Sw3.READ_FAILED), "AA AA AA 96 69 00 04 00 00 41 45"),
    (Response(Sw3.SAM_SELF_TEST_FAILED), "AA AA AA 96 69 00 04 00 00 60 64"),
]


@pytest.mark.parametrize(("command", "frame"), REQUESTS.items(), ids=[c.name for c in REQUESTS])
def test_each_request_is_the_known_frame(command, frame):
    assert encode_request(Request(command)) == H(frame)
    request = decode_request(H(frame))
    assert (request.command, request.data) == (command, b"")


@pytest.mark.parametrize(("response", "frame"), RESPONSES, ids=[f"{r.sw3:02X}-{len(r.data)}" for r, _ in RESPONSES])
def test_each_response_is_the_known_frame(response, frame):
    assert encode_response(response) == H(frame)
    assert decode_response(H(frame)) == response


def test_a_read_base_info_reply_counts_its_length_and_checksums_everything_after_the_preamble():
    payload = bytes(range(256)) * 5 + bytes(4)  # 1284 bytes: base info's size
    frame = encode_response(Response(Sw3.OK, payload))
    assert frame[:7] == H("AA AA AA 96 69 05 08")  # 3 status + 1284 data + 1 CHK = 1288
    assert len(frame) == 5 + 2 + 1288
    assert frame[-1] == checksum(frame[5:-1])
    assert decode_response(frame).data == payload


@pytest.mark.parametrize(
    ("body", "chk"),
    [("00 03 11 FF", 0xED), ("00 03 20 01", 0x22), ("00 04 00 00 90", 0x94), ("", 0x00), ("FF FF", 0x00), ("5A", 0x5A)],
)
def test_checksum_vectors(body, chk):
    assert checksum(H(body)) == chk


def test_request_data_goes_between_para_and_chk():
    assert encode_request(Request(Command.FIND_CARD, H("01 02"))) == H("AA AA AA 96 69 00 05 20 01 01 02 27")


def test_the_commands_are_looked_up_by_their_bytes():
    assert Command.of(0x30, 0x01) is Command.READ_BASE_INFO
    assert Command.of(0x30, 0x02) is None


# -- status codes ------------------------------------------------------------------------------

EXPECTED_MAPPING = {
    0x80: (ErrorCode.TIMEOUT, "no_card"),
    0x81: (ErrorCode.USER_ERROR, "select_failed"),
    0x41: (ErrorCode.USER_ERROR, "read_failed"),
    0x10: (ErrorCode.HARDWARE_ERROR, "request_checksum"),
    0x11: (ErrorCode.HARDWARE_ERROR, "request_length"),
    0x21: (ErrorCode.HARDWARE_ERROR, "bad_command"),
    0x23: (ErrorCode.HARDWARE_ERROR, "not_permitted"),
    0x31: (ErrorCode.USER_ERROR, "card_refused_reader"),
    0x32: (ErrorCode.FRAUD_ATTEMPT, "card_not_genuine"),
    0x33: (ErrorCode.FRAUD_ATTEMPT, "data_not_verified"),
    0x60: (ErrorCode.HARDWARE_ERROR, "sam_failure"),
    0x66: (ErrorCode.HARDWARE_ERROR, "sam_not_authorised"),
}


@pytest.mark.parametrize(("sw3", "expected"), EXPECTED_MAPPING.items(), ids=[f"{s:02X}" for s in EXPECTED_MAPPING])
def test_every_error_status_maps_to_a_code_and_reason(sw3, expected):
    error = SamStatusError(sw3, Command.READ_BASE_INFO)
    assert (error.code, error.reason) == expected
    device_error = error.device_error("idcard")
    assert (device_error.device, device_error.code, device_error.reason) == ("idcard", *expected)
    assert f"SW3 {sw3:02X} to READ_BASE_INFO" in device_error.detail


def test_the_table_covers_exactly_the_error_statuses():
    assert {int(s) for s in SW3_ERRORS} == set(EXPECTED_MAPPING)
    assert {int(s) for s in Sw3} == set(EXPECTED_MAPPING) | {0x90, 0x9F}


@pytest.mark.parametrize("sw3", [0x90, 0x9F])
def test_ok_and_found_are_success(sw3):
    response = Response(sw3)
    assert response.ok
    assert expect_success(response, Command.FIND_CARD) is response


def test_an_error_status_is_raised_typed():
    with pytest.raises(SamStatusError) as info:
        expect_success(Response(0x41), Command.READ_BASE_INFO)
    assert (info.value.sw3, info.value.command, info.value.reason) == (0x41, Command.READ_BASE_INFO, "read_failed")


def test_an_unknown_status_is_a_hardware_error_that_names_it():
    error = SamStatusError(0x47)
    assert (error.code, error.reason) == (ErrorCode.HARDWARE_ERROR, "unknown_status")
    assert "SW3 47" in str(error)


# -- the frame reader --------------------------------------------------------------------------

FIND_REPLY = H("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")


def test_frames_arrive_in_pieces_and_together():
    reader = FrameReader()
    stream = FIND_REPLY + H("AA AA AA 96 69 00 04 00 00 90 94")
    got = []
    for byte in stream[:-3]:
        got += reader.feed_responses(bytes([byte]))
    assert got == [Response(Sw3.FOUND, bytes(4))]
    assert reader.pending == 8
    assert reader.feed_responses(stream[-3:]) == [Response(Sw3.OK)]
    assert reader.pending == 0
    assert FrameReader().feed_responses(stream) == [Response(Sw3.FOUND, bytes(4)), Response(Sw3.OK)]


def _refused(data: bytes, kind: str = "response") -> FrameError:
    """The error ``data`` ends in, fed whole and then closed (as when the reply timeout passes)."""
    reader = FrameReader(kind)

    def feed_and_end() -> None:
        reader.feed(data)
        reader.end()

    with pytest.raises(FrameError) as info:
        feed_and_end()
    assert reader.pending == 0  # nothing half-parsed is kept
    return info.value


def test_a_bad_checksum_is_refused():
    error = _refused(FIND_REPLY[:-1] + b"\x98")
    assert error.reason == "checksum"
    assert "CHK 98, computed 97" in error.detail


def test_a_flipped_data_bit_is_refused():
    assert _refused(FIND_REPLY[:10] + b"\x01" + FIND_REPLY[11:]).reason == "checksum"


@pytest.mark.parametrize("cut", [1, 4, 6, 7, 10, len(FIND_REPLY) - 1])
def test_a_short_read_is_a_truncated_frame(cut):
    error = _refused(FIND_REPLY[:cut])
    assert error.reason == "truncated"
    assert f"{cut} byte(s)" in error.detail


@pytest.mark.parametrize(
    "data",
    [H("00 AA AA AA 96 69 00 04 00 00 90 94"), H("FF"), b"OK\r\n", H("AA AA AA 69 96"), H("AA 55")],
    ids=["byte-before-preamble", "noise", "text", "swapped-preamble", "broken-preamble"],
)
def test_garbage_before_a_preamble_is_refused(data):
    error = _refused(data)
    assert error.reason == "garbage"
    assert "AA AA AA 96 69" in error.detail


@pytest.mark.parametrize(
    ("data", "kind"),
    [(H("AA AA AA 96 69 00 03 00 00 90"), "response"), (H("AA AA AA 96 69 00 00"), "response"),
     (H("AA AA AA 96 69 00 02 20 22"), "request"), (H("AA AA AA 96 69 10 01"), "response"),
     (H("AA AA AA 96 69 FF FF"), "request")],
    ids=["response-3", "zero", "request-2", "over-max", "ffff"],
)
def test_a_length_out_of_range_is_refused_before_waiting_for_it(data, kind):
    assert _refused(data, kind).reason == "bad_length"


def test_decoding_one_frame_refuses_anything_around_it():
    with pytest.raises(FrameError, match="truncated"):
        decode_response(FIND_REPLY + FIND_REPLY[:3])
    with pytest.raises(FrameError, match="garbage"):
        decode_response(FIND_REPLY + b"\x00")
    with pytest.raises(FrameError, match="expected one frame, got 2"):
        decode_response(FIND_REPLY + FIND_REPLY)
    with pytest.raises(FrameError, match="expected one frame, got 0"):
        decode_response(b"")


def test_a_reader_reads_one_side_only():
    with pytest.raises(ValueError, match="kind"):
        FrameReader("both")


def test_a_frame_longer_than_the_protocol_allows_is_not_built():
    with pytest.raises(ValueError, match="longer than"):
        encode_response(Response(Sw3.OK, bytes(5000)))
