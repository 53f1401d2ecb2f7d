"""Property tests: over random fleets, commands and clock steps, the books always balance."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssmtui.sim.documents import BUILTIN_DOCUMENTS, Document, Step
from ssmtui.sim.engine import Engine
from ssmtui.sim.scenario import CommandSpec, InstanceSpec, Scenario, TargetSpec, load_scenario
from ssmtui.sim.state import SimCommand
from tests.conftest import START

TERMINAL = {"Success", "Failed", "TimedOut", "Cancelled"}
DEPLOY = Document("Deploy", (Step("stop"), Step("install"), Step("start")))

instances = st.builds(
    InstanceSpec,
    name=st.sampled_from(["a", "b", "c", "d"]).map(lambda s: f"node-{s}"),
    platform=st.sampled_from(["Linux", "Windows", "MacOS"]),
    ping=st.sampled_from(["Online"] * 6 + ["ConnectionLost", "Inactive"]),
)
limits = st.one_of(st.integers(1, 12).map(str), st.integers(1, 100).map(lambda n: f"{n}%"))
error_limits = st.one_of(st.integers(0, 5).map(str), st.integers(0, 99).map(lambda n: f"{n}%"))
targets = st.one_of(
    st.just(TargetSpec("all")),
    st.sampled_from(["Linux", "Windows", "MacOS"]).map(lambda p: TargetSpec("platform", p)),
    st.integers(1, 30).map(lambda n: TargetSpec("random", str(n))),
)


@st.composite
def commands(draw: st.DrawFn) -> CommandSpec:
    low = draw(st.floats(0, 200))
    return CommandSpec(
        document=draw(st.sampled_from([*BUILTIN_DOCUMENTS, "Deploy"])),
        targets=draw(targets),
        at=draw(st.floats(-900, 900)),
        max_concurrency=draw(limits),
        max_errors=draw(error_limits),
        timeout_seconds=draw(st.integers(30, 900)),
        execution_timeout=draw(st.integers(5, 400)),
        duration=(low, low + draw(st.floats(0, 300))),
        failure_rate=draw(st.floats(0, 1)),
        hang_rate=draw(st.floats(0, 0.5)),
        cancel_after=draw(st.none() | st.floats(0, 600)),
        every=draw(st.none() | st.floats(60, 900)),
    )


def check_books(command: SimCommand) -> None:
    """Every count on a command agrees with its invocations, and final means final."""
    invocations = list(command.invocations.values())
    details = [i.details for i in invocations]
    assert command.target_count == len(invocations)
    assert command.completed_count == sum(i.status in TERMINAL for i in invocations)
    assert command.error_count == details.count("Failed") + details.count("Execution Timed Out")
    assert command.delivery_timed_out_count == details.count("Delivery Timed Out")
    live_dispatched = sum(i.dispatched and i.status not in TERMINAL for i in invocations)
    assert live_dispatched == command.running <= command.concurrency_limit
    all_done = command.completed_count == command.target_count
    assert (command.status in TERMINAL) == all_done
    if command.status == "Pending":
        assert all(i.status == "Pending" for i in invocations)
    for invocation in invocations:
        if invocation.status in TERMINAL:
            assert all(p.status in TERMINAL for p in invocation.plugins)
        for plugin in invocation.plugins:
            if plugin.start is None:
                assert plugin.response_code == -1
            elif plugin.status in TERMINAL:  # a kill on Windows is -1 (constants_windows.go)
                assert plugin.response_code != -1 or invocation.instance.platform == "Windows"
            if plugin.start is not None and plugin.end is not None:
                assert plugin.start <= plugin.end


def final_state(engine: Engine) -> dict[tuple[str, str], Any]:
    return {
        (command.command_id, invocation.instance.id): (
            invocation.status,
            invocation.details,
            tuple((p.status, p.details, p.response_code, p.end) for p in invocation.plugins),
        )
        for command in engine.commands.values()
        for invocation in command.invocations.values()
        if invocation.status in TERMINAL
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fleet=st.lists(instances, min_size=1, max_size=25),
    specs=st.lists(commands(), min_size=1, max_size=5),
    steps=st.lists(st.floats(0, 400), min_size=1, max_size=12),
    seed=st.integers(0, 2**32),
    cancel_at_step=st.none() | st.integers(0, 11),
)
def test_counts_stay_consistent_and_final_states_never_change(
    fleet: list[InstanceSpec],
    specs: list[CommandSpec],
    steps: list[float],
    seed: int,
    cancel_at_step: int | None,
) -> None:
    scenario = Scenario(
        name="random",
        instances=tuple(fleet),
        documents={**BUILTIN_DOCUMENTS, "Deploy": DEPLOY},
        commands=tuple(specs),
    )
    engine = Engine(scenario, START, seed=seed)
    now = START
    finals: dict[tuple[str, str], Any] = {}
    for index, step in enumerate(steps):
        now += timedelta(seconds=step)
        engine.advance_to(now.timestamp())
        if index == cancel_at_step and engine.ordered:
            engine.cancel(engine.ordered[-1])
        for command in engine.commands.values():
            check_books(command)
        current = final_state(engine)
        for key, state in finals.items():
            assert current[key] == state, f"final invocation {key} changed"
        finals = current


def test_the_same_seed_plays_the_same_run() -> None:
    scenario = load_scenario("default")
    first, second = Engine(scenario, START, seed=11), Engine(scenario, START, seed=11)
    other = Engine(scenario, START, seed=12)
    later = (START + timedelta(minutes=30)).timestamp()
    for engine in (first, second, other):
        engine.advance_to(later)
    assert final_state(first) == final_state(second)
    assert final_state(first) != final_state(other)
