"""Which step of an invocation decided it, and so which code and which output come first."""

from __future__ import annotations

from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.types import Invocation, PluginResult


def response_code(plugin: PluginResult | None) -> str:
    """A step's code, once it has run: "—" for none, "-1" for a step killed on Windows."""
    return str(plugin.response_code) if plugin is not None and plugin.has_run else "—"


def deciding_step(invocation: Invocation) -> PluginResult | None:
    """The step that decided the invocation's status, once it is over: the first step with
    the invocation's own final status (the failed one of a failed invocation: the SSM Agent
    takes Failed over TimedOut over Cancelled over Success), else the last step that ran.
    Steps skipped after a failure would otherwise show a failed patch as 0. While it runs
    there is none yet (an early step's 0 would read as success)."""
    if not invocation.terminal:
        return None
    ran = [plugin for plugin in invocation.plugins or () if plugin.has_run]
    decided = str(invocation.status)
    return next((p for p in ran if str(p.status) == decided), ran[-1] if ran else None)


def landing_step(invocation: Invocation) -> str | None:
    """The step to show first when an instance is opened: the one that failed (the step that
    decided an unsuccessful invocation), else the running one, else the last that ran."""
    plugins = invocation.plugins or ()
    if not plugins:
        return None
    decided = deciding_step(invocation)
    if decided is not None and invocation.status != InvocationStatus.SUCCESS:
        return decided.name
    running = next((p for p in plugins if p.status == PluginStatus.IN_PROGRESS), None)
    ran = [p for p in plugins if p.has_run]
    return (running or (ran[-1] if ran else plugins[-1])).name
