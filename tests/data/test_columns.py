"""Tables (DataFrames) in the data layer: column kinds, encoders fitted on training rows
only, the stored column mapping, missing values, and train predictions kept or not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelmap.data import CV_TRAIN, load_bundle, prepare
from modelmap.errors import DataError
from modelmap.plugins import Registry
from modelmap.training import train_config

DATA = {"title": "T", "dataset": "table", "random_state": 0}


def raw(frame: pd.DataFrame, y) -> dict:
    return {"X_train": frame, "y_train": np.asarray(y), "X_test": np.array([]),
            "y_test": np.array([]), "class_names": ["no", "yes"],
            "specs": {"source": "t.csv", "notices": ["from the plugin"]}}


def passengers(n: int = 60) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "age": np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 80, n).astype(float)),
        "sex": rng.choice(["female", "male"], n),
        "embarked": rng.choice(["S", "C", "Q", None], n),
        "deck": "A",
        "empty": np.nan,
    })
    return frame, (frame["sex"] == "female").to_numpy().astype(int)


def test_choices_are_made_once_and_reported() -> None:
    frame, y = passengers()
    bundle = prepare(raw(frame, y), {**DATA, "test_size": 0.25}, dataset="table")
    assert bundle.notices[0] == "from the plugin"
    assert "column 'id' dropped: it counts the rows (a row id?)" in bundle.notices
    assert "column 'deck' dropped: it has one value only" in bundle.notices
    assert "column 'empty' dropped: every value is missing" in bundle.notices
    assert bundle.notices[-1] == ("features: age numeric; sex categorical (2 values, one-hot); "
                                  "embarked categorical (3 values, one-hot)")
    assert any(n.startswith("29 missing value(s) in age (8), embarked (21): imputed")
               for n in bundle.notices)
    names = ["age", "sex=female", "sex=male", "embarked=C", "embarked=Q", "embarked=S"]
    assert bundle.columns["feature_names"] == names
    assert bundle.data_specs()["feature_names"] == names
    assert [e["column"] for e in bundle.summary["columns"]] == ["age", "sex", "embarked"]
    assert bundle.summary["n_features"] == 6 and bundle.summary["missing"] == "impute"
    assert bundle.X_train.shape == (45, 3)  # age, sex code, embarked code; NaN kept
    again = load_bundle(str(bundle.save(tmp_folder())))
    assert again.columns == bundle.columns and again.notices == bundle.notices


def tmp_folder():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp())


def test_imputers_and_encoders_see_only_the_training_rows() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan, 100.0, 200.0],
                          "c": ["a", "a", "b", None, "z", "z"]})
    bundle = prepare(raw(frame, [0, 1, 0, 1, 0, 1]), {**DATA, "test_size": 0}, dataset="table")
    train, test = bundle.X_train[:3], bundle.X_train[3:]
    X_train, X_test = bundle.encode_split(train, test)
    assert bundle.columns["feature_names"] == ["x", "c=a", "c=b", "c=z"]
    # the missing x of the test row is the median of the training rows (2), not of all (3)
    assert X_test[0].tolist() == [2.0, 1.0, 0.0, 0.0]
    # 'z' never occurs in the training rows: its column is all zero there, one where it is
    assert X_train[:, 3].tolist() == [0, 0, 0] and X_test[1:, 3].tolist() == [1, 1]
    from sklearn.impute import SimpleImputer

    expected = SimpleImputer(strategy="median").fit(train[:, :1]).transform(test[:, :1])
    assert X_test[:, 0].tolist() == expected.ravel().tolist()


def test_every_fold_fits_its_own_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, y = passengers(40)
    bundle = prepare(raw(frame, y), {**DATA, "cv": 4, "scale": True}, dataset="table")
    assert bundle.mode == CV_TRAIN
    seen = []
    real = bundle.encode_split

    def spy(X_train, X_test):
        seen.append(len(X_train))
        return real(X_train, X_test)

    object.__setattr__(bundle, "encode_split", spy)
    knn = Registry.discover(entry_points=False).classifier("kneighbors").module
    result = train_config(bundle, knn, {"title": "k", "method": "kneighbors"}, key="k")[0]
    assert result.ok, result.error
    assert seen == [30, 30, 30, 30]


def test_categorical_option_and_dates() -> None:
    frame = pd.DataFrame({"pclass": [1, 2, 3, 1, 2, 3], "when": ["2020-01-31", "2021-06-01",
                          "2022-12-24", None, "2020-02-29", "2020-03-01"]})
    bundle = prepare(raw(frame, [0, 1, 0, 1, 0, 1]), {**DATA, "test_size": 0,
                     "categorical": ["pclass"]}, dataset="table")
    assert bundle.columns["feature_names"] == [
        "when.year", "when.month", "when.day", "when.weekday",
        "pclass=1", "pclass=2", "pclass=3"]
    assert bundle.X_train[0].tolist() == [0.0, 2020, 1, 31, 4]
    with pytest.raises(DataError, match=r"data.categorical\[0\]: the column 'nope' given as "
                       "categorical is not a feature column"):
        prepare(raw(frame, [0, 1] * 3), {**DATA, "categorical": ["nope"]}, dataset="table")


def test_free_text_is_refused_with_the_column_named() -> None:
    text = [f"passenger number {i} travelled with a large family" for i in range(30)]
    frame = pd.DataFrame({"x": range(30, 0, -1), "note": text})
    with pytest.raises(DataError) as info:
        prepare(raw(frame, [0, 1] * 15), DATA, dataset="table")
    assert str(info.value).startswith("dataset plugin 'table': column 'note' holds free text "
                                      "(30 distinct values")
    assert info.value.hint == ("leave 'note' out of data.features, or set \"text\": \"hash\" "
                               "to turn its words into 32 hashed word counts")
    hashed = prepare(raw(frame, [0, 1] * 15), {**DATA, "text": "hash"}, dataset="table")
    assert hashed.columns["feature_names"][:3] == ["x", "note#0", "note#1"]
    assert len(hashed.columns["feature_names"]) == 33
    assert hashed.notices[-1] == "features: x numeric; note text → 32 hashed word counts"
    from sklearn.feature_extraction.text import HashingVectorizer

    counts = HashingVectorizer(n_features=32, alternate_sign=False, norm=None).transform(text)
    rows = np.concatenate([hashed.X_train, hashed.X_test])
    assert sorted(map(tuple, rows[:, 1:])) == sorted(map(tuple, counts.toarray()))


def test_missing_drop_and_keep() -> None:
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0, 5.0, 6.0], "c": list("ab") * 3})
    y = [0, 1, 0, 1, 0, 1]
    dropped = prepare(raw(frame, y), {**DATA, "test_size": 0, "missing": "drop"},
                      dataset="table")
    assert len(dropped.y_train) == 5 and dropped.y_train.tolist() == [0, 0, 1, 0, 1]
    assert 'data.missing = "drop": dropped 1 of 6 rows with a missing value' in dropped.notices
    kept = prepare(raw(frame, y), {**DATA, "test_size": 0, "missing": "keep"}, dataset="table")
    X, _ = kept.encode_split(kept.X_train, kept.X_train[:0])
    assert np.isnan(X[1, 0]) and np.isfinite(np.delete(X, 1, axis=0)).all()
    empty = pd.DataFrame({"x": [np.nan, 1.0], "z": [1.0, np.nan]})
    with pytest.raises(DataError) as info:
        prepare(raw(empty, [0, 1]), {**DATA, "missing": "drop"}, dataset="table")
    assert str(info.value) == (
        'data.missing: no rows are left in t.csv after dropping the rows with a missing value '
        '(data.missing = "drop")\n'
        '  hint: use "missing": "impute" (the default), or fill the empty cells')


def test_train_predictions_are_kept_below_20000_training_rows() -> None:
    X = pd.DataFrame({"x": np.arange(25_000) % 7, "c": np.where(np.arange(25_000) % 2, "a",
                                                                  "b")})
    y = (np.arange(25_000) % 3 == 0).astype(int)
    big = prepare(raw(X, y), {**DATA, "test_size": 0.1}, dataset="table")
    assert not big.save_train and big.summary["save_train_predictions"] is False
    assert any(n.startswith("save_train_predictions is off: 22,500 training rows")
               for n in big.notices)
    small = prepare(raw(X.head(500), y[:500]), DATA, dataset="table")
    assert small.save_train
    forced = prepare(raw(X, y), {**DATA, "save_train_predictions": True}, dataset="table")
    assert forced.save_train and forced.fingerprint != big.fingerprint
    nb = Registry.discover(entry_points=False).classifier("gaussiannb").module
    result = train_config(big, nb, {"title": "nb", "method": "gaussiannb"}, key="k")[0]
    assert result.ok, result.error
    assert "pred_train" not in result.arrays and "proba_train" not in result.arrays
    assert "pred_test" in result.arrays and result.scores["train"]["accuracy"] > 0


def test_a_table_is_split_in_place_into_the_same_rows_as_a_copying_split() -> None:
    from modelmap.data._prepare import _split

    rng = np.random.default_rng(0)
    X, y = rng.random((1000, 37)), rng.integers(0, 3, 1000)
    copied = _split(X.copy(), y, {"test_size": 0.2}, False, 3)
    mine = X.copy()
    in_place = _split(mine, y, {"test_size": 0.2}, False, 3, in_place=True)
    assert all(np.array_equal(a, b) for a, b in zip(copied, in_place))
    assert in_place[0].base is mine and in_place[1].base is mine  # views, no copy


def test_a_plugin_may_return_train_and_test_frames() -> None:
    train = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0], "c": ["a", "b", "a", "b"]})
    test = pd.DataFrame({"x": [5.0, 6.0], "c": ["b", "new"]})
    out = {"X_train": train, "y_train": np.array([0, 1, 0, 1]), "X_test": test,
           "y_test": np.array([1, 0]), "class_names": ["no", "yes"]}
    bundle = prepare(out, DATA, dataset="mine")
    assert bundle.columns["feature_names"] == ["x", "c=a", "c=b", "c=new"]
    assert (len(bundle.y_train), len(bundle.y_test)) == (4, 2)
    X_train, X_test = bundle.encode_split(bundle.X_train, bundle.X_test)
    assert X_train[2].tolist() == [2.0, 1.0, 0.0, 0.0]  # median of the training rows
    assert X_test.tolist() == [[5.0, 0.0, 1.0, 0.0], [6.0, 0.0, 0.0, 1.0]]
    with pytest.raises(DataError, match="X_test has the columns"):
        prepare({**out, "X_test": test.rename(columns={"c": "d"})}, DATA, dataset="mine")
