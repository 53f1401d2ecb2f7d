"""Make the SVG screenshots in this folder from the demo, on a fixed clock and seed.

    python -m screenshots.generate

The same scenes back the SVG snapshot tests, so what README shows is what the tests check.
Time never moves unless a scene moves it, so two runs give the same pictures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from ssmtui.cli.launch import DEMO_REGION, demo_poller
from ssmtui.model.filters import Filters, Stage
from ssmtui.sim.clock import ManualClock
from ssmtui.ui.app import Dashboard
from ssmtui.ui.flash import Flashes
from ssmtui.ui.row_table import RowTable
from ssmtui.ui.status_line import Where

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
SEED = 7
SIZE = (160, 48)
HERE = Path(__file__).parent

Scene = Callable[[Pilot[None], ManualClock], Awaitable[None]]


def demo_app(
    clock: ManualClock,
    *,
    kiosk: bool = False,
    regions: tuple[str, ...] = (DEMO_REGION,),
    seed: int = SEED,
) -> Dashboard:
    """The dashboard of ``ssmtui --demo`` (``--kiosk``: with the stage all and the day's
    history, as a wall would run it; ``regions``: ``--region a,b``; ``seed``: ``--seed``), on
    a clock that moves only when told."""
    filters = Filters(stage=Stage.ALL, since=START - timedelta(days=1)) if kiosk else Filters()
    source = partial(demo_poller, filters, 5.0, seed=seed, clock=clock, regions=regions)
    where = Where(f"demo (simulated fleet, seed {seed})", demo=True)
    return Dashboard(source, where, filters, kiosk=kiosk)


class HeldFlashes(Flashes):
    """Rows whose status changed stay highlighted: their two seconds are real time, which a
    scene on a loaded machine may or may not outlast, and the picture must not depend on it."""

    def __init__(self) -> None:
        super().__init__(clock=lambda: 0.0)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the poller is idle and the screen shows its last result."""
    app = pilot.app
    assert isinstance(app, Dashboard)
    for table in app.query(RowTable):
        if not isinstance(table.flashes, HeldFlashes):
            table.flashes = HeldFlashes()
    quiet = 0
    for _ in range(800):
        await pilot.pause(0.02)
        poller = app.poller
        idle = poller is not None and app.result is not None and not poller.busy
        quiet = quiet + 1 if idle else 0
        if quiet >= 5:
            await pilot.pause()
            return
    raise TimeoutError("the demo never settled")


async def main_screen(pilot: Pilot[None], clock: ManualClock) -> None:
    """Five minutes in: commands arrived, some finished and linger with their outcome."""
    await settle(pilot)
    clock.advance(300)
    await pilot.press("r")
    await settle(pilot)


async def invocations_view(pilot: Pilot[None], clock: ManualClock) -> None:
    await main_screen(pilot, clock)
    await pilot.press("end", "enter")  # the oldest command: the monthly patching
    await settle(pilot)
    await pilot.press("s")  # failures first
    await settle(pilot)


async def plugin_output(pilot: Pilot[None], clock: ManualClock) -> None:
    """A failed instance opened on its failed step, the error in the viewer."""
    await invocations_view(pilot, clock)
    await pilot.press("n")  # the next failed instance
    await settle(pilot)
    await pilot.press("enter")  # its steps, on the failed one
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def fleet_search(pilot: Pilot[None], clock: ManualClock) -> None:
    """``/?error`` over the monthly patching: the instances whose output says it and the line,
    the pane zoomed (``z``) to read them whole."""
    await invocations_view(pilot, clock)
    await pilot.press("slash", *"?error", "enter", "z")
    await settle(pilot)


async def stragglers(pilot: Pilot[None], clock: ManualClock) -> None:
    """A minute on, in the fleet of ``--seed 12``: one instance has been patching for longer
    than 95 % of those that finished took, and says so (the instances zoomed with ``z``)."""
    await invocations_view(pilot, clock)
    clock.advance(60)
    await pilot.press("r", "z")
    await settle(pilot)


async def compare(pilot: Pilot[None], clock: ManualClock) -> None:
    """``D`` on the failed step: its output against the same step where it succeeded."""
    await plugin_output(pilot, clock)
    await pilot.press("D")
    await settle(pilot)


async def trends(pilot: Pilot[None], clock: ManualClock) -> None:
    """Four polls a minute apart: the instances pane's completions and failures a minute."""
    await invocations_view(pilot, clock)
    for _ in range(4):
        clock.advance(60)
        await pilot.press("r")
        await settle(pilot)


async def failures_view(pilot: Pilot[None], clock: ManualClock) -> None:
    """The monthly patching's failures, grouped by step, response code and error."""
    await main_screen(pilot, clock)
    await pilot.press("end", "f")
    await settle(pilot)
    await pilot.pause()


async def help_screen(pilot: Pilot[None], clock: ManualClock) -> None:  # noqa: ARG001
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


SCENES: dict[str, Scene] = {
    "main": main_screen,
    "invocations": invocations_view,
    "plugin-output": plugin_output,
    "failures": failures_view,
    "help": help_screen,
}


README_ONLY: dict[str, tuple[Scene, dict[str, Any]]] = {
    "kiosk": (main_screen, {"kiosk": True}),
    "regions": (main_screen, {"regions": ("us-east-1", "eu-west-1")}),
    "fleet-search": (fleet_search, {}),
    "trends": (trends, {}),
    "compare": (compare, {}),
    "stragglers": (stragglers, {"seed": 12}),
}
"""Pictures for README only (the wall, two regions, a search through the fleet's output, the
trends after four minutes, a failed step against a success, a straggler): the snapshot tests
keep to the dashboard's own scenes."""


async def shoot(name: str, scene: Scene, **options: Any) -> str:
    clock = ManualClock(START)
    app = demo_app(clock, **options)
    async with app.run_test(size=SIZE) as pilot:
        await scene(pilot, clock)
        return app.export_screenshot(title=f"ssmtui --demo: {name}")


def main() -> None:
    scenes: dict[str, tuple[Scene, dict[str, Any]]] = {n: (s, {}) for n, s in SCENES.items()}
    scenes |= README_ONLY
    for name, (scene, options) in scenes.items():
        svg = asyncio.run(shoot(name, scene, **options))
        path = HERE / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)} ({len(svg) // 1024} KiB)")


if __name__ == "__main__":
    main()
