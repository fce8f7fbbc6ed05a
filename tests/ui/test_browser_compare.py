"""Comparison of many and across jobs (issue 14, part B), in Chromium: the pairwise matrix
shows statsmodels' exact McNemar p-values, Holm-adjusted; a box on the Map ticks the
classifiers in it; the critical-difference diagram's ranks, tests and CD are scipy's.

Screenshots at 1440×900, light and dark, go to test-artifacts/ui/ (and /tmp/shots-14b/
when that folder exists).  Each test fails on any browser console error.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from modelmap import queries
from tests.ui.browser import GD, open_job, screenshot, settle, view, wait_chart

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/shots-14b")


def shoot(page: Any, name: str, view_name: str, chart: str) -> None:
    """A screenshot in the light theme and one in the dark theme (set in Settings, so the
    charts are drawn dark too)."""
    for theme in ("dark", "bright"):
        view(page, "settings")
        page.click(f"#mm-set-theme input[value={theme}]")
        view(page, view_name)
        wait_chart(page, chart)
        ink = {"bright": "#212529", "dark": "#dee2e6"}[theme]  # the chart redrawn in it
        page.wait_for_function(f"(c) => (({GD})('{chart}').layout.font || {{}}).color === c",
                               arg=ink)
        settle(page)
        page.wait_for_timeout(300)
        path = screenshot(page, f"{name}-{'light' if theme == 'bright' else 'dark'}")
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / path.name)


def synthetic(store: Any, n: int, title: str, seed: int = 0) -> None:
    from tests.ui.synthetic import fill

    if store.job(title) is None:
        fill(store, n, title, seed=seed)


def heatmap(page: Any, name: str) -> dict[str, Any]:
    return page.evaluate(f"""(key) => {{ const t = ({GD})(key).data[0];
      return {{x: t.x, z: t.z, text: t.text}}; }}""", name)


def expected_pairwise(store: Any, job: str, titles: list[str]) -> np.ndarray:
    """statsmodels' exact McNemar test of every pair, Holm-adjusted over the pairs."""
    from statsmodels.stats.contingency_tables import mcnemar
    from statsmodels.stats.multitest import multipletests

    rows = {r["title"]: r for r in store.result_rows(job)}
    ids = [rows[t]["id"] for t in titles]
    found = store.job(job)
    y = np.asarray(store.arrays(f"job:{found['id']}")["y_test"])
    answer = queries.result_arrays(store, ids, ["pred_test"])["arrays"]["pred_test"]
    right = np.asarray(answer["data"]) == y[None]
    pairs = list(itertools.combinations(range(len(ids)), 2))
    raw = []
    for i, j in pairs:
        a, b = right[i], right[j]
        table = [[np.sum(a & b), np.sum(a & ~b)], [np.sum(~a & b), np.sum(~a & ~b)]]
        raw.append(mcnemar(table, exact=True).pvalue)
    holm = multipletests(raw, method="holm")[1]
    out = np.full((len(ids), len(ids)), np.nan)
    for (i, j), p in zip(pairs, holm):
        out[i, j] = out[j, i] = p
    return out


def test_comparison_of_many_shows_exact_mcnemar_holm_p_values(page, ui_store):
    synthetic(ui_store, 10, "Synthetic 10")
    page.set_viewport_size({"width": 1440, "height": 900})
    open_job(page, "Synthetic 10")
    view(page, "comparison")
    wait_chart(page, "pairwise")
    settle(page)
    shown = heatmap(page, "pairwise")
    assert len(shown["x"]) == 10  # nothing ticked yet: the first ten of the selection
    expected = expected_pairwise(ui_store, "Synthetic 10", shown["x"])
    z = np.array([[np.nan if v is None else v for v in row] for row in shown["z"]])
    assert np.allclose(z, expected, equal_nan=True, atol=1e-12)
    for i, j in itertools.combinations(range(10), 2):
        p = expected[i, j]
        assert shown["text"][i][j] == ("<0.001" if p < 0.001 else f"{p:.3f}")
    note = page.inner_text("#mm-compare-pairwise-note")
    assert "exact McNemar, Holm-adjusted" in note and "α = 0.05" in note
    assert re.search(r"\d+ of 45 pairs differ", note)
    # the parameter table: one column per ticked classifier, differing cells marked
    heads = page.locator(".mm-param-table thead th").all_inner_texts()
    assert heads[1:] == shown["x"]
    assert page.locator(".mm-param-table td.mm-differs").count() > 0
    shoot(page, "comparison-many-10", "comparison", "pairwise")


def test_ticking_two_sets_a_and_b_and_the_difference_matrix(page, ui_store):
    synthetic(ui_store, 10, "Synthetic 10")
    open_job(page, "Synthetic 10")
    view(page, "comparison")
    wait_chart(page, "pairwise")
    settle(page)
    while page.locator("#mm-compare-many .dash-dropdown-value-item").count() > 2:
        page.click("#mm-compare-many")
        page.get_by_role("option", selected=True).last.click()
        page.keyboard.press("Escape")
        settle(page)
    left = page.locator("#mm-compare-many .dash-dropdown-value-item").all_inner_texts()
    page.wait_for_function("(t) => document.getElementById('mm-compare-a').textContent"
                           ".includes(t[0]) && document.getElementById('mm-compare-b')"
                           ".textContent.includes(t[1])", arg=left)
    assert wait_chart(page, "difference")["traces"]
    assert "McNemar's test" in page.inner_text("#mm-compare-verdict")


