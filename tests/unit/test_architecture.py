"""The import graph of `sitegen/`: no cycles, and every import points down the layers.

The layers are docs/architecture.md's "Layers" table. Every import counts, including the ones
inside functions (a lazy import hides a cycle from Python, not from the design).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sitegen"

# From the bottom up; a module may import its own layer and the ones below it.
LAYER_ORDER = ("base", "content", "remote", "site", "theme", "build", "serve, sync", "face")

# Module (dotted, without "sitegen.") or package prefix ending in "." -> layer. A module matches its
# own name first, then the longest package prefix.
LAYERS: dict[str, str] = {
    "cli": "face",
    "commands.": "face",
    "__main__": "face",
    "serve.": "serve, sync",
    "sync.": "serve, sync",
    "auth": "serve, sync",
    "session": "serve, sync",
    "scaffold.": "face",  # the starter files of `sitegen new`
    "build": "build",
    "render.": "build",
    "cache": "build",
    "writer": "build",
    "search": "build",
    "search.stage": "build",  # plans the index files as build outputs
    "search.index": "content",  # pure: documents -> index shards
    "theme": "theme",
    "fragments": "theme",
    "site": "site",
    "routing": "site",
    "feeds": "site",
    "views": "site",
    "links": "site",
    "navigation": "site",
    "authors": "site",
    "taxonomies": "site",
    "redirects": "site",
    "importers.": "serve, sync",  # `sitegen import`: reads another site, writes a sitegen site
    "remote.": "remote",
    "frontmatter": "content",
    "titles": "content",
    "shortcodes": "content",
    "limits": "content",
    "markers": "content",
    "data_files": "content",
    "markdown.": "content",
    "markdown_warnings": "content",
    "model": "content",
    "sources.": "content",
    "slugs": "content",
    "config": "base",
    "errors": "base",
    "console": "base",
    "fsio": "base",
    "paths": "base",
    "dates": "base",
    "__init__": "base",
}


# "The build never reaches Supabase; commands reach Supabase only through sync and auth."
NO_REMOTE = (
    "build",
    "render.",
    "cache",
    "writer",
    "theme",
    "fragments",
    "site",
    "routing",
    "feeds",
)
NO_REMOTE_FROM_COMMANDS = ("cli", "commands.")
# Commands that still call remote/ directly; move their calls behind sync/ or auth, then shrink this.
KNOWN_COMMAND_CROSSINGS = {"commands.history", "commands.members", "commands.profile"}


def module_name(path: Path) -> str:
    """`sitegen/render/views.py` -> `render.views`; a package's `__init__` is the package."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "themes" not in p.parts}


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every sitegen module `name` imports, anywhere in the file (relative imports resolved)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "__init__":
        package = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sitegen."):
                    yield _closest(alias.name.removeprefix("sitegen."), known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module == "sitegen":
                target = ""
            elif node.module and node.module.startswith("sitegen."):
                target = node.module.removeprefix("sitegen.")
            else:
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}" if target else alias.name
                yield full if full in known else _closest(target or "__init__", known)


def _closest(dotted: str, known: set[str]) -> str:
    """The longest known module that `dotted` names or lies inside."""
    parts = dotted.split(".")
    while parts and ".".join(parts) not in known:
        parts.pop()
    return ".".join(parts) if parts else "__init__"


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    return {
        name: {t for t in imported(name, path, known) if t != name}
        for name, path in modules.items()
    }


