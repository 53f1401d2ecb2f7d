"""Where Run Command writes output in CloudWatch Logs: one naming rule for the simulator that
writes there and the screen that points the operator there (SSM_REFERENCE.md, output limits)."""

from __future__ import annotations


def log_group(named: str | None, document_name: str) -> str:
    """The group a command named, or ``/aws/ssm/<DocumentName>``."""
    return named or f"/aws/ssm/{document_name}"


def plugin_id(plugin_name: str) -> str:
    """The PluginId part of a stream name: the step name, with ':' (not allowed) as '-'."""
    return plugin_name.replace(":", "-")


def log_stream(command_id: str, instance_id: str, plugin_name: str, kind: str = "stdout") -> str:
    """``<CommandId>/<InstanceId>/<PluginId>/stdout`` (or ``stderr``)."""
    return f"{command_id}/{instance_id}/{plugin_id(plugin_name)}/{kind}"
