"""BER-TLV as EMV uses it: tags, lengths, templates, padding, DOLs."""

from __future__ import annotations

import pytest

from devices.smartcard import tlv
from devices.smartcard.tlv import DolEntry, Tlv, TlvError


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def test_a_one_byte_tag_with_a_short_length():
    assert tlv.parse(h("5A 08 6228480402564890")) == [Tlv(0x5A, h("6228480402564890"))]


def test_two_and_three_byte_tags():
    objects = tlv.parse(h("9F38 03 9F6604  5F20 02 4142  9F8101 01 07"))
    assert [(o.tag, o.value) for o in objects] == [(0x9F38, h("9F6604")), (0x5F20, b"AB"), (0x9F8101, b"\x07")]
    assert [tlv.tag_hex(o.tag) for o in objects] == ["9F38", "5F20", "9F8101"]


@pytest.mark.parametrize(
    ("encoded", "length"),
    [("7F", 127), ("8180", 128), ("81FF", 255), ("820100", 256), ("83010000", 65536)],
)
def test_long_lengths_both_ways(encoded, length):
    data = h("70" + encoded) + bytes(length)
    [obj] = tlv.parse(data)
    assert (obj.tag, len(obj.value)) == (0x70, length)
    assert tlv.encode_length(length) == h(encoded)
    assert tlv.encode(0x70, bytes(length)) == data


def test_a_constructed_template_and_finding_inside_it():
    fci = h("6F 1A 84 0E 315041592E5359532E4444463031 A5 08 88 01 01 5F2D 02 7A68")
    [template] = tlv.parse(fci)
    assert template.constructed
    assert [c.tag for c in template.children] == [0x84, 0xA5]
    assert tlv.find_value([template], 0x88) == b"\x01"
    assert tlv.find_value([template], 0x84) == b"1PAY.SYS.DDF01"
    assert tlv.find([template], 0x9F38) is None
    assert [o.tag for o in tlv.walk([template])] == [0x6F, 0x84, 0xA5, 0x88, 0x5F2D]


def test_a_primitive_object_has_no_children():
    assert not Tlv(0x5A, h("A5 00")).constructed
    assert Tlv(0x5A, h("A5 00")).children == []


def test_padding_between_objects_is_skipped():
    assert [o.tag for o in tlv.parse(h("00 5A 01 11 FF FF 50 01 41 00"))] == [0x5A, 0x50]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("5A 08 6228", "claims 8 bytes"),
        ("9F", "cut short"),
        ("5A", "length expected"),
        ("70 80 5A0100 0000", "indefinite"),
        ("70 84 00000001 00", "too long"),
        ("70 82 01", "cut short"),
    ],
)
def test_malformed_data_is_refused(data, problem):
    with pytest.raises(TlvError, match=problem):
        tlv.parse(h(data))


def test_encode_and_template_build_what_parse_reads():
    record = tlv.template(0x70, tlv.encode(0x5A, h("62284804")), tlv.encode(0x5F24, h("301231")))
    assert record == h("70 0C 5A 04 62284804 5F24 03 301231")
    assert tlv.parse(record)[0].children == [Tlv(0x5A, h("62284804")), Tlv(0x5F24, h("301231"))]
    assert tlv.encode_tag(0x9F38) == h("9F38")


def test_a_pdol_is_read_as_tags_and_lengths():
    pdol = h("9F66 04 9F02 06 9F03 06 9F1A 02 95 05 5F2A 02 9A 03 9C 01 9F37 04")
    entries = tlv.parse_dol(pdol)
    assert entries[0] == DolEntry(0x9F66, 4)
    assert [tlv.tag_hex(e.tag) for e in entries] == ["9F66", "9F02", "9F03", "9F1A", "95", "5F2A", "9A", "9C", "9F37"]
    assert sum(e.length for e in entries) == 33
    assert tlv.encode_dol(entries) == pdol


def test_a_data_object_never_shows_its_value():
    assert repr(Tlv(0x57, h("6228480402564890018D3012"))) == "Tlv(57, 12 bytes)"
