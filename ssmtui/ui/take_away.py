"""What the copy, save, raw and console keys take, from the pane the user is in.

One pure function per key, over the selection and the records the dashboard holds, so each
answer is tested without a terminal: the commands pane gives the CommandId, the instances pane
the InstanceId, the steps pane the step's S3 URL, the output pane the output shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ssmtui.model.aws_shape import command_as_sent, invocation_as_sent, plugin_as_sent
from ssmtui.model.console import console_url
from ssmtui.model.step_text import s3_folder
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command, Invocation, PluginResult
from ssmtui.ui.exports import file_name
from ssmtui.ui.selection import Depth, Selection


@dataclass(frozen=True, slots=True)
class Chosen:
    """What the user is on: the records of the selection, and the output on screen."""

    selection: Selection
    command: Command | None
    invocation: Invocation | None
    plugin: PluginResult | None
    output: str
    region: str

    @property
    def depth(self) -> Depth:
        return self.selection.depth


@dataclass(frozen=True, slots=True)
class Taken:
    what: str
    """In the operator's words, for the toast: "CommandId 5810d60e-…"."""
    text: str


def _unshowable(what: str, value: str) -> str | None:
    """Why a value is not copied: it holds a character the screen shows as a mark (a control,
    an escape, a line break, a lone surrogate, a bidi or zero-width one). Its marked form
    would be no id or URL at all, and the value itself could drive whatever it is pasted in."""
    if neutralise(value, single_line=True) == value:
        return None
    return (
        f"Not copied: the {what} holds characters a terminal would act on or that do not "
        "show (marked ␛, ⏎ or � on screen), so it is no value AWS issues."
    )


def _checked(taken: Taken, what: str, *values: str) -> Taken | str:
    for value in values:
        if refusal := _unshowable(what, value):
            return refusal
    return taken


def to_copy(chosen: Chosen) -> Taken | str:
    """What ``c`` copies, or why there is nothing to copy. An id or URL is copied only when it
    is what the screen shows; the output is copied as shown (neutralised)."""
    selection = chosen.selection
    if chosen.depth >= Depth.OUTPUT:
        if not chosen.output:
            return "This step has no output to copy."
        return Taken(f"the output ({len(chosen.output):,} characters)", chosen.output)
    if chosen.depth == Depth.STEPS:
        plugin = chosen.plugin
        url = plugin and (plugin.stdout_url or plugin.stderr_url or s3_folder(plugin))
        if not url:
            return "This step's output is not in S3: the command sent none there."
        return _checked(Taken("the S3 URL of its output", url), "S3 URL", url)
    if chosen.depth == Depth.INSTANCES and selection.instance:
        instance = selection.instance
        return _checked(Taken(f"InstanceId {instance}", instance), "instance id", instance)
    if selection.command:
        command = selection.command
        return _checked(Taken(f"CommandId {command}", command), "command id", command)
    return "Nothing is selected yet."


def to_open(chosen: Chosen) -> Taken | str:
    """The console page ``u`` copies: the invocation's from the instances down, else the
    command's."""
    selection = chosen.selection
    if selection.command is None:
        return "Select a command first."
    if not chosen.region:
        return "The region is not known yet: the first poll has not come back."
    instance = selection.instance if chosen.depth >= Depth.INSTANCES else None
    parts = (("command id", selection.command), ("instance id", instance or ""))
    for what, value in (*parts, ("region", chosen.region)):
        if refusal := _unshowable(what, value):
            return refusal
    return Taken("the console URL", console_url(chosen.region, selection.command, instance))


def to_show_raw(chosen: Chosen) -> tuple[str, dict[str, Any]] | str:
    """The record ``y`` shows, with its title: the command, the invocation, or the step."""
    if chosen.depth >= Depth.STEPS and chosen.plugin is not None and chosen.invocation is not None:
        where = f"{short_id(chosen.invocation.command_id)} › {chosen.invocation.instance_id}"
        return f"CommandPlugin {chosen.plugin.name} · {where}", plugin_as_sent(chosen.plugin)
    if chosen.depth >= Depth.INSTANCES and chosen.invocation is not None:
        invocation = chosen.invocation
        title = f"CommandInvocation {short_id(invocation.command_id)} › {invocation.instance_id}"
        return title, invocation_as_sent(invocation)
    if chosen.command is not None:
        return f"Command {chosen.command.command_id}", command_as_sent(chosen.command)
    return "Select a command first: y shows its record as AWS returned it."


def to_save(chosen: Chosen, instance_ids: list[str]) -> tuple[str, str] | str:
    """The file name and text ``ctrl+s`` writes: the output shown, from the steps down; the
    instances listed (one id a line, ready for ``xargs``), in the instances pane."""
    selection = chosen.selection
    command = short_id(selection.command or "")
    if chosen.depth >= Depth.STEPS:
        if not chosen.output:
            return "This step has no output to save."
        name = file_name(command, selection.instance or "", selection.step or "")
        return name, chosen.output
    if chosen.depth == Depth.INSTANCES and instance_ids:
        return file_name(command, "instances"), "".join(f"{i}\n" for i in instance_ids)
    return "Ctrl+S saves the output shown, or the instances listed: go to either first."
