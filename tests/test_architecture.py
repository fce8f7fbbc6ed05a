"""The import rules of the house plan (shared/DESIGN.md), checked over the source with `ast`.

Three rules, each over every import in ``src/modelmap`` (those inside functions too, which is
where cycles hide):

1. **Layers**: a package imports only packages of a lower layer (or its own).
2. **Private modules**: a package never imports another package's ``_private`` module; each
   such name needs a public home (the other package's ``__init__`` re-exports it).
3. **No cycles** between packages.

The debts that were in the tree when the rules were written are listed in ``KNOWN_*`` below
(issue 12 pays them off). The lists only shrink: a new violation fails, and so does an entry
that is no longer needed, so that it is struck off when it is paid.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "modelmap"

# Lowest first. A package may import the packages of any lower layer and those of its own
# layer that the same-layer rule below allows (there are none: same-layer imports are
# violations, which keeps each layer free of cycles by construction).
LAYERS: list[set[str]] = [
    {"errors", "_gc"},
    {"jobs", "data", "workspace", "compare", "params"},
    {"projection"},
    {"plugins"},
    {"training"},
    {"store"},
    {"execution"},
    {"batch"},
    {"tuning"},
    {"queries"},
    {"server", "ui"},
    {"cli", "__init__"},
    {"__main__"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}

# (importing package, imported package) pairs that break the layer rule today.
KNOWN_LAYER_BREAKS = {
    ("server", "ui"),           # create_app mounts the UI: the caller should (issue 12 item 3)
}
# (importing file, imported private module) pairs: all paid off by issue 12 item 6; keep it empty.
KNOWN_PRIVATE: set[tuple[str, str]] = set()
KNOWN_CYCLES: set[frozenset[str]] = set()


def _package_of(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _module_of(rel: Path) -> list[str]:
    parts = ["modelmap", *rel.with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(rel: Path, tree: ast.AST) -> list[str]:
    """Every ``modelmap.…`` module named by an import in the file (relative ones resolved)."""
    here = _module_of(rel)
    package = here if rel.name == "__init__.py" else here[:-1]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            # `from modelmap.x import _y` may name a private module too
            names += [f"{module}.{alias.name}" for alias in node.names
                      if alias.name.startswith("_") and not alias.name.startswith("__")]
    return [name for name in names if name.split(".")[0] == "modelmap" and "." in name]


def _scan() -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    edges: dict[str, set[str]] = defaultdict(set)
    private: set[tuple[str, str]] = set()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "examples":
            continue  # plugins in the seed's own format, shipped as examples for users
        source = _package_of(rel)
        for name in _imported(rel, ast.parse(path.read_text(encoding="utf-8"))):
            parts = name.split(".")
            target = parts[1]
            if target == source:
                continue
            edges[source].add(target)
            if len(parts) > 2 and parts[2].startswith("_") and not parts[2].startswith("__"):
                if (path := ROOT / Path(*parts[1:3])).is_dir() or path.with_suffix(".py").exists():
                    private.add((rel.as_posix(), ".".join(parts[:3])))
    return edges, private


EDGES, PRIVATE = _scan()


def test_every_package_has_a_layer() -> None:
    packages = {_package_of(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")} - {"examples"}
    assert packages - LAYER.keys() == set(), "add the new package to LAYERS (and DESIGN.md)"


def test_no_layer_imports_one_above_it() -> None:
    breaks = {(a, b) for a, targets in EDGES.items() for b in targets
              if LAYER.get(b, -1) >= LAYER.get(a, len(LAYERS))}
    assert breaks - KNOWN_LAYER_BREAKS == set(), "a package imports a higher (or same) layer"
    assert KNOWN_LAYER_BREAKS - breaks == set(), "paid off: strike it from KNOWN_LAYER_BREAKS"


def test_no_package_imports_another_packages_private_module() -> None:
    assert PRIVATE - KNOWN_PRIVATE == set(), "import the public name (re-export it) instead"
    assert KNOWN_PRIVATE - PRIVATE == set(), "paid off: strike it from KNOWN_PRIVATE"


def _cycles(edges: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_new_cycles() -> None:
    cycles = _cycles(EDGES)
    assert cycles - KNOWN_CYCLES == set()
    assert KNOWN_CYCLES - cycles == set(), "paid off: strike it from KNOWN_CYCLES"


@pytest.mark.parametrize("edges, expected", [
    ({"a": {"b"}, "b": {"a"}}, {frozenset({"a", "b"})}),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, {frozenset({"a", "b", "c"})}),
    ({"a": {"b"}, "b": set()}, set()),
])
def test_the_cycle_finder_finds_cycles(edges, expected) -> None:
    assert _cycles(edges) == expected


def test_the_scanner_sees_imports_inside_functions(tmp_path: Path) -> None:
    tree = ast.parse("def f():\n    from modelmap.store._results import x\n"
                     "    from ..server import queries\n")
    names = _imported(Path("ui/views/_map.py"), tree)
    assert "modelmap.store._results" in names and "modelmap.ui.server" in names
