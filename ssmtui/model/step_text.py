"""A step's output from outside the SSM API: CloudWatch Logs while it runs, S3 once asked.

The SSM API shows a step's output only once the step has finished, and then only its first
24,000 bytes of stdout and 8,000 of stderr. When the command sent output to CloudWatch Logs,
the agent streams it there as it is written; when it sent output to S3, the whole of it is
there once the step has finished. The poller fetches these for the step in focus only and
hands them over as a ``StepText``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from ssmtui.model.types import PluginResult


@dataclass(frozen=True, slots=True)
class StepText:
    command_id: str
    instance_id: str
    step: str
    source: str
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
    else from the step's bucket and key prefix (the folder the agent writes to)."""
    url = plugin.stdout_url if kind == "stdout" else plugin.stderr_url
    found = s3_object(url)
    if found is None and plugin.s3_prefix:
        found = s3_object(f"{s3_folder(plugin).rstrip('/')}/{kind}")
    return found
