"""Allows ``python -m ssmtui``."""

from ssmtui.cli import main

raise SystemExit(main())
