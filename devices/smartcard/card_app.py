"""The card side: a virtual PBOC debit/credit card that answers APDUs from a card profile.

It knows what a terminal's reading sequence needs: SELECT of the PSE and of its applications (FCI
with PDOL), READ RECORD of the PSE directory and of the application's files, GET PROCESSING OPTIONS
(format 2: AIP and AFL), GET RESPONSE. Variants, set in the profile: no PSE (SELECT PSE answers
6A82), a blocked application (6A81), a card that answers ``61xx`` to every command with data (T=0
style; the data comes by GET RESPONSE), one that answers ``6Cxx`` to a READ RECORD with the wrong Le,
and a mute card (no valid ATR). Profiles are data: see :mod:`devices.smartcard.card_files`.
"""

from __future__ import annotations

import calendar
import threading
from dataclasses import dataclass, replace
from enum import StrEnum

from devices.smartcard import tlv
from devices.smartcard.api import BankCard

PSE_NAME = b"1PAY.SYS.DDF01"
PSE_SFI = 1
# T=0, TB1 TC1 present, historical bytes "KIOSK-SIM": plainly the simulator.
DEFAULT_ATR = bytes.fromhex("3B6900004B494F534B2D53494D")
MUTE_ATR = b"\x00"  # not an ATR: what the mute card gives (vpcd takes an empty ATR for "no card")
# What a qPBOC-capable UnionPay card asks at GET PROCESSING OPTIONS (37 bytes of terminal data).
STANDARD_PDOL = bytes.fromhex("9F66049F02069F03069F1A0295055F2A029A039C019F3704")
STANDARD_AIP = bytes.fromhex("7C00")  # SDA, DDA, cardholder verification, terminal risk management, issuer auth
TEXT_TAGS = frozenset({0x50, 0x5F20, 0x5F2D, 0x9F12, 0x9F0B, 0x07, 0x08, 0x09})  # 07-09: the SSSE's card data
# The social-security application of a social-security card (社会保障卡): DF name "sx1.sh.社会保障" (GBK).
SSSE_NAME = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
SSSE_CARD_FILE, SSSE_HOLDER_FILE = 5, 6  # EF05 card data, EF06 holder data; record number = the item's tag

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_CONDITIONS = b"\x69\x85"
SW_BLOCKED = b"\x6a\x81"
SW_NOT_FOUND = b"\x6a\x82"
SW_NO_RECORD = b"\x6a\x83"
SW_WRONG_P1P2 = b"\x6a\x86"
SW_MEMORY_FAILURE = b"\x65\x81"
SW_INS = b"\x6d\x00"
SW_CLA = b"\x6e\x00"


class ResponseMode(StrEnum):
    PLAIN = "plain"  # data and 9000 at once
    GET_RESPONSE = "get_response"  # 61xx first; the data by GET RESPONSE
    EXACT_LE = "exact_le"  # 6Cxx to a READ RECORD whose Le is not the record's length


@dataclass(frozen=True)
class CardRecord:
    sfi: int
    number: int
    objects: tuple[tuple[int, bytes], ...]  # (tag, value) in the record's order

    def to_bytes(self, template: bool = True) -> bytes:
        """The record as a payment application keeps it (template 70), or bare (the SSSE's items)."""
        items = [tlv.encode(tag, value) for tag, value in self.objects]
        return tlv.template(0x70, *items) if template else b"".join(items)


@dataclass(frozen=True)
class CardApplication:
    aid: bytes
    label: str
    records: tuple[CardRecord, ...]
    priority: int = 1
    pdol: bytes = STANDARD_PDOL
    aip: bytes = STANDARD_AIP
    blocked: bool = False  # SELECT answers 6A81
    kind: str = "pboc"  # "pboc": a payment application; "ssse": the social-security application

    @property
    def is_payment(self) -> bool:
        return self.kind == "pboc"

    def fci(self) -> bytes:
        if not self.is_payment:
            return tlv.template(0x6F, tlv.encode(0x84, self.aid), tlv.template(0xA5))
        proprietary = [tlv.encode(0x50, self.label.encode("ascii")), tlv.encode(0x87, bytes([self.priority]))]
        if self.pdol:
            proprietary.append(tlv.encode(0x9F38, self.pdol))
        proprietary += [tlv.encode(0x5F2D, b"zhen"), tlv.encode(0x9F11, b"\x01")]
        return tlv.template(0x6F, tlv.encode(0x84, self.aid), tlv.template(0xA5, *proprietary))

    def afl(self) -> bytes:
        """One 4-byte entry per run of consecutive records in a file (no records for offline auth)."""
        out = bytearray()
        for sfi in sorted({r.sfi for r in self.records}):
            numbers = sorted(r.number for r in self.records if r.sfi == sfi)
            start = prev = numbers[0]
            for number in [*numbers[1:], None]:
                if number is not None and number == prev + 1:
                    prev = number
                    continue
                out += bytes([sfi << 3, start, prev, 0])
                if number is not None:
                    start = prev = number
        return bytes(out)

    def pdol_length(self) -> int:
        return sum(entry.length for entry in tlv.parse_dol(self.pdol))


