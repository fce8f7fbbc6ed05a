"""The web app's numbers at scale (issue 14, part C), in Chromium: the Table's intervals, the
Filter's score ranges and description of the filtered set, and pickers that stay light with
thousands of classifiers.  Screenshots in both themes go to test-artifacts/ui/.

Each test fails on any browser console error (see the ``page`` fixture).
"""

from __future__ import annotations

import re
import statistics
from typing import Any

import pytest

from modelmap import queries
from modelmap.ui._data import readable
from tests.ui.browser import open_job, screenshot, search_pick, selected_count, settle, view

pytestmark = pytest.mark.slow
CELL = re.compile(r"^\d\.\d{3} \[\d\.\d\d, \d\.\d\d\]( ≈best| ref)?$")


def both_themes(page: Any, name: str, shown: str) -> None:
    """Screenshots of the view ``shown`` in the bright and the dark theme."""
    screenshot(page, f"{name}-bright")
    for theme, attribute in (("dark", "dark"), ("bright", "light")):
        view(page, "settings")
        page.click(f"#mm-set-theme input[value={theme}]")
        page.wait_for_function("(t) => document.documentElement.getAttribute('data-bs-theme')"
                               " === t", arg=attribute)
        view(page, shown)
        settle(page)
        if theme == "dark":
            screenshot(page, f"{name}-dark")


def grid_ready(page: Any, n: int) -> None:
    page.wait_for_function("(n) => window.dash_ag_grid && dash_ag_grid.getApi('mm-grid')"
                           " && dash_ag_grid.getApi('mm-grid').getDisplayedRowCount() === n",
                           arg=n, timeout=60_000)


def cell(page: Any, title: str, column: str) -> str:
    """The text the grid shows in ``column`` of the row titled ``title`` (scrolled to)."""
    handle = page.wait_for_function("""([title, column]) => {
      const api = dash_ag_grid.getApi('mm-grid');
      let node = null;
      api.forEachNode(n => { if (n.data && n.data.title === title) node = n; });
      if (!node) return null;
      api.ensureNodeVisible(node, 'middle');
      api.ensureColumnVisible(column);
      const row = document.querySelector(
        `#mm-grid .ag-center-cols-container .ag-row[row-id="${node.id}"]`);
      const el = row && row.querySelector(`[col-id="${column}"]`);
      return el && el.innerText ? el.innerText : null;
    }""", arg=[readable(title), column], timeout=10_000)
    return handle.json_value()


def test_table_shows_each_score_with_its_interval_and_marks_references(page, ui_store):
    open_job(page, "Iris")
    view(page, "table")
    grid_ready(page, len(ui_store.result_rows("Iris")))
    settle(page)
    answer = queries.compare_job(ui_store, "Iris", score="test_accuracy")
    best = answer["rows"][0]
    text = cell(page, best["title"], "test_accuracy")
    assert text == (f"{best['score']:.3f} [{best['ci_low']:.2f}, {best['ci_high']:.2f}] ≈best")
    tied = [r for r in answer["rows"] if not r["tied_with_best"]]
    if tied:  # one that is distinguishable from the best carries no mark
        assert cell(page, tied[0]["title"], "test_accuracy").endswith("]")
    for ref in answer["references"]:  # a perfect reference is 'ref', never '≈best'
        assert cell(page, ref["title"], "test_accuracy").endswith("] ref")
    assert all(CELL.match(cell(page, r["title"], "test_accuracy")) for r in answer["rows"][:5])
    header = page.locator("#mm-grid [role=columnheader][col-id=test_accuracy]")
    assert "[CI]" in header.inner_text()
    note = page.inner_text("#mm-table-note")
    assert "Wilson" in note and "α = 0.05" in note and "never best" in note
    both_themes(page, "table-intervals", "table")
    page.click("#mm-table-ci")  # off: plain numbers again
    page.wait_for_function("(t) => !document.querySelector('#mm-grid [role=columnheader]"
                           "[col-id=test_accuracy]').innerText.includes('[CI]')")
    assert re.match(r"^\d(\.\d+)?$", cell(page, best["title"], "test_accuracy"))


