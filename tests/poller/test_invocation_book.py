"""The invocation book's counts, kept as records come in, against a count from scratch."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmtui.model.status import InvocationStatus
from ssmtui.model.types import Invocation
from ssmtui.poller.invocation_book import InvocationBook, Tally, progress

STATUSES = [
    ("Pending", "Pending"),
    ("Delayed", "Delayed"),
    ("InProgress", "In Progress"),
    ("Cancelling", "Cancelling"),
    ("Success", "Success"),
    ("Failed", "Failed"),
    ("Failed", "Undeliverable"),
    ("TimedOut", "Execution Timed Out"),
    ("TimedOut", "Delivery Timed Out"),
    ("Cancelled", "Terminated"),
    ("Quarantined", "Quarantined"),  # a status AWS may add one day
]
records = st.builds(
    lambda n, status: Invocation("cmd", f"i-{n}", InvocationStatus(status[0]), status[1]),
    st.integers(0, 6),
    st.sampled_from(STATUSES),
)


def counted_from_scratch(book: InvocationBook) -> Tally:
    final = [r for r in book if r.terminal]
    return Tally(
        len(book.records),
        len(final),
        sum(r.status_details in ("Failed", "Execution Timed Out") for r in final),
        sum(r.status_details == "Delivery Timed Out" for r in final),
    )


@given(st.lists(st.lists(records, max_size=8), max_size=4))
@settings(max_examples=200)
def test_the_counts_kept_as_records_come_are_the_counts_from_scratch(
    rounds: list[list[Invocation]],
) -> None:
    book = InvocationBook()
    for batch in rounds:
        book.touched = set()
        for record in batch:
            book.store(record)
        assert book.tally() == counted_from_scratch(book)
        assert book.pending == {i for i, r in book.records.items() if progress(r) == 0}
        assert book.moving == {i for i, r in book.records.items() if 0 < progress(r) < 4}
        assert +book.by_status == +Counter(r.status for r in book)
        assert book.all_final() == all(r.terminal for r in book)
        assert book.touched == {r.instance_id for r in batch}


def test_clearing_says_every_instance_may_have_changed() -> None:
    book = InvocationBook()
    book.store(Invocation("cmd", "i-1", InvocationStatus.IN_PROGRESS))
    book.clear()
    assert book.touched is None
    assert book.tally() == Tally(0, 0, 0, 0)
