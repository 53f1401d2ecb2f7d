"""A simulated SSM Run Command service that speaks the real AWS JSON 1.1 protocol.

It is the fleet behind ``ssmtui --demo``, the fixture of the tests and the load generator of
the benchmarks. It imports only ``ssmtui.model`` from the rest of the package.
"""

BUILTIN_SCENARIOS = ("default", "large")
"""The scenarios shipped in ``ssmtui/sim/scenarios``, by name (here, so that naming them in
``--help`` loads no scenario machinery)."""
