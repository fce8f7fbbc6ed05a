"""The web app in a real browser (Chromium via Playwright) over a store filled by really
running the example jobs: every view, switching jobs, filtering, linked highlighting,
click-to-open, comparison, theme, new results while a job runs, CSV export.

Each test fails on any browser console error (see the ``page`` fixture).  Screenshots of
every view go to ``test-artifacts/ui/``.
"""

from __future__ import annotations

import csv
import io
import time

import pytest

from modelmap.training._result import TrainResult
from modelmap.ui._data import readable
from tests.ui.browser import (beside, hover, open_job, overlay_marks, pick,
                              screenshot, selected_count, view, wait_chart)

pytestmark = pytest.mark.slow

CHARTS = {"ranking": "ranking", "map": "map", "plot": "plot", "time": "time",
          "history": "history", "summary": "confusion", "comparison": "difference",
          "data": "samples"}


def test_every_view_shows_the_iris_job(page, ui_store):
    open_job(page, "Iris")
    n = len(ui_store.result_rows("Iris"))
    assert selected_count(page) == (n, n)
    assert "3 classes · 120 train · 30 test" in page.inner_text("#mm-status-job")
    for name in ("menu", "filter", "ranking", "map", "plot", "time", "summary", "history",
                 "comparison", "data", "settings", "help"):
        view(page, name)
        if name in CHARTS:
            chart = wait_chart(page, CHARTS[name])
            assert chart["traces"], f"{name} shows no data: {chart['notes']}"
        if name == "comparison":
            page.wait_for_selector("#mm-compare-verdict .mm-verdict")
            verdict = page.inner_text("#mm-compare-verdict")
            assert "McNemar's test" in verdict and "p = " in verdict
        if name == "help":
            page.wait_for_selector("#mm-help-body .accordion")
            assert "kneighbors" in page.inner_text("#mm-help-body")
        screenshot(page, name)


