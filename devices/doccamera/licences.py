"""The demo companies' business licences (营业执照) the document camera simulator can be shown: what is printed
on each, from assets/sim/people.toml (``[[corporate_company]]``, the same records the host simulator registers:
one source for both sides). The legal representative's name comes from the person record the company names.

All invented: the codes are well formed (GB 32100-2015) but belong to no real company, and every picture of
a licence is marked as a demo specimen.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

TABLE = "corporate_company"  # people.toml's table of demo companies
INDIVIDUAL_BUSINESS = "individual_business"


@dataclass(frozen=True)
class Licence:
    """What one business licence says, in the words printed on it."""

    key: str  # the company's key in people.toml
    credit_code: str  # 统一社会信用代码, also in the QR code
    name: str  # 名称
    kind: str  # enterprise, individual_business, farmers_cooperative
    legal_form: str  # 类型, as printed: 有限责任公司（自然人独资）, 个体工商户 ...
    representative: str  # 法定代表人 (经营者 for an individual business), the person's name
    capital: str  # 注册资本, in words ("" for an individual business)
    established: date  # 成立日期 (注册日期)
    term: str  # 营业期限 ("长期", or to a date)
    address: str  # 住所 (经营场所)
    scope: str  # 经营范围
    authority: str  # 登记机关
    issued: date  # the date under the authority's seal
    qr_text: str  # what the QR code says: the national enterprise credit system's page for the company

    @property
    def individual(self) -> bool:
        return self.kind == INDIVIDUAL_BUSINESS


QR_URL = "http://www.gsxt.gov.cn/corp-query-entprise-info-{code}.html"


def load_licences(people_toml: Path) -> dict[str, Licence]:
    """Every demo company's licence, by the company's key."""
    with people_toml.open("rb") as handle:
        data = tomllib.load(handle)
    names = {str(p["key"]): str(p["name"]) for p in data.get("person", [])}
    return {str(c["key"]): _licence(c, names) for c in data.get(TABLE, [])}


def _licence(raw: dict[str, Any], names: dict[str, str]) -> Licence:
    code = str(raw["credit_code"])
    representative = str(raw["representative"])
    return Licence(
        key=str(raw["key"]), credit_code=code, name=str(raw["name"]), kind=str(raw["kind"]),
        legal_form=str(raw["legal_form"]), representative=names.get(representative, representative),
        capital=str(raw.get("capital", "")), established=_date(raw["established"]), term=str(raw.get("term", "长期")),
        address=str(raw["address"]), scope=str(raw["scope"]), authority=str(raw["authority"]),
        issued=_date(raw.get("issued", raw["established"])), qr_text=QR_URL.format(code=code),
    )


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    raise ValueError(f"people.toml [[{TABLE}]]: dates are written YYYY-MM-DD, not {value!r}")
