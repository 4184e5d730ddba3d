"""Unified social credit codes (统一社会信用代码, GB 32100-2015): the 18 characters every registered
organisation in China carries, printed on its business licence (营业执照) with a QR code.

The code is: 1 the registration authority (登记管理部门代码: 9 market regulation, 5 civil affairs, ...), 2 the
organisation type within that authority (机构类别代码: for market regulation 1 enterprise, 2 individual business,
3 farmers' cooperative), 3-8 the registering authority's administrative division (6 digits), 9-17 the
organisation's own identifier (主体标识码), and 18 a check character. The characters are 0-9 and the capital
letters without I, O, Z, S and V (31 characters); the check character makes the weighted sum of all 18, with
the weights 3^(i-1) mod 31 (1, 3, 9, 27, 19, ...), a multiple of 31. A weight is never 0 mod 31 and 31 is
prime, so any single changed character, and any swap of two neighbours among the first 17, is caught.

:func:`problem` names the first thing wrong with a code (as a customer typed it: spaces and lower case
are forgiven by :func:`normalize`); :func:`parse` gives its parts; :func:`make` completes 17 characters with
their check character. Pure: no I/O, used by flows, the host and the tests alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.digits import ascii_digits

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the 31 characters, valued 0..30 in this order
LENGTH = 18
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MODULUS = 31
NEVER_USED = "IOZSV"  # letters left out so they are not taken for 1, 0, 2, 5 and U

# Registration authorities (登记管理部门代码) and, per authority, the organisation types (机构类别代码) they
# register, by the names the kiosk's catalogs use (credit_code.authority.<id>, credit_code.type.<id>).
AUTHORITIES: dict[str, str] = {
    "1": "establishment",  # 机构编制
    "2": "foreign_affairs",  # 外交
    "3": "justice",  # 司法行政
    "4": "culture",  # 文化
    "5": "civil_affairs",  # 民政
    "6": "tourism",  # 旅游
    "7": "religion",  # 宗教
    "8": "trade_union",  # 工会
    "9": "market_regulation",  # 工商 (市场监督管理)
    "A": "military",  # 中央军委改革和编制办公室
    "N": "agriculture",  # 农业
    "Y": "other",  # 其他
}
ORGANISATION_TYPES: dict[str, dict[str, str]] = {
    "1": {"1": "government_body", "2": "public_institution", "3": "mass_organisation", "9": "other"},
    "2": {"1": "foreign_press", "9": "other"},
    "3": {"1": "law_firm", "2": "notary_office", "3": "legal_service", "4": "forensic_institution",
          "5": "arbitration_commission", "9": "other"},
    "4": {"1": "foreign_cultural_centre", "9": "other"},
    "5": {"1": "social_organisation", "2": "private_non_enterprise", "3": "foundation", "9": "other"},
    "6": {"1": "foreign_tourism_office", "2": "hk_macao_taiwan_tourism_office", "9": "other"},
    "7": {"1": "place_of_worship", "2": "religious_school", "9": "other"},
    "8": {"1": "grassroots_union", "9": "other"},
    "9": {"1": "enterprise", "2": "individual_business", "3": "farmers_cooperative"},
    "A": {"1": "military_institution", "9": "other"},
    "N": {"1": "group_collective", "2": "village_collective", "3": "township_collective", "9": "other"},
    "Y": {"1": "other"},
}
MARKET_REGULATION = "9"  # the authority that issues business licences (营业执照)

_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_TOKEN = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


class Problem(StrEnum):
    """What is wrong with a code, the first found in this order."""

    LENGTH = "length"  # not 18 characters
    CHARACTER = "character"  # a character outside the 31 (I, O, Z, S, V, a sign)
    AUTHORITY = "authority"  # the first character names no registration authority
    ORGANISATION_TYPE = "organisation_type"  # the second is no type that authority registers
    REGION = "region"  # characters 3-8 are not six digits
    CHECK = "check"  # the check character does not match the other 17


@dataclass(frozen=True)
class CreditCode:
    code: str
    authority: str  # the first character
    organisation_type: str  # the second
    region: str  # characters 3-8: the administrative division of the registering authority
    identifier: str  # characters 9-17 (主体标识码)
    check: str  # character 18

    @property
    def authority_name(self) -> str:
        return AUTHORITIES[self.authority]

    @property
    def organisation_type_name(self) -> str:
        return ORGANISATION_TYPES[self.authority][self.organisation_type]

    @property
    def is_business_licence(self) -> bool:
        """Registered by market regulation: an enterprise, an individual business or a farmers' cooperative,
        whose certificate is a business licence."""
        return self.authority == MARKET_REGULATION


class InvalidCreditCode(ValueError):
    def __init__(self, code: str, problem: Problem) -> None:
        super().__init__(f"not a unified social credit code: {problem.value}")
        self.code = code
        self.problem = problem


def normalize(text: str) -> str:
    """As typed or read: full-width characters made ASCII, spaces and hyphens dropped, letters in capitals."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-]", "", folded).upper()


def check_character(first17: str) -> str:
    """The check character that completes 17 characters of the alphabet into a code."""
    if len(first17) != LENGTH - 1 or any(char not in _VALUES for char in first17):
        raise ValueError("17 characters from 0-9 and A-Y without I, O, Z, S, V")
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(MODULUS - total % MODULUS) % MODULUS]


def problem(code: str) -> Problem | None:
    """None when ``code`` (already normalized) is a well-formed code with the right check character."""
    if len(code) != LENGTH:
        return Problem.LENGTH
    if any(char not in _VALUES for char in code):
        return Problem.CHARACTER
    if code[0] not in AUTHORITIES:
        return Problem.AUTHORITY
    if code[1] not in ORGANISATION_TYPES[code[0]]:
        return Problem.ORGANISATION_TYPE
    if not ascii_digits(code[2:8]):
        return Problem.REGION
    if check_character(code[:17]) != code[17]:
        return Problem.CHECK
    return None


def parse(text: str) -> CreditCode:
    """The parts of a code as typed (normalized first); InvalidCreditCode naming the problem otherwise."""
    code = normalize(text)
    found = problem(code)
    if found is not None:
        raise InvalidCreditCode(code, found)
    return CreditCode(code, code[0], code[1], code[2:8], code[8:17], code[17])


def make(authority: str, organisation_type: str, region: str, identifier: str) -> str:
    """A code from its parts, with its check character (ValueError when a part does not fit)."""
    first17 = f"{authority}{organisation_type}{region}{identifier}"
    code = first17 + check_character(first17)
    found = problem(code)
    if found is not None:
        raise ValueError(f"the parts make no valid code: {found.value}")
    return code


def find_in(text: str) -> str | None:
    """The code in what a licence's QR code says: the code itself, or a link that carries it (the
    national enterprise credit system's page for the company). The first run of exactly 18 digits and
    capitals that is a valid code, else the first such run (for :func:`problem` to name what is wrong);
    None when there is none."""
    runs = _TOKEN.findall(unicodedata.normalize("NFKC", text).upper())
    return next((run for run in runs if problem(run) is None), runs[0] if runs else None)
