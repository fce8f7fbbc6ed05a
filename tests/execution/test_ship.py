"""Shipping plugins and data to cluster workers: packing, and unpacking once per machine."""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from modelmap.execution._ship import digest, forget_unpacked, unpack, zip_chunks, zip_folder


def _blob(tmp_path: Path, name: str) -> bytes:
    folder = tmp_path / name
    (folder / "sub").mkdir(parents=True)
    for i in range(40):
        (folder / "sub" / f"f{i}.txt").write_text(f"{name} {i}\n" * 100)
    return zip_folder(folder, "bundle")


def _unpack_in_child(args: tuple[str, bytes]) -> str:
    folder = Path(unpack(*args))
    return (folder / "bundle" / "sub" / "f39.txt").read_text()


def test_many_processes_unpacking_the_same_blob_at_once_all_succeed(tmp_path, monkeypatch):
    """Dask workers on one machine share its temp folder and unpack the same bundle at
    the same moment: every one of them gets the complete files."""
    blob = _blob(tmp_path, f"race-{tmp_path.name}")
    key = digest(blob)
    with mp.get_context("spawn").Pool(6) as pool:
        texts = pool.map(_unpack_in_child, [(key, blob)] * 24, chunksize=1)
    assert set(texts) == {f"race-{tmp_path.name} 39\n" * 100}
    target = Path(tempfile.gettempdir()) / f"modelmap-shipped-{key}"
    assert (target / ".complete").exists()
    leftovers = list(target.parent.glob(f".modelmap-shipped-{key}-*"))
    assert leftovers == []  # the losers' scratch folders are gone


def test_a_half_unpacked_folder_from_a_crash_is_replaced(tmp_path):
    blob = _blob(tmp_path, f"crash-{tmp_path.name}")
    key = digest(blob)
    target = Path(tempfile.gettempdir()) / f"modelmap-shipped-{key}"
    (target / "bundle").mkdir(parents=True)  # no .complete: a crash in the middle
    (target / "bundle" / "partial").write_text("x")
    forget_unpacked()
    folder = Path(unpack(key, blob))
    assert folder == target and (folder / ".complete").exists()
    assert not (folder / "bundle" / "partial").exists()
    assert len(list((folder / "bundle" / "sub").iterdir())) == 40


def test_an_archive_pointing_outside_its_folder_is_refused(tmp_path):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escape.txt", "no")
    blob = buffer.getvalue()
    with pytest.raises(ValueError, match="unsafe path"):
        unpack(digest(blob), blob)
    assert not (Path(tempfile.gettempdir()) / "escape.txt").exists()


def test_an_archive_sent_in_pieces_unpacks_to_the_same_files(tmp_path):
    """The Dask driver sends an archive in pieces it reads one at a time: the digest is
    the whole archive's, and the pieces joined on the worker unpack to the same files."""
    folder = tmp_path / "pieces"
    folder.mkdir()
    rng = __import__("random").Random(0)
    for i in range(5):  # incompressible, so the archive spans several pieces
        (folder / f"f{i}.bin").write_bytes(rng.randbytes(30_000))
    whole = zip_folder(folder, "bundle")
    key, pieces = zip_chunks(folder, "bundle", chunk_bytes=40_000)
    parts = list(pieces)
    assert len(parts) == -(-len(whole) // 40_000) >= 4
    assert b"".join(parts) == whole and key == digest(whole)
    forget_unpacked()
    out = Path(unpack(key, parts))
    for i in range(5):
        assert (out / "bundle" / f"f{i}.bin").read_bytes() == (folder / f"f{i}.bin").read_bytes()


def test_only_a_plugins_folder_has_a_size_limit(tmp_path):
    from modelmap.errors import WorkspaceError

    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "data.bin").write_bytes(b"\0" * 5000)
    with pytest.raises(WorkspaceError, match="holds more than"):
        zip_chunks(folder, "plugins", limit=4096)
    key, pieces = zip_chunks(folder, "bundle", limit=None)
    assert len(b"".join(pieces)) > 0