def test_filter_ranges_narrow_the_selection_and_describe_the_filtered_set(page, ui_store):
    open_job(page, "Iris")
    view(page, "filter")
    settle(page)
    ok = [r for r in ui_store.result_rows("Iris") if r["status"] == "ok"
          and r["method"] not in ("optimal", "naive")]
    page.wait_for_function("() => (document.querySelector('#mm-filter-stats table') || {})"
                           ".innerText?.includes('test accuracy')")  # not the one before it
    stats = page.inner_text("#mm-filter-stats")
    accuracy = [r["scores"]["test"]["accuracy"] for r in ok]
    line = next(x for x in stats.splitlines() if x.startswith("test accuracy"))
    n, mean, median, low, high = line.split("\t")[1:]
    assert int(n) == len(ok)
    assert abs(float(mean) - statistics.fmean(accuracy)) < 1e-4
    assert abs(float(median) - statistics.median(accuracy)) < 1e-4
    assert float(low) == pytest.approx(min(accuracy), abs=1e-4)
    assert page.locator("#mm-filter-stats").inner_text().startswith(f"{len(ok)} finished")
    confusion = page.evaluate("""() => {
      const gd = document.getElementById(JSON.stringify({name: 'filter-confusion',
                                                         type: 'mm-graph'}))
                 .querySelector('.js-plotly-plot');
      return gd.data[0].z;
    }""")
    assert len(confusion) == 3 and sum(map(sum, confusion)) == pytest.approx(30, abs=0.01)
    marks = page.evaluate("""() => [...document.querySelectorAll('.mm-range')].map(r => ({
      label: r.querySelector('.mm-range-label').innerText,
      ends: [...r.querySelectorAll('.dash-slider-mark')].map(m => {
        const b = m.getBoundingClientRect();
        return {text: m.innerText, left: b.left, right: b.right, top: b.top};
      })}))""")
    section = page.locator("section.mm-view[data-view=filter]").bounding_box()
    ends = [e for m in marks for e in m["ends"]]
    assert all(section["x"] <= e["left"] and e["right"] <= section["x"] + section["width"]
               for e in ends)  # no end label cut at the view's edge
    for a in ends:  # and none runs into another (the neighbour slider's, on the same line)
        assert not [b for b in ends if b is not a and abs(a["top"] - b["top"]) < 4
                    and a["left"] < b["right"] and b["left"] < a["right"]], (a, ends)
    log_loss = next(m for m in marks if m["label"] == "test log loss")
    assert log_loss["ends"][0]["text"] == "0"  # 2.15e-15, read as the 0 it is
    shown, total = selected_count(page)
    handle = page.locator(".mm-range").first.locator("[role=slider]").first
    box = handle.bounding_box()
    track = page.locator(".mm-range").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.9, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_function("(n) => { const m = document.getElementById('mm-selection-count')"
                           ".textContent.match(/^(\\d+) of/); return m && +m[1] < n; }",
                           arg=shown)
    settle(page)
    fewer, _ = selected_count(page)
    assert 0 < fewer < shown
    after = page.inner_text("#mm-filter-stats")
    assert not after.startswith(f"{len(ok)} finished")
    both_themes(page, "filter-ranges", "filter")


def test_pickers_list_a_few_hundred_of_thousands_and_search_the_rest(page, ui_store):
    from tests.ui.synthetic import fill

    if ui_store.job("Synthetic 1000") is None:
        fill(ui_store, 1000, "Synthetic 1000")
    sent: list[int] = []  # how many options the server sends the picker

    def answered(response: Any) -> None:
        if "_dash-update-component" in response.url and \
                "mm-summary-pick.options" in (response.request.post_data or ""):
            body = response.json().get("response", {}).get("mm-summary-pick", {})
            if "options" in body:
                sent.append(len(body["options"]))

    page.on("response", answered)
    open_job(page, "Synthetic 1000")
    view(page, "summary")
    settle(page)
    assert sent and 0 < sent[-1] <= 200
    search_pick(page, "mm-summary-pick", "#987")
    page.wait_for_function("() => document.getElementById('mm-summary-info').innerText"
                           ".includes('#987')")
    screenshot(page, "summary-search-1000")


def test_comparisons_pickers_list_a_few_hundred_of_thousands_and_search_the_rest(page,
                                                                                 ui_store):
    from tests.ui.synthetic import fill

    if ui_store.job("Synthetic 1000") is None:
        fill(ui_store, 1000, "Synthetic 1000")
    sent: dict[str, list[int]] = {"mm-compare-a": [], "mm-compare-many": []}

    def answered(response: Any) -> None:
        if "_dash-update-component" not in response.url:
            return
        body = response.json().get("response", {})
        for name, counts in sent.items():
            if "options" in body.get(name, {}):
                counts.append(len(body[name]["options"]))

    page.on("response", answered)
    open_job(page, "Synthetic 1000")
    view(page, "comparison")
    settle(page)
    # every classifier as an option (836 KB at 10,000) held the browser for seconds
    assert sent["mm-compare-a"] and 0 < sent["mm-compare-a"][-1] <= 201
    assert sent["mm-compare-many"] and sent["mm-compare-many"][-1] <= 200 + 10
    search_pick(page, "mm-compare-a", "#987")
    page.wait_for_function("() => document.getElementById('mm-compare-a').innerText"
                           ".includes('#987')")


