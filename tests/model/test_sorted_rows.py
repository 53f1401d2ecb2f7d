"""SortedRows: rows patched by key stay exactly as a full sort would order them, whichever
rows were built (read) along the way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmtui.model.cells import Row
from ssmtui.model.sorted_rows import SortedRows

Record = tuple[str, int]
"""A key and a rank to sort by."""


def rows_by_rank() -> SortedRows[Record]:
    def build(record: Record) -> Row:
        return record[0], (str(record[1]),)

    return SortedRows(lambda r: r[0], lambda r: (r[1], r[0]), build)


def expected(records: dict[str, int]) -> list[Row]:
    ordered = sorted(records.items(), key=lambda item: (item[1], item[0]))
    return [(key, (str(rank),)) for key, rank in ordered]


keys = st.sampled_from([f"i-{n}" for n in range(12)])
operations = st.lists(
    st.tuples(st.sampled_from(["put", "drop", "read"]), keys, st.integers(0, 4)), max_size=60
)


@given(st.dictionaries(keys, st.integers(0, 4)), operations)
def test_any_mix_of_puts_and_drops_leaves_the_order_of_a_full_sort(
    start: dict[str, int], steps: list[tuple[str, str, int]]
) -> None:
    rows = rows_by_rank()
    rows.fill(start.items())
    shown = dict(start)
    for operation, key, rank in steps:
        if operation == "put":
            rows.put((key, rank))
            shown[key] = rank
        elif operation == "drop":
            rows.drop(key)
            shown.pop(key, None)
        elif rows.rows:  # a row drawn (built) between two polls, and so kept until replaced
            assert rows.rows[rank % len(rows.rows)] == expected(shown)[rank % len(rows.rows)]
    assert list(rows.rows) == expected(shown)
    for at, (key, _) in enumerate(rows.rows):
        assert rows.position(key) == at
    assert rows.position("i-unknown") is None


def test_a_row_whose_place_does_not_change_is_replaced_where_it_is() -> None:
    rows = rows_by_rank()
    rows.fill([("a", 1), ("b", 2), ("c", 3)])
    held = rows.rows  # the table holds this very list
    rows.put(("b", 2))
    rows.put(("a", 9))
    assert held is rows.rows
    assert [key for key, _ in held] == ["b", "c", "a"]


def test_rows_are_built_when_read_and_again_only_when_their_record_changed() -> None:
    built: list[str] = []

    def build(record: Record) -> Row:
        built.append(record[0])
        return record[0], (str(record[1]),)

    rows = SortedRows(lambda r: r[0], lambda r: (r[1], r[0]), build)
    rows.fill([(f"i-{n}", n) for n in range(1000)])
    assert built == []
    first = rows.rows[0]
    assert rows.rows[0] is first
    assert rows.rows[1:3] == [("i-1", ("1",)), ("i-2", ("2",))]
    assert built == ["i-0", "i-1", "i-2"]
    rows.put(("i-0", 0))  # the same place, a new record: built anew when next read
    assert rows.rows[0] is not first
    assert built == ["i-0", "i-1", "i-2", "i-0"]
