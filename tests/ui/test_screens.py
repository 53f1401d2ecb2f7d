"""SVG snapshots of the demo's main screens: fixed size, clock and seed; no cursor blink.

The scenes are those of ``screenshots/generate.py``, so README's pictures are what is checked
here. After a deliberate change of the UI: ``pytest tests/ui/test_screens.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from screenshots.generate import SCENES, SIZE, START, demo_app
from ssmtui.sim.clock import ManualClock


@pytest.mark.parametrize("name", sorted(SCENES))
def test_screen(name: str, snap_compare: Callable[..., bool]) -> None:
    clock = ManualClock(START)

    async def scene(pilot: Pilot[None]) -> None:
        await SCENES[name](pilot, clock)

    assert snap_compare(demo_app(clock), terminal_size=SIZE, run_before=scene)