def _has_font(char: str) -> bool:
    import subprocess

    found = subprocess.run(["fc-list", f":charset={ord(char):X}"], capture_output=True,
                           text=True, check=False)
    return bool(found.stdout.strip())


def test_every_character_of_the_titles_shown_has_a_font(page, ui_store):
    import shutil

    if not shutil.which("fc-list"):
        pytest.skip("fc-list (fontconfig) is not installed")
    open_job(page, "Iris")
    view(page, "table")
    grid_ready(page, len(ui_store.result_rows("Iris")))
    titles = page.evaluate("""() => { const out = [];
      dash_ag_grid.getApi('mm-grid').forEachNode(n => out.push(n.data.title)); return out; }""")
    stored = {r["title"] for r in ui_store.result_rows("Iris")}
    assert "🟊 Optimal" in stored and "★ Optimal" in titles  # shown with a glyph fonts have
    missing = {c for t in titles for c in t if ord(c) > 127 and not _has_font(c)}
    assert not missing, f"no installed font draws {sorted(missing)}"


def marker_sizes(page: Any, name: str) -> list[float]:
    return page.evaluate("""(key) => {
      const gd = document.getElementById(JSON.stringify({name: key, type: 'mm-linked'}))
                 .querySelector('.js-plotly-plot');
      const t = gd.data.find(d => (d.type || '').startsWith('scatter') && d.marker
                             && d.customdata && d.customdata.length);
      const s = t.marker.size;
      return Array.isArray(s) ? s.slice(0, 5) : [s];
    }""", name)


def test_one_marker_size_setting_scales_map_plot_and_time(page, ui_store):
    from tests.ui.browser import wait_chart

    open_job(page, "Iris")
    before = {}
    for name in ("map", "plot", "time"):
        view(page, name)
        wait_chart(page, name, timeout=60_000)
        settle(page)
        before[name] = marker_sizes(page, name)
    view(page, "settings")
    page.click("#mm-set-marker input[value=large]")
    for name in ("map", "plot", "time"):
        view(page, name)
        page.wait_for_function("""([key, first]) => {
          const gd = document.getElementById(JSON.stringify({name: key, type: 'mm-linked'}))
                     .querySelector('.js-plotly-plot');
          const t = gd.data.find(d => (d.type || '').startsWith('scatter') && d.marker
                                 && d.customdata && d.customdata.length);
          const s = Array.isArray(t.marker.size) ? t.marker.size[0] : t.marker.size;
          return Math.abs(s - 1.6 * first) < 1e-6;
        }""", arg=[name, before[name][0]], timeout=30_000)
        after = marker_sizes(page, name)
        assert after == pytest.approx([1.6 * s for s in before[name]])
    screenshot(page, "time-large-markers")
    view(page, "settings")
    page.click("#mm-set-marker input[value=medium]")


