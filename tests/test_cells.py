"""Cell texts that must not drift or mislead: times in tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from ssmtui.ui.cells import Ages, ago, day_time

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_day_time_gives_the_date_only_when_it_was_not_today() -> None:
    today = NOW.date()
    assert day_time(NOW - timedelta(minutes=6), today) == "07:54:00"
    assert day_time(NOW - timedelta(days=2), today) == "Nov 25 08:00"
    assert day_time(None, today) == "—"


def test_day_time_is_utc_whatever_the_zone_it_came_in() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert day_time(datetime(2026, 11, 27, 16, 54, tzinfo=tokyo), NOW.date()) == "07:54:00"


def test_ages_words_each_moment_as_ago_does() -> None:
    ages = Ages(NOW)
    moments = [NOW - timedelta(minutes=4), NOW - timedelta(hours=3), None, NOW]
    assert [ages(m) for m in moments] == [ago(m, NOW) for m in moments]
    assert ages(moments[0]) == "4 minutes ago"
