"""The layering of DESIGN.md, proven in a fresh interpreter: what each layer drags in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def modules_loaded_by(module: str) -> set[str]:
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        (
            "ssmtui.model",
            {"textual", "aiobotocore", "botocore", "aiohttp", "ssmtui.sim", "ssmtui.aws"},
        ),
        ("ssmtui.model.reconcile", {"textual", "aiobotocore", "botocore", "aiohttp"}),
        ("ssmtui.model.views", {"textual", "aiobotocore", "botocore", "aiohttp"}),
        ("ssmtui.poller", {"textual", "ssmtui.sim", "ssmtui.cli"}),
        ("ssmtui.aws.client", {"textual", "ssmtui.poller", "ssmtui.sim"}),
        ("ssmtui.sim.server", {"textual", "aiobotocore", "ssmtui.cli"}),
    ],
)
def test_a_layer_does_not_import_what_sits_above_it(module: str, forbidden: set[str]) -> None:
    loaded = modules_loaded_by(module)
    assert module in loaded
    assert forbidden.isdisjoint(loaded)
