"""Read a PBOC/UnionPay or EMV contact card the way a terminal does (EMV Book 1 12, Book 3 10.1-10.2).

1. SELECT the PSE ``1PAY.SYS.DDF01`` and read its directory records (SFI from the FCI's tag 88);
   the candidates are the directory's applications the terminal supports, ordered by their
   priority (87). No PSE (6A82) or no supported entry in it: SELECT each AID of the terminal's list.
2. SELECT the first candidate; GET PROCESSING OPTIONS with the PDOL data (9F38) when the card asks;
   6985 drops the candidate and the next one is tried.
3. READ RECORD every record the AFL (94) names; take PAN 5A, track 2 equivalent 57, holder name
   5F20, expiry 5F24, label 50, and the card type from the AID.
4. A social-security card (社会保障卡) also holds the social-security application: SELECT its DF
   ``sx1.sh.社会保障``; where the card has it, READ RECORD 07 of EF05 (card number) and 08, 09 of EF06
   (social-security number, name), each record one item whose record number is its tag
   (``00B2072C00``, ``00B2083400``). A card without it (6A82) is a plain bank card.

Errors are :class:`~devices.api.DeviceError` with USER_ERROR: ``card_blocked`` (6A81, or every
application blocked), ``unsupported_card`` (no supported application), ``read_failed`` (a record
or a template the card got wrong), ``mute_card`` / ``card_removed`` (the transport). Details name
commands, status words and tags, never card data; track 2 is never logged.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from devices.api import DeviceError, ErrorCode
from devices.smartcard import apdu, tlv
from devices.smartcard.api import BankCard, CardType, SocialSecurityApp
from devices.smartcard.terminal import DEFAULT_AIDS, DEFAULT_TERMINAL, SupportedAid, Terminal, pdol_data

log = logging.getLogger(__name__)

PSE_NAME = b"1PAY.SYS.DDF01"
DEVICE = "smartcard"
MAX_RECORD = 0xFE  # READ RECORD addresses records 1-254
MAX_PDOL_DATA = 255 - 2  # GET PROCESSING OPTIONS: template 83 and its length around the data, in a short APDU
_TEXT_CODECS = ("ascii", "gb18030")  # 5F20 is ans; Chinese cards often hold the name in GB18030
__all__ = ["DEFAULT_AIDS", "DEFAULT_TERMINAL", "SupportedAid", "Terminal", "pdol_data", "read_bank_card"]


@dataclass(frozen=True)
class Candidate:
    aid: bytes
    priority: int = 0  # 87 low nibble; 0 = none given (after every numbered one)
    label: str = ""

    @property
    def order(self) -> int:
        return self.priority or 16


@dataclass
class _Read:
    """What the records and templates said, for building the BankCard."""

    aid: bytes
    fci: list[tlv.Tlv]
    records: list[tlv.Tlv] = field(default_factory=list)
    label: str = ""


def read_bank_card(
    transport: apdu.CardTransport,
    today: date,
    *,
    aids: Sequence[SupportedAid] = DEFAULT_AIDS,
    terminal: Terminal = DEFAULT_TERMINAL,
    device: str = DEVICE,
) -> BankCard:
    """Select the payment application, get its processing options and read its records."""
    with _errors(device):
        candidates = _directory(transport, aids)
        if candidates is None:
            candidates = _scan_aids(transport, aids)
        read = _select_and_read(transport, candidates, today, terminal)
        card = _bank_card(read, aids)
        social_security = _social_security(transport)
        return replace(card, social_security=social_security) if social_security else card


@contextmanager
def _errors(device: str) -> Iterator[None]:
    """Card answers and transport failures as the device's closed set of errors."""
    try:
        yield
    except apdu.TransportError as exc:
        raise DeviceError(device, ErrorCode.USER_ERROR, exc.reason, exc.detail) from exc
    except apdu.FunctionNotSupported as exc:
        raise DeviceError(device, ErrorCode.USER_ERROR, "card_blocked", str(exc)) from exc
    except _NoApplication as exc:
        reason = "card_blocked" if exc.blocked else "unsupported_card"
        raise DeviceError(device, ErrorCode.USER_ERROR, reason, str(exc)) from exc
    except (apdu.StatusWordError, tlv.TlvError, _CardDataError) as exc:
        raise DeviceError(device, ErrorCode.USER_ERROR, "read_failed", str(exc)) from exc


