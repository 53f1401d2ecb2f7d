"""A sliver of S3: GetObject on the objects Run Command writes a step's output to.

With OutputS3BucketName set, the SSM Agent uploads each finished step's whole stdout and stderr
to ``<prefix>/<CommandId>/<InstanceId>/<folder>/stdout`` (and ``stderr``), where the API shows
only the first 24,000 and 8,000 bytes. The simulator serves them path-style
(``GET /<bucket>/<key>``) on its own endpoint, from the same text the API cuts, so the full
output and the cut one always agree. A stream the step left empty is not uploaded: NoSuchKey.
"""

from __future__ import annotations

from ssmtui.model.status import is_terminal
from ssmtui.sim.api import plugin_s3_key
from ssmtui.sim.engine import Engine
from ssmtui.sim.errors import SimError
from ssmtui.sim.plugin_text import finished_output
from ssmtui.sim.state import SimInvocation

OPERATION = "GetObject"


class S3Api:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_object(self, bucket: str, key: str, now: float) -> bytes:
        self.engine.advance_to(now)
        stem, _, stream = key.rpartition("/")
        invocation = self._invocation(bucket, key)
        if invocation is not None:
            for plugin in invocation.plugins:
                if plugin_s3_key(invocation, plugin) == stem and is_terminal(plugin.status):
                    stdout, stderr = finished_output(self.engine, invocation, plugin)
                    text = {"stdout": stdout, "stderr": stderr}.get(stream, "")
                    if text:
                        return text.encode("utf-8")
        raise SimError("NoSuchKey", "The specified key does not exist.", status=404)

    def _invocation(self, bucket: str, key: str) -> SimInvocation | None:
        """The invocation a key names: ``.../<CommandId>/<InstanceId>/...``, under a command
        that writes to ``bucket``."""
        parts = key.split("/")
        for index, part in enumerate(parts[:-1]):
            command = self.engine.commands.get(part)
            if command is not None and command.output_s3_bucket == bucket:
                return command.invocations.get(parts[index + 1])
        return None


def s3_error_xml(code: str, message: str) -> str:
    """An S3 error body: S3 speaks XML, not the JSON of SSM and CloudWatch Logs."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
