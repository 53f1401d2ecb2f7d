"""Where the user is: one record, replaced whole, that never names an instance of another
command."""

from __future__ import annotations

from ssmtui.model.status import CommandStatus
from ssmtui.model.types import Command
from ssmtui.ui.selection import Depth, Selection, breadcrumb


def test_another_command_forgets_the_instance_and_step_chosen_under_the_last() -> None:
    deep = Selection("c-1", "i-1", "aws:runShellScript", depth=Depth(2))
    assert deep.with_command("c-2") == Selection("c-2", None, None, depth=Depth(2))
    assert deep.with_command("c-1") is deep
    assert deep.with_instance("i-2") == Selection("c-1", "i-2", None, depth=Depth(2))
    assert deep.with_step("other").step == "other"


def test_depth_stays_within_the_panes() -> None:
    assert Selection().at_depth(9).pane == "output"
    assert Selection(depth=Depth(2)).at_depth(-1).pane == "commands"


def test_the_breadcrumb_shows_as_deep_as_the_user_is_and_one_more() -> None:
    command = Command("5810d60e-aaaa", CommandStatus("InProgress"), document_name="Doc")
    at_top = Selection("5810d60e-aaaa", "i-1", "step", depth=Depth(0))
    assert breadcrumb(at_top, command) == "Commands › 5810d60e Doc"
    assert breadcrumb(at_top.at_depth(1), command) == "Commands › 5810d60e Doc › i-1"
    assert breadcrumb(at_top.at_depth(3), command) == (
        "Commands › 5810d60e Doc › i-1 › step › output"
    )


def test_the_breadcrumb_neutralises_what_aws_sent() -> None:
    hostile = Selection("c\x1b]0;x\x07", "i-\u202e1", depth=Depth(1))
    shown = breadcrumb(hostile, None)
    assert not {"\x1b", "\x07", "\u202e"} & set(shown)
