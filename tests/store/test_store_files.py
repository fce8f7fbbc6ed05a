"""Issue 18, point 4: a finished store is whole in its one file (run, tune and `cache rm`
checkpoint the WAL), `cache export-store` writes a single-file copy, and read-only commands
neither create a store that is not there nor need to write one that is."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import modelmap as mm
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(240)
JOB = {"data": {"title": "Iris tiny", "dataset": "sklearn_iris", "test_size": 0.2,
                "random_state": 0},
       "classifiers": [{"title": "Naive", "method": "naive"},
                       {"title": "KNN {n_neighbors}", "method": "kneighbors",
                        "n_neighbors": {"is_meta": True, "values": [1, 3]}}]}


def _count(path: Path) -> int:
    """Results in the SQLite file ``path`` read alone (as a copy elsewhere would be)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM results").fetchone()[0]


def _copy_db_only(path: Path, folder: Path) -> Path:
    folder.mkdir()
    return Path(shutil.copy(path, folder / path.name))


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.fixture(scope="module")
def ran_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace after one real `modelmap run` (the job runs once for the module)."""
    ws = tmp_path_factory.mktemp("ran") / "ws"
    ws.mkdir()
    (ws / "modelmap.toml").write_text('[store]\nurl = "modelmap.db"\n', encoding="utf-8")
    write_job(ws, "tiny", JOB)
    modelmap("run", "tiny", "--jobs", "1", cwd=ws, check=0)
    return ws


@pytest.fixture
def ran(ran_once: Path, tmp_path: Path) -> Path:
    """The store file of a private copy of that workspace (files copied as they are)."""
    ws = Path(shutil.copytree(ran_once, tmp_path / "ws"))
    return ws / "modelmap.db"


def test_after_a_run_the_db_file_alone_holds_every_result(ran, tmp_path):
    assert _wal(ran) == 0
    assert _count(_copy_db_only(ran, tmp_path / "elsewhere")) == 3


def test_after_cache_rm_the_db_file_alone_has_the_rows_removed(ran, tmp_path):
    ws = ran.parent
    modelmap("cache", "rm", "--job", "Iris tiny", "--yes", cwd=ws, check=0)
    assert _wal(ran) == 0
    assert _count(_copy_db_only(ran, tmp_path / "elsewhere")) == 0


def test_export_store_writes_one_whole_file_while_the_store_is_open(ran, tmp_path):
    ws = ran.parent
    with mm.Store(ran) as store:  # another process holds the store open meanwhile
        store.jobs()
        target = tmp_path / "copy" / "results.db"
        out = modelmap("cache", "export-store", str(target), cwd=ws, check=0).stdout
    assert "results.db" in out and _count(target) == 3
    assert not target.with_name("results.db-wal").exists()
    again = modelmap("cache", "export-store", str(target), cwd=ws, check=2)
    assert "already exists" in again.stderr and "--force" in again.stderr
    modelmap("cache", "export-store", str(target), "--force", cwd=ws, check=0)
    assert _count(target) == 3


@pytest.mark.parametrize("command", [["cache", "ls"], ["cache", "du"], ["cache", "show", "abcd"],
                                     ["cache", "export", "x", "--csv", "x.csv"],
                                     ["compare", "1"]])
def test_read_only_commands_do_not_create_a_missing_store(tmp_path, command):
    missing = tmp_path / "nothing" / "here.db"
    proc = modelmap(*command, "--store", str(missing), cwd=tmp_path, check=2)
    assert f"no store at {missing}" in proc.stderr and "modelmap run" in proc.stderr
    assert not missing.parent.exists()


def test_serve_does_not_create_a_missing_store(tmp_path):
    missing = tmp_path / "here.db"
    proc = modelmap("serve", "--store", str(missing), "--port", "1", cwd=tmp_path, check=2)
    assert f"no store at {missing}" in proc.stderr and not missing.exists()


def test_opening_read_only_writes_nothing_and_says_so_on_a_write(ran, tmp_path):
    copy = _copy_db_only(ran, tmp_path / "ro")
    before = copy.read_bytes(), copy.stat().st_mtime_ns
    with mm.Store(copy, read_only=True) as store:
        assert store.read_only and len(store.result_rows()) == 3
        with pytest.raises(mm.errors.StoreError, match="open read-only"):
            store.delete_failed()
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before
    assert _wal(copy) == 0  # SQLite may leave its empty -wal/-shm index files, no data
    with pytest.raises(mm.errors.StoreError, match="no store at"):
        mm.Store(tmp_path / "absent.db", create=False)


def _can_mount() -> bool:
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                           capture_output=True)
    return shutil.which("unshare") is not None and probe.returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="needs unshare and mount (a read-only tmpfs)")
def test_read_only_commands_work_on_a_read_only_filesystem(ran, tmp_path):
    import sys

    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (f"mount -t tmpfs tmpfs {mnt} && cp {ran} {mnt}/ && mount -o remount,ro {mnt} && "
              f"{sys.executable} -m modelmap cache ls --store {mnt}/modelmap.db && "
              f"{sys.executable} -m modelmap cache ls --json --store {mnt}/modelmap.db && "
              f"{sys.executable} -m modelmap compare 'Iris tiny' --store {mnt}/modelmap.db")
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "NO_COLOR": "1",
                               "PYTHONPATH": str(Path(mm.__file__).parents[1])})
    assert proc.returncode == 0, proc.stderr
    assert "Iris tiny" in proc.stdout and "KNN 3" in proc.stdout


@pytest.mark.skipif(not _can_mount(), reason="needs unshare and mount (a small tmpfs)")
def test_cache_rm_on_a_full_disk_says_how_to_get_out(ran, tmp_path):
    import sys

    mnt = tmp_path / "mnt"
    mnt.mkdir()
    store = f"{mnt}/modelmap.db"
    rm = f"{sys.executable} -m modelmap cache rm --job 'Iris tiny' --yes --store {store}"
    script = (f"mount -t tmpfs -o size=2m tmpfs {mnt} && cp {ran} {mnt}/ && "
              f"(dd if=/dev/zero of={mnt}/filler bs=4k 2>/dev/null; true) && "
              f"{rm}; echo rc=$? && rm {mnt}/filler && {rm} && "
              f"{sys.executable} -m modelmap cache ls --store {store}")
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "NO_COLOR": "1",
                               "PYTHONPATH": str(Path(mm.__file__).parents[1])})
    assert "rc=2" in proc.stdout, proc.stdout + proc.stderr
    assert "if the disk is full: free a few MB" in proc.stderr
    assert "A full disk" in proc.stderr
    assert proc.returncode == 0, proc.stderr  # with room again, rm works
    assert "removed job Iris tiny with 3 result(s)" in proc.stdout
    assert "KNN 3" not in proc.stdout.rpartition("removed job")[2]  # cache ls after it


def test_closing_a_store_that_wrote_leaves_no_data_in_the_wal(tmp_path):
    path = tmp_path / "s.db"
    with mm.Store(path) as store:
        store.put_dataset("d", "f" * 16, {}, {})
        reader = mm.Store(path, read_only=True)  # another connection still open
        assert store.checkpoint() is True and _wal(path) == 0
        store.put_dataset("e", "f" * 16, {}, {})
        assert _wal(path) > 0
    assert _wal(path) == 0
    with sqlite3.connect(_copy_db_only(path, tmp_path / "copy")) as conn:
        assert conn.execute("SELECT count(*) FROM datasets").fetchone()[0] == 2
    reader.close()
