"""The web app as a researcher reads it (issue 14), in Chromium: the landing page, Ranking's
numbers, names, true zero, search and sort direction, the status bar that never covers a row,
the references (optimal, naive) kept out of the Pareto front, and colours that stay put.

Each test fails on any browser console error (see the ``page`` fixture).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from modelmap.ui._data import readable
from tests.ui.browser import GD, open_job, pick, screenshot, settle, view, wait_chart

pytestmark = pytest.mark.slow


def traces(page: Any, name: str) -> list[dict[str, Any]]:
    """The chart's traces as the browser has them (type, x, y, customdata, text, colours)."""
    return page.evaluate(f"""(key) => {{
      const gd = ({GD})(key);
      return (gd.data || []).map(t => ({{type: t.type, x: t.x || [], y: t.y || [],
        customdata: t.customdata || [], text: t.text || [], meta: t.meta || null,
        colour: (t.marker || {{}}).color || (t.line || {{}}).color || null}}));
    }}""", name)


def ok_rows(store: Any, job: str) -> list[dict[str, Any]]:
    return [r for r in store.result_rows(job) if r["status"] == "ok"]


def test_the_first_visit_opens_menu_with_the_newest_job(page, ui_store):
    page.wait_for_selector("section.mm-view[data-view=menu]", state="visible")
    newest = next(j for j in sorted(ui_store.jobs(), key=lambda j: -(j["updated_at"] or 0))
                  if j["n_results"])
    page.wait_for_function("(t) => document.getElementById('mm-status-job').textContent"
                           ".startsWith(t + ' ·')", arg=newest["title"])
    page.wait_for_selector(".mm-job-card.mm-job-active")
    settle(page)
    assert page.inner_text("#mm-colour").strip() == "method"  # the Colour box is filled
    assert page.inner_text("#mm-sort").strip()
    from modelmap.ui.views import VIEWS

    for name, _ in VIEWS:  # every view says what it is for in one line
        assert page.locator(f"section.mm-view[data-view={name}] .mm-lead").count() == 1
    screenshot(page, "landing")


