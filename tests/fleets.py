"""Small scenarios for tests: a fleet of Linux nodes and one kind of command on it."""

from __future__ import annotations

from ssmtui.sim.scenario import Scenario, parse_scenario


def _toml(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def fleet(instances: int, **command: object) -> Scenario:
    """``instances`` nodes named node-001...; with fields, one [[command]] on all of them.

    The command runs AWS-RunShellScript on every node unless the fields say otherwise; field
    names and values are those of the scenario file format.
    """
    lines = [
        "[scenario]",
        'name = "test fleet"',
        "[[group]]",
        f"count = {instances}",
        'name = "node-{n:03d}"',
    ]
    if command:
        fields = {"document": "AWS-RunShellScript", "targets": "all", **command}
        lines.append("[[command]]")
        lines += [f"{key} = {_toml(value)}" for key, value in fields.items()]
    return parse_scenario("\n".join(lines))