def test_ranking_has_a_bar_per_classifier_and_column(page, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    chart = wait_chart(page, "ranking")
    bars = [t for t in chart["traces"] if t["type"] == "bar"]
    n = len(ui_store.result_rows("Iris"))
    assert len(bars) >= 2 and all(t["n"] == n for t in bars)
    pick(page, "mm-rank-group", "method")
    page.wait_for_function("""() => {
      const el = document.getElementById('{"name":"ranking","type":"mm-linked"}');
      const gd = el && el.querySelector('.js-plotly-plot');
      return gd && gd.data.length && gd.data[1].y.length < 20;
    }""")
    assert "groups" in page.inner_text("#mm-rank-note")


def test_switching_job_and_filtering(page, ui_store):
    open_job(page, "Iris")
    view(page, "filter")
    page.fill("#mm-filters", "test_accuracy>=0.95\nmethod=svm")
    page.click("#mm-filter-apply")
    expected = ui_store.results("Iris")
    expected = expected[(expected.test_accuracy >= 0.95) & (expected.method == "svm")]
    page.wait_for_function("(n) => document.getElementById('mm-selection-count')"
                           ".textContent.startsWith(n + ' of')", arg=len(expected))
    page.fill("#mm-filters", "no_such_field>1")
    page.click("#mm-filter-apply")
    page.wait_for_selector("#mm-filter-error .alert")
    assert "unknown filter field 'no_such_field'" in page.inner_text("#mm-filter-error")
    pick(page, "mm-job-select", "Multi-label")
    page.wait_for_function("() => document.getElementById('mm-status-job').textContent"
                           ".startsWith('Multi-label')")
    assert "5 labels" in page.inner_text("#mm-status-job")


def test_hover_highlights_in_every_linked_view_and_click_opens_summary(page, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    beside(page, "map")
    wait_chart(page, "ranking")
    wait_chart(page, "map")
    spot = hover(page, "map", lambda s: "Highlighted: " + readable(  # 🟊 is shown as ★
        ui_store.result(s["id"])["title"]))
    title = readable(ui_store.result(spot["id"])["title"])
    assert overlay_marks(page, "map")["rings"] == 1
    assert overlay_marks(page, "ranking")["lines"] == 1  # the line across the columns
    screenshot(page, "highlight")
    page.mouse.move(5, 5)
    page.wait_for_function("() => document.getElementById('mm-status-highlight')"
                           ".textContent === ''")
    assert overlay_marks(page, "ranking")["lines"] == 0
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_selector("section.mm-view[data-view=summary]", state="visible")
    page.wait_for_function("(t) => (document.querySelector('#mm-summary-info h3') || {})"
                           ".textContent === t", arg=title)
    wait_chart(page, "confusion")
    screenshot(page, "map-and-summary")


def test_theme_is_toggled_and_remembered(page, served):
    view(page, "settings")
    page.click("#mm-set-theme input[value=dark]")
    page.wait_for_function("() => document.documentElement.getAttribute('data-bs-theme')"
                           " === 'dark'")
    open_job(page, "Iris")
    view(page, "ranking")
    wait_chart(page, "ranking")
    screenshot(page, "ranking-dark")
    page.reload()
    page.wait_for_function("() => document.documentElement.getAttribute('data-bs-theme')"
                           " === 'dark'")
    view(page, "settings")
    page.click("#mm-set-theme input[value=bright]")
    page.wait_for_function("() => document.documentElement.getAttribute('data-bs-theme')"
                           " === 'light'")


STATES = [
    ("All failed", "ranking", "ranking", "no scores to rank"),
    ("All failed", "map", "map", "None of the selected classifiers finished"),
    ("One classifier", "history", "history", "recorded a training history"),
    ("No test set", "data", "samples", None),
]


def test_empty_and_error_states_say_why(page):
    for job, view_name, chart, text in STATES:
        open_job(page, job)
        view(page, view_name)
        state = wait_chart(page, chart)
        if text is None:
            assert state["traces"], state["notes"]
        else:
            page.wait_for_function("""([key, text]) => {
              const el = document.getElementById(JSON.stringify({name: key, type: 'mm-linked'}))
                      || document.getElementById(JSON.stringify({name: key, type: 'mm-graph'}));
              const gd = el.querySelector('.js-plotly-plot');
              return ((gd.layout || {}).annotations || []).some(a => a.text.includes(text));
            }""", arg=[chart, text])
        screenshot(page, f"state-{job.replace(' ', '-').lower()}-{view_name}")
    view(page, "summary")
    open_job(page, "All failed")
    view(page, "summary")
    page.wait_for_selector("#mm-summary-info .alert-danger")
    assert "failed" in page.inner_text("#mm-summary-info")
    open_job(page, "One classifier")
    view(page, "comparison")
    page.wait_for_selector("#mm-compare-verdict .mm-state")
    assert "Pick two different classifiers" in page.inner_text("#mm-compare-verdict")


def test_new_results_show_a_notice_not_a_jump(page, ui_store):
    open_job(page, "Growing")
    shown, total = selected_count(page)
    row = ui_store.result_rows("Growing")[0]
    record = ui_store.train_result(row["id"])
    ui_store.add_result("Growing", record.replace(key=f"new-{time.time()}",
                                                  title="Naive (again)"))
    page.wait_for_selector("#mm-new:has-text('1 new result')", timeout=15_000)
    assert selected_count(page) == (shown, total)  # nothing moved yet
    page.click("#mm-new")
    page.wait_for_function("(n) => document.getElementById('mm-selection-count')"
                           ".textContent.startsWith(n + ' of')", arg=shown + 1)
    assert isinstance(record, TrainResult)


def test_csv_export_of_the_current_table(page, ui_store):
    open_job(page, "Iris")
    with page.expect_download() as download:
        page.click("#mm-export")
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(ui_store.result_rows("Iris"))
    assert float(rows[0]["test_accuracy"]) == max(float(r["test_accuracy"]) for r in rows)
