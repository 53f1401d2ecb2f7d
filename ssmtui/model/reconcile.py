"""Merging a fresh fetch into the previous snapshot by identity.

The UI applies changes row by row, keyed by CommandId and (CommandId, InstanceId); it can only
do that if it is told exactly what changed. ``reconcile`` keeps every record that did not
change as the very same object (so ``is`` tells "untouched") and lists the rest in a Delta.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import TypeVar

from ssmtui.model.types import Command, FleetSnapshot, Invocation, InvocationSet, PluginResult

Key = tuple[str, ...]
"""(CommandId,) for a command, (CommandId, InstanceId) for an invocation."""

_Record = TypeVar("_Record", Command, Invocation, PluginResult)


@dataclass(frozen=True, slots=True)
class Delta:
    added: tuple[Key, ...] = ()
    changed: Mapping[Key, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    """Each changed record's key, with the names of the fields that changed."""
    finished: tuple[Key, ...] = ()
    """Records that were executing and are now terminal (they are in ``changed`` too)."""
    removed: tuple[Key, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def changed_fields(old: _Record, new: _Record) -> frozenset[str]:
    return frozenset(f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name))


class _DeltaBuilder:
    def __init__(self) -> None:
        self.added: list[Key] = []
        self.changed: dict[Key, frozenset[str]] = {}
        self.finished: list[Key] = []
        self.removed: list[Key] = []

    def merge(self, key: Key, old: _Record | None, new: _Record) -> _Record:
        """The record to keep: ``old`` itself when nothing changed."""
        if old is None:
            self.added.append(key)
            return new
        if old is new or old == new:  # "is" first: a record carried over costs no comparison
            return old
        self.changed[key] = changed_fields(old, new)
        if not old.terminal and new.terminal:
            self.finished.append(key)
        return new

    def build(self) -> Delta:
        return Delta(
            tuple(self.added),
            MappingProxyType(self.changed),
            tuple(self.finished),
            tuple(self.removed),
        )


def reconcile(previous: FleetSnapshot, fetched: FleetSnapshot) -> tuple[FleetSnapshot, Delta]:
    """The new snapshot (``fetched``, with unchanged records taken from ``previous``) and what
    changed. ``fetched`` is the whole next state: what it lacks is removed."""
    delta = _DeltaBuilder()
    commands: dict[str, Command] = {}
    for command_id, command in fetched.commands.items():
        old = previous.commands.get(command_id)
        commands[command_id] = delta.merge((command_id,), old, command)
    delta.removed += [(cid,) for cid in previous.commands if cid not in fetched.commands]

    invocations: dict[str, InvocationSet] = {}
    for command_id, fetched_set in fetched.invocations.items():
        old_set = previous.invocations.get(command_id)
        invocations[command_id] = _merge_set(command_id, old_set, fetched_set, delta)
    for command_id, old_set in previous.invocations.items():
        if command_id not in fetched.invocations:
            delta.removed += [(command_id, iid) for iid in old_set.by_instance]

    snapshot = FleetSnapshot(
        MappingProxyType(commands), MappingProxyType(invocations), fetched.taken_at
    )
    return snapshot, delta.build()


def _merge_set(
    command_id: str, old_set: InvocationSet | None, new_set: InvocationSet, delta: _DeltaBuilder
) -> InvocationSet:
    if old_set is new_set:
        return new_set
    if old_set is not None and new_set.since is old_set and new_set.changed is not None:
        return _merge_changed(command_id, old_set, new_set, new_set.changed, delta)
    old_by_instance = old_set.by_instance if old_set else {}
    merged: dict[str, Invocation] = {}
    for instance_id, fetched in new_set.by_instance.items():
        old = old_by_instance.get(instance_id)
        if old is fetched:  # carried over from the last poll, not fetched again
            merged[instance_id] = old
            continue
        merged[instance_id] = _merge_invocation(command_id, old, fetched, delta)
    if new_set.complete:
        delta.removed += [
            (command_id, iid) for iid in old_by_instance if iid not in new_set.by_instance
        ]
    else:  # a partial fetch says nothing about the instances it did not reach
        for instance_id, old in old_by_instance.items():
            merged.setdefault(instance_id, old)
    return InvocationSet(
        MappingProxyType(merged), new_set.fetched_at, new_set.complete, failed=new_set.failed
    )


def _merge_changed(
    command_id: str,
    old_set: InvocationSet,
    new_set: InvocationSet,
    changed: frozenset[str],
    delta: _DeltaBuilder,
) -> InvocationSet:
    """``new_set`` differs from ``old_set`` in ``changed`` instances at most: merge those."""
    merged = _copy(old_set.by_instance)
    for instance_id in changed:
        fetched = new_set.by_instance.get(instance_id)
        old = merged.get(instance_id)
        if fetched is None:
            if old is not None and new_set.complete:
                del merged[instance_id]
                delta.removed.append((command_id, instance_id))
            continue
        merged[instance_id] = _merge_invocation(command_id, old, fetched, delta)
    return InvocationSet(
        MappingProxyType(merged), new_set.fetched_at, new_set.complete, failed=new_set.failed
    )


def _merge_invocation(
    command_id: str, old: Invocation | None, fetched: Invocation, delta: _DeltaBuilder
) -> Invocation:
    """The record to keep for one instance, its unchanged plugins reused, noted in ``delta``."""
    invocation = _keep_equal_plugins(old, fetched) if old is not None else fetched
    return delta.merge((command_id, fetched.instance_id), old, invocation)


def _copy(records: Mapping[str, Invocation]) -> dict[str, Invocation]:
    """A dict of ``records``: at C speed when it is a dict behind a MappingProxyType (as every
    set's is); ``dict()`` of a proxy goes key by key (1.8 ms against 0.08 for 20,000 instances)."""
    if isinstance(records, MappingProxyType | dict):
        return records.copy()
    return dict(records)


def _keep_equal_plugins(old: Invocation, new: Invocation) -> Invocation:
    """Reuse the old PluginResult objects that did not change."""
    if old == new or old.plugins is None or new.plugins is None:
        return new
    previous = {plugin.name: plugin for plugin in old.plugins}
    plugins = tuple(previous[p.name] if previous.get(p.name) == p else p for p in new.plugins)
    return replace(new, plugins=plugins)
