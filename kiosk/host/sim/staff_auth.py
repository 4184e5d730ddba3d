"""Staff sign-in on the host: staff number and password, or staff card and PIN; short-lived tokens.

Five wrong tries in a row lock the account for 15 minutes (host clock); a right answer resets the
count. A token is 32 random hex digits, valid for 10 minutes or until signed out; the host keeps
only its SHA-256, so the database cannot be replayed into a session. The count of wrong tries is
committed with the refusal (see :class:`~kiosk.host.sim.context.Refusal`).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import datetime, timedelta

from kiosk.host.api import StaffSignInRequest, StaffSignInResult, StaffSignOutRequest, StaffSignOutResult
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.hashing import secret_matches
from kiosk.host.sim.pins import decrypt

MAX_TRIES = 5
LOCK_TIME = timedelta(minutes=15)
TOKEN_LIFETIME = timedelta(minutes=10)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _find(ctx: OpContext, req: StaffSignInRequest) -> sqlite3.Row | None:
    by, value = ("card_pan", req.card_pan) if req.card_pan is not None else ("number", req.staff_number)
    row: sqlite3.Row | None = ctx.conn.execute(f"SELECT * FROM staff WHERE {by} = ?", (value,)).fetchone()  # noqa: S608
    return row


def _answer_matches(ctx: OpContext, staff: sqlite3.Row | None, req: StaffSignInRequest) -> bool:
    if req.card_pan is not None:
        assert req.pin_block is not None
        assert req.key_id is not None
        pin = decrypt(ctx, req.card_pan, req.pin_block, req.key_id)  # an undecodable block is not a try
        return secret_matches(staff["card_pin_hash"] if staff else None, pin)
    assert req.password is not None
    return secret_matches(staff["password_hash"] if staff else None, req.password)


def _check_lock(ctx: OpContext, staff: sqlite3.Row) -> int:
    """The wrong tries that still count; raises ``staff_locked`` while the account is locked."""
    locked_until = staff["locked_until"]
    if locked_until is None:
        return int(staff["failed_tries"])
    if ctx.now < datetime.fromisoformat(locked_until):
        raise Refusal("staff_locked", "too many wrong tries; the account is locked", locked_until=locked_until)
    ctx.conn.execute("UPDATE staff SET failed_tries = 0, locked_until = NULL WHERE number = ?", (staff["number"],))
    return 0


def _wrong_try(ctx: OpContext, staff: sqlite3.Row, tries: int) -> Refusal:
    tries += 1
    locked_until = (ctx.now + LOCK_TIME).isoformat() if tries >= MAX_TRIES else None
    ctx.conn.execute("UPDATE staff SET failed_tries = ?, locked_until = ? WHERE number = ?",
                     (tries, locked_until, staff["number"]))
    if locked_until is not None:
        return Refusal("staff_locked", "wrong credentials; the account is now locked", locked_until=locked_until)
    return Refusal("staff_credentials_wrong", "wrong credentials", tries_left=MAX_TRIES - tries)


def sign_in(ctx: OpContext, req: StaffSignInRequest) -> StaffSignInResult:
    staff = _find(ctx, req)
    tries = _check_lock(ctx, staff) if staff is not None else 0
    matches = _answer_matches(ctx, staff, req)
    if staff is None:  # no tries to count, and nothing said about who exists
        raise Refusal("staff_credentials_wrong", "wrong credentials")
    if not matches:
        raise _wrong_try(ctx, staff, tries)
    if tries:
        ctx.conn.execute("UPDATE staff SET failed_tries = 0 WHERE number = ?", (staff["number"],))
    token = secrets.token_hex(16)
    expires_at = ctx.now + TOKEN_LIFETIME
    ctx.conn.execute(
        "INSERT INTO staff_tokens(token_hash, staff_number, issued_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_digest(token), staff["number"], ctx.now.isoformat(), expires_at.isoformat()),
    )
    return StaffSignInResult(staff_token=token, staff_number=staff["number"], name=staff["name"],
                             role=staff["role"], expires_at=expires_at)


def sign_out(ctx: OpContext, req: StaffSignOutRequest) -> StaffSignOutResult:
    moved = ctx.conn.execute(
        "UPDATE staff_tokens SET signed_out_at = ? WHERE token_hash = ? AND signed_out_at IS NULL",
        (ctx.now.isoformat(), token_digest(req.staff_token)),
    ).rowcount
    return StaffSignOutResult(signed_out=moved > 0)


def staff_for_token(ctx: OpContext, token: str) -> sqlite3.Row:
    """The member of staff a token signs for; ``staff_token_invalid`` when it is unknown, expired or
    signed out."""
    row = ctx.conn.execute(
        "SELECT s.number, s.name, s.role, t.expires_at, t.signed_out_at FROM staff_tokens t "
        "JOIN staff s ON s.number = t.staff_number WHERE t.token_hash = ?",
        (token_digest(token),),
    ).fetchone()
    if row is None or row["signed_out_at"] is not None or ctx.now >= datetime.fromisoformat(row["expires_at"]):
        raise Refusal("staff_token_invalid", "the staff token is unknown, expired or signed out; sign in again")
    staff: sqlite3.Row = row
    return staff
