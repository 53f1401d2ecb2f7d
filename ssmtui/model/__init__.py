"""The state tree of ssmtui: pure data and pure functions, no I/O, no UI."""
