"""The focused step's output from CloudWatch Logs (live) and S3 (whole, on request).

Only for the one step the user looks at, and only what can have grown: a running step's log
streams are followed from their ``nextForwardToken``, so each cycle reads only the new lines;
an S3 object is read once, when the user asks, and kept while the step stays in focus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ssmtui.aws.client import OBJECT_LIMIT
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.cloudwatch import log_group, log_stream
from ssmtui.model.step_text import StepText, s3_refusal, s3_stream
from ssmtui.model.types import Command, Invocation, PluginResult
from ssmtui.poller.reader import Reader

StepKey = tuple[str, str, str]
"""CommandId, InstanceId, step name."""
PAGES_A_CYCLE = 5
"""GetLogEvents pages read for one stream in one cycle at most: a step that writes faster
than that is caught up over the next cycles rather than in one long cycle."""
KEPT_CHARACTERS = 2_000_000
"""Characters of a followed stream kept: the oldest go first, and the note says so."""
_MISSING = {"ResourceNotFoundException", "NoSuchKey"}


@dataclass(slots=True)
class _Followed:
    """One log stream followed: its text so far and where to read on from."""

    text: list[str] = field(default_factory=list)
    size: int = 0
    dropped: int = 0
    token: str | None = None
    exists: bool = False

    def add(self, lines: list[str]) -> None:
        for line in lines:
            self.text.append(line)
            self.size += len(line) + 1
        while self.size > KEPT_CHARACTERS and len(self.text) > 1:
            self.size -= len(self.text.pop(0)) + 1
            self.dropped += 1


class StepTexts:
    """What the plan keeps of the focused step's outside output, between cycles."""

    def __init__(self) -> None:
        self.wanted: StepKey | None = None
        """The step whose whole output the user asked for from S3."""
        self._followed: dict[tuple[StepKey, str], _Followed] = {}
        self._objects: dict[StepKey, StepText] = {}
        self.failed: dict[str, AwsError] = {}
        """This cycle's failed operations (GetLogEvents, GetObject)."""

    async def fetch(
        self, reader: Reader, command: Command, invocation: Invocation, step: str | None
    ) -> StepText | None:
        """The outside output of ``step`` of ``invocation``, if there is any to show."""
        self.failed = {}
        plugin = invocation.plugin(step)
        if plugin is None:
            self._forget(None)
            return None
        key = (invocation.command_id, invocation.instance_id, plugin.name)
        self._forget(key)
        if self.wanted == key and plugin.terminal:
            if key not in self._objects:
                self._objects[key] = await self._whole(reader, key, plugin)
            return self._objects[key]
        running = plugin.started is not None and not plugin.terminal
        if command.output.cloudwatch_enabled and running:
            return await self._live(reader, command, key)
        return None  # once it has finished, the API's output (and S3, on request) takes over

    def _forget(self, key: StepKey | None) -> None:
        """Only the focused step's streams and object are kept."""
        self._followed = {k: v for k, v in self._followed.items() if k[0] == key}
        self._objects = {k: v for k, v in self._objects.items() if k == key}
        if self.wanted != key:
            self.wanted = None

    async def _live(self, reader: Reader, command: Command, key: StepKey) -> StepText:
        group = log_group(command.output.cloudwatch_log_group, command.document_name)
        texts, notes = [], []
        for kind in ("stdout", "stderr"):
            followed = self._followed.setdefault((key, kind), _Followed())
            stream = log_stream(key[0], key[1], key[2], kind)
            try:
                await self._read_on(reader, group, stream, followed)
            except AwsError as error:
                if error.code not in _MISSING:
                    self.failed["GetLogEvents"] = error
                    notes.append(f"✖ {kind} from CloudWatch Logs: {error}.")
            if followed.dropped:
                notes.append(f"The first {followed.dropped:,} lines of {kind} are not kept.")
            texts.append("\n".join(followed.text))
        if not any(self._followed[(key, kind)].exists for kind in ("stdout", "stderr")):
            folder = log_stream(*key).rsplit("/", 1)[0]
            notes.append(f"… no output yet: the stream {folder}/… is not there.")
        origin = f"CloudWatch Logs, live · group {group}"
        return StepText(*key, origin, texts[0], texts[1], tuple(notes))

    @staticmethod
    async def _read_on(reader: Reader, group: str, stream: str, followed: _Followed) -> None:
        """New events since the last read; the end is where the token stops moving."""
        for _ in range(PAGES_A_CYCLE):
            events, token = await reader.log_events(group, stream, followed.token)
            followed.exists = True
            followed.add([str(e.get("message", "")).rstrip("\n") for e in events])
            moved = token is not None and token != followed.token
            followed.token = token or followed.token
            if not events or not moved:
                return

    async def _whole(self, reader: Reader, key: StepKey, plugin: PluginResult) -> StepText:
        text, failed = await whole_output(reader, key, plugin)
        self.failed.update(failed)
        return text


async def whole_output(
    reader: Reader, key: StepKey, plugin: PluginResult
) -> tuple[StepText, dict[str, AwsError]]:
    """A finished step's stdout and stderr from S3, whole (up to ``OBJECT_LIMIT`` each), with
    a note for each that could not be read; and the operations that failed other than for a
    missing object (the agent uploads only a stream the step wrote to)."""
    texts, notes = [], []
    failed: dict[str, AwsError] = {}
    for kind in ("stdout", "stderr"):
        where = s3_stream(plugin, kind)
        if where is None:
            texts.append("")
            continue
        bucket, name = where
        if refusal := s3_refusal(bucket, name, kind, key[0], key[1]):
            texts.append("")
            notes.append(refusal)
            continue
        try:
            data, size = await reader.read_object(bucket, name, OBJECT_LIMIT)
        except AwsError as error:
            texts.append("")
            notes.append(_object_note(kind, bucket, name, error))
            if error.code not in _MISSING:
                failed["GetObject"] = error
            continue
        texts.append(data.decode("utf-8", "replace"))
        if size > len(data):
            notes.append(f"✂ {kind}: the first {len(data):,} of {size:,} bytes are shown.")
    return StepText(*key, "S3, the whole output", texts[0], texts[1], tuple(notes)), failed


def _object_note(kind: str, bucket: str, key: str, error: AwsError) -> str:
    where = f"s3://{bucket}/{key}"
    if error.code in _MISSING:
        if kind == "stderr":
            return "No stderr in S3: the agent uploads only a stream the step wrote to."
        return f"No {kind} at {where} (NoSuchKey): the step wrote none, or it was removed."
    if error.kind is ErrorKind.ACCESS_DENIED:
        return f"✖ {kind}: s3:GetObject on {where} was denied; the identity needs that permission."
    return f"✖ {kind} from {where}: {error}."
