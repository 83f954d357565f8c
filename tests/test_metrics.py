"""The shared percentile (nearest-rank) used by every benchmark."""

from __future__ import annotations

import pytest

from knowledge.metrics import describe, percentile


def test_nearest_rank_on_the_textbook_example():
    values = [15, 20, 35, 40, 50]
    assert percentile(values, 5) == 15
    assert percentile(values, 30) == 20
    assert percentile(values, 40) == 20
    assert percentile(values, 50) == 35
    assert percentile(values, 100) == 50


def test_p95_of_42_samples_is_the_40th_value_not_the_39th():
    values = list(range(1, 43))  # 1..42, shuffled order must not matter
    assert percentile(reversed(values), 95) == 40
    assert percentile(values, 50) == 21


def test_every_percentile_is_a_measured_value():
    values = [0.3, 7.5, 1.25, 9.0]
    for q in range(0, 101, 5):
        assert percentile(values, q) in values
    assert percentile(values, 0) == 0.3
    assert percentile([4.0], 95) == 4.0


@pytest.mark.parametrize("q", [-1, 100.5])
def test_out_of_range_is_refused(q):
    with pytest.raises(ValueError):
        percentile([1, 2], q)


def test_no_values_is_refused():
    with pytest.raises(ValueError):
        percentile([], 50)


def test_describe_states_the_method_and_count():
    assert describe([10, 20, 30, 40]) == "p50 20 ms, p95 40 ms, max 40 ms (nearest-rank, n=4)"