class _CardDataError(Exception):
    """The card answered 9000 with data a terminal cannot use."""


class _NoApplication(Exception):
    """No candidate could be selected and read: all blocked (6283), or none the terminal supports."""

    def __init__(self, blocked: bool) -> None:
        self.blocked = blocked
        super().__init__("every application on the card is blocked" if blocked
                         else "no payment application the kiosk supports")


def _directory(transport: apdu.CardTransport, aids: Sequence[SupportedAid]) -> list[Candidate] | None:
    """The supported applications of the PSE's directory; None without a PSE or a usable entry."""
    try:
        fci = tlv.parse(apdu.transmit_ok(transport, apdu.select_by_name(PSE_NAME)))
    except apdu.FileNotFound:
        log.debug("no PSE: selecting from the terminal's AID list")
        return None
    sfi_value = tlv.find_value(fci, 0x88)
    if not sfi_value or not 1 <= sfi_value[0] <= 30:
        raise _CardDataError("the PSE's FCI has no directory SFI (88)")
    entries = []
    for number in range(1, 0xFF):
        try:
            record = apdu.transmit_ok(transport, apdu.read_record(number, sfi_value[0]))
        except apdu.RecordNotFound:
            break
        entries += [_entry(obj) for obj in tlv.walk(tlv.parse(record)) if obj.tag == 0x61]
    supported = [entry for entry in entries if entry is not None and _supported(entry.aid, aids)]
    if not supported:
        log.debug("the PSE lists no supported application: selecting from the AID list")
        return None
    return sorted(supported, key=lambda c: c.order)


def _entry(obj: tlv.Tlv) -> Candidate | None:
    children = obj.children
    aid = tlv.find_value(children, 0x4F)
    if not aid:
        return None
    priority = tlv.find_value(children, 0x87)
    return Candidate(aid, priority[0] & 0x0F if priority else 0, _text(tlv.find_value(children, 0x50)))


def _scan_aids(transport: apdu.CardTransport, aids: Sequence[SupportedAid]) -> list[Candidate]:
    """SELECT each AID of the list; the ones the card has, ordered by their FCI's priority."""
    found, blocked = [], False
    for supported in aids:
        try:
            fci = tlv.parse(apdu.transmit_ok(transport, apdu.select_by_name(bytes.fromhex(supported.aid))))
        except apdu.FileNotFound:
            continue
        except apdu.SelectedFileInvalidated:
            blocked = True
            continue
        priority = tlv.find_value(fci, 0x87)
        name = tlv.find_value(fci, 0x84) or bytes.fromhex(supported.aid)
        found.append(Candidate(name, priority[0] & 0x0F if priority else 0))
    if not found:
        raise _NoApplication(blocked)
    return sorted(found, key=lambda c: c.order)


def _supported(aid: bytes, aids: Sequence[SupportedAid]) -> bool:
    return any(aid.hex().upper().startswith(s.aid.upper()) for s in aids)


def _select_and_read(
    transport: apdu.CardTransport, candidates: list[Candidate], today: date, terminal: Terminal
) -> _Read:
    blocked = False
    for candidate in candidates:
        try:
            fci = tlv.parse(apdu.transmit_ok(transport, apdu.select_by_name(candidate.aid)))
        except apdu.SelectedFileInvalidated:
            blocked = True
            continue
        except apdu.FileNotFound:
            continue
        read = _Read(tlv.find_value(fci, 0x84) or candidate.aid, fci, label=candidate.label)
        try:
            afl = _processing_options(transport, fci, today, terminal)
        except apdu.ConditionsNotSatisfied:
            log.debug("GPO refused (6985): trying the next application")
            continue
        read.records = _read_records(transport, afl)
        return read
    raise _NoApplication(blocked)


def _processing_options(
    transport: apdu.CardTransport, fci: list[tlv.Tlv], today: date, terminal: Terminal
) -> list[tuple[int, int, int]]:
    pdol = tlv.find_value(fci, 0x9F38)
    data = b""
    if pdol:
        entries = tlv.parse_dol(pdol)
        if sum(entry.length for entry in entries) > MAX_PDOL_DATA:  # asked before anything is allocated
            raise _CardDataError(f"the PDOL (9F38) asks for more than {MAX_PDOL_DATA} bytes")
        data = pdol_data(entries, terminal.values(today, secrets.token_bytes(4)))
    answer = tlv.parse(apdu.transmit_ok(transport, apdu.get_processing_options(data)))
    if answer and answer[0].tag == 0x80:  # format 1: AIP (2 bytes) then AFL
        afl = answer[0].value[2:]
    elif answer and answer[0].tag == 0x77:  # format 2: 82 AIP, 94 AFL
        afl = tlv.find_value(answer[0].children, 0x94) or b""
    else:
        raise _CardDataError("GET PROCESSING OPTIONS answered neither template 80 nor 77")
    return _afl_entries(afl)


