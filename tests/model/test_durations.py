"""A step's spread of durations, its histogram, and the stragglers rule."""

from __future__ import annotations

from types import MappingProxyType

from ssmtui.model.durations import (
    MIN_FINISHED,
    STRAGGLER_GLYPH,
    histogram_lines,
    spread,
    stragglers,
)
from ssmtui.model.types import SKIPPED_BY_PRECONDITION, InvocationSet, PluginResult
from tests.fleet_records import NOW, command, invocation, step


def finished_in(*seconds: float, name: str = "patch") -> dict[str, tuple[PluginResult, ...]]:
    return {f"i-{n:03d}": (step(name, took=s, seconds_ago=600),) for n, s in enumerate(seconds)}


def test_the_spread_is_over_finished_runs_only_shortest_first() -> None:
    steps = finished_in(30, 10, 20)
    steps["i-run"] = (step("patch", "InProgress", seconds_ago=900),)
    steps["i-skip"] = (
        PluginResult(
            "patch",
            step("patch").status,
            started=NOW,
            finished=NOW,
            output=f"{SKIPPED_BY_PRECONDITION}: 'platformType'",
        ),
    )
    steps["i-other"] = (step("reboot", took=500),)
    found = spread(steps, "patch")
    assert found is not None
    assert found.seconds == (10.0, 20.0, 30.0)
    assert spread(steps, "nothing") is None


def test_percentiles_are_nearest_rank() -> None:
    found = spread(finished_in(*range(1, 21)), "patch")
    assert found is not None
    assert found.percentile(0.5) == 10
    assert found.percentile(0.95) == 19
    assert found.slower_than(15) == 70  # 14 of 20 took less


def test_the_histogram_counts_each_span_and_marks_where_one_instance_falls() -> None:
    found = spread(finished_in(0, 1, 2, 3, 100), "patch")
    assert found is not None
    assert found.cells(4) == (4, 0, 0, 1)
    words, bars, place = histogram_lines(found, 100, of=7, width=4)
    assert "5 instances that finished it (7 read)" in words
    assert "median 2s" in words
    assert bars == "0s █  ▂ 1m40s"
    assert place.index("▲") == bars.index("▂")
    assert "this one 1m40s, slower than 80%" in place


def test_no_marker_without_a_time_of_its_own() -> None:
    found = spread(finished_in(5, 9), "patch")
    assert found is not None
    assert len(histogram_lines(found, None, of=2)) == 2


def running_fleet(
    finished: int, running_for: dict[str, float]
) -> tuple[InvocationSet, dict[str, tuple[PluginResult, ...]]]:
    of = command(1)
    steps = finished_in(*range(60, 60 + finished))  # 60 s ... 60+n-1 s
    records = {iid: invocation(of, iid, "Success", *plugins) for iid, plugins in steps.items()}
    for iid, seconds in running_for.items():
        records[iid] = invocation(of, iid, "InProgress")
        steps[iid] = (step("patch", "InProgress", seconds_ago=seconds),)
    return InvocationSet(MappingProxyType(records), NOW), steps


def test_a_straggler_runs_longer_than_the_95th_percentile_of_those_that_finished() -> None:
    invocations, steps = running_fleet(20, {"i-slow": 500, "i-fine": 70})
    found = stragglers(invocations, steps, NOW)
    assert set(found) == {"i-slow"}
    slow = found["i-slow"]
    assert slow.p95 == 78
    assert slow.running == 500
    assert slow.words.startswith(f"{STRAGGLER_GLYPH} slow: patch 8m20s")


def test_too_few_finished_call_no_one_a_straggler() -> None:
    invocations, steps = running_fleet(MIN_FINISHED - 1, {"i-slow": 5000})
    assert stragglers(invocations, steps, NOW) == {}


def test_an_instance_that_finished_since_the_steps_were_read_is_no_straggler() -> None:
    invocations, steps = running_fleet(20, {"i-slow": 500})
    done = dict(invocations.by_instance)
    done["i-slow"] = invocation(command(1), "i-slow", "Success")
    finished = InvocationSet(MappingProxyType(done), NOW)
    assert stragglers(finished, steps, NOW) == {}


def test_a_time_on_a_bound_is_marked_under_the_bar_that_counts_it() -> None:
    found = spread(finished_in(0, 25, 50, 100), "patch")
    assert found is not None
    cells = found.cells(4)  # bounds at 25, 50, 75: 25 and 50 go to the spans below them
    assert cells == (2, 1, 0, 1)
    for seconds in found.seconds:
        assert cells[found.cell_of(seconds, 4)] > 0
    assert [found.cell_of(s, 4) for s in found.seconds] == [0, 0, 1, 3]
