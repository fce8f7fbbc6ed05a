"""Packing what a remote worker needs — the prepared data and the workspace plugins — as
plain bytes (``.npy``/JSON files in a zip), and unpacking it once per worker."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

SKIP_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints"}
MAX_PLUGIN_BYTES = 200 * 1024 * 1024


def zip_folder(folder: Path, arcroot: str) -> bytes:
    """Zip ``folder`` (recursively, minus caches) under ``arcroot/`` in the archive."""
    buffer = io.BytesIO()
    total = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or SKIP_PARTS & set(path.parts) or path.suffix == ".pyc":
                continue
            total += path.stat().st_size
            if total > MAX_PLUGIN_BYTES:
                from modelmap.errors import WorkspaceError

                raise WorkspaceError(
                    f"{folder} holds more than {MAX_PLUGIN_BYTES // 2**20} MiB; too much to "
                    "ship to cluster workers",
                    hint="keep large data files outside plugins/ (e.g. on shared storage) "
                    "and read them from there")
            archive.write(path, f"{arcroot}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:16]


@lru_cache(maxsize=8)
def unpack(blob_digest: str, blob: bytes) -> str:
    """Extract a zip once per worker process; return the folder it was extracted to."""
    target = Path(tempfile.gettempdir()) / f"modelmap-shipped-{blob_digest}"
    if not (target / ".complete").exists():
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            for member in archive.namelist():  # never write outside the target folder
                resolved = (target / member).resolve()
                if not str(resolved).startswith(str(target.resolve())):
                    raise ValueError(f"unsafe path in shipped archive: {member}")
            archive.extractall(target)
        (target / ".complete").touch()
    return str(target)
