"""Searching every instance's listed output: the line, the count, and what is read again."""

from __future__ import annotations

from ssmtui.model.fleet_search import FleetSearch, output_needle
from ssmtui.model.types import PluginResult
from tests.fleet_records import step


def listed(name: str, output: str) -> PluginResult:
    finished = step(name)
    return PluginResult(
        name, finished.status, started=finished.started, finished=finished.finished, output=output
    )


def test_only_a_leading_question_mark_searches_the_output() -> None:
    assert output_needle("?No space ") == "No space"
    assert output_needle("web-01") is None


def test_hits_name_the_first_matching_line_ignoring_case_and_count_the_rest() -> None:
    steps = {
        "i-1": (listed("update", "ok\n"), listed("patch", "E: No space left\nno SPACE again\n")),
        "i-2": (listed("patch", "all good\n"),),
    }
    hits = FleetSearch("no space").hits(steps)
    assert set(hits) == {"i-1"}
    assert (hits["i-1"].step, hits["i-1"].line, hits["i-1"].lines) == (
        "patch",
        "E: No space left",
        2,
    )
    assert hits["i-1"].words == "patch: E: No space left (+1 more)"


def test_the_line_shown_is_neutralised_and_a_sequence_cannot_hide_a_match() -> None:
    hidden = "dis\x1b[8mk full\x1b[0m\x1b]52;c;ZXZpbA==\x07"
    hits = FleetSearch("disk full").hits({"i-1": (listed("s", hidden),)})
    assert "\x1b" not in hits["i-1"].line
    assert "\x07" not in hits["i-1"].line
    assert "disk full" in hits["i-1"].line


def test_an_instance_whose_steps_are_the_same_records_is_not_searched_again() -> None:
    search = FleetSearch("boom")
    plugins = (listed("s", "boom\n"),)
    first = search.hits({"i-1": plugins})
    assert search.hits({"i-1": plugins})["i-1"] is first["i-1"]
    again = search.hits({"i-1": (listed("s", "boom\n"),)})  # a new record: searched afresh
    assert again["i-1"] is not first["i-1"]
    assert again["i-1"] == first["i-1"]


def test_the_agents_own_lines_in_output_are_not_what_the_instance_printed() -> None:
    output = "all fine\n----------ERROR-------\nwarning: low memory\n---Error truncated----"
    assert FleetSearch("error").hits({"i-1": (listed("s", output),)}) == {}
    assert FleetSearch("warning").hits({"i-1": (listed("s", output),)})["i-1"].line == (
        "warning: low memory"
    )