@dataclass(frozen=True)
class CardProfile:
    key: str
    applications: tuple[CardApplication, ...]
    atr: bytes = DEFAULT_ATR
    pse: bool = True
    responses: ResponseMode = ResponseMode.PLAIN
    mute: bool = False

    def with_blocked(self, blocked: bool = True) -> CardProfile:
        return replace(self, applications=tuple(replace(a, blocked=blocked) for a in self.applications))

    def with_mute(self, mute: bool = True) -> CardProfile:
        return replace(self, mute=mute)

    def pan(self) -> str:
        """The PAN (5A) of the first application that has one, as digits."""
        for app in self.applications:
            for record in app.records:
                for tag, value in record.objects:
                    if tag == 0x5A:
                        return value.hex().upper().rstrip("F")
        return ""

    def pse_directory(self) -> bytes:
        entries = [tlv.template(0x61, tlv.encode(0x4F, a.aid), tlv.encode(0x50, a.label.encode("ascii")),
                                tlv.encode(0x87, bytes([a.priority]))) for a in self.applications if a.is_payment]
        return tlv.template(0x70, *entries)

    def pse_fci(self) -> bytes:
        return tlv.template(0x6F, tlv.encode(0x84, PSE_NAME),
                            tlv.template(0xA5, tlv.encode(0x88, bytes([PSE_SFI])), tlv.encode(0x5F2D, b"zhen")))


def profile_from_card(key: str, card: BankCard, blocked: bool = False) -> CardProfile:
    """The chip of a demo bank card: PSE, one application with the standard PDOL, two files."""
    yy, mm = int(card.expiry[:2]), int(card.expiry[2:4])
    last_day = calendar.monthrange(2000 + yy, mm)[1]
    records = (
        CardRecord(1, 1, ((0x57, _bcd(card.track2)), (0x5F20, encode_text(card.holder_name)))),
        CardRecord(2, 1, (
            (0x5A, _bcd(card.pan)),
            (0x5F24, bytes.fromhex(f"{card.expiry}{last_day:02d}")),
            (0x5F25, bytes.fromhex(f"{(yy - 10) % 100:02d}{mm:02d}01")),  # effective date
            (0x5F34, b"\x01"),  # PAN sequence number
            (0x5F28, bytes.fromhex("0156")),  # issuer country: China
            (0x9F07, bytes.fromhex("FF00")),  # application usage control
            (0x8E, bytes.fromhex("000000000000000042031E031F00")),  # CVM list: online PIN, else no CVM
        )),
    )
    app = CardApplication(bytes.fromhex(card.aid), card.label, records, blocked=blocked)
    ss = card.social_security
    if ss is None:
        return CardProfile(key, (app,))
    ssse = CardApplication(SSSE_NAME, "SSSE", (
        CardRecord(SSSE_CARD_FILE, 0x07, ((0x07, ss.card_number.encode("ascii")),)),
        CardRecord(SSSE_HOLDER_FILE, 0x08, ((0x08, ss.ss_number.encode("ascii")),)),
        CardRecord(SSSE_HOLDER_FILE, 0x09, ((0x09, encode_text(ss.holder_name)),)),
    ), pdol=b"", kind="ssse")
    return CardProfile(key, (app, ssse))


def _bcd(digits: str) -> bytes:
    """Digits (and track 2's 'D') as packed nibbles, padded with F to whole bytes."""
    return bytes.fromhex(digits + "F" * (len(digits) % 2))


def encode_text(text: str) -> bytes:
    """ans data as ASCII; a Chinese name in GB18030 as Chinese issuers write it."""
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return text.encode("gb18030")


