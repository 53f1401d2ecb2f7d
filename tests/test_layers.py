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
    ("ssmtui.poller", {"textual", "ssmtui.sim", "ssmtui.cli"}),  # aws.client comes with it
    ("ssmtui.sim.server", {"textual", "aiobotocore", "ssmtui.cli"}),
    ("ssmtui.ui.app", {"ssmtui.sim", "ssmtui.cli", "ssmtui.launch"}),
    (  # what every subcommand pays before it runs: the flags, the config file, --help
        "ssmtui.cli.main",
        {"textual", "aiobotocore", "botocore", "aiohttp", "asyncio", "ssmtui.ui", "ssmtui.aws"},
    ),
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
    "model": ("ssmtui.model",),
    "aws": ("ssmtui.aws", "ssmtui.model"),
    "poller": ("ssmtui.poller", "ssmtui.aws", "ssmtui.model"),
    "ui": ("ssmtui.ui", "ssmtui.poller", "ssmtui.model"),
    "sim": ("ssmtui.sim", "ssmtui.model"),
    "cli": ("ssmtui",),
}
"""The layers' arrows (cli -> ui -> poller -> aws -> model; cli -> sim -> model): what each
folder's files may import of ssmtui."""


PACKAGE = Path(__file__).parents[1] / "ssmtui"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path) for path in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> list[str]:
    """The ssmtui modules a file imports, at the top or inside a function (``from ssmtui.cli
    import sim`` imports the module ``ssmtui.cli.sim``)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names += [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                for a in node.names
            ]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return [name for name in names if name.startswith("ssmtui")]


def test_every_folder_of_the_package_has_its_arrows() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders == set(ALLOWED_BY_FOLDER)


@pytest.mark.parametrize("folder", sorted(ALLOWED_BY_FOLDER))
def test_a_folder_imports_only_the_layers_its_arrows_allow(folder: str) -> None:
    """The layers' arrows, file by file: ui/ reaches AWS only through the poller, sim/ and
    aws/ know nothing of each other."""
    allowed = ALLOWED_BY_FOLDER[folder]
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for name in _imports(path):
            assert name == "ssmtui" or name.startswith(allowed), f"{path.name} imports {name}"


def test_no_module_imports_itself_back() -> None:
    """No import cycle anywhere in the package: each module's imports, followed, never lead
    back to it."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        modules[name] = {i for i in _imports(path) if i != name}

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(modules.get(start, ()))
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += modules.get(name, ())
        return seen

    cycles = sorted(name for name in modules if name in reaches(name))
    assert cycles == []
