"""Importing plugin modules from the three sources, hashing their source, formatting failures.

Workspace plugins are imported under a synthetic package ``modelmap_ws_<8 hex>`` whose
``__path__`` is ``<workspace>/plugins`` and whose ``tools`` submodule is
:mod:`modelmap.plugins.tools`, so the seed's ``from ...tools import check_argument``
works unchanged in ``<workspace>/plugins/classifiers/<name>/__init__.py``.  Their source
is compiled straight from the ``.py`` files (no ``__pycache__`` is read or written in the
user's workspace), so an edited plugin is always imported as it is on disk.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import re
import sys
import traceback
import types
from pathlib import Path
from typing import Any

from modelmap.plugins import tools as _tools

WS_PREFIX = "modelmap_ws_"
SUBPACKAGES = {"dataset": "datasets", "classifier": "classifiers"}
ENTRY_POINT_GROUPS = {"dataset": "modelmap.datasets", "classifier": "modelmap.classifiers"}


class _SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Compiles from the source file every time; never touches bytecode caches."""

    def get_code(self, fullname: str) -> types.CodeType:
        source = self.get_data(self.path)
        return self.source_to_code(source, self.path)


class _WorkspaceFinder(importlib.abc.MetaPathFinder):
    """Finds modules below the synthetic workspace packages with :class:`_SourceOnlyLoader`."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if not fullname.startswith(WS_PREFIX) or "." not in fullname:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = _SourceOnlyLoader(spec.loader.name, spec.loader.path)
            spec.cached = None
        return spec


def _install_finder() -> None:
    if not any(isinstance(f, _WorkspaceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _WorkspaceFinder())


def workspace_package(workspace: Path) -> str:
    """The synthetic package name of a workspace (stable for one resolved path)."""
    digest = hashlib.sha256(str(workspace.resolve()).encode()).hexdigest()[:8]
    return WS_PREFIX + digest


def _new_package(name: str, path: Path) -> types.ModuleType:
    module = types.ModuleType(name, f"modelmap workspace plugins in {path}")
    module.__path__ = [str(path)]
    module.__package__ = name
    module.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=True)
    module.__spec__.submodule_search_locations = [str(path)]
    sys.modules[name] = module
    return module


def prepare_workspace(workspace: Path) -> str:
    """Create (or reset) the synthetic package of ``workspace``; return its name.

    Plugin modules imported earlier from this workspace are dropped so that an edited
    plugin is imported again.
    """
    _install_finder()
    name = workspace_package(workspace)
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    root = _new_package(name, workspace / "plugins")
    sys.modules[f"{name}.tools"] = _tools
    root.tools = _tools  # type: ignore[attr-defined]
    for sub in SUBPACKAGES.values():
        setattr(root, sub, _new_package(f"{name}.{sub}", workspace / "plugins" / sub))
    importlib.invalidate_caches()
    return name


_IMPORTLIB = os.path.dirname(importlib.__file__)
_OWN_FILES = {os.path.join(os.path.dirname(__file__), f) for f in ("_loading.py", "_registry.py")}


def _is_plugin_frame(filename: str) -> bool:
    """Frames of importlib and of the registry itself say nothing about the plugin."""
    return not (filename.startswith(("<", _IMPORTLIB)) or filename in _OWN_FILES
                or f"{os.sep}importlib_metadata{os.sep}" in filename)


#: Import names whose PyPI distribution is named differently.
_PYPI_NAMES = {"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow",
               "yaml": "pyyaml", "skimage": "scikit-image", "umap": "umap-learn"}


def describe_exception(exc: BaseException) -> str:
    """``Type: message (file:line)`` with the innermost frame in the plugin's own code;
    a missing module adds a ``pip install`` hint naming it."""
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, SyntaxError) and exc.filename:
        text = f"{type(exc).__name__}: {exc.msg}"
        return f"{text} ({exc.filename}:{exc.lineno})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_plugin_frame(f.filename)]
    if frames:
        text += f" ({frames[-1].filename}:{frames[-1].lineno})"
    return text + missing_module_hint(exc)


def missing_module_hint(exc: BaseException) -> str:
    """`` — the module 'x' is not installed; ...`` for a :class:`ModuleNotFoundError` of a
    third-party module, else ``""``."""
    name = getattr(exc, "name", None)
    if not isinstance(exc, ModuleNotFoundError) or not name or name.startswith(WS_PREFIX):
        return ""
    top = name.split(".")[0]
    try:
        if importlib.util.find_spec(top) is not None:
            return ""  # the package is there; a module inside it is missing
    except (ImportError, ValueError):
        pass
    return (f" — the module '{top}' is not installed in this Python ({sys.executable}); "
            f"install it with `pip install {_PYPI_NAMES.get(top, top)}`")


_NAME_IN_SOURCE = re.compile(r"""['"]name['"]\s*:\s*['"]([A-Za-z0-9_]+)['"]""")


def guess_name(folder: Path) -> str:
    """The plugin name a folder most likely declares (the first ``'name': '...'`` in its
    ``__init__.py``), for a plugin that cannot be imported; else the folder's name."""
    try:
        source = (folder / "__init__.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return folder.name
    match = _NAME_IN_SOURCE.search(source)
    return match.group(1) if match else folder.name


def folder_status(folder: Path) -> str:
    """``plugin``, ``skip`` or ``no-init`` (Python files but no ``__init__.py``).

    Like the seed, every folder with an ``__init__.py`` is a plugin, also ``_naive``;
    only ``__pycache__`` and dot-folders are skipped."""
    if folder.name == "__pycache__" or folder.name.startswith(".") or not folder.is_dir():
        return "skip"
    if (folder / "__init__.py").is_file():
        return "plugin"
    return "no-init" if any(folder.glob("*.py")) else "skip"


def source_hash(path: Path) -> str:
    """sha256 over every ``.py`` file under ``path`` (sorted relative path + bytes)."""
    digest = hashlib.sha256()
    if path.is_file():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()
    files = sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    for file in files:
        rel = file.relative_to(path).as_posix()
        digest.update(rel.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def module_path(module: types.ModuleType) -> Path:
    """The plugin folder of a package, or the file of a single-module plugin."""
    file = Path(getattr(module, "__file__", "") or ".")
    return file.parent if file.name == "__init__.py" else file


def workspace_fingerprint(workspace: Path | None) -> tuple:
    """Cheap change detector: (relative path, mtime_ns, size) of files in plugin folders."""
    if workspace is None:
        return ()
    rows = []
    for sub in SUBPACKAGES.values():
        root = workspace / "plugins" / sub
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for fname in sorted(filenames + [""]):  # "" stats the folder itself
                file = Path(dirpath, fname)
                stat = file.stat()
                rows.append((file.relative_to(root.parent).as_posix(), stat.st_mtime_ns,
                             stat.st_size))
    return tuple(rows)


def entry_points(kind: str) -> list[importlib.metadata.EntryPoint]:
    """Installed entry points of a plugin kind, sorted by name then value."""
    found = importlib.metadata.entry_points(group=ENTRY_POINT_GROUPS[kind])
    return sorted(found, key=lambda ep: (ep.name, ep.value))


def entry_points_fingerprint() -> tuple:
    rows = []
    for kind in ENTRY_POINT_GROUPS:
        for ep in entry_points(kind):
            rows.append((kind, ep.name, ep.value, dist_name(ep)))
    return tuple(rows)


def dist_name(ep: importlib.metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "name", None) or "unknown"
