"""`modelmap run` on a user's table, as a user runs it: the messy example job trains as it
is; each kind of bad input gets one message naming the file and column and nothing is
trained or stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from modelmap.examples.make_passengers import write
from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(240)
EXAMPLES = Path(__file__).parents[2] / "src" / "modelmap" / "examples"


def test_the_messy_example_job_trains_as_it_is(ws: Path) -> None:
    (ws / "data").mkdir()
    shutil.copy(EXAMPLES / "data" / "passengers.csv", ws / "data")
    shutil.copy(EXAMPLES / "jobs" / "passengers.json", ws / "jobs")
    proc = modelmap("run", "jobs/passengers.json", "-j", "2", cwd=ws, check=0)
    out = proc.stdout
    assert "notice: column 'passenger_id' dropped: it counts the rows (a row id?)" in out
    assert "notice: 43 missing value(s) in age (40), embarked (3): imputed" in out
    assert out.count("notice: features: age numeric; fare numeric; sex categorical") == 1
    store = Store(ws / "modelmap.db")
    frame = store.results(job="Passengers table")
    assert len(frame) == 12 and (frame["status"] == "ok").all()
    assert frame.set_index("title").loc["LogReg C=1", "test_accuracy"] > 0.65
    summary = store.datasets()[0]["summary"]
    assert summary["feature_names"] == ["age", "fare", "sex=female", "sex=male", "embarked=C",
                                        "embarked=Q", "embarked=S"]
    assert summary["save_train_predictions"] is True


def test_the_shipped_csv_is_the_one_the_script_makes(tmp_path: Path) -> None:
    made = write(tmp_path / "p.csv").read_bytes()
    assert made == (EXAMPLES / "data" / "passengers.csv").read_bytes()


BAD = {
    "missing file": ({"path": "nope.csv"}, "data.path: The file 'nope.csv' does not exist"),
    "missing label": ({"label": "survive"}, "has no column 'survive'"),
    "one class": ({"path": "one.csv"}, "The label column 'survived' of"),
    "nothing left": ({"path": "holes.csv", "missing": "drop"},
                     "no rows are left in"),
    "unknown categorical": ({"categorical": ["pclass"]},
                            "data.categorical[0]: The column 'pclass' given as categorical is "
                            "not in"),
    "encoding": ({"path": "latin.csv"}, "is not utf-8 text (byte 0xf6 cannot be decoded)"),
    "keep without NaN support": ({"missing": "keep"},
                                 "but kneighbors cannot take NaN; nothing was trained"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gets_one_message_and_stores_nothing(ws: Path, case: str) -> None:
    data = ws / "data"
    data.mkdir()
    passengers = write(data / "passengers.csv")
    text = passengers.read_text(encoding="utf-8")
    (data / "one.csv").write_text(text.replace(",no\n", ",yes\n"), encoding="utf-8")
    (data / "holes.csv").write_text("age,fare,survived\n,1,yes\n3,,no\n", encoding="utf-8")
    (data / "latin.csv").write_bytes("fare,city,survived\n1,Köln,yes\n2,Bonn,no\n"
                                     .encode("latin-1"))
    extra, message = BAD[case]
    job = {"data": {"title": "Bad", "dataset": "table", "path": "data/passengers.csv",
                    "label": "survived", **extra},
           "classifiers": [{"title": "KNN", "method": "kneighbors"}]}
    if "path" in extra and extra["path"] != "nope.csv":
        job["data"]["path"] = f"data/{extra['path']}"
    write_job(ws, "bad", job)
    proc = modelmap("run", "jobs/bad.json", cwd=ws, check=1)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and message in errors[0], proc.stderr
    assert "hint:" in proc.stderr and "Traceback" not in proc.stderr
    if (ws / "modelmap.db").exists():
        store = Store(ws / "modelmap.db")
        assert store.jobs() == [] and store.datasets() == []


def test_keep_runs_the_classifiers_that_take_nan(ws: Path) -> None:
    (ws / "data").mkdir()
    write(ws / "data" / "passengers.csv")
    write_job(ws, "keep", {
        "data": {"title": "Keep", "dataset": "table", "path": "data/passengers.csv",
                 "label": "survived", "missing": "keep"},
        "classifiers": [{"title": "HGB", "method": "hist_gradient_boosting", "max_iter": 20},
                        {"title": "Tree", "method": "decisiontree", "max_depth": 3},
                        {"title": "Optimal", "method": "optimal"}]})
    proc = modelmap("run", "jobs/keep.json", cwd=ws, check=0)
    assert 'kept as NaN for the classifiers (data.missing = "keep")' in proc.stdout
    frame = Store(ws / "modelmap.db").results(job="Keep")
    assert len(frame) == 3 and (frame["status"] == "ok").all()
