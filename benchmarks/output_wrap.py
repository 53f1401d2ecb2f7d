"""What turning wrap on costs the event loop, for output with one very long line.

For a line of N characters (ASCII, and half as many wide characters), this prints the time
from the ``w`` key to the next frame drawn, and the time to load the text, for:
  textarea  Textual's read-only TextArea, the viewer before this change (wraps the whole
            document at once);
  viewer    ssmtui's OutputView (Line API: wraps only the rows drawn).
Every millisecond here is a millisecond in which no key is handled.

Run: python -m benchmarks.output_wrap [--sizes 100000,1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import TextArea

from ssmtui.ui.output_view import OutputView


class Host(App[None]):
    def __init__(self, viewer: Widget) -> None:
        super().__init__()
        self.viewer = viewer

    def compose(self) -> ComposeResult:
        yield self.viewer


def textarea() -> TextArea:
    return TextArea("", read_only=True, soft_wrap=False, show_line_numbers=False)


async def measure(kind: str, text: str) -> tuple[float, float]:
    """Seconds to load ``text`` and draw, and from turning wrap on to the frame after."""
    viewer: TextArea | OutputView = textarea() if kind == "textarea" else OutputView()
    async with Host(viewer).run_test(size=(120, 40)) as pilot:
        began = time.perf_counter()
        if isinstance(viewer, TextArea):
            viewer.load_text(text)
        else:
            viewer.show_text(text)
        await pilot.pause()
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        if isinstance(viewer, TextArea):
            viewer.soft_wrap = True
        else:
            viewer.action_toggle_wrap()
        await pilot.pause()
        return loaded, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="line lengths, comma-separated")
    args = parser.parse_args()
    print(f"{'text':<22} {'widget':<9} {'load ms':>9} {'wrap on ms':>11}")
    for size in (int(part) for part in args.sizes.split(",")):
        for label, text in (("ascii", "x" * size), ("wide", "日本" * (size // 4))):
            for kind in ("textarea", "viewer"):
                loaded, wrapped = asyncio.run(measure(kind, text))
                name = f"{len(text):,} {label}"
                print(f"{name:<22} {kind:<9} {loaded * 1000:9.1f} {wrapped * 1000:11.1f}")


if __name__ == "__main__":
    main()
