"""What the ``hostile`` and ``mistyped`` faults do to an answer on its way to the client.

``hostile``: an endpoint whose every text tries to take over the client's terminal. Each string
in an answer (ids, statuses, names, output, error codes and messages) comes back carrying an
OSC title change, the "leave the alternate screen" and "clear the scrollback" sequences, a
right-to-left override, a zero-width space and a lone surrogate (what invalid UTF-8 becomes in
JSON). A client that shows any of it raw is caught at once.

A client reads ids and tokens to send them back (ListCommandInvocations by CommandId,
GetCommandInvocation by plugin Name, the next page by NextToken), so those are disguised in a
way the simulator can undo: each disguise is remembered, and a request that carries one is
served as if it carried the original. A CommandId keeps its 36 characters, as botocore checks.

``mistyped``: one record of a page with a field of the wrong type (``mistype``).
"""

from __future__ import annotations

from typing import Any

PAYLOAD = "\x1b]0;ssmtui-pwned\x07\x1b[?1049l\x1b[3J\u202e\u200b\udcff"
"""Appended to every text: retitle, leave the alternate screen, clear the scrollback, reverse
what follows, hide a space, and a character that cannot be encoded."""
ID_PAYLOAD = "\x1b]0;pwn\x07\u202e\udcff"
"""Written over the start of an id that must keep its length."""
SENT_BACK = frozenset({"CommandId", "InstanceId", "Name", "NextToken", "nextForwardToken"})
"""Fields whose values a client sends back in a later request."""
FIXED_LENGTH = frozenset({"CommandId"})
REMEMBERED = 100_000
"""Disguises kept to undo, newest first: a long hostile run mints a token each page."""


class HostileText:
    """Dresses answers in hostile text and undresses the ids a client sends back."""

    def __init__(self) -> None:
        self._originals: dict[str, str] = {}

    def dress(self, value: Any, field: str = "") -> Any:
        """``value`` (a JSON answer) with every string made hostile."""
        if isinstance(value, dict):
            return {key: self.dress(item, key) for key, item in value.items()}
        if isinstance(value, list):
            return [self.dress(item, field) for item in value]
        if not isinstance(value, str):
            return value
        if field not in SENT_BACK:
            return value + PAYLOAD
        disguised = (
            ID_PAYLOAD + value[len(ID_PAYLOAD) :] if field in FIXED_LENGTH else PAYLOAD + value
        )
        self._originals.pop(disguised, None)
        self._originals[disguised] = value
        if len(self._originals) > REMEMBERED:
            del self._originals[next(iter(self._originals))]
        return disguised

    def undress(self, value: Any) -> Any:
        """A request's parameters with every disguised id or token back to the original."""
        if isinstance(value, dict):
            return {key: self.undress(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.undress(item) for item in value]
        if isinstance(value, str):
            return self._originals.get(value, value)
        return value


def mistype(answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` with one record's field of the wrong type, as a buggy endpoint or proxy might
    send it: in the first record of the first list of records, the first field that holds an
    object becomes a list holding it, or the first list an object (botocore cannot parse
    either). The other records are untouched."""
    for key, value in answer.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            record = dict(value[0])
            for field, item in record.items():
                if isinstance(item, dict | list):
                    record[field] = [item] if isinstance(item, dict) else {"items": item}
                    return {**answer, key: [record, *value[1:]]}
    return answer
