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
    (  # every module of the model, in one interpreter: pure data and functions
        "ssmtui.model",
        {
            *("textual", "rich", "aiobotocore", "botocore", "aiohttp"),
            *("ssmtui.sim", "ssmtui.aws", "ssmtui.poller", "ssmtui.ui"),
        },
    ),
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
    every_model_module = (
        "importlib, pkgutil, ssmtui.model; "
        "[importlib.import_module('ssmtui.model.' + m.name) "
        "for m in pkgutil.iter_modules(ssmtui.model.__path__)]"
    )
    running = {
        module: subprocess.Popen(
            [
                sys.executable,
                "-c",
                code.format(every_model_module if module == "ssmtui.model" else module),
            ],
            stdout=subprocess.PIPE,
            text=True,
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
