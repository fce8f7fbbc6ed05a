"""Helpers that drive the web app in Chromium the way a user would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from collections.abc import Callable

from tests.ui.conftest import ARTIFACTS

GD = """(key) => {
  const el = document.getElementById(JSON.stringify({name: key, type: 'mm-linked'}))
          || document.getElementById(JSON.stringify({name: key, type: 'mm-graph'}));
  return el ? el.querySelector('.js-plotly-plot') : null;
}"""


def graph_state(page: Any, name: str) -> dict[str, Any] | None:
    """Traces and annotation texts of a chart, as the browser has them."""
    return page.evaluate(f"""(key) => {{
      const gd = ({GD})(key);
      if (!gd || !gd._fullLayout) return null;
      return {{traces: (gd.data || []).map(t => ({{type: t.type, n: (t.customdata || t.x || t.z
               || []).length, meta: t.meta ? t.meta.mm || null : null}})),
              notes: ((gd.layout || {{}}).annotations || []).map(a => a.text)}};
    }}""", name)


def wait_chart(page: Any, name: str, timeout: float = 20_000) -> dict[str, Any]:
    """Wait until the chart shows data or a message; return :func:`graph_state`."""
    page.wait_for_function(f"""(key) => {{
      const gd = ({GD})(key);
      if (!gd || !gd._fullLayout) return false;
      const notes = ((gd.layout || {{}}).annotations || []).length;
      return (gd.data || []).length > 0 || notes > 0;
    }}""", arg=name, timeout=timeout)
    return graph_state(page, name)


def view(page: Any, name: str) -> None:
    """Show ``name`` in the main pane (the navigation bar) and wait until it is visible."""
    page.click(f"button.mm-nav-link[data-view={name}]")
    page.wait_for_selector(f"section.mm-view[data-view={name}]", state="visible")


def beside(page: Any, name: str) -> None:
    """Show ``name`` in the second pane (the toolbar's 'Beside' list)."""
    pick(page, "mm-beside", name)
    page.wait_for_selector(f"section.mm-view[data-view={name}]", state="visible")


def pick(page: Any, dropdown_id: str, label: str) -> None:
    """Choose the option whose text starts with ``label`` in a Dash dropdown."""
    page.click(f"#{dropdown_id}")
    option = page.get_by_role("option", name=re.compile("^" + re.escape(label), re.I))
    option.first.click()


def search_pick(page: Any, dropdown_id: str, text: str) -> None:
    """Type ``text`` into a Dash dropdown's search and choose the option ending with it
    (one the server finds among more than it lists)."""
    page.click(f"#{dropdown_id}")
    page.fill("input.dash-dropdown-search", text)
    target = page.get_by_role("option", name=re.compile(re.escape(text) + "$"))
    target.first.wait_for()
    target.first.click()


def open_job(page: Any, title: str) -> None:
    """Open a job from the Menu and wait for the status bar to name it."""
    view(page, "menu")
    name = page.locator(".mm-job-title", has_text=re.compile("^" + re.escape(title) + "$"))
    card = page.locator(".mm-job-card").filter(has=name).first
    card.get_by_role("button", name=re.compile("^Open")).click()
    page.wait_for_function("(t) => (document.getElementById('mm-status-job') || {}).textContent"
                           "?.startsWith(t + ' ·')", arg=title, timeout=60_000)  # a busy CI
    settle(page)


def new_tab(page: Any) -> tuple[Any, list[str]]:
    """A new tab in ``page``'s browser (no session state) and the list its console errors
    go to; it counts its Dash requests like ``page`` does, so :func:`settle` works on it."""
    tab = page.context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.mm_pending = {"n": 0}
    tab.on("request", lambda r: tab.mm_pending.update(
        n=tab.mm_pending["n"] + ("_dash-update-component" in r.url)))
    tab.on("requestfinished", lambda r: tab.mm_pending.update(
        n=tab.mm_pending["n"] - ("_dash-update-component" in r.url)))
    return tab, errors


def settle(page: Any, quiet_ms: int = 400, timeout_ms: int = 20_000) -> None:
    """Wait until the app has answered every callback and stayed quiet for a moment."""
    waited = quiet = 0
    while quiet < quiet_ms and waited < timeout_ms:
        page.wait_for_timeout(50)
        waited += 50
        quiet = quiet + 50 if page.mm_pending["n"] <= 0 else 0


def selected_count(page: Any) -> tuple[int, int]:
    text = page.inner_text("#mm-selection-count")
    shown, total = re.match(r"(\d+) of (\d+) selected", text).groups()
    return int(shown), int(total)


def point_position(page: Any, name: str, trace: int = 0) -> dict[str, Any]:
    """Screen position and id of the most isolated point of a scatter trace, once the
    chart has stopped resizing."""
    last = None
    for _ in range(50):
        spot = _position(page, name, trace)
        if spot == last:
            return spot
        last = spot
        page.wait_for_timeout(150)
    return last


def _position(page: Any, name: str, trace: int) -> dict[str, Any]:
    return page.evaluate(f"""([key, k]) => {{
      const gd = ({GD})(key), t = gd.data[k], fl = gd._fullLayout;
      const xa = fl.xaxis, ya = fl.yaxis, box = gd.getBoundingClientRect();
      const pts = t.x.map((x, i) => [xa._offset + xa.d2p(x), ya._offset + ya.d2p(t.y[i])]);
      let best = 0, far = -1;
      pts.forEach((p, i) => {{
        let near = Infinity;
        pts.forEach((q, j) => {{
          if (i !== j) near = Math.min(near, Math.hypot(p[0] - q[0], p[1] - q[1]));
        }});
        if (near > far) {{ far = near; best = i; }}
      }});
      return {{x: box.left + pts[best][0], y: box.top + pts[best][1], id: t.customdata[best]}};
    }}""", [name, trace])


def hover(page: Any, name: str, expect: Callable[[dict[str, Any]], str],
          tries: int = 5) -> dict[str, Any]:
    """Rest the mouse on the most isolated point of chart ``name`` until the status bar
    reads ``expect(spot)``; return the spot.  A chart re-drawn between measuring and
    moving (a late callback) means measuring again, as a person would move the mouse
    again."""
    spot: dict[str, Any] = {}
    for attempt in range(tries):
        settle(page)
        spot = point_position(page, name)
        page.mouse.move(spot["x"] - 12, spot["y"] - 12)
        page.mouse.move(spot["x"], spot["y"], steps=3)
        try:
            page.wait_for_function("(t) => document.getElementById('mm-status-highlight')"
                                   ".textContent === t", arg=expect(spot), timeout=4_000)
            return spot
        except Exception:
            if attempt == tries - 1:
                raise
            page.mouse.move(5, 5)
    return spot


def overlay_marks(page: Any, name: str) -> dict[str, int]:
    """How many highlight rings and lines a chart's overlay draws now."""
    return page.evaluate(f"""(key) => {{
      const gd = ({GD})(key);
      const svg = gd && gd.querySelector('svg.mm-overlay');
      return {{rings: svg ? svg.querySelectorAll('circle').length : 0,
              lines: svg ? svg.querySelectorAll('polyline').length : 0}};
    }}""", name)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
