"""The re-run line: what it repeats of the command, how it is quoted, what it refuses."""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from types import MappingProxyType

import pytest

from ssmtui.model.rerun import IDS_A_LINE, Origin, RerunRefused, rerun_lines
from ssmtui.model.status import CommandStatus
from ssmtui.model.text import neutralise
from ssmtui.model.types import Command, OutputLocation

COMMAND = Command(
    "0b7c2a1e-1111-2222-3333-444455556666",
    CommandStatus.FAILED,
    document_name="AWS-RunShellScript",
    document_version="$DEFAULT",
    timeout_seconds=600,
    max_concurrency="10%",
    max_errors="2",
    parameters=MappingProxyType(
        {
            "commands": ("echo 'it''s' $HOME; rm -rf /tmp/x", "naïve \u202e text"),
            "executionTimeout": ("900",),
        }
    ),
    output=OutputLocation("ops-logs", "runs/patch", "eu-west-1", True, "/ssm/patch"),
)
IDS = [f"i-{n:017x}" for n in range(120)]


def words(line: str) -> dict[str, list[str]]:
    """The line as a shell splits it: each option and its values."""
    split = shlex.split(line)
    assert split[:3] == ["aws", "ssm", "send-command"]
    options: dict[str, list[str]] = {}
    for word in split[3:]:
        if word.startswith("--"):
            current = options.setdefault(word, [])
        else:
            current.append(word)
    return options


def test_it_repeats_the_command_for_50_instances_a_line() -> None:
    lines = rerun_lines(COMMAND, list(reversed(IDS)), Origin("eu-west-1", "prod"))
    assert len(lines) == 3
    parsed = [words(line) for line in lines]
    assert [p["--instance-ids"] for p in parsed] == [IDS[:50], IDS[50:100], IDS[100:]]
    assert all(len(p["--instance-ids"]) <= IDS_A_LINE for p in parsed)
    first = parsed[0]
    assert first["--profile"] == ["prod"]
    assert first["--region"] == ["eu-west-1"]
    assert first["--document-name"] == ["AWS-RunShellScript"]
    assert first["--document-version"] == ["$DEFAULT"]
    assert json.loads(first["--parameters"][0]) == {
        name: list(values) for name, values in COMMAND.parameters.items()
    }
    assert first["--timeout-seconds"] == ["600"]
    assert (first["--max-concurrency"], first["--max-errors"]) == (["10%"], ["2"])
    assert first["--output-s3-bucket-name"] == ["ops-logs"]
    assert first["--output-s3-key-prefix"] == ["runs/patch"]
    assert json.loads(first["--cloud-watch-output-config"][0]) == {
        "CloudWatchOutputEnabled": True,
        "CloudWatchLogGroupName": "/ssm/patch",
    }
    assert first["--comment"] == ["re-run of 0b7c2a1e on its failed instances (1 of 3)"]


def test_the_line_holds_nothing_a_terminal_or_clipboard_would_act_on() -> None:
    (line,) = rerun_lines(COMMAND, IDS[:2], Origin("eu-west-1"))
    assert line.isascii()
    assert line.isprintable()
    assert neutralise(line) == line
    assert "\\u202e" in line  # the bidi override travels escaped, and AWS gets it back whole


@pytest.mark.parametrize(
    ("changed", "named"),
    [
        ({"document_name": "Evil\x1b]52;c;x\x07"}, "document name"),
        ({"document_version": "$(reboot)"}, "document version"),
        ({"max_errors": "1; rm -rf /"}, "MaxErrors"),
        ({"output": OutputLocation("arn:aws:s3:::bucket")}, "bucket"),
        ({"output": OutputLocation("ops-logs", "runs\nrm -rf /")}, "key prefix"),
        ({"service_role": "arn:aws:iam::123456789012:role/x y"}, "service role"),
        ({"command_id": "0b7c2a1e\x1b]52;c;x\x07-2222-3333-444455556666"}, "command id"),
    ],
)
def test_a_value_a_shell_line_cannot_carry_is_refused_by_name(
    changed: dict[str, object], named: str
) -> None:
    with pytest.raises(RerunRefused, match=named):
        rerun_lines(replace(COMMAND, **changed), IDS[:1], Origin())  # type: ignore[arg-type]


def test_ids_that_are_not_instance_ids_or_none_at_all_are_refused() -> None:
    with pytest.raises(RerunRefused, match="not instance ids"):
        rerun_lines(COMMAND, ["i-0123456789abcdef0", "i-1; reboot"], Origin())
    with pytest.raises(RerunRefused, match="no instance"):
        rerun_lines(COMMAND, [], Origin())
