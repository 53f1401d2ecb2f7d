"""How the SSM Agent cuts a plugin's output before the service hands it out.

From aws/amazon-ssm-agent, ``agent/framework/processor/executer/iohandler/iohandler.go``:

- ``CommandPlugin.Output`` (ListCommandInvocations with Details) is stdout, then
  ``\\n----------ERROR-------\\n`` and stderr when there is any, in at most 2,400 bytes
  (``MaximumPluginOutputSize``; the API reference documents 2,500 characters as the field's
  maximum). When both do not fit, the budget is split: each gets half when both are long, else
  the short one is kept whole and the long one is cut. A cut stdout ends with
  ``\\n---Output truncated---``, a cut stderr with ``\\n---Error truncated----``.
- GetCommandInvocation's ``StandardOutputContent`` and ``StandardErrorContent`` are cut at
  24,000 and 8,000 bytes (``MaxStdoutLength``, ``MaxStderrLength``), and end, when cut, with
  ``--output truncated--`` (``OutputTruncatedSuffix``).

The agent counts bytes (Go's ``len`` of a string); a cut that would split a UTF-8 character
drops the broken bytes here, as a JSON answer could not carry them anyway.
"""

from __future__ import annotations

from ssmtui.model.output_limits import (
    CONSOLE_CUT,
    ERROR_TITLE,
    LISTED_BUDGET,
    LISTED_STDERR_CUT,
    LISTED_STDOUT_CUT,
)


def _head(text: bytes, size: int) -> str:
    return text[: max(0, size)].decode("utf-8", errors="ignore")


def listed_output(stdout: str, stderr: str) -> str:
    """``CommandPlugin.Output`` for a plugin that wrote ``stdout`` and ``stderr``."""
    out, err = stdout.encode(), stderr.encode()
    title = ERROR_TITLE if err else ""
    space = LISTED_BUDGET - len(title.encode())
    if len(out) + len(err) < space:
        return stdout + title + stderr
    if len(out) > space / 2 and len(err) > space / 2:
        share = (space - len(LISTED_STDERR_CUT) - len(LISTED_STDOUT_CUT)) // 2
        return _head(out, share) + LISTED_STDOUT_CUT + title + _head(err, share) + LISTED_STDERR_CUT
    if len(out) < space / 2:
        return (
            stdout
            + title
            + _head(err, space - len(LISTED_STDERR_CUT) - len(out))
            + LISTED_STDERR_CUT
        )
    return (
        _head(out, space - len(LISTED_STDOUT_CUT) - len(err)) + LISTED_STDOUT_CUT + title + stderr
    )


def console_output(text: str, limit: int) -> str:
    """What GetCommandInvocation shows of ``text``: at most ``limit`` bytes."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return _head(data, limit - len(CONSOLE_CUT)) + CONSOLE_CUT
