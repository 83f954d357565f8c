"""Summary statistics shared by every benchmark script (one definition of a percentile)."""

from __future__ import annotations

import math
from collections.abc import Iterable

PERCENTILE_METHOD = "nearest-rank"


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0 < q <= 100) by the nearest-rank method.

    The smallest value such that at least q % of the values are at or below it: the value at
    rank ceil(q/100 * n) of the sorted values. It is always one of the measured values, never
    an interpolation. q = 0 gives the minimum.
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def describe(values: Iterable[float], unit: str = "ms", digits: int = 0) -> str:
    """'p50 12 ms, p95 30 ms, max 41 ms (nearest-rank, n=42)' for a benchmark's output."""
    ordered = sorted(values)
    parts = [
        f"{name} {percentile(ordered, q):.{digits}f} {unit}"
        for name, q in (("p50", 50), ("p95", 95))
    ]
    parts.append(f"max {ordered[-1]:.{digits}f} {unit}")
    return f"{', '.join(parts)} ({PERCENTILE_METHOD}, n={len(ordered)})"