def importance_bars(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
      const gd = document.getElementById(JSON.stringify({name: 'importance', type: 'mm-graph'}))
                 .querySelector('.js-plotly-plot');
      const t = (gd.data || []).find(d => d.type === 'bar');
      return {names: t ? t.y : [], title: ((gd.layout.title || {}).text) || ''};
    }""")


def test_importance_per_method_leaves_seeds_out_unless_asked(page, ui_store):
    from tests.ui.browser import pick

    from tests.ui.synthetic import fill

    if ui_store.job("Synthetic 1000") is None:
        fill(ui_store, 1000, "Synthetic 1000")
    open_job(page, "Synthetic 1000")
    view(page, "plot")
    settle(page)
    pick(page, "mm-plot-imp-method", "randomforest")
    n = sum(1 for r in ui_store.result_rows("Synthetic 1000") if r["method"] == "randomforest")
    page.wait_for_function("(t) => document.getElementById(JSON.stringify({name: 'importance',"
                           " type: 'mm-graph'})).querySelector('.js-plotly-plot').layout.title"
                           ".text.includes(t)", arg=f"within randomforest ({n})")
    bars = importance_bars(page)
    assert "max_depth" in bars["names"] and "random_state" not in bars["names"]
    page.click("#mm-plot-imp-seeds")
    page.wait_for_function("() => document.getElementById(JSON.stringify({name: 'importance',"
                           " type: 'mm-graph'})).querySelector('.js-plotly-plot').data[0].y"
                           ".includes('random_state')")
    assert "left out" not in importance_bars(page)["title"]
    screenshot(page, "plot-importance-randomforest")


RUNG_JOB = {
    "data": {"title": "Rung demo", "dataset": "sklearn_iris", "test_size": 0.2,
             "random_state": 0},
    "tuning": {"strategy": "halving", "budget": 13, "eta": 3, "batch_size": 1},
    "classifiers": [{"title": "KNN {n_neighbors}", "method": "kneighbors",
                     "n_neighbors": {"tune": True, "type": "int", "min": 1, "max": 40,
                                     "initial": 5}}],
}


def test_a_halving_runs_rungs_show_candidates_promotions_and_score_by_fidelity(
        page, ui_store, ui_store_path, tmp_path):
    import warnings

    from modelmap.tuning import tune

    if ui_store.job("Rung demo · tuning") is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tune(RUNG_JOB, store=ui_store_path, n_jobs=1, output_dir=tmp_path, outputs=False)
    rows = [r for r in ui_store.result_rows("Rung demo · tuning") if r["status"] == "ok"]
    tags = [(r["tags"]["bracket"], r["tags"]["config"], r["tags"]["rung"]) for r in rows]
    by_rung: dict[int, int] = {}
    for _, _, rung in tags:
        by_rung[rung] = by_rung.get(rung, 0) + 1
    promoted = {rung: sum(1 for b, c, r in tags if r == rung and (b, c, r + 1) in tags)
                for rung in by_rung}
    assert len(by_rung) >= 2
    open_job(page, "Rung demo · tuning")
    view(page, "plot")
    page.wait_for_selector("#mm-rungs-box table", timeout=60_000)
    settle(page)
    table = page.inner_text("#mm-rungs-box table").splitlines()[1:]
    shown = {int(line.split("\t")[1]): (int(line.split("\t")[4]), int(line.split("\t")[5]))
             for line in table}
    assert shown == {rung: (by_rung[rung], promoted[rung]) for rung in by_rung}
    points = page.evaluate("""() => {
      const gd = document.getElementById(JSON.stringify({name: 'rungs', type: 'mm-linked'}))
                 .querySelector('.js-plotly-plot');
      return {n: gd.data[1].x.length, filled: gd.data[1].marker.symbol
              .filter(s => s === 'circle').length, log: gd.layout.xaxis.type};
    }""")
    assert points == {"n": len(rows), "filled": sum(promoted.values()), "log": "log"}
    page.locator("#mm-rungs-box").scroll_into_view_if_needed()
    both_themes(page, "plot-rungs", "plot")


MAP_LABELS = """() => {
  const gd = document.getElementById(JSON.stringify({name: 'map', type: 'mm-linked'}))
             .querySelector('.js-plotly-plot');
  const boxes = Array.from(gd.querySelectorAll('svg.mm-overlay text.mm-map-label'))
    .map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height,
                                               t.textContent]; });
  const overlaps = boxes.filter((a, i) => boxes.some((b, j) => j > i && a[0] < b[2]
    && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])).length;
  return {n: boxes.length, overlaps, texts: boxes.map(b => b[4])};
}"""


def test_map_labels_never_overlap_and_more_appear_on_zoom(page, ui_store):
    from tests.ui.browser import wait_chart

    from tests.ui.synthetic import fill

    if ui_store.job("Synthetic 1000") is None:
        fill(ui_store, 1000, "Synthetic 1000")
    open_job(page, "Synthetic 1000")
    view(page, "map")
    wait_chart(page, "map", timeout=120_000)
    page.click("#mm-map-labels")
    page.wait_for_function("() => document.querySelectorAll('svg.mm-overlay text.mm-map-label')"
                           ".length > 0", timeout=60_000)
    settle(page)
    whole = page.evaluate(MAP_LABELS)
    assert 0 < whole["n"] <= 40 and whole["overlaps"] == 0
    screenshot(page, "map-labels-1000")
    page.evaluate("""() => {
      const gd = document.getElementById(JSON.stringify({name: 'map', type: 'mm-linked'}))
                 .querySelector('.js-plotly-plot');
      const [x0, x1] = gd._fullLayout.xaxis.range, [y0, y1] = gd._fullLayout.yaxis.range;
      const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, dx = (x1 - x0) / 8, dy = (y1 - y0) / 8;
      return Plotly.relayout(gd, {'xaxis.range': [cx - dx, cx + dx],
                                  'yaxis.range': [cy - dy, cy + dy]});
    }""")
    page.wait_for_timeout(300)
    zoomed = page.evaluate(MAP_LABELS)
    assert zoomed["overlaps"] == 0 and set(zoomed["texts"]) != set(whole["texts"])
    screenshot(page, "map-labels-zoomed")
