"""Web-app speed in Chromium with a 1,000- and a 100-classifier job (really trained).

Measures, for each job:

- **open → interactive Ranking**: from the click on the job's "Open" button in the Menu
  (Ranking shown beside it) until the Ranking chart has drawn a bar for every classifier in
  every column (it then answers hovers: Plotly draws and binds events in the same pass);
- **hover → highlight** in Map and in Plot (with Ranking beside each): from the browser's
  mousemove over a point until the highlight ring is drawn in the hovered chart *and* the
  line is drawn in Ranking, timed at the next animation frame (when it is on screen);
- the peer of the highlight: ``Plotly.restyle`` of a highlight trace in the same chart (what
  re-rendering through Plotly, the usual way, would cost), and the ratio of the two.

Targets (issue 5): < 2 s to interactive, < 100 ms to highlight.

Run:  .venv/bin/python benchmarks/ui/bench_ui.py [--store DIR] [--repeats 15]
(the store is built once in DIR and reused; building trains 1,100 classifiers on iris).
"""

from __future__ import annotations

import argparse
import json
import platform
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


def _meta(values: list[Any]) -> dict[str, Any]:
    return {"is_meta": True, "values": values}


def job(n: int) -> dict[str, Any]:
    """A job with exactly ``n`` (100 or 1000) classifier configurations on iris."""
    knn = {"title": "KNN {n_neighbors}", "method": "kneighbors",
           "n_neighbors": _meta(list(range(1, 101 if n == 1000 else 41)))}
    tree = {"title": "Tree {criterion} d{max_depth} l{min_samples_leaf}", "method": "decisiontree",
            "criterion": _meta(["gini", "entropy", "log_loss"]),
            "max_depth": _meta(list(range(1, 21))),
            "min_samples_leaf": _meta([1, 2, 4, 8, 16] if n == 1000 else [1]), "random_state": 0}
    if n == 100:
        return {"data": {**IRIS, "title": "Bench 100"}, "projections": [],
                "classifiers": [knn, tree]}
    grid = [round(10 ** (k / 12 - 2), 6) for k in range(50)]
    return {"data": {**IRIS, "title": "Bench 1000"}, "projections": [], "classifiers": [
        knn, tree,
        {"title": "SVM {kernel} C{C}", "method": "svm", "kernel": _meta(["linear", "rbf"]),
         "C": _meta(grid)},
        {"title": "LogReg C{C} {solver}", "method": "logistic_regression",
         "solver": _meta(["lbfgs", "newton-cg"]), "C": _meta(grid), "max_iter": 300},
        {"title": "NB {var_smoothing}", "method": "gaussiannb",
         "var_smoothing": _meta([round(10 ** (-k / 10), 12) for k in range(100)])},
        {"title": "RF {n_estimators} d{max_depth} s{random_state}", "method": "randomforest",
         "n_estimators": _meta([5, 10]), "max_depth": _meta(list(range(1, 16))),
         "random_state": _meta(list(range(10)))},
    ]}


def build(folder: Path) -> Path:
    path = folder / "bench-ui.db"
    if path.exists():
        return path
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in (1000, 100):
            report = modelmap.run_job(job(n), store=path, n_jobs=2)
            print(f"trained {report.trained} classifiers ({report.n_errors} errors)")
    print(f"store built in {time.perf_counter() - started:.0f} s: {path}")
    return path


class Server:
    def __init__(self, path: Path) -> None:
        import uvicorn

        from modelmap.server import create_app
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


def time_to_ranking(page: Any, other: str, target: str, n: int) -> float:
    from tests.ui.browser import open_job, settle

    open_job(page, other)
    page.wait_for_timeout(300)
    settle(page)
    page.evaluate(ARM_CLICK)
    name = page.locator(".mm-job-title", has_text=target)
    page.locator(".mm-job-card").filter(has=name).first.get_by_role("button").click()
    return page.evaluate(WAIT_RANKING, [n])


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


def hover_latencies(page: Any, chart: str, repeats: int) -> list[float]:
    from tests.ui.browser import GD, point_position

    point_position(page, chart)  # waits until the chart stopped resizing
    spots = page.evaluate(f"""([key, k]) => {{
      const gd = ({GD})(key), t = gd.data[0], fl = gd._fullLayout;
      const box = gd.getBoundingClientRect();
      const step = Math.max(1, Math.floor(t.x.length / k));
      const out = [];
      for (let i = 0; i < t.x.length && out.length < k; i += step)
        out.push([box.left + fl.xaxis._offset + fl.xaxis.d2p(t.x[i]),
                  box.top + fl.yaxis._offset + fl.yaxis.d2p(t.y[i])]);
      return out;
    }}""", [chart, repeats])
    times = []
    for x, y in spots:
        page.mouse.move(5, 5)
        page.wait_for_timeout(120)
        page.evaluate("(names) => window.__armHover(names)", [chart, "ranking"])
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


def run(path: Path, repeats: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.ui.browser import beside, view, wait_chart

    server = Server(path)
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        pending = {"n": 0}
        page.on("request", lambda r: pending.__setitem__("n", pending["n"] + (
            "_dash-update-component" in r.url)))
        page.on("requestfinished", lambda r: pending.__setitem__("n", pending["n"] - (
            "_dash-update-component" in r.url)))
        page.mm_pending = pending
        page.goto(server.url + "/")
        page.wait_for_selector(".mm-navbar")
        page.evaluate(HOVER_PROBE)
        for n, title, other in ((1000, "Bench 1000", "Bench 100"),
                                (100, "Bench 100", "Bench 1000")):
            view(page, "menu")
            beside(page, "ranking")
            opened = [time_to_ranking(page, other, title, n) for _ in range(3)]
            entry = {"open_to_interactive_ranking_ms": stats(opened)}
            view(page, "ranking")
            for chart in ("map", "plot"):
                beside(page, chart)
                wait_chart(page, chart)
                wait_chart(page, "ranking")
                page.wait_for_timeout(500)
                entry[f"hover_to_highlight_{chart}_ms"] = stats(
                    hover_latencies(page, chart, repeats))
                entry[f"plotly_restyle_{chart}_ms"] = stats(
                    restyle_latencies(page, chart, max(5, repeats // 3)))
            results[str(n)] = entry
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "mm-bench-ui")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    args.store.mkdir(parents=True, exist_ok=True)
    results = run(build(args.store), args.repeats)
    print(json.dumps({"machine": f"{platform.processor() or platform.machine()}, "
                      f"{__import__('os').cpu_count()} CPUs, {platform.system()}",
                      "results": results}, indent=2))
    for n, entry in results.items():
        ranking = entry["open_to_interactive_ranking_ms"]["median"]
        for chart in ("map", "plot"):
            ours = entry[f"hover_to_highlight_{chart}_ms"].get("median")
            peer = entry[f"plotly_restyle_{chart}_ms"].get("median")
            ratio = f"{peer / ours:.1f}x" if ours and peer else "n/a"
            print(f"{n:>5} classifiers  open->Ranking {ranking:7.0f} ms   {chart}: hover->"
                  f"highlight {ours} ms  (Plotly.restyle peer {peer} ms, ratio {ratio})")


if __name__ == "__main__":
    main()
