"""The one rounding rule of ucj, and exact rates.

Rates come from the rule files as exact decimals and are held as `Fraction`s of the base. A
contribution is computed per participant, per month, per program and payer share as
`base x rate (x relief share)`, exactly, then rounded half up to the whole rupiah *once*, here. The
line amount is that whole-rupiah figure times the number of participants, so every total is a sum of
integers and every breakdown adds up exactly.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_half_up(amount: Fraction | int) -> int:
    """Round a non-negative exact amount to the whole rupiah, halves up (Rp 0.5 -> Rp 1)."""
    if amount < 0:
        raise ValueError("contributions are never negative")
    amount = Fraction(amount)
    return (2 * amount.numerator + amount.denominator) // (2 * amount.denominator)


def percent(text: str) -> Fraction:
    """Exact fraction of the base from a percentage written as a decimal ("0.445" -> 0.445%)."""
    return Fraction(Decimal(text)) / 100


def format_percent(rate: Fraction) -> str:
    """A rate as the percentage the regulation writes, exactly ("0.445")."""
    value = Decimal(rate.numerator) * 100 / Decimal(rate.denominator)
    text = format(value.normalize(), "f")
    return text


def rupiah(amount: int) -> str:
    """Thousands separated with commas: 1234567 -> '1,234,567'."""
    return f"{amount:,}"
