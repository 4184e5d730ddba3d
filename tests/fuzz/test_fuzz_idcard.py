"""Fuzzing the ID card reader's parsers: SAM frames (both directions) and the chip's base info.

Whatever the serial line brings, the frame reader answers whole frames or a FrameError; whatever a card's
chip holds, base info decodes to a card or a BaseInfoError naming the field."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from devices.idcard import base_info as bi
from devices.idcard import sam
from devices.idcard.api import IdCard
from devices.idcard.nations import NATIONS
from devices.idcard.wlt import WLT_SIZE
from tests.fuzz.outcome import attempt

any_bytes = st.binary(max_size=600)


@st.composite
def responses(draw: st.DrawFn) -> sam.Response:
    return sam.Response(sw3=draw(st.integers(0, 255)), data=draw(st.binary(max_size=300)),
                        sw1=draw(st.integers(0, 255)), sw2=draw(st.integers(0, 255)))


def chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` as the serial line may deliver it: in pieces at the ``cuts``."""
    points = sorted({min(cut, len(data)) for cut in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


@given(any_bytes)
@example(sam.PREAMBLE + b"\x00\x00")  # LEN 0: below the shortest frame
@example(sam.PREAMBLE + b"\xff\xff" + bytes(10))  # LEN 65535: above MAX_LEN
@example(sam.PREAMBLE + b"\x00\x04\x00\x00\x90")  # cut short before CHK
def test_any_bytes_decode_to_one_response_or_a_frame_error(data: bytes) -> None:
    response, error = attempt(lambda: sam.decode_response(data), sam.FrameError)
    if error is not None:
        assert error.reason in ("garbage", "bad_length", "checksum", "truncated")
    else:
        assert sam.encode_response(response) == data  # accepted only when it is exactly one well-formed frame


@given(any_bytes)
def test_any_bytes_decode_to_one_request_or_a_frame_error(data: bytes) -> None:
    try:
        request = sam.decode_request(data)
    except sam.FrameError:
        return
    assert sam.build_frame(bytes([request.cmd, request.para]) + request.data) == data


@given(responses(), st.lists(st.integers(0, 400), max_size=6))
def test_a_response_frame_round_trips_however_the_line_cuts_it(response: sam.Response, cuts: list[int]) -> None:
    frame = sam.encode_response(response)
    reader = sam.FrameReader("response")
    got = [r for piece in chunks(frame, cuts) for r in reader.feed_responses(piece)]
    assert got == [response]
    assert reader.pending == 0


@given(st.sampled_from(list(sam.Command)), st.binary(max_size=64))
def test_a_request_frame_round_trips(command: sam.Command, data: bytes) -> None:
    raw = sam.decode_request(sam.encode_request(sam.Request(command, data)))
    assert (raw.command, raw.data) == (command, data)


@given(responses(), st.data())
def test_one_changed_byte_is_always_refused(response: sam.Response, data: st.DataObject) -> None:
    frame = bytearray(sam.encode_response(response))
    position = data.draw(st.integers(0, len(frame) - 1))
    frame[position] ^= data.draw(st.integers(1, 255))
    try:
        decoded = sam.decode_response(bytes(frame))
    except sam.FrameError:
        return
    # A changed LEN may, by chance, frame a shorter body whose XOR matches: then it is that frame, exactly.
    assert sam.HEADER_SIZE - 2 <= position < sam.HEADER_SIZE
    assert sam.encode_response(decoded) == bytes(frame)


@given(st.lists(any_bytes, max_size=5))
def test_the_stream_reader_never_raises_anything_but_frame_errors(pieces: list[bytes]) -> None:
    reader = sam.FrameReader("response")
    for piece in pieces:
        try:
            for response in reader.feed_responses(piece):
                assert 0 <= response.sw3 <= 255
        except sam.FrameError:
            assert reader.pending == 0  # it forgets what it held
    _, error = attempt(reader.end, sam.FrameError)
    assert error is None or error.reason == "truncated"


@given(st.integers(0, 255))
def test_any_status_byte_has_a_device_error(sw3: int) -> None:
    error = sam.SamStatusError(sw3).device_error("idcard")
    assert error.reason


# -- base info ----------------------------------------------------------------------------------

ucs2_text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=20)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def id_cards(draw: st.DrawFn) -> IdCard:
    born = draw(days)
    valid_from = draw(st.dates(min_value=born, max_value=date(2099, 12, 30)))
    valid_to = draw(st.none() | st.dates(min_value=valid_from + (date(2000, 1, 2) - date(2000, 1, 1)),
                                         max_value=date(2099, 12, 31)))
    text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFFFF, exclude_categories=("Cs", "Zs")),
                   min_size=1, max_size=15)
    first17 = draw(st.text("0123456789", min_size=17, max_size=17))
    return IdCard(name=draw(text), sex=draw(st.sampled_from(["男", "女"])),
                  nation=draw(st.sampled_from(sorted(NATIONS.values()))), birth_date=born,
                  address=draw(text), id_number=first17 + bi.check_character(first17), issuer=draw(text),
                  valid_from=valid_from, valid_to=valid_to)


