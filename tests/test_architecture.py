"""The layering rules of the developers' guide, checked on the import graph of the source tree.

- knowledge/ is plain Python: it imports nothing from Rasa, the actions or the channels;
- no import cycles between our modules (also through imports inside functions);
- an action module never imports another action module (shared helpers are fine);
- the channels import no search, planning or catalogue code (they only serve files and relay).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("knowledge", "actions", "channels", "rasa_ext")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that ``path`` imports, also inside functions (a lazy import hides a cycle)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                names.add(sub if sub in modules else node.module)
    return {n for n in names if n in modules}


def _graph() -> dict[str, set[str]]:
    modules = _sources()
    return {name: _imports(path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_package_init(name: str, other: str) -> bool:
    """A package's __init__ importing its own submodules, and they it: Python allows that."""
    return other.startswith(name + ".") or name.startswith(other + ".")


def test_no_import_cycles():
    graph = _graph()
    graph = {m: {t for t in ts if not _is_package_init(m, t)} for m, ts in graph.items()}
    assert _cycles(graph) == []


def test_knowledge_imports_no_rasa_actions_or_channels():
    for path in (ROOT / "knowledge").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & {"rasa", "rasa_sdk", "actions", "channels", "rasa_ext"}, path


def _is_action_module(path: Path) -> bool:
    """A module that defines a concrete action (abstract bases for several actions are helpers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = [
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            ]
            if "ABC" not in bases and any(b.endswith("Action") for b in bases):
                return True
    return False


def test_actions_never_import_each_other():
    graph = _graph()
    actions = {
        name
        for name, path in _sources().items()
        if name.startswith("actions.") and _is_action_module(path)
    }
    crossing = {a: sorted(graph[a] & actions) for a in sorted(actions) if graph[a] & actions}
    assert crossing == {}


def test_channels_load_no_search_or_planning_code():
    probe = (
        "import sys, json\n"
        "import channels.web.server, channels.telegram.bridge\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    loaded = result.stdout.strip().splitlines()[-1]
    for heavy in ("knowledge.search", "knowledge.planning", "knowledge.catalogue", "bm25s"):
        assert f'"{heavy}' not in loaded, heavy
