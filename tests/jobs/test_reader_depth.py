"""Job files nested too deeply get a message naming where, not a RecursionError."""

from __future__ import annotations

import pytest

from modelmap.errors import JobError
from modelmap.jobs._reader import MAX_DEPTH, parse_job_text
from tests.conftest import modelmap

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("depth", [900, 5000, 100_000])
@pytest.mark.parametrize("open_, close", [("[", "]"), ('{"k": ', "}")])
def test_deep_nesting_is_refused_with_the_position(depth, open_, close):
    text = '{"data": ' + open_ * depth + "1" + close * depth + "}"
    with pytest.raises(JobError) as info:
        parse_job_text(text, "deep.json")
    column = len('{"data": ') + (MAX_DEPTH - 1) * len(open_) + 1  # one level too deep
    assert str(info.value) == (
        f"deep.json:1:{column}: objects and arrays are nested more than {MAX_DEPTH} levels "
        f"deep\n  hint: a job file may nest at most {MAX_DEPTH} levels; check for brackets "
        "opened by mistake")


def test_brackets_in_strings_and_comments_do_not_count():
    many = "[" * 1000
    text = ('{"data": {"title": "' + many + '", "dataset": \'' + many + "'},\n"
            "// " + many + "\n/* " + many + ' */ "classifiers": [[[1]]]}')
    assert parse_job_text(text)["data"]["title"] == many


def test_nesting_up_to_the_limit_is_read():
    depth = MAX_DEPTH - 1
    text = '{"a": ' + "[" * depth + "1" + "]" * depth + "}"
    value = parse_job_text(text)["a"]
    for _ in range(depth):
        value = value[0]
    assert value == 1


def test_run_on_a_deeply_nested_job_file_prints_the_message(tmp_path):
    job = tmp_path / "deep.json"
    job.write_text('{"data": ' + "[" * 900 + "]" * 900 + "}", encoding="utf-8")
    proc = modelmap("run", str(job), cwd=tmp_path, check=2)
    assert "deep.json:1:73: objects and arrays are nested more than 64 levels deep" \
        in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
