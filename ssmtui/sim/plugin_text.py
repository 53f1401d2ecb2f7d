"""What a simulated plugin wrote, and how much of it each API shows at a given moment.

The SSM API shows output only once a plugin has finished; CloudWatch Logs receives it line by
line while the plugin runs. Both views come from the same planned text, so they always agree.
"""

from __future__ import annotations

from ssmtui.model.status import is_terminal
from ssmtui.sim.engine import Engine
from ssmtui.sim.outputs import OutputContext, generate
from ssmtui.sim.state import SimInvocation, SimPlugin

_SHARE_BEFORE_KILL = {"TimedOut": 1 / 2, "Cancelled": 1 / 3}


def planned_output(engine: Engine, invocation: SimInvocation, plugin: SimPlugin) -> tuple[str, str]:
    """Everything the plugin would write if it ran to its planned end."""
    if plugin.skipped:
        return "", ""  # the agent's text is the step's Output, not something it wrote
    command = invocation.command
    if command.script is not None:
        stderr = (
            f"failed to run commands: exit status {plugin.exit_code}" if plugin.exit_code else ""
        )
        return command.script.stdout, stderr
    context = OutputContext(
        instance_id=invocation.instance.id,
        instance_name=invocation.instance.host_name,
        platform=invocation.instance.platform,
        step=plugin.name,
        exit_code=plugin.exit_code,
    )
    return generate(command.output_kind, engine.output_seed(command), context)


def finished_output(
    engine: Engine, invocation: SimInvocation, plugin: SimPlugin
) -> tuple[str, str]:
    """stdout and stderr as the SSM API shows them: all of it once finished, nothing before."""
    if not is_terminal(plugin.status) or plugin.start is None:
        return "", ""
    stdout, stderr = planned_output(engine, invocation, plugin)
    share = _SHARE_BEFORE_KILL.get(plugin.status)
    if share is None:
        return stdout, stderr
    lines = stdout.splitlines(keepends=True)
    return "".join(lines[: int(len(lines) * share)]), ""  # a kill writes no text of its own


def _span(invocation: SimInvocation, plugin: SimPlugin) -> float:
    """Seconds over which the plugin's stdout lines are spread."""
    limit = invocation.command.execution_timeout
    if plugin.hangs or plugin.duration > limit:
        return 2.0 * limit  # half the lines are out when the time-out kills it
    return max(plugin.duration, 0.001)


def log_lines(
    engine: Engine, invocation: SimInvocation, plugin: SimPlugin, stream: str
) -> list[tuple[float, str]]:
    """(time, line) pairs a CloudWatch stream ('stdout' or 'stderr') holds at engine.now."""
    if plugin.start is None or plugin.skipped:
        return []
    planned = planned_output(engine, invocation, plugin)[0]
    if is_terminal(plugin.status):
        stdout, stderr = finished_output(engine, invocation, plugin)
    else:
        stdout, stderr = planned, ""
    if stream == "stderr":
        end = plugin.end if plugin.end is not None else engine.now
        return [(end, line) for line in stderr.splitlines()]
    lines = stdout.splitlines()
    span = _span(invocation, plugin)
    total = len(planned.splitlines()) or 1
    visible = []
    for index, line in enumerate(lines):
        moment = plugin.start + span * (index + 1) / total
        if not is_terminal(plugin.status) and moment > engine.now:
            break
        if plugin.end is not None:
            moment = min(moment, plugin.end)
        visible.append((moment, line))
    return visible