def test_a_box_on_the_map_ticks_the_classifiers_in_it(page, ui_store):
    open_job(page, "Iris")
    view(page, "map")
    wait_chart(page, "map")
    settle(page)
    page.locator("section[data-view=map] .modebar-btn[data-title='Box Select']").click()
    box = page.evaluate(f"""() => {{ const gd = ({GD})('map');
      const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom]; }}""")
    page.mouse.move(box[0] + 3, box[1] + 3)
    page.mouse.down()
    page.mouse.move((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, steps=5)
    page.mouse.move(box[2] - 3, box[3] - 3, steps=5)
    page.mouse.up()
    settle(page)
    mapped = page.evaluate(f"() => ({GD})('map').data[0].customdata")
    view(page, "comparison")
    page.wait_for_function("(n) => document.getElementById('mm-compare-pick-note')"
                           ".textContent.startsWith(n + ' ticked')", arg=len(mapped))
    shown = wait_chart(page, "pairwise")
    assert shown["traces"][0]["n"] == len(mapped)


def test_comparison_of_a_thousand(page, ui_store):
    synthetic(ui_store, 1000, "Synthetic 1000")
    page.set_viewport_size({"width": 1440, "height": 900})
    open_job(page, "Synthetic 1000")
    view(page, "map")
    wait_chart(page, "map")
    settle(page)
    page.locator("section[data-view=map] .modebar-btn[data-title='Box Select']").click()
    box = page.evaluate(f"""() => {{ const gd = ({GD})('map');
      const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom]; }}""")
    page.mouse.move(box[0] + 2, box[1] + 2)
    page.mouse.down()
    page.mouse.move(box[2] - 2, box[3] - 2, steps=8)
    page.mouse.up()
    settle(page)
    view(page, "comparison")
    page.wait_for_function("() => document.getElementById('mm-compare-pick-note')"
                           ".textContent.startsWith('1000 ticked')", timeout=60_000)
    wait_chart(page, "pairwise", timeout=60_000)
    settle(page, timeout_ms=60_000)
    assert len(heatmap(page, "pairwise")["x"]) == queries.MAX_PAIRWISE
    assert "800 more ticked classifiers are not in the matrix" in page.inner_text(
        "#mm-compare-pairwise-note")
    shoot(page, "comparison-many-1000", "comparison", "pairwise")


def _across_expected(store: Any, titles: list[str], alpha: float = 0.05) -> dict[str, Any]:
    """Each method's best accuracy per job, ranked with scipy; Demšar's tests and CD."""
    from scipy import stats

    from modelmap.store import is_reference

    best: list[dict[str, float]] = []
    for title in titles:
        scores: dict[str, float] = {}
        for r in store.result_rows(title, include_folds=False):
            if r["status"] == "ok" and not is_reference(r):
                value = r["scores"]["test"]["accuracy"]
                scores[r["method"]] = max(value, scores.get(r["method"], -1))
        best.append(scores)
    methods = sorted(set.intersection(*(set(b) for b in best)))
    matrix = np.array([[b[m] for m in methods] for b in best])
    ranks = np.array([stats.rankdata(-row) for row in matrix]).mean(axis=0)
    n, k = matrix.shape
    chi2 = 12 * n / (k * (k + 1)) * (np.sum(ranks ** 2) - k * (k + 1) ** 2 / 4)
    f_f = (n - 1) * chi2 / (n * (k - 1) - chi2)
    cd = stats.studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2) * np.sqrt(
        k * (k + 1) / (6 * n))
    return {"ranks": dict(zip(methods, ranks)), "friedman_p": stats.chi2.sf(chi2, k - 1),
            "iman_p": stats.f.sf(f_f, k - 1, (k - 1) * (n - 1)), "cd": cd}


def test_the_critical_difference_diagram_over_three_jobs(page, ui_store):
    titles = [f"Across {s}" for s in (1, 2, 3)]
    for seed, title in enumerate(titles, start=1):
        synthetic(ui_store, 14, title, seed=seed)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.reload()
    page.wait_for_selector(".mm-navbar")
    view(page, "across")
    settle(page)
    page.click("#mm-across-jobs .dash-dropdown-clear")
    settle(page)
    for title in titles:
        page.click("#mm-across-jobs")
        page.get_by_role("option", name=re.compile("^" + title + " ·")).click()
        page.keyboard.press("Escape")
        settle(page)
    page.wait_for_function("() => document.getElementById('mm-across-caption')"
                           ".textContent.includes('over 3 jobs')")
    wait_chart(page, "cd")
    expected = _across_expected(ui_store, titles)
    ranks = page.evaluate(f"""() => {{ const t = ({GD})('cd').data
        .find(d => d.meta && d.meta.mm === 'ranks'); return [t.text, t.x]; }}""")
    assert dict(zip(*ranks)) == pytest.approx(expected["ranks"])
    caption = page.inner_text("#mm-across-caption")
    friedman = float(re.search(r"Friedman χ²F = [\d.]+, p = ([\d.e-]+)", caption).group(1))
    iman = float(re.search(r"Iman–Davenport F = [\d.]+, p = ([\d.e-]+)", caption).group(1))
    assert friedman == pytest.approx(expected["friedman_p"], abs=5e-5)
    assert iman == pytest.approx(expected["iman_p"], abs=5e-5)
    assert "α = 0.05" in caption
    cd = page.evaluate(f"""() => ({GD})('cd').data.find(d => d.meta && d.meta.mm === 'cd')
        .text[1]""")
    assert cd == f"CD = {expected['cd']:.2f}"
    shoot(page, "across-cd", "across", "cd")
