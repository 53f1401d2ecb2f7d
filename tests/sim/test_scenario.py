"""Scenario files: the built-ins load, and every mistake is named by line and field."""

from __future__ import annotations

import pytest

from ssmtui.sim import BUILTIN_SCENARIOS
from ssmtui.sim.scenario import (
    ScenarioError,
    load_scenario,
    parse_duration,
    parse_scenario,
)

VALID = """\
[scenario]
name = "two"

[[group]]
count = 2
name = "web-{n:02d}"
tags = { role = "web" }

[[command]]
document = "AWS-RunShellScript"
targets = "tag:role=web"
at = "-5m"
duration = "10s..2m"
"""


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_builtin_scenarios_load(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.instances
    assert scenario.commands


def test_default_fleet_has_the_documents_and_platforms_a_morning_needs() -> None:
    scenario = load_scenario("default")
    assert 30 <= len(scenario.instances) <= 60
    assert {i.platform for i in scenario.instances} >= {"Linux", "Windows"}
    documents = {c.document for c in scenario.commands}
    assert documents >= {
        "AWS-RunShellScript",
        "AWS-RunPowerShellScript",
        "AWS-RunPatchBaseline",
        "Deploy-WebApp",
    }
    assert len(scenario.documents["Deploy-WebApp"].steps) > 1


def test_a_valid_file_parses_into_its_parts() -> None:
    scenario = parse_scenario(VALID)
    assert [i.name for i in scenario.instances] == ["web-01", "web-02"]
    command = scenario.commands[0]
    assert command.at == -300
    assert command.duration == (10.0, 120.0)
    assert command.targets.kind == "tag"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace('"-5m"', '"five minutes"'), "<scenario>:12: command[1].at: expected a"),
        (VALID.replace("count = 2", "count = 0"), "<scenario>:5: group[1].count: expected a whole"),
        (VALID.replace("count = 2", "cuont = 2"), "<scenario>:5: group[1]: unknown field 'cuont'"),
        (
            VALID.replace('targets = "tag:role=web"', 'targets = "everyone"'),
            "<scenario>:11: command[1].targets: expected 'all'",
        ),
        (
            VALID.replace('"AWS-RunShellScript"', '"Nope-Doc"'),
            "<scenario>:10: command[1].document: unknown document 'Nope-Doc'",
        ),
        (
            VALID.replace('"10s..2m"', '"2m..10s"'),
            "<scenario>:13: command[1].duration: the range '2m..10s' runs backwards",
        ),
        (VALID.replace('name = "two"\n', ""), "<scenario>:1: scenario: 'name' is missing"),
        (VALID + "max_errors = 'lots'\n", "<scenario>:14: command[1].max_errors: expected a"),
        (
            VALID + "[[commands]]\n",
            "<scenario>:14: commands: unknown table; did you mean 'command'",
        ),
        (VALID + "targets = [\n", "<scenario>:14: syntax:"),
        (
            VALID.replace('targets = "tag:role=web"', 'targets = ["web-01", "web-99"]'),
            "<scenario>:11: command[1].targets: no instance is named 'web-99'",
        ),
        (
            VALID.replace('"web-{n:02d}"', '"web-{x}"'),
            "<scenario>:6: group[1].name: 'web-{x}' is not a name pattern",
        ),
        # What a file cannot make the simulator do: evaluate code, serve impossible times,
        # merge instances, run platforms that do not exist, or flood its store.
        (
            VALID.replace('"web-{n:02d}"', '"{n.__class__.__mro__}"'),
            "<scenario>:6: group[1].name: '{n.__class__.__mro__}' is not a name pattern such as"
            " 'web-{n:02d}': only {n} may be filled in",
        ),
        (
            VALID.replace('"web-{n:02d}"', '"web-{n!r}"'),
            "<scenario>:6: group[1].name: 'web-{n!r}' is not a name pattern",
        ),
        (
            VALID.replace('"web-{n:02d}"', '"web-{n:{n}}"'),
            "<scenario>:6: group[1].name: 'web-{n:{n}}' is not a name pattern",
        ),
        (
            VALID.replace('"web-{n:02d}"', '"web-{n:zz}"'),
            "<scenario>:6: group[1].name: 'web-{n:zz}' is not a name pattern",
        ),
        (
            VALID + '[[instance]]\nname = "a"\nid = "i-0123456789abcdef0"\n'
            '[[instance]]\nname = "b"\nid = "i-0123456789abcdef0"\n',
            "<scenario>:19: instance[2].id: i-0123456789abcdef0 is already instance[1]'s id",
        ),
        (
            VALID + '[[document]]\nname = "Mine"\nsteps = ["a"]\nplatforms = ["Linux", "BeOS"]\n',
            "<scenario>:17: document[1].platforms: expected platforms from Linux, Windows, "
            "MacOS, got 'BeOS'",
        ),
        (
            VALID + '[[document]]\nname = "AWS-RunShellScript"\nsteps = ["a"]\n',
            "<scenario>:15: document[1].name: 'AWS-RunShellScript' is already a built-in",
        ),
        (
            VALID + 'every = "1ms"\n',
            "<scenario>:14: command[1].every: expected at least 10s between repeats, got '1ms'",
        ),
        (
            VALID + 'every = "10s"\ncount = 50\n',
            "<scenario>:14: command[1].every: 50 copies every 10s is more than 1 command a second",
        ),
        (
            VALID + 'alarm_after = "2m"\n',
            "<scenario>:14: command[1].alarm_after: an alarm can only go off when the command "
            "has one: set 'alarm' too",
        ),
        (
            VALID.replace('at = "-5m"', 'at = "-99999999d"'),
            "<scenario>:12: command[1].at: expected at most 3650 days, got '-99999999d'",
        ),
        (
            VALID.replace('"10s..2m"', "inf"),
            "<scenario>:13: command[1].duration: expected at most 3650 days, got inf",
        ),
        (
            VALID.replace('"10s..2m"', "nan"),
            "<scenario>:13: command[1].duration: expected at most 3650 days, got nan",
        ),
    ],
)
def test_errors_name_the_line_and_the_field(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    assert str(caught.value).startswith(expected)


def test_a_missing_file_says_what_it_looked_for(tmp_path: object) -> None:
    with pytest.raises(ScenarioError, match="no such file, and not a built-in scenario"):
        load_scenario("/nonexistent/fleet.toml")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), (90, 90), ("1.5m", 90), ("2h", 7200), ("250ms", 0.25), ("1d", 86400)],
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_negative_durations_only_where_an_offset_is_meant() -> None:
    assert parse_duration("-5m", signed=True) == -300
    with pytest.raises(ValueError, match="must not be negative"):
        parse_duration("-5m")
