"""Money is integer fen everywhere; yuan appear only when shown to a person."""

from __future__ import annotations


def format_fen(amount_fen: int) -> str:
    """12345 -> '123.45' (no currency sign; the catalog adds 元 or CNY)."""
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
        raise TypeError(f"amounts are integer fen, got {type(amount_fen).__name__}")
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(amount_fen), 100)
    return f"{sign}{yuan:,}.{fen:02d}"
