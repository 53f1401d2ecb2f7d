"""What ``ssmtui export`` writes, and where: the instances ``--only`` chose, a folder each, a
file per step and stream.

Instance ids and step names come from AWS: a name is written as it is only when it is made of
characters safe in any path (letters, digits, ``.``, ``_``, ``-``, ``:``); otherwise the unsafe
characters become ``_`` and a short hash of the original follows, so that two names that differ
only in such characters never share a file, and no name can climb out of the folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ssmtui.model.failures import FailureCluster, did_not_succeed
from ssmtui.model.types import Invocation

_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")
STREAMS = ("stdout", "stderr")


def safe_name(name: str) -> str:
    """``name`` if it is safe as one path segment; else a safe spelling that stays unique."""
    cleaned = _UNSAFE.sub("_", name)[:100].lstrip(".")
    if cleaned == name and cleaned:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or '_'}-{digest}"


def step_file(instance_id: str, step: str, stream: str) -> str:
    """``i-0abc/PatchLinux.stdout``, relative to the export's folder."""
    return f"{safe_name(instance_id)}/{safe_name(step)}.{stream}"


class OnlyError(ValueError):
    """``--only`` named something that does not exist: one sentence."""


@dataclass(frozen=True, slots=True)
class Only:
    """Which instances to export: all, the unsuccessful, one failure group, one status."""

    kind: str = "all"
    value: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.value}".strip()


def parse_only(words: Sequence[str] | None) -> Only:
    """``failed``, ``group N`` or ``status S`` (an invocation's Status or StatusDetails)."""
    if not words:
        return Only()
    head, rest = words[0].lower(), list(words[1:])
    if head == "failed" and not rest:
        return Only("failed")
    if head == "group" and len(rest) == 1 and rest[0].isdigit() and int(rest[0]) >= 1:
        return Only("group", rest[0])
    if head == "status" and len(rest) >= 1:
        return Only("status", " ".join(rest))
    raise OnlyError(f"expected 'failed', 'group N' or 'status S', got {' '.join(words)!r}")


def chosen(
    invocations: Iterable[Invocation], groups: Sequence[FailureCluster], only: Only
) -> list[Invocation]:
    """The invocations ``only`` asks for, in instance order."""
    listed = sorted(invocations, key=lambda invocation: invocation.instance_id)
    if only.kind == "failed":
        return [invocation for invocation in listed if did_not_succeed(invocation)]
    if only.kind == "group":
        number = int(only.value)
        if number > len(groups):
            raise OnlyError(
                f"the command has {len(groups)} failure group(s); there is no group {number}"
            )
        members = set(groups[number - 1].instances)
        return [invocation for invocation in listed if invocation.instance_id in members]
    if only.kind == "status":
        wanted = only.value.replace(" ", "").lower()
        return [
            invocation
            for invocation in listed
            if wanted
            in (str(invocation.status).lower(), invocation.status_details.replace(" ", "").lower())
        ]
    return listed
