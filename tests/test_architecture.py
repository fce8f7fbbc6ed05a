"""The import rules of the house plan (shared/DESIGN.md), checked over the source with `ast`.

Three rules, each over every import in ``src/modelmap`` (those inside functions too, which is
where cycles hide):

1. **Layers**: a package imports only packages of a lower layer (or its own).
2. **Private modules**: a package never imports another package's ``_private`` module; each
   such name needs a public home (the other package's ``__init__`` re-exports it).
3. **No cycles** between packages.

And one door to the store: the API, the web app and the CLI (``server``, ``ui``, ``cli``)
read and write stored results only through ``modelmap.queries``.  They may import
``Store`` from ``modelmap.store`` (to open one, and as a type) and nothing else from it,
and they call no method of a store but ``close`` (a call ``….store.m()``, ``store.m()``
or ``x_store.m()`` where ``m`` is a public method of ``Store``).

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
    {"jobs", "workspace", "compare", "params"},
    {"data"},                   # reads the job's data section: defaults in one place, jobs/
    {"projection"},
    {"plugins"},
    {"training"},
    {"store"},
    {"execution"},
    {"batch"},
    {"tuning"},
    {"queries"},
    {"server", "ui"},
    {"app"},                    # the whole server: the API with the web app mounted on it
    {"cli", "__init__"},
    {"__main__"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}

# (importing package, imported package) pairs that break the layer rule today.
KNOWN_LAYER_BREAKS: set[tuple[str, str]] = set()
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


# -- one door to the store -----------------------------------------------------------------
DOOR_USERS = ("server", "ui", "app", "cli")
STORE_NAMES_ALLOWED = {"Store"}    # opening a store, and its type in annotations
STORE_CALLS_ALLOWED = {"close"}    # its lifecycle; every read and write goes through queries


def _store_methods() -> set[str]:
    from modelmap.store import Store

    return {name for name in dir(Store) if not name.startswith("_")
            and callable(getattr(Store, name, None))}


def _is_store(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name == "store" or name.endswith("_store")


def _store_uses(rel: Path, tree: ast.AST, methods: set[str]) -> list[str]:
    """``file:line what`` of every use of the store that goes around the query layer."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "modelmap.store":
            extra = {alias.name for alias in node.names} - STORE_NAMES_ALLOWED
            found += [f"{rel}:{node.lineno} imports {name} from modelmap.store"
                      for name in sorted(extra)]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [module] if module else [alias.name for alias in node.names]
            found += [f"{rel}:{node.lineno} imports {name}" for name in names
                      if name and name.startswith("modelmap.store")]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in methods - STORE_CALLS_ALLOWED and _is_store(node.func.value)):
            found.append(f"{rel}:{node.lineno} calls store.{node.func.attr}()")
    return found


def test_the_api_the_web_app_and_the_cli_use_the_store_only_through_queries() -> None:
    methods = _store_methods()
    uses = []
    for package in DOOR_USERS:
        module = ROOT / f"{package}.py"
        for path in [module] if module.exists() else sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            uses += _store_uses(path.relative_to(ROOT), tree, methods)
    assert uses == [], "read and write through modelmap.queries (add a query if one is missing)"


def test_the_door_rule_sees_store_imports_and_calls() -> None:
    tree = ast.parse("from modelmap.store import Store, is_reference\n"
                     "import modelmap.store._results\n"
                     "def f(store, data):\n"
                     "    store.close()\n    data.store.result(1)\n    src_store.jobs()\n"
                     "    queries.delete_job(store, 1)\n")
    uses = _store_uses(Path("cli/x.py"), tree, {"close", "result", "jobs", "delete_job"})
    assert [use.split(" ", 1)[1] for use in uses] == [
        "imports is_reference from modelmap.store", "imports modelmap.store._results",
        "calls store.result()", "calls store.jobs()"]


# -- small functions -------------------------------------------------------------------
MAX_FUNCTION_LINES = 60  # from `def` to the function's last line (decorators not counted)


def _long_functions(rel: Path, tree: ast.AST, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    return [f"{rel}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > limit]


def test_no_function_is_longer_than_60_lines() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        found += _long_functions(rel, ast.parse(path.read_text(encoding="utf-8")))
    assert found == [], "split these into functions that each do one thing"


def test_the_length_rule_counts_from_def_to_the_last_line() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(59))
    tree = ast.parse(f"@decorator\ndef fits():\n{body}\ndef long():\n{body}    return 1\n")
    assert _long_functions(Path("m.py"), tree) == ["m.py:63 long (61 lines)"]


# -- no repeated blocks ----------------------------------------------------------------
PYLINT_DUPLICATES = ["--disable=all", "--enable=duplicate-code", "--min-similarity-lines=10",
                     "--score=n"]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_no_block_of_10_lines_is_repeated_in_src() -> None:
    """The duplicate-code check of `make lint` (pylint; about 25-60 s)."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("pylint") is None:
        pytest.skip("pylint is not installed (pip install -e '.[test]' installs it)")
    done = subprocess.run([sys.executable, "-m", "pylint", *PYLINT_DUPLICATES, str(ROOT)],
                          capture_output=True, text=True, timeout=280)
    assert done.returncode == 0 and "R0801" not in done.stdout, done.stdout[-5000:]


def test_the_module_table_in_the_design_notes_matches_the_layers() -> None:
    notes = (ROOT.parents[1] / "docs" / "design-notes.md").read_text(encoding="utf-8")
    table = notes[notes.index("## Module table"):]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            name = cells[1].split("`")[1].removesuffix("/").removesuffix(".py")
            rows[name] = int(cells[0])
    assert rows == LAYER, "update docs/design-notes.md's module table (and DESIGN.md's)"
