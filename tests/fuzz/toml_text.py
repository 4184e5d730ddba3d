"""TOML values of any shape for the fuzz tests of the files people write (config, scenarios, card files)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import strategies as st

bmp_text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=12)
scalars = (
    st.integers(-(2**63), 2**63 - 1) | st.booleans() | bmp_text
    | st.floats(allow_nan=True, allow_infinity=True) | st.dates(min_value=date(1, 1, 1))
    | st.sampled_from(["sim", "serial", "pcsc", "zh_CN", "A000000333010101", "0", "-1", "１２", "长期"])
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8), inner, max_size=3), max_leaves=8)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int | date):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(tables: dict[str, dict[str, Any]]) -> str:
    """``tables`` as a TOML document: each a ``[table]`` of ``key = value`` lines ("" is the root)."""
    lines = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in tables.get("", {}).items()]
    for name, table in tables.items():
        if name:
            lines.append("[" + ".".join(json.dumps(part) for part in name.split(".")) + "]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"
