"""The one rounding rule of ucj, and exact rates.

Rates come from the rule files as exact decimals and are held as `Fraction`s of the base. A
contribution is computed per participant, per month, per program and payer share as `base x rate`,
exactly, then rounded half up to the whole rupiah, here (a relief that is a share of the normal
contribution takes that share of the rounded amount and rounds half up again). The
line amount is that whole-rupiah figure times the number of participants, so every total is a sum of
integers and every breakdown adds up exactly.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


# The largest figure ucj writes: 15 significant digits, what a spreadsheet shows and recalculates
# exactly (Excel keeps 15; JSON readers such as JavaScript keep integers exactly up to 2^53, about
# 9.007e15). A regional budget is far below it (Rp 999 trillion is a third of the national budget).
MAX_FIGURE = 10**15 - 1


def round_half_up(amount: Fraction | int) -> int:
    """Round a non-negative exact amount to the whole rupiah, halves up (Rp 0.5 -> Rp 1)."""
    if amount < 0:
        raise ValueError("contributions are never negative")
    amount = Fraction(amount)
    return (2 * amount.numerator + amount.denominator) // (2 * amount.denominator)


def rounded(value: Fraction | int, places: int) -> Fraction:
    """An exact value rounded half up (a half away from zero) to `places` decimals, still exact:
    the same rule for ratios and percentages written out (`float(rounded(ratio, 6))` in JSON) as
    for rupiah, never a binary float's half-even `round`."""
    scale = 10**places  # in whole numbers: |n| x scale / d, halves up (a JSON result rounds a rate a month)
    numerator, denominator = value.numerator, value.denominator
    whole = (2 * abs(numerator) * scale + denominator) // (2 * denominator)
    return Fraction(-whole if numerator < 0 else whole, scale)


def percent(text: str) -> Fraction:
    """Exact fraction of the base from a percentage written as a decimal ("0.445" -> 0.445%)."""
    return Fraction(Decimal(text)) / 100


def format_percent(rate: Fraction) -> str:
    """A rate as the percentage the regulation writes, exactly ("0.445")."""
    value = Decimal(rate.numerator) * 100 / Decimal(rate.denominator)
    return format(value.normalize(), "f")


def share_of(amount: int, share: Fraction) -> int:
    """A relief's share of a contribution that would otherwise be paid (already whole rupiah),
    rounded half up again: PP 50/2025 art. 4(1) sets the relief as "50% dari Iuran ... yang
    seharusnya dibayarkan", a share of the rupiah amount, not of the rate."""
    return round_half_up(amount * share)
