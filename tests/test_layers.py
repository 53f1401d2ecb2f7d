"""The layering README's Development section describes, proven in a fresh interpreter: what
each layer drags in."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

LAYERS = [
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
]


@pytest.fixture(scope="module")
def loaded_by() -> dict[str, set[str]]:
    """Each layer's module imported alone, in an interpreter of its own; all of them at once,
    since each spends its time importing."""
    code = "import json, sys; import {}; print(json.dumps(sorted(sys.modules)))"
    running = {
        module: subprocess.Popen(
            [sys.executable, "-c", code.format(module)], stdout=subprocess.PIPE, text=True
        )
        for module, _ in LAYERS
    }
    loaded = {}
    for module, process in running.items():
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, module
        loaded[module] = set(json.loads(out))
    return loaded


@pytest.mark.parametrize(("module", "forbidden"), LAYERS)
def test_a_layer_does_not_import_what_sits_above_it(
    loaded_by: dict[str, set[str]], module: str, forbidden: set[str]
) -> None:
    loaded = loaded_by[module]
    assert module in loaded
    assert forbidden.isdisjoint(loaded)


ALLOWED_BY_FOLDER = {
    "ui": ("ssmtui.ui", "ssmtui.poller", "ssmtui.model"),
    "model": ("ssmtui.model",),
}


@pytest.mark.parametrize("folder", sorted(ALLOWED_BY_FOLDER))
def test_a_folder_imports_only_the_layers_its_arrows_allow(folder: str) -> None:
    """The layers' arrows, file by file: ui/ reaches AWS only through the poller."""
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
