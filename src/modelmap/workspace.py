"""A workspace: ``jobs/``, ``plugins/datasets/``, ``plugins/classifiers/`` and the store."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from modelmap.errors import WorkspaceError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MARKER = "modelmap.toml"
DEFAULT_STORE = "modelmap.db"
EXAMPLES = Path(__file__).parent / "examples"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def jobs_dir(self) -> Path:
        return self.root / "jobs"

    @property
    def plugins_dir(self) -> Path:
        return self.root / "plugins"

    @property
    def datasets_dir(self) -> Path:
        return self.plugins_dir / "datasets"

    @property
    def classifiers_dir(self) -> Path:
        return self.plugins_dir / "classifiers"

    def settings(self) -> dict:
        path = self.root / MARKER
        if not path.exists():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"cannot read {path}: {exc}",
                                 hint="fix the TOML syntax or delete the file") from None

    def store_url(self, explicit: str | None = None) -> str:
        """``--store``, else ``MODELMAP_STORE``, else modelmap.toml's [store] url, else the
        workspace's ``modelmap.db``."""
        url = explicit or os.environ.get("MODELMAP_STORE") or self.settings().get(
            "store", {}).get("url")
        if not url:
            return str(self.root / DEFAULT_STORE)
        if "://" not in url and not Path(url).is_absolute():
            return str(self.root / url)
        return url


def find_workspace(explicit: str | os.PathLike | None = None) -> Workspace:
    """``--workspace``, else ``MODELMAP_WORKSPACE``, else the nearest folder upwards from the
    current one holding ``modelmap.toml``, else the current folder."""
    given = explicit or os.environ.get("MODELMAP_WORKSPACE")
    if given:
        root = Path(given).expanduser().resolve()
        if not root.is_dir():
            raise WorkspaceError(f"workspace folder {root} does not exist",
                                 hint=f"create it with `modelmap init {given}`")
        return Workspace(root)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).exists():
            return Workspace(folder)
    return Workspace(here)


def init_workspace(path: str | os.PathLike, *, force: bool = False) -> tuple[Workspace, list[Path]]:
    """Create a workspace with the example jobs and one example plugin of each kind."""
    root = Path(path).expanduser().resolve()
    if (root / MARKER).exists() and not force:
        raise WorkspaceError(f"{root} is already a modelmap workspace",
                             hint="use --force to add missing example files")
    created: list[Path] = []
    for sub in ("jobs", "plugins/datasets", "plugins/classifiers"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    marker = root / MARKER
    if not marker.exists():
        marker.write_text(
            "# modelmap workspace settings\n[store]\n# url = \"postgresql://user@host/db\"\n"
            f"url = \"{DEFAULT_STORE}\"\n", encoding="utf-8")
        created.append(marker)
    for src_dir, dst_dir in ((EXAMPLES / "jobs", root / "jobs"),
                             (EXAMPLES / "plugins", root / "plugins"),
                             (EXAMPLES / "data", root / "data")):
        for src in sorted(src_dir.rglob("*")):
            if src.is_dir() or "__pycache__" in src.parts:
                continue
            dst = dst_dir / src.relative_to(src_dir)
            if dst.exists():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            created.append(dst)
    return Workspace(root), created
