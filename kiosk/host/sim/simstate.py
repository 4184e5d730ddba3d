"""What QA sees at ``GET /sim/state``: enough to assert "posted once, debited once".

Card and account numbers are masked here too; tests compare with kiosk.core.masking.mask_pan.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from kiosk.core.masking import mask_id_number, mask_pan


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sql).fetchall()]


def _postings(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(conn, "SELECT idempotency_key, op, http_status, amount_fen, reply, created_at FROM postings "
                       "ORDER BY created_at, idempotency_key")
    for row in rows:
        reply = json.loads(row.pop("reply"))
        row["status"] = "committed" if row["http_status"] == 200 else "rejected"
        row["error_code"] = None if reply["ok"] else reply["error"]["code"]
    return rows


def _accounts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(conn, "SELECT a.account_no, a.customer_id, a.class, a.balance_fen, a.opened_at, a.idempotency_key, "
                       "(SELECT group_concat(pan) FROM cards c WHERE c.account_no = a.account_no) AS pans "
                       "FROM accounts a ORDER BY a.account_no")
    for row in rows:
        row["account_masked"] = mask_pan(row.pop("account_no"))
        row["card_pans_masked"] = [mask_pan(p) for p in (row.pop("pans") or "").split(",") if p]
    return rows


def _cards(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(conn, "SELECT card_ref, pan, customer_id, product, status, loss_expires_at, pin_wrong, "
                       "pin_wrong_day FROM cards ORDER BY card_ref")
    for row in rows:
        row["pan_masked"] = mask_pan(row.pop("pan"))
    return rows


def _bills(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(conn, "SELECT bill_id, id_number, type, period, amount_fen, status, payment_ref FROM bills "
                       "ORDER BY bill_id")
    for row in rows:
        row["id_masked"] = mask_id_number(row.pop("id_number"))
    return rows


def _payments(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(conn, "SELECT payment_ref, account_no, card_ref, amount_fen, bill_ids, paid_at, idempotency_key "
                       "FROM payments ORDER BY payment_ref")
    for row in rows:
        row["account_masked"] = mask_pan(row.pop("account_no"))
        row["bill_ids"] = json.loads(row["bill_ids"])
    return rows


def snapshot(conn: sqlite3.Connection) -> dict[str, Any]:
    return {
        "postings": _postings(conn),
        "accounts": _accounts(conn),
        "opened_accounts": [a for a in _accounts(conn) if a["idempotency_key"] is not None],
        "cards": _cards(conn),
        "bills": _bills(conn),
        "payments": _payments(conn),
        "losses": _rows(conn, "SELECT * FROM losses ORDER BY loss_ref"),
        "approvals": _rows(conn, "SELECT approval_ref, session_id, staff_number, decision, subject, recorded_at, "
                                 "idempotency_key, countersigns FROM approvals ORDER BY approval_ref"),
        "staff": _staff(conn),
    }


def _staff(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Who may sign in, and their lock state; never a hash."""
    rows = _rows(conn, "SELECT number, role, card_pan, failed_tries, locked_until, "
                       "(SELECT COUNT(*) FROM staff_tokens t WHERE t.staff_number = s.number AND t.signed_out_at "
                       "IS NULL) AS tokens_open FROM staff s ORDER BY number")
    for row in rows:
        pan = row.pop("card_pan")
        row["card_pan_masked"] = mask_pan(pan) if pan else None
    return rows
