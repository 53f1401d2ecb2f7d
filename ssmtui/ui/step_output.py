"""What the output viewer shows for one step, and the notes that frame it.

AWS hands output out in three sizes: 2,400 bytes of stdout and stderr joined in
ListCommandInvocations, the first 24,000 of stdout and 8,000 of stderr in GetCommandInvocation
(only once the step has finished), and everything in S3 or CloudWatch Logs when the command
asked for it. The operator must always know which of these is on screen and where the rest is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ssmtui.model.cloudwatch import log_group, log_stream
from ssmtui.model.output_limits import (
    CONSOLE_CUT,
    LISTED_BUDGET,
    LISTED_STDERR_CUT,
    LISTED_STDERR_RULE,
    LISTED_STDOUT_CUT,
    STDERR_LIMIT,
    STDOUT_LIMIT,
)
from ssmtui.model.sgr import PAINT_LIMIT, Painted, coloured, has_colour
from ssmtui.model.step_text import StepText, s3_folder
from ssmtui.model.text import neutralise
from ssmtui.model.types import Command, Invocation, PluginResult

STDERR_RULE = "──────── stderr ────────"
"""The line ssmtui puts between the stdout and stderr GetCommandInvocation gave."""


class Stream(Enum):
    """Which of a step's two streams the viewer shows."""

    BOTH = "stdout and stderr"
    STDOUT = "stdout only"
    STDERR = "stderr only"


@dataclass(frozen=True, slots=True)
class StepOutput:
    body: str
    """The text to show, neutralised: no control sequence survives."""
    origin: str
    """Which API answer it came from, in the operator's words."""
    notes: tuple[str, ...]
    """Where the API cut the text, where the full output lives, why there is none yet."""
    paint: Painted = ()
    """The colours its SGR sequences asked for, by line, over ``body`` (``model/sgr.py``)."""


def _cut(text: str, limit: int) -> bool:
    """Whether the agent cut this GetCommandInvocation text: it says so at the end, and a text
    of the whole limit in bytes was cut even if the mark is missing."""
    return text.endswith(CONSOLE_CUT) or _bytes(text) >= limit


def _bytes(text: str) -> int:
    """Its length in UTF-8, as the agent counts; a lone surrogate (a hostile answer) counts
    its three bytes rather than failing the count."""
    return len(text.encode("utf-8", "surrogatepass"))


def step_output(
    command: Command | None,
    invocation: Invocation,
    plugin: PluginResult,
    stream: Stream = Stream.BOTH,
    outside: StepText | None = None,
) -> StepOutput:
    """What to show of ``plugin``: ``outside`` (its live log or whole S3 output) when the
    poller fetched it, else the longest text the SSM API gave."""
    if outside is not None:
        return _outside_output(command, invocation, plugin, stream, outside)
    notes: list[str] = []
    # A step skipped by its precondition wrote nothing: the agent's words are in Output only.
    fetched_any = plugin.stdout is not None and bool(plugin.stdout or plugin.stderr)
    if plugin.stdout is not None and (fetched_any or not plugin.output):
        stdout, stderr = plugin.stdout or "", plugin.stderr or ""
        body = _one_stream(stdout, stderr, stream, STDERR_RULE)
        origin = f"stdout {len(stdout):,} · stderr {len(stderr):,} chars (GetCommandInvocation)"
        if _cut(stdout, STDOUT_LIMIT):
            notes.append(f"✂ stdout was cut by the SSM Agent at {STDOUT_LIMIT:,} bytes.")
        if _cut(stderr, STDERR_LIMIT):
            notes.append(f"✂ stderr was cut by the SSM Agent at {STDERR_LIMIT:,} bytes.")
    else:
        stdout, stderr = plugin.listed_streams
        body = _one_stream(stdout, stderr, stream, LISTED_STDERR_RULE)
        origin = f"{len(plugin.output):,} chars (ListCommandInvocations)"
        cut = [
            name
            for name, mark in (("stdout", LISTED_STDOUT_CUT), ("stderr", LISTED_STDERR_CUT))
            if mark in plugin.output
        ]
        if cut or _bytes(plugin.output) >= LISTED_BUDGET:
            what = " and ".join(cut) if cut else "the output"
            notes.append(
                f"✂ the SSM Agent cut {what} to fit the {LISTED_BUDGET:,} bytes this list "
                "carries; the longer output (24,000 bytes) is fetched once the step has finished."
            )
    if stream is not Stream.BOTH:
        origin = f"{stream.value} · {origin}"
    if not body:
        notes.append(
            _why_empty(command, plugin) if stream is Stream.BOTH else f"Nothing in {stream.value}."
        )
    notes.extend(_locations(command, invocation, plugin))
    notes.extend(_colour_note(body))
    shown = coloured(body)
    return StepOutput(shown.text, origin, tuple(notes), shown.lines)


def _outside_output(
    command: Command | None,
    invocation: Invocation,
    plugin: PluginResult,
    stream: Stream,
    outside: StepText,
) -> StepOutput:
    body = _one_stream(outside.stdout, outside.stderr, stream, STDERR_RULE)
    sizes = f"stdout {len(outside.stdout):,} · stderr {len(outside.stderr):,} chars"
    origin = neutralise(f"{sizes} ({outside.origin})", single_line=True)  # a group AWS named
    if stream is not Stream.BOTH:
        origin = f"{stream.value} · {origin}"
    notes = [*outside.notes, *_locations(command, invocation, plugin), *_colour_note(body)]
    shown = coloured(body)
    return StepOutput(
        shown.text, origin, tuple(neutralise(n, single_line=True) for n in notes), shown.lines
    )


def _colour_note(body: str) -> list[str]:
    if len(body) > PAINT_LIMIT and has_colour(body):
        return [f"Colours are drawn in outputs up to {PAINT_LIMIT:,} characters; this is text."]
    return []


def _one_stream(stdout: str, stderr: str, stream: Stream, rule: str) -> str:
    """Both streams with ``rule`` between them (when there is stderr), or the one asked for."""
    if stream is Stream.STDOUT:
        return stdout
    if stream is Stream.STDERR:
        return stderr
    return stdout + (f"\n{rule}\n{stderr}" if stderr else "")


def _why_empty(command: Command | None, plugin: PluginResult) -> str:
    if not plugin.terminal:
        if command is not None and not command.output.cloudwatch_enabled:
            return (
                "… no output yet: the API returns a step's output once it has finished. To "
                "watch it live, send commands with CloudWatch output on "
                "(--cloud-watch-output-config CloudWatchOutputEnabled=true)."
            )
        return "… no output yet: the API returns a step's output once the step has finished."
    if not plugin.has_run:
        return "This step did not run, so it has no output."
    return "The step finished without output."


def _locations(command: Command | None, invocation: Invocation, plugin: PluginResult) -> list[str]:
    """Where the whole output lives, when the command sent it somewhere."""
    where = []
    if plugin.stdout_url:
        where.append(f"Full stdout: {plugin.stdout_url}")
    elif plugin.s3_bucket:
        where.append(f"Full output in S3: {s3_folder(plugin)}")
    if plugin.stderr_url:
        where.append(f"Full stderr: {plugin.stderr_url}")
    if command is not None and command.output.cloudwatch_enabled:
        group = log_group(command.output.cloudwatch_log_group, command.document_name)
        stream = log_stream(invocation.command_id, invocation.instance_id, plugin.name)
        where.append(f"CloudWatch Logs: group {group}, stream {stream}")
    return [neutralise(line, single_line=True) for line in where]
