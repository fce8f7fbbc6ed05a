"""The built-in ``table`` dataset: every format, labels of any type, only needed columns,
and one clear message per kind of bad input."""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest

from modelmap.errors import DataError
from modelmap.plugins import Registry

FRAME = pd.DataFrame({"age": [22.0, None, 35.0, 41.0], "sex": ["m", "f", "f", "m"],
                      "survived": ["no", "yes", "yes", "no"], "unused": [1, 2, 3, 4]})


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.discover(entry_points=False)


def table(registry: Registry, args: dict) -> dict:
    get_data = registry.dataset("table").module.get_data
    assert list(inspect.signature(get_data).parameters) == ["datasets_path", "args"]
    return get_data("", args)


def table_error(registry: Registry, args: dict) -> str:
    with pytest.raises(DataError) as info:
        table(registry, args)
    return str(info.value)


def check_frame(data: dict) -> None:
    X = data["X_train"]
    assert list(X.columns) == ["age", "sex"]
    assert X["sex"].tolist() == ["m", "f", "f", "m"]
    assert X["age"].isna().tolist() == [False, True, False, False]
    assert data["y_train"].tolist() == [0, 1, 1, 0]
    assert data["class_names"] == ["no", "yes"]


def write(frame: pd.DataFrame, path: Path) -> Path:
    kind = path.suffix
    if kind in (".csv", ".tsv"):
        frame.to_csv(path, index=False, sep="\t" if kind == ".tsv" else ",")
    elif kind == ".parquet":
        frame.to_parquet(path)
    elif kind == ".feather":
        frame.to_feather(path)
    elif kind == ".xlsx":
        with pd.ExcelWriter(path) as writer:
            frame.head(1).to_excel(writer, sheet_name="other", index=False)
            frame.to_excel(writer, sheet_name="passengers", index=False)
    return path


@pytest.mark.parametrize("name", ["t.csv", "t.tsv", "t.parquet", "t.feather", "t.xlsx"])
def test_every_format_gives_the_same_table(registry: Registry, tmp_path: Path,
                                           name: str) -> None:
    path = write(FRAME, tmp_path / name)
    args = {"path": str(path), "label": "survived", "features": ["age", "sex"]}
    if name.endswith(".xlsx"):
        args["sheet"] = "passengers"
    check_frame(table(registry, args))


def test_a_folder_of_parquet_files_is_one_table(registry: Registry, tmp_path: Path) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    FRAME.iloc[:2].to_parquet(folder / "part-0.parquet")
    FRAME.iloc[2:].to_parquet(folder / "part-1.parquet")
    check_frame(table(registry, {"path": str(folder), "label": "survived",
                                 "features": ["age", "sex"]}))


