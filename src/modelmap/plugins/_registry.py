"""The plugin registry: built-ins, installed entry points and workspace folders.

Sources are read in this order, a later one replacing an earlier plugin of the same name
(each replacement is recorded in :attr:`Registry.notices`):

1. built-ins: ``modelmap.plugins.datasets.<name>`` and ``modelmap.plugins.classifiers.<name>``;
2. entry points of installed distributions, groups ``modelmap.datasets`` and
   ``modelmap.classifiers`` (each value names a module or package implementing the contract;
   such plugins import ``from modelmap.plugins.tools import check_argument``);
3. workspace folders ``<workspace>/plugins/datasets/<name>/__init__.py`` and
   ``<workspace>/plugins/classifiers/<name>/__init__.py`` (the seed's
   ``from ...tools import check_argument`` works there unchanged).

A plugin that cannot be imported, whose ``get_info()`` fails or whose info is invalid
becomes a :class:`LoadProblem`; every other plugin still loads.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import pkgutil
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelmap.errors import PluginError
from modelmap.params import validate_info
from modelmap.plugins import _loading
from modelmap.plugins._spec import plugin_entry
from modelmap.projection import PROJECTIONS, projection_entry

KINDS = ("dataset", "classifier")
_REQUIRED = {"dataset": ("get_info", "get_data"), "classifier": ("get_info", "get_clf")}


@dataclass(frozen=True)
class Plugin:
    """One loaded plugin: its module, its info and where it came from."""

    kind: str
    name: str
    module: types.ModuleType = field(compare=False, repr=False)
    info: Mapping[str, Any] = field(compare=False, repr=False)
    origin: str
    path: Path
    source_hash: str

    def parameters(self) -> list[dict] | None:
        """Declared parameters, or ``None`` when the plugin accepts any (``any_parameters``)."""
        if self.info.get("any_parameters"):
            return None
        return [dict(p) for p in self.info.get("parameters") or ()]


@dataclass(frozen=True)
class LoadProblem:
    """A plugin that could not be loaded: where it is and what went wrong."""

    kind: str
    location: str
    error: str
    name: str = ""


class _Collector:
    def __init__(self) -> None:
        self.found: dict[str, dict[str, Plugin]] = {kind: {} for kind in KINDS}
        self.problems: list[LoadProblem] = []
        self.notices: list[str] = []

    def add(self, plugin: Plugin) -> None:
        old = self.found[plugin.kind].get(plugin.name)
        if old is not None:
            self.notices.append(
                f"{plugin.origin} {plugin.kind} '{plugin.name}' ({plugin.path}) overrides "
                f"the {old.origin} one ({old.path}); jobs naming '{plugin.name}' use the "
                f"{plugin.origin} one."
            )
        self.found[plugin.kind][plugin.name] = plugin

    def fail(self, problem: LoadProblem) -> None:
        self.problems.append(problem)
        old = self.found[problem.kind].get(problem.name)
        if old is not None:
            self.notices.append(
                f"{problem.kind} '{problem.name}' at {problem.location} failed to load "
                f"({problem.error}); the {old.origin} one ({old.path}) is used instead."
            )

    def load(self, kind: str, import_name: str, origin: str, location: str, guess: str) -> None:
        try:
            module = importlib.import_module(import_name)
        except (Exception, SystemExit) as exc:
            self.fail(LoadProblem(kind, location, _loading.describe_exception(exc), guess))
            return
        self.take(kind, module, origin, location, guess)

    def take(self, kind: str, module: Any, origin: str, location: str, guess: str) -> None:
        result = _make_plugin(kind, module, origin)
        if isinstance(result, Plugin):
            self.add(result)
        else:
            self.fail(LoadProblem(kind, location, result, guess))


def _make_plugin(kind: str, module: Any, origin: str) -> Plugin | str:
    """A :class:`Plugin`, or the text of what is wrong with ``module``."""
    if not isinstance(module, types.ModuleType):
        return f"PluginError: expected a module, got {type(module).__name__} {module!r}."
    missing = [f for f in _REQUIRED[kind] if not callable(getattr(module, f, None))]
    if missing:
        return (
            f"PluginError: a {kind} plugin must define {' and '.join(f + '()' for f in missing)}"
            f"; see the seed's plugin contract."
        )
    try:
        info = module.get_info()
    except (Exception, SystemExit) as exc:
        return "get_info() failed: " + _loading.describe_exception(exc)
    problems = validate_info(info)
    if problems:
        return "PluginError: invalid get_info(): " + " ".join(problems)
    if origin == "builtin" and hasattr(module, "__modelmap_source_hash__"):
        # built-ins made from a table (plugins/classifiers/_table.py) name their own; they
        # have no file, and hashing module_path's "." would read every .py file under the
        # current folder (seconds in a project with a .venv, each time plugins are found)
        path = getattr(module, "__modelmap_path__", _loading.module_path(module))
        return Plugin(kind, info["name"], module, info, origin, path,
                      module.__modelmap_source_hash__)
    path = _loading.module_path(module)
    return Plugin(kind, info["name"], module, info, origin, path, _loading.source_hash(path))


def _discover_builtins(collector: _Collector) -> None:
    for kind, sub in _loading.SUBPACKAGES.items():
        package = importlib.import_module(f"modelmap.plugins.{sub}")
        names = sorted({m.name for m in pkgutil.iter_modules(package.__path__) if m.ispkg}
                       | set(getattr(package, "GENERATED", ())))
        for name in names:
            if name.startswith(("_", ".")):
                continue
            location = str(Path(package.__path__[0]) / name)
            collector.load(kind, f"{package.__name__}.{name}", "builtin", location, name)


def _discover_entry_points(collector: _Collector) -> None:
    for kind in KINDS:
        for ep in _loading.entry_points(kind):
            dist = _loading.dist_name(ep)
            location = f"entry point '{ep.name} = {ep.value}' of {dist}"
            try:
                module = ep.load()
            except (Exception, SystemExit) as exc:
                problem = _loading.describe_exception(exc)
                collector.fail(LoadProblem(kind, location, problem, ep.name))
                continue
            collector.take(kind, module, f"entrypoint:{dist}", location, ep.name)


def _discover_workspace(collector: _Collector, workspace: Path) -> None:
    if not (workspace / "plugins").is_dir():
        return
    package = _loading.prepare_workspace(workspace)
    for kind, sub in _loading.SUBPACKAGES.items():
        root = workspace / "plugins" / sub
        folders = sorted(root.iterdir()) if root.is_dir() else []
        for folder in folders:
            status = _loading.folder_status(folder)
            if status == "no-init":
                collector.fail(LoadProblem(
                    kind, str(folder),
                    f"PluginError: the folder has Python files but no __init__.py; add "
                    f"{folder / '__init__.py'} defining {' and '.join(_REQUIRED[kind])}.",
                    folder.name,
                ))
            elif status == "plugin":
                name = f"{package}.{sub}.{folder.name}"
                collector.load(kind, name, "workspace", str(folder), _loading.guess_name(folder))


_CACHE: dict[tuple, tuple[tuple, Registry]] = {}


class Registry:
    """All plugins that could be loaded, the problems of those that could not, and notices."""

    def __init__(
        self,
        datasets: Mapping[str, Plugin],
        classifiers: Mapping[str, Plugin],
        problems: tuple[LoadProblem, ...] = (),
        notices: tuple[str, ...] = (),
    ) -> None:
        self.datasets: Mapping[str, Plugin] = types.MappingProxyType(dict(sorted(datasets.items())))
        self.classifiers: Mapping[str, Plugin] = types.MappingProxyType(
            dict(sorted(classifiers.items()))
        )
        self.problems = tuple(problems)
        self.notices = tuple(notices)

    @classmethod
    def discover(
        cls, workspace: Path | str | None = None, *, entry_points: bool = True,
        refresh: bool = False,
    ) -> Registry:
        """Load every plugin; cached until a workspace plugin file or the entry points change."""
        ws = Path(workspace).resolve() if workspace is not None else None
        key = (str(ws) if ws else None, entry_points)
        fingerprint = (
            _loading.workspace_fingerprint(ws),
            _loading.entry_points_fingerprint() if entry_points else (),
        )
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == fingerprint and not refresh:
            return cached[1]
        collector = _Collector()
        _discover_builtins(collector)
        if entry_points:
            _discover_entry_points(collector)
        if ws is not None:
            _discover_workspace(collector, ws)
        registry = cls(collector.found["dataset"], collector.found["classifier"],
                       tuple(collector.problems), tuple(collector.notices))
        _CACHE[key] = (fingerprint, registry)
        return registry

    def _mapping(self, kind: str) -> Mapping[str, Plugin]:
        if kind == "dataset":
            return self.datasets
        if kind == "classifier":
            return self.classifiers
        raise PluginError(f"Unknown plugin kind {kind!r}.", hint="use 'dataset' or 'classifier'.")

    def get(self, kind: str, name: str) -> Plugin:
        """The plugin ``name`` of ``kind``, or a :class:`PluginError` that says why not."""
        found = self._mapping(kind)
        if name in found:
            return found[name]
        for problem in self.problems:
            if problem.kind == kind and problem.name == name:
                raise PluginError(
                    f"The {kind} plugin '{name}' failed to load: {problem.error}",
                    where=problem.location,
                    hint="fix the plugin and run again; `modelmap plugins` lists every problem.",
                )
        raise _unknown(kind, name, list(found))

    def problem(self, kind: str, name: str) -> LoadProblem | None:
        """Why the ``kind`` plugin ``name`` failed to load, when it did and no other plugin
        of that name loaded (``None`` otherwise)."""
        if name in self._mapping(kind):
            return None
        return next((p for p in self.problems if p.kind == kind and p.name == name), None)

    def failed_names(self, kind: str) -> list[str]:
        """Names of ``kind`` plugins that failed to load (their jobs' configs fail alone)."""
        found = self._mapping(kind)
        return sorted({p.name for p in self.problems if p.kind == kind and p.name
                       and p.name not in found})

    def source_hash(self, kind: str, name: str) -> str:
        """The source hash of a plugin, also of one that failed to load (from its folder,
        so that editing it changes the keys of its configs)."""
        problem = self.problem(kind, name)
        if problem is None:
            return self.get(kind, name).source_hash
        folder = Path(problem.location)
        if folder.exists():
            return _loading.source_hash(folder)
        return hashlib.sha256(problem.error.encode()).hexdigest()

    def dataset(self, name: str) -> Plugin:
        return self.get("dataset", name)

    def classifier(self, name: str) -> Plugin:
        return self.get("classifier", name)

    def dataset_names(self) -> list[str]:
        return list(self.datasets)

    def classifier_names(self) -> list[str]:
        return list(self.classifiers)

    def projection_names(self) -> list[str]:
        return sorted(PROJECTIONS)

    def parameters(self, kind: str, name: str) -> list[dict] | None:
        """Declared parameters of a dataset, classifier or projection (``None``: any)."""
        if kind == "projection":
            if name not in PROJECTIONS:
                raise _unknown("projection", name, sorted(PROJECTIONS))
            return [dict(p) for p in PROJECTIONS[name]["parameters"]]
        return self.get(kind, name).parameters()

    def spec(self) -> dict[str, Any]:
        """JSON-able description of every plugin and projection, the problems and notices."""
        return {
            "datasets": [plugin_entry(p) for p in self.datasets.values()],
            "classifiers": [plugin_entry(p) for p in self.classifiers.values()],
            "projections": [projection_entry(PROJECTIONS[n]) for n in sorted(PROJECTIONS)],
            "problems": [
                {"kind": p.kind, "name": p.name, "location": p.location, "error": p.error}
                for p in self.problems
            ],
            "notices": list(self.notices),
        }


def _unknown(kind: str, name: str, available: list[str]) -> PluginError:
    close = difflib.get_close_matches(str(name), available, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    hint += f"Available {kind}s: {', '.join(available) or '(none)'}."
    return PluginError(f"There is no {kind} plugin named '{name}'.", hint=hint)


def load_plugin(kind: str, name: str, workspace: Path | str | None = None) -> Plugin:
    """The plugin ``name`` of ``kind`` from a cached :class:`Registry` (for worker processes)."""
    return Registry.discover(workspace).get(kind, name)
