"""A ready ``aws ssm send-command`` line that re-runs a command on exactly its failed instances.

ssmtui only reads: it shows and copies the line, and the operator decides to run it. The line
repeats what the original asked for (document and version, parameters, delivery timeout,
concurrency and error limits, output to S3 and CloudWatch Logs, service role) and targets
instance ids, at most 50 a line (SendCommand's limit for ``InstanceIds``).

Every value comes from AWS and goes to a shell, a screen and a clipboard: each must match the
pattern the API documents for it, parameters go as JSON with every non-ASCII character
escaped, and each value is quoted for a POSIX shell. A value that fails its pattern is named in
a refusal, and no line is made.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from ssmtui.model.command_id import is_whole
from ssmtui.model.filters import DOCUMENT_NAME, INSTANCE_ID
from ssmtui.model.step_text import is_plain_bucket
from ssmtui.model.types import Command

IDS_A_LINE = 50
"""SendCommand takes at most 50 InstanceIds."""

_VERSION = re.compile(r"\$LATEST|\$DEFAULT|[1-9][0-9]{0,7}")
_LIMIT = re.compile(r"[0-9]{1,7}%?")
_PLAIN = re.compile(r"[A-Za-z0-9_.:/#=+@-]{1,512}")
"""Key prefixes, log group names, regions, profiles and role ARNs: printable ASCII without
quotes or spaces (the patterns the API reference gives for each are narrower)."""
_ROLE = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}")


class RerunRefused(ValueError):
    """One sentence: which value of the command cannot go into a shell line, and why."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the command was read: the line says it, so it runs in the same place."""

    region: str = ""
    profile: str | None = None


def rerun_lines(command: Command, instance_ids: Sequence[str], where: Origin) -> list[str]:
    """The lines, 50 instances each, in instance order; RerunRefused when a value fails."""
    ids = sorted(set(instance_ids))
    bad = [instance for instance in ids if not INSTANCE_ID.fullmatch(instance)]
    if bad:
        raise RerunRefused(f"{len(bad)} instance id(s) are not instance ids, e.g. {bad[0]!r}")
    if not ids:
        raise RerunRefused("no instance of the command failed")
    if not is_whole(command.command_id):
        raise RerunRefused(f"the command id {command.command_id!r} is not a command id")
    common = _options(command, where)
    chunks = [ids[at : at + IDS_A_LINE] for at in range(0, len(ids), IDS_A_LINE)]
    lines = []
    for number, chunk in enumerate(chunks, start=1):
        part = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
        comment = f"re-run of {command.command_id[:8]} on its failed instances{part}"
        words = [*common, "--comment", comment, "--instance-ids", *chunk]
        lines.append(" ".join(shlex.quote(word) for word in words))
    return lines


def _options(command: Command, where: Origin) -> list[str]:
    words = ["aws", "ssm", "send-command"]
    if where.profile:
        words += ["--profile", _checked(where.profile, _PLAIN, "profile")]
    if where.region:
        words += ["--region", _checked(where.region, _PLAIN, "region")]
    words += ["--document-name", _checked(command.document_name, DOCUMENT_NAME, "document name")]
    if command.document_version:
        version = _checked(command.document_version, _VERSION, "document version")
        words += ["--document-version", version]
    if command.parameters:
        parameters = {name: list(values) for name, values in command.parameters.items()}
        words += ["--parameters", json.dumps(parameters, ensure_ascii=True, separators=(",", ":"))]
    if command.timeout_seconds:
        words += ["--timeout-seconds", str(int(command.timeout_seconds))]
    if command.max_concurrency:
        words += ["--max-concurrency", _checked(command.max_concurrency, _LIMIT, "MaxConcurrency")]
    if command.max_errors:
        words += ["--max-errors", _checked(command.max_errors, _LIMIT, "MaxErrors")]
    words += _output_options(command)
    if command.service_role:
        words += ["--service-role-arn", _checked(command.service_role, _ROLE, "service role")]
    return words


def _output_options(command: Command) -> list[str]:
    output, words = command.output, []
    if output.s3_bucket:
        if not is_plain_bucket(output.s3_bucket):
            raise RerunRefused(f"the output bucket {output.s3_bucket!r} is no plain bucket name")
        words += ["--output-s3-bucket-name", output.s3_bucket]
        if output.s3_prefix:
            words += ["--output-s3-key-prefix", _checked(output.s3_prefix, _PLAIN, "key prefix")]
        if output.s3_region:
            words += ["--output-s3-region", _checked(output.s3_region, _PLAIN, "S3 region")]
    if output.cloudwatch_enabled:
        config: dict[str, object] = {"CloudWatchOutputEnabled": True}
        if output.cloudwatch_log_group:
            group = _checked(output.cloudwatch_log_group, _PLAIN, "log group")
            config["CloudWatchLogGroupName"] = group
        words += ["--cloud-watch-output-config", json.dumps(config, separators=(",", ":"))]
    return words


def _checked(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.fullmatch(value):
        raise RerunRefused(f"the {what} {value!r} is not one a shell line can carry as it is")
    return value
