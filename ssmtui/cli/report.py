"""What ``ssmtui snapshot`` prints: a table for people, or JSON in AWS's own names for jq."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

import humanize

from ssmtui.model.aws_shape import iso, render_command, render_invocation
from ssmtui.model.durations import Spread, histogram_lines, spread, stragglers
from ssmtui.model.failures import FailureCluster
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command, FleetSnapshot, Invocation, InvocationSet, PluginResult
from ssmtui.model.views import CommandSort, counts_by_status, progress, sort_commands, status_label
from ssmtui.poller.results import Source


def _cell(text: str, width: int) -> str:
    shown = neutralise(text, single_line=True)
    if len(shown) > width:
        shown = shown[: width - 1] + "…"
    return shown.ljust(width)


def _ago(moment: datetime | None, now: datetime) -> str:
    return humanize.naturaltime(now - moment) if moment else "-"


def _progress(command: Command) -> str:
    done = progress(command)
    percent = f"{int(done.fraction * 100)}%" if done.total else "-"
    return f"{done.completed}/{done.total} {percent}"


def _invocation_line(invocation: Invocation) -> str:
    lines = [
        f"    {_cell(invocation.instance_id, 20)} {_cell(invocation.instance_name, 18)} "
        f"{_cell(status_label(invocation.status), 14)} {_cell(invocation.status_details, 20)}"
    ]
    for plugin in invocation.plugins or ():
        code = f" rc {plugin.response_code}" if plugin.has_run else ""
        status = _cell(status_label(plugin.status), 14)
        lines.append(f"      {_cell(plugin.name, 26)} {status}{code}")
    return "\n".join(line.rstrip() for line in lines)


Steps = dict[str, tuple[PluginResult, ...]]


def _steps(listed: Sequence[Invocation]) -> Steps:
    return {i.instance_id: i.plugins for i in listed if i.plugins is not None}


def _spreads(steps: Steps) -> list[Spread]:
    """Each step's durations over the instances that finished it, in document order."""
    names = dict.fromkeys(p.name for plugins in steps.values() for p in plugins)
    return [found for name in names if (found := spread(steps, name)) is not None]


def duration_records(listed: Sequence[Invocation]) -> list[dict[str, Any]]:
    """Each step's spread in JSON, in ssmtui's own names (AWS has no such record)."""
    return [
        {
            "Step": found.step,
            "Finished": len(found.seconds),
            "MedianSeconds": found.percentile(0.5),
            "P95Seconds": found.percentile(0.95),
            "FastestSeconds": found.seconds[0],
            "SlowestSeconds": found.seconds[-1],
        }
        for found in _spreads(_steps(listed))
    ]


def _duration_lines(listed: Sequence[Invocation], now: datetime) -> list[str]:
    """Each step's spread over the instances that finished it, in document order, and the
    instances running a step longer than 95 % of those that finished it took."""
    steps = _steps(listed)
    found = _spreads(steps)
    lines = [
        f"    {line}"
        for each in found
        if len(each.seconds) >= 2
        for line in histogram_lines(each, None, len(steps))
    ]
    records = MappingProxyType({i.instance_id: i for i in listed})
    by_step = {each.step: each for each in found}
    late = stragglers(InvocationSet(records, now), steps, now, by_step.get)
    lines += [f"    {instance_id}  {late[instance_id].words}" for instance_id in sorted(late)]
    return lines


def _failure_lines(clusters: list[FailureCluster]) -> list[str]:
    if not clusters:
        return []
    lines = [f"    {'COUNT':>5}  {'STEP':<22} {'RC':>4}  {'STATUS':<20} {'EXAMPLE':<20} ERROR"]
    for cluster in clusters:
        code = "-" if cluster.response_code is None else str(cluster.response_code)
        lines.append(
            f"    {cluster.count:>5}  {_cell(cluster.step or '-', 22)} {code:>4}  "
            f"{_cell(cluster.status, 20)} {_cell(cluster.example, 20)} "
            f"{neutralise(cluster.signature, single_line=True)}".rstrip()
        )
    return lines


Rerun = list[str] | str
"""A command's re-run lines, or the sentence that says why there are none."""


def _rerun_lines(rerun: Rerun | None) -> list[str]:
    if rerun is None:
        return []
    if isinstance(rerun, str):
        return [f"    no re-run line: {neutralise(rerun, single_line=True)}"]
    return [
        "    re-run the failed instances (shown, never sent):",
        *(f"    {line}" for line in rerun),
    ]


