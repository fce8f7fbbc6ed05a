"""The captured output of a configuration is bounded: head and tail kept, the cut counted."""

from __future__ import annotations

import types

import pytest
from sklearn.linear_model import LogisticRegression

from modelmap.data import prepare
from modelmap.training import train_config
from modelmap.training._capture import HEAD_BYTES, TAIL_BYTES, BoundedLog, capture
from tests.training.test_train import ARGS, DATA, iris_raw


def test_short_output_is_kept_whole():
    with capture() as log:
        print("hello")
        print("wörld")
    assert log.getvalue() == "hello\nwörld\n" and log.cut == 0


def test_long_output_keeps_head_and_tail_and_says_how_much_was_cut():
    log = BoundedLog(head=10, tail=8)
    for i in range(100):
        log.write(f"{i:03d}\n")  # 4 bytes a line, 400 in all
    text = log.getvalue()
    assert text == "000\n001\n00\n[... 382 bytes cut ...]\n098\n099\n"
    assert log.cut == 400 - 10 - 8


def test_one_huge_write_and_multibyte_characters_stay_within_the_bounds():
    log = BoundedLog(head=7, tail=7)
    log.write("ä" * 1000)  # 2 bytes each: a cut never splits a character
    head, _, tail = log.getvalue().partition("\n[... ")
    assert head == "äää" and tail.endswith("\näää")
    assert log.cut == 2000 - 12


def _printing_plugin(megabytes: int):
    class Classifier:
        def __init__(self, args, data_specs):
            self.clf = LogisticRegression(max_iter=500)

        def fit(self, X, y):
            print("FIRST LINE")
            line = "x" * 1023
            for _ in range(megabytes * 1024):
                print(line)
            print("LAST LINE")
            return self.clf.fit(X, y)

        def predict(self, X, y):
            return self.clf.predict(X)

    return types.SimpleNamespace(get_clf=lambda args, specs: Classifier(args, specs))


@pytest.mark.timeout(60)
def test_a_plugin_printing_many_megabytes_stores_about_one():
    bundle = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(bundle, _printing_plugin(8), ARGS, key="k")
    assert r.ok
    size = len(r.log.encode("utf-8"))
    assert HEAD_BYTES + TAIL_BYTES <= size <= HEAD_BYTES + TAIL_BYTES + 100
    assert r.log.startswith("FIRST LINE\n") and r.log.endswith("LAST LINE\n")
    total = len("FIRST LINE\n") + 8 * 1024 * 1024 + len("LAST LINE\n")
    assert f"[... {total - HEAD_BYTES - TAIL_BYTES} bytes cut ...]" in r.log


def test_clipping_a_clipped_log_counts_what_the_first_cut_left_out():
    from modelmap.training import clip

    log = BoundedLog(head=100, tail=100)
    log.write("a" * 1000 + "b" * 1000)
    stored = log.getvalue()  # 200 bytes kept, 1800 cut
    shown, cut = clip(stored, 20, 20)
    assert shown.startswith("a" * 20) and shown.endswith("b" * 20)
    assert cut == 2000 - 40 and f"[... {cut} bytes cut ...]" in shown
    assert clip("short", 20, 20) == ("short", 0)