def test_ranking_shows_values_from_a_true_zero_with_names_in_every_column(page, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    wait_chart(page, "ranking")
    settle(page)
    shown = traces(page, "ranking")
    bars = [t for t in shown if t["type"] == "bar"]
    texts = [t for t in shown if (t["meta"] or {}).get("mm") == "values"]
    assert len(texts) == len(bars) >= 2
    score = {r["id"]: r["scores"]["test"]["accuracy"] for r in ok_rows(ui_store, "Iris")}
    first = bars[0]
    lengths = {i: x for i, x in zip(first["customdata"], first["x"])}
    # a bar's length is proportional to the value itself (zero is zero), not to its distance
    # from the lowest value in view
    top = max(score.values())
    assert all(abs(lengths[i] / lengths[max(score, key=score.get)] - score[i] / top) < 1e-9
               for i in score)
    assert all(abs(float(text.split()[0]) - score[i]) < 1e-3
               for i, text in zip(first["customdata"], texts[0]["text"]))
    titles = {r["id"]: readable(r["title"]) for r in ok_rows(ui_store, "Iris")}
    second = bars[1]
    by_row = {y: i for i, y in zip(second["customdata"], second["y"])}
    for y, text in zip(texts[1]["y"], texts[1]["text"]):
        assert titles[by_row[y]][:20] in text  # the 2nd column names its rows
    screenshot(page, "ranking-values")


def test_ranking_find_scrolls_to_a_classifier_and_highlights_it(page, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    wait_chart(page, "ranking")
    target = next(r for r in ok_rows(ui_store, "Iris") if r["method"] == "optimal")
    page.fill("#mm-rank-find", "optimal")
    page.press("#mm-rank-find", "Enter")
    page.wait_for_function("(t) => document.getElementById('mm-status-highlight')"
                           ".textContent === 'Highlighted: ' + t", arg=readable(target["title"]))
    assert readable(target["title"]) in page.inner_text("#mm-rank-found")
    page.fill("#mm-rank-find", "no such classifier")
    page.press("#mm-rank-find", "Enter")
    page.wait_for_function("() => document.getElementById('mm-rank-found').textContent"
                           ".startsWith('no title contains')")


def test_best_first_puts_the_fastest_first_and_the_button_says_so(page, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    pick(page, "mm-sort", "fit time")
    settle(page)
    page.wait_for_function("""() => {
      const el = document.getElementById('{"name":"ranking","type":"mm-linked"}');
      const gd = el && el.querySelector('.js-plotly-plot');
      return gd && (gd.layout.annotations || []).some(a => a.text.includes('fit time'))
        && gd.layout.annotations[0].text.includes('fit time');
    }""")
    assert page.inner_text("#mm-sort-desc") == "best first"
    bars = [t for t in traces(page, "ranking") if t["type"] == "bar"][0]
    top = bars["customdata"][bars["y"].index(0)]
    fastest = min(ok_rows(ui_store, "Iris"), key=lambda r: (r["times"]["fit"], r["title"]))
    assert top == fastest["id"]
    page.click("#mm-sort-desc")
    page.wait_for_function("() => document.getElementById('mm-sort-desc').textContent"
                           " === 'worst first'")


def test_the_status_bar_never_covers_the_last_rows(page):
    open_job(page, "Iris")
    view(page, "ranking")
    wait_chart(page, "ranking")
    settle(page)
    page.evaluate("() => { const v = document.querySelector("
                  "'section.mm-view[data-view=ranking]'); v.scrollTop = v.scrollHeight; }")
    page.wait_for_timeout(200)
    hit = page.evaluate("""() => {
      const el = document.getElementById('{"name":"ranking","type":"mm-linked"}');
      const bars = [...el.querySelectorAll('.barlayer .trace:first-child .point')];
      const last = bars.reduce((a, b) => a.getBoundingClientRect().bottom
                                          > b.getBoundingClientRect().bottom ? a : b);
      const box = last.getBoundingClientRect();
      const x = box.left + 3, y = box.top + box.height / 2;
      const under = document.elementFromPoint(x, y);
      return {inChart: !!(under && el.contains(under)), y,
              bar: document.querySelector('.mm-statusbar').getBoundingClientRect().top};
    }""")
    assert hit["inChart"] and hit["y"] < hit["bar"], hit
    screenshot(page, "ranking-bottom")


def test_references_are_lines_not_points_on_the_pareto_front(page, ui_store):
    open_job(page, "Iris")
    view(page, "time")
    wait_chart(page, "time")
    settle(page)
    refs = {r["id"] for r in ok_rows(ui_store, "Iris") if r["method"] in ("optimal", "naive")}
    assert len(refs) == 2
    shown = traces(page, "time")
    front, points = shown[0], shown[1]
    assert not refs & set(front["customdata"]) and not refs & set(points["customdata"])
    shapes = page.evaluate(f"() => (({GD})('time').layout.shapes || []).length")
    assert shapes == 2
    assert "References" in page.inner_text("#mm-time-note")
    screenshot(page, "time-references")


def test_method_colours_are_distinct_and_stay_when_filtering(page, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    wait_chart(page, "ranking")
    settle(page)
    chips = page.evaluate("() => [...document.querySelectorAll('#mm-legend .mm-chip')]"
                          ".map(c => c.style.background)")
    methods = {r["method"] for r in ui_store.result_rows("Iris")}
    assert len(chips) == len(methods) == len(set(chips)) >= 14
    before = dict(zip(*(lambda b: (b["customdata"], b["colour"]))(
        [t for t in traces(page, "ranking") if t["type"] == "bar"][0])))
    view(page, "filter")
    page.fill("#mm-filters", "method=svm")
    page.click("#mm-filter-apply")
    page.wait_for_function("() => !document.getElementById('mm-selection-count')"
                           ".textContent.startsWith('44 of')")
    view(page, "ranking")
    page.wait_for_function("""() => {
      const el = document.getElementById('{"name":"ranking","type":"mm-linked"}');
      const gd = el && el.querySelector('.js-plotly-plot');
      return gd && gd.data[1] && gd.data[1].customdata.length < 44;
    }""")
    after = [t for t in traces(page, "ranking") if t["type"] == "bar"][0]
    assert all(before[i] == c for i, c in zip(after["customdata"], after["colour"]))


def test_map_draws_stacked_classifiers_once_with_their_count_across_the_width(page, ui_store):
    open_job(page, "Iris")
    view(page, "map")
    wait_chart(page, "map")
    settle(page)
    points, badges = traces(page, "map")[:2]
    assert (badges["meta"] or {}).get("mm") == "counts" and badges["text"]
    stacked = sum(int(t.lstrip("×")) for t in badges["text"])
    places = {(round(x, 9), round(y, 9)) for x, y in zip(points["x"], points["y"])}
    assert stacked - len(badges["text"]) + len(places) == len(ok_rows(ui_store, "Iris"))
    size = page.evaluate(f"""() => {{ const gd = ({GD})('map');
      return {{plot: gd._fullLayout._size.w, width: gd.getBoundingClientRect().width,
              zoom: gd._context.scrollZoom}}; }}""")
    assert size["plot"] > 0.9 * size["width"] and size["zoom"]  # fills the width; scroll zooms
    page.click("#mm-map-projection")
    offered = page.get_by_role("option").all_inner_texts()
    import importlib.util
    assert ("UMAP" in offered) == (importlib.util.find_spec("umap") is not None)
    page.keyboard.press("Escape")
    screenshot(page, "map-stacks")


def test_plot_axes_follow_the_data(page, ui_store):
    open_job(page, "Iris")
    view(page, "plot")
    wait_chart(page, "plot")
    settle(page)
    assert page.inner_text("#mm-plot-x").strip() == "method"  # every classifier has one
    assert len(traces(page, "plot")[0]["x"]) == len(ui_store.result_rows("Iris"))
    pick(page, "mm-plot-x", "max_depth")
    settle(page)
    page.wait_for_function(f"() => ({GD})('plot').layout.xaxis.title.text === 'max_depth'")
    xs = traces(page, "plot")[0]["x"]
    depths = [r["args"].get("max_depth") for r in ui_store.result_rows("Iris")
              if r["args"].get("max_depth") is not None]
    assert all(float(x).is_integer() for x in xs)  # no jitter on numbers
    assert max(xs) > max(depths)  # max_depth 0 (no limit) is drawn after the deepest
    ticks = page.evaluate(f"() => ({GD})('plot').layout.xaxis.ticktext")
    assert ticks[-1].startswith("∞")
    low, high = page.evaluate(f"() => ({GD})('plot')._fullLayout.xaxis.range")
    assert low <= min(xs) and high >= max(xs)
    greyed = page.evaluate(f"() => ({GD})('association').data.length")
    assert greyed == 2  # the cells from fewer than 5 classifiers are a grey layer
    names = page.evaluate(f"() => ({GD})('importance').data[0].y")
    assert "random_state" not in names
    screenshot(page, "plot-axes")


def test_confusion_matrix_labels_every_class(page):
    open_job(page, "Digits CV")
    view(page, "summary")
    wait_chart(page, "confusion")
    settle(page)
    ticks = page.evaluate(f"() => [...({GD})('confusion').querySelectorAll('.xtick text')]"
                          ".map(t => t.textContent)")
    assert ticks == [str(k) for k in range(10)]


def test_dark_theme_darkens_the_job_picker(page):
    view(page, "settings")
    page.click("#mm-set-theme input[value=dark]")
    page.wait_for_function("() => document.documentElement.getAttribute('data-bs-theme')"
                           " === 'dark'")
    page.wait_for_timeout(200)
    rgb = page.evaluate("""() => {
      const el = document.querySelector('#mm-job-select');
      let node = el.querySelector('button') || el, c = getComputedStyle(node).backgroundColor;
      return c.match(/\\d+/g).slice(0, 3).map(Number);
    }""")
    assert sum(rgb) / 3 < 100, rgb
    screenshot(page, "menu-dark")
    open_job(page, "Iris")
    view(page, "ranking")
    wait_chart(page, "ranking")
    settle(page)
    page.wait_for_timeout(300)
    # a chart configured while its view was hidden is resized when the view is shown
    width, room = page.evaluate(f"""() => {{ const gd = ({GD})('ranking');
      return [gd._fullLayout.width, gd.parentElement.getBoundingClientRect().width]; }}""")
    assert abs(width - room) < 30, (width, room)
    screenshot(page, "ranking-dark-wide")
    view(page, "settings")
    page.click("#mm-set-theme input[value=bright]")


def test_help_appears_quickly(page):
    import time

    open_job(page, "Iris")
    started = time.monotonic()
    view(page, "help")
    page.wait_for_selector("#mm-help-body .accordion details")
    assert time.monotonic() - started < 8  # it took 16-27 s on this machine before
    assert "kneighbors" in page.inner_text("#mm-help-body")


def test_history_has_a_legend_shades_per_method_a_mean_band_smoothing_and_log(page):
    open_job(page, "Iris")
    view(page, "history")
    wait_chart(page, "history")
    settle(page)
    shown = traces(page, "history")
    curves = [t for t in shown if t["customdata"]]
    assert len(curves) >= 2 and len({str(t["colour"]) for t in curves}) == len(curves)
    legend = page.evaluate(f"() => ({GD})('history')._fullLayout.showlegend")
    names = page.evaluate(f"() => ({GD})('history').data.map(t => t.name)")
    assert legend and any(n.endswith(" mean") for n in names)
    assert any(n.endswith("90 % band") for n in names)
    raw = curves[0]["y"]
    page.click("#mm-history-show input[value=log]")
    page.wait_for_function(f"() => ({GD})('history').layout.yaxis.type === 'log'")
    page.evaluate("() => 0")
    slider = page.locator("#mm-history-smooth")
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
    page.wait_for_function(f"""(first) => {{
      const t = ({GD})('history').data.find(t => t.customdata && t.customdata.length);
      return t && t.y[5] !== first;
    }}""", arg=raw[5])
    screenshot(page, "history")


def grid_rows(page: Any) -> int:
    return page.evaluate("() => dash_ag_grid.getApi('mm-grid').getDisplayedRowCount()")


def test_table_sorts_filters_searches_and_exports_what_it_shows(page, ui_store):
    open_job(page, "Iris")
    view(page, "table")
    n = len(ui_store.result_rows("Iris"))
    page.wait_for_function("(n) => window.dash_ag_grid && dash_ag_grid.getApi('mm-grid')"
                           " && dash_ag_grid.getApi('mm-grid').getDisplayedRowCount() === n",
                           arg=n)
    # the scores with intervals are wide: scroll to fit time as a user would
    page.evaluate("() => dash_ag_grid.getApi('mm-grid').ensureColumnVisible('fit_time')")
    page.click("#mm-grid .ag-header-cell[col-id=fit_time] .ag-header-cell-label")
    first = page.evaluate("() => dash_ag_grid.getApi('mm-grid').getDisplayedRowAtIndex(0)"
                          ".data.title")
    fastest = min(ui_store.result_rows("Iris"), key=lambda r: r["times"]["fit"])
    assert first == readable(fastest["title"])  # the app shows 🟊 as ★
    page.fill("#mm-table-search", "svm")
    svm = [r for r in ui_store.result_rows("Iris") if "svm" in (r["title"] + r["method"]).lower()]
    page.wait_for_function("(n) => dash_ag_grid.getApi('mm-grid').getDisplayedRowCount() === n",
                           arg=len(svm))
    screenshot(page, "table")
    with page.expect_download() as download:
        page.click("#mm-table-export")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert len(rows) == len(svm) and "test_accuracy" in rows[0]
    times = [float(r["fit_time"]) for r in rows]
    assert times == sorted(times)  # in the table's order


def test_table_export_defuses_formulas(page, ui_store):
    row = ui_store.result_rows("Growing")[0]
    record = ui_store.train_result(row["id"])
    ui_store.add_result("Growing", record.replace(key="formula", title="=HYPERLINK(1)"))
    open_job(page, "Growing")
    view(page, "table")
    page.wait_for_function("() => window.dash_ag_grid && dash_ag_grid.getApi('mm-grid')"
                           " && dash_ag_grid.getApi('mm-grid').getDisplayedRowCount() >= 2")
    with page.expect_download() as download:
        page.click("#mm-table-export")
    text = download.value.path().read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_table_handles_ten_thousand_rows(page, ui_store):
    from tests.ui.synthetic import fill

    if ui_store.job("Synthetic 10000") is None:
        fill(ui_store, 10_000, "Synthetic 10000")
    open_job(page, "Synthetic 10000")
    view(page, "table")
    page.wait_for_function("() => window.dash_ag_grid && dash_ag_grid.getApi('mm-grid')"
                           " && dash_ag_grid.getApi('mm-grid').getDisplayedRowCount() === 10000",
                           timeout=60_000)
    spent = page.evaluate("""() => {
      const api = dash_ag_grid.getApi('mm-grid'), t0 = performance.now();
      api.applyColumnState({state: [{colId: 'test_accuracy', sort: 'asc'}]});
      api.setGridOption('quickFilterText', 'svm');
      return performance.now() - t0;
    }""")
    assert grid_rows(page) < 10_000 and spent < 1000
    screenshot(page, "table-10000")


def test_the_address_keeps_the_job_and_views_and_a_link_restores_them(page, served, ui_store):
    open_job(page, "Iris")
    view(page, "ranking")
    from tests.ui.browser import beside

    beside(page, "map")
    iris = ui_store.job("Iris")["id"]
    page.wait_for_function("(id) => location.search.includes('job=' + id)"
                           " && location.search.includes('view=ranking')"
                           " && location.search.includes('beside=map')", arg=iris)
    link = page.url
    fresh = page.context.new_page()  # a new tab: no session state, only the link
    try:
        fresh.goto(link)
        fresh.wait_for_function("() => document.getElementById('mm-status-job') && "
                                "document.getElementById('mm-status-job').textContent"
                                ".startsWith('Iris ·')")
        fresh.wait_for_selector("section.mm-view[data-view=ranking]", state="visible")
        fresh.wait_for_selector("section.mm-view[data-view=map]", state="visible")
    finally:
        fresh.close()


def test_menu_shows_only_the_top_n_by_the_sort(page, ui_store):
    open_job(page, "Iris")
    page.fill("#mm-top-n", "5")
    page.press("#mm-top-n", "Enter")
    page.wait_for_function("() => document.getElementById('mm-selection-count')"
                           ".textContent.startsWith('5 of')")
    view(page, "ranking")
    wait_chart(page, "ranking")
    settle(page)
    bars = [t for t in traces(page, "ranking") if t["type"] == "bar"][0]
    best = sorted(ok_rows(ui_store, "Iris"), key=lambda r: (-r["scores"]["test"]["accuracy"],
                                                             r["title"]))[:5]
    assert sorted(bars["customdata"]) == sorted(r["id"] for r in best)
    view(page, "menu")
    page.fill("#mm-top-n", "")
    page.press("#mm-top-n", "Enter")
    page.wait_for_function("() => document.getElementById('mm-selection-count')"
                           ".textContent.startsWith('44 of')")
