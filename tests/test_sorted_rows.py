"""SortedRows: rows patched by key stay exactly as a full sort would order them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmtui.model.rows import Row
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
    st.tuples(st.sampled_from(["put", "drop"]), keys, st.integers(0, 4)), max_size=60
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
        else:
            rows.drop(key)
            shown.pop(key, None)
    assert rows.rows == expected(shown)
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
