"""Property tests: add-ranges expand like a reference loop in exact decimals."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from modelmap.jobs import load_job

from ._helpers import add, job, meta


@st.composite
def add_ranges(draw: st.DrawFn) -> tuple[object, object, object, list[object]]:
    """(min, max, step, reference values) for an add range counting up or down."""
    decimals = draw(st.sampled_from([0, 1, 2]))
    start = draw(st.integers(-500, 500))
    span = draw(st.integers(0, 400))
    step = draw(st.integers(1, 60))
    if draw(st.booleans()):
        span, step = -span, -step
    scale = Decimal(10) ** decimals
    low, high, delta = (Decimal(n) / scale for n in (start, start + span, step))
    reference = []
    value = low
    while (value <= high) if step > 0 else (value >= high):
        reference.append(value)
        value += delta
    if decimals == 0:
        return int(low), int(high), int(delta), [int(v) for v in reference]
    return float(low), float(high), float(delta), [float(v) for v in reference]


@settings(max_examples=80, deadline=None)
@given(add_ranges(), st.lists(st.integers(0, 9), min_size=1, max_size=3, unique=True))
def test_add_ranges_expand_like_a_reference_loop(
    spec: tuple[object, object, object, list[object]], listed: list[int]
) -> None:
    low, high, step, reference = spec
    entry = {"title": "R {r} {v}", "method": "m", "r": add(low, high, step), "v": meta(values=listed)}
    loaded = load_job(job(entry))
    got = [(c.args["r"], c.args["v"]) for c in loaded.classifiers]
    expected = [(r, v) for r in reference for v in listed]
    assert got == expected
    assert [type(r) for r, _ in got] == [type(r) for r, _ in expected]
    assert len({c.title for c in loaded.classifiers}) == len(expected)
    plain = loaded.to_dict()
    again = load_job(plain)
    assert again == loaded
    assert again.to_dict() == plain
