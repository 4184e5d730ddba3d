"""BER-TLV as EMV uses it (EMV Book 3 Annex B): tags of one or more bytes, short and long lengths,
constructed templates, padding, and Data Object Lists (PDOL, CDOL).

Tags are ints (``0x9F38``); :func:`tag_hex` writes them as the specifications do (``"9F38"``).
A malformed encoding raises :class:`TlvError`; nothing is half-parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_CONSTRUCTED = 0x20
_MORE_TAG_BYTES = 0x1F
_NEXT_TAG_BYTE = 0x80
_PADDING = (0x00, 0xFF)  # EMV Book 3 B.1: allowed before, between and after data objects
MAX_LENGTH_BYTES = 3  # up to 16 MB; a card never sends more


class TlvError(ValueError):
    """The bytes are not valid BER-TLV."""


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        return bool(_first_tag_byte(self.tag) & _CONSTRUCTED)

    @property
    def children(self) -> list[Tlv]:
        """The data objects inside a constructed template (empty for a primitive object)."""
        return parse(self.value) if self.constructed else []

    def to_bytes(self) -> bytes:
        return encode(self.tag, self.value)

    def __repr__(self) -> str:  # values may be card data: show only what the object is
        return f"Tlv({tag_hex(self.tag)}, {len(self.value)} bytes)"


@dataclass(frozen=True)
class DolEntry:
    """One entry of a Data Object List: the card asks for ``length`` bytes of ``tag``."""

    tag: int
    length: int


def tag_hex(tag: int) -> str:
    return f"{tag:X}".rjust(2 * _tag_size(tag), "0")


def _tag_size(tag: int) -> int:
    return max(1, (tag.bit_length() + 7) // 8)


def _first_tag_byte(tag: int) -> int:
    return tag >> (8 * (_tag_size(tag) - 1))


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError(f"tag expected at offset {pos}")
    tag = data[pos]
    pos += 1
    if tag & _MORE_TAG_BYTES == _MORE_TAG_BYTES:
        while True:
            if pos >= len(data):
                raise TlvError(f"tag {tag:X} is cut short")
            tag = (tag << 8) | data[pos]
            pos += 1
            if not data[pos - 1] & _NEXT_TAG_BYTE:
                break
            if tag.bit_length() > 32:
                raise TlvError("tag longer than 4 bytes")
    return tag, pos


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError(f"length expected at offset {pos}")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    count = first & 0x7F
    if count == 0:
        raise TlvError("indefinite length is not used in EMV")
    if count > MAX_LENGTH_BYTES:
        raise TlvError(f"length of {count} bytes is too long")
    if pos + count > len(data):
        raise TlvError("length is cut short")
    return int.from_bytes(data[pos:pos + count], "big"), pos + count


def iter_tlv(data: bytes) -> Iterator[Tlv]:
    """The data objects of one level, in order, skipping padding bytes."""
    pos = 0
    while pos < len(data):
        if data[pos] in _PADDING:
            pos += 1
            continue
        tag, pos = _read_tag(data, pos)
        length, pos = _read_length(data, pos)
        end = pos + length
        if end > len(data):
            raise TlvError(f"{tag_hex(tag)} claims {length} bytes, {len(data) - pos} left")
        yield Tlv(tag, bytes(data[pos:end]))
        pos = end


def parse(data: bytes) -> list[Tlv]:
    return list(iter_tlv(data))


def walk(objects: Iterable[Tlv]) -> Iterator[Tlv]:
    """Every data object, depth first, templates before what they contain.

    Iterative: a card may nest templates a thousand deep in a few kilobytes (61xx answers add up),
    which must be a :class:`TlvError` or an answer, never a RecursionError."""
    stack: list[Iterator[Tlv]] = [iter(objects)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
            continue
        yield obj
        if obj.constructed:
            stack.append(iter(obj.children))


def find(objects: Iterable[Tlv], tag: int) -> Tlv | None:
    """The first object with ``tag`` at any depth."""
    return next((obj for obj in walk(objects) if obj.tag == tag), None)


def find_value(objects: Iterable[Tlv], tag: int) -> bytes | None:
    obj = find(objects, tag)
    return obj.value if obj is not None else None


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes(_tag_size(tag), "big")


def encode_length(length: int) -> bytes:
    if length < 0:
        raise TlvError("negative length")
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    if size > MAX_LENGTH_BYTES:
        raise TlvError(f"length {length} is too long")
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def encode(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value


def template(tag: int, *objects: bytes) -> bytes:
    """A constructed object around already encoded ``objects``."""
    return encode(tag, b"".join(objects))


def parse_dol(data: bytes) -> list[DolEntry]:
    """A Data Object List: tags and lengths, no values (EMV Book 3 5.4)."""
    entries = []
    pos = 0
    while pos < len(data):
        tag, pos = _read_tag(data, pos)
        length, pos = _read_length(data, pos)
        entries.append(DolEntry(tag, length))
    return entries


def encode_dol(entries: Iterable[DolEntry]) -> bytes:
    return b"".join(encode_tag(e.tag) + encode_length(e.length) for e in entries)
