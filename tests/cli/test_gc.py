"""The command line pauses garbage collection while modules load, and no longer."""

from __future__ import annotations

import gc

import pytest

from modelmap import _gc, run_job


@pytest.fixture
def restore_gc():
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    _gc._paused = False
    if frozen == 0:
        gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_collection_resumes_once_the_data_is_prepared(tmp_path, restore_gc):
    gc.enable()
    _gc.pause()  # what `modelmap` does first
    assert not gc.isenabled()
    job = {"data": {"title": "GC", "dataset": "sklearn_iris", "random_state": 0},
           "classifiers": [{"title": "tree", "method": "decisiontree", "max_depth": 2}]}
    report = run_job(job, store=tmp_path / "s.db", n_jobs=1)
    assert report.n_classifiers == 1 and not report.errors
    assert gc.isenabled()  # a long run collects as usual
    assert gc.get_freeze_count() > 10_000  # the loaded modules were frozen, not walked


def test_library_use_is_left_alone(tmp_path, restore_gc):
    gc.enable()
    frozen = gc.get_freeze_count()
    _gc.settle()  # without pause(): nothing happens
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    _gc.pause()
    _gc.settle()
    assert not gc.isenabled()  # a program that switched collection off keeps it off


def test_the_command_pauses_collection_and_freezes_at_exit(monkeypatch, restore_gc):
    import modelmap.cli as cli

    gc.enable()
    seen = []
    monkeypatch.setattr(cli, "app", lambda: seen.append(gc.isenabled()))
    cli.main()
    assert seen == [False]  # commands start without collections
    assert gc.get_freeze_count() > 10_000  # and leave nothing for the final one to walk


def test_serve_collects_again_before_serving(tmp_path, monkeypatch, restore_gc):
    import uvicorn
    from typer.testing import CliRunner

    from modelmap.cli import app

    from modelmap.store import Store

    Store(tmp_path / "modelmap.db").close()  # serve refuses a store that does not exist
    seen = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(gc.isenabled()))
    gc.enable()
    _gc.pause()
    result = CliRunner().invoke(app, ["serve", "-w", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen == [True]