class VirtualPbocCard:
    """One powered card answering command APDUs; thread-safe, its faults switchable at run time."""

    def __init__(self, profile: CardProfile) -> None:
        self.profile = profile
        self._lock = threading.Lock()
        self._selected: CardApplication | bytes | None = None  # an application, PSE_NAME or nothing
        self._pending = b""  # data waiting for GET RESPONSE
        self._fail_reads = False
        self._mute = profile.mute

    # -- switches (QA faults) ------------------------------------------------------------------
    def set_mute(self, mute: bool) -> None:
        with self._lock:
            self._mute = mute

    def set_fail_reads(self, fail: bool) -> None:
        """While set, READ RECORD of the application's files answers 6581 (memory failure)."""
        with self._lock:
            self._fail_reads = fail

    @property
    def mute(self) -> bool:
        with self._lock:
            return self._mute

    # -- the contacts ------------------------------------------------------------------------------
    def atr(self) -> bytes:
        return MUTE_ATR if self.mute else self.profile.atr

    def power_on(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._selected = None
            self._pending = b""

    def power_off(self) -> None:
        self.reset()

    def process(self, command: bytes) -> bytes:
        """The response APDU (data + SW1 SW2) to one command APDU."""
        with self._lock:
            return self._process(command)

    # -- commands ------------------------------------------------------------------------------
    def _process(self, command: bytes) -> bytes:
        parsed = _parse_command(command)
        if parsed is None:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2, data, le = parsed
        if ins == 0xC0 and cla == 0x00:
            return self._get_response(le)
        self._pending = b""
        if cla == 0x00 and ins == 0xA4:
            return self._answer(*self._select(p1, p2, data))
        if cla == 0x00 and ins == 0xB2:
            body, sw = self._read_record(p1, p2)
            return self._answer(body, sw, le, exact_le=True)
        if cla == 0x80 and ins == 0xA8:
            return self._answer(*self._gpo(data))
        return SW_CLA if cla not in (0x00, 0x80) else SW_INS

    def _select(self, p1: int, p2: int, name: bytes) -> tuple[bytes, bytes]:
        if p1 != 0x04 or p2 not in (0x00, 0x02):
            return b"", SW_WRONG_P1P2
        self._selected = None
        if name == PSE_NAME:
            if not self.profile.pse:
                return b"", SW_NOT_FOUND
            self._selected = PSE_NAME
            return self.profile.pse_fci(), SW_OK
        app = next((a for a in self.profile.applications if a.aid.startswith(name) and name), None)
        if app is None or p2 == 0x02:  # one occurrence per name: "next" finds nothing more
            return b"", SW_NOT_FOUND
        if app.blocked:
            return b"", SW_BLOCKED
        self._selected = app
        return app.fci(), SW_OK

    def _read_record(self, number: int, p2: int) -> tuple[bytes, bytes]:
        if p2 & 0x07 != 0x04 or number == 0:
            return b"", SW_WRONG_P1P2
        sfi = p2 >> 3
        if self._selected == PSE_NAME:
            found = number == 1 and sfi == PSE_SFI
            return (self.profile.pse_directory(), SW_OK) if found else (b"", SW_NO_RECORD)
        if not isinstance(self._selected, CardApplication):
            return b"", SW_CONDITIONS
        if self._fail_reads:
            return b"", SW_MEMORY_FAILURE
        record = next((r for r in self._selected.records if (r.sfi, r.number) == (sfi, number)), None)
        if record is None:
            return b"", SW_NO_RECORD
        return record.to_bytes(template=self._selected.is_payment), SW_OK

    def _gpo(self, data: bytes) -> tuple[bytes, bytes]:
        app = self._selected
        if not isinstance(app, CardApplication) or not app.is_payment:
            return b"", SW_CONDITIONS
        if len(data) < 2 or data[0] != 0x83 or data[1] != len(data) - 2 or data[1] != app.pdol_length():
            return b"", SW_WRONG_LENGTH
        return tlv.template(0x77, tlv.encode(0x82, app.aip), tlv.encode(0x94, app.afl())), SW_OK

    def _answer(self, body: bytes, sw: bytes, le: int | None = None, exact_le: bool = False) -> bytes:
        if sw != SW_OK or not body:
            return body + sw
        mode = self.profile.responses
        if mode is ResponseMode.GET_RESPONSE:
            self._pending = body
            return bytes([0x61, len(body) & 0xFF])
        if mode is ResponseMode.EXACT_LE and exact_le and (le or 256) != len(body):
            return bytes([0x6C, len(body) & 0xFF])
        return body + sw

    def _get_response(self, le: int | None) -> bytes:
        if not self._pending:
            return SW_CONDITIONS
        size = le or 256
        chunk, self._pending = self._pending[:size], self._pending[size:]
        if self._pending:
            return chunk + bytes([0x61, min(len(self._pending), 256) & 0xFF])
        return chunk + SW_OK


def _parse_command(command: bytes) -> tuple[int, int, int, int, bytes, int | None] | None:
    """CLA INS P1 P2 data Le of a short APDU; None when the lengths do not add up."""
    if len(command) < 4:
        return None
    cla, ins, p1, p2 = command[:4]
    body = command[4:]
    if not body:
        return cla, ins, p1, p2, b"", None
    if len(body) == 1:
        return cla, ins, p1, p2, b"", body[0]
    lc = body[0]
    if len(body) == 1 + lc:
        return cla, ins, p1, p2, body[1:], None
    if len(body) == 2 + lc:
        return cla, ins, p1, p2, body[1:1 + lc], body[-1]
    return None
