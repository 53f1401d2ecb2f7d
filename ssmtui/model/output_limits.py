"""How much of a step's output the SSM API hands out, and how the SSM Agent marks a cut.

From aws/amazon-ssm-agent (``agent/framework/processor/executer/iohandler/iohandler.go`` and
``agent/framework/runpluginutil/runpluginutil.go``), the one home of these facts: the
simulator cuts output with them and the output viewer reads the cuts back with them.

- ``CommandPlugin.Output`` (ListCommandInvocations with Details): stdout, then
  ``ERROR_TITLE`` and stderr when there is any, in at most ``LISTED_BUDGET`` bytes (the
  agent's ``MaximumPluginOutputSize``; the API reference documents the field as up to 2,500
  characters, which the agent never reaches). A cut stdout ends with ``LISTED_STDOUT_CUT``, a
  cut stderr with ``LISTED_STDERR_CUT``.
- GetCommandInvocation: the first ``STDOUT_LIMIT`` bytes of stdout and ``STDERR_LIMIT`` of
  stderr (``MaxStdoutLength``, ``MaxStderrLength``), each ending with ``CONSOLE_CUT`` when cut
  (``OutputTruncatedSuffix``).
"""

from __future__ import annotations

LISTED_BUDGET = 2_400
"""Bytes of stdout and stderr the agent puts in ``Output``."""
LISTED_STDERR_RULE = "----------ERROR-------"
"""The line between stdout and stderr in ``Output``."""
ERROR_TITLE = f"\n{LISTED_STDERR_RULE}\n"
LISTED_STDOUT_CUT = "\n---Output truncated---"
LISTED_STDERR_CUT = "\n---Error truncated----"
STDOUT_LIMIT = 24_000
"""Bytes of stdout GetCommandInvocation gives."""
STDERR_LIMIT = 8_000
"""Bytes of stderr GetCommandInvocation gives."""
CONSOLE_CUT = "--output truncated--"
"""What the agent ends a cut GetCommandInvocation stdout or stderr with."""
