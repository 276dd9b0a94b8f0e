"""Comparing a printed number with one computed from other numbers, allowing for rounding.

A printed value is taken to stand for the interval its rounding allows (36% means
[35.5, 36.5)); a computation from rounded inputs is carried out on intervals, so a
verdict never depends on which end of a rounding interval the true value lies.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def overlaps(self, other: "Interval") -> bool:
        """Rounding intervals are half-open, so two that only touch do not overlap;
        a single value (lo == hi) overlaps an interval that contains it."""
        if self.lo == self.hi or other.lo == other.hi:
            point, span = (self, other) if self.lo == self.hi else (other, self)
            return span.lo - 1e-9 <= point.lo <= span.hi + 1e-9
        return max(self.lo, other.lo) < min(self.hi, other.hi) - 1e-12

    def __truediv__(self, other: "Interval") -> "Interval":
        if other.lo <= 0 <= other.hi:  # a denominator that may be zero bounds nothing
            return Interval(float("-inf"), float("inf"))
        ends = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)
                if not (math.isinf(a) and math.isinf(b))]  # inf/inf: the other ends bound it
        return Interval(min(ends), max(ends))

    def __mul__(self, other: "Interval") -> "Interval":
        ends = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return Interval(min(ends), max(ends))

    def scale(self, k: float) -> "Interval":
        return Interval(min(self.lo * k, self.hi * k), max(self.lo * k, self.hi * k))


def decimals_of(text: str) -> int:
    """Decimal places as printed: '4.5' -> 1, '36' -> 0."""
    exponent = Decimal(str(text)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def printed(value: float, qualifier: str = "exact", decimals: int | None = None, text: str | None = None) -> Interval:
    """The interval a printed number stands for.

    exact counts: the value itself; rounded values: half a unit of the last printed digit
    (20.5 million -> +/- 0.05 million); approx: +/- 5%; at_least: [value, inf);
    less_than (a censored cell such as "<50"): [0, value) -- the publisher does not say
    whether the count is 0 or 49, so the interval starts at 0 and the value is never used as a count.
    """
    if qualifier == "less_than":
        return Interval(0.0, value)
    if qualifier == "at_least":
        return Interval(value, float("inf"))
    if qualifier == "at_most":  # a text's 'up to', 'less than', 'aged 15 and under'
        return Interval(float("-inf"), value)
    if qualifier == "approx":
        return Interval(value * 0.95, value * 1.05)
    if qualifier in ("rounded", "estimate") or decimals is not None:
        step = _step(value, decimals, text)
        return Interval(value - step / 2, value + step / 2)
    return Interval(value, value)


def _step(value: float, decimals: int | None, text: str | None) -> float:
    if decimals is not None:
        return 10.0 ** -decimals
    if text is not None:
        return 10.0 ** -decimals_of(text)
    if not float(value).is_integer():  # 78.8 stands for [78.75, 78.85): its own last decimal is the unit
        return 10.0 ** -decimals_of(repr(float(value)))
    # A rounded whole number: the last non-zero digit is the rounding unit (20,500,000 -> 100,000).
    v = int(round(abs(value)))
    if v == 0:
        return 1.0
    step = 1
    while v % (step * 10) == 0:
        step *= 10
    return float(step)


def agrees(printed_value: float, computed: Interval | float, qualifier: str = "rounded", decimals: int | None = None) -> bool:
    """Does a printed number agree with a computed value (or interval) within its rounding?"""
    if not isinstance(computed, Interval):
        computed = Interval(computed, computed)
    return printed(printed_value, qualifier, decimals).overlaps(computed)


def _row_names(rows) -> str:
    cols = [c for c in ("source_id", "indicator", "geography", "period", "breakdown") if c in rows]
    return "; ".join(" ".join(str(v) for v in r if str(v)) for r in rows[cols].itertuples(index=False))


def sum_values(rows) -> float:
    """The plain sum of an observation frame's values, refusing censored rows.

    A censored value ('<50', qualifier less_than) is a bound, not a count: it is never added as
    0 nor as 50. Raises ValueError naming the censored rows; use sum_interval() for such parts.
    """
    censored = rows[rows["qualifier"] == "less_than"]
    if len(censored):
        raise ValueError(f"cannot add censored values (qualifier less_than) as numbers: {_row_names(censored)}; use sum_interval()")
    return float(rows["value"].sum())


def sum_interval(rows) -> Interval:
    """The interval the sum of an observation frame's values lies in.

    Each value stands for its printed interval (exact: itself; rounded: its rounding interval;
    less_than: [0, bound)), and the ends add up. Censored parts widen the interval; they are
    never taken as 0.
    """
    lo = hi = 0.0
    for value, qualifier in zip(rows["value"], rows["qualifier"]):
        part = printed(float(value), qualifier)
        lo, hi = lo + part.lo, hi + part.hi
    return Interval(lo, hi)
