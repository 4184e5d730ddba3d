"""Money in the document flows, over random inputs (hypothesis): statement fees, whole-yuan amounts, page
counts and the host's debits never lose or invent a fen, a page or a transaction line."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.docprinter.api import Document, Section, Table
from devices.docprinter.layout import BODY_H, paginate
from flows.bank_documents import statement_fee_fen, yuan_to_fen
from kiosk.core.money import format_fen
from kiosk.host.sim.context import HostLimits, OpContext, Refusal
from kiosk.host.sim.ops_docs14 import _debit
from kiosk.host.sim.seed_docs14 import SCHEMA

pages = st.integers(min_value=0, max_value=10_000)
fen = st.integers(min_value=0, max_value=10**12)


@given(pages, pages, st.integers(min_value=0, max_value=100_000))
def test_a_statement_fee_is_the_pages_above_the_free_ones_times_the_price(count: int, free: int, price: int) -> None:
    fee = statement_fee_fen(count, free, price)
    assert isinstance(fee, int)
    charged = max(count - free, 0)
    assert fee == charged * price
    assert fee + min(count, free) * price == count * price  # every page is either free or paid, once


@given(st.integers(min_value=0, max_value=10**10))
def test_whole_yuan_typed_become_exact_fen(yuan: int) -> None:
    amount = yuan_to_fen(str(yuan))
    assert amount == yuan * 100
    assert format_fen(amount) == f"{yuan:,}.00"


def statement(lines: int, notes: int, sealed: bool) -> Document:
    rows = tuple((f"2026-01-{i % 28 + 1:02d}", "消费", format_fen(-i), format_fen(i * 7)) for i in range(lines))
    return Document(kind="statement", lang="zh_CN", title="流水", issuer=("银行", "支行"),
                    fields=(("户名", "张*"), ("账号", "622848*********0018")),
                    sections=(Section("交易明细", table=Table(("日期", "摘要", "金额", "余额"), rows)),),
                    notes=tuple(f"note {i}" for i in range(notes)), verification_code="ABCD-EFGH-JKLM" if sealed else None,
                    seal=sealed)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=600), st.integers(min_value=0, max_value=3), st.booleans())
def test_pages_hold_every_transaction_once_in_order_and_fit_the_page(lines: int, notes: int, sealed: bool) -> None:
    doc = statement(lines, notes, sealed)
    laid_out = paginate(doc)
    rows = [b.text for page in laid_out for b in page if b.kind == "row"]
    assert rows == list(doc.sections[0].table.rows)  # type: ignore[union-attr]
    assert all(sum(b.height for b in page) <= BODY_H + 1e-9 for page in laid_out)
    assert all(page for page in laid_out)
    assert laid_out[-1][-1].kind == ("closing" if sealed else ("note" if notes else laid_out[-1][-1].kind))


def account(conn: sqlite3.Connection, balance: int, frozen: int) -> None:
    conn.execute("CREATE TABLE accounts(account_no TEXT PRIMARY KEY, balance_fen INTEGER NOT NULL)")
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO accounts VALUES ('A1', ?)", (balance,))
    if frozen:
        conn.execute("INSERT INTO freezes VALUES ('DC1', 'A1', ?, '2999-01-01', '2026-01-01', NULL)", (frozen,))


@settings(max_examples=80, deadline=None)
@given(fen, fen, fen)
def test_a_fee_debit_takes_exactly_the_fee_or_nothing(balance: int, frozen: int, fee: int) -> None:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    frozen = min(frozen, balance) if balance else 0
    account(conn, balance, frozen)
    ctx = OpContext(conn, datetime(2026, 11, 28, 10, 0).astimezone(), {}, "key", HostLimits())
    if fee > balance - frozen:
        with pytest.raises(Refusal, match="insufficient_funds"):
            _debit(ctx, "A1", fee, "fee", "ST1")
        after = balance
    else:
        _debit(ctx, "A1", fee, "fee", "ST1")
        after = balance - fee
    (stored,) = conn.execute("SELECT balance_fen FROM accounts").fetchone()
    assert stored == after
    lines = conn.execute("SELECT amount_fen, balance_fen FROM transactions").fetchall()
    assert [tuple(line) for line in lines] == ([(-fee, after)] if after != balance else [])
    conn.close()
