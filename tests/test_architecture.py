"""The package's shape: imports run one way down the pipeline, only ``cli`` prints or exits, and mypy is clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "papernotes"
# Bottom to top: a module may import from its own layer and the layers below it, never above.
LAYERS = (
    {"__init__", "", "model", "jsonbytes", "sectioned"},
    {"config", "urls", "siteurls", "extensions", "theme", "yamltext", "dates", "text", "bodystore", "walks",
     "sitefiles", "names", "collector", "interrupt", "filedigests", "marshalfile", "forked"},
    {"papers"},
    {"markdown"},
    {"read"},
    {"graph"},
    {"emit"},
    {"render", "precompiled", "theme_code", "views", "pagesections"},
    {"output", "inplace"},
    {"build", "engine", "lookahead", "savedstate", "sitelayout", "uptodate"},
    {"serve", "watchbuilds"},
    {"cli", "launch", "__main__", "check", "deploy", "scaffold", "install_source"},
)
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}


def modules() -> dict[str, ast.Module]:
    return {path.relative_to(PACKAGE).with_suffix("").as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, tree: ast.Module) -> set[str]:
    """The top-level parts of the package (folder or module) that module ``name`` imports."""
    package = name.split("/")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            target = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            found |= {target[0]} if target else {alias.name if (PACKAGE / alias.name).exists()
                                                 or (PACKAGE / f"{alias.name}.py").exists() else "" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("papernotes"):
            found.add((node.module or "").split(".")[1:2][0] if "." in (node.module or "") else "")
    return found


def test_imports_run_one_way() -> None:
    wrong = []
    for name, tree in modules().items():
        own = LAYER.get(name.split("/")[0])
        assert own is not None, f"{name}: place its folder or module in a layer of LAYERS"
        wrong += [f"{name} imports {target}" for target in imported(name, tree) if LAYER.get(target, -1) > own]
    assert imported("model", modules()["model"]) <= {"jsonbytes", "sectioned"}
    assert imported("jsonbytes", modules()["jsonbytes"]) == imported("sectioned", modules()["sectioned"]) == set()
    assert not wrong


#: A process a build forks ends itself there, never returning into the code of the build it was forked from.
FORKED_ENDS = {("lookahead", "os._exit"), ("forked", "os._exit")}


def test_only_the_command_line_prints_or_exits() -> None:
    speaking = {"print", "exit", "quit", "sys.exit", "os._exit", "click.echo", "click.secho"}
    found = []
    for name, tree in modules().items():
        if name.split("/")[0] in ("cli", "launch"):
            continue
        main_blocks = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
                       for n in ast.walk(node)}
        found += [f"{name}:{call.lineno}" for call in ast.walk(tree) if isinstance(call, ast.Call) and id(call) not in main_blocks
                  and ast.unparse(call.func) in speaking and (name, ast.unparse(call.func)) not in FORKED_ENDS]
    assert not found


@pytest.mark.skipif(shutil.which("mypy") is None and subprocess.run([sys.executable, "-m", "mypy", "--version"],
                    capture_output=True).returncode != 0, reason="mypy is not installed (pip install -e '.[test]')")
def test_types_check() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", "/dev/null"],
                          cwd=PACKAGE.parents[1], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
