"""A step's output from outside the SSM API: CloudWatch Logs while it runs, S3 once asked.

The SSM API shows a step's output only once the step has finished, and then only its first
24,000 bytes of stdout and 8,000 of stderr. When the command sent output to CloudWatch Logs,
the agent streams it there as it is written; when it sent output to S3, the whole of it is
there once the step has finished. The poller fetches these for the step in focus only and
hands them over as a ``StepText``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from ssmtui.model.types import PluginResult


@dataclass(frozen=True, slots=True)
class StepText:
    command_id: str
    instance_id: str
    step: str
    origin: str
    """Where it came from, in the operator's words: "CloudWatch Logs, live", "S3"."""
    stdout: str
    stderr: str
    notes: tuple[str, ...] = ()
    """What is missing and why (no stream yet, a denial, a size cap)."""

    def of(self, command_id: str, instance_id: str, step: str) -> bool:
        return (self.command_id, self.instance_id, self.step) == (command_id, instance_id, step)


def s3_object(url: str) -> tuple[str, str] | None:
    """Bucket and key of an S3 URL as SSM gives them: path-style
    (``https://s3.eu-west-1.amazonaws.com/bucket/key``), virtual-hosted
    (``https://bucket.s3.eu-west-1.amazonaws.com/key``) or ``s3://bucket/key``; None otherwise."""
    parsed = urlparse(url)
    host, path = parsed.hostname or "", unquote(parsed.path).lstrip("/")
    if parsed.scheme == "s3":
        bucket, key = host, path
    elif parsed.scheme == "https" and (host.startswith("s3.") or host.startswith("s3-")):
        bucket, _, key = path.partition("/")
    elif parsed.scheme == "https" and ".s3." in host:
        bucket, key = host.split(".s3.", 1)[0], path
    else:
        return None
    return (bucket, key) if bucket and key else None


def s3_folder(plugin: PluginResult) -> str:
    """``s3://<bucket>/<prefix>``, where the agent put the step's output; '' when the command
    sent none to S3."""
    if not plugin.s3_bucket:
        return ""
    return f"s3://{plugin.s3_bucket}" + (f"/{plugin.s3_prefix}" if plugin.s3_prefix else "")


def s3_stream(plugin: PluginResult, kind: str) -> tuple[str, str] | None:
    """Bucket and key of the step's ``stdout`` or ``stderr`` object: from the URL SSM sent,
    else from the step's bucket and key prefix (the folder the agent writes to), taken as
    the key it is, never parsed as a URL."""
    url = plugin.stdout_url if kind == "stdout" else plugin.stderr_url
    found = s3_object(url)
    if found is None and plugin.s3_bucket and plugin.s3_prefix:
        found = plugin.s3_bucket, f"{plugin.s3_prefix.rstrip('/')}/{kind}"
    return found


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_SHAPED = re.compile(r"\d+\.\d+\.\d+\.\d+")
_NOT_A_BUCKET = (("xn--", "sthree-", "amzn-s3-demo-"), ("-s3alias", "--ol-s3", ".mrap", "--x-s3"))
"""Prefixes S3 refuses, and the suffixes of names that are aliases of access points, Object
Lambda and multi-region access points or directory buckets: a request to one of those is
routed to whatever the alias stands for, perhaps in another account."""


def is_plain_bucket(name: str) -> bool:
    """A general-purpose bucket's name by S3's rules: not an ARN, not an alias, not an
    address."""
    return (
        _BUCKET.fullmatch(name) is not None
        and ".." not in name
        and not _IP_SHAPED.fullmatch(name)
        and not name.startswith(_NOT_A_BUCKET[0])
        and not name.endswith(_NOT_A_BUCKET[1])
    )


def s3_refusal(bucket: str, key: str, kind: str, command_id: str, instance_id: str) -> str | None:
    """Why the object a record names is not read, or None: ``F`` signs its request with the
    operator's credentials, so it reads only a plain bucket and the key layout the agent
    writes, ``[prefix/]<command id>/<instance id>/<folder>[/<step>]/<stdout|stderr>``, with
    the two ids from the listing, not from the record's URL."""
    where = f"s3://{bucket}/{key}"
    if not is_plain_bucket(bucket):
        return f"✖ {kind}: not read: {bucket!r} is no plain S3 bucket name (an ARN or alias?)."
    parts = key.split("/")
    laid_out = any(
        parts[at] == command_id and parts[at + 1] == instance_id and 1 <= len(parts) - at - 3 <= 2
        for at in range(len(parts) - 3)
    )
    tidy = all(part not in ("", ".", "..") for part in parts) and not set(key) & set("?#\\")
    if parts[-1] != kind or not laid_out or not tidy:
        return (
            f"✖ {kind}: not read: {where} is not where the agent writes this step's output "
            f"(…/{command_id}/{instance_id}/…/{kind})."
        )
    return None
