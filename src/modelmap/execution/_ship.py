"""Packing what a remote worker needs — the prepared data and the workspace plugins — as
plain bytes (``.npy``/JSON files in a zip), and unpacking it once per worker."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

SKIP_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints"}
MAX_PLUGIN_BYTES = 200 * 1024 * 1024
CHUNK_BYTES = 4 * 1024 * 1024  # the pieces a shipped archive is sent in


def zip_folder(folder: Path, arcroot: str) -> bytes:
    """Zip ``folder`` (recursively, minus caches) under ``arcroot/`` in the archive.

    The archive is written to a temporary file and read back once: built in memory, a
    growing buffer plus the copy ``getvalue()`` makes held the archive two to three times
    over (a 100,000 x 50 table's bundle is a 36 MB archive)."""
    with tempfile.TemporaryFile(prefix="modelmap-ship-") as handle:
        _write_zip(handle, folder, arcroot)
        handle.seek(0)
        return handle.read()


def zip_chunks(folder: Path, arcroot: str, chunk_bytes: int = CHUNK_BYTES,
               limit: int | None = MAX_PLUGIN_BYTES) -> tuple[str, Iterator[bytes]]:
    """The archive of ``folder`` as (digest, its pieces of ``chunk_bytes`` each, read one
    at a time): a driver that sends one piece and drops it never holds the whole archive
    (a 100,000 x 50 table's 36 MB bundle held whole, then serialized for the scatter,
    was most of the Dask driver's extra ~90 MB).  The digest is of the whole archive, the
    same as :func:`digest` of :func:`zip_folder`'s bytes.  ``limit`` (bytes of files,
    None for none) keeps a plugins folder with data files in it from being shipped."""
    handle = tempfile.TemporaryFile(prefix="modelmap-ship-")
    _write_zip(handle, folder, arcroot, limit)
    handle.seek(0)
    sha = hashlib.sha256()
    for piece in iter(lambda: handle.read(chunk_bytes), b""):
        sha.update(piece)

    def pieces() -> Iterator[bytes]:
        with handle:
            handle.seek(0)
            yield from iter(lambda: handle.read(chunk_bytes), b"")

    return sha.hexdigest()[:16], pieces()


def _write_zip(handle: object, folder: Path, arcroot: str,
               limit: int | None = MAX_PLUGIN_BYTES) -> None:
    total = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or SKIP_PARTS & set(path.parts) or path.suffix == ".pyc":
                continue
            total += path.stat().st_size
            if limit is not None and total > limit:
                from modelmap.errors import WorkspaceError

                raise WorkspaceError(
                    f"{folder} holds more than {limit // 2**20} MiB; too much to "
                    "ship to cluster workers",
                    hint="keep large data files outside plugins/ (e.g. on shared storage) "
                    "and read them from there")
            archive.write(path, f"{arcroot}/{path.relative_to(folder).as_posix()}")


def digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:16]


_UNPACKED: dict[str, str] = {}  # digest → folder, in this process


def unpack(blob_digest: str, blob: bytes | Sequence[bytes]) -> str:
    """Extract a zip (whole, or as the pieces :func:`zip_chunks` sent) once per machine;
    return the folder it was extracted to.

    Several worker processes on one machine may unpack the same blob at once: each
    extracts into a scratch folder of its own and renames it into place; the first
    rename wins and the others drop their copy."""
    if blob_digest not in _UNPACKED:
        _UNPACKED[blob_digest] = _unpack(blob_digest, blob)
    return _UNPACKED[blob_digest]


def forget_unpacked() -> None:
    """Forget which archives this process unpacked (the next :func:`unpack` looks again)."""
    _UNPACKED.clear()


def _unpack(blob_digest: str, blob: bytes | Sequence[bytes]) -> str:
    target = Path(tempfile.gettempdir()) / f"modelmap-shipped-{blob_digest}"
    if (target / ".complete").exists():
        return str(target)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        whole = blob if isinstance(blob, bytes) else b"".join(blob)
        with zipfile.ZipFile(io.BytesIO(whole)) as archive:
            for member in archive.namelist():  # never write outside the target folder
                resolved = (scratch / member).resolve()
                if not str(resolved).startswith(str(scratch.resolve())):
                    raise ValueError(f"unsafe path in shipped archive: {member}")
            archive.extractall(scratch)
        (scratch / ".complete").touch()
        for _ in range(2):
            try:
                os.rename(scratch, target)
                break
            except OSError:
                if (target / ".complete").exists():
                    break  # another process was first
                shutil.rmtree(target, ignore_errors=True)  # left half-done by a crash
        else:
            raise OSError(f"cannot unpack the shipped files into {target}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return str(target)
