"""Failures grouped by what failed: the step, its response code and its error, masked.

Thirty instances that failed the same way are one line here rather than thirty to open. Two
failures are the same when the step that decided them, its response code and the signature of
its error text agree. The signature is the error line an operator would read first (of stderr,
else of stdout), with what differs from host to host masked: numbers, ids, addresses, hex,
times. An invocation that never ran a step (undeliverable, delivery timed out, terminated)
is grouped by its StatusDetails.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ssmtui.model.deciding import deciding_step
from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.types import Invocation, PluginResult

SIGNATURE_LIMIT = 160
"""Characters of a signature: a line of the failures view, not the whole error."""

_ERROR_WORDS = re.compile(
    r"\b(error|errors|failed|failure|fatal|exception|denied|cannot|can't|unable|not found|"
    r"no such|refused|timed out|timeout|invalid|missing)\b|^E: ",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^(\+ |At line:|At [A-Za-z]:\\|at |Traceback |File \"|failed to run commands: exit status)"
)
"""Lines that frame an error rather than say it: PowerShell's position and context lines,
a shell's trace, stack frames, and the SSM Agent's own "failed to run commands: exit status
N", which every failed script has (its response code says as much)."""
_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
            r"|\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b"
        ),
        "<time>",
    ),
    (
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "<uuid>",
    ),
    (re.compile(r"\b(i|mi|ami|vol|sg|subnet|vpc|eni|snap)-[0-9a-f]{8,17}\b"), "<id>"),
    (re.compile(r"\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(\.[A-Za-z0-9.-]+)?"), "<host>"),
    (re.compile(r"\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b"), "<ip>"),
    (re.compile(r"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b"), "<hex>"),
    (re.compile(r"(?<![A-Za-z0-9_])\d+(?![A-Za-z_])"), "N"),  # a number, not part of a name
)


@dataclass(frozen=True, slots=True)
class FailureCluster:
    """Instances that failed the same way, largest group first in a list of them."""

    step: str
    """The step that decided the failure; '' when none ran."""
    response_code: int | None
    signature: str
    """The masked error line, or the StatusDetails when there is no error text."""
    status: str
    """The StatusDetails most of them have: Failed, Execution Timed Out, Undeliverable..."""
    instances: tuple[str, ...]
    """Instance ids, sorted."""

    @property
    def count(self) -> int:
        return len(self.instances)

    @property
    def example(self) -> str:
        return self.instances[0]


def did_not_succeed(invocation: Invocation) -> bool:
    return invocation.terminal and invocation.status != InvocationStatus.SUCCESS


def cluster_failures(invocations: Iterable[Invocation]) -> list[FailureCluster]:
    """The invocations that ended other than in success, grouped; largest group first."""
    groups: dict[tuple[str, int | None, str], list[Invocation]] = {}
    for invocation in invocations:
        if did_not_succeed(invocation):
            groups.setdefault(failure_key(invocation), []).append(invocation)
    clusters = [
        FailureCluster(
            step,
            code,
            signature,
            Counter(i.status_details or str(i.status) for i in members).most_common(1)[0][0],
            tuple(sorted(i.instance_id for i in members)),
        )
        for (step, code, signature), members in groups.items()
    ]
    return sorted(clusters, key=lambda c: (-c.count, c.step, c.signature))


def failure_key(invocation: Invocation) -> tuple[str, int | None, str]:
    """What two failures must share to be the same: step, response code, signature."""
    step = deciding_step(invocation)
    details = invocation.status_details or str(invocation.status)
    if step is None:
        return "", None, details
    if step.status in (PluginStatus.TIMED_OUT, PluginStatus.CANCELLED):
        # killed: what it wrote last is where it was, not why it stopped
        return step.name, step.response_code, step.status_details or details
    return step.name, step.response_code, error_signature(error_text(step)) or details


def error_text(plugin: PluginResult) -> str:
    """The step's stderr when there is any, else its stdout: the fetched texts when they were
    fetched, else the two halves of the listed Output."""
    if plugin.stdout is not None or plugin.stderr is not None:
        stdout, stderr = plugin.stdout or "", plugin.stderr or ""
    else:
        stdout, stderr = plugin.listed_streams
    return stderr if stderr.strip() else stdout


def error_signature(text: str) -> str:
    """The line an operator reads first, masked: the first that says error (apt's ``E:``,
    ``Error:``, ``failed``, an exception...), else the last line written."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not _NOISE.match(line)] or lines
    if not lines:
        return ""
    chosen = next((line for line in lines if _ERROR_WORDS.search(line)), lines[-1])
    return mask(chosen)[:SIGNATURE_LIMIT]


def mask(line: str) -> str:
    """``line`` with what differs from host to host replaced by a placeholder."""
    for pattern, placeholder in _MASKS:
        line = pattern.sub(placeholder, line)
    return line