def layer_of(module: str) -> str | None:
    if module in LAYERS:
        return LAYERS[module]
    prefixes = [p for p in LAYERS if p.endswith(".") and f"{module}.".startswith(p)]
    return LAYERS[max(prefixes, key=len)] if prefixes else None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path `a -> b -> ... -> a`, or None (iterative DFS, three colours)."""
    state: dict[str, int] = {}
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = import_graph()
    assert "errors" in graph["config"]
    assert len(graph) > 50


def test_every_module_has_a_layer() -> None:
    missing = [m for m in all_modules() if layer_of(m) is None]
    assert not missing, "\n".join(
        f"add sitegen/{m.replace('.', '/')}.py to LAYERS in tests/unit/test_architecture.py "
        "(see docs/architecture.md, 'Layers')"
        for m in missing
    )


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_imports_point_down_the_layers() -> None:
    rank = {layer: i for i, layer in enumerate(LAYER_ORDER)}
    upward = [
        f"{m} ({layer_of(m)}) imports {t} ({layer_of(t)})"
        for m, targets in sorted(import_graph().items())
        for t in sorted(targets)
        if (lm := layer_of(m)) and (lt := layer_of(t)) and rank[lt] > rank[lm]
    ]
    assert not upward, "imports that climb a layer:\n" + "\n".join(upward)


def _matches(module: str, patterns: tuple[str, ...]) -> bool:
    return any(module == p or (p.endswith(".") and module.startswith(p)) for p in patterns)


def test_the_build_never_reaches_supabase() -> None:
    crossings = [
        f"{m} imports {t}"
        for m, targets in sorted(import_graph().items())
        if _matches(m, NO_REMOTE)
        for t in sorted(targets)
        if t.startswith("remote")
    ]
    assert not crossings, "\n".join(crossings)


def test_commands_reach_supabase_only_through_sync_and_auth() -> None:
    crossings = [
        f"{m} imports {t}"
        for m, targets in sorted(import_graph().items())
        if _matches(m, NO_REMOTE_FROM_COMMANDS) and m not in KNOWN_COMMAND_CROSSINGS
        for t in sorted(targets)
        if t.startswith("remote")
    ]
    assert not crossings, "\n".join(crossings)


# Names of files and folders, each spelled in one module (the others import it from there).
SPELLED_ONCE = {
    ".sitegen": "paths",
    "sitegen.toml": "paths",
    "content": "paths",
    "content/media": "sources.local",
    "media/": "sources.local",
}
# Where the same letters mean something else, or are still to be replaced.
SPELLED_ELSEWHERE = {
    ("scaffold", "sitegen.toml"),  # the starter kit's file list
    ("sync.doctor", "sitegen.toml"),  # the name of a check, as printed
    ("sync.authors", "media/"),  # to replace by sources.local.MEDIA_PREFIX
    ("markdown.fast", "content"),  # the text field of markdown-it-pyrs's tree nodes
}


def test_names_of_files_and_folders_are_spelled_once() -> None:
    twins = sorted(
        f"sitegen/{name.replace('.', '/')}.py:{node.lineno}: {node.value!r} (use {SPELLED_ONCE[node.value]})"
        for name, path in all_modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and node.value in SPELLED_ONCE
        and name != SPELLED_ONCE[node.value]
        and (name, node.value) not in SPELLED_ELSEWHERE
    )
    assert not twins, "\n".join(twins)


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b", "c"}, "b": {"c"}, "c": {"b"}}, ["b", "c", "b"]),
    ],
)
def test_find_cycle(graph: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert find_cycle(graph) == cycle


# The build's stages (issue 13): pure functions from values to values. What a build reuses and
# how it spreads work over processes wraps around them (render.reuse, render.parallel, cache),
# so no stage may reach either.
STAGES = (
    "render.sources",
    "render.documents",
    "render.plan",
    "site",
    "frontmatter",
    "markdown.",
    "theme",
    "writer",
    "search.stage",
    "search.index",
)
AROUND_THE_STAGES = {
    "cache",
    "render.reuse",
    "render.parallel",
    "render.renders",
    "render.fingerprint",
}


def test_no_stage_reaches_the_cache_or_the_executor() -> None:
    def is_stage(module: str) -> bool:
        return any(module == s or (s.endswith(".") and module.startswith(s)) for s in STAGES)

    graph = import_graph()
    stages = [m for m in graph if is_stage(m)]
    assert len(stages) >= 10
    crossings = [
        f"{m} imports {t}" for m in sorted(stages) for t in sorted(graph[m] & AROUND_THE_STAGES)
    ]
    assert not crossings, "\n".join(crossings)
