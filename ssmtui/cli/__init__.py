"""The command line: one module per subcommand, and one table of settings.

``main`` parses the arguments and hands them to the subcommand's module, imported only when
that subcommand runs, so ``ssmtui --version`` pays for no dashboard and ``ssmtui snapshot``
for no Textual.
"""

from ssmtui.cli.main import main

__all__ = ["main"]