@given(id_cards(), st.binary(min_size=WLT_SIZE, max_size=WLT_SIZE))
def test_base_info_round_trips(card: IdCard, wlt: bytes) -> None:
    info = bi.decode_base_info(bi.encode_base_info(card, wlt))
    assert info.card == card
    assert info.wlt == wlt


@given(st.binary(max_size=1400))
@example(bytes(4))
@example((256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(1280))  # every field empty
def test_any_payload_is_a_card_or_a_base_info_error(payload: bytes) -> None:
    _, error = attempt(lambda: bi.decode_base_info(payload), bi.BaseInfoError)
    assert error is None or error.field


@given(id_cards(), st.sampled_from(bi.FIELDS), ucs2_text | st.text("0123456789١٢３ X", max_size=18))
@example(None, ("id_number", 36), "１１０１０５１９４９１２３１００２X")  # full-width digits
@example(None, ("birth", 16), "１９４９１２３１")
@example(None, ("valid_to", 16), "20991331")
@example(None, ("nation", 4), "٠١")
def test_a_field_with_any_text_is_a_card_or_names_the_field(card: IdCard | None, field: tuple[str, int],
                                                           value: str) -> None:
    card = card or IdCard("张伟", "男", "汉", date(1949, 12, 31), "北京市", "110105194912310021", "北京市公安局",
                          date(2010, 1, 1), None)
    name, width = field
    text = bytearray(bi.encode_text(card))
    offset = sum(w for n, w in bi.FIELDS[:bi.FIELDS.index(field)])
    text[offset:offset + width] = value[:width // 2].ljust(width // 2).encode("utf-16-le")
    decoded, error = attempt(lambda: bi.card_from_fields(bi.decode_text(bytes(text))), bi.BaseInfoError)
    if error is not None:
        assert error.field in (name, "valid_from", "valid_to")  # a date moved past its neighbour's
    else:
        assert decoded.id_number.isascii()
        assert decoded.birth_date <= decoded.valid_from


@given(st.binary(min_size=256, max_size=256))
def test_raw_text_bytes_decode_or_name_the_field(text: bytes) -> None:
    _, error = attempt(lambda: bi.card_from_fields(bi.decode_text(text)), bi.BaseInfoError)
    assert error is None or error.field in dict(bi.FIELDS)


@given(st.text(max_size=20), days)
@example("１１０１０５１９４９１２３１００２X", date(1949, 12, 31))
@example("11010519491331002X", date(1949, 12, 31))
def test_any_id_number_is_judged(id_number: str, born: date) -> None:
    assert bi.id_number_problem(id_number, born) in (None, "format", "check_digit", "birth_date", "birth_mismatch")
