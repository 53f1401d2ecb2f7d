"""The layering of DESIGN.md, proven in a fresh interpreter: what each layer drags in."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

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
        ("ssmtui.model.rows", {"textual", "rich", "aiobotocore", "botocore", "aiohttp"}),
        ("ssmtui.model.sorted_rows", {"textual", "rich", "aiobotocore", "botocore", "aiohttp"}),
        ("ssmtui.poller", {"textual", "ssmtui.sim", "ssmtui.cli"}),
        ("ssmtui.aws.client", {"textual", "ssmtui.poller", "ssmtui.sim"}),
        ("ssmtui.sim.server", {"textual", "aiobotocore", "ssmtui.cli"}),
        ("ssmtui.ui.app", {"ssmtui.sim", "ssmtui.cli", "ssmtui.launch"}),
    ],
)
def test_a_layer_does_not_import_what_sits_above_it(module: str, forbidden: set[str]) -> None:
    loaded = modules_loaded_by(module)
    assert module in loaded
    assert forbidden.isdisjoint(loaded)


ALLOWED_BY_FOLDER = {
    "ui": ("ssmtui.ui", "ssmtui.poller", "ssmtui.model"),
    "model": ("ssmtui.model",),
}


@pytest.mark.parametrize("folder", sorted(ALLOWED_BY_FOLDER))
def test_a_folder_imports_only_the_layers_its_arrows_allow(folder: str) -> None:
    """DESIGN.md's arrows, file by file: ui/ reaches AWS only through the poller."""
    allowed = ALLOWED_BY_FOLDER[folder]
    for path in sorted((Path(__file__).parents[1] / "ssmtui" / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("ssmtui"):
                    assert name.startswith(allowed), f"{path.name} imports {name}"
