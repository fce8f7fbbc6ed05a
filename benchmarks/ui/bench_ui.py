"""Web-app speed in Chromium with generated jobs of 100, 1,000 and 10,000 classifiers.

The jobs are generated (``tests/ui/synthetic.py``: real labels and arrays, scores and
predictions made up, no training) on the data of a 2-classifier iris job that is really run.
Measures, for each job:

- **open → interactive Ranking**: from the click on the job's "Open" button in the Menu
  (Ranking shown beside it) until the Ranking chart has drawn every bar (above 1,000
  classifiers Ranking groups by method by default, so it draws one bar per method);
- **open → interactive Table**: the same click until the grid shows every row;
- **sort / filter the Table**: from ``applyColumnState`` (a sort) or the quick filter to the
  next animation frame after the grid has re-rendered;
- **hover → highlight** in Map, Plot and Ranking (Ranking beside each): from the browser's
  mousemove over a point until the highlight is drawn in the hovered chart *and* the line in
  Ranking, timed at the next animation frame (when it is on screen);
- the peer of the highlight: ``Plotly.restyle`` of a highlight trace in the same chart.

Targets (issue 14): < 2 s to an interactive Table and Ranking, < 100 ms to highlight,
< 300 ms to sort or filter the Table.

Run:  .venv/bin/python benchmarks/ui/bench_ui.py [--store DIR] [--repeats 10] [--sizes ...]
(the store is built once in DIR and reused).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import modelmap  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IRIS = {"dataset": "sklearn_iris", "test_size": 0.2, "random_state": 42}


SIZES = (100, 1000, 10_000)


def build(folder: Path, sizes: tuple[int, ...] = SIZES) -> Path:
    from tests.ui.synthetic import fill

    path = folder / "bench-ui-synthetic.db"
    if path.exists():
        return path
    started = time.perf_counter()
    base = {"data": {**IRIS, "title": "Bench base"}, "projections": [],
            "classifiers": [{"title": "KNN 3", "method": "kneighbors", "n_neighbors": 3},
                            {"title": "Naive", "method": "naive"}]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modelmap.run_job(base, store=path, n_jobs=1)
    with modelmap.Store(path) as store:
        for n in sizes:
            fill(store, n, f"Bench {n}", like="Bench base")
    print(f"store built in {time.perf_counter() - started:.0f} s: {path}")
    return path


class Server:
    def __init__(self, path: Path) -> None:
        import uvicorn

        from modelmap.app import create_app
        from modelmap.ui import mount
        from tests.ui.conftest import free_port

        self.store = modelmap.Store(path)
        app = create_app(self.store)
        if not any(getattr(r, "name", None) == "ui" for r in app.routes):
            mount(app, self.store)
        self.url = f"http://127.0.0.1:{free_port()}"
        port = int(self.url.rsplit(":", 1)[1])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning"))
        threading.Thread(target=self.server.run, daemon=True).start()
        while not self.server.started:
            time.sleep(0.05)


RANKING_DRAWN = """([n]) => {
  const el = document.getElementById('{"name":"ranking","type":"mm-linked"}');
  const gd = el && el.querySelector('.js-plotly-plot');
  if (!gd || !gd.data || !gd.data.length) return false;
  const bars = gd.data.filter(t => t.type === 'bar');
  return bars.length > 0 && bars.every(t => t.y.length === n)
    && gd.querySelectorAll('.barlayer .point').length === n * bars.length;
}"""

TABLE_DRAWN = """([n]) => {
  const api = window.dash_ag_grid && window.dash_ag_grid.getApi('mm-grid');
  return !!api && api.getDisplayedRowCount() === n
    && document.querySelectorAll('#mm-grid .ag-center-cols-container .ag-row').length > 0;
}"""

WAIT_TABLE = """([n]) => new Promise(done => {
  const drawn = DRAWN;
  const check = () => drawn([n])
    ? requestAnimationFrame(() => done(performance.now() - window.__t0))
    : setTimeout(check, 5);
  check();
})""".replace("DRAWN", TABLE_DRAWN)

GRID_STEP = """(step) => new Promise(done => {
  const api = window.dash_ag_grid.getApi('mm-grid');
  const t0 = performance.now();
  if (step === 'sort') {
    const now = (api.getColumnState().find(c => c.colId === 'test_accuracy') || {}).sort;
    api.applyColumnState({state: [{colId: 'test_accuracy',
                                   sort: now === 'asc' ? 'desc' : 'asc'}]});
  } else {
    api.setGridOption('quickFilterText', api.getGridOption('quickFilterText') ? '' : 'svm');
  }
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
})"""

ARM_CLICK = """() => {
  window.__t0 = null;
  document.addEventListener('click', () => {
    if (window.__t0 === null) window.__t0 = performance.now();
  }, {capture: true, once: true});
}"""

WAIT_RANKING = """([n]) => new Promise(done => {
  const drawn = DRAWN;
  const check = () => drawn([n])
    ? requestAnimationFrame(() => done(performance.now() - window.__t0))
    : setTimeout(check, 5);
  check();
})""".replace("DRAWN", RANKING_DRAWN)


def time_to_open(page: Any, other: str, target: str, n: int, wait: str = WAIT_RANKING) -> float:
    from tests.ui.browser import open_job, settle

    open_job(page, other)
    page.wait_for_timeout(300)
    settle(page)
    page.evaluate(ARM_CLICK)
    name = page.locator(".mm-job-title", has_text=re.compile("^" + re.escape(target) + "$"))
    page.locator(".mm-job-card").filter(has=name).first.get_by_role("button", name="Open").click()
    return page.evaluate(wait, [n])


HOVER_PROBE = """() => {
  window.__hl = null;
  const first = (e) => {
    if (window.__hl && window.__hl.t0 === null) window.__hl.t0 = performance.now();
  };
  document.addEventListener('mousemove', first, {capture: true});
  window.__armHover = (names) => { window.__hl = {t0: null, t1: null, names}; };
  const observer = new MutationObserver(() => {
    const h = window.__hl;
    if (!h || h.t0 === null || h.t1 !== null) return;
    const done = h.names.every(key => {
      const el = document.getElementById(JSON.stringify({name: key, type: 'mm-linked'}));
      const svg = el && el.querySelector('svg.mm-overlay');
      return svg && svg.querySelector('circle, polyline');
    });
    if (done) { h.t1 = -1; requestAnimationFrame(() => { h.t1 = performance.now(); }); }
  });
  observer.observe(document.body, {childList: true, subtree: true});
}"""

RESTYLE = """(key) => {
  const el = document.getElementById(JSON.stringify({name: key, type: 'mm-linked'}));
  const gd = el.querySelector('.js-plotly-plot');
  const k = gd.data.findIndex(t => t.meta && t.meta.mm === 'highlight');
  const src = gd.data[0];
  return new Promise(done => {
    const t0 = performance.now();
    Plotly.restyle(gd, {x: [[src.x[0]]], y: [[src.y[0]]]}, [k]).then(() =>
      requestAnimationFrame(() => {
        const spent = performance.now() - t0;
        Plotly.restyle(gd, {x: [[]], y: [[]]}, [k]).then(() => done(spent));
      }));
  });
}"""


def hover_latencies(page: Any, chart: str, repeats: int,
                    linked: bool = True) -> list[float]:
    """``linked``: also wait for the line in Ranking (not when Ranking shows groups)."""
    from tests.ui.browser import GD, point_position

    point_position(page, chart)  # waits until the chart stopped resizing
    spots = page.evaluate(f"""([key, k]) => {{
      const gd = ({GD})(key), fl = gd._fullLayout;
      const t = gd.data.find(d => d.type === 'bar') || gd.data[0];  // Ranking: its bars
      const box = gd.getBoundingClientRect();
      const step = Math.max(1, Math.floor(t.x.length / k));
      const out = [];
      for (let i = 0; i < t.x.length && out.length < k; i += step) {{
        const x = t.type === 'bar' ? (t.base || 0) + t.x[i] / 2 : t.x[i];
        const y = box.top + fl.yaxis._offset + fl.yaxis.d2p(t.y[i]);
        if (t.type === 'bar' && (y < 150 || y > window.innerHeight - 60)) continue;
        out.push([box.left + fl.xaxis._offset + fl.xaxis.d2p(x), y]);
      }}
      return out;
    }}""", [chart, repeats])
    times = []
    for x, y in spots:
        page.mouse.move(5, 5)
        page.wait_for_timeout(120)
        page.evaluate("(names) => window.__armHover(names)",
                      [chart, "ranking"] if linked else [chart])
        page.mouse.move(x, y)
        try:
            page.wait_for_function("() => window.__hl.t1 > 0", timeout=3000)
        except Exception:  # noqa: BLE001 - a point hidden under another is skipped
            continue
        times.append(page.evaluate("() => window.__hl.t1 - window.__hl.t0"))
    return times


def restyle_latencies(page: Any, chart: str, repeats: int) -> list[float]:
    return [page.evaluate(RESTYLE, chart) for _ in range(repeats)]


def stats(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {"n": 0}
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return {"n": len(values), "median": round(statistics.median(values), 1),
            "p95": round(p95, 1), "max": round(values[-1], 1)}


def measure(page: Any, n: int, other: str, repeats: int) -> dict[str, Any]:
    from tests.ui.browser import beside, view, wait_chart

    title = f"Bench {n}"
    bars = n if n <= 1000 else 14  # above 1,000 Ranking groups by method (14 here)
    view(page, "menu")
    beside(page, "ranking")
    entry = {"open_to_interactive_ranking_ms": stats(
        [time_to_open(page, other, title, bars) for _ in range(3)])}
    beside(page, "table")
    entry["open_to_interactive_table_ms"] = stats(
        [time_to_open(page, other, title, n, WAIT_TABLE) for _ in range(3)])
    view(page, "table")
    for step in ("sort", "filter"):
        entry[f"table_{step}_ms"] = stats([page.evaluate(GRID_STEP, step)
                                           for _ in range(max(4, repeats // 2))])
    page.evaluate("() => window.dash_ag_grid.getApi('mm-grid')"
                  ".setGridOption('quickFilterText', '')")
    view(page, "ranking")
    for chart in ("map", "plot", "ranking"):
        if chart != "ranking":
            beside(page, chart)
        wait_chart(page, chart, timeout=120_000)  # a first map of 3,000 is computed
        wait_chart(page, "ranking", timeout=120_000)
        page.wait_for_timeout(500)
        entry[f"hover_to_highlight_{chart}_ms"] = stats(
            hover_latencies(page, chart, repeats, linked=n <= 1000))
        if chart != "ranking":
            entry[f"plotly_restyle_{chart}_ms"] = stats(
                restyle_latencies(page, chart, max(5, repeats // 3)))
    return entry


def run(path: Path, repeats: int, sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    server = Server(path)
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        pending = {"n": 0}
        page.on("request", lambda r: pending.__setitem__("n", pending["n"] + (
            "_dash-update-component" in r.url)))
        page.on("requestfinished", lambda r: pending.__setitem__("n", pending["n"] - (
            "_dash-update-component" in r.url)))
        page.mm_pending = pending
        page.goto(server.url + "/")
        page.wait_for_selector(".mm-navbar")
        page.evaluate(HOVER_PROBE)
        for n in sizes:
            results[str(n)] = measure(page, n, "Bench base", repeats)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "mm-bench-ui")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    args.store.mkdir(parents=True, exist_ok=True)
    results = run(build(args.store), args.repeats, tuple(args.sizes))
    print(json.dumps({"machine": f"{platform.processor() or platform.machine()}, "
                      f"{__import__('os').cpu_count()} CPUs, {platform.system()}",
                      "results": results}, indent=2))
    for n, entry in results.items():
        print(f"{n:>6} classifiers  open->Ranking "
              f"{entry['open_to_interactive_ranking_ms']['median']:6.0f} ms  open->Table "
              f"{entry['open_to_interactive_table_ms']['median']:6.0f} ms  sort "
              f"{entry['table_sort_ms']['median']} ms  filter {entry['table_filter_ms']['median']}"
              " ms  hover->highlight " + "  ".join(
                  f"{c} {entry[f'hover_to_highlight_{c}_ms'].get('median')} ms"
                  for c in ("map", "plot", "ranking")))


if __name__ == "__main__":
    main()