def test_arff_nominal_values_and_question_marks(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "t.arff"
    path.write_text("@relation t\n@attribute age numeric\n@attribute sex {m,f}\n"
                    "@attribute survived {no,yes}\n@data\n22,m,no\n?,f,yes\n35,f,yes\n"
                    "41,m,no\n", encoding="utf-8")
    check_frame(table(registry, {"path": str(path), "label": "survived"}))


def test_delimiter_and_byte_order_mark_are_detected(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfage;sex;survived\n22;m;no\n;f;yes\n35;f;yes\n41;m;no\n")
    check_frame(table(registry, {"path": str(path), "label": "survived"}))


def test_a_given_encoding_reads_latin_1(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("x,city\n1,Köln\n2,Zürich\n".encode("latin-1"))
    data = table(registry, {"path": str(path), "label": "city", "encoding": "latin-1"})
    assert data["class_names"] == ["Köln", "Zürich"]


def test_only_the_needed_columns_are_read(registry: Registry, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    path = write(FRAME, tmp_path / "t.parquet")
    asked = []
    real = pq.read_table
    monkeypatch.setattr(pq, "read_table", lambda p, columns, **kw: asked.extend(columns)
                        or real(p, columns=columns, **kw))
    table(registry, {"path": str(path), "label": "survived", "features": ["age", "sex"]})
    assert asked == ["survived", "age", "sex"]  # one at a time, 'unused' never


def test_labels_of_any_type_in_a_stated_order(registry: Registry, tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [1, 2, 3, 4, 5], "num": [10, 2, 10, 2, None],
                          "flag": [True, False, True, True, False]})
    write(frame, tmp_path / "t.parquet")
    data = table(registry, {"path": str(tmp_path / "t.parquet"), "label": "num",
                            "features": ["x"]})
    assert data["class_names"] == ["2", "10"]  # numbers sorted as numbers, shown as integers
    assert data["y_train"].tolist() == [1, 0, 1, 0]
    assert data["X_train"]["x"].tolist() == [1, 2, 3, 4]  # the row without a label is gone
    assert data["specs"]["notices"][0] == ("t.parquet: dropped 1 of 5 rows without a label in "
                                           "column 'num' (first rows: [4])")
    data = table(registry, {"path": str(tmp_path / "t.parquet"), "label": 2})
    assert data["class_names"] == ["False", "True"]
    assert data["y_train"].tolist() == [1, 0, 1, 1, 0]


def test_bad_input_names_the_file_the_column_and_the_fix(registry: Registry,
                                                         tmp_path: Path) -> None:
    csv = write(FRAME, tmp_path / "t.csv")
    hint = ('  hint: the table dataset reads "path", "label" and optionally "features" from the '
            'job\'s data section, e.g. "path": "data.csv", "label": "class"')
    assert table_error(registry, {}) == (
        'data.path: No file to read: the data section has no "path".\n' + hint)
    assert table_error(registry, {"path": str(csv)}) == (
        'data.label: No label column: the data section has no "label".\n' + hint)
    assert table_error(registry, {"path": str(csv), "label": "cls"}) == (
        f"data.label: {str(csv)!r} has no column 'cls'.\n"
        "  hint: columns are: age, sex, survived, unused (or give a 0-based index).")
    assert table_error(registry, {"path": str(csv), "label": "survived",
                                  "categorical": ["pclass"]}) == (
        f"data.categorical[0]: The column 'pclass' given as categorical is not in {str(csv)!r}.\n"
        "  hint: columns are: age, sex, survived, unused")
    one = tmp_path / "one.csv"
    FRAME.assign(survived="yes").to_csv(one, index=False)
    assert table_error(registry, {"path": str(one), "label": "survived"}) == (
        f"data.label: The label column 'survived' of {str(one)!r} has only the class 'yes'; a "
        "classifier needs at least 2 classes.\n"
        "  hint: choose another label column, or add rows of the other classes")
    missing = tmp_path / "nope.csv"
    assert table_error(registry, {"path": str(missing), "label": "x"}) == (
        f"data.path: The file {str(missing)!r} does not exist (resolved to {missing}).\n"
        "  hint: relative paths are looked up in the workspace folder, then next to the job "
        "file, then in the current folder.")
    odd = tmp_path / "data.json"
    odd.write_text("{}", encoding="utf-8")
    assert table_error(registry, {"path": str(odd), "label": "x"}) == (
        f"data.path: Cannot read {str(odd)!r}: unknown file type '.json'.\n"
        "  hint: use a .csv, .tsv, .parquet, .feather, .xlsx, .arff file or a folder of "
        ".parquet files.")


def test_an_unreadable_encoding_says_how_to_name_it(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("x,city\n1,Köln\n2,Zürich\n".encode("latin-1"))
    assert table_error(registry, {"path": str(path), "label": "city"}) == (
        f"data.encoding: {str(path)!r} is not utf-8 text (byte 0xf6 cannot be decoded).\n"
        '  hint: name the file\'s encoding in the data section, e.g. "encoding": "latin-1" or '
        '"cp1252", or save the file as UTF-8.')
