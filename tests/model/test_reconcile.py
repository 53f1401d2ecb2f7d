"""reconcile: identity kept, delta exact, idempotent on equal input."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmtui.model.reconcile import Delta, reconcile
from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus, is_terminal
from ssmtui.model.types import Command, FleetSnapshot, Invocation, InvocationSet, PluginResult

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
STATUSES = ["Pending", "InProgress", "Success", "Failed", "Cancelled", "Quarantined"]

plugins = st.builds(
    PluginResult,
    name=st.sampled_from(["stop", "install", "start"]),
    status=st.sampled_from(STATUSES).map(PluginStatus),
    response_code=st.sampled_from([-1, 0, 1]),
    output=st.sampled_from(["", "ok", "boom"]),
)
commands = st.builds(
    Command,
    command_id=st.sampled_from([f"cmd-{n}" for n in range(6)]),
    status=st.sampled_from(STATUSES).map(CommandStatus),
    completed_count=st.integers(0, 3),
    comment=st.sampled_from(["", "patch"]),
)
invocations = st.builds(
    Invocation,
    command_id=st.sampled_from(["cmd-0", "cmd-1"]),
    instance_id=st.sampled_from([f"i-{n}" for n in range(5)]),
    status=st.sampled_from(STATUSES).map(InvocationStatus),
    instance_name=st.sampled_from(["web", "db"]),
    plugins=st.none() | st.lists(plugins, max_size=3, unique_by=lambda p: p.name).map(tuple),
)


@st.composite
def snapshots(draw: st.DrawFn) -> FleetSnapshot:
    rows = {c.command_id: c for c in draw(st.lists(commands, max_size=6))}
    sets: dict[str, InvocationSet] = {}
    for invocation in draw(st.lists(invocations, max_size=8)):
        by_instance = (
            dict(sets[invocation.command_id].by_instance) if invocation.command_id in sets else {}
        )
        by_instance[invocation.instance_id] = invocation
        sets[invocation.command_id] = InvocationSet(MappingProxyType(by_instance), T0)
    return FleetSnapshot(MappingProxyType(rows), MappingProxyType(sets), T0)


def records(snapshot: FleetSnapshot) -> dict[tuple[str, ...], Command | Invocation]:
    found: dict[tuple[str, ...], Command | Invocation] = {
        (cid,): c for cid, c in snapshot.commands.items()
    }
    for cid, invocation_set in snapshot.invocations.items():
        for iid, invocation in invocation_set.by_instance.items():
            found[(cid, iid)] = invocation
    return found


@settings(max_examples=150)
@given(previous=snapshots(), fetched=snapshots())
def test_the_result_is_the_fetched_state_and_the_delta_is_exact(
    previous: FleetSnapshot, fetched: FleetSnapshot
) -> None:
    result, delta = reconcile(previous, fetched)
    before, wanted, after = records(previous), records(fetched), records(result)
    assert after == wanted
    assert set(delta.added) == wanted.keys() - before.keys()
    assert set(delta.removed) == before.keys() - wanted.keys()
    expected_changed = {k for k in wanted.keys() & before.keys() if wanted[k] != before[k]}
    assert set(delta.changed) == expected_changed
    for key in expected_changed:
        old, new = before[key], wanted[key]
        differing = {f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name)}
        assert differing
        assert delta.changed[key] == differing
    assert set(delta.finished) == {
        k
        for k in expected_changed
        if not is_terminal(before[k].status) and is_terminal(wanted[k].status)
    }
    for key in wanted.keys() & before.keys():
        if wanted[key] == before[key]:
            assert after[key] is before[key], f"{key} is equal but was replaced"


@settings(max_examples=100)
@given(previous=snapshots(), fetched=snapshots())
def test_reconciling_the_same_fetch_twice_changes_nothing(
    previous: FleetSnapshot, fetched: FleetSnapshot
) -> None:
    once, _ = reconcile(previous, fetched)
    twice, delta = reconcile(once, fetched)
    assert delta == Delta()
    assert delta.empty
    for key, record in records(twice).items():
        assert record is records(once)[key]


def test_unchanged_plugins_stay_the_same_objects_inside_a_changed_invocation() -> None:
    stop = PluginResult("stop", PluginStatus.SUCCESS, response_code=0)
    install = PluginResult("install", PluginStatus.IN_PROGRESS)
    running = Invocation("cmd-0", "i-1", InvocationStatus.IN_PROGRESS, plugins=(stop, install))
    later = replace(
        running,
        plugins=(replace(stop), replace(install, status=PluginStatus.SUCCESS, response_code=0)),
    )

    def snapshot(invocation: Invocation) -> FleetSnapshot:
        invocation_set = InvocationSet(MappingProxyType({"i-1": invocation}), T0)
        return FleetSnapshot(MappingProxyType({}), MappingProxyType({"cmd-0": invocation_set}), T0)

    result, delta = reconcile(snapshot(running), snapshot(later))
    merged = result.invocations["cmd-0"].by_instance["i-1"]
    assert merged.plugins is not None
    assert merged.plugins[0] is stop
    assert merged.plugins[1] is not install
    assert delta.changed == {("cmd-0", "i-1"): frozenset({"plugins"})}


def test_a_partial_fetch_keeps_the_instances_it_did_not_reach() -> None:
    first = Invocation("cmd-0", "i-1", InvocationStatus.SUCCESS)
    second = Invocation("cmd-0", "i-2", InvocationStatus.IN_PROGRESS)
    whole = InvocationSet(MappingProxyType({"i-1": first, "i-2": second}), T0)
    part = InvocationSet(
        MappingProxyType({"i-2": replace(second, status=InvocationStatus.SUCCESS)}),
        T0 + timedelta(seconds=5),
        complete=False,
    )
    empty: MappingProxyType[str, Command] = MappingProxyType({})
    result, delta = reconcile(
        FleetSnapshot(empty, MappingProxyType({"cmd-0": whole}), T0),
        FleetSnapshot(empty, MappingProxyType({"cmd-0": part}), T0),
    )
    assert result.invocations["cmd-0"].by_instance["i-1"] is first
    assert result.invocations["cmd-0"].by_instance["i-2"].status == "Success"
    assert delta.removed == ()
    assert delta.finished == (("cmd-0", "i-2"),)


def _as_set(records: list[Invocation], **fields: object) -> InvocationSet:
    by_instance = {r.instance_id: r for r in records if r.command_id == "cmd-0"}
    return InvocationSet(MappingProxyType(by_instance), T0, True, **fields)  # type: ignore[arg-type]


@given(st.lists(invocations, max_size=6), st.lists(invocations, max_size=6))
@settings(max_examples=100)
def test_a_set_that_names_its_changes_merges_as_a_whole_fetch_would(
    before: list[Invocation], updates: list[Invocation]
) -> None:
    """Told which instances changed since the kept set, reconcile walks only those, and gets
    the snapshot and the delta a comparison of every record would."""
    old_set = _as_set(before)
    previous = FleetSnapshot(MappingProxyType({}), MappingProxyType({"cmd-0": old_set}), T0)
    records = dict(old_set.by_instance)
    records.update({u.instance_id: u for u in updates if u.command_id == "cmd-0"})
    changed = frozenset(u.instance_id for u in updates if u.command_id == "cmd-0")
    whole = _as_set(list(records.values()))
    named = _as_set(list(records.values()), changed=changed, since=old_set)

    def fetch(invocation_set: InvocationSet) -> FleetSnapshot:
        return FleetSnapshot(MappingProxyType({}), MappingProxyType({"cmd-0": invocation_set}), T0)

    by_comparison, delta = reconcile(previous, fetch(whole))
    by_naming, named_delta = reconcile(previous, fetch(named))
    assert by_naming == by_comparison
    assert set(named_delta.added) == set(delta.added)
    assert dict(named_delta.changed) == dict(delta.changed)
    assert set(named_delta.finished) == set(delta.finished)
    kept = by_naming.invocations["cmd-0"].by_instance
    for instance_id, old in old_set.by_instance.items():
        if instance_id not in changed:
            assert kept[instance_id] is old


def test_a_set_that_names_its_changes_against_another_set_is_compared_whole() -> None:
    first = Invocation("cmd-0", "i-1", InvocationStatus.IN_PROGRESS)
    done = replace(first, status=InvocationStatus.SUCCESS)
    old_set = _as_set([first])
    stranger = _as_set([first])
    previous = FleetSnapshot(MappingProxyType({}), MappingProxyType({"cmd-0": old_set}), T0)
    claims_nothing = _as_set([done], changed=frozenset(), since=stranger)
    snapshot, delta = reconcile(
        previous,
        FleetSnapshot(MappingProxyType({}), MappingProxyType({"cmd-0": claims_nothing}), T0),
    )
    assert snapshot.invocations["cmd-0"].by_instance["i-1"] is done
    assert delta.finished == (("cmd-0", "i-1"),)
