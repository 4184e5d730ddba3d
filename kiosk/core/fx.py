"""Foreign exchange on integer amounts: a foreign amount is integer minor units of its currency (cents
for USD, yen for JPY: ``exponent`` is the currency's ISO 4217 minor-unit digits), yuan are integer fen,
rates are ``Decimal``. Every result is rounded once, half up (ROUND_HALF_UP), as a Chinese bank's
counter rounds the yuan it debits.

Rates are quoted as a Chinese bank's rate board shows them: yuan for 100 units of the foreign currency
(现汇卖出价 718.52: 100 USD cost 718.52 yuan). The SAFE annual quota for a person (USD 50,000 equivalent a
calendar year) counts each purchase at its USD equivalent: the foreign amount times the currency's
USD conversion rate (``usd_per_unit``: 1 for USD, 1.0874 for EUR), in US cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

ANNUAL_QUOTA_USD_CENTS = 5_000_000  # USD 50,000.00 equivalent a person, a calendar year (SAFE)
RATE_UNITS = 100  # a rate is yuan for this many units of the foreign currency


def _check_minor(amount_minor: int) -> None:
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor < 0:
        raise ValueError(f"amounts are non-negative integer minor units, got {amount_minor!r}")


def _check_rate(rate: Decimal) -> None:
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        raise ValueError(f"a rate is a positive Decimal, got {rate!r}")


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cny_fen(amount_minor: int, exponent: int, rate_per_100: Decimal) -> int:
    """The yuan, in fen, that buy ``amount_minor`` at ``rate_per_100`` (yuan for 100 units), half up.

    yuan = units x rate / 100, so fen = units x rate = amount_minor / 10**exponent x rate."""
    _check_minor(amount_minor)
    _check_rate(rate_per_100)
    with localcontext() as ctx:
        ctx.prec = 60  # exact for every amount and rate the bank can hold
        return _half_up(Decimal(amount_minor).scaleb(-exponent) * rate_per_100)


def usd_cents(amount_minor: int, exponent: int, usd_per_unit: Decimal) -> int:
    """What the quota counts for ``amount_minor``: its USD equivalent in cents, half up."""
    _check_minor(amount_minor)
    _check_rate(usd_per_unit)
    with localcontext() as ctx:
        ctx.prec = 60
        return _half_up(Decimal(amount_minor).scaleb(2 - exponent) * usd_per_unit)


def units_to_minor(units: int, exponent: int) -> int:
    """Whole units as typed (500 USD) in minor units (50000 cents)."""
    _check_minor(units)
    return units * 10**exponent


def max_units_within(left_usd_cents: int, exponent: int, usd_per_unit: Decimal) -> int:
    """The most whole units whose USD equivalent fits in ``left_usd_cents`` of the quota."""
    _check_minor(left_usd_cents)
    _check_rate(usd_per_unit)
    per_unit = Decimal(100) * usd_per_unit  # cents for one unit, unrounded
    units = int(Decimal(left_usd_cents) / per_unit)  # near the answer; rounding decides the last unit
    while units > 0 and usd_cents(units_to_minor(units, exponent), exponent, usd_per_unit) > left_usd_cents:
        units -= 1
    while usd_cents(units_to_minor(units + 1, exponent), exponent, usd_per_unit) <= left_usd_cents:
        units += 1
    return units


def format_minor(amount_minor: int, exponent: int) -> str:
    """123456 cents -> '1,234.56'; 10000 yen (exponent 0) -> '10,000' (no currency: the catalog adds it)."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise TypeError(f"amounts are integer minor units, got {type(amount_minor).__name__}")
    sign = "-" if amount_minor < 0 else ""
    units, minor = divmod(abs(amount_minor), 10**exponent)
    return f"{sign}{units:,}" + (f".{minor:0{exponent}d}" if exponent else "")


def format_rate(rate_per_100: Decimal) -> str:
    """A rate as the board shows it, with at least two decimals: Decimal('718.5') -> '718.50'."""
    _check_rate(rate_per_100)
    exponent = rate_per_100.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{rate_per_100:.{places}f}"
