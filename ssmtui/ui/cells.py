"""Table cells and status-line pieces as Rich ``Text``: literal by construction.

Everything here builds ``Text`` objects from plain strings; nothing is ever parsed as markup,
and every string that came from AWS passes through ``neutralise`` first. Colours are looked up
by name (a component class of the table, styled in ``ssmtui.tcss``) so that no style lives
in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import humanize
from rich.style import Style
from rich.text import Text

from ssmtui.model.text import neutralise
from ssmtui.model.views import Progress, status_glyph

StyleFor = Callable[[str], Style]
"""Looks a style up by the name of a component class, e.g. ``status--failed``."""

_STATUS_CLASSES = {
    "Success": "success",
    "Failed": "failed",
    "TimedOut": "failed",
    "InProgress": "running",
    "Pending": "waiting",
    "Delayed": "waiting",
    "Cancelled": "cancelled",
    "Cancelling": "cancelled",
}
STATUS_COMPONENTS = frozenset(f"status--{name}" for name in {*_STATUS_CLASSES.values(), "unknown"})


def status_component(status: str) -> str:
    """The component class that colours ``status``; colour only ever adds to word and glyph."""
    return f"status--{_STATUS_CLASSES.get(status, 'unknown')}"


def literal(text: str, style: Style | str = "") -> Text:
    """Untrusted text on one line, shown exactly as written (controls made visible)."""
    return Text(neutralise(text, single_line=True), style=style, no_wrap=True, end="")


def status_text(status: str, style_for: StyleFor) -> Text:
    """Glyph and word, e.g. '✖ Failed'; an unknown status keeps its own word with '?'."""
    word = neutralise(str(status), single_line=True)
    return Text(f"{status_glyph(status)} {word}", style=style_for(status_component(status)))


def progress_bar(progress: Progress, width: int, style_for: StyleFor) -> Text:
    """'████░░░░ 812/1000 ✖3 ⌛1': done in blocks, then counts, errors and time-outs in words."""
    done = round(progress.fraction * width)
    failed = progress.errors + progress.delivery_timed_out
    failed_cells = min(done, round(failed / progress.total * width)) if progress.total else 0
    bar = Text(no_wrap=True, end="")
    bar.append("█" * (done - failed_cells), style_for("progress--done"))
    bar.append("█" * failed_cells, style_for("progress--failed"))
    bar.append("░" * (width - done), style_for("progress--todo"))
    bar.append(f" {progress.completed}/{progress.total}")
    if progress.errors:
        bar.append(f" ✖{progress.errors}", style_for("status--failed"))
    if progress.delivery_timed_out:
        bar.append(f" ⌛{progress.delivery_timed_out}", style_for("status--failed"))
    return bar


def ago(moment: datetime | None, now: datetime) -> str:
    """'4 minutes ago'; '—' when AWS did not say."""
    if moment is None:
        return "—"
    return str(humanize.naturaltime(max(timedelta(0), now - moment), when=None))


class Ages:
    """``ago`` for many rows at one moment, each distinct time worded once: the instances of
    a command were mostly requested together, and humanize is slow at 20,000 rows a poll."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._said: dict[datetime | None, str] = {}

    def __call__(self, moment: datetime | None) -> str:
        said = self._said.get(moment)
        if said is None:
            said = self._said[moment] = ago(moment, self.now)
        return said


def short_duration(span: timedelta | None) -> str:
    """'41s', '2m10s', '1h02m': a table cell, where 'a minute' would hide the seconds."""
    if span is None:
        return "—"
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def day_time(moment: datetime | None, today: date) -> str:
    """UTC time of day, with the date when it was not today: a column that does not change
    as the clock moves, so 20,000 rows are not rewritten every minute."""
    if moment is None:
        return "—"
    moment = moment.astimezone(UTC)
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%b %d %H:%M")


def clock_time(moment: datetime | None) -> str:
    """Absolute UTC time of day, for detail rows where 'ago' would drift."""
    return moment.strftime("%H:%M:%S") if moment is not None else "—"


def response_code(code: int) -> str:
    return "—" if code == -1 else str(code)
