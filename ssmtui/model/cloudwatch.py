"""Where Run Command writes output in CloudWatch Logs: one naming rule for the simulator that
writes there and the screen that points the operator there. The SSM Agent writes to the group
``/aws/ssm/<DocumentName>`` unless the command named one, in streams
``<CommandId>/<InstanceId>/<PluginId>/stdout`` and ``.../stderr``."""

from __future__ import annotations

import re

_OUTSIDE_GROUP_NAME = re.compile(r"[^a-zA-Z0-9_\-/.#]")


def log_group(named: str | None, document_name: str) -> str:
    r"""The group a command named, or ``/aws/ssm/<DocumentName>`` with every character a log
    group name cannot hold (outside ``[a-zA-Z0-9_\-/.#]``: the ``:`` of a shared document's
    ARN, say) as ``.``, as the SSM Agent names it."""
    return named or _OUTSIDE_GROUP_NAME.sub(".", f"/aws/ssm/{document_name}")


def plugin_id(plugin_name: str) -> str:
    """The PluginId part of a stream name: the step name with ``:`` and ``*`` as ``-``."""
    return plugin_name.replace(":", "-").replace("*", "-")


def log_stream(command_id: str, instance_id: str, plugin_name: str, kind: str = "stdout") -> str:
    """``<CommandId>/<InstanceId>/<PluginId>/stdout`` (or ``stderr``)."""
    return f"{command_id}/{instance_id}/{plugin_id(plugin_name)}/{kind}"
