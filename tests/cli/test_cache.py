"""`modelmap cache` (ls, show, rm, du, export, vacuum): real processes for the main paths,
the in-process runner for help texts and argument errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import modelmap as mm
from modelmap.cli import app
from tests.conftest import modelmap
from tests.server.conftest import JOB, N_RESULTS, copy_store

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "built.db"
    assert mm.run_job(JOB, store=path, n_jobs=1).trained == N_RESULTS
    return path


@pytest.fixture
def store_path(built: Path, tmp_path: Path) -> Path:
    return copy_store(built, tmp_path / "store.db")


def cache(store: Path, *args: str, check: int | None = 0):
    return modelmap("cache", *args, "--store", str(store), cwd=store.parent, check=check)


def invoke(store: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["cache", *args, "--store", str(store)],
                                env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == code, result.output
    return result.output


def _keys(store_path: Path) -> dict[str, str]:
    with mm.Store(store_path) as store:
        return {row["title"]: row["key"] for row in store.result_rows()}


@pytest.mark.parametrize("command", ["ls", "show", "rm", "du", "export", "export-store",
                                     "vacuum"])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(app, ["cache", command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and f"modelmap cache {command}" in result.output


def test_ls_shows_the_tree_with_keys_status_and_sizes(store_path):
    lines = cache(store_path, "ls").stdout.splitlines()
    assert any("sklearn_iris" in line and "KB" in line for line in lines)
    assert any("Iris small" in line and "6 ok" in line and "1 failed" in line for line in lines)
    broken = next(line for line in lines if "=Broken" in line)
    assert "failed" in broken and "InvalidParameterError" in broken and "ago" in broken
    key = _keys(store_path)["KNN 1"]
    assert any(key[:12] in line and "KNN 1" in line for line in lines)
    tree = json.loads(invoke(store_path, "ls", "--json"))
    results = tree[0]["jobs"][0]["results"]
    assert len(results) == N_RESULTS and all(r["bytes"] > 0 for r in results)
    failed_only = invoke(store_path, "ls", "--failed")
    assert "=Broken" in failed_only and "KNN 1" not in failed_only


def test_show_by_unique_prefix(store_path):
    key = _keys(store_path)["SVM rbf"]
    out = cache(store_path, "show", key[:8]).stdout
    assert key in out and "rbf" in out and "accuracy" in out and "proba_test" in out
    data = json.loads(invoke(store_path, "show", key[:8], "--json"))
    assert data["key"] == key and data["args"]["kernel"] == "rbf"
    missing = cache(store_path, "show", "ffffffffff", check=2)
    assert "no result key starts with 'ffffffffff'" in missing.stderr


def test_rm_asks_first_and_says_what_it_removed(store_path):
    key = _keys(store_path)["KNN 3"]
    refused = cache(store_path, "rm", key[:10], check=1)
    assert "KNN 3" in refused.stdout and "Nothing removed" in refused.stderr
    assert "KNN 3" in _keys(store_path)
    done = cache(store_path, "rm", key[:10], "--failed", "--yes").stdout
    assert "removed result" in done and "1 results" in done and "removed 1 failed" in done
    assert set(_keys(store_path)) == {"Naive", "KNN 1", "KNN 5", "SVM linear", "SVM rbf"}


def test_rm_job_dataset_and_maps(store_path):
    out = cache(store_path, "rm", "--maps", "--job", "Iris small", "--yes").stdout
    assert "0 cached classifier map(s)" in out
    assert "removed job Iris small" in out and "1 jobs" in out
    dataset = cache(store_path, "rm", "--dataset", "sklearn_iris", "--yes").stdout
    assert "removed dataset sklearn_iris" in dataset and "1 datasets" in dataset
    assert "The store is empty" in invoke(store_path, "ls")
    assert "no dataset 'nope'" in invoke(store_path, "rm", "--dataset", "nope", "-y", code=2)
    assert "say what to remove" in invoke(store_path, "rm", code=2)


def test_du_export_and_vacuum(store_path, tmp_path):
    du = cache(store_path, "du").stdout
    assert "result arrays" in du and "total" in du
    rows = json.loads(invoke(store_path, "du", "--json"))
    assert sum(r["items"] for r in rows if r["kind"] == "results") == N_RESULTS
    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    cache(store_path, "export", "Iris small", "--csv", str(csv_path))
    assert csv_path.read_text(encoding="utf-8").count("\n") == N_RESULTS + 1
    invoke(store_path, "export", "1", "--xlsx", str(xlsx_path))
    assert xlsx_path.read_bytes()[:2] == b"PK"
    both = invoke(store_path, "export", "Iris small", code=2)
    assert "exactly one of --csv FILE or --xlsx FILE" in both
    assert "removed 0 orphaned array(s)" in cache(store_path, "vacuum").stdout


def test_keys_are_checked_by_the_query_layer_before_anything_is_removed(store_path):
    short = invoke(store_path, "show", "4ab", code=2)
    assert "'4ab' is not a result key" in short and "at least 4 lowercase hex" in short
    key = _keys(store_path)["KNN 5"]
    refused = invoke(store_path, "rm", key[:8], "ffffffff", "--yes", code=2)
    assert "no result key starts with 'ffffffff'" in refused
    assert "KNN 5" in _keys(store_path)  # the good key was not removed either
