"""Paper status of an ESC/POS printer from its answers to the two status queries.

``DLE EOT 4`` (real-time, answered even while the printer is offline, e.g. out of paper) returns one
byte ``0 b6 b5 1 b3 b2 1 0``: bits 2-3 set = roll paper near its end, bits 5-6 set = no paper.
``GS r 1`` (answered when the printer is online; some Chinese printers know only this one) returns
one byte ``0 . . 0 b3 b2 b1 b0``: bits 0-1 set = near end, bits 2-3 set = no paper. Epson sets both
bits of a pair; some printers set one, so one bit is enough here. A reply may carry other bytes
(automatic status back): the last byte with the query's fixed bits is the answer. Anything else is
:attr:`Paper.UNKNOWN`, never a guess.
"""

from __future__ import annotations

from enum import StrEnum

DLE_EOT_PAPER = b"\x10\x04\x04"  # DLE EOT 4: transmit roll paper sensor status
GS_R_PAPER = b"\x1dr\x01"  # GS r 1: transmit paper sensor status


class Paper(StrEnum):
    OK = "ok"
    LOW = "low"  # the near-end sensor sees the end of the roll
    OUT = "out"
    UNKNOWN = "unknown"  # the transport cannot read, or the printer did not answer


def paper_from_dle_eot(reply: bytes) -> Paper:
    for byte in reversed(reply):
        if byte & 0b1001_0011 == 0b0001_0010:  # bits 1 and 4 fixed 1, bits 0 and 7 fixed 0
            if byte & 0b0110_0000:
                return Paper.OUT
            if byte & 0b0000_1100:
                return Paper.LOW
            return Paper.OK
    return Paper.UNKNOWN


def paper_from_gs_r(reply: bytes) -> Paper:
    for byte in reversed(reply):
        if byte & 0b1001_0000 == 0:  # bits 4 and 7 fixed 0
            if byte & 0b0000_1100:
                return Paper.OUT
            if byte & 0b0000_0011:
                return Paper.LOW
            return Paper.OK
    return Paper.UNKNOWN