def _afl_entries(afl: bytes) -> list[tuple[int, int, int]]:
    """(SFI, first record, last record) for each 4-byte AFL entry."""
    if not afl or len(afl) % 4:
        raise _CardDataError(f"AFL (94) of {len(afl)} bytes is not a list of 4-byte entries")
    entries = []
    for i in range(0, len(afl), 4):
        sfi, first, last = afl[i] >> 3, afl[i + 1], afl[i + 2]
        if not 1 <= sfi <= 30 or first == 0 or last < first or last > MAX_RECORD:
            raise _CardDataError(f"AFL entry {afl[i:i + 4].hex().upper()} is not valid")
        entries.append((sfi, first, last))
    return entries


def _read_records(transport: apdu.CardTransport, afl: list[tuple[int, int, int]]) -> list[tlv.Tlv]:
    objects: list[tlv.Tlv] = []
    for sfi, first, last in afl:
        for number in range(first, last + 1):
            data = tlv.parse(apdu.transmit_ok(transport, apdu.read_record(number, sfi)))
            if sfi <= 10 and (len(data) != 1 or data[0].tag != 0x70):
                raise _CardDataError(f"record {number} of SFI {sfi} is not in template 70")
            objects += data[0].children if data and data[0].tag == 0x70 else data
    return objects


def _bank_card(read: _Read, aids: Sequence[SupportedAid]) -> BankCard:
    objects = read.records + read.fci
    track2 = _digits(tlv.find_value(read.records, 0x57))
    pan = _digits(tlv.find_value(read.records, 0x5A)) or track2.partition("D")[0]
    if not pan:
        raise _CardDataError("the records hold neither a PAN (5A) nor track 2 (57)")
    expiry = _digits(tlv.find_value(read.records, 0x5F24))[:4] or track2.partition("D")[2][:4]
    if len(expiry) != 4:
        raise _CardDataError("the records hold no expiry date (5F24)")
    holder = _text(tlv.find_value(read.records, 0x9F0B) or tlv.find_value(read.records, 0x5F20))
    label = _text(tlv.find_value(objects, 0x50)) or _text(tlv.find_value(objects, 0x9F12)) or read.label
    aid = read.aid.hex().upper()
    card_type = next((s.card_type for s in aids if aid.startswith(s.aid.upper())), CardType.UNKNOWN)
    return BankCard(pan=pan, expiry=expiry, holder_name=holder, label=label, card_type=card_type, aid=aid,
                    track2=track2)


SSSE_NAME = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh.社会保障" in GBK


def _social_security(transport: apdu.CardTransport) -> SocialSecurityApp | None:
    """The social-security application's card and holder data, or None on a plain bank card."""
    try:
        apdu.transmit_ok(transport, apdu.select_by_name(SSSE_NAME))
    except apdu.StatusWordError:  # 6A82 mostly: no such application, a plain bank card
        return None

    def item(sfi: int, tag: int) -> str:
        try:
            data = tlv.parse(apdu.transmit_ok(transport, apdu.read_record(tag, sfi)))
        except apdu.RecordNotFound:
            return ""
        return _text(tlv.find_value(data, tag))

    card_number, ss_number = item(5, 0x07), item(6, 0x08)
    if not card_number or len(ss_number) != 18:
        raise _CardDataError("the social-security application has no card number (07) or SS number (08)")
    return SocialSecurityApp(card_number=card_number, ss_number=ss_number, holder_name=item(6, 0x09))


def _digits(value: bytes | None) -> str:
    """A cn/BCD value as its digits: trailing F padding dropped (track 2 keeps its 'D' separator)."""
    return value.hex().upper().rstrip("F") if value else ""


def _text(value: bytes | None) -> str:
    if not value:
        return ""
    raw = value.rstrip(b" \x00")
    for codec in _TEXT_CODECS:
        try:
            return raw.decode(codec).strip()
        except UnicodeDecodeError:
            continue
    return raw.decode("gb18030", errors="replace").strip()
