"""Reading job files: JSON5 syntax, encodings, and the errors of unreadable files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from modelmap.errors import JobError
from modelmap.jobs import load_job, read_job_file

from ._helpers import DATA, error_of

SKELETON = (
    '  hint: a job file is an object like {"data": {"title": "...", "dataset": "..."}, '
    '"classifiers": [...]}; create one with `modelmap init`'
)
GENERIC = (
    "  hint: job files are JSON5: keys and strings in quotes, values separated by commas; "
    "// and /* */ comments and trailing commas are allowed"
)


def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "job.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_error(path: Path) -> str:
    with pytest.raises(JobError) as info:
        read_job_file(path)
    return str(info.value)


def test_json5_comments_trailing_commas_unicode_and_single_quotes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "// a job\n{/* block\ncomment */ 'data': {title: 'Ünïcode 🟊', \"n\": 0x10,},\n"
        '"list": [1, 2,], "s": "a // not a comment",}\n',
    )
    parsed = read_job_file(path)
    assert parsed == {
        "data": {"title": "Ünïcode 🟊", "n": 16}, "list": [1, 2], "s": "a // not a comment"
    }
    assert type(parsed) is dict and type(parsed["data"]) is dict


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, '\ufeff{"data": {"title": "BOM"}}'.encode("utf-8"))
    assert read_job_file(path) == {"data": {"title": "BOM"}}


def test_missing_comma_points_at_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n\t"a": 1\n\t"b": 2}')
    assert read_error(path) == (
        f"{path}:3:2: syntax error: unexpected '\"'\n"
        '  | \t"b": 2}\n'
        "  | \t^\n"
        "  hint: a comma is probably missing after line 2: "
        "values and entries are separated by commas"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"data": {',
            "<job>:1:11: syntax error: unexpected end of file\n  | {\"data\": {\n"
            "  |           ^\n  hint: the file ends before the job is complete: "
            "a closing '}', ']' or quote is missing",
        ),
        (
            '{"a": 1,, }',
            "<job>:1:10: syntax error: unexpected space\n  | {\"a\": 1,, }\n"
            "  |          ^\n  hint: two commas in a row: remove one of them",
        ),
        (
            '{"a": }',
            "<job>:1:7: syntax error: unexpected '}'\n  | {\"a\": }\n"
            "  |       ^\n  hint: a value is missing after ':'",
        ),
        (
            '{"a": "x\ny"}',
            "<job>:1:9: syntax error: unexpected line break\n  | {\"a\": \"x\n"
            "  |         ^\n  hint: a string must end on the line where it starts: "
            "a closing quote is missing",
        ),
        (
            '{"a": 1}\n}',
            "<job>:2:1: syntax error: unexpected '}'\n  | }\n  | ^\n"
            "  hint: there is text after the job's closing '}'; remove it",
        ),
        (
            "{a: tru}",
            f"<job>:1:8: syntax error: unexpected '}}'\n  | {{a: tru}}\n  |        ^\n{GENERIC}",
        ),
    ],
)
def test_syntax_errors(text: str, expected: str) -> None:
    assert error_of(text) == expected


def test_long_lines_are_cut_around_the_error() -> None:
    text = '{"data": {"title": "' + "x" * 200 + '" "dataset": "iris"}}'
    lines = error_of(text).splitlines()
    assert lines[0] == "<job>:1:223: syntax error: unexpected '\"'"
    assert lines[1] == "  | " + "x" * 48 + '" "dataset": "iris"}}'
    assert lines[2] == "  | " + " " * 50 + "^"


@pytest.mark.parametrize("content", ["", "  \n\t\n", "// only a comment\n/* and\nanother */\n"])
def test_empty_files(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    assert read_error(path) == f"{path}: the job file is empty\n{SKELETON}"


def test_missing_file_suggests_init(tmp_path: Path) -> None:
    path = tmp_path / "jobs" / "nope.json"
    assert error_of(path) == (
        f"{path}: job file not found\n"
        "  hint: check the path, or create a new job file with `modelmap init`"
    )


def test_folder_is_not_a_job_file(tmp_path: Path) -> None:
    assert read_error(tmp_path) == (
        f"{tmp_path}: is a folder, not a job file\n"
        "  hint: pass a job file such as jobs/my_job.json"
    )


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, b'{\n  "data": "caf\xe9"\n}')
    assert read_error(path) == (
        f"{path}:2:15: not valid UTF-8 text (byte 0xe9)\n"
        "  hint: save the job file with the UTF-8 encoding"
    )


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    path = write(tmp_path, "[1, 2]")
    assert read_error(path) == f"{path}: the top level must be an object; got a list\n{SKELETON}"


def test_duplicate_keys_and_non_finite_numbers_are_reported_together() -> None:
    text = (
        '{"data": {"title": "t", "title": "u", "dataset": "iris"},\n'
        '"classifiers": [{"title": "a", "method": "m", "C": NaN, "g": [1, -Infinity]}]}'
    )
    assert error_of(text) == (
        "<job>: data.title: key given more than once in the same object; "
        "only one value can be used\n"
        "  hint: remove or rename one of them\n"
        "<job>: classifiers[0].C: NaN is not allowed in a job file\n"
        "  hint: use a finite number (or null)\n"
        "<job>: classifiers[0].g[1]: -Infinity is not allowed in a job file\n"
        "  hint: use a finite number (or null)"
    )


def test_load_job_accepts_a_path_string_text_and_mapping(tmp_path: Path) -> None:
    text = '{"data": {"title": "t", "dataset": "iris"}, "classifiers": [{"title": "N", "method": "naive"}]}'
    path = write(tmp_path, text)
    from_str, from_path = load_job(str(path)), load_job(path)
    assert from_str.path == from_path.path == path
    assert from_str == from_path == load_job(text) == load_job(from_path.raw)
    assert load_job(text).path is None


def test_mapping_input_is_made_json_like() -> None:
    source = {
        "data": DATA,
        "classifiers": ({"title": "MLP", "method": "mlp", "sizes": (np.int64(10), 10), "a": -0.0},),
    }
    job = load_job(source)
    assert job.classifiers[0].args == {"sizes": [10, 10], "a": 0.0}
    assert type(job.classifiers[0].args["sizes"][0]) is int
    assert job.raw["classifiers"][0]["sizes"] == [10, 10]


def test_mapping_input_errors() -> None:
    assert error_of({"data": DATA, "classifiers": [{1: 2}]}) == (
        "<job>: not a JSON-like job: object keys must be strings; got 1"
    )
    assert error_of({"data": DATA, "classifiers": [{"title": "a", "method": "b", "c": float("nan")}]}) == (
        "<job>: classifiers[0].c: NaN is not allowed in a job file\n"
        "  hint: use a finite number (or null)"
    )
    with pytest.raises(TypeError, match="load_job\\(\\) needs a path, a mapping or JSON text; got int"):
        load_job(3)  # type: ignore[arg-type]