def table(
    snapshot: FleetSnapshot,
    now: datetime,
    invocations: Mapping[str, list[Invocation]] | None = None,
    failures: Mapping[str, list[FailureCluster]] | None = None,
    *,
    sources: Mapping[str, Source] | None = None,
    reruns: Mapping[str, Rerun] | None = None,
) -> str:
    """Columns for people; every text from AWS neutralised as on the screen. ``sources``: the
    account and region each command was read in, for a report of several; ``reruns``: each
    failed command's send-command lines (or why there are none)."""
    commands = sort_commands(snapshot.commands.values(), CommandSort.NEWEST)
    where = f"{'ACCOUNT':<12} {'REGION':<14} " if sources else ""
    header = (
        f"{'COMMAND':<9} {where}{'DOCUMENT':<24} {'STATUS':<14} {'PROGRESS':<13} {'ERR':>4} "
        f"{'REQUESTED':<16} COMMENT"
    )
    lines = [header]
    for command in commands:
        source = (sources or {}).get(command.command_id)
        read_in = f"{_cell(source.account, 12)} {_cell(source.region, 14)} " if source else ""
        lines.append(
            f"{_cell(short_id(command.command_id), 9)} {read_in}"
            f"{_cell(command.document_name, 24)} "
            f"{_cell(status_label(command.status), 14)} {_cell(_progress(command), 13)} "
            f"{command.error_count + command.delivery_timed_out_count:>4} "
            f"{_cell(_ago(command.requested, now), 16)} "
            f"{neutralise(command.comment, single_line=True)}".rstrip()
        )
        listed = (invocations or {}).get(command.command_id, [])
        for invocation in listed:
            lines.append(_invocation_line(invocation))
        lines += _duration_lines(listed, now)
        lines += _failure_lines((failures or {}).get(command.command_id, []))
        lines += _rerun_lines((reruns or {}).get(command.command_id))
    lines.append(_summary(commands, snapshot))
    return "\n".join(lines)


def _summary(commands: Iterable[Command], snapshot: FleetSnapshot) -> str:
    counts = counts_by_status(commands)
    if not counts:
        return "no commands match"
    parts = [
        f"{neutralise(status_label(status), single_line=True)} {count}"
        for status, count in sorted(counts.items())
    ]
    polled = snapshot.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{sum(counts.values())} commands: " + ", ".join(parts) + f" · polled {polled}"


def as_json(
    snapshot: FleetSnapshot,
    *,
    sources: Sequence[Source],
    by_command: Mapping[str, Source] | None = None,
    invocations: Mapping[str, list[Invocation]] | None = None,
    failures: Mapping[str, list[FailureCluster]] | None = None,
    reruns: Mapping[str, Rerun] | None = None,
) -> str:
    """``failures`` go under ``Failures``, re-run lines under ``Rerun`` (or why not under
    ``RerunRefused``) and, with several ``sources``, each command's under ``Source``, in
    ssmtui's own names (AWS has no such records)."""
    rendered: list[dict[str, Any]] = []
    for command in sort_commands(snapshot.commands.values(), CommandSort.NEWEST):
        row = render_command(command)
        if by_command is not None and command.command_id in by_command:
            row["Source"] = _source(by_command[command.command_id])
        if invocations is not None:
            listed = invocations.get(command.command_id, [])
            row["Invocations"] = [render_invocation(inv) for inv in listed]
            row["StepDurations"] = duration_records(listed)
        if failures is not None:
            row["Failures"] = failure_records(failures.get(command.command_id, []))
        rerun = (reruns or {}).get(command.command_id)
        if rerun is not None:
            row["Rerun" if isinstance(rerun, list) else "RerunRefused"] = rerun
        rendered.append(row)
    document: dict[str, Any] = {"PolledAt": iso(snapshot.taken_at)}
    if len(sources) == 1:
        document["Region"] = sources[0].region
    else:
        document["Sources"] = [_source(source) for source in sources]
    document["Commands"] = rendered
    return as_ascii_json(document)


def failure_records(clusters: Iterable[FailureCluster]) -> list[dict[str, Any]]:
    """The failure groups in JSON, in ssmtui's own names (AWS has no such records)."""
    return [
        {
            "Count": cluster.count,
            "Step": cluster.step,
            "ResponseCode": cluster.response_code,
            "Error": cluster.signature,
            "StatusDetails": cluster.status,
            "InstanceIds": list(cluster.instances),
        }
        for cluster in clusters
    ]


def as_ascii_json(document: Any) -> str:
    """ASCII only: every control, bidi and zero-width character leaves as a \\u escape, so the
    JSON is safe on a terminal as well as valid UTF-8 for jq."""
    return json.dumps(valid_unicode(document), indent=2, ensure_ascii=True)


def _source(source: Source) -> dict[str, Any]:
    return {"Profile": source.profile, "Account": source.account, "Region": source.region}


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_unicode(value: Any) -> Any:
    """``value`` (JSON-ready data) with every lone surrogate, what a ``\\udcff`` escape decodes
    to when AWS sent invalid UTF-8, replaced by U+FFFD: JSON tools such as jq refuse it."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {valid_unicode(key): valid_unicode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [valid_unicode(item) for item in value]
    return value
